/** `/rewards list|create|edit|delete|pause`: the channel's Kick rewards, changed through Kick's API as the streamer. */
import type { KickReward, KickRewardChanges } from '@kickcord/kick';
import { EmbedBuilder, MessageFlags, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../../context.ts';
import { formatPoints } from '../../formatPoints.ts';
import { UserFacingError } from '../../UserFacingError.ts';
import { callKick, REWARDS_READ_SCOPE, REWARDS_WRITE_SCOPE, rewardsClient } from './kickRewards.ts';
import { describeActions, NO_ACTIONS } from './rewardActions.ts';

/** `#RRGGBB` (a leading `#` optional), as Kick takes a reward's colour. */
export function parseColour(raw: string): string {
  const value = raw.trim().replace(/^#?/, '#');
  if (!/^#[0-9a-fA-F]{6}$/.test(value)) throw new UserFacingError(`"${raw}" is not a colour: give six hex digits, e.g. \`#00e701\`.`);
  return value.toLowerCase();
}

/** One line about a reward: title, cost and how it behaves. */
export function describeReward(r: KickReward): string {
  const state = !r.isEnabled ? '⛔ disabled' : r.isPaused ? '⏸️ paused' : '✅ on';
  const extras = [r.isUserInputRequired ? 'asks for input' : null, r.shouldRedemptionsSkipRequestQueue ? 'skips the request queue' : null].filter(Boolean).join(', ');
  return `**${r.title}** — ${formatPoints(r.cost)} channel points · ${state}${extras ? ` · ${extras}` : ''}`;
}

/** The reward a moderator picked (autocomplete gives the id; a typed title is matched case-insensitively). */
export function pickReward(rewards: readonly KickReward[], typed: string): KickReward {
  const wanted = typed.trim();
  const reward = rewards.find((r) => r.id === wanted) ?? rewards.find((r) => r.title.toLowerCase() === wanted.toLowerCase());
  if (!reward) throw new UserFacingError(`The channel has no reward "${wanted.slice(0, 60)}". See \`/rewards list\`.`);
  return reward;
}

/** The reward fields given as options (absent ones left out). */
function changesFrom(interaction: ChatInputCommandInteraction<'cached'>): KickRewardChanges {
  const o = interaction.options;
  const changes: KickRewardChanges = {};
  const title = o.getString('title');
  if (title !== null) changes.title = title.trim();
  const cost = o.getInteger('cost');
  if (cost !== null) changes.cost = cost;
  const description = o.getString('description');
  if (description !== null) changes.description = description.trim();
  const colour = o.getString('colour');
  if (colour !== null) changes.backgroundColor = parseColour(colour);
  const input = o.getBoolean('user-input');
  if (input !== null) changes.isUserInputRequired = input;
  const skip = o.getBoolean('skip-queue');
  if (skip !== null) changes.shouldRedemptionsSkipRequestQueue = skip;
  const enabled = o.getBoolean('enabled');
  if (enabled !== null) changes.isEnabled = enabled;
  return changes;
}

export async function list(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const { client } = await rewardsClient(ctx, interaction.guildId, REWARDS_READ_SCOPE, '`/rewards list`');
  const rewards = await callKick('listing the rewards', () => client.listRewards());
  const actions = await ctx.prisma.channelRewardAction.findMany({ where: { guildId: interaction.guildId } });
  const byReward = new Map(actions.map((a) => [a.rewardId, a]));
  const lines = rewards.map((r) => {
    const action = byReward.get(r.id);
    return `${describeReward(r)}\n  ↳ ${action ? describeActions(action) : NO_ACTIONS}`;
  });
  const embed = new EmbedBuilder()
    .setTitle('🎁 Kick channel rewards')
    .setDescription((lines.length > 0 ? lines.join('\n') : 'The channel has no rewards yet: `/rewards create`.').slice(0, 4000))
    .setColor(0x53fc18);
  await interaction.editReply({ embeds: [embed], allowedMentions: { parse: [] } });
}

export async function create(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const changes = changesFrom(interaction);
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const { client } = await rewardsClient(ctx, interaction.guildId, REWARDS_WRITE_SCOPE, '`/rewards create`');
  const reward = await callKick('the new reward', () => client.createReward({ ...changes, title: changes.title ?? '', cost: changes.cost ?? 0 }));
  await ctx.prisma.channelRewardAction.upsert({
    where: { guildId_rewardId: { guildId: interaction.guildId, rewardId: reward.id } },
    create: { guildId: interaction.guildId, rewardId: reward.id, title: reward.title, updatedByDiscordId: interaction.user.id },
    update: { title: reward.title },
  });
  await interaction.editReply(`Created on Kick: ${describeReward(reward)}\nChoose what kickcord does when it is redeemed with \`/rewards actions\`.`);
}

export async function edit(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const changes = changesFrom(interaction);
  if (Object.keys(changes).length === 0) throw new UserFacingError('Give at least one thing to change (title, cost, description, colour, user-input, skip-queue or enabled).');
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const { client } = await rewardsClient(ctx, interaction.guildId, REWARDS_WRITE_SCOPE, '`/rewards edit`');
  const target = pickReward(await callKick('listing the rewards', () => client.listRewards()), interaction.options.getString('reward', true));
  const reward = await callKick(`the change to "${target.title}"`, () => client.updateReward(target.id, changes));
  await ctx.prisma.channelRewardAction.updateMany({ where: { guildId: interaction.guildId, rewardId: reward.id }, data: { title: reward.title } });
  await interaction.editReply(`Changed on Kick: ${describeReward(reward)}`);
}

export async function remove(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const { client } = await rewardsClient(ctx, interaction.guildId, REWARDS_WRITE_SCOPE, '`/rewards delete`');
  const target = pickReward(await callKick('listing the rewards', () => client.listRewards()), interaction.options.getString('reward', true));
  await callKick(`deleting "${target.title}"`, () => client.deleteReward(target.id));
  await ctx.prisma.channelRewardAction.deleteMany({ where: { guildId: interaction.guildId, rewardId: target.id } });
  await interaction.editReply(`Deleted **${target.title}** on Kick, with its kickcord actions. Redemptions already made keep their messages.`);
}

export async function pause(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const paused = interaction.options.getBoolean('paused') ?? true;
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const { client } = await rewardsClient(ctx, interaction.guildId, REWARDS_WRITE_SCOPE, '`/rewards pause`');
  const target = pickReward(await callKick('listing the rewards', () => client.listRewards()), interaction.options.getString('reward', true));
  const reward = await callKick(`${paused ? 'pausing' : 'resuming'} "${target.title}"`, () => client.updateReward(target.id, { isPaused: paused }));
  await interaction.editReply(`${paused ? '⏸️ Paused' : '▶️ Resumed'} on Kick: ${describeReward(reward)}`);
}
