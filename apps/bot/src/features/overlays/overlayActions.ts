import { OVERLAY_ALERT_KINDS, OVERLAY_SOUNDS, OVERLAY_WIDGETS, publishOverlayEvent, type OverlayAlertKind, type OverlaySound, type OverlayWidget } from '@kickcord/queue';
import type { Prisma } from '@kickcord/db';
import { z } from 'zod';
import type { BotContext } from '../../context.ts';
import { auditAction, defineGuildAction } from '../../guildActions/GuildAction.ts';
import { UserFacingError } from '../../UserFacingError.ts';
import { buildAlert, type AlertFacts } from './overlayAlerts.ts';
import { forgetOverlayGuilds, liveOverlayKey, newOverlayToken, overlayUrls, withOverlayLock } from './overlayKeys.ts';
import {
  ALERT_DURATION_SECONDS,
  ALERT_LABELS,
  checkAlertTemplate,
  DEFAULT_ALERTS,
  forgetAlertSettings,
  GOAL_KINDS,
  GOAL_LABELS,
  MAX_ALERT_TEMPLATE_LENGTH,
  MAX_GOAL_LABEL_LENGTH,
  MAX_GOAL_TARGET,
  parseAlertSettings,
  parseGoal,
  renderAlertText,
  type AlertSetting,
  type GoalKind,
  type GoalSetting,
} from './overlaySettings.ts';

/** How each widget is named to people. */
export const WIDGET_LABELS: Readonly<Record<OverlayWidget, string>> = {
  alerts: 'Alerts box',
  events: 'Recent events',
  leaderboard: 'Leaderboard',
  game: 'Raffle / guess the balance',
  chat: 'Chat box',
  goal: 'Goal bar',
};

/** The size a browser source for any widget starts at in OBS. */
export const BROWSER_SOURCE_SIZE = '600×400';

const kindSchema = z.enum(OVERLAY_ALERT_KINDS as unknown as [OverlayAlertKind, ...OverlayAlertKind[]], {
  error: () => `Unknown alert kind. Choose one of: ${OVERLAY_ALERT_KINDS.join(', ')}.`,
});
const soundSchema = z.enum(['none', ...OVERLAY_SOUNDS] as [string, ...string[]], {
  error: () => `Unknown sound. Choose none or one of: ${OVERLAY_SOUNDS.join(', ')}.`,
});
const durationMessage = `An alert stays on screen ${ALERT_DURATION_SECONDS.min} to ${ALERT_DURATION_SECONDS.max} seconds (a whole number).`;
const durationSchema = z.number({ error: durationMessage }).int(durationMessage).min(ALERT_DURATION_SECONDS.min, durationMessage).max(ALERT_DURATION_SECONDS.max, durationMessage);
const templateSchema = z.string().max(MAX_ALERT_TEMPLATE_LENGTH, `An alert template is at most ${MAX_ALERT_TEMPLATE_LENGTH} characters.`);
const goalKindSchema = z.enum(GOAL_KINDS as unknown as [GoalKind, ...GoalKind[]], { error: () => `Unknown goal. Choose one of: ${GOAL_KINDS.join(', ')}.` });
const targetMessage = `The target is a whole number from 1 to ${MAX_GOAL_TARGET.toLocaleString('en-US')}.`;

/** Sample values a test alert and the dashboard's preview use. */
const SAMPLE: Readonly<Record<OverlayAlertKind, Omit<AlertFacts, 'kind' | 'values'> & { reward?: string }>> = {
  follow: { user: 'kick_fan' },
  sub: { user: 'kick_fan', amount: 1 },
  resub: { user: 'kick_fan', amount: 6 },
  gift: { user: 'generous_viewer', amount: 5 },
  kicks: { user: 'generous_viewer', amount: 100, message: 'Great stream!' },
  redemption: { user: 'kick_fan', reward: 'Hydrate!', message: 'Drink some water' },
};

/** The sample alert of a kind, with `streamer` as the channel's name. */
export function sampleFacts(kind: OverlayAlertKind, streamer: string): AlertFacts {
  const s = SAMPLE[kind];
  return {
    kind,
    user: s.user,
    ...(s.amount !== undefined ? { amount: s.amount } : {}),
    ...(s.message ? { message: s.message } : {}),
    values: { user: s.user, amount: s.amount ?? null, message: s.message ?? '', reward: s.reward ?? '', streamer },
  };
}

/** The name of the guild's connected Kick channel (for `{streamer}` in samples). */
async function streamerName(ctx: Pick<BotContext, 'prisma'>, guildId: string): Promise<string> {
  const link = await ctx.prisma.guildChannelLink.findFirst({ where: { guildId, kind: 'owner' }, select: { channel: { select: { displayName: true, slug: true } } } });
  return link?.channel.displayName || link?.channel.slug || 'your channel';
}

function describeAlert(kind: OverlayAlertKind, s: AlertSetting): string {
  const sound = s.sound ?? 'no sound';
  return `${ALERT_LABELS[kind]} alerts: ${s.enabled ? 'on' : 'off'} · ${sound} · ${s.durationMs / 1000} s\nTemplate: \`${s.template ?? DEFAULT_ALERTS[kind].template}\`${s.template ? '' : ' (default)'}`;
}

function urlList(urls: Record<OverlayWidget, string>): string {
  return OVERLAY_WIDGETS.map((w) => `• ${WIDGET_LABELS[w]}: <${urls[w]}>`).join('\n');
}

function formatTime(d: Date): string {
  return `${d.toISOString().replace('T', ' ').slice(0, 16)} UTC`;
}

const urlsIntro = `Add each as a Browser Source in OBS (${BROWSER_SOURCE_SIZE}). Keep them private: anyone with one can show your overlays. kickcord keeps only a fingerprint of the key, so they are shown this once; \`/overlay rotate\` makes new ones.`;

/** Creates a key in `tx` (the caller holds the overlay lock) and answers with its URLs. */
async function createKey(ctx: BotContext, tx: Prisma.TransactionClient, guildId: string, createdBy: string): Promise<{ urls: Record<OverlayWidget, string>; createdAt: Date }> {
  const { token, tokenHash } = newOverlayToken();
  const row = await tx.overlayToken.create({ data: { guildId, tokenHash, createdBy }, select: { createdAt: true } });
  return { urls: overlayUrls(ctx.env.PUBLIC_URL, token), createdAt: row.createdAt };
}

/** What `overlays.key` and `overlays.rotate` answer with: the URLs only when a key was just made (never again). */
export type OverlayKeyData = { created: false; createdAt: string } | { created: true; createdAt: string; urls: Record<OverlayWidget, string>; revokedKeys?: number };

/** `/overlay url`, and the dashboard's "Create overlay URLs": makes the guild's key on first use and shows its URLs. */
export const overlayKeyAction = defineGuildAction<z.ZodObject<Record<string, never>>, OverlayKeyData>({
  name: 'overlays.key',
  input: z.object({}),
  async run(ctx, call) {
    const outcome = await withOverlayLock(ctx, call.guildId, async (tx) => {
      const live = await liveOverlayKey(tx, call.guildId);
      if (live) return { created: false as const, live };
      return { created: true as const, ...(await createKey(ctx, tx, call.guildId, call.actor.id)) };
    });
    if (!outcome.created) {
      return {
        message: `Your overlays already have a key (made ${formatTime(outcome.live.createdAt)}). kickcord keeps only a fingerprint of it, so its URLs were shown once, when it was made. Lost them? \`/overlay rotate\` makes new URLs (the old ones stop working at once).`,
        data: { created: false, createdAt: outcome.live.createdAt.toISOString() },
      };
    }
    await forgetOverlayGuilds(ctx);
    await auditAction(ctx, call, 'overlays.key', { key: 'created' });
    return { message: `🔑 Your overlay URLs are ready. ${urlsIntro}\n${urlList(outcome.urls)}`, data: { created: true, createdAt: outcome.createdAt.toISOString(), urls: outcome.urls } };
  },
});

/** `/overlay rotate`, and the dashboard's Rotate: a new key; every old one stops working at once. */
export const overlayRotateAction = defineGuildAction<z.ZodObject<Record<string, never>>, OverlayKeyData>({
  name: 'overlays.rotate',
  input: z.object({}),
  async run(ctx, call) {
    const outcome = await withOverlayLock(ctx, call.guildId, async (tx) => {
      const { count } = await tx.overlayToken.updateMany({ where: { guildId: call.guildId, revokedAt: null }, data: { revokedAt: ctx.now() } });
      return { revoked: count, ...(await createKey(ctx, tx, call.guildId, call.actor.id)) };
    });
    await forgetOverlayGuilds(ctx);
    await auditAction(ctx, call, 'overlays.rotate', { revokedKeys: outcome.revoked });
    const old = outcome.revoked ? 'The old URLs stopped working; replace them in OBS. ' : '';
    return { message: `🔑 New overlay URLs. ${old}${urlsIntro}\n${urlList(outcome.urls)}`, data: { created: true, createdAt: outcome.createdAt.toISOString(), urls: outcome.urls, revokedKeys: outcome.revoked } };
  },
});

/** `/overlay alert`, and the dashboard's alert form: a kind on or off, its template, sound and time on screen. */
export const overlayAlertsAction = defineGuildAction({
  name: 'overlays.alerts',
  input: z.object({
    kind: kindSchema,
    enabled: z.boolean().optional(),
    /** Null or empty: the default template. */
    template: templateSchema.nullable().optional(),
    sound: soundSchema.optional(),
    durationSeconds: durationSchema.optional(),
  }),
  async run(ctx, call, input) {
    const template = input.template === undefined ? undefined : input.template?.trim() ? input.template.trim() : null;
    if (template) checkAlertTemplate(input.kind, template);
    const { before, after } = await withOverlayLock(ctx, call.guildId, async (tx) => {
      const row = await tx.overlaySettings.findUnique({ where: { guildId: call.guildId }, select: { alerts: true } });
      const alerts = parseAlertSettings(row?.alerts ?? null);
      const was = alerts[input.kind];
      const next: AlertSetting = {
        enabled: input.enabled ?? was.enabled,
        template: template === undefined ? was.template : template,
        sound: input.sound === undefined ? was.sound : input.sound === 'none' ? null : (input.sound as OverlaySound),
        durationMs: input.durationSeconds === undefined ? was.durationMs : input.durationSeconds * 1000,
      };
      const changed = (Object.keys(next) as (keyof AlertSetting)[]).some((k) => next[k] !== was[k]);
      if (changed) {
        const json = { ...alerts, [input.kind]: next } as unknown as Prisma.InputJsonValue;
        await tx.overlaySettings.upsert({ where: { guildId: call.guildId }, create: { guildId: call.guildId, alerts: json }, update: { alerts: json } });
      }
      return { before: was, after: next };
    });
    const changes = Object.fromEntries(
      (Object.keys(after) as (keyof AlertSetting)[]).filter((k) => after[k] !== before[k]).map((k) => [k, { from: before[k], to: after[k] }]),
    );
    if (Object.keys(changes).length === 0) return { message: `Nothing changed. ${describeAlert(input.kind, after)}` };
    await forgetAlertSettings(ctx, call.guildId);
    await auditAction(ctx, call, 'overlays.alerts', { kind: input.kind, ...changes });
    return { message: `✅ ${describeAlert(input.kind, after)}\nTry it with \`/overlay test ${input.kind}\`.` };
  },
});

/** Reads a goal's "count since" input: empty (keep, or now for a new goal), "now", a date (UTC midnight) or an ISO time. */
function parseSince(value: string | null | undefined, now: Date): Date | 'keep' {
  const text = (value ?? '').trim();
  if (!text) return 'keep';
  if (text.toLowerCase() === 'now') return now;
  const at = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T00:00:00Z`) : /^\d{4}-\d{2}-\d{2}T/.test(text) ? Date.parse(text) : NaN;
  if (!Number.isFinite(at)) throw new UserFacingError(`"${text.slice(0, 40)}" is not a date: write one like 2025-06-01, or "now".`);
  if (at > now.getTime() + 60_000) throw new UserFacingError('The goal cannot count from a time in the future.');
  return new Date(at);
}

/**
 * `/overlay goal`, and the dashboard's goal form: what the goal bar counts (subs, followers, Kicks or points), up to
 * what, its label, and since when. Counting restarts now when the goal is new or counts something else; a date (or
 * "now") given sets it.
 */
export const overlayGoalAction = defineGuildAction({
  name: 'overlays.goal',
  input: z.object({
    kind: goalKindSchema,
    target: z.number({ error: targetMessage }).int(targetMessage).min(1, targetMessage).max(MAX_GOAL_TARGET, targetMessage),
    label: z.string().trim().max(MAX_GOAL_LABEL_LENGTH, `A goal label is at most ${MAX_GOAL_LABEL_LENGTH} characters.`).nullable().optional(),
    since: z.string().max(40, 'Write the date like 2025-06-01, or "now".').nullable().optional(),
  }),
  async run(ctx, call, input) {
    const now = ctx.now();
    const since = parseSince(input.since, now);
    const { before, after } = await withOverlayLock(ctx, call.guildId, async (tx) => {
      const row = await tx.overlaySettings.findUnique({ where: { guildId: call.guildId }, select: { goal: true } });
      const was = parseGoal(row?.goal ?? null);
      const next: GoalSetting = {
        kind: input.kind,
        target: input.target,
        label: input.label ? input.label : GOAL_LABELS[input.kind],
        since: since !== 'keep' ? since.toISOString() : was && was.kind === input.kind ? was.since : now.toISOString(),
      };
      const changed = !was || (Object.keys(next) as (keyof GoalSetting)[]).some((k) => next[k] !== was[k]);
      if (changed) {
        const json = next as unknown as Prisma.InputJsonValue;
        await tx.overlaySettings.upsert({ where: { guildId: call.guildId }, create: { guildId: call.guildId, goal: json }, update: { goal: json } });
      }
      return { before: was, after: next };
    });
    const summary = `${after.label}: ${after.target.toLocaleString('en-US')} ${after.kind}, counted since ${formatTime(new Date(after.since))}.`;
    const changes = Object.fromEntries(
      (Object.keys(after) as (keyof GoalSetting)[]).filter((k) => !before || after[k] !== before[k]).map((k) => [k, { from: before ? before[k] : null, to: after[k] }]),
    );
    if (Object.keys(changes).length === 0) return { message: `Nothing changed. ${summary}` };
    await auditAction(ctx, call, 'overlays.goal', changes);
    return { message: `🎯 Goal bar: ${summary}` };
  },
});

/** `/overlay test`, and the dashboard's "Send a test": a sample alert of a kind on the guild's overlays, marked as a test. */
export const overlayTestAction = defineGuildAction({
  name: 'overlays.test',
  input: z.object({ kind: kindSchema }),
  async run(ctx, call, input) {
    const [live, row, streamer] = await Promise.all([
      liveOverlayKey(ctx.prisma, call.guildId),
      ctx.prisma.overlaySettings.findUnique({ where: { guildId: call.guildId }, select: { alerts: true } }),
      streamerName(ctx, call.guildId),
    ]);
    if (!live) throw new UserFacingError('Your overlays have no key yet: run `/overlay url` first and add the Alerts box URL to OBS, then send a test.');
    const setting = parseAlertSettings(row?.alerts ?? null)[input.kind];
    const alert = buildAlert(sampleFacts(input.kind, streamer), setting, true);
    await publishOverlayEvent(ctx.redis, ctx.keys.prefix, call.guildId, alert);
    const off = setting.enabled ? '' : ` (${ALERT_LABELS[input.kind]} alerts are off: real ones are not shown until you turn them on)`;
    return { message: `🧪 Sent a test ${ALERT_LABELS[input.kind]} alert to your overlays: "${alert.text}"${off}.` };
  },
});

/** The dashboard's live preview: a template checked and rendered with sample values (nothing is saved or shown). */
export const overlayPreviewAction = defineGuildAction({
  name: 'overlays.preview',
  input: z.object({ kind: kindSchema, template: templateSchema.nullable() }),
  async run(ctx, call, input) {
    const template = input.template?.trim() ? input.template.trim() : null;
    if (template) checkAlertTemplate(input.kind, template);
    const facts = sampleFacts(input.kind, await streamerName(ctx, call.guildId));
    return { message: renderAlertText(input.kind, template, facts.values, () => 0) };
  },
});

/** Every overlay action. */
export const overlayActions = [overlayKeyAction, overlayRotateAction, overlayAlertsAction, overlayGoalAction, overlayTestAction, overlayPreviewAction] as const;
