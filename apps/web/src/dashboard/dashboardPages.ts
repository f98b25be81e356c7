import type { GuildStatus } from '@kickcord/connections';
import type { AuditEntry } from '@kickcord/db';
import { html, raw, type SafeHtml } from '../pages/html.ts';

/** Path of the dashboard's stylesheet. */
export const DASHBOARD_CSS_PATH = '/dashboard/assets/dashboard.css';
/** Path of the dashboard's one small script (live previews, confirmations); every page works without it. */
export const DASHBOARD_JS_PATH = '/dashboard/assets/dashboard.js';

/** Who is looking, for the header (and the logout form's CSRF token). */
export interface Viewer {
  username: string;
  csrfToken: string;
}

/** The guild a page is about, and the tabs the viewer may use. */
export interface GuildNav {
  id: string;
  name: string;
  manageServer: boolean;
  /** The key of the page being shown. */
  current: string;
  tabs: readonly { key: string; label: string; href: string }[];
}

/** The hidden CSRF field every form carries. */
export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}

/** The hidden one-time id of a form that changes something (a double submit changes it once). */
export function requestField(id: string): SafeHtml {
  return html`<input type="hidden" name="_request" value="${id}">`;
}

/** A notice after a change: green when it worked, red with the bot's reason when it did not. */
export function flashNotice(flash: { ok: boolean; text: SafeHtml | string } | null | undefined): SafeHtml {
  if (!flash) return html``;
  return flash.ok ? html`<p class="notice" role="status">${flash.text}</p>` : html`<p class="notice bad" role="alert">${flash.text}</p>`;
}

function guildNav(g: GuildNav): SafeHtml {
  return html`<nav class="guild" aria-label="${g.name}"><ul>${g.tabs.map(
    (t) => html`<li><a href="${t.href}"${g.current === t.key ? raw(' aria-current="page"') : raw('')}>${t.label}</a></li>`,
  )}<li><a href="/dashboard">All servers</a></li></ul></nav>`;
}

/** A whole dashboard page: skip link, header (with logout when logged in), the guild's tabs, the content. */
export function dashboardPage(input: { title: string; viewer: Viewer | null; guild?: GuildNav | undefined; body: SafeHtml }): string {
  const who = input.viewer
    ? html`<div class="who"><span>Logged in as <strong>${input.viewer.username}</strong></span><form class="inline" method="post" action="/dashboard/logout">${csrfField(input.viewer.csrfToken)}<button type="submit">Log out</button></form></div>`
    : html``;
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${input.title} · kickcord dashboard</title><link rel="stylesheet" href="${DASHBOARD_CSS_PATH}"><script src="${DASHBOARD_JS_PATH}" defer></script></head>
<body><a class="skip" href="#content">Skip to content</a>
<header class="top"><a class="brand" href="/dashboard">kickcord dashboard</a>${who}${input.guild ? guildNav(input.guild) : ''}</header>
<main id="content" tabindex="-1">${input.body}</main></body></html>`.value;
}

/** Not logged in: one button to log in with Discord. */
export function loginPage(input: { expired?: boolean; denied?: boolean }): string {
  const notice = input.denied
    ? html`<p class="notice bad" role="alert">Discord login was cancelled or failed. Try again.</p>`
    : input.expired
      ? html`<p class="notice bad" role="alert">Your login expired. Log in again.</p>`
      : html``;
  return dashboardPage({
    title: 'Log in',
    viewer: null,
    body: html`<h1>kickcord dashboard</h1>${notice}<section class="card"><p>Log in with your Discord account to manage the servers where you have <strong>Manage Server</strong> or a dashboard manager role.</p>
<p><a class="button primary" href="/dashboard/login">Log in with Discord</a></p><p class="muted">kickcord asks Discord for your username and your server list (scopes <code>identify guilds</code>), nothing else.</p></section>`,
  });
}

/** The guild picker. */
export function guildPickerPage(input: { viewer: Viewer; guilds: { guild: { id: string; name: string }; manageable: boolean }[] }): string {
  const manageable = input.guilds.filter((g) => g.manageable);
  const others = input.guilds.filter((g) => !g.manageable);
  const list = manageable.length
    ? html`<ul class="guilds">${manageable.map((g) => html`<li><a href="/dashboard/${g.guild.id}">${g.guild.name}</a></li>`)}</ul>`
    : html`<p>None of your servers lets you manage kickcord. Ask a server admin for <strong>Manage Server</strong> or a dashboard manager role.</p>`;
  const locked = others.length
    ? html`<h2>Other servers with kickcord</h2><p class="muted">You are a member but not a manager here.</p><ul class="guilds">${others.map((g) => html`<li><span class="locked">${g.guild.name}</span></li>`)}</ul>`
    : html``;
  return dashboardPage({ title: 'Your servers', viewer: input.viewer, body: html`<h1>Your servers</h1>${list}${locked}` });
}

/** A refusal page (403 / 404) that says why, without naming anything the viewer may not see. */
export function refusalPage(input: { viewer: Viewer | null; status: 403 | 404; message: string }): string {
  return dashboardPage({
    title: input.status === 403 ? 'Not allowed' : 'Not found',
    viewer: input.viewer,
    body: html`<h1>${input.status === 403 ? 'Not allowed' : 'Not found'}</h1><p class="notice bad" role="alert">${input.message}</p><p><a href="/dashboard">Back to your servers</a></p>`,
  });
}

/** A time as UTC text in a <time> element, or "never". */
export function when(d: Date | null | undefined): SafeHtml {
  return d ? html`<time datetime="${d.toISOString()}">${d.toISOString().replace('T', ' ').slice(0, 16)} UTC</time>` : html`<span class="muted">never</span>`;
}

/** What the Overview's forms show: a notice after a change, and the watch form's typed name and refusal. */
export interface OverviewForms {
  /** A fresh one-time id per form that changes something. */
  newRequestId: () => string;
  /** The result of the last change (watch, unwatch, disconnect), shown at the top. */
  notice?: { ok: boolean; text: SafeHtml } | null;
  /** What was typed in "Watch another Kick channel" when the bot refused it, and its words. */
  watch?: { slug: string; error: SafeHtml } | null;
}

/**
 * The guild overview: connection (with Disconnect), the connected and watched channels with their subscriptions and
 * the last delivery per event (Unwatch per watched channel, and a form to watch another), pending replies, problems.
 */
export function overviewPage(input: { viewer: Viewer; guild: GuildNav; status: GuildStatus; reconnectUrl?: string | null; forms: OverviewForms }): string {
  const { status: s } = input;
  const c = s.connection;
  const base = `/dashboard/${input.guild.id}`;
  const requestId = input.forms.newRequestId;
  const changeForm = (action: string, body: SafeHtml) => html`<form method="post" action="${base}/kick/${action}">${csrfField(input.viewer.csrfToken)}${requestField(requestId())}${body}</form>`;
  const disconnect = c
    ? changeForm(
        'disconnect',
        html`<div class="actions"><button type="submit" data-confirm="Disconnect ${c.slug}? kickcord's access is revoked at Kick and the streamer's tokens are deleted: ${c.slug}'s go-live and other announcements, chat commands and replies, points for watching, channel rewards and Kick moderation from Discord stop until the streamer connects again. Watched channels keep their announcements.">Disconnect ${c.slug}</button></div>`,
      )
    : html``;
  const watchError = input.forms.watch?.error;
  const watchForm = changeForm(
    'watch',
    html`<h3 id="watch-h">Watch another Kick channel</h3><p class="muted small" id="watch-hint">Its go-live and other public events are announced here, as set on the Announcements tab; no streamer login is needed (the same as <code>/kick watch</code>).</p>${
      watchError ? html`<p class="notice bad" role="alert" id="watch-error">${watchError}</p>` : ''
    }<label for="watch-slug">Kick channel name (the part after kick.com/)</label><input type="text" id="watch-slug" name="slug" value="${input.forms.watch?.slug ?? ''}" maxlength="200" required autocomplete="off" spellcheck="false" autocapitalize="none" placeholder="xqc" aria-describedby="${watchError ? 'watch-error watch-hint' : 'watch-hint'}"><div class="actions"><button type="submit" class="primary">Watch</button></div>`,
  );
  const connection = !c
    ? html`<p>No Kick channel connected. Run <code>/kick connect</code> in Discord, or create a connect link below, and send it to the streamer.</p>`
    : c.status === 'active'
      ? html`<p class="ok">✅ <strong>${c.slug}</strong> connected. The access token renews ${when(c.expiresAt)} (kickcord refreshes it on its own).</p>`
      : html`<p class="warn">⚠️ <strong>${c.slug}</strong> ${c.status === 'needs_reauth' ? 'needs the streamer to log in again' : 'was revoked'}${c.lastError ? html` (${c.lastError})` : ''}. Send the streamer a reconnect link.</p>`;
  const scopes = c ? html`<p>Scopes: ${c.scopes.length ? html`<code>${c.scopes.join(', ')}</code>` : 'none'}</p>` : html``;
  const missing =
    c && c.missingScopes.length
      ? html`<div class="notice bad" role="status"><strong>Missing Kick permissions:</strong> <code>${c.missingScopes.join(', ')}</code>. Features that need them say so when used; a reconnect grants them.</div>`
      : html``;
  const needsLink = !c || c.status !== 'active' || c.missingScopes.length > 0;
  const reconnect = input.reconnectUrl
    ? html`<p class="notice" role="status">Send this link to the streamer (it works once, for 15 minutes): <a class="mono" href="${input.reconnectUrl}">${input.reconnectUrl}</a></p>`
    : needsLink
      ? html`<form method="post" action="/dashboard/${input.guild.id}/reconnect">${csrfField(input.viewer.csrfToken)}<button type="submit" class="primary">${c ? 'Create a reconnect link' : 'Create a connect link'}</button></form>`
      : html``;
  const channels = s.links.length
    ? s.links.map(
        (l) => html`<h3>${l.kind === 'owner' ? '🔗 Connected' : '👀 Watching'}: ${l.slug}</h3>${
          l.kind === 'watch' ? changeForm('unwatch', html`<input type="hidden" name="slug" value="${l.slug}"><button type="submit" data-confirm="Stop announcing ${l.slug}?">Unwatch ${l.slug}</button>`) : ''
        }${
          l.subscriptions.length
            ? html`<div class="table-wrap"><table><caption class="muted">Kick event subscriptions</caption><thead><tr><th scope="col">Event</th><th scope="col">Last delivery</th></tr></thead><tbody>${l.subscriptions.map((x) => html`<tr><td><code>${x.event}</code></td><td>${when(x.lastDeliveryAt)}</td></tr>`)}</tbody></table></div>`
            : html`<p class="warn">⚠️ No active Kick subscriptions yet (retried every 15 minutes).</p>`
        }`,
      )
    : html`<p class="muted">No Kick channels connected or watched.</p>`;
  const broken = s.brokenAnnouncements.length
    ? html`<section class="card"><h2>Announcements that cannot post</h2><ul>${s.brokenAnnouncements.map((b) => html`<li><strong>${b.event}</strong> → channel <code>${b.discordChannelId}</code>: ${b.reason}. Fix with <code>/announce set ${b.event}</code>.</li>`)}</ul></section>`
    : html``;
  const failures = s.chatFailures.length
    ? html`<h3>Replies not sent (24 h)</h3><ul>${s.chatFailures.map((f) => html`<li>${when(f.createdAt)} ${f.status}: ${(f.error ?? '').slice(0, 120)}</li>`)}</ul>`
    : html``;
  return dashboardPage({
    title: `${input.guild.name} · Overview`,
    viewer: input.viewer,
    guild: input.guild,
    body: html`<h1>${input.guild.name}</h1>
${flashNotice(input.forms.notice)}
<section class="card" aria-labelledby="conn"><h2 id="conn">Kick connection</h2>${connection}${scopes}${missing}${reconnect}${disconnect}</section>
<section class="card" id="channels" aria-labelledby="subs"><h2 id="subs">Channels and subscriptions</h2>${channels}${watchForm}</section>
<section class="card" aria-labelledby="replies"><h2 id="replies">Kick chat replies (24 h)</h2><p><strong>${s.chatReplies.pending}</strong> pending · <strong>${s.chatReplies.failed}</strong> failed</p>${failures}</section>
${broken}`,
  });
}

/** Manager roles: which roles may manage this server in the dashboard (Manage Server members only). */
export function managerRolesPage(input: { viewer: Viewer; guild: GuildNav; roles: { id: string; name: string; checked: boolean }[]; saved?: boolean; error?: string | null }): string {
  const notice = input.error
    ? html`<p class="notice bad" role="alert">${input.error}</p>`
    : input.saved
      ? html`<p class="notice" role="status">Saved.</p>`
      : html``;
  const boxes = input.roles.length
    ? input.roles.map((r) => html`<div><label><input type="checkbox" name="roles" value="${r.id}"${r.checked ? raw(' checked') : raw('')}> ${r.name}</label></div>`)
    : html`<p class="muted">This server has no roles that can be picked.</p>`;
  return dashboardPage({
    title: `${input.guild.name} · Manager roles`,
    viewer: input.viewer,
    guild: input.guild,
    body: html`<h1>Dashboard manager roles</h1>${notice}
<p>Members with <strong>Manage Server</strong> can always use the dashboard. Members with a role picked here can use it too (except this page).</p>
<form method="post" action="/dashboard/${input.guild.id}/roles">${csrfField(input.viewer.csrfToken)}<fieldset><legend>Roles that may manage kickcord in ${input.guild.name}</legend>${boxes}</fieldset><button type="submit" class="primary">Save manager roles</button></form>`,
  });
}

function describeDetail(detail: unknown): string {
  if (!detail || typeof detail !== 'object') return '';
  return Object.entries(detail as Record<string, unknown>)
    .map(([key, value]) => {
      if (value && typeof value === 'object' && !Array.isArray(value) && 'from' in value && 'to' in value) {
        const v = value as { from: unknown; to: unknown };
        return `${key}: ${JSON.stringify(v.from)} → ${JSON.stringify(v.to)}`;
      }
      return `${key}: ${JSON.stringify(value)}`;
    })
    .join('; ');
}

/** The read-only audit log of one guild, filterable by who made the change. */
export function auditPage(input: { viewer: Viewer; guild: GuildNav; entries: AuditEntry[]; actors: { actorId: string; actorName: string }[]; actorId: string | null }): string {
  const options = input.actors.map((a) => html`<option value="${a.actorId}"${a.actorId === input.actorId ? raw(' selected') : raw('')}>${a.actorName}</option>`);
  const rows = input.entries.length
    ? html`<div class="table-wrap"><table><thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">From</th><th scope="col">What</th></tr></thead><tbody>${input.entries.map(
        (e) => html`<tr><td>${when(e.createdAt)}</td><td>${e.actorName}</td><td>${e.source === 'dashboard' ? 'Dashboard' : 'Discord'}</td><td><code>${e.action}</code><br>${describeDetail(e.detail)}</td></tr>`,
      )}</tbody></table></div>`
    : html`<p class="muted">No changes recorded${input.actorId ? ' for this person' : ''} yet.</p>`;
  return dashboardPage({
    title: `${input.guild.name} · Audit log`,
    viewer: input.viewer,
    guild: input.guild,
    body: html`<h1>Audit log</h1><p>Who changed kickcord's settings in ${input.guild.name}, and when — from Discord or from this dashboard. Newest first (the last 100).</p>
<form method="get" action="/dashboard/${input.guild.id}/audit"><label for="actor">Changes by</label> <select id="actor" name="actor"><option value="">everyone</option>${options}</select> <button type="submit">Filter</button></form>
${rows}`,
  });
}
