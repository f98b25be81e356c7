import { formatPointsAmount } from '@kickcord/core';
import { createHash } from 'node:crypto';
import type { ShopItem, ShopRedemption } from '@kickcord/db';
import { ActionRowBuilder, ButtonBuilder, ButtonStyle, EmbedBuilder, Routes, type APIMessage, type RESTPostAPIChannelMessageJSONBody } from 'discord.js';
import type { BotContext } from '../../context.ts';

/** Custom id prefix of every shop button and select menu. */
export const SHOP_COMPONENT_PREFIX = 'shop';

/** Custom ids of the redemption queue's buttons. */
export const queueButtonIds = {
  fulfil: (redemptionId: string) => `${SHOP_COMPONENT_PREFIX}:fulfil:${redemptionId}`,
  refund: (redemptionId: string) => `${SHOP_COMPONENT_PREFIX}:refund:${redemptionId}`,
};

/** Discord's nonce (≤ 25 chars) for one queue post, so a retried post is answered with the message already made. */
function queueNonce(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 25);
}

/**
 * The redemption queue's message for one purchase: what was bought, by whom (Kick name, and the Discord
 * mention of a linked viewer), the viewer's input (shown only here, never in Kick chat), and — while it
 * waits — Fulfil and Refund buttons; once decided, who decided.
 */
export function queueMessage(redemption: ShopRedemption, item: Pick<ShopItem, 'name' | 'inputPrompt'>): { embeds: ReturnType<EmbedBuilder['toJSON']>[]; components: ReturnType<ActionRowBuilder<ButtonBuilder>['toJSON']>[] } {
  const who = `**${redemption.username}** on Kick${redemption.discordUserId ? ` · <@${redemption.discordUserId}>` : ''}`;
  const status =
    redemption.status === 'pending'
      ? '⏳ Waiting for a moderator'
      : redemption.status === 'fulfilled'
        ? `✅ Fulfilled${redemption.decidedByDiscordId ? ` by <@${redemption.decidedByDiscordId}>` : ''}`
        : `↩️ Refunded${redemption.decidedByDiscordId ? ` by <@${redemption.decidedByDiscordId}>` : ''} — ${formatPointsAmount(redemption.price)} returned`;
  const embed = new EmbedBuilder()
    .setTitle(`🛒 ${item.name}`)
    .setDescription(`${who}\nPaid ${formatPointsAmount(redemption.price)}\n${status}`)
    .setColor(redemption.status === 'pending' ? 0xf5a623 : redemption.status === 'fulfilled' ? 0x53fc18 : 0x9b9b9b)
    .setFooter({ text: `Redemption ${redemption.id.slice(0, 8)}` })
    .setTimestamp(redemption.createdAt);
  if (redemption.input) embed.addFields({ name: item.inputPrompt ? item.inputPrompt.slice(0, 256) : 'Viewer input', value: redemption.input.slice(0, 1024) });
  const components =
    redemption.status === 'pending'
      ? [
          new ActionRowBuilder<ButtonBuilder>()
            .addComponents(
              new ButtonBuilder().setCustomId(queueButtonIds.fulfil(redemption.id)).setLabel('Fulfil').setStyle(ButtonStyle.Success),
              new ButtonBuilder().setCustomId(queueButtonIds.refund(redemption.id)).setLabel('Refund').setStyle(ButtonStyle.Danger),
            )
            .toJSON(),
        ]
      : [];
  return { embeds: [embed.toJSON()], components };
}

/** Posts a message into the guild's redemption queue channel over REST (any worker can), deduplicated by `key`. */
async function postToQueue(ctx: BotContext, channelId: string, key: string, body: RESTPostAPIChannelMessageJSONBody): Promise<APIMessage> {
  return (await ctx.discordRest.post(Routes.channelMessages(channelId), { body: { ...body, allowed_mentions: { parse: [] }, nonce: queueNonce(key), enforce_nonce: true } })) as APIMessage;
}

/**
 * Puts a pending purchase into the guild's redemption queue channel, once: the message id is stored, and a retry
 * after a crash re-posts with the same nonce, which Discord answers with the message it already made. Without a
 * queue channel (or when Discord refuses) the purchase still waits in the database; the failure is logged.
 */
export async function postRedemptionToQueue(ctx: BotContext, redemption: ShopRedemption, item: ShopItem): Promise<boolean> {
  if (redemption.queueMessageId) return true;
  const settings = await ctx.prisma.guildSettings.findUnique({ where: { guildId: redemption.guildId }, select: { shopQueueChannelId: true } });
  const channelId = settings?.shopQueueChannelId;
  if (!channelId) {
    ctx.logger.warn({ guildId: redemption.guildId, redemptionId: redemption.id }, 'shop purchase waits without a redemption queue channel (/shop settings)');
    return false;
  }
  try {
    const message = await postToQueue(ctx, channelId, `shop-queue:${redemption.id}`, queueMessage(redemption, item));
    await ctx.prisma.shopRedemption.updateMany({ where: { id: redemption.id, queueMessageId: null }, data: { queueMessageId: message.id } });
    return true;
  } catch (error) {
    ctx.logger.warn({ err: error, guildId: redemption.guildId, redemptionId: redemption.id, channelId }, 'could not post a shop purchase to the redemption queue');
    return false;
  }
}

/** Tells moderators in the queue channel (when there is one) that a purchase could not be delivered and was refunded. */
export async function noticeFailedDelivery(ctx: BotContext, redemption: ShopRedemption, item: ShopItem, reason: string): Promise<void> {
  const settings = await ctx.prisma.guildSettings.findUnique({ where: { guildId: redemption.guildId }, select: { shopQueueChannelId: true } });
  if (!settings?.shopQueueChannelId) return;
  const content = `⚠️ Could not deliver **${item.name}** to **${redemption.username}**${redemption.discordUserId ? ` (<@${redemption.discordUserId}>)` : ''}: ${reason} They got their ${formatPointsAmount(redemption.price)} back.`;
  await postToQueue(ctx, settings.shopQueueChannelId, `shop-failed:${redemption.id}`, { content: content.slice(0, 2000) }).catch((error: unknown) =>
    ctx.logger.warn({ err: error, guildId: redemption.guildId, redemptionId: redemption.id }, 'could not post a shop delivery failure to the redemption queue'),
  );
}

/**
 * Posts the guild's pending purchases that have no queue message yet (bought while no queue channel was set, or
 * when Discord refused the post) into the queue channel; returns how many were posted.
 */
export async function postWaitingRedemptions(ctx: BotContext, guildId: string): Promise<number> {
  const waiting = await ctx.prisma.shopRedemption.findMany({ where: { guildId, status: 'pending', queueMessageId: null, item: { kind: 'reward' } }, include: { item: true }, orderBy: { createdAt: 'asc' }, take: 100 });
  let posted = 0;
  for (const { item, ...redemption } of waiting) if (await postRedemptionToQueue(ctx, redemption, item)) posted++;
  return posted;
}

/**
 * Shows a decision made outside Discord (the web dashboard) on the purchase's queue message: who decided, and no
 * more buttons. A queue message that is gone, or a channel the bot lost, is left as it is (logged).
 */
export async function updateQueueMessage(ctx: BotContext, redemption: ShopRedemption, item: Pick<ShopItem, 'name' | 'inputPrompt'>): Promise<void> {
  if (!redemption.queueMessageId) return;
  const settings = await ctx.prisma.guildSettings.findUnique({ where: { guildId: redemption.guildId }, select: { shopQueueChannelId: true } });
  if (!settings?.shopQueueChannelId) return;
  try {
    await ctx.discordRest.patch(Routes.channelMessage(settings.shopQueueChannelId, redemption.queueMessageId), { body: { ...queueMessage(redemption, item), allowed_mentions: { parse: [] } } });
  } catch (error) {
    ctx.logger.warn({ err: error, guildId: redemption.guildId, redemptionId: redemption.id }, 'could not update a shop purchase in the redemption queue');
  }
}
