/**
 * The variables templates may use, per context (chat commands and timers; each announcement kind), and the
 * announcement templates a guild gets by default.
 */

/** Variables available in custom chat command responses (and timers). */
export const CHAT_COMMAND_VARIABLES = [
  'user',
  'touser',
  'args',
  'points',
  'watchtime',
  'count',
  'uptime',
  'title',
  'category',
  'random',
] as const;

/**
 * Variables a timer's message may use: a timer posts to the whole chat on a schedule, not in answer to a viewer,
 * so only the channel's stream values (and `{random:…}`) make sense — never `{user}`, `{touser}`, `{args}`,
 * `{points}`, `{watchtime}` or `{count}`.
 */
export const TIMER_VARIABLES = ['uptime', 'title', 'category', 'random'] as const;

/** Announcement kinds; the same names as the database's `AnnouncementEvent` enum. */
export const ANNOUNCEMENT_EVENTS = ['live', 'offline', 'follow', 'sub', 'renewal', 'gift', 'kicks', 'redemption', 'ban'] as const;

/** One announcement kind. */
export type AnnouncementEvent = (typeof ANNOUNCEMENT_EVENTS)[number];

/** How each announcement is named to people (slash command choices, the dashboard, replies). */
export const ANNOUNCEMENT_LABELS: Readonly<Record<AnnouncementEvent, string>> = {
  live: 'Go live',
  offline: 'Stream ended',
  follow: 'New follower',
  sub: 'New subscriber',
  renewal: 'Resubscription',
  gift: 'Gifted subs',
  kicks: 'Kicks gifted',
  redemption: 'Reward redemption',
  ban: 'Ban / timeout (moderator log)',
};

/**
 * The variables each announcement kind can fill. Every kind has `{streamer}`, `{url}` and `{random:…}`.
 * - live: `{title}`, `{category}`, `{viewers}`; offline: `{title}`, `{category}`, `{uptime}`
 * - follow: `{follower}`; sub/renewal: `{subscriber}`, `{months}`; gift: `{gifter}`, `{amount}` (number of subs)
 * - kicks: `{gifter}` (sender), `{amount}` (kicks), `{input}` (their message)
 * - redemption: `{user}` (redeemer), `{reward}`, `{input}` (what they typed)
 * - ban: `{moderator}`, `{banned}`, `{reason}`, `{duration}` (empty → "permanent")
 */
export const ANNOUNCEMENT_VARIABLES_BY_EVENT: Readonly<Record<AnnouncementEvent, readonly string[]>> = {
  live: ['streamer', 'url', 'random', 'title', 'category', 'viewers'],
  offline: ['streamer', 'url', 'random', 'title', 'category', 'uptime'],
  follow: ['streamer', 'url', 'random', 'follower'],
  sub: ['streamer', 'url', 'random', 'subscriber', 'months'],
  renewal: ['streamer', 'url', 'random', 'subscriber', 'months'],
  gift: ['streamer', 'url', 'random', 'gifter', 'amount'],
  kicks: ['streamer', 'url', 'random', 'gifter', 'amount', 'input'],
  redemption: ['streamer', 'url', 'random', 'user', 'reward', 'input'],
  ban: ['streamer', 'url', 'random', 'moderator', 'banned', 'reason', 'duration'],
};

/** Every variable any announcement may use (the union of {@link ANNOUNCEMENT_VARIABLES_BY_EVENT}). */
export const ANNOUNCEMENT_VARIABLES: readonly string[] = [...new Set(Object.values(ANNOUNCEMENT_VARIABLES_BY_EVENT).flat())];

/** Templates used when a guild has not written its own; each compiles against its event's variables. */
export const DEFAULT_ANNOUNCEMENT_TEMPLATES: Readonly<Record<AnnouncementEvent, string>> = {
  live: '🔴 {streamer} is live: **{title}** ({category}) — {url}',
  offline: '{streamer} went offline after {uptime}. Thanks for watching!',
  follow: '💚 {follower} just followed {streamer}!',
  sub: '🎉 {subscriber} subscribed to {streamer}!',
  renewal: '🎉 {subscriber} has been subscribed to {streamer} for {months} months!',
  gift: '🎁 {gifter} gifted {amount} subs to {streamer}\'s community!',
  kicks: '💎 {gifter} sent {amount} Kicks to {streamer}! {input}',
  redemption: '🎟️ {user} redeemed **{reward}** {input}',
  ban: '🔨 {moderator} banned {banned} ({duration}): {reason}',
};
