/** Every webhook event type Kick sends (all currently version `1`). */
export const KICK_EVENT_TYPES = [
  'chat.message.sent',
  'channel.followed',
  'channel.subscription.new',
  'channel.subscription.renewal',
  'channel.subscription.gifts',
  'channel.reward.redemption.updated',
  'livestream.status.updated',
  'livestream.metadata.updated',
  'moderation.banned',
  'kicks.gifted',
] as const;

/** One of {@link KICK_EVENT_TYPES}. */
export type KickEventType = (typeof KICK_EVENT_TYPES)[number];

const EVENT_TYPE_SET: ReadonlySet<string> = new Set(KICK_EVENT_TYPES);

/** Narrows an arbitrary string (e.g. the `Kick-Event-Type` header) to a known event type. */
export function isKickEventType(type: string): type is KickEventType {
  return EVENT_TYPE_SET.has(type);
}
