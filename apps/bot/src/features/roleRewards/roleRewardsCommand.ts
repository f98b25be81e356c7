import { ChannelType, MessageFlags, PermissionFlagsBits, SlashCommandBuilder, type ChatInputCommandInteraction, type SlashCommandStringOption } from 'discord.js';
import type { z } from 'zod';
import type { BotContext } from '../../context.ts';
import type { SlashCommand } from '../../discord/SlashCommand.ts';
import { routeSubcommands } from '../../discord/subcommands.ts';
import type { GuildAction } from '../../guildActions/GuildAction.ts';
import { interactionCall, runGuildAction } from '../../guildActions/guildActionsProcessor.ts';
import { describeTier, REWARD_BADGES, type RoleRewardConfig } from './desiredRoles.ts';
import { lastRoleProblem } from './modLog.ts';
import {
  addTierAction,
  connectionLine,
  MAX_TIER_POINTS,
  problemLines,
  removeTierAction,
  setBadgeRoleAction,
  setModLogAction,
  setSubscriberRoleAction,
  setTierModeAction,
  syncNowAction,
} from './roleRewardsActions.ts';
import { loadRoleRewardConfig } from './roleRewardsConfig.ts';

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
  .addSubcommand((s) => s.setName('list').setDescription('Every role reward, and what stops kickcord from giving one'))
  .addSubcommand((s) => s.setName('sync').setDescription("Check linked viewers' roles now and repair any difference"));

type Interaction = ChatInputCommandInteraction<'cached'>;

async function answer(interaction: Interaction, lines: readonly string[]): Promise<void> {
  await interaction.editReply({ content: lines.join('\n').slice(0, 2_000), allowedMentions: { parse: [] } });
}

/** Defers (Discord is asked about roles), runs the action as the member, and answers with its message. */
async function run<S extends z.ZodType>(interaction: Interaction, ctx: BotContext, action: GuildAction<S>, input: z.input<S>): Promise<void> {
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const outcome = await runGuildAction(ctx, action, interactionCall(interaction), input);
  await answer(interaction, [outcome.message]);
}

async function subscriber(interaction: Interaction, ctx: BotContext): Promise<void> {
  await run(interaction, ctx, setSubscriberRoleAction, { roleId: interaction.options.getRole('role')?.id ?? null });
}

function tierKind(interaction: Interaction): 'watchtime' | 'points' {
  return interaction.options.getString('kind', true) === 'points' ? 'points' : 'watchtime';
}

async function tierAdd(interaction: Interaction, ctx: BotContext): Promise<void> {
  await run(interaction, ctx, addTierAction, { kind: tierKind(interaction), threshold: interaction.options.getInteger('threshold', true), roleId: interaction.options.getRole('role', true).id });
}

async function tierRemove(interaction: Interaction, ctx: BotContext): Promise<void> {
  await run(interaction, ctx, removeTierAction, { kind: tierKind(interaction), threshold: interaction.options.getInteger('threshold', true) });
}

async function badge(interaction: Interaction, ctx: BotContext): Promise<void> {
  await run(interaction, ctx, setBadgeRoleAction, { badge: interaction.options.getString('badge', true), roleId: interaction.options.getRole('role')?.id ?? null });
}

async function mode(interaction: Interaction, ctx: BotContext): Promise<void> {
  await run(interaction, ctx, setTierModeAction, { mode: interaction.options.getString('mode', true) === 'stack' ? 'stack' : 'highest' });
}

async function modlog(interaction: Interaction, ctx: BotContext): Promise<void> {
  await run(interaction, ctx, setModLogAction, { channelId: interaction.options.getChannel('channel')?.id ?? null });
}

async function sync(interaction: Interaction, ctx: BotContext): Promise<void> {
  await run(interaction, ctx, syncNowAction, {});
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

/**
 * `/role-rewards subscriber|tier-add|tier-remove|badge|mode|modlog|sync|list` — Discord roles for linked Kick viewers
 * (moderators). Every change runs through the same actions as the dashboard's role rewards page.
 */
export const roleRewardsCommand: SlashCommand = {
  data: data.toJSON(),
  moderatorOnly: true,
  ...routeSubcommands({ subscriber, 'tier-add': tierAdd, 'tier-remove': tierRemove, badge, mode, modlog, sync, list }),
};
