import { BUILTIN_CHAT_COMMANDS } from '@kickcord/core';
import { InteractionContextType, MessageFlags, PermissionFlagsBits, SlashCommandBuilder, type ChatInputCommandInteraction, type SlashCommandSubcommandBuilder } from 'discord.js';
import type { BotContext } from '../../context.ts';
import type { SlashCommand } from '../../discord/SlashCommand.ts';
import { routeSubcommands } from '../../discord/subcommands.ts';
import { guildSettings } from '../../guildSettings.ts';
import { commandListUrl } from '../customCommands/commandsChatCommand.ts';
import { interactionCall, runGuildAction } from '../../guildActions/guildActionsProcessor.ts';
import { updateBuiltin } from './builtinActions.ts';
import { listBuiltins } from './builtinSettings.ts';

const builtinOption = (s: SlashCommandSubcommandBuilder) =>
  s.addStringOption((o) =>
    o
      .setName('command')
      .setDescription('The built-in, by its default name')
      .setRequired(true)
      .addChoices(...BUILTIN_CHAT_COMMANDS.map((b) => ({ name: `!${b}`, value: b }))),
  );

const data = new SlashCommandBuilder()
  .setName('commands')
  .setDescription('Kick chat commands: the built-ins')
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(InteractionContextType.Guild)
  .addSubcommandGroup((g) =>
    g
      .setName('builtin')
      .setDescription('Turn built-in chat commands on or off, or rename them')
      .addSubcommand((s) => builtinOption(s.setName('enable').setDescription('Turn a built-in chat command on')))
      .addSubcommand((s) => builtinOption(s.setName('disable').setDescription('Turn a built-in chat command off')))
      .addSubcommand((s) =>
        builtinOption(s.setName('rename').setDescription('Change the name a built-in answers to (its default name puts it back)')).addStringOption((o) =>
          o.setName('name').setDescription('New name without prefix, e.g. shoutout').setRequired(true).setMaxLength(33),
        ),
      )
      .addSubcommand((s) => s.setName('list').setDescription('Show the built-ins, their names and whether they are on')),
  );

async function prefixOf(ctx: BotContext, guildId: string): Promise<string> {
  return (await guildSettings(ctx.prisma, guildId)).commandPrefix;
}

async function update(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext, change: { enabled?: boolean; name?: string }): Promise<void> {
  const outcome = await runGuildAction(ctx, updateBuiltin, interactionCall(interaction), { command: interaction.options.getString('command', true), ...change });
  await interaction.reply({ content: outcome.message, flags: MessageFlags.Ephemeral });
}

const enable = (interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext) => update(interaction, ctx, { enabled: true });
const disable = (interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext) => update(interaction, ctx, { enabled: false });
const rename = (interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext) => update(interaction, ctx, { name: interaction.options.getString('name', true) });

async function list(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const prefix = await prefixOf(ctx, interaction.guildId);
  const lines = (await listBuiltins(ctx, interaction.guildId)).map(
    (b) => `${b.enabled ? '✅' : '⛔'} **${prefix}${b.name}**${b.name === b.builtin ? '' : ` (built-in ${prefix}${b.builtin})`}${b.enabled ? '' : ' — off'}`,
  );
  const connection = await ctx.prisma.kickConnection.findUnique({ where: { guildId: interaction.guildId }, select: { channel: { select: { slug: true } } } });
  const page = connection ? `\nPublic list: ${commandListUrl(ctx.env.PUBLIC_URL, connection.channel.slug)}` : '';
  await interaction.reply({ content: `Built-in chat commands:\n${lines.join('\n')}${page}`, flags: MessageFlags.Ephemeral });
}

/** `/commands builtin enable|disable|rename|list` — the built-in Kick chat commands of a guild (moderators). */
export const commandsCommand: SlashCommand = {
  data: data.toJSON(),
  moderatorOnly: true,
  ...routeSubcommands({ enable, disable, rename, list }),
};
