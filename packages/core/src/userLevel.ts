/**
 * Viewer permission levels derived from Kick chat badges.
 *
 * Kick sends `sender.identity.badges: [{ text, type, count? }]` with chat messages. Badge types seen:
 * `broadcaster`, `moderator`, `vip`, `og`, `founder`, `subscriber`, `sub_gifter`, `verified`.
 */

/** All user levels, lowest first. The order is the permission order used by {@link meetsLevel}. */
export const USER_LEVELS = ['everyone', 'subscriber', 'vip', 'moderator', 'broadcaster'] as const;

/** A viewer's permission level; ordered `everyone < subscriber < vip < moderator < broadcaster`. */
export type UserLevel = (typeof USER_LEVELS)[number];

/**
 * One Kick chat badge as sent in `identity.badges` (only `type` is used). The optional fields accept an
 * explicit `undefined`, as a badge parsed by the webhook schemas types them.
 */
export interface ChatBadge {
  readonly type: string;
  readonly text?: string | undefined;
  readonly count?: number | undefined;
}

const BADGE_LEVELS: Readonly<Record<string, UserLevel>> = {
  broadcaster: 'broadcaster',
  moderator: 'moderator',
  vip: 'vip',
  subscriber: 'subscriber',
  founder: 'subscriber',
};

/** True if `value` is one of {@link USER_LEVELS} (e.g. to validate a stored or user-supplied level). */
export function isUserLevel(value: string): value is UserLevel {
  return (USER_LEVELS as readonly string[]).includes(value);
}

/** The numeric rank of a level: `everyone` = 0 … `broadcaster` = 4. */
export function userLevelRank(level: UserLevel): number {
  return USER_LEVELS.indexOf(level);
}

/**
 * The highest level a chat sender holds according to their badges.
 *
 * `subscriber` and `founder` badges give `subscriber`; `vip`, `moderator` and `broadcaster` give their own
 * level; other badges (`og`, `sub_gifter`, `verified`, unknown ones) give nothing. Badge types compare
 * case-insensitively. `isBroadcaster` (sender id equals the channel's broadcaster id) always wins, because
 * it does not depend on Kick sending a badge.
 */
export function userLevelFromBadges(
  badges: readonly ChatBadge[] | null | undefined,
  options: { readonly isBroadcaster?: boolean } = {},
): UserLevel {
  if (options.isBroadcaster) return 'broadcaster';
  let best: UserLevel = 'everyone';
  for (const badge of badges ?? []) {
    const level = BADGE_LEVELS[String(badge.type).toLowerCase()];
    if (level !== undefined && userLevelRank(level) > userLevelRank(best)) best = level;
  }
  return best;
}

/** True if a viewer with level `actual` may use something that requires `required`. */
export function meetsLevel(actual: UserLevel, required: UserLevel): boolean {
  return userLevelRank(actual) >= userLevelRank(required);
}

/**
 * True if the badges show a current subscription (`subscriber` or `founder` badge).
 * Unlike {@link userLevelFromBadges}, a moderator or VIP who also subscribes is still a subscriber here
 * (used for the loyalty multiplier and raffle luck).
 */
export function isSubscriberFromBadges(badges: readonly ChatBadge[] | null | undefined): boolean {
  return (badges ?? []).some((b) => {
    const type = String(b.type).toLowerCase();
    return type === 'subscriber' || type === 'founder';
  });
}
