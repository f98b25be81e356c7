import type { TemplateValues } from '@kickcord/core';
import type { KickEvent } from '@kickcord/kick';
import { publishOverlayEvent, recordOverlayTally, type OverlayAlert, type OverlayAlertKind, type OverlayEvent, type OverlayTallyKind } from '@kickcord/queue';
import type { BotContext } from '../../context.ts';
import type { KickEventHandler } from '../../kickEvents/KickEventHandler.ts';
import { overlayGuilds } from './overlayKeys.ts';
import { cachedAlertSettings, MAX_ALERT_MESSAGE_LENGTH, renderAlertText, type AlertSetting } from './overlaySettings.ts';

/** Who a gift is from when the gifter chose to stay anonymous. */
export const ANONYMOUS_GIFTER = 'Anonymous';

/** What an alert says about a Kick event, before the guild's template is applied. */
export interface AlertFacts {
  kind: OverlayAlertKind;
  user: string;
  amount?: number;
  message?: string;
  /** The template's values ({user}, {amount}, {message}, {reward}, {streamer}). */
  values: TemplateValues;
}

function limitMessage(text: string | null | undefined): string | undefined {
  const trimmed = (text ?? '').trim();
  if (!trimmed) return undefined;
  return trimmed.length > MAX_ALERT_MESSAGE_LENGTH ? `${trimmed.slice(0, MAX_ALERT_MESSAGE_LENGTH - 1)}…` : trimmed;
}

/**
 * The alert a Kick event makes, or undefined when it makes none: a follow, a new sub, a resub (amount = months), gifted
 * subs (amount = how many; an anonymous gifter is "Anonymous"), Kicks (amount, the sender's message) and a reward
 * redemption while it is pending (the reward's title, what the viewer typed as the message).
 */
export function alertFacts(event: KickEvent): AlertFacts | undefined {
  const streamer = event.payload.broadcaster.username;
  switch (event.type) {
    case 'channel.followed': {
      const user = event.payload.follower.username;
      return { kind: 'follow', user, values: { user, streamer } };
    }
    case 'channel.subscription.new':
    case 'channel.subscription.renewal': {
      const user = event.payload.subscriber.username;
      const amount = event.payload.duration;
      return { kind: event.type === 'channel.subscription.new' ? 'sub' : 'resub', user, amount, values: { user, amount, streamer } };
    }
    case 'channel.subscription.gifts': {
      const g = event.payload.gifter;
      const user = g.is_anonymous || !g.username ? ANONYMOUS_GIFTER : g.username;
      const amount = event.payload.giftees.length;
      return { kind: 'gift', user, amount, values: { user, amount, streamer } };
    }
    case 'kicks.gifted': {
      const user = event.payload.sender.username;
      const amount = event.payload.gift.amount;
      const message = limitMessage(event.payload.gift.message);
      return { kind: 'kicks', user, amount, ...(message ? { message } : {}), values: { user, amount, message: message ?? '', streamer } };
    }
    case 'channel.reward.redemption.updated': {
      if (event.payload.status !== 'pending') return undefined;
      const user = event.payload.redeemer.username;
      const message = limitMessage(event.payload.user_input);
      return { kind: 'redemption', user, ...(message ? { message } : {}), values: { user, reward: event.payload.reward.title, message: message ?? '', streamer } };
    }
    default:
      return undefined;
  }
}

/** The alert as the overlay receives it: `facts` rendered with the guild's setting for its kind. */
export function buildAlert(facts: AlertFacts, setting: AlertSetting, test = false): OverlayAlert {
  return {
    type: 'alert',
    kind: facts.kind,
    text: renderAlertText(facts.kind, setting.template, facts.values),
    user: facts.user,
    ...(facts.amount !== undefined ? { amount: facts.amount } : {}),
    ...(facts.message ? { message: facts.message } : {}),
    sound: setting.sound,
    durationMs: setting.durationMs,
    ...(test ? { test: true } : {}),
  };
}

/** How long "this Kick message was already shown on this guild's overlays" is remembered (longer than Kick retries). */
export const OVERLAY_SEEN_TTL_SECONDS = 24 * 3600;

/** The Redis key that marks one Kick message as published on one guild's overlays. */
export function overlaySeenKey(prefix: string, guildId: string, messageId: string): string {
  return `${prefix}:overlay:seen:{${guildId}}:${messageId}`;
}

/**
 * Publishes `event` on a guild's overlay stream once per Kick message id: a redelivery, or the job's retry after
 * another handler failed, finds the mark and publishes nothing. The mark is taken first (SET NX) and given back if
 * publishing fails, so the retry publishes it then. Returns whether it was published now.
 */
export async function publishOnce(ctx: Pick<BotContext, 'redis' | 'keys'>, guildId: string, messageId: string, event: OverlayEvent, ttlSeconds = OVERLAY_SEEN_TTL_SECONDS): Promise<boolean> {
  const seen = overlaySeenKey(ctx.keys.prefix, guildId, messageId);
  const claimed = await ctx.redis.set(seen, '1', 'EX', ttlSeconds, 'NX');
  if (claimed === null) return false;
  try {
    await publishOverlayEvent(ctx.redis, ctx.keys.prefix, guildId, event);
  } catch (error) {
    await ctx.redis.del(seen).catch(() => undefined);
    throw error;
  }
  return true;
}

/** What a sub or Kicks goal counts for an alert: subs (a new sub or resub is one, gifts their count) and Kicks. */
export function goalTally(facts: AlertFacts): { kind: OverlayTallyKind; amount: number } | undefined {
  if (facts.kind === 'sub' || facts.kind === 'resub') return { kind: 'subs', amount: 1 };
  if (facts.kind === 'gift') return { kind: 'subs', amount: Math.max(1, facts.amount ?? 1) };
  if (facts.kind === 'kicks') return { kind: 'kicks', amount: Math.max(0, facts.amount ?? 0) };
  return undefined;
}

/**
 * Alerts on OBS overlays: every guild the delivery fans out to (the owner and watchers alike) that has a live overlay
 * key and the kind turned on gets the alert, rendered with its own template. Guilds without a key cost nothing but a
 * lookup in this process's copy of the list of guilds with overlays.
 */
export const overlayAlertHandler: KickEventHandler = {
  name: 'overlay-alerts',
  types: ['channel.followed', 'channel.subscription.new', 'channel.subscription.renewal', 'channel.subscription.gifts', 'kicks.gifted', 'channel.reward.redemption.updated'],
  async handle(ctx, input) {
    if (input.guilds.length === 0) return;
    const facts = alertFacts(input.event);
    if (!facts) return;
    const withOverlays = await overlayGuilds(ctx);
    const guildIds = [...new Set(input.guilds.map((g) => g.guildId))].filter((id) => withOverlays.has(id));
    const tally = goalTally(facts);
    for (const guildId of guildIds) {
      // Goals count every sub and Kick, shown as an alert or not (the member is the Kick message id: counted once).
      if (tally) await recordOverlayTally(ctx.redis, ctx.keys.prefix, guildId, tally.kind, input.job.messageId, tally.amount, Date.parse(input.job.messageTimestamp) || ctx.now().getTime());
      const setting = (await cachedAlertSettings(ctx, guildId))[facts.kind];
      if (!setting.enabled) continue;
      const published = await publishOnce(ctx, guildId, input.job.messageId, buildAlert(facts, setting));
      if (published) ctx.logger.debug({ guildId, kind: facts.kind, kickMessageId: input.job.messageId }, 'overlay alert published');
    }
  },
};
