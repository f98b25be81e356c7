/**
 * Which reward roles a linked viewer should hold in a guild — pure rules, no I/O. The subscriber role while a
 * Kick subscription is active, the watchtime and points tiers reached (all of them, or the highest of each
 * ladder), and the role of each configured Kick chat badge the viewer carries.
 */

/** How long after a subscription's `expires_at` the subscriber role stays: Kick's renewal events can arrive late. */
export const SUBSCRIPTION_GRACE_MS = 60 * 60_000;

/** Kick chat badge types a moderator can give a role for. */
export const REWARD_BADGES = ['vip', 'moderator', 'og', 'founder', 'sub_gifter', 'verified'] as const;
export type RewardBadge = (typeof REWARD_BADGES)[number];

export interface TierReward {
  kind: 'watchtime' | 'points';
  /** Active minutes (watchtime) or points. */
  threshold: number;
  roleId: string;
}

/** A guild's role rewards, as configured with `/role-rewards`. */
export interface RoleRewardConfig {
  guildId: string;
  subscriberRoleId: string | null;
  tierMode: 'highest' | 'stack';
  tiers: readonly TierReward[];
  badges: readonly { badge: string; roleId: string }[];
  modLogChannelId: string | null;
}

/** What kickcord knows about one viewer in the guild. */
export interface ViewerFacts {
  activeMinutes: number;
  points: number;
  /** The latest known expiry of their Kick subscription, or null when none is known. */
  subscriptionExpiresAt: Date | null;
  /** The configured badge types their latest chat message carried; null when no message has been seen. */
  badges: readonly string[] | null;
}

/** One role a viewer should hold, and why (for the audit log and the mod-log). */
export interface WantedRole {
  roleId: string;
  why: string;
}

/** Every role the guild's rewards give (the roles kickcord manages for linked viewers). */
export function rewardRoleIds(config: RoleRewardConfig): Set<string> {
  const ids = new Set<string>();
  if (config.subscriberRoleId) ids.add(config.subscriberRoleId);
  for (const t of config.tiers) ids.add(t.roleId);
  for (const b of config.badges) ids.add(b.roleId);
  return ids;
}

/** Whether the config gives any role at all. */
export function hasRewards(config: RoleRewardConfig): boolean {
  return rewardRoleIds(config).size > 0;
}

/** A threshold as moderators set it: hours for watchtime, points for points. */
export function describeTier(tier: Pick<TierReward, 'kind' | 'threshold'>): string {
  if (tier.kind === 'points') return `${tier.threshold.toLocaleString('en-US')} points`;
  const hours = tier.threshold / 60;
  return `${Number.isInteger(hours) ? hours : hours.toFixed(1)} h watchtime`;
}

/** Whether a subscription known to expire at `expiresAt` still counts at `now`. */
export function subscriptionActive(expiresAt: Date | null, now: Date): boolean {
  return expiresAt !== null && expiresAt.getTime() + SUBSCRIPTION_GRACE_MS > now.getTime();
}

/**
 * The roles a linked viewer should hold, with the reason for each (a role wanted for several reasons is listed
 * once, with the first). Badge roles are only decided when the viewer's badges are known (`badges` not null);
 * {@link undecidedRoleIds} lists the roles left as they are.
 */
export function desiredRoles(config: RoleRewardConfig, viewer: ViewerFacts, now: Date): WantedRole[] {
  const wanted = new Map<string, string>();
  const want = (roleId: string, why: string) => {
    if (!wanted.has(roleId)) wanted.set(roleId, why);
  };
  if (config.subscriberRoleId && subscriptionActive(viewer.subscriptionExpiresAt, now)) {
    want(config.subscriberRoleId, `Kick subscriber (until ${(viewer.subscriptionExpiresAt as Date).toISOString().slice(0, 10)})`);
  }
  for (const kind of ['watchtime', 'points'] as const) {
    const value = kind === 'watchtime' ? viewer.activeMinutes : viewer.points;
    const reached = config.tiers.filter((t) => t.kind === kind && value >= t.threshold).sort((a, b) => b.threshold - a.threshold);
    for (const tier of config.tierMode === 'stack' ? reached : reached.slice(0, 1)) want(tier.roleId, `reached ${describeTier(tier)}`);
  }
  if (viewer.badges) {
    for (const b of config.badges) if (viewer.badges.includes(b.badge)) want(b.roleId, `Kick ${b.badge} badge`);
  }
  return [...wanted].map(([roleId, why]) => ({ roleId, why }));
}

/** Badge roles kickcord leaves as they are for this viewer (their badges are unknown), unless wanted for another reason. */
export function undecidedRoleIds(config: RoleRewardConfig, viewer: ViewerFacts): Set<string> {
  return new Set(viewer.badges ? [] : config.badges.map((b) => b.roleId));
}

/** The configured badge types among a chat sender's badges, sorted and joined (what the chat path compares). */
export function badgeSignature(configured: readonly string[], badges: readonly { type: string }[]): string {
  const types = new Set(badges.map((b) => String(b.type).toLowerCase()));
  return configured.filter((b) => types.has(b)).sort().join(',');
}

/** The badge types of a stored signature. */
export function parseBadgeSignature(signature: string): string[] {
  return signature === '' ? [] : signature.split(',');
}

/** Why a reward role is taken from a viewer (for the audit log and the mod-log). */
export function removalReason(config: RoleRewardConfig, roleId: string, viewer: ViewerFacts): string {
  if (roleId === config.subscriberRoleId) return viewer.subscriptionExpiresAt ? 'Kick subscription ended' : 'no active Kick subscription';
  const tier = config.tiers.find((t) => t.roleId === roleId);
  if (tier) {
    const value = tier.kind === 'watchtime' ? viewer.activeMinutes : viewer.points;
    return value >= tier.threshold ? 'a higher tier replaces it' : `below ${describeTier(tier)}`;
  }
  const badge = config.badges.find((b) => b.roleId === roleId);
  if (badge) return `no Kick ${badge.badge} badge`;
  return 'no longer a role reward';
}
