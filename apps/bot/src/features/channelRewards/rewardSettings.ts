/** `/rewards actions|channel|queue`: what kickcord does per reward, where redemptions wait, and the reward queue. */
import type { ChannelRewardAction } from '@kickcord/db';
import { EmbedBuilder, MessageFlags, time, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../../context.ts';
import { forgetGuildSettings } from '../../guildSettings.ts';
import { UserFacingError } from '../../UserFacingError.ts';
import { diagnoseRoles } from '../../discord/memberRoles.ts';
import { callKick, REWARDS_READ_SCOPE, rewardsClient } from './kickRewards.ts';
import { pickReward } from './manageRewards.ts';
import { DEFAULT_POST_MESSAGE, describeActions, POST_VARIABLES, unknownPostVariables } from './rewardActions.ts';

/** Most points one redemption may pay. */
export const MAX_REWARD_POINTS = 1_000_000;
/** Queue entries one `/rewards queue` shows. */
const QUEUE_PAGE = 20;

export async function actions(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const o = interaction.options;
  const guildId = interaction.guildId;
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const { client } = await rewardsClient(ctx, guildId, REWARDS_READ_SCOPE, '`/rewards actions`');
  const reward = pickReward(await callKick('listing the rewards', () => client.listRewards()), o.getString('reward', true));

  const data: Partial<Omit<ChannelRewardAction, 'guildId' | 'rewardId' | 'updatedAt'>> = {};
  if (o.getBoolean('clear')) Object.assign(data, { points: 0, roleId: null, postChannelId: null, postMessage: null, addToQueue: false, autoAccept: false, autoReject: false });
  const points = o.getInteger('points');
  if (points !== null) data.points = points;
  const role = o.getRole('role');
  if (role) {
    const problem = (await diagnoseRoles(ctx.discordRest, guildId, [role.id])).get(role.id);
    if (problem) throw new UserFacingError(problem.text);
    data.roleId = role.id;
  }
  const channel = o.getChannel('post-channel');
  if (channel) data.postChannelId = channel.id;
  const message = o.getString('post-message');
  if (message !== null) {
    const unknown = unknownPostVariables(message);
    if (unknown.length > 0) throw new UserFacingError(`The post message uses ${unknown.map((n) => `{${n}}`).join(', ')}; it may use ${POST_VARIABLES.map((n) => `{${n}}`).join(' ')}.`);
    data.postMessage = message.trim() === '-' ? null : message.trim();
  }
  const queue = o.getBoolean('queue');
  if (queue !== null) data.addToQueue = queue;
  const autoAccept = o.getBoolean('auto-accept');
  if (autoAccept !== null) data.autoAccept = autoAccept;
  const autoReject = o.getBoolean('auto-reject');
  if (autoReject !== null) data.autoReject = autoReject;

  const where = { guildId_rewardId: { guildId, rewardId: reward.id } };
  const saved =
    Object.keys(data).length === 0
      ? await ctx.prisma.channelRewardAction.findUnique({ where })
      : await ctx.prisma.channelRewardAction.upsert({
          where,
          create: { guildId, rewardId: reward.id, title: reward.title, updatedByDiscordId: interaction.user.id, ...data },
          update: { title: reward.title, updatedByDiscordId: interaction.user.id, ...data },
        });
  const settings = await ctx.prisma.guildSettings.findUnique({ where: { guildId }, select: { rewardsChannelId: true } });
  const notes = [
    saved?.postChannelId && !saved.postMessage ? `Posts read: \`${DEFAULT_POST_MESSAGE}\` (change it with post-message).` : null,
    settings?.rewardsChannelId ? null : 'Redemptions are not shown in Discord yet: choose a channel with `/rewards channel`.',
    saved?.autoAccept || saved?.autoReject ? 'Kick lets an app accept or reject only the rewards it created: make rewards with `/rewards create` for auto decisions.' : null,
  ].filter(Boolean);
  await interaction.editReply({
    content: [`**${reward.title}**: ${saved ? describeActions(saved) : 'no actions yet — pass points, role, post-channel, queue, auto-accept or auto-reject'}`, ...notes].join('\n'),
    allowedMentions: { parse: [] },
  });
}

export async function channel(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const picked = interaction.options.getChannel('channel', true);
  await ctx.prisma.guildSettings.update({ where: { guildId: interaction.guildId }, data: { rewardsChannelId: picked.id } });
  await forgetGuildSettings(ctx, interaction.guildId);
  await interaction.reply({ content: `Kick reward redemptions will appear in <#${picked.id}> with Accept and Reject buttons.`, flags: MessageFlags.Ephemeral });
}

export async function queue(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const guildId = interaction.guildId;
  const waiting = { guildId, queuedAt: { not: null }, queueDoneAt: null } as const;
  const done = interaction.options.getInteger('done');
  if (done !== null) {
    const entry = await ctx.prisma.channelRewardRedemption.findFirst({ where: waiting, orderBy: [{ queuedAt: 'asc' }, { redeemedAt: 'asc' }], skip: done - 1 });
    if (!entry) throw new UserFacingError(`The reward queue has no entry #${done}. See \`/rewards queue\`.`);
    await ctx.prisma.channelRewardRedemption.updateMany({ where: { guildId, redemptionId: entry.redemptionId, queueDoneAt: null }, data: { queueDoneAt: ctx.now() } });
    await interaction.reply({ content: `Done: #${done} **${entry.rewardTitle}** for **${entry.username}**.`, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
    return;
  }
  const [entries, total] = await Promise.all([
    ctx.prisma.channelRewardRedemption.findMany({ where: waiting, orderBy: [{ queuedAt: 'asc' }, { redeemedAt: 'asc' }], take: QUEUE_PAGE }),
    ctx.prisma.channelRewardRedemption.count({ where: waiting }),
  ]);
  const lines = entries.map((e, i) => `#${i + 1} **${e.rewardTitle}** — ${e.username}${e.userInput ? `: “${e.userInput.slice(0, 100)}”` : ''} · ${time(e.redeemedAt, 'R')}`);
  const embed = new EmbedBuilder()
    .setTitle(`📋 Reward queue (${total})`)
    .setDescription(lines.length > 0 ? `${lines.join('\n')}${total > entries.length ? `\n… and ${total - entries.length} more` : ''}\nMark one done with \`/rewards queue done:<#>\`.`.slice(0, 4000) : 'The reward queue is empty.')
    .setColor(0x53fc18);
  await interaction.reply({ embeds: [embed], flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
}
