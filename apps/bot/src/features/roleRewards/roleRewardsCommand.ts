import { ChannelType, MessageFlags, PermissionFlagsBits, SlashCommandBuilder, type APIRole, type ChatInputCommandInteraction, type Role, type SlashCommandStringOption } from 'discord.js';
import type { BotContext } from '../../context.ts';
import type { SlashCommand } from '../../discord/SlashCommand.ts';
import { routeSubcommands } from '../../discord/subcommands.ts';
import { UserFacingError } from '../../UserFacingError.ts';
import { describeTier, REWARD_BADGES, type RoleRewardConfig } from './desiredRoles.ts';
import { diagnoseRoles, type RoleProblem } from '../../discord/memberRoles.ts';
import { clearRoleProblem, lastRoleProblem } from './modLog.ts';
import { addTier, loadRoleRewardConfig, removeTier, setBadgeRole, setRoleRewardModLog, setSubscriberRole, setTierMode } from './roleRewardsConfig.ts';
import { queueGuildReconcile } from './roleRewardsTasks.ts';

/** Most hours a watchtime tier may ask for (about 11 years of streams). */
const MAX_TIER_HOURS = 100_000;
const MAX_TIER_POINTS = 2_147_483_647;

const kindOption = (o: SlashCommandStringOption) =>
  o
    .setName('kind')
    .setDescription('What the tier counts')
    .setRequired(true)
    .addChoices({ name: 'watchtime (hours)', value: 'watchtime' }, { name: 'points', value: 'points' });

const data = new SlashCommandBuilder()
  .setName('role-rewards')
  .setDescription('Discord roles for linked Kick viewers: subscribers, watchtime and points tiers, chat badges')
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(0)
  .addSubcommand((s) =>
    s
      .setName('subscriber')
      .setDescription('The role linked Kick subscribers get (leave out the role to turn it off)')
      .addRoleOption((o) => o.setName('role').setDescription('Role for subscribers')),
  )
  .addSubcommand((s) =>
    s
      .setName('tier-add')
      .setDescription('Give a role at a watchtime or points threshold')
      .addStringOption(kindOption)
      .addIntegerOption((o) => o.setName('threshold').setDescription('Hours of watchtime, or points').setRequired(true).setMinValue(1).setMaxValue(MAX_TIER_POINTS))
      .addRoleOption((o) => o.setName('role').setDescription('Role given at the threshold').setRequired(true)),
  )
  .addSubcommand((s) =>
    s
      .setName('tier-remove')
      .setDescription('Remove a tier (kickcord takes its role back from the viewers it gave it to)')
      .addStringOption(kindOption)
      .addIntegerOption((o) => o.setName('threshold').setDescription('Hours of watchtime, or points').setRequired(true).setMinValue(1).setMaxValue(MAX_TIER_POINTS)),
  )
  .addSubcommand((s) =>
    s
      .setName('badge')
      .setDescription('The role for viewers who carry a Kick chat badge (leave out the role to remove it)')
      .addStringOption((o) =>
        o
          .setName('badge')
          .setDescription('Kick chat badge')
          .setRequired(true)
          .addChoices(...REWARD_BADGES.map((b) => ({ name: b, value: b }))),
      )
      .addRoleOption((o) => o.setName('role').setDescription('Role for the badge')),
  )
  .addSubcommand((s) =>
    s
      .setName('mode')
      .setDescription('Whether tiers stack or only the highest of each ladder is kept')
      .addStringOption((o) =>
        o
          .setName('mode')
          .setDescription('highest: only the highest tier reached; stack: every tier reached')
          .setRequired(true)
          .addChoices({ name: 'highest', value: 'highest' }, { name: 'stack', value: 'stack' }),
      ),
  )
  .addSubcommand((s) =>
    s
      .setName('modlog')
      .setDescription('Where each grant and removal is logged (leave out the channel to stop)')
      .addChannelOption((o) => o.setName('channel').setDescription('Mod-log channel').addChannelTypes(ChannelType.GuildText)),
  )
  .addSubcommand((s) => s.setName('list').setDescription('Every role reward, and what stops kickcord from giving one'));

type Interaction = ChatInputCommandInteraction<'cached'>;

/** Refuses roles nobody can give: @everyone and integration roles. */
function requireGivableRole(interaction: Interaction, role: Role | APIRole): void {
  if (role.id === interaction.guildId) throw new UserFacingError('Everyone already has @everyone: choose another role.');
  if (role.managed) throw new UserFacingError(`@${role.name} belongs to an integration (a bot or Server Boost), which nobody can give by hand: choose another role.`);
}

/** "⚠️ …" lines for the roles kickcord cannot give right now (asked of Discord, as at use). */
async function problemLines(ctx: BotContext, guildId: string, roleIds: readonly string[]): Promise<string[]> {
  if (roleIds.length === 0) return [];
  let judged: Map<string, RoleProblem | null>;
  try {
    judged = await diagnoseRoles(ctx.discordRest, guildId, roleIds);
  } catch (error) {
    ctx.logger.warn({ err: error, guildId }, 'role rewards: roles could not be checked');
    return ['⚠️ kickcord could not check its role permissions just now; `/role-rewards list` checks again.'];
  }
  return [...new Set([...judged.values()].filter((p): p is RoleProblem => p !== null).map((p) => `⚠️ Not working yet: ${p.text}.`))];
}

/** A line when the server has no connected Kick channel (role rewards need its events and viewers). */
async function connectionLine(ctx: BotContext, guildId: string): Promise<string[]> {
  const connection = await ctx.prisma.kickConnection.findUnique({ where: { guildId }, select: { kickUsername: true } });
  return connection ? [] : ['⚠️ This server has no connected Kick channel yet: role rewards start once a moderator runs `/kick connect`.'];
}

async function answer(interaction: Interaction, lines: readonly string[]): Promise<void> {
  await interaction.editReply({ content: lines.join('\n').slice(0, 2_000), allowedMentions: { parse: [] } });
}

/** After a change: forget the last problem, reconcile the guild at the next sync run, and answer with any problem. */
async function changed(interaction: Interaction, ctx: BotContext, done: string, roleIds: readonly string[]): Promise<void> {
  await Promise.all([clearRoleProblem(ctx, interaction.guildId), queueGuildReconcile(ctx, interaction.guildId)]);
  const lines = [done, ...(await connectionLine(ctx, interaction.guildId)), ...(await problemLines(ctx, interaction.guildId, roleIds))];
  await answer(interaction, lines);
}

async function subscriber(interaction: Interaction, ctx: BotContext): Promise<void> {
  const role = interaction.options.getRole('role');
  if (role) requireGivableRole(interaction, role);
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  await setSubscriberRole(ctx, interaction.guildId, role?.id ?? null);
  if (!role) return changed(interaction, ctx, 'The subscriber role is off. kickcord takes it back from the viewers it gave it to.', []);
  return changed(
    interaction,
    ctx,
    `✅ Linked viewers with an active Kick subscription get <@&${role.id}>; it goes when a subscription ends without renewal. Current subscribers get it within a minute.`,
    [role.id],
  );
}

function tierInput(interaction: Interaction): { kind: 'watchtime' | 'points'; threshold: number } {
  const kind = interaction.options.getString('kind', true) === 'points' ? 'points' : 'watchtime';
  const value = interaction.options.getInteger('threshold', true);
  if (kind === 'watchtime' && value > MAX_TIER_HOURS) throw new UserFacingError(`A watchtime tier can ask for at most ${MAX_TIER_HOURS.toLocaleString('en-US')} hours.`);
  return { kind, threshold: kind === 'watchtime' ? value * 60 : value };
}

async function tierAdd(interaction: Interaction, ctx: BotContext): Promise<void> {
  const role = interaction.options.getRole('role', true);
  requireGivableRole(interaction, role);
  const tier = { ...tierInput(interaction), roleId: role.id };
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  await addTier(ctx, interaction.guildId, tier);
  const config = await loadRoleRewardConfig(ctx.prisma, interaction.guildId);
  await changed(interaction, ctx, `✅ Linked viewers with ${describeTier(tier)} get <@&${role.id}> (tiers: ${config.tierMode === 'stack' ? 'every tier reached' : 'only the highest of each ladder'}).`, [role.id]);
}

async function tierRemove(interaction: Interaction, ctx: BotContext): Promise<void> {
  const tier = tierInput(interaction);
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const roleId = await removeTier(ctx, interaction.guildId, tier.kind, tier.threshold);
  if (!roleId) throw new UserFacingError(`There is no ${tier.kind} tier at ${describeTier(tier)}. \`/role-rewards list\` shows them.`);
  await changed(interaction, ctx, `Removed the tier at ${describeTier(tier)}. kickcord takes <@&${roleId}> back from the viewers it gave it to.`, []);
}

async function badge(interaction: Interaction, ctx: BotContext): Promise<void> {
  const type = interaction.options.getString('badge', true);
  if (!(REWARD_BADGES as readonly string[]).includes(type)) throw new UserFacingError(`Unknown badge ${type}: choose one of ${REWARD_BADGES.join(', ')}.`);
  const role = interaction.options.getRole('role');
  if (role) requireGivableRole(interaction, role);
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  await setBadgeRole(ctx, interaction.guildId, type, role?.id ?? null);
  if (!role) return changed(interaction, ctx, `The ${type} badge gives no role any more. kickcord takes it back from the viewers it gave it to.`, []);
  return changed(interaction, ctx, `✅ Linked viewers whose Kick chat messages carry the ${type} badge get <@&${role.id}> (checked on each message; it goes when the badge does).`, [role.id]);
}

async function mode(interaction: Interaction, ctx: BotContext): Promise<void> {
  const value = interaction.options.getString('mode', true) === 'stack' ? 'stack' : 'highest';
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  await setTierMode(ctx, interaction.guildId, value);
  await changed(interaction, ctx, value === 'stack' ? '✅ Tiers stack: viewers keep every tier they reached.' : '✅ Only the highest tier of each ladder (watchtime, points) is kept; lower ones are taken back.', []);
}

async function modlog(interaction: Interaction, ctx: BotContext): Promise<void> {
  const channel = interaction.options.getChannel('channel');
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  await setRoleRewardModLog(ctx, interaction.guildId, channel?.id ?? null);
  await answer(interaction, [channel ? `✅ Each role reward given or taken is logged in <#${channel.id}>, with any problem.` : 'Role rewards are no longer logged to a channel of their own (the server\'s mod-log channel, if any, is used).']);
}

/** The guild's role rewards as `/role-rewards list` shows them. */
export function describeConfig(config: RoleRewardConfig): string[] {
  const lines = [`**Subscriber role:** ${config.subscriberRoleId ? `<@&${config.subscriberRoleId}>` : 'off'}`];
  lines.push(`**Tiers** (${config.tierMode === 'stack' ? 'stacking' : 'highest of each ladder only'}):`);
  if (config.tiers.length === 0) lines.push('  none — `/role-rewards tier-add`');
  for (const t of config.tiers) lines.push(`  ${describeTier(t)} → <@&${t.roleId}>`);
  lines.push(`**Badge roles:** ${config.badges.length === 0 ? 'none' : config.badges.map((b) => `${b.badge} → <@&${b.roleId}>`).join(', ')}`);
  lines.push(`**Mod-log:** ${config.modLogChannelId ? `<#${config.modLogChannelId}>` : 'none — `/role-rewards modlog`'}`);
  return lines;
}

async function list(interaction: Interaction, ctx: BotContext): Promise<void> {
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const config = await loadRoleRewardConfig(ctx.prisma, interaction.guildId);
  const roleIds = [...new Set([config.subscriberRoleId, ...config.tiers.map((t) => t.roleId), ...config.badges.map((b) => b.roleId)].filter((r): r is string => r !== null))];
  const [members, problem, connection, problems] = await Promise.all([
    ctx.prisma.roleRewardMember.count({ where: { guildId: interaction.guildId, NOT: { roleIds: { isEmpty: true } } } }),
    lastRoleProblem(ctx, interaction.guildId),
    connectionLine(ctx, interaction.guildId),
    problemLines(ctx, interaction.guildId, roleIds),
  ]);
  const lines = [...describeConfig(config), `Linked viewers holding a reward role: ${members}`, ...connection, ...problems];
  if (problem) lines.push(`Last problem (<t:${Math.floor(new Date(problem.at).getTime() / 1000)}:R>): ${problem.text}`);
  await answer(interaction, lines);
}

/** `/role-rewards subscriber|tier-add|tier-remove|badge|mode|modlog|list` — Discord roles for linked Kick viewers (moderators). */
export const roleRewardsCommand: SlashCommand = {
  data: data.toJSON(),
  moderatorOnly: true,
  ...routeSubcommands({ subscriber, 'tier-add': tierAdd, 'tier-remove': tierRemove, badge, mode, modlog, list }),
};
