import { compileTemplate, renderTemplate, type TemplateValues } from '@kickcord/core';
import { invalidateCacheEntries, OVERLAY_ALERT_KINDS, OVERLAY_ALERT_LABELS, OVERLAY_SOUNDS, type OverlayAlertKind, type OverlaySound } from '@kickcord/queue';
import type { BotContext } from '../../context.ts';
import { UserFacingError } from '../../UserFacingError.ts';

/** How each alert kind is named to people (the overlay contract's words). */
export const ALERT_LABELS = OVERLAY_ALERT_LABELS;

/**
 * The variables an alert template may use per kind: `{user}` (who), `{amount}` (months subscribed, subs gifted or Kicks
 * sent), `{message}` (what a viewer attached to Kicks or typed for a reward), `{reward}` (the reward's title), and on
 * every kind `{streamer}` and `{random:a|b}`.
 */
export const ALERT_VARIABLES: Readonly<Record<OverlayAlertKind, readonly string[]>> = {
  follow: ['user', 'streamer', 'random'],
  sub: ['user', 'amount', 'streamer', 'random'],
  resub: ['user', 'amount', 'streamer', 'random'],
  gift: ['user', 'amount', 'streamer', 'random'],
  kicks: ['user', 'amount', 'message', 'streamer', 'random'],
  redemption: ['user', 'reward', 'message', 'streamer', 'random'],
};

/** Longest alert template (an alert is one or two lines on screen). */
export const MAX_ALERT_TEMPLATE_LENGTH = 200;
/** Shortest and longest time an alert stays on screen, in seconds. */
export const ALERT_DURATION_SECONDS = { min: 2, max: 30 } as const;
/** Longest rendered alert text and viewer message put in the stream. */
export const MAX_ALERT_TEXT_LENGTH = 300;
export const MAX_ALERT_MESSAGE_LENGTH = 200;

/** One alert kind's settings as the overlay uses them. */
export interface AlertSetting {
  enabled: boolean;
  /** The guild's template, or null for {@link DEFAULT_ALERTS}' one. */
  template: string | null;
  sound: OverlaySound | null;
  durationMs: number;
}

/** Every kind's settings. */
export type AlertSettings = Record<OverlayAlertKind, AlertSetting>;

/** What a guild that changed nothing gets: every kind on, with a template, a sound and 5 seconds on screen. */
export const DEFAULT_ALERTS: Readonly<Record<OverlayAlertKind, Readonly<AlertSetting> & { template: string }>> = {
  follow: { enabled: true, template: '{user} just followed!', sound: 'chime', durationMs: 5_000 },
  sub: { enabled: true, template: '{user} just subscribed!', sound: 'fanfare', durationMs: 5_000 },
  resub: { enabled: true, template: '{user} resubscribed for {amount} months!', sound: 'fanfare', durationMs: 5_000 },
  gift: { enabled: true, template: '{user} gifted {amount} subs!', sound: 'fanfare', durationMs: 5_000 },
  kicks: { enabled: true, template: '{user} sent {amount} Kicks!', sound: 'coin', durationMs: 5_000 },
  redemption: { enabled: true, template: '{user} redeemed {reward}', sound: 'pop', durationMs: 5_000 },
};

/** Whether `value` names an alert kind. */
export function isAlertKind(value: unknown): value is OverlayAlertKind {
  return typeof value === 'string' && (OVERLAY_ALERT_KINDS as readonly string[]).includes(value);
}

/** Whether `value` names a bundled sound. */
export function isOverlaySound(value: unknown): value is OverlaySound {
  return typeof value === 'string' && (OVERLAY_SOUNDS as readonly string[]).includes(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads `OverlaySettings.alerts` (JSON) into settings for every kind: a missing kind or field, or a value out of
 * range, takes the default, so a row written by an older version never breaks alerts.
 */
export function parseAlertSettings(json: unknown): AlertSettings {
  const stored = isRecord(json) ? json : {};
  const out = {} as AlertSettings;
  for (const kind of OVERLAY_ALERT_KINDS) {
    const d = DEFAULT_ALERTS[kind];
    const s = isRecord(stored[kind]) ? stored[kind] : {};
    const duration = typeof s.durationMs === 'number' && Number.isFinite(s.durationMs) ? s.durationMs : d.durationMs;
    out[kind] = {
      enabled: typeof s.enabled === 'boolean' ? s.enabled : d.enabled,
      template: typeof s.template === 'string' && s.template.trim() ? s.template : null,
      sound: s.sound === null ? null : isOverlaySound(s.sound) ? s.sound : d.sound,
      durationMs: Math.min(ALERT_DURATION_SECONDS.max * 1000, Math.max(ALERT_DURATION_SECONDS.min * 1000, Math.round(duration))),
    };
  }
  return out;
}

/** Throws the explanation both `/overlay alert` and the dashboard show when `template` does not compile for `kind`. */
export function checkAlertTemplate(kind: OverlayAlertKind, template: string): void {
  const compiled = compileTemplate(template, { allowed: ALERT_VARIABLES[kind], maxLength: MAX_ALERT_TEMPLATE_LENGTH });
  if (!compiled.ok) {
    throw new UserFacingError(
      `That template has a problem:\n${compiled.errors.map((e) => `• ${e.message}`).join('\n')}\nVariables for ${ALERT_LABELS[kind]} alerts: ${ALERT_VARIABLES[kind].map((v) => (v === 'random' ? '{random:a|b}' : `{${v}}`)).join(' ')}`,
    );
  }
}

/** Renders a kind's template (the default when null, or when a stored one no longer compiles), trimmed and length-limited. */
export function renderAlertText(kind: OverlayAlertKind, template: string | null, values: TemplateValues, rng: () => number = Math.random): string {
  const allowed = ALERT_VARIABLES[kind];
  const own = template ? compileTemplate(template, { allowed, maxLength: MAX_ALERT_TEMPLATE_LENGTH }) : null;
  const compiled = own?.ok ? own : compileTemplate(DEFAULT_ALERTS[kind].template, { allowed });
  const text = compiled.ok ? renderTemplate(compiled.template, values, rng).trim() : String(values.user ?? '');
  return text.length > MAX_ALERT_TEXT_LENGTH ? `${text.slice(0, MAX_ALERT_TEXT_LENGTH - 1)}…` : text;
}

/** The goal bar's kinds. */
export const GOAL_KINDS = ['subs', 'followers', 'kicks', 'points'] as const;
export type GoalKind = (typeof GOAL_KINDS)[number];

/** How each goal kind is named, and the label a goal gets when none is given. */
export const GOAL_LABELS: Readonly<Record<GoalKind, string>> = {
  subs: 'Sub goal',
  followers: 'Follower goal',
  kicks: 'Kicks goal',
  points: 'Points goal',
};

/** Longest goal label; the largest target. */
export const MAX_GOAL_LABEL_LENGTH = 60;
export const MAX_GOAL_TARGET = 1_000_000_000;

/** The goal bar as stored in `OverlaySettings.goal`: what it counts, up to what, since when (ISO time). */
export interface GoalSetting {
  kind: GoalKind;
  target: number;
  label: string;
  since: string;
}

/** Reads `OverlaySettings.goal` (JSON), or null when no goal is set (or the stored one is unusable). */
export function parseGoal(json: unknown): GoalSetting | null {
  if (!isRecord(json)) return null;
  const { kind, target, label, since } = json;
  if (typeof kind !== 'string' || !(GOAL_KINDS as readonly string[]).includes(kind)) return null;
  if (typeof target !== 'number' || !Number.isInteger(target) || target < 1) return null;
  if (typeof since !== 'string' || !Number.isFinite(Date.parse(since))) return null;
  return { kind: kind as GoalKind, target, label: typeof label === 'string' && label.trim() ? label : GOAL_LABELS[kind as GoalKind], since };
}

/** How long the Redis copy of a guild's alert settings lives without an invalidation. */
export const ALERT_SETTINGS_CACHE_SECONDS = 300;

/** The Redis key of a guild's cached alert settings. */
export function alertSettingsKey(prefix: string, guildId: string): string {
  return `${prefix}:overlay:alerts:${guildId}`;
}

type CacheCtx = Pick<BotContext, 'prisma' | 'redis' | 'keys' | 'localCopies'>;

/** A guild's alert settings from PostgreSQL (the defaults when it never saved any). */
export async function loadAlertSettings(ctx: Pick<BotContext, 'prisma'>, guildId: string): Promise<AlertSettings> {
  const row = await ctx.prisma.overlaySettings.findUnique({ where: { guildId }, select: { alerts: true } });
  return parseAlertSettings(row?.alerts ?? null);
}

/**
 * A guild's alert settings for the Kick event path: this process's copy when warm, else Redis, else PostgreSQL (then
 * cached). Every writer calls {@link forgetAlertSettings}.
 */
export async function cachedAlertSettings(ctx: CacheCtx, guildId: string): Promise<Readonly<AlertSettings>> {
  const key = alertSettingsKey(ctx.keys.prefix, guildId);
  const copy = ctx.localCopies?.get<AlertSettings>(key);
  if (copy) return copy;
  const stamp = ctx.localCopies?.stamp() ?? 0;
  const cached = await ctx.redis.get(key);
  let settings: AlertSettings;
  if (cached !== null) {
    settings = parseAlertSettings(JSON.parse(cached));
  } else {
    settings = await loadAlertSettings(ctx, guildId);
    await ctx.redis.set(key, JSON.stringify(settings), 'EX', ALERT_SETTINGS_CACHE_SECONDS);
  }
  ctx.localCopies?.set(key, settings, stamp);
  return settings;
}

/** Drops every copy of a guild's alert settings (after a write), in Redis and in every process. */
export async function forgetAlertSettings(ctx: Pick<BotContext, 'redis' | 'keys' | 'localCopies'>, guildId: string): Promise<void> {
  await invalidateCacheEntries(ctx.redis, ctx.keys.prefix, [alertSettingsKey(ctx.keys.prefix, guildId)], ctx.localCopies);
}
