/**
 * Loyalty point bonuses for Kick channel events (follows, subs, renewals, gifted subs, Kicks).
 */
import { eventKey, followKey } from './ledgerKeys.ts';
import { MAX_INT32 } from './watchtime/loyaltySettings.ts';

/** A guild's event bonus tunables, in points (0 = off). */
export interface EventBonusSettings {
  /** Once ever per viewer per channel. */
  readonly followBonus: number;
  /** A new subscription. */
  readonly subBonus: number;
  /** A renewed subscription (each month). */
  readonly renewalBonus: number;
  /** To the gifter, for each gifted sub. */
  readonly giftBonusPerSub: number;
  /** To the sender, for each Kick gifted. */
  readonly kicksBonusPerUnit: number;
}

/** What a new guild gets: every bonus off. */
export const DEFAULT_EVENT_BONUS_SETTINGS: EventBonusSettings = Object.freeze({
  followBonus: 0,
  subBonus: 0,
  renewalBonus: 0,
  giftBonusPerSub: 0,
  kicksBonusPerUnit: 0,
});

/** Largest single bonus setting. */
export const MAX_EVENT_BONUS = 1_000_000;

/**
 * A Kick user as the bonus rules need it. Pass `null` (or `isAnonymous: true`) for an anonymous user —
 * Kick sends anonymous gifters with null fields.
 */
export interface BonusUser {
  readonly userId: number;
  readonly username: string;
  readonly isAnonymous?: boolean;
}

/**
 * The event facts the bonus rules need — a small plain shape, not Kick's wire payload.
 * `messageId` is the delivery's `Kick-Event-Message-Id`; `broadcasterUserId` is the channel.
 * - `follow` ← `channel.followed` (`follower`)
 * - `sub` ← `channel.subscription.new` (`subscriber`)
 * - `renewal` ← `channel.subscription.renewal` (`subscriber`)
 * - `gift` ← `channel.subscription.gifts` (`gifter`, `gifteeCount` = `giftees.length`)
 * - `kicks` ← `kicks.gifted` (`sender`, `amount` = `gift.amount`)
 */
export type BonusEvent =
  | { readonly kind: 'follow'; readonly messageId: string; readonly broadcasterUserId: number; readonly follower: BonusUser | null }
  | { readonly kind: 'sub'; readonly messageId: string; readonly broadcasterUserId: number; readonly subscriber: BonusUser | null }
  | { readonly kind: 'renewal'; readonly messageId: string; readonly broadcasterUserId: number; readonly subscriber: BonusUser | null }
  | { readonly kind: 'gift'; readonly messageId: string; readonly broadcasterUserId: number; readonly gifter: BonusUser | null; readonly gifteeCount: number }
  | { readonly kind: 'kicks'; readonly messageId: string; readonly broadcasterUserId: number; readonly sender: BonusUser | null; readonly amount: number };

/** One ledger credit produced by {@link bonusForEvent}; `kind` matches the ledger's `LedgerKind`. */
export interface BonusAward {
  readonly kind: 'follow' | 'sub' | 'renewal' | 'gift' | 'kicks';
  readonly kickUserId: number;
  readonly username: string;
  readonly points: number;
  /** Ledger idempotency key (`follow:<broadcaster>:<user>` for follows, `msg:<messageId>` otherwise). */
  readonly key: string;
}

function known(user: BonusUser | null): user is BonusUser {
  return user !== null && user.isAnonymous !== true && Number.isInteger(user.userId) && user.userId > 0;
}

function credit(kind: BonusAward['kind'], user: BonusUser | null, points: number, key: string): BonusAward[] {
  if (!known(user) || !(points > 0)) return [];
  return [{ kind, kickUserId: user.userId, username: user.username, points: Math.min(Math.floor(points), MAX_INT32), key }];
}

function count(n: number): number {
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
}

/**
 * The bonus points an event earns, as ledger credits (empty when the bonus is 0 or the user is anonymous):
 * - follow: `followBonus` to the follower, keyed once ever per viewer per channel ({@link followKey})
 * - sub / renewal: `subBonus` / `renewalBonus` to the subscriber
 * - gift: `giftBonusPerSub × gifteeCount` to the gifter (anonymous gifter → nothing; giftees get nothing here)
 * - kicks: `kicksBonusPerUnit × amount` to the sender
 * Exclusions (bots, the broadcaster) are the caller's business (see `isExcludedViewer`). A single credit is
 * capped at 2,147,483,647.
 */
export function bonusForEvent(event: BonusEvent, settings: EventBonusSettings): BonusAward[] {
  switch (event.kind) {
    case 'follow':
      return known(event.follower)
        ? credit('follow', event.follower, settings.followBonus, followKey(event.broadcasterUserId, event.follower.userId))
        : [];
    case 'sub':
      return credit('sub', event.subscriber, settings.subBonus, eventKey(event.messageId));
    case 'renewal':
      return credit('renewal', event.subscriber, settings.renewalBonus, eventKey(event.messageId));
    case 'gift':
      return credit('gift', event.gifter, settings.giftBonusPerSub * count(event.gifteeCount), eventKey(event.messageId));
    case 'kicks':
      return credit('kicks', event.sender, settings.kicksBonusPerUnit * count(event.amount), eventKey(event.messageId));
  }
}

/**
 * Validates a (partial) event bonus change: each field a whole number from 0 to 1,000,000.
 * Returns every problem as a sentence naming the field.
 */
export function validateEventBonusSettings(patch: Partial<EventBonusSettings>): { ok: true } | { ok: false; errors: string[] } {
  const labels: Record<keyof EventBonusSettings, string> = {
    followBonus: 'Follow bonus',
    subBonus: 'Sub bonus',
    renewalBonus: 'Renewal bonus',
    giftBonusPerSub: 'Gift bonus per sub',
    kicksBonusPerUnit: 'Kicks bonus per Kick',
  };
  const errors: string[] = [];
  for (const key of Object.keys(labels) as (keyof EventBonusSettings)[]) {
    const value = patch[key];
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value < 0 || value > MAX_EVENT_BONUS) {
      errors.push(`${labels[key]} must be a whole number from 0 to ${MAX_EVENT_BONUS.toLocaleString('en-US')} points (got ${String(value)}).`);
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true };
}
