import { formatDuration, streamDurationMinutes, type TemplateValues } from '@kickcord/core';
import type { KickEvent } from '@kickcord/kick';
import type { AnnouncementEvent } from '@kickcord/db';

/** What an announcement needs from a Kick event: its kind and the template values. */
export interface AnnouncementFacts {
  kind: AnnouncementEvent;
  values: TemplateValues;
  /** For go-live: extra embed fields. */
  live?: { title: string; slug: string; startedAt: string | null };
}

function minutesBetween(from: string | null | undefined, to: string | null | undefined): number | undefined {
  if (!from || !to) return undefined;
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isFinite(ms) && ms >= 0 ? Math.round(ms / 60_000) : undefined;
}

/** `{uptime}` of an offline announcement whose start time is missing or not believable. */
export const UNKNOWN_STREAM_LENGTH = 'a while';

/**
 * Maps a Kick event to the announcement it produces, or undefined when it announces nothing
 * (chat messages, metadata updates, redemption status changes after "pending").
 */
export function describeEvent(event: KickEvent): AnnouncementFacts | undefined {
  const streamer = event.payload.broadcaster.username;
  const slug = event.payload.broadcaster.channel_slug ?? streamer.toLowerCase();
  const base = { streamer, url: `https://kick.com/${slug}` };
  switch (event.type) {
    case 'livestream.status.updated': {
      const p = event.payload;
      if (p.is_live) return { kind: 'live', values: { ...base, title: p.title || 'Live now', category: '', viewers: '' }, live: { title: p.title, slug, startedAt: p.started_at } };
      // A zero, epoch or otherwise implausible start (Kick sends zero times) would read "went offline after 16885h".
      const ran = streamDurationMinutes(p.started_at, p.ended_at);
      return { kind: 'offline', values: { ...base, title: p.title, category: '', uptime: ran === undefined ? UNKNOWN_STREAM_LENGTH : formatDuration(ran) } };
    }
    case 'channel.followed':
      return { kind: 'follow', values: { ...base, follower: event.payload.follower.username } };
    case 'channel.subscription.new':
      return { kind: 'sub', values: { ...base, subscriber: event.payload.subscriber.username, months: event.payload.duration } };
    case 'channel.subscription.renewal':
      return { kind: 'renewal', values: { ...base, subscriber: event.payload.subscriber.username, months: event.payload.duration } };
    case 'channel.subscription.gifts': {
      const gifter = event.payload.gifter.is_anonymous || !event.payload.gifter.username ? 'An anonymous gifter' : event.payload.gifter.username;
      return { kind: 'gift', values: { ...base, gifter, amount: event.payload.giftees.length } };
    }
    case 'kicks.gifted':
      return { kind: 'kicks', values: { ...base, gifter: event.payload.sender.username, amount: event.payload.gift.amount, input: event.payload.gift.message ?? '' } };
    case 'channel.reward.redemption.updated':
      if (event.payload.status !== 'pending') return undefined;
      return { kind: 'redemption', values: { ...base, user: event.payload.redeemer.username, reward: event.payload.reward.title, input: event.payload.user_input } };
    case 'moderation.banned': {
      const m = event.payload.metadata;
      const minutes = minutesBetween(m.created_at, m.expires_at);
      return {
        kind: 'ban',
        values: { ...base, moderator: event.payload.moderator.username, banned: event.payload.banned_user.username, reason: m.reason || 'no reason given', duration: minutes === undefined ? 'permanent' : `timeout ${formatDuration(minutes)}` },
      };
    }
    default:
      return undefined;
  }
}
