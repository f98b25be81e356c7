import type { LinkKind } from '@kickcord/db';
import { KICK_EVENT_TYPES, type KickEventType } from '@kickcord/kick';

/** Every Kick event subscription is made at this version. */
export const SUBSCRIPTION_EVENT_VERSION = 1;

/** Events a watch-only guild needs: announcements (live/offline, follows, subs, gifts, kicks). */
export const WATCH_EVENTS: readonly KickEventType[] = [
  'livestream.status.updated',
  'livestream.metadata.updated',
  'channel.followed',
  'channel.subscription.new',
  'channel.subscription.renewal',
  'channel.subscription.gifts',
  'kicks.gifted',
];

/** Events for the owner (connected) guild: everything, including chat, redemptions and bans. */
export const OWNER_EVENTS: readonly KickEventType[] = KICK_EVENT_TYPES;

/** The events a guild link of `kind` needs Kick to deliver. */
export function eventsFor(kind: LinkKind): readonly KickEventType[] {
  return kind === 'owner' ? OWNER_EVENTS : WATCH_EVENTS;
}

/** The union of events needed by a set of link kinds (empty when nobody links the broadcaster). */
export function eventsForKinds(kinds: Iterable<LinkKind>): KickEventType[] {
  const wanted = new Set<KickEventType>();
  for (const kind of kinds) for (const event of eventsFor(kind)) wanted.add(event);
  return KICK_EVENT_TYPES.filter((e) => wanted.has(e));
}
