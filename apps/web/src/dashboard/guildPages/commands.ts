import { type CHAT_COMMAND_VARIABLES, MAX_TEMPLATE_LENGTH, TIMER_LIMITS, type TIMER_VARIABLES, USER_LEVELS } from '@kickcord/core';
import type { ChatCommand, Timer } from '@kickcord/db';
import type { GuildActionResult } from '@kickcord/queue';
import type { Request, Response } from 'express';
import { html, raw, type SafeHtml } from '../../pages/html.ts';
import { csrfField, dashboardPage, flashNotice, refusalPage, requestField, when, type GuildNav, type Viewer } from '../dashboardPages.ts';
import { discordText } from '../discordText.ts';
import type { GuildPage } from '../guildPageKit.ts';
import { formField } from '../formValues.ts';

/** Longest cooldown a form offers (the bot checks it again): a day. */
const MAX_COOLDOWN_SEC = 86_400;
/** Highest cost a form offers (the bot checks it again). */
const MAX_COST = 1_000_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What each chat command variable becomes, for the help under the response field. */
const COMMAND_VARIABLE_HELP: Record<(typeof CHAT_COMMAND_VARIABLES)[number], string> = {
  user: 'who used the command',
  touser: 'the name after the command (or the user)',
  args: 'everything typed after the command',
  points: 'their points',
  watchtime: 'their watch time',
  count: 'how often the command was used',
  uptime: 'how long the stream has been live',
  title: 'the stream title',
  category: 'the stream category',
  random: 'one of the options, e.g. {random:hi|hello}',
};
const TIMER_VARIABLE_HELP: Record<(typeof TIMER_VARIABLES)[number], string> = {
  uptime: 'how long the stream has been live',
  title: 'the stream title',
  category: 'the stream category',
  random: 'one of the options, e.g. {random:hi|hello}',
};

/** A command form's fields as typed (kept when the bot refuses them). */
interface CommandForm {
  name: string;
  response: string;
  aliases: string;
  cooldown: string;
  userCooldown: string;
  level: string;
  cost: string;
  liveOnly: boolean;
  listed: boolean;
  enabled: boolean;
}

/** A timer form's fields as typed. */
interface TimerForm {
  name: string;
  message: string;
  intervalMinutes: string;
  minChatLines: string;
  enabled: boolean;
}

const EMPTY_COMMAND: CommandForm = { name: '', response: '', aliases: '', cooldown: '0', userCooldown: '0', level: 'everyone', cost: '0', liveOnly: false, listed: true, enabled: true };
const EMPTY_TIMER: TimerForm = { name: '', message: '', intervalMinutes: '15', minChatLines: '0', enabled: true };

/** A notice beside the form (or list) it is about. */
interface Notice {
  ok: boolean;
  text: SafeHtml;
}

function checked(body: unknown, name: string): boolean {
  return formField(body, name) === 'on';
}

/**
 * A number field for the bot: a whole number as a number, empty as `empty`, anything else as typed (so the bot
 * refuses it with its own words rather than the page guessing).
 */
function numberInput(value: string, empty: number | string): number | string {
  const t = value.trim();
  if (t === '') return empty;
  return /^-?\d{1,9}$/.test(t) ? Number(t) : t;
}

function commandFormOf(body: unknown): CommandForm {
  return {
    name: formField(body, 'name'),
    response: formField(body, 'response'),
    aliases: formField(body, 'aliases'),
    cooldown: formField(body, 'cooldown'),
    userCooldown: formField(body, 'userCooldown'),
    level: formField(body, 'level'),
    cost: formField(body, 'cost'),
    liveOnly: checked(body, 'liveOnly'),
    listed: checked(body, 'listed'),
    enabled: checked(body, 'enabled'),
  };
}

function commandFormFrom(c: ChatCommand, prefix: string): CommandForm {
  return {
    name: c.name,
    response: c.response,
    aliases: c.aliases.map((a) => prefix + a).join(', '),
    cooldown: String(c.globalCooldownSec),
    userCooldown: String(c.userCooldownSec),
    level: c.minLevel,
    cost: String(c.cost),
    liveOnly: c.liveOnly,
    listed: c.publicListed,
    enabled: c.enabled,
  };
}

/** The command settings the bot's `commands.add` / `commands.edit` take, from a form. */
function commandInput(form: CommandForm): Record<string, unknown> {
  return {
    response: form.response,
    aliases: form.aliases,
    cooldown: numberInput(form.cooldown, 0),
    userCooldown: numberInput(form.userCooldown, 0),
    level: form.level || 'everyone',
    cost: numberInput(form.cost, 0),
    liveOnly: form.liveOnly,
    listed: form.listed,
  };
}

function timerFormOf(body: unknown): TimerForm {
  return { name: formField(body, 'name'), message: formField(body, 'message'), intervalMinutes: formField(body, 'intervalMinutes'), minChatLines: formField(body, 'minChatLines'), enabled: checked(body, 'enabled') };
}

function timerFormFrom(t: Timer): TimerForm {
  return { name: t.name, message: t.message, intervalMinutes: String(t.intervalMinutes), minChatLines: String(t.minChatLines), enabled: t.enabled };
}

/** A response's or message's problem, as the bot wrote it (its line breaks and `code` kept). */
function noticeOf(result: GuildActionResult): Notice {
  return result.ok ? { ok: true, text: discordText(result.message) } : { ok: false, text: discordText(result.error) };
}

const checkedAttr = (on: boolean): SafeHtml => (on ? raw(' checked') : raw(''));

function variablesHelp(id: string, help: Record<string, string>): SafeHtml {
  return html`<details class="small" id="${id}"><summary>Variables</summary><ul>${Object.entries(help).map(([v, text]) => html`<li><code>${v === 'random' ? '{random:a|b}' : `{${v}}`}</code> ${text}</li>`)}</ul></details>`;
}

/** The fields shared by the add and edit forms of a command. */
function commandFields(id: string, form: CommandForm, opts: { withName: boolean; withEnabled: boolean; prefix: string }): SafeHtml {
  const levels = USER_LEVELS.map((l) => html`<option value="${l}"${form.level === l ? raw(' selected') : raw('')}>${l === 'everyone' ? 'everyone' : `${l} and up`}</option>`);
  return html`${
    opts.withName
      ? html`<label for="${id}-name">Name</label><input type="text" id="${id}-name" name="name" value="${form.name}" maxlength="33" required autocomplete="off" spellcheck="false" aria-describedby="${id}-name-help"><p class="muted small" id="${id}-name-help">Without the prefix: <code>discord</code> answers to <code>${opts.prefix}discord</code>. Letters a–z, digits and _.</p>`
      : html`<input type="hidden" name="name" value="${form.name}">`
  }
<label for="${id}-response">Response</label><textarea id="${id}-response" name="response" rows="3" maxlength="${MAX_TEMPLATE_LENGTH}" required aria-describedby="${id}-vars">${form.response}</textarea>
${variablesHelp(`${id}-vars`, COMMAND_VARIABLE_HELP)}
<div class="preview" aria-live="polite"><span class="muted small">Preview</span><div data-preview-target><span class="muted small">Type a response to see the answer.</span></div></div>
<label for="${id}-aliases">Aliases</label><input type="text" id="${id}-aliases" name="aliases" value="${form.aliases}" maxlength="400" autocomplete="off" spellcheck="false" aria-describedby="${id}-aliases-help"><p class="muted small" id="${id}-aliases-help">Other names, comma separated (empty = none).</p>
<div class="grid2"><div><label for="${id}-cooldown">Cooldown (seconds, anyone)</label><input type="number" id="${id}-cooldown" name="cooldown" value="${form.cooldown}" min="0" max="${MAX_COOLDOWN_SEC}" inputmode="numeric"></div>
<div><label for="${id}-user-cooldown">Cooldown per viewer (seconds)</label><input type="number" id="${id}-user-cooldown" name="userCooldown" value="${form.userCooldown}" min="0" max="${MAX_COOLDOWN_SEC}" inputmode="numeric"></div>
<div><label for="${id}-level">Who may use it</label><select id="${id}-level" name="level">${levels}</select></div>
<div><label for="${id}-cost">Cost (points per use)</label><input type="number" id="${id}-cost" name="cost" value="${form.cost}" min="0" max="${MAX_COST}" inputmode="numeric"></div></div>
<div><label for="${id}-live"><input type="checkbox" id="${id}-live" name="liveOnly"${checkedAttr(form.liveOnly)}> Only while live</label></div>
<div><label for="${id}-listed"><input type="checkbox" id="${id}-listed" name="listed"${checkedAttr(form.listed)}> Show on the public command list</label></div>
${opts.withEnabled ? html`<div><label for="${id}-enabled"><input type="checkbox" id="${id}-enabled" name="enabled"${checkedAttr(form.enabled)}> On (answers in chat)</label></div>` : ''}`;
}

/** The fields shared by the add and edit forms of a timer. */
function timerFields(id: string, form: TimerForm, opts: { withName: boolean; withEnabled: boolean }): SafeHtml {
  return html`${
    opts.withName
      ? html`<label for="${id}-name">Name (optional)</label><input type="text" id="${id}-name" name="name" value="${form.name}" maxlength="32" autocomplete="off" spellcheck="false" aria-describedby="${id}-name-help"><p class="muted small" id="${id}-name-help">Lower-case letters, digits, _ or -; empty = timer-1, timer-2, …</p>`
      : ''
  }
<label for="${id}-message">Message</label><textarea id="${id}-message" name="message" rows="2" maxlength="${TIMER_LIMITS.maxMessageLength}" required aria-describedby="${id}-vars">${form.message}</textarea>
${variablesHelp(`${id}-vars`, TIMER_VARIABLE_HELP)}
<div class="preview" aria-live="polite"><span class="muted small">Preview</span><div data-preview-target><span class="muted small">Type a message to see it as posted.</span></div></div>
<div class="grid2"><div><label for="${id}-interval">Every (minutes)</label><input type="number" id="${id}-interval" name="intervalMinutes" value="${form.intervalMinutes}" min="${TIMER_LIMITS.minIntervalMinutes}" max="${TIMER_LIMITS.maxIntervalMinutes}" required inputmode="numeric"></div>
<div><label for="${id}-lines">After at least (chat messages)</label><input type="number" id="${id}-lines" name="minChatLines" value="${form.minChatLines}" min="0" max="${TIMER_LIMITS.maxChatLines}" inputmode="numeric"></div></div>
${opts.withEnabled ? html`<div><label for="${id}-enabled"><input type="checkbox" id="${id}-enabled" name="enabled"${checkedAttr(form.enabled)}> On (posts while live)</label></div>` : ''}`;
}

function yesNo(on: boolean, yes: string, no: string): SafeHtml {
  return on ? html`<span class="ok">${yes}</span>` : html`<span class="muted">${no}</span>`;
}

function seconds(n: number): string {
  return n === 0 ? 'none' : `${n}s`;
}

function commandRules(c: ChatCommand): SafeHtml {
  const cooldowns = c.globalCooldownSec || c.userCooldownSec ? `cooldown ${seconds(c.globalCooldownSec)}, per viewer ${seconds(c.userCooldownSec)}` : 'no cooldown';
  return html`${cooldowns}<br>${c.minLevel === 'everyone' ? 'everyone' : `${c.minLevel} and up`}<br>${c.cost ? `costs ${c.cost} points` : 'free'}${c.liveOnly ? html`<br>only while live` : ''}`;
}

function commandRows(guildId: string, v: Viewer, prefix: string, commands: ChatCommand[], newRequestId: () => string): SafeHtml {
  if (commands.length === 0) return html`<p class="muted">No custom commands yet. Add one below, or with <code>/command add</code> in Discord.</p>`;
  return html`<table class="stack"><caption class="muted small">Every custom command of this server</caption><thead><tr><th scope="col">Command</th><th scope="col">Response</th><th scope="col">Rules</th><th scope="col">Uses</th><th scope="col">State</th><th scope="col">Change</th></tr></thead><tbody>${commands.map(
    (c) => html`<tr id="cmd-${c.name}"><th scope="row"><code>${prefix}${c.name}</code>${c.aliases.length ? html`<br><span class="muted small">also ${c.aliases.map((a) => prefix + a).join(', ')}</span>` : ''}</th>
<td data-label="Response"><code>${c.response}</code></td>
<td data-label="Rules">${commandRules(c)}</td>
<td data-label="Uses">${c.useCount}</td>
<td data-label="State">${yesNo(c.enabled, 'on', 'off')}<br>${yesNo(c.publicListed, 'on the public list', 'hidden from the public list')}</td>
<td><form method="post" action="/dashboard/${guildId}/commands/${c.id}" class="actions">${csrfField(v.csrfToken)}${requestField(newRequestId())}<a class="button" href="/dashboard/${guildId}/commands/${c.id}" aria-label="Edit ${prefix}${c.name}">Edit</a>${
      c.enabled
        ? html`<button type="submit" name="do" value="disable" aria-label="Turn off ${prefix}${c.name}">Turn off</button>`
        : html`<button type="submit" name="do" value="enable" aria-label="Turn on ${prefix}${c.name}">Turn on</button>`
    }${
      c.publicListed
        ? html`<button type="submit" name="do" value="hide" aria-label="Hide ${prefix}${c.name} from the public list">Hide</button>`
        : html`<button type="submit" name="do" value="show" aria-label="Show ${prefix}${c.name} on the public list">Show</button>`
    }<button type="submit" name="do" value="delete" data-confirm="Delete ${prefix}${c.name}? This cannot be undone." aria-label="Delete ${prefix}${c.name}">Delete</button></form></td></tr>`,
  )}</tbody></table>`;
}

function timerRows(guildId: string, v: Viewer, timers: Timer[], newRequestId: () => string): SafeHtml {
  if (timers.length === 0) return html`<p class="muted">No timers yet. Add one below, or with <code>/timer add</code> in Discord.</p>`;
  return html`<table class="stack"><caption class="muted small">Timers post in Kick chat only while the stream is live</caption><thead><tr><th scope="col">Timer</th><th scope="col">Message</th><th scope="col">When</th><th scope="col">State</th><th scope="col">Last posted</th><th scope="col">Change</th></tr></thead><tbody>${timers.map(
    (t) => html`<tr id="timer-${t.name}"><th scope="row">${t.name}</th>
<td data-label="Message"><code>${t.message}</code></td>
<td data-label="When">every ${t.intervalMinutes} min<br>${t.minChatLines > 0 ? `after at least ${t.minChatLines} chat messages` : 'whatever the chat does'}</td>
<td data-label="State">${yesNo(t.enabled, 'on', 'off')}</td>
<td data-label="Last posted">${when(t.lastPostedAt)}</td>
<td><form method="post" action="/dashboard/${guildId}/commands/timers/${t.id}" class="actions">${csrfField(v.csrfToken)}${requestField(newRequestId())}<a class="button" href="/dashboard/${guildId}/commands/timers/${t.id}" aria-label="Edit timer ${t.name}">Edit</a>${
      t.enabled
        ? html`<button type="submit" name="do" value="disable" aria-label="Turn off timer ${t.name}">Turn off</button>`
        : html`<button type="submit" name="do" value="enable" aria-label="Turn on timer ${t.name}">Turn on</button>`
    }<button type="submit" name="do" value="delete" data-confirm="Delete the timer ${t.name}?" aria-label="Delete timer ${t.name}">Delete</button></form></td></tr>`,
  )}</tbody></table>`;
}

/** A section of the page a notice can be shown in. */
type Section = 'commands' | 'timers';

interface PageData {
  prefix: string;
  commands: ChatCommand[];
  timers: Timer[];
}

/** The page: the commands and timers, each with an add form; a notice and kept fields beside the form they are about. */
function commandsPage(input: {
  viewer: Viewer;
  guild: GuildNav;
  data: PageData;
  newRequestId: () => string;
  notices?: { top?: Notice | null; commands?: Notice | null; timers?: Notice | null; addCommand?: Notice | null; addTimer?: Notice | null };
  addCommand?: CommandForm;
  addTimer?: TimerForm;
}): string {
  const g = input.guild.id;
  const v = input.viewer;
  const n = input.notices ?? {};
  const { prefix, commands, timers } = input.data;
  return dashboardPage({
    title: `${input.guild.name} · Commands & timers`,
    viewer: v,
    guild: input.guild,
    body: html`<h1>Commands &amp; timers</h1>${flashNotice(n.top)}
<p>Custom commands answer in Kick chat (<code>${prefix}name</code>); timers post a message every few minutes while the stream is live. The same settings as <code>/command</code> and <code>/timer</code> in Discord.</p>
<section class="card" id="commands" aria-labelledby="commands-h"><h2 id="commands-h">Custom commands (${commands.length})</h2>${flashNotice(n.commands)}${commandRows(g, v, prefix, commands, input.newRequestId)}</section>
<section class="card" id="add-command" aria-labelledby="add-command-h"><h2 id="add-command-h">Add a command</h2>${flashNotice(n.addCommand)}
<form method="post" action="/dashboard/${g}/commands" data-preview="/dashboard/${g}/commands/preview">${csrfField(v.csrfToken)}${requestField(input.newRequestId())}
${commandFields('cmd-new', input.addCommand ?? EMPTY_COMMAND, { withName: true, withEnabled: false, prefix })}
<div class="actions"><button type="submit" class="primary">Add command</button></div></form></section>
<section class="card" id="timers" aria-labelledby="timers-h"><h2 id="timers-h">Timers (${timers.length})</h2>${flashNotice(n.timers)}${timerRows(g, v, timers, input.newRequestId)}</section>
<section class="card" id="add-timer" aria-labelledby="add-timer-h"><h2 id="add-timer-h">Add a timer</h2>${flashNotice(n.addTimer)}
<form method="post" action="/dashboard/${g}/commands/timers" data-preview="/dashboard/${g}/commands/timers/preview">${csrfField(v.csrfToken)}${requestField(input.newRequestId())}
${timerFields('timer-new', input.addTimer ?? EMPTY_TIMER, { withName: true, withEnabled: false })}
<div class="actions"><button type="submit" class="primary">Add timer</button></div></form></section>`,
  });
}

function editCommandPage(input: { viewer: Viewer; guild: GuildNav; prefix: string; command: ChatCommand; form: CommandForm; requestId: string; notice?: Notice | null }): string {
  const g = input.guild.id;
  const c = input.command;
  return dashboardPage({
    title: `${input.guild.name} · ${input.prefix}${c.name}`,
    viewer: input.viewer,
    guild: input.guild,
    body: html`<p><a href="/dashboard/${g}/commands">← Commands &amp; timers</a></p><h1>Edit <code>${input.prefix}${c.name}</code></h1>${flashNotice(input.notice)}
<p class="muted">Used ${c.useCount} times. To rename it, add a new command and delete this one.</p>
<section class="card"><form method="post" action="/dashboard/${g}/commands/${c.id}" data-preview="/dashboard/${g}/commands/preview">${csrfField(input.viewer.csrfToken)}${requestField(input.requestId)}
${commandFields('cmd-edit', input.form, { withName: false, withEnabled: true, prefix: input.prefix })}
<div class="actions"><button type="submit" name="do" value="save" class="primary">Save</button><a class="button" href="/dashboard/${g}/commands">Cancel</a></div></form></section>`,
  });
}

function editTimerPage(input: { viewer: Viewer; guild: GuildNav; timer: Timer; form: TimerForm; requestId: string; notice?: Notice | null }): string {
  const g = input.guild.id;
  const t = input.timer;
  return dashboardPage({
    title: `${input.guild.name} · Timer ${t.name}`,
    viewer: input.viewer,
    guild: input.guild,
    body: html`<p><a href="/dashboard/${g}/commands#timers">← Commands &amp; timers</a></p><h1>Edit timer ${t.name}</h1>${flashNotice(input.notice)}
<p class="muted">Last posted: ${when(t.lastPostedAt)}.</p>
<section class="card"><form method="post" action="/dashboard/${g}/commands/timers/${t.id}" data-preview="/dashboard/${g}/commands/timers/preview">${csrfField(input.viewer.csrfToken)}${requestField(input.requestId)}
${timerFields('timer-edit', input.form, { withName: false, withEnabled: true })}
<div class="actions"><button type="submit" name="do" value="save" class="primary">Save</button><a class="button" href="/dashboard/${g}/commands#timers">Cancel</a></div></form></section>`,
  });
}

/** The live preview's fragment for a command: what a sample viewer typed and the bot's answer, or the problem. */
export function commandPreviewFragment(result: GuildActionResult): SafeHtml {
  if (!result.ok) return html`<p class="bad" role="alert">${discordText(result.error)}</p>`;
  const data = result.data && typeof result.data === 'object' && !Array.isArray(result.data) ? (result.data as { asked?: unknown; user?: unknown }) : {};
  const answer = result.message ? html`<div class="preview-message">${result.message}</div>` : html`<p class="muted">(an empty answer: nothing is posted)</p>`;
  return html`<p class="muted small">${String(data.user ?? 'A viewer')} types <code>${String(data.asked ?? '')}</code>, the bot answers:</p>${answer}`;
}

/** The live preview's fragment for a timer: its message as posted with sample stream values, or the problem. */
export function timerPreviewFragment(result: GuildActionResult): SafeHtml {
  if (!result.ok) return html`<p class="bad" role="alert">${discordText(result.error)}</p>`;
  return result.message ? html`<div class="preview-message">${result.message}</div>` : html`<p class="muted">(an empty message: nothing is posted)</p>`;
}

/** Commands & timers: custom chat commands and timed messages, each added, changed and removed through the bot. */
export const commandsGuildPage: GuildPage = {
  key: 'commands',
  label: 'Commands & timers',
  path: 'commands',
  register(kit) {
    const { prisma } = kit.ctx;
    const prefixOf = async (guildId: string) => (await prisma.guildSettings.findUnique({ where: { guildId }, select: { commandPrefix: true } }))?.commandPrefix ?? '!';
    const load = async (guildId: string): Promise<PageData> => {
      const [prefix, commands, timers] = await Promise.all([
        prefixOf(guildId),
        prisma.chatCommand.findMany({ where: { guildId }, orderBy: { name: 'asc' } }),
        prisma.timer.findMany({ where: { guildId }, orderBy: { name: 'asc' } }),
      ]);
      return { prefix, commands, timers };
    };
    const base = (guildId: string) => `/dashboard/${guildId}/commands`;
    /** After a change: its message as a notice in the section it is about (post → redirect → get). */
    const done = async (req: Request, res: Response, result: GuildActionResult & { ok: true }, guildId: string, section: Section) => {
      await kit.flash(req, { ok: true, text: result.message });
      res.set('cache-control', 'no-store').redirect(303, `${base(guildId)}?done=${section}#${section}`);
    };
    const notFound = (res: Response, v: Viewer, what: string) =>
      kit.send(res, refusalPage({ viewer: v, status: 404, message: `That ${what} is not in this server (it may have been removed).` }), 404);

    kit.router.get('/:guildId/commands', kit.forGuild({}, async (req, res, access, v) => {
      const [data, flash] = await Promise.all([load(access.guild.id), kit.takeFlash(req)]);
      const notice = flash ? { ok: flash.ok, text: discordText(flash.text) } : null;
      const section = req.query.done === 'commands' || req.query.done === 'timers' ? req.query.done : null;
      const notices = section ? { [section]: notice } : { top: notice };
      kit.send(res, commandsPage({ viewer: v, guild: kit.nav(access, 'commands'), data, newRequestId: kit.newRequestId, notices }));
    }));

    // Previews first: "preview" and "timers" are not command ids.
    kit.router.post('/:guildId/commands/preview', kit.forGuild({}, async (req, res, access) => {
      const result = await kit.runAction(req, access, 'commands.preview', { name: formField(req.body, 'name'), response: formField(req.body, 'response') });
      res.set('cache-control', 'no-store').type('html').send(commandPreviewFragment(result).value);
    }));
    kit.router.post('/:guildId/commands/timers/preview', kit.forGuild({}, async (req, res, access) => {
      const result = await kit.runAction(req, access, 'timers.preview', { message: formField(req.body, 'message') });
      res.set('cache-control', 'no-store').type('html').send(timerPreviewFragment(result).value);
    }));

    kit.router.post('/:guildId/commands', kit.forGuild({}, async (req, res, access, v) => {
      const guildId = access.guild.id;
      const form = commandFormOf(req.body);
      const result = await kit.runAction(req, access, 'commands.add', { name: form.name, ...commandInput(form) });
      if (result.ok) return void (await done(req, res, result, guildId, 'commands'));
      // Refused: the page again, with what was typed kept and the bot's reason beside the form.
      const data = await load(guildId);
      kit.send(res, commandsPage({ viewer: v, guild: kit.nav(access, 'commands'), data, newRequestId: kit.newRequestId, notices: { addCommand: noticeOf(result) }, addCommand: form }), 400);
    }));

    kit.router.post('/:guildId/commands/timers', kit.forGuild({}, async (req, res, access, v) => {
      const guildId = access.guild.id;
      const form = timerFormOf(req.body);
      const result = await kit.runAction(req, access, 'timers.add', {
        name: form.name.trim() || null,
        message: form.message,
        intervalMinutes: numberInput(form.intervalMinutes, ''),
        minChatLines: numberInput(form.minChatLines, 0),
      });
      if (result.ok) return void (await done(req, res, result, guildId, 'timers'));
      const data = await load(guildId);
      kit.send(res, commandsPage({ viewer: v, guild: kit.nav(access, 'commands'), data, newRequestId: kit.newRequestId, notices: { addTimer: noticeOf(result) }, addTimer: form }), 400);
    }));

    kit.router.get('/:guildId/commands/timers/:id', kit.forGuild({}, async (req, res, access, v) => {
      const id = String(req.params.id);
      const timer = UUID.test(id) ? await prisma.timer.findFirst({ where: { id, guildId: access.guild.id } }) : null;
      if (!timer) return void notFound(res, v, 'timer');
      const flash = await kit.takeFlash(req);
      kit.send(res, editTimerPage({ viewer: v, guild: kit.nav(access, 'commands'), timer, form: timerFormFrom(timer), requestId: kit.newRequestId(), notice: flash ? { ok: flash.ok, text: discordText(flash.text) } : null }));
    }));

    kit.router.post('/:guildId/commands/timers/:id', kit.forGuild({}, async (req, res, access, v) => {
      const guildId = access.guild.id;
      const id = String(req.params.id);
      if (!UUID.test(id)) return void notFound(res, v, 'timer');
      const todo = formField(req.body, 'do');
      const form = timerFormOf(req.body);
      let result: GuildActionResult;
      if (todo === 'enable' || todo === 'disable') result = await kit.runAction(req, access, 'timers.edit', { id, enabled: todo === 'enable' });
      else if (todo === 'delete') result = await kit.runAction(req, access, 'timers.remove', { id });
      else result = await kit.runAction(req, access, 'timers.edit', { id, message: form.message, intervalMinutes: numberInput(form.intervalMinutes, ''), minChatLines: numberInput(form.minChatLines, 0), enabled: form.enabled });
      if (result.ok) return void (await done(req, res, result, guildId, 'timers'));
      const timer = todo === 'save' ? await prisma.timer.findFirst({ where: { id, guildId } }) : null;
      if (timer) return void kit.send(res, editTimerPage({ viewer: v, guild: kit.nav(access, 'commands'), timer, form, requestId: kit.newRequestId(), notice: noticeOf(result) }), 400);
      const data = await load(guildId);
      kit.send(res, commandsPage({ viewer: v, guild: kit.nav(access, 'commands'), data, newRequestId: kit.newRequestId, notices: { top: noticeOf(result) } }), 400);
    }));

    kit.router.get('/:guildId/commands/:id', kit.forGuild({}, async (req, res, access, v) => {
      const id = String(req.params.id);
      const guildId = access.guild.id;
      const command = UUID.test(id) ? await prisma.chatCommand.findFirst({ where: { id, guildId } }) : null;
      if (!command) return void notFound(res, v, 'command');
      const prefix = await prefixOf(guildId);
      kit.send(res, editCommandPage({ viewer: v, guild: kit.nav(access, 'commands'), prefix, command, form: commandFormFrom(command, prefix), requestId: kit.newRequestId() }));
    }));

    kit.router.post('/:guildId/commands/:id', kit.forGuild({}, async (req, res, access, v) => {
      const guildId = access.guild.id;
      const id = String(req.params.id);
      if (!UUID.test(id)) return void notFound(res, v, 'command');
      const todo = formField(req.body, 'do');
      const form = commandFormOf(req.body);
      let result: GuildActionResult;
      if (todo === 'enable' || todo === 'disable') result = await kit.runAction(req, access, 'commands.edit', { id, enabled: todo === 'enable' });
      else if (todo === 'show' || todo === 'hide') result = await kit.runAction(req, access, 'commands.listing', { id, listed: todo === 'show' });
      else if (todo === 'delete') result = await kit.runAction(req, access, 'commands.remove', { id });
      else result = await kit.runAction(req, access, 'commands.edit', { id, ...commandInput(form), enabled: form.enabled });
      if (result.ok) return void (await done(req, res, result, guildId, 'commands'));
      const command = todo === 'save' ? await prisma.chatCommand.findFirst({ where: { id, guildId } }) : null;
      if (command) {
        const prefix = await prefixOf(guildId);
        return void kit.send(res, editCommandPage({ viewer: v, guild: kit.nav(access, 'commands'), prefix, command, form: { ...form, name: command.name }, requestId: kit.newRequestId(), notice: noticeOf(result) }), 400);
      }
      const data = await load(guildId);
      kit.send(res, commandsPage({ viewer: v, guild: kit.nav(access, 'commands'), data, newRequestId: kit.newRequestId, notices: { top: noticeOf(result) } }), 400);
    }));
  },
};
