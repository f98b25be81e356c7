import { OVERLAY_ALERT_KINDS, OVERLAY_ALERT_LABELS, OVERLAY_SOUNDS, OVERLAY_WIDGETS, type GuildActionResult, type OverlayAlertKind, type OverlayWidget } from '@kickcord/queue';
import { html, raw, type SafeHtml } from '../../pages/html.ts';
import { csrfField, dashboardPage, flashNotice, requestField, when, type GuildNav, type Viewer } from '../dashboardPages.ts';
import { discordText } from '../discordText.ts';
import type { GuildPage } from '../guildPageKit.ts';
import { formField } from '../formValues.ts';

const ALERT_LABELS = OVERLAY_ALERT_LABELS;

/** The variables each kind's template may use (the bot checks them; this is the hint under the field). */
const ALERT_VARIABLES: Record<OverlayAlertKind, string> = {
  follow: '{user} {streamer} {random:a|b}',
  sub: '{user} {amount} (months) {streamer} {random:a|b}',
  resub: '{user} {amount} (months) {streamer} {random:a|b}',
  gift: '{user} {amount} (subs gifted) {streamer} {random:a|b}',
  kicks: '{user} {amount} (Kicks) {message} {streamer} {random:a|b}',
  redemption: '{user} {reward} {message} (what they typed) {streamer} {random:a|b}',
};

/** What a guild that never changed an alert gets (the bot's defaults, which `/overlay settings` shows too). */
const DEFAULT_ALERTS: Record<OverlayAlertKind, { enabled: boolean; template: string; sound: string | null; durationMs: number }> = {
  follow: { enabled: true, template: '{user} just followed!', sound: 'chime', durationMs: 5_000 },
  sub: { enabled: true, template: '{user} just subscribed!', sound: 'fanfare', durationMs: 5_000 },
  resub: { enabled: true, template: '{user} resubscribed for {amount} months!', sound: 'fanfare', durationMs: 5_000 },
  gift: { enabled: true, template: '{user} gifted {amount} subs!', sound: 'fanfare', durationMs: 5_000 },
  kicks: { enabled: true, template: '{user} sent {amount} Kicks!', sound: 'coin', durationMs: 5_000 },
  redemption: { enabled: true, template: '{user} redeemed {reward}', sound: 'pop', durationMs: 5_000 },
};

/** How each widget is named, and what it shows. */
const WIDGETS: Record<OverlayWidget, { label: string; what: string }> = {
  alerts: { label: 'Alerts box', what: 'follows, subs, gifts, Kicks and redemptions, one after another with their sound' },
  events: { label: 'Recent events', what: 'the latest alerts as a list' },
  leaderboard: { label: 'Leaderboard', what: 'the top viewers by points' },
  game: { label: 'Raffle / guess the balance', what: 'the round that is running' },
  chat: { label: 'Chat box', what: 'Kick chat (messages the chat filters catch are never shown)' },
  goal: { label: 'Goal bar', what: 'progress towards the goal below' },
};

const GOAL_KINDS = ['subs', 'followers', 'kicks', 'points'] as const;
type GoalKind = (typeof GOAL_KINDS)[number];
const GOAL_LABELS: Record<GoalKind, string> = { subs: 'Sub goal', followers: 'Follower goal', kicks: 'Kicks goal', points: 'Points goal' };
const GOAL_KIND_NAMES: Record<GoalKind, string> = { subs: 'New subs (gifted included)', followers: 'New followers', kicks: 'Kicks received', points: 'Points earned by viewers' };

/** One alert form's values: the stored setting, or what was just submitted when it was refused. */
interface AlertValues {
  enabled: boolean;
  template: string;
  sound: string;
  durationSeconds: string;
}

/** The goal form's values. */
interface GoalValues {
  kind: string;
  target: string;
  label: string;
  since: string;
}

/** Which form a notice belongs to. */
type Target = { form: 'key' } | { form: 'goal' } | { form: 'alert'; kind: OverlayAlertKind };

function isKind(value: string): value is OverlayAlertKind {
  return (OVERLAY_ALERT_KINDS as readonly string[]).includes(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A number typed in a form: undefined when empty (the bot keeps or refuses it with its own words). */
function numberField(body: unknown, name: string): number | undefined {
  const text = formField(body, name).trim();
  return text === '' ? undefined : Number(text);
}

/** The stored alert settings shown in the forms (a missing or odd value shows the default, as the bot reads it). */
function storedAlerts(json: unknown): Record<OverlayAlertKind, AlertValues> {
  const stored = isRecord(json) ? json : {};
  const out = {} as Record<OverlayAlertKind, AlertValues>;
  for (const kind of OVERLAY_ALERT_KINDS) {
    const d = DEFAULT_ALERTS[kind];
    const s = isRecord(stored[kind]) ? stored[kind] : {};
    const sound = s.sound === null ? 'none' : typeof s.sound === 'string' && (OVERLAY_SOUNDS as readonly string[]).includes(s.sound) ? s.sound : (d.sound ?? 'none');
    const ms = typeof s.durationMs === 'number' && Number.isFinite(s.durationMs) ? s.durationMs : d.durationMs;
    out[kind] = {
      enabled: typeof s.enabled === 'boolean' ? s.enabled : d.enabled,
      template: typeof s.template === 'string' ? s.template : '',
      sound,
      durationSeconds: String(Math.min(30, Math.max(2, Math.round(ms / 1000)))),
    };
  }
  return out;
}

function storedGoal(json: unknown): (GoalValues & { set: true }) | { set: false } {
  if (!isRecord(json) || typeof json.kind !== 'string' || typeof json.target !== 'number') return { set: false };
  const since = typeof json.since === 'string' && Number.isFinite(Date.parse(json.since)) ? json.since.slice(0, 10) : '';
  return { set: true, kind: json.kind, target: String(json.target), label: typeof json.label === 'string' ? json.label : '', since };
}

/** The URLs a key action answered with (only right after a key was made), or null. */
function urlsOf(result: GuildActionResult): Record<OverlayWidget, string> | null {
  if (!result.ok || !isRecord(result.data) || !isRecord(result.data.urls)) return null;
  const urls = result.data.urls;
  return OVERLAY_WIDGETS.every((w) => typeof urls[w] === 'string') ? (urls as Record<OverlayWidget, string>) : null;
}

function urlPanel(urls: Record<OverlayWidget, string>): SafeHtml {
  return html`<div class="notice" role="status"><p><strong>Your overlay URLs.</strong> Copy them now: kickcord keeps only a fingerprint of the key, so they are shown this once. Keep them private — anyone with one can show your overlays.</p>
${OVERLAY_WIDGETS.map(
  (w) => html`<div><label for="url-${w}">${WIDGETS[w].label}</label><input type="text" id="url-${w}" class="mono" readonly size="60" value="${urls[w]}" aria-describedby="url-${w}-hint">
<p class="muted small" id="url-${w}-hint">Add as a Browser Source in OBS, 600×400 — ${WIDGETS[w].what}.</p></div>`,
)}</div>`;
}

function keySection(input: { guildId: string; viewer: Viewer; key: { createdAt: Date } | null; urls: Record<OverlayWidget, string> | null; notice: SafeHtml; requestId: string }): SafeHtml {
  const status = input.urls
    ? html`<p>Shared one by mistake? Rotate: you get new URLs and the old ones stop working at once.</p>`
    : input.key
      ? html`<p>Overlay key made ${when(input.key.createdAt)}. Its URLs were shown when it was made; kickcord cannot show them again. Lost them, or shared one by mistake? Rotate: you get new URLs and the old ones stop working at once.</p>`
      : html`<p>No overlay key yet. Create one to get a URL for each overlay: ${OVERLAY_WIDGETS.map((w, i) => html`${i ? ', ' : ''}${WIDGETS[w].label.toLowerCase()}`)}.</p>`;
  const button = input.key
    ? html`<button type="submit" name="do" value="rotate" data-confirm="Make new overlay URLs? The old ones stop working at once: you will have to paste the new ones into OBS.">Rotate (new URLs)</button>`
    : html`<button type="submit" name="do" value="create" class="primary">Create overlay URLs</button>`;
  return html`<section class="card" id="overlay-urls" aria-labelledby="overlay-urls-h"><h2 id="overlay-urls-h">Overlay URLs</h2>${input.notice}${input.urls ? urlPanel(input.urls) : ''}${status}
<form method="post" action="/dashboard/${input.guildId}/overlays/key">${csrfField(input.viewer.csrfToken)}${requestField(input.requestId)}<div class="actions">${button}</div></form></section>`;
}

function alertForm(input: { guildId: string; viewer: Viewer; kind: OverlayAlertKind; values: AlertValues; stored: AlertValues; notice: SafeHtml; requestId: string }): SafeHtml {
  const { kind, values } = input;
  const id = `alert-${kind}`;
  const state = input.stored.enabled ? html`<span class="ok">on</span>` : html`<span class="muted">off</span>`;
  const sounds = [html`<option value="none"${values.sound === 'none' ? raw(' selected') : ''}>No sound</option>`, ...OVERLAY_SOUNDS.map((s) => html`<option value="${s}"${values.sound === s ? raw(' selected') : ''}>${s}</option>`)];
  return html`<section class="card" id="${id}" aria-labelledby="${id}-h"><h2 id="${id}-h">${ALERT_LABELS[kind]} alerts · ${state}</h2>${input.notice}
<form method="post" action="/dashboard/${input.guildId}/overlays/alerts/${kind}" data-preview="/dashboard/${input.guildId}/overlays/alerts/${kind}/preview">${csrfField(input.viewer.csrfToken)}${requestField(input.requestId)}
<div><input type="checkbox" id="${id}-enabled" name="enabled" value="on"${values.enabled ? raw(' checked') : ''}> <label for="${id}-enabled">Show ${ALERT_LABELS[kind].toLowerCase()} alerts</label></div>
<label for="${id}-template">Text</label><textarea id="${id}-template" name="template" rows="2" maxlength="200" placeholder="${DEFAULT_ALERTS[kind].template}" aria-describedby="${id}-vars">${values.template}</textarea>
<p class="muted small" id="${id}-vars">Empty = the default. Variables: <code>${ALERT_VARIABLES[kind]}</code></p>
<div class="preview" aria-live="polite"><span class="muted small">Preview</span><div data-preview-target></div></div>
<div class="grid2"><div><label for="${id}-sound">Sound</label><select id="${id}-sound" name="sound">${sounds}</select></div>
<div><label for="${id}-duration">Seconds on screen (2–30)</label><input type="number" id="${id}-duration" name="durationSeconds" min="2" max="30" step="1" value="${values.durationSeconds}"></div></div>
<div class="actions"><button type="submit" name="do" value="save" class="primary">Save</button><button type="submit" name="do" value="test">Send a test</button></div>
</form></section>`;
}

/**
 * The goal form. `sinceShown` is the stored start date the form showed: sent back unchanged it means "keep counting
 * from where it started" (the stored start has a time of day; the date field has only the day).
 */
function goalSection(input: { guildId: string; viewer: Viewer; values: GoalValues; sinceShown: string; set: boolean; notice: SafeHtml; requestId: string }): SafeHtml {
  const { values } = input;
  const kinds = GOAL_KINDS.map((k) => html`<option value="${k}"${values.kind === k ? raw(' selected') : ''}>${GOAL_KIND_NAMES[k]}</option>`);
  return html`<section class="card" id="goal" aria-labelledby="goal-h"><h2 id="goal-h">Goal bar${input.set ? '' : html` · <span class="muted">not set</span>`}</h2>${input.notice}
<form method="post" action="/dashboard/${input.guildId}/overlays/goal">${csrfField(input.viewer.csrfToken)}${requestField(input.requestId)}
<div class="grid2"><div><label for="goal-kind">What it counts</label><select id="goal-kind" name="kind">${kinds}</select></div>
<div><label for="goal-target">Target</label><input type="number" id="goal-target" name="target" min="1" step="1" value="${values.target}" required></div>
<div><label for="goal-label">Label</label><input type="text" id="goal-label" name="label" maxlength="60" value="${values.label}" placeholder="${GOAL_LABELS[(GOAL_KINDS as readonly string[]).includes(values.kind) ? (values.kind as GoalKind) : 'subs']}"></div>
<div><label for="goal-since">Count since</label><input type="date" id="goal-since" name="since" value="${values.since}" aria-describedby="goal-since-hint"><input type="hidden" name="sinceShown" value="${input.sinceShown}"></div></div>
<p class="muted small" id="goal-since-hint">Empty: a new goal counts from now, a changed target keeps counting from where it started.</p>
<div><input type="checkbox" id="goal-restart" name="restart" value="on"> <label for="goal-restart">Start counting again from now</label></div>
<div class="actions"><button type="submit" class="primary">Save the goal</button></div>
</form></section>`;
}

function overlaysPage(input: {
  viewer: Viewer;
  guild: GuildNav;
  key: { createdAt: Date } | null;
  alerts: Record<OverlayAlertKind, AlertValues>;
  goal: ReturnType<typeof storedGoal>;
  newRequestId: () => string;
  notice?: { target: Target; ok: boolean; text: SafeHtml } | null;
  urls?: Record<OverlayWidget, string> | null;
  submittedAlert?: { kind: OverlayAlertKind; values: AlertValues } | null;
  submittedGoal?: GoalValues | null;
}): string {
  const noticeFor = (t: Target) => {
    const n = input.notice;
    if (!n || n.target.form !== t.form || (n.target.form === 'alert' && t.form === 'alert' && n.target.kind !== t.kind)) return html``;
    return flashNotice(n);
  };
  const guildId = input.guild.id;
  const goalValues = input.submittedGoal ?? (input.goal.set ? input.goal : { kind: 'subs', target: '', label: '', since: '' });
  return dashboardPage({
    title: `${input.guild.name} · Overlays`,
    viewer: input.viewer,
    guild: input.guild,
    body: html`<h1>Overlays</h1><p>Alerts, a chat box, a goal bar and more for your stream, as OBS browser sources. The same settings as <code>/overlay</code>. A test shows a sample alert on your overlays (marked as a test; the recent-events list skips it).</p>
${keySection({ guildId, viewer: input.viewer, key: input.key, urls: input.urls ?? null, notice: noticeFor({ form: 'key' }), requestId: input.newRequestId() })}
<h2>Alerts</h2>
${OVERLAY_ALERT_KINDS.map((kind) =>
  alertForm({
    guildId,
    viewer: input.viewer,
    kind,
    values: input.submittedAlert?.kind === kind ? input.submittedAlert.values : input.alerts[kind],
    stored: input.alerts[kind],
    notice: noticeFor({ form: 'alert', kind }),
    requestId: input.newRequestId(),
  }),
)}
${goalSection({ guildId, viewer: input.viewer, values: goalValues, sinceShown: input.goal.set ? input.goal.since : '', set: input.goal.set, notice: noticeFor({ form: 'goal' }), requestId: input.newRequestId() })}`,
  });
}

/** Overlays: the overlay URLs (made or rotated through the bot, shown once), each alert's settings with a live preview and a test, and the goal bar. */
export const overlaysGuildPage: GuildPage = {
  key: 'overlays',
  label: 'Overlays',
  path: 'overlays',
  register(kit) {
    const { prisma } = kit.ctx;
    const load = async (guildId: string) => {
      const [key, settings] = await Promise.all([
        prisma.overlayToken.findFirst({ where: { guildId, revokedAt: null }, orderBy: { createdAt: 'desc' }, select: { createdAt: true } }),
        prisma.overlaySettings.findUnique({ where: { guildId }, select: { alerts: true, goal: true } }),
      ]);
      return { key, alerts: storedAlerts(settings?.alerts ?? null), goal: storedGoal(settings?.goal ?? null) };
    };
    const pageUrl = (guildId: string) => `/dashboard/${guildId}/overlays`;

    kit.router.get('/:guildId/overlays', kit.forGuild({}, async (req, res, access, v) => {
      const [data, flash, names] = await Promise.all([load(access.guild.id), kit.takeFlash(req), kit.names(access.guild.id)]);
      const form = typeof req.query.form === 'string' ? req.query.form : '';
      const kind = typeof req.query.kind === 'string' ? req.query.kind : '';
      const target: Target | null = form === 'goal' ? { form: 'goal' } : form === 'alert' && isKind(kind) ? { form: 'alert', kind } : form === 'key' ? { form: 'key' } : null;
      const notice = flash && target ? { target, ok: flash.ok, text: discordText(flash.text, names) } : null;
      kit.send(res, overlaysPage({ viewer: v, guild: kit.nav(access, 'overlays'), ...data, newRequestId: kit.newRequestId, notice }));
    }));

    // Create or rotate: the answer carries the new URLs once, so this page is the answer itself (a reload re-sends the
    // same one-time request id and gets the same answer, never a second rotation).
    kit.router.post('/:guildId/overlays/key', kit.forGuild({}, async (req, res, access, v) => {
      const guildId = access.guild.id;
      const todo = formField(req.body, 'do');
      const result = await kit.runAction(req, access, todo === 'rotate' ? 'overlays.rotate' : 'overlays.key', {});
      const [data, names] = await Promise.all([load(guildId), kit.names(guildId)]);
      const urls = urlsOf(result);
      const text = result.ok ? (urls ? html`${todo === 'rotate' ? 'New overlay URLs are ready; the old ones no longer work.' : 'Your overlay URLs are ready.'}` : discordText(result.message, names)) : discordText(result.error, names);
      kit.send(res, overlaysPage({ viewer: v, guild: kit.nav(access, 'overlays'), ...data, newRequestId: kit.newRequestId, notice: { target: { form: 'key' }, ok: result.ok, text }, urls }), result.ok ? 200 : 400);
    }));

    kit.router.post('/:guildId/overlays/alerts/:kind/preview', kit.forGuild({}, async (req, res, access) => {
      const kind = String(req.params.kind);
      if (!isKind(kind)) return void res.status(404).type('html').send('<p class="bad">Unknown alert.</p>');
      const template = formField(req.body, 'template');
      const [result, names] = await Promise.all([kit.runAction(req, access, 'overlays.preview', { kind, template: template.trim() ? template : null }), kit.names(access.guild.id)]);
      const fragment = result.ok ? html`<div class="preview-message">${result.message}</div>` : html`<p class="bad" role="alert">${discordText(result.error, names)}</p>`;
      res.set('cache-control', 'no-store').type('html').send(fragment.value);
    }));

    kit.router.post('/:guildId/overlays/alerts/:kind', kit.forGuild({}, async (req, res, access, v) => {
      const guildId = access.guild.id;
      const kind = String(req.params.kind);
      if (!isKind(kind)) return void kit.send(res, '<p>Unknown alert.</p>', 404);
      const values: AlertValues = { enabled: formField(req.body, 'enabled') === 'on', template: formField(req.body, 'template'), sound: formField(req.body, 'sound') || 'none', durationSeconds: formField(req.body, 'durationSeconds') };
      const result =
        formField(req.body, 'do') === 'test'
          ? await kit.runAction(req, access, 'overlays.test', { kind })
          : await kit.runAction(req, access, 'overlays.alerts', {
              kind,
              enabled: values.enabled,
              template: values.template.trim() ? values.template : null,
              sound: values.sound,
              durationSeconds: numberField(req.body, 'durationSeconds') ?? null,
            });
      if (result.ok) {
        await kit.flash(req, { ok: true, text: result.message });
        return void res.set('cache-control', 'no-store').redirect(303, `${pageUrl(guildId)}?form=alert&kind=${kind}#alert-${kind}`);
      }
      // Refused: the same page, with what was typed kept and the bot's reason beside it.
      const [data, names] = await Promise.all([load(guildId), kit.names(guildId)]);
      kit.send(
        res,
        overlaysPage({ viewer: v, guild: kit.nav(access, 'overlays'), ...data, newRequestId: kit.newRequestId, notice: { target: { form: 'alert', kind }, ok: false, text: discordText(result.error, names) }, submittedAlert: { kind, values } }),
        400,
      );
    }));

    kit.router.post('/:guildId/overlays/goal', kit.forGuild({}, async (req, res, access, v) => {
      const guildId = access.guild.id;
      const values: GoalValues = { kind: formField(req.body, 'kind'), target: formField(req.body, 'target'), label: formField(req.body, 'label'), since: formField(req.body, 'since') };
      const restart = formField(req.body, 'restart') === 'on';
      const result = await kit.runAction(req, access, 'overlays.goal', {
        kind: values.kind,
        target: numberField(req.body, 'target') ?? null,
        label: values.label.trim() ? values.label : null,
        since: restart ? 'now' : values.since.trim() && values.since.trim() !== formField(req.body, 'sinceShown') ? values.since : null,
      });
      if (result.ok) {
        await kit.flash(req, { ok: true, text: result.message });
        return void res.set('cache-control', 'no-store').redirect(303, `${pageUrl(guildId)}?form=goal#goal`);
      }
      const [data, names] = await Promise.all([load(guildId), kit.names(guildId)]);
      kit.send(
        res,
        overlaysPage({ viewer: v, guild: kit.nav(access, 'overlays'), ...data, newRequestId: kit.newRequestId, notice: { target: { form: 'goal' }, ok: false, text: discordText(result.error, names) }, submittedGoal: values }),
        400,
      );
    }));
  },
};
