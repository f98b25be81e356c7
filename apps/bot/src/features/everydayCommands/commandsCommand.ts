import { BUILTIN_CHAT_COMMANDS } from '@kickcord/core';
import { InteractionContextType, MessageFlags, PermissionFlagsBits, SlashCommandBuilder, type ChatInputCommandInteraction, type SlashCommandSubcommandBuilder } from 'discord.js';
import type { BotContext } from '../../context.ts';
import type { SlashCommand } from '../../discord/SlashCommand.ts';
import { routeSubcommands } from '../../discord/subcommands.ts';
import { guildSettings } from '../../guildSettings.ts';
import { commandListUrl } from '../customCommands/commandsChatCommand.ts';
import { checkedBuiltin, listBuiltins, renameBuiltin, setBuiltinEnabled } from './builtinSettings.ts';

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

async function enable(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const b = await setBuiltinEnabled(ctx, interaction.guildId, checkedBuiltin(interaction.options.getString('command', true)), true);
  await interaction.reply({ content: `**${await prefixOf(ctx, interaction.guildId)}${b.name}** is on.`, flags: MessageFlags.Ephemeral });
}

async function disable(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const b = await setBuiltinEnabled(ctx, interaction.guildId, checkedBuiltin(interaction.options.getString('command', true)), false);
  await interaction.reply({ content: `**${await prefixOf(ctx, interaction.guildId)}${b.name}** is off: kickcord no longer answers it in Kick chat.`, flags: MessageFlags.Ephemeral });
}

async function rename(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const builtin = checkedBuiltin(interaction.options.getString('command', true));
  const b = await renameBuiltin(ctx, interaction.guildId, builtin, interaction.options.getString('name', true));
  const prefix = await prefixOf(ctx, interaction.guildId);
  const content = b.name === builtin ? `**${prefix}${builtin}** answers to its own name again.` : `The built-in ${prefix}${builtin} now answers to **${prefix}${b.name}** (and no longer to ${prefix}${builtin}).`;
  await interaction.reply({ content: `${content}${b.enabled ? '' : ' It is off — turn it on with /commands builtin enable.'}`, flags: MessageFlags.Ephemeral });
}

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
