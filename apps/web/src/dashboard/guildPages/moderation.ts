/**
 * The Moderation page: the chat filters with their settings, a "test a message" box with a live preview, the banned
 * words and allowed link domains, where the mod log is posted, a ban / timeout / unban form, and the mod log itself
 * (recent moderation actions, filterable) with Undo and Mark false positive. Every change is a bot action — the same
 * code `/filters`, `/mod` and the mod log's buttons in Discord run.
 */
import { CHAT_FILTER_DESCRIPTIONS, CHAT_FILTER_KINDS, EXEMPT_LEVELS, TIMEOUT_MINUTES, defangLinks, formatLadder, parseChatFilterConfig, type ChatFilterConfig, type ChatFilterKind, type FilterRule } from '@kickcord/core';
import { auditActors, type ModerationAction } from '@kickcord/db';
import type { GuildActionResult } from '@kickcord/queue';
import type { Request, Response } from 'express';
import { html, type SafeHtml } from '../../pages/html.ts';
import type { GuildAccess } from '../access.ts';
import { csrfField, dashboardPage, requestField, when, type GuildNav, type Viewer } from '../dashboardPages.ts';
import { discordText, type DiscordNames } from '../discordText.ts';
import type { GuildPage } from '../guildPageKit.ts';
import { checkedAttr, formField, noticeAt, selectedAttr, submittedOn, submittedValue, type FormNotice, type SubmittedForm } from '../formValues.ts';

/** Mod-log entries one page shows. */
export const MOD_LOG_PAGE_SIZE = 50;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SECTION = /^[a-z0-9-]{1,60}$/;
const KINDS = ['delete', 'timeout', 'ban', 'unban'] as const;
const SOURCES: Record<string, string> = { filter: 'a chat filter', command: '/mod in Discord', button: 'the mod log in Discord', dashboard: 'the dashboard' };
const MODES = [
  { value: 'word', label: 'whole word or phrase' },
  { value: 'substring', label: 'anywhere, even inside words' },
  { value: 'regex', label: 'regular expression (RE2)' },
] as const;

/** The mod log's filters, from the page's query string. */
interface LogQuery {
  user: string;
  kind: string;
  source: string;
  filter: string;
}

/** Everything the page shows. */
interface ModerationData {
  config: ChatFilterConfig;
  terms: { pattern: string; mode: string }[];
  falsePositives: number;
  modLogChannelId: string | null;
  channels: { id: string; name: string }[];
  roles: { id: string; name: string }[];
  log: ModerationAction[];
  /** Ids of the entries whose ban or timeout still stands (Undo is offered on them). */
  undoable: Set<string>;
  /** Discord user ids → names, as the audit log knows them. */
  people: Map<string, string>;
  viewers: string[];
  status: GuildActionResult;
}

function fields(body: unknown, name: string): string[] {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((v): v is string => typeof v === 'string');
}

/** A whole number as a number; anything else as typed, so the bot refuses it in its own words. */
function numberInput(value: string): number | string {
  const t = value.trim();
  return /^\d{1,9}$/.test(t) ? Number(t) : t;
}

function logQueryOf(source: Record<string, unknown> | URLSearchParams): LogQuery {
  const get = (k: string) => {
    const v = source instanceof URLSearchParams ? source.get(k) : source[k];
    return typeof v === 'string' ? v.trim().slice(0, 25) : '';
  };
  const kind = get('kind');
  const from = get('source');
  const filter = get('filter');
  return {
    user: get('user'),
    kind: (KINDS as readonly string[]).includes(kind) ? kind : '',
    source: from in SOURCES ? from : '',
    filter: (CHAT_FILTER_KINDS as readonly string[]).includes(filter) ? filter : '',
  };
}

function logQueryString(q: LogQuery): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v) params.set(k, v);
  return params.toString();
}

/** The same request without its form's one-time id: a read made while handling a form is a job of its own. */
function readOnly(req: Request): Request {
  return Object.assign(Object.create(req) as Request, { body: {} });
}

function describe(a: Pick<ModerationAction, 'kind' | 'durationMinutes'>): string {
  if (a.kind === 'delete') return 'message deleted';
  if (a.kind === 'timeout') return `timed out for ${a.durationMinutes ?? 10} minute${a.durationMinutes === 1 ? '' : 's'}`;
  return a.kind === 'ban' ? 'banned' : 'unbanned';
}

function statusSection(guildId: string, status: GuildActionResult, names: DiscordNames): SafeHtml {
  if (!status.ok) return html`<p class="notice bad" role="status">The Kick connection could not be checked: ${discordText(status.error, names)}</p>`;
  const ok = status.data && typeof status.data === 'object' && !Array.isArray(status.data) && (status.data as { ok?: unknown }).ok === true;
  if (ok) return html`<p class="ok">✅ ${discordText(status.message, names)} — the filters and the form below can act in Kick chat.</p>`;
  return html`<div class="notice bad" role="status"><p>${discordText(status.message, names)}</p><p><a href="/dashboard/${guildId}">Create a reconnect link on the Overview page</a> and send it to the streamer.</p></div>`;
}

function filterCard(input: { guildId: string; viewer: Viewer; kind: ChatFilterKind; rule: FilterRule; roles: { id: string; name: string }[]; requestId: string; notice: FormNotice | null | undefined; submitted: SubmittedForm | null | undefined; names: DiscordNames }): SafeHtml {
  const { kind, rule, submitted: sub } = input;
  const at = `filter-${kind}`;
  const id = (name: string) => `${at}-${name}`;
  const enabled = submittedOn(sub, at, 'enabled', rule.enabled);
  const warn = submittedOn(sub, at, 'warn', rule.warn);
  const level = submittedValue(sub, at, 'exemptLevel', rule.exemptLevel);
  const chosenRoles = new Set(sub?.at === at ? fields(sub.body, 'exemptRoleIds') : rule.exemptRoleIds);
  const limitInfo = CHAT_FILTER_DESCRIPTIONS[kind].limit;
  const percent = kind === 'caps' || kind === 'symbols';
  const numbers: SafeHtml[] = [];
  if (limitInfo !== 'not used') {
    numbers.push(html`<div><label for="${id('limit')}">Limit (${limitInfo})</label><input type="number" id="${id('limit')}" name="limit" min="1" max="${percent ? 100 : 10_000}" value="${submittedValue(sub, at, 'limit', String(rule.limit))}"></div>`);
  }
  if (percent) numbers.push(html`<div><label for="${id('minLength')}">Check messages from this length</label><input type="number" id="${id('minLength')}" name="minLength" min="1" max="500" value="${submittedValue(sub, at, 'minLength', String(rule.minLength))}"></div>`);
  if (kind === 'repeats') numbers.push(html`<div><label for="${id('window')}">Seconds between repeats that still count</label><input type="number" id="${id('window')}" name="windowSeconds" min="5" max="3600" value="${submittedValue(sub, at, 'windowSeconds', String(rule.windowSeconds))}"></div>`);
  const roleList = input.roles.length
    ? html`<details><summary>Exempt roles (${chosenRoles.size} chosen)</summary><p class="muted small">Viewers whose linked Discord account has one of these roles are let through by this filter.</p>${input.roles.map(
        (r) => html`<div><label for="${id(`role-${r.id}`)}"><input type="checkbox" id="${id(`role-${r.id}`)}" name="exemptRoleIds" value="${r.id}"${checkedAttr(chosenRoles.has(r.id))}> @${r.name}</label></div>`,
      )}</details>`
    : html`<p class="muted small">This server has no roles to exempt.</p>`;
  return html`<section class="card" id="${at}" aria-labelledby="${id('h')}"><h3 id="${id('h')}">${kind} · ${rule.enabled ? html`<span class="ok">on</span>` : html`<span class="muted">off</span>`}</h3>
<p class="muted small">${CHAT_FILTER_DESCRIPTIONS[kind].title}${kind === 'words' ? html` — the terms are under <a href="#words">Banned words</a>` : ''}${kind === 'links' ? html` — allowed domains are under <a href="#domains">Allowed links</a>` : ''}</p>${noticeAt(input.notice, at)}
<form method="post" action="/dashboard/${input.guildId}/moderation/filters/${kind}">${csrfField(input.viewer.csrfToken)}${requestField(input.requestId)}
<label for="${id('enabled')}"><input type="checkbox" id="${id('enabled')}" name="enabled"${checkedAttr(enabled)}> On</label>
<div class="grid2">${numbers}
<div><label for="${id('ladder')}">Actions per offence</label><input type="text" id="${id('ladder')}" name="ladder" maxlength="100" size="32" value="${submittedValue(sub, at, 'ladder', formatLadder(rule.ladder))}" aria-describedby="${id('ladder-help')}"></div>
<div><label for="${id('exempt')}">Exempt this level and above</label><select id="${id('exempt')}" name="exemptLevel">${EXEMPT_LEVELS.map((l) => html`<option value="${l}"${selectedAttr(l === level)}>${l}</option>`)}</select></div></div>
<p class="muted small" id="${id('ladder-help')}">Steps separated by commas, e.g. <code>delete, timeout 10m, ban</code> (1st, 2nd, 3rd offence within the escalation window; the last repeats). A timeout or ban also deletes the message.</p>
<label for="${id('warn')}"><input type="checkbox" id="${id('warn')}" name="warn"${checkedAttr(warn)}> Warn the viewer in chat (never repeats the message)</label>
${roleList}
<div class="actions"><button type="submit" class="primary">Save ${kind}</button></div></form></section>`;
}

function wordsSection(input: { guildId: string; viewer: Viewer; terms: ModerationData['terms']; newRequestId: () => string; notice: FormNotice | null | undefined; submitted: SubmittedForm | null | undefined }): SafeHtml {
  const sub = input.submitted;
  const mode = submittedValue(sub, 'words', 'mode', 'word');
  const list = input.terms.length
    ? html`<ul>${input.terms.map(
        (t) => html`<li><code>${t.pattern}</code> <span class="muted small">(${t.mode})</span> <form class="inline" method="post" action="/dashboard/${input.guildId}/moderation/words">${csrfField(input.viewer.csrfToken)}${requestField(input.newRequestId())}<input type="hidden" name="do" value="remove"><input type="hidden" name="term" value="${t.pattern}"><button type="submit" class="link" aria-label="Remove ${t.pattern}">Remove</button></form></li>`,
      )}</ul>`
    : html`<p class="muted">No banned terms yet.</p>`;
  return html`<section class="card" id="words" aria-labelledby="words-h"><h2 id="words-h">Banned words</h2>${noticeAt(input.notice, 'words')}
<p class="muted small">Matched without regard to case and look-alike characters (<code>$c4m</code> is <code>scam</code>). Used while the <a href="#filter-words">words filter</a> is on.</p>
<form method="post" action="/dashboard/${input.guildId}/moderation/words">${csrfField(input.viewer.csrfToken)}${requestField(input.newRequestId())}<input type="hidden" name="do" value="add">
<div class="grid2"><div><label for="words-term">Word, phrase or pattern</label><input type="text" id="words-term" name="term" maxlength="200" size="32" value="${submittedValue(sub, 'words', 'term', '')}"></div>
<div><label for="words-mode">How it matches</label><select id="words-mode" name="mode">${MODES.map((m) => html`<option value="${m.value}"${selectedAttr(m.value === mode)}>${m.label}</option>`)}</select></div></div>
<div class="actions"><button type="submit" class="primary">Ban it</button></div></form>
<h3>${input.terms.length} banned term${input.terms.length === 1 ? '' : 's'}</h3>${list}</section>`;
}

function domainsSection(input: { guildId: string; viewer: Viewer; domains: string[]; newRequestId: () => string; notice: FormNotice | null | undefined; submitted: SubmittedForm | null | undefined }): SafeHtml {
  const list = input.domains.length
    ? html`<ul>${input.domains.map(
        (d) => html`<li><span class="mono">${d}</span> <form class="inline" method="post" action="/dashboard/${input.guildId}/moderation/domains">${csrfField(input.viewer.csrfToken)}${requestField(input.newRequestId())}<input type="hidden" name="do" value="remove"><input type="hidden" name="domain" value="${d}"><button type="submit" class="link" aria-label="Stop allowing ${d}">Remove</button></form></li>`,
      )}</ul>`
    : html`<p class="muted">No domains are allowed: every link is caught while the links filter is on.</p>`;
  return html`<section class="card" id="domains" aria-labelledby="domains-h"><h2 id="domains-h">Allowed links</h2>${noticeAt(input.notice, 'domains')}
<p class="muted small">Links to these domains and their subdomains pass the <a href="#filter-links">links filter</a>.</p>${list}
<form method="post" action="/dashboard/${input.guildId}/moderation/domains">${csrfField(input.viewer.csrfToken)}${requestField(input.newRequestId())}<input type="hidden" name="do" value="add">
<label for="domains-domain">Domain</label><input type="text" id="domains-domain" name="domain" maxlength="253" size="32" placeholder="youtube.com" value="${submittedValue(input.submitted, 'domains', 'domain', '')}">
<div class="actions"><button type="submit" class="primary">Allow links to it</button></div></form></section>`;
}

function settingsSection(input: { guildId: string; viewer: Viewer; data: ModerationData; newRequestId: () => string; notice: FormNotice | null | undefined; submitted: SubmittedForm | null | undefined }): SafeHtml {
  const sub = input.submitted;
  const channelId = submittedValue(sub, 'settings', 'channelId', input.data.modLogChannelId ?? '');
  const minutes = submittedValue(sub, 'settings', 'minutes', String(input.data.config.escalationWindowMinutes));
  return html`<section class="card" id="settings" aria-labelledby="settings-h"><h2 id="settings-h">Mod log and escalation</h2>${noticeAt(input.notice, 'settings')}
<p class="muted small">False positives marked so far: ${input.data.falsePositives}.</p>
<form method="post" action="/dashboard/${input.guildId}/moderation/settings">${csrfField(input.viewer.csrfToken)}${requestField(input.newRequestId())}<input type="hidden" name="do" value="modlog">
<label for="settings-channel">Post every moderation action in</label><select id="settings-channel" name="channelId"><option value=""${selectedAttr(!channelId)}>Nowhere (do not post)</option>${input.data.channels.map((c) => html`<option value="${c.id}"${selectedAttr(c.id === channelId)}>#${c.name}</option>`)}</select>
<div class="actions"><button type="submit">Save mod log channel</button></div></form>
<form method="post" action="/dashboard/${input.guildId}/moderation/settings">${csrfField(input.viewer.csrfToken)}${requestField(input.newRequestId())}<input type="hidden" name="do" value="escalation">
<label for="settings-minutes">Minutes a viewer's offences count toward the next step of a ladder</label><input type="number" id="settings-minutes" name="minutes" min="1" max="10080" value="${minutes}">
<div class="actions"><button type="submit">Save escalation window</button></div></form></section>`;
}

function actSection(input: { guildId: string; viewer: Viewer; viewers: string[]; requestId: string; notice: FormNotice | null | undefined; submitted: SubmittedForm | null | undefined }): SafeHtml {
  const sub = input.submitted;
  const kind = submittedValue(sub, 'act', 'kind', 'timeout');
  return html`<section class="card" id="act" aria-labelledby="act-h"><h2 id="act-h">Ban, time out or unban</h2>${noticeAt(input.notice, 'act')}
<p class="muted small">Acts in the connected Kick channel as the streamer, like <code>/mod</code>; it appears in the mod log.</p>
<form method="post" action="/dashboard/${input.guildId}/moderation/act">${csrfField(input.viewer.csrfToken)}${requestField(input.requestId)}
<div class="grid2"><div><label for="act-user">Kick username</label><input type="text" id="act-user" name="user" maxlength="25" autocomplete="off" list="act-viewers" value="${submittedValue(sub, 'act', 'user', '')}"><datalist id="act-viewers">${input.viewers.map((v) => html`<option value="${v}"></option>`)}</datalist></div>
<div><label for="act-kind">Action</label><select id="act-kind" name="kind"><option value="timeout"${selectedAttr(kind === 'timeout')}>Time out</option><option value="ban"${selectedAttr(kind === 'ban')}>Ban</option><option value="unban"${selectedAttr(kind === 'unban')}>Unban (lift a ban or timeout)</option></select></div>
<div><label for="act-minutes">Timeout minutes</label><input type="number" id="act-minutes" name="minutes" min="${TIMEOUT_MINUTES.min}" max="${TIMEOUT_MINUTES.max}" value="${submittedValue(sub, 'act', 'minutes', '10')}"></div>
<div><label for="act-reason">Reason (recorded, and sent to Kick)</label><input type="text" id="act-reason" name="reason" maxlength="100" size="32" value="${submittedValue(sub, 'act', 'reason', '')}"></div></div>
<div class="actions"><button type="submit" class="primary">Do it</button></div></form></section>`;
}

function logSection(input: { guildId: string; viewer: Viewer; data: ModerationData; query: LogQuery; newRequestId: () => string; notice: FormNotice | null | undefined; names: DiscordNames }): SafeHtml {
  const { query: q, data } = input;
  const qs = logQueryString(q);
  const who = (a: ModerationAction): SafeHtml => {
    const person = a.discordUserId ? (data.people.get(a.discordUserId) ?? a.discordUserId) : null;
    if (a.source === 'filter') return html`chat filter${a.filter ? html` <code>${a.filter}</code>` : ''}`;
    return html`${person ? html`<strong>${person}</strong> · ` : ''}<span class="muted">${SOURCES[a.source] ?? a.source}</span>`;
  };
  const rowForms = (a: ModerationAction): SafeHtml => {
    const forms: SafeHtml[] = [];
    const form = (todo: string, label: string, aria: string, confirm?: string) =>
      html`<form class="inline" method="post" action="/dashboard/${input.guildId}/moderation/log/${a.id}">${csrfField(input.viewer.csrfToken)}${requestField(input.newRequestId())}<input type="hidden" name="do" value="${todo}"><input type="hidden" name="q" value="${qs}"><button type="submit" aria-label="${aria}"${confirm ? html` data-confirm="${confirm}"` : ''}>${label}</button></form>`;
    if (data.undoable.has(a.id)) forms.push(form('undo', 'Undo', `Undo: unban ${a.kickUsername}`, `Lift ${a.kickUsername}'s ${a.kind} on Kick?`));
    if (a.source === 'filter' && !a.falsePositive) forms.push(form('fp', 'Mark false positive', `Mark the action on ${a.kickUsername} a false positive`));
    return forms.length ? html`<div class="actions">${forms}</div>` : html``;
  };
  // An empty cell carries no label (a narrow screen shows each cell as "label: value").
  const labelled = (label: string, content: SafeHtml) => (content.value ? html`<td data-label="${label}">${content}</td>` : html`<td></td>`);
  const rows = data.log.map(
    (a) => html`<tr id="entry-${a.id}"><td data-label="When">${when(a.createdAt)}</td><td data-label="Viewer"><strong>${a.kickUsername}</strong></td>
<td data-label="What happened">${a.status === 'done' ? html`${describe(a)}` : html`<span class="warn">⚠️ ${a.kind} not done: ${discordText(a.error ?? 'Kick refused', input.names)}</span>`}${a.falsePositive ? html` <span class="muted">· marked a false positive</span>` : ''}</td>
<td data-label="By">${who(a)}</td>${labelled('Message', html`${a.excerpt ? html`<span class="mono">${defangLinks(a.excerpt)}</span>` : ''}${a.reason ? html`<div class="muted small">${a.reason}</div>` : ''}`)}${labelled('Actions', rowForms(a))}</tr>`,
  );
  const option = (value: string, label: string, current: string) => html`<option value="${value}"${selectedAttr(value === current)}>${label}</option>`;
  const filtered = Object.values(q).some(Boolean);
  return html`<section class="card" id="log" aria-labelledby="log-h"><h2 id="log-h">Mod log</h2>${noticeAt(input.notice, 'log')}
<form method="get" action="/dashboard/${input.guildId}/moderation#log" aria-label="Filter the mod log"><div class="grid2">
<div><label for="log-user">Viewer name contains</label><input type="search" id="log-user" name="user" maxlength="25" value="${q.user}"></div>
<div><label for="log-kind">Action</label><select id="log-kind" name="kind">${option('', 'any', q.kind)}${KINDS.map((k) => option(k, k, q.kind))}</select></div>
<div><label for="log-source">By</label><select id="log-source" name="source">${option('', 'anyone', q.source)}${Object.entries(SOURCES).map(([k, label]) => option(k, label, q.source))}</select></div>
<div><label for="log-filter">Filter</label><select id="log-filter" name="filter">${option('', 'any', q.filter)}${CHAT_FILTER_KINDS.map((k) => option(k, k, q.filter))}</select></div></div>
<div class="actions"><button type="submit">Show</button>${filtered ? html`<a class="button" href="/dashboard/${input.guildId}/moderation#log">Show everything</a>` : ''}</div></form>
${
  data.log.length
    ? html`<div class="table-wrap"><table class="stack"><caption class="muted">The latest ${data.log.length === MOD_LOG_PAGE_SIZE ? MOD_LOG_PAGE_SIZE : data.log.length} ${filtered ? 'matching ' : ''}moderation action${data.log.length === 1 ? '' : 's'}, newest first</caption><thead><tr><th scope="col">When</th><th scope="col">Viewer</th><th scope="col">What happened</th><th scope="col">By</th><th scope="col">Message</th><th scope="col">Actions</th></tr></thead><tbody>${rows}</tbody></table></div>`
    : html`<p class="muted">${filtered ? 'No moderation action matches.' : 'No moderation actions yet.'}</p>`
}</section>`;
}

function testSection(input: { guildId: string; viewer: Viewer; requestId: string; text: string; result: SafeHtml | null }): SafeHtml {
  return html`<section class="card" id="test" aria-labelledby="test-h"><h2 id="test-h">Test a message</h2>
<form method="post" action="/dashboard/${input.guildId}/moderation/test" data-preview="/dashboard/${input.guildId}/moderation/test/preview">${csrfField(input.viewer.csrfToken)}${requestField(input.requestId)}
<label for="test-text">A message from a plain viewer</label><textarea id="test-text" name="text" rows="2" maxlength="500" aria-describedby="test-help">${input.text}</textarea>
<p class="muted small" id="test-help">A dry run with the saved settings: nothing is deleted and nobody is warned.</p>
<div class="preview" aria-live="polite"><span class="muted small">What the filters would do</span><div data-preview-target>${input.result ?? ''}</div></div>
<div class="actions"><button type="submit">Test</button></div></form></section>`;
}

function moderationPage(input: {
  viewer: Viewer;
  guild: GuildNav;
  data: ModerationData;
  query: LogQuery;
  names: DiscordNames;
  newRequestId: () => string;
  notice?: FormNotice | null;
  submitted?: SubmittedForm | null;
  test?: { text: string; result: SafeHtml } | null;
}): string {
  const { data, viewer, notice, submitted } = input;
  const guildId = input.guild.id;
  const filters = CHAT_FILTER_KINDS.map((kind) => filterCard({ guildId, viewer, kind, rule: data.config.rules[kind], roles: data.roles, requestId: input.newRequestId(), notice, submitted, names: input.names }));
  return dashboardPage({
    title: `${input.guild.name} · Moderation`,
    viewer,
    guild: input.guild,
    body: html`<h1>Moderation</h1><p>The chat filters of the connected Kick channel, the mod log and a moderation form: the same settings and actions as <code>/filters</code> and <code>/mod</code> in Discord.</p>
<nav aria-label="On this page"><ul><li><a href="#test">Test a message</a></li><li><a href="#filters">Filters</a></li><li><a href="#words">Banned words</a></li><li><a href="#domains">Allowed links</a></li><li><a href="#settings">Mod log and escalation</a></li><li><a href="#act">Ban, time out or unban</a></li><li><a href="#log">Mod log</a></li></ul></nav>
${statusSection(guildId, data.status, input.names)}
${testSection({ guildId, viewer, requestId: input.newRequestId(), text: input.test?.text ?? '', result: input.test?.result ?? null })}
<h2 id="filters">Filters</h2><p class="muted small">Checked in this order; the first that fires acts. The broadcaster is always exempt.</p>${filters}
${wordsSection({ guildId, viewer, terms: data.terms, newRequestId: input.newRequestId, notice, submitted })}
${domainsSection({ guildId, viewer, domains: data.config.allowedDomains, newRequestId: input.newRequestId, notice, submitted })}
${settingsSection({ guildId, viewer, data, newRequestId: input.newRequestId, notice, submitted })}
${actSection({ guildId, viewer, viewers: data.viewers, requestId: input.newRequestId(), notice, submitted })}
${logSection({ guildId, viewer, data, query: input.query, newRequestId: input.newRequestId, notice, names: input.names })}`,
  });
}

/** The test result as a fragment: what the bot said, or why it could not test. */
function testFragment(result: GuildActionResult, names: DiscordNames): SafeHtml {
  return result.ok ? html`<div class="preview-message">${discordText(result.message, names)}</div>` : html`<p class="bad" role="alert">${discordText(result.error, names)}</p>`;
}

/**
 * What a filter form changes: only the settings that differ from the stored ones, so the bot's answer and the audit
 * entry name what the person changed.
 */
function filterChanges(kind: ChatFilterKind, rule: FilterRule, body: unknown): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  const enabled = formField(body, 'enabled') === 'on';
  if (enabled !== rule.enabled) input.enabled = enabled;
  const ladder = formField(body, 'ladder').trim();
  if (ladder !== formatLadder(rule.ladder)) input.ladder = ladder;
  const numbers: [string, keyof FilterRule, boolean][] = [
    ['limit', 'limit', CHAT_FILTER_DESCRIPTIONS[kind].limit !== 'not used'],
    ['minLength', 'minLength', kind === 'caps' || kind === 'symbols'],
    ['windowSeconds', 'windowSeconds', kind === 'repeats'],
  ];
  for (const [name, key, shown] of numbers) {
    if (!shown) continue;
    const typed = formField(body, name);
    if (typed.trim() !== String(rule[key])) input[name] = numberInput(typed);
  }
  const warn = formField(body, 'warn') === 'on';
  if (warn !== rule.warn) input.warn = warn;
  const level = formField(body, 'exemptLevel');
  if (level !== rule.exemptLevel) input.exemptLevel = level;
  const roles = [...new Set(fields(body, 'exemptRoleIds'))];
  if (roles.length !== rule.exemptRoleIds.length || roles.some((r) => !rule.exemptRoleIds.includes(r))) input.exemptRoleIds = roles;
  return input;
}

/** Moderation: chat filters, test box, banned words, allowed links, mod-log channel, moderation form and the mod log. */
export const moderationGuildPage: GuildPage = {
  key: 'moderation',
  label: 'Moderation',
  path: 'moderation',
  register(kit) {
    const { prisma } = kit.ctx;

    const load = async (req: Request, access: GuildAccess, query: LogQuery): Promise<ModerationData> => {
      const guildId = access.guild.id;
      const where = {
        guildId,
        ...(query.user ? { kickUsername: { contains: query.user, mode: 'insensitive' as const } } : {}),
        ...(query.kind ? { kind: query.kind as ModerationAction['kind'] } : {}),
        ...(query.source ? { source: query.source } : {}),
        ...(query.filter ? { filter: query.filter } : {}),
      };
      const [settings, terms, guildSettings, channels, roles, log, actors, viewers, status] = await Promise.all([
        prisma.chatFilterSettings.findUnique({ where: { guildId } }),
        prisma.chatFilterTerm.findMany({ where: { guildId }, orderBy: { createdAt: 'asc' }, select: { pattern: true, mode: true } }),
        prisma.guildSettings.findUnique({ where: { guildId }, select: { modLogChannelId: true } }),
        kit.textChannels(guildId),
        kit.roles(guildId),
        prisma.moderationAction.findMany({ where, orderBy: { createdAt: 'desc' }, take: MOD_LOG_PAGE_SIZE }),
        auditActors(prisma, guildId),
        prisma.viewerStats.findMany({ where: { guildId }, orderBy: { lastActiveAt: { sort: 'desc', nulls: 'last' } }, take: 50, select: { username: true } }),
        kit.runAction(readOnly(req), access, 'filters.status', {}),
      ]);
      // Undo is offered on the entry whose ban or timeout is the viewer's standing one (and has not run out).
      const standing = await prisma.moderationAction.findMany({
        where: { guildId, kickUserId: { in: [...new Set(log.map((a) => a.kickUserId))] }, status: 'done', kind: { in: ['timeout', 'ban', 'unban'] } },
        orderBy: { createdAt: 'desc' },
        distinct: ['kickUserId'],
        select: { id: true, kind: true, durationMinutes: true, createdAt: true },
      });
      const now = Date.now();
      const undoable = new Set(standing.filter((s) => s.kind === 'ban' || (s.kind === 'timeout' && s.createdAt.getTime() + (s.durationMinutes ?? 10) * 60_000 > now)).map((s) => s.id));
      return {
        config: parseChatFilterConfig(settings?.rules ?? null),
        terms,
        falsePositives: settings?.falsePositives ?? 0,
        modLogChannelId: guildSettings?.modLogChannelId ?? null,
        channels,
        roles,
        log,
        undoable,
        people: new Map(actors.map((a) => [a.actorId, a.actorName])),
        viewers: [...new Set(viewers.map((v) => v.username))],
        status,
      };
    };

    const render = async (req: Request, res: Response, access: GuildAccess, v: Viewer, extra: { query?: LogQuery; notice?: FormNotice | null; submitted?: SubmittedForm | null; test?: { text: string; result: SafeHtml } | null }, status = 200) => {
      const query = extra.query ?? logQueryOf({});
      const [data, names] = await Promise.all([load(req, access, query), kit.names(access.guild.id)]);
      kit.send(res, moderationPage({ viewer: v, guild: kit.nav(access, 'moderation'), data, query, names, newRequestId: kit.newRequestId, notice: extra.notice ?? null, submitted: extra.submitted ?? null, test: extra.test ?? null }), status);
    };

    /** After a change: the bot's answer once, beside the section it is about (post → redirect → get); refused: the page again with what was typed. */
    const finish = async (req: Request, res: Response, access: GuildAccess, v: Viewer, at: string, result: GuildActionResult, query?: LogQuery) => {
      if (result.ok) {
        await kit.flash(req, { ok: true, text: result.message });
        const qs = query ? logQueryString(query) : '';
        return void res.set('cache-control', 'no-store').redirect(303, `/dashboard/${access.guild.id}/moderation?${qs ? `${qs}&` : ''}at=${at}#${at}`);
      }
      const names = await kit.names(access.guild.id);
      await render(req, res, access, v, { ...(query ? { query } : {}), notice: { at, ok: false, text: discordText(result.error, names) }, submitted: { at, body: (req.body ?? {}) as Record<string, unknown> } }, 400);
    };

    kit.router.get('/:guildId/moderation', kit.forGuild({}, async (req, res, access, v) => {
      const [flash, names] = await Promise.all([kit.takeFlash(req), kit.names(access.guild.id)]);
      const at = typeof req.query.at === 'string' && SECTION.test(req.query.at) ? req.query.at : 'status';
      await render(req, res, access, v, { query: logQueryOf(req.query as Record<string, unknown>), notice: flash ? { at, ok: flash.ok, text: discordText(flash.text, names) } : null });
    }));

    kit.router.post('/:guildId/moderation/test/preview', kit.forGuild({}, async (req, res, access) => {
      const text = formField(req.body, 'text');
      const fragment = text.trim()
        ? testFragment(await kit.runAction(req, access, 'filters.test', { text }), await kit.names(access.guild.id))
        : html`<p class="muted">Type a message to see what the filters would do with it.</p>`;
      res.set('cache-control', 'no-store').type('html').send(fragment.value);
    }));

    kit.router.post('/:guildId/moderation/test', kit.forGuild({}, async (req, res, access, v) => {
      const text = formField(req.body, 'text');
      const [result, names] = await Promise.all([kit.runAction(req, access, 'filters.test', { text }), kit.names(access.guild.id)]);
      await render(req, res, access, v, { test: { text, result: testFragment(result, names) } }, result.ok ? 200 : 400);
    }));

    kit.router.post('/:guildId/moderation/filters/:filter', kit.forGuild({}, async (req, res, access, v) => {
      const kind = String(req.params.filter);
      if (!(CHAT_FILTER_KINDS as readonly string[]).includes(kind)) return void kit.send(res, '<p>Unknown filter.</p>', 404);
      const filter = kind as ChatFilterKind;
      const at = `filter-${filter}`;
      const settings = await prisma.chatFilterSettings.findUnique({ where: { guildId: access.guild.id } });
      const input = filterChanges(filter, parseChatFilterConfig(settings?.rules ?? null).rules[filter], req.body);
      if (Object.keys(input).length === 0) return finish(req, res, access, v, at, { ok: true, message: `Nothing changed: the **${filter}** filter's settings are as they were.` });
      await finish(req, res, access, v, at, await kit.runAction(req, access, 'filters.configure', { filter, ...input }));
    }));

    kit.router.post('/:guildId/moderation/words', kit.forGuild({}, async (req, res, access, v) => {
      const term = formField(req.body, 'term');
      const result =
        formField(req.body, 'do') === 'remove'
          ? await kit.runAction(req, access, 'filters.word_remove', { term })
          : await kit.runAction(req, access, 'filters.word_add', { term, mode: formField(req.body, 'mode') || 'word' });
      await finish(req, res, access, v, 'words', result);
    }));

    kit.router.post('/:guildId/moderation/domains', kit.forGuild({}, async (req, res, access, v) => {
      const domain = formField(req.body, 'domain');
      const result = await kit.runAction(req, access, formField(req.body, 'do') === 'remove' ? 'filters.link_remove' : 'filters.link_allow', { domain });
      await finish(req, res, access, v, 'domains', result);
    }));

    kit.router.post('/:guildId/moderation/settings', kit.forGuild({}, async (req, res, access, v) => {
      const result =
        formField(req.body, 'do') === 'escalation'
          ? await kit.runAction(req, access, 'filters.escalation', { minutes: numberInput(formField(req.body, 'minutes')) })
          : await kit.runAction(req, access, 'filters.modlog', { channelId: formField(req.body, 'channelId') || null });
      await finish(req, res, access, v, 'settings', result);
    }));

    kit.router.post('/:guildId/moderation/act', kit.forGuild({}, async (req, res, access, v) => {
      const kind = formField(req.body, 'kind');
      const reason = formField(req.body, 'reason').trim();
      const result = await kit.runAction(req, access, 'mod.act', {
        kind,
        user: formField(req.body, 'user'),
        ...(kind === 'timeout' ? { minutes: numberInput(formField(req.body, 'minutes') || '10') } : {}),
        ...(reason ? { reason } : {}),
      });
      await finish(req, res, access, v, 'act', result);
    }));

    kit.router.post('/:guildId/moderation/log/:actionId', kit.forGuild({}, async (req, res, access, v) => {
      const actionId = String(req.params.actionId);
      const query = logQueryOf(new URLSearchParams(formField(req.body, 'q')));
      const todo = formField(req.body, 'do');
      const result: GuildActionResult = !UUID.test(actionId)
        ? { ok: false, error: 'This action is no longer on record.' }
        : todo === 'fp'
          ? await kit.runAction(req, access, 'mod.false_positive', { actionId })
          : todo === 'undo'
            ? await kit.runAction(req, access, 'mod.undo', { actionId })
            : { ok: false, error: 'Choose Undo or Mark false positive.' };
      await finish(req, res, access, v, 'log', result, query);
    }));
  },
};
