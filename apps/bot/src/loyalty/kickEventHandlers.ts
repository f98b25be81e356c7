/**
 * Loyalty's reactions to Kick events: stream sessions (every linked channel) and event bonuses
 * (owner guild only). Both are idempotent on the Kick message id.
 */
import { bonusForEvent, isExcludedViewer, type BonusEvent, type BonusUser } from '@kickcord/core';
import { appendLedgerEntries } from '@kickcord/db';
import type { KickUser } from '@kickcord/kick';
import type { BotContext } from '../context.ts';
import type { KickEventHandler } from '../kickEvents/KickEventHandler.ts';
import { eventBonusSettingsOf, guildSettings } from './settings.ts';
import { applyLiveStatus, applyStreamMetadata } from './streamSessions.ts';

function parseTime(value: string | null | undefined): Date | null {
  if (!value) return null;
  const d = new Date(value);
  return Number.isFinite(d.getTime()) && d.getUTCFullYear() > 1970 ? d : null;
}

/** Kick's go-live event carries no category: look it up once (best effort; the live-status poll also fills it). */
async function fillCategory(ctx: BotContext, broadcasterUserId: number, sessionId: string): Promise<void> {
  try {
    const [channel] = await ctx.kickApp.getChannels({ broadcasterUserIds: [broadcasterUserId] });
    const categoryName = channel?.category?.name;
    if (!categoryName) return;
    await ctx.prisma.streamSession.updateMany({ where: { id: sessionId, categoryName: null }, data: { categoryName } });
    await ctx.prisma.kickChannel.updateMany({ where: { broadcasterUserId }, data: { categoryName } });
  } catch (error) {
    ctx.logger.debug({ err: error, broadcasterUserId }, 'could not look up the new stream category');
  }
}

/** Opens/closes stream sessions and keeps their title and category. */
export const streamSessionHandler: KickEventHandler = {
  name: 'stream-sessions',
  types: ['livestream.status.updated', 'livestream.metadata.updated'],
  async handle(ctx, { event, job, broadcasterUserId }) {
    const observedAt = parseTime(job.messageTimestamp) ?? ctx.now();
    if (event.type === 'livestream.status.updated') {
      const p = event.payload;
      const outcome = await applyLiveStatus(ctx.prisma, {
        broadcasterUserId,
        isLive: p.is_live,
        startedAt: parseTime(p.started_at),
        endedAt: parseTime(p.ended_at),
        title: p.title || null,
        observedAt,
        source: 'webhook',
      });
      ctx.logger.info({ broadcasterUserId, messageId: job.messageId, ...outcome }, 'live status event');
      if (outcome.action === 'opened') await fillCategory(ctx, broadcasterUserId, outcome.sessionId);
    } else if (event.type === 'livestream.metadata.updated') {
      const m = event.payload.metadata;
      await applyStreamMetadata(ctx.prisma, { broadcasterUserId, title: m.title || null, categoryName: m.category?.name ?? null, observedAt });
    }
  },
};

function bonusUser(user: KickUser | null | undefined): BonusUser | null {
  if (!user || user.user_id === null || user.username === null) return null;
  return { userId: user.user_id, username: user.username, isAnonymous: user.is_anonymous };
}

/** Credits the guild's event bonuses (follow, sub, renewal, gifted subs, Kicks) in the owner guild. */
export const loyaltyBonusHandler: KickEventHandler = {
  name: 'loyalty-bonuses',
  types: ['channel.followed', 'channel.subscription.new', 'channel.subscription.renewal', 'channel.subscription.gifts', 'kicks.gifted'],
  async handle(ctx, { event, job, broadcasterUserId, owner }) {
    if (!owner) return;
    const base = { messageId: job.messageId, broadcasterUserId };
    let bonusEvent: BonusEvent;
    switch (event.type) {
      case 'channel.followed':
        bonusEvent = { ...base, kind: 'follow', follower: bonusUser(event.payload.follower) };
        break;
      case 'channel.subscription.new':
        bonusEvent = { ...base, kind: 'sub', subscriber: bonusUser(event.payload.subscriber) };
        break;
      case 'channel.subscription.renewal':
        bonusEvent = { ...base, kind: 'renewal', subscriber: bonusUser(event.payload.subscriber) };
        break;
      case 'channel.subscription.gifts':
        bonusEvent = { ...base, kind: 'gift', gifter: bonusUser(event.payload.gifter), gifteeCount: event.payload.giftees.length };
        break;
      case 'kicks.gifted':
        bonusEvent = { ...base, kind: 'kicks', sender: bonusUser(event.payload.sender), amount: event.payload.gift.amount };
        break;
      default:
        return;
    }
    const settings = await guildSettings(ctx.prisma, owner.guildId);
    const awards = bonusForEvent(bonusEvent, eventBonusSettingsOf(settings)).filter(
      (a) => !isExcludedViewer({ username: a.username, userId: a.kickUserId, broadcasterUserId, excluded: settings.excludedUsernames }),
    );
    if (awards.length === 0) return;
    const result = await appendLedgerEntries(
      ctx.prisma,
      awards.map((a) => ({ guildId: owner.guildId, kickUserId: a.kickUserId, username: a.username, kind: a.kind, points: a.points, idempotencyKey: a.key, reason: `${a.kind} bonus` })),
    );
    ctx.logger.debug({ guildId: owner.guildId, messageId: job.messageId, ...result }, 'event bonus');
  },
};

/** Loyalty's Kick event handlers, in order. */
export const loyaltyKickEventHandlers: KickEventHandler[] = [streamSessionHandler, loyaltyBonusHandler];
