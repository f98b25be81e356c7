import { CHAT_COMMAND_VARIABLES, compileTemplate, isUserLevel, MAX_TEMPLATE_LENGTH, USER_LEVELS, validateCommandName, type UserLevel } from '@kickcord/core';
import { Prisma, type ChatCommand } from '@kickcord/db';
import { EmbedBuilder, InteractionContextType, MessageFlags, PermissionFlagsBits, SlashCommandBuilder, type ChatInputCommandInteraction, type SlashCommandSubcommandBuilder } from 'discord.js';
import type { BotContext } from '../../context.ts';
import type { SlashCommand } from '../../discord/SlashCommand.ts';
import { routeSubcommands } from '../../discord/subcommands.ts';
import { guildSettings } from '../../guildSettings.ts';
import { UserFacingError } from '../../UserFacingError.ts';

/** Custom commands per guild. */
export const MAX_CUSTOM_COMMANDS = 200;
/** Aliases per command. */
export const MAX_ALIASES = 10;
const MAX_COOLDOWN_SEC = 86_400;

function optionsFor(s: SlashCommandSubcommandBuilder, required: boolean): SlashCommandSubcommandBuilder {
  return s
    .addStringOption((o) => o.setName('name').setDescription('Command name without prefix, e.g. discord').setRequired(true).setMaxLength(33).setAutocomplete(!required))
    .addStringOption((o) => o.setName('response').setDescription('Reply template, e.g. "{user} → discord.gg/x" ({user} {touser} {args} {points} …)').setRequired(required).setMaxLength(MAX_TEMPLATE_LENGTH))
    .addStringOption((o) => o.setName('aliases').setDescription('Other names, comma separated ("none" clears)').setMaxLength(400))
    .addIntegerOption((o) => o.setName('cooldown').setDescription('Seconds between uses by anyone (0 = none)').setMinValue(0).setMaxValue(MAX_COOLDOWN_SEC))
    .addIntegerOption((o) => o.setName('user_cooldown').setDescription('Seconds between uses by the same viewer (0 = none)').setMinValue(0).setMaxValue(MAX_COOLDOWN_SEC))
    .addStringOption((o) => o.setName('level').setDescription('Who may use it').addChoices(...USER_LEVELS.map((l) => ({ name: l, value: l }))))
    .addIntegerOption((o) => o.setName('cost').setDescription('Points charged per use (0 = free)').setMinValue(0).setMaxValue(1_000_000))
    .addBooleanOption((o) => o.setName('live_only').setDescription('Only answer while the stream is live'));
}

const data = new SlashCommandBuilder()
  .setName('command')
  .setDescription('Custom Kick chat commands')
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(InteractionContextType.Guild)
  .addSubcommand((s) => optionsFor(s.setName('add').setDescription('Add a chat command'), true))
  .addSubcommand((s) => optionsFor(s.setName('edit').setDescription('Change a chat command (only what you pass)'), false).addBooleanOption((o) => o.setName('enabled').setDescription('Turn it on or off')))
  .addSubcommand((s) => s.setName('remove').setDescription('Delete a chat command').addStringOption((o) => o.setName('name').setDescription('Command name').setRequired(true).setMaxLength(33).setAutocomplete(true)))
  .addSubcommand((s) => s.setName('list').setDescription('List the chat commands'));

function checkedName(input: string, prefix: string, what = 'Command name'): string {
  const r = validateCommandName(input, { prefix });
  if (!r.ok) throw new UserFacingError(what === 'Command name' ? r.error : `Alias "${input}": ${r.error}`);
  return r.name;
}

function checkedResponse(source: string): string {
  const compiled = compileTemplate(source, { allowed: CHAT_COMMAND_VARIABLES });
  if (!compiled.ok) {
    throw new UserFacingError(
      `That response has a problem:\n${compiled.errors.map((e) => `• ${e.message}`).join('\n')}\nVariables: ${CHAT_COMMAND_VARIABLES.map((v) => (v === 'random' ? '{random:a|b|c}' : `{${v}}`)).join(' ')}`,
    );
  }
  return source;
}

function aliasesOption(interaction: ChatInputCommandInteraction<'cached'>, prefix: string, name: string): string[] | undefined {
  const raw = interaction.options.getString('aliases');
  if (raw === null) return undefined;
  if (raw.trim().toLowerCase() === 'none') return [];
  const list = [...new Set(raw.split(/[,\s]+/).filter((a) => a.length > 0).map((a) => checkedName(a, prefix, 'Alias')))].filter((a) => a !== name);
  if (list.length > MAX_ALIASES) throw new UserFacingError(`At most ${MAX_ALIASES} aliases per command (got ${list.length}).`);
  return list;
}

/** Throws if a name or alias is already taken by ANOTHER command of this guild. */
async function checkConflicts(ctx: BotContext, guildId: string, names: string[], exceptId: string | null): Promise<void> {
  const clash = await ctx.prisma.chatCommand.findFirst({
    where: { guildId, ...(exceptId ? { id: { not: exceptId } } : {}), OR: [{ name: { in: names } }, { aliases: { hasSome: names } }] },
  });
  if (clash) {
    const taken = names.find((n) => clash.name === n || clash.aliases.includes(n)) ?? names[0];
    throw new UserFacingError(`"${taken}" is already used by the command "${clash.name}" — pick another name, or edit that command.`);
  }
}

function levelOption(interaction: ChatInputCommandInteraction<'cached'>): UserLevel | undefined {
  const raw = interaction.options.getString('level');
  if (raw === null) return undefined;
  if (!isUserLevel(raw)) throw new UserFacingError(`Level must be one of: ${USER_LEVELS.join(', ')}.`);
  return raw;
}

function describe(c: ChatCommand, prefix: string): string {
  const bits = [
    c.aliases.length ? `aliases ${c.aliases.map((a) => prefix + a).join(', ')}` : '',
    c.minLevel !== 'everyone' ? `${c.minLevel}+` : '',
    c.globalCooldownSec ? `cooldown ${c.globalCooldownSec}s` : '',
    c.userCooldownSec ? `per-user ${c.userCooldownSec}s` : '',
    c.cost ? `costs ${c.cost}` : '',
    c.liveOnly ? 'live only' : '',
    c.enabled ? '' : 'disabled',
    `used ${c.useCount}×`,
  ].filter(Boolean);
  return `\`${c.response.slice(0, 180)}\`\n${bits.join(' · ')}`;
}

async function add(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const { commandPrefix: prefix } = await guildSettings(ctx.prisma, interaction.guildId);
  const name = checkedName(interaction.options.getString('name', true), prefix);
  const response = checkedResponse(interaction.options.getString('response', true));
  const aliases = aliasesOption(interaction, prefix, name) ?? [];
  await checkConflicts(ctx, interaction.guildId, [name, ...aliases], null);
  if ((await ctx.prisma.chatCommand.count({ where: { guildId: interaction.guildId } })) >= MAX_CUSTOM_COMMANDS) {
    throw new UserFacingError(`This server has ${MAX_CUSTOM_COMMANDS} chat commands, the maximum — remove one first.`);
  }
  const level = levelOption(interaction);
  try {
    const created = await ctx.prisma.chatCommand.create({
      data: {
        guildId: interaction.guildId,
        name,
        response,
        aliases,
        globalCooldownSec: interaction.options.getInteger('cooldown') ?? 0,
        userCooldownSec: interaction.options.getInteger('user_cooldown') ?? 0,
        minLevel: level ?? 'everyone',
        cost: interaction.options.getInteger('cost') ?? 0,
        liveOnly: interaction.options.getBoolean('live_only') ?? false,
        createdByDiscordId: interaction.user.id,
      },
    });
    await interaction.reply({ content: `✅ Added **${prefix}${name}**.\n${describe(created, prefix)}`, allowedMentions: { parse: [] }, flags: MessageFlags.Ephemeral });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') throw new UserFacingError(`A command named "${name}" already exists — use /command edit.`);
    throw error;
  }
}

async function edit(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const { commandPrefix: prefix } = await guildSettings(ctx.prisma, interaction.guildId);
  const name = checkedName(interaction.options.getString('name', true), prefix);
  const existing = await ctx.prisma.chatCommand.findUnique({ where: { guildId_name: { guildId: interaction.guildId, name } } });
  if (!existing) throw new UserFacingError(`There is no command named "${name}" — see /command list, or create it with /command add.`);
  const responseRaw = interaction.options.getString('response');
  const aliases = aliasesOption(interaction, prefix, name);
  if (aliases?.length) await checkConflicts(ctx, interaction.guildId, aliases, existing.id);
  const level = levelOption(interaction);
  const data: Prisma.ChatCommandUpdateInput = {};
  if (responseRaw !== null) data.response = checkedResponse(responseRaw);
  if (aliases !== undefined) data.aliases = aliases;
  const cd = interaction.options.getInteger('cooldown');
  if (cd !== null) data.globalCooldownSec = cd;
  const ucd = interaction.options.getInteger('user_cooldown');
  if (ucd !== null) data.userCooldownSec = ucd;
  if (level !== undefined) data.minLevel = level;
  const cost = interaction.options.getInteger('cost');
  if (cost !== null) data.cost = cost;
  const liveOnly = interaction.options.getBoolean('live_only');
  if (liveOnly !== null) data.liveOnly = liveOnly;
  const enabled = interaction.options.getBoolean('enabled');
  if (enabled !== null) data.enabled = enabled;
  if (Object.keys(data).length === 0) throw new UserFacingError('Nothing to change — pass at least one option (response, aliases, cooldown, level, cost, live_only, enabled).');
  const updated = await ctx.prisma.chatCommand.update({ where: { id: existing.id }, data });
  await interaction.reply({ content: `✏️ Updated **${prefix}${name}**.\n${describe(updated, prefix)}`, allowedMentions: { parse: [] }, flags: MessageFlags.Ephemeral });
}

async function remove(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const { commandPrefix: prefix } = await guildSettings(ctx.prisma, interaction.guildId);
  const name = checkedName(interaction.options.getString('name', true), prefix);
  const { count } = await ctx.prisma.chatCommand.deleteMany({ where: { guildId: interaction.guildId, name } });
  if (!count) throw new UserFacingError(`There is no command named "${name}" — see /command list.`);
  await interaction.reply({ content: `🗑️ Removed **${prefix}${name}**.`, allowedMentions: { parse: [] }, flags: MessageFlags.Ephemeral });
}

async function list(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const { commandPrefix: prefix } = await guildSettings(ctx.prisma, interaction.guildId);
  const all = await ctx.prisma.chatCommand.findMany({ where: { guildId: interaction.guildId }, orderBy: { name: 'asc' } });
  const embed = new EmbedBuilder().setColor(0x53fc18).setTitle(`Chat commands (${all.length})`);
  if (all.length === 0) embed.setDescription('No custom commands yet — add one with /command add.');
  for (const c of all.slice(0, 25)) embed.addFields({ name: `${prefix}${c.name}`, value: describe(c, prefix) });
  if (all.length > 25) embed.setFooter({ text: `…and ${all.length - 25} more` });
  await interaction.reply({ embeds: [embed], allowedMentions: { parse: [] }, flags: MessageFlags.Ephemeral });
}

/** `/command add|edit|remove|list` — moderators manage custom Kick chat commands. */
export const commandCommand: SlashCommand = {
  data: data.toJSON(),
  moderatorOnly: true,
  ...routeSubcommands({ add, edit, remove, list }),
  async autocomplete(interaction, ctx) {
    const typed = String(interaction.options.getFocused()).trim().toLowerCase().replace(/^\W+/, '');
    const rows = await ctx.prisma.chatCommand.findMany({ where: { guildId: interaction.guildId, ...(typed ? { name: { startsWith: typed } } : {}) }, orderBy: { name: 'asc' }, take: 25, select: { name: true } });
    await interaction.respond(rows.map((r) => ({ name: r.name, value: r.name })));
  },
};
