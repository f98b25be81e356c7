/**
 * Event bonuses: points for following, subscribing, renewing, gifting subs and gifting Kicks, credited in
 * the owner guild. Idempotent on the Kick message id (ledger keys).
 */
import { bonusForEvent, isExcludedViewer, type BonusEvent, type BonusUser, type EventBonusSettings } from '@kickcord/core';
import { appendLedgerEntries, type GuildSettings } from '@kickcord/db';
import type { KickUser } from '@kickcord/kick';
import { guildSettings } from '../../guildSettings.ts';
import type { KickEventHandler } from '../../kickEvents/KickEventHandler.ts';

/** The event bonus tunables of a settings row. */
export function eventBonusSettingsOf(s: GuildSettings): EventBonusSettings {
  return {
    followBonus: s.followBonus,
    subBonus: s.subBonus,
    renewalBonus: s.renewalBonus,
    giftBonusPerSub: s.giftBonusPerSub,
    kicksBonusPerUnit: s.kicksBonusPerUnit,
  };
}

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
