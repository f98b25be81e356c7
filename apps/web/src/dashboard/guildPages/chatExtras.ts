import { BUILTIN_CHAT_COMMANDS, resolveBuiltinCommands, USER_LEVELS, type BuiltinChatCommandName, type ResolvedBuiltinCommand } from '@kickcord/core';
import type { ChatCounter, Quote } from '@kickcord/db';
import type { GuildActionResult } from '@kickcord/queue';
import type { Request, Response } from 'express';
import { html, raw, type SafeHtml } from '../../pages/html.ts';
import { csrfField, dashboardPage, flashNotice, requestField, when, type GuildNav, type Viewer } from '../dashboardPages.ts';
import { discordText } from '../discordText.ts';
import type { GuildPage } from '../guildPageKit.ts';
import { formField } from '../formValues.ts';

/** Quotes per page (as `/quotes list`). */
const QUOTES_PER_PAGE = 15;
/** Longest quote and largest counter value and bet, as the bot checks them (the form's hints only). */
const MAX_QUOTE_LENGTH = 300;
const MAX_VALUE = 2_147_483_647;
const MAX_GAME_SECONDS = 86_400;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What each built-in does, in a few words. */
const BUILTIN_HELP: Record<BuiltinChatCommandName, string> = {
  points: 'a viewer’s points',
  watchtime: 'a viewer’s watch time',
  top: 'the points leaderboard',
  commands: 'the link to the public command list',
  uptime: 'how long the stream has been live',
  title: 'the stream title (moderators change it)',
  game: 'the stream category (moderators change it)',
  so: 'a shout-out for another channel (moderators)',
  followage: 'how long a viewer has followed',
  quote: 'quotes: a random one, #n, or add one',
  deaths: 'the death counter (moderators count)',
};

/** The chat games' settings as the form shows them (stored values, or what was typed when a save was refused). */
interface GamesForm {
  gambleEnabled: boolean;
  winChance: string;
  gambleMinBet: string;
  gambleMaxBet: string;
  gambleCooldown: string;
  duelEnabled: boolean;
  duelMinBet: string;
  duelMaxBet: string;
  duelCooldown: string;
  duelExpiry: string;
}

/** The stored settings the page shows. */
interface SettingsRow {
  commandPrefix: string;
  builtinCommands: unknown;
  quoteAddLevel: string;
  gambleEnabled: boolean;
  gambleWinChance: number;
  gambleMinBet: number;
  gambleMaxBet: number;
  gambleCooldownSec: number;
  duelEnabled: boolean;
  duelMinBet: number;
  duelMaxBet: number;
  duelCooldownSec: number;
  duelExpirySec: number;
}

/** The column defaults of a new guild's settings (prisma/schema.prisma and the chat games feature's defaults). */
const DEFAULTS: SettingsRow = {
  commandPrefix: '!',
  builtinCommands: {},
  quoteAddLevel: 'moderator',
  gambleEnabled: false,
  gambleWinChance: 45,
  gambleMinBet: 10,
  gambleMaxBet: 10_000,
  gambleCooldownSec: 30,
  duelEnabled: false,
  duelMinBet: 10,
  duelMaxBet: 10_000,
  duelCooldownSec: 30,
  duelExpirySec: 60,
};

function gamesFormFrom(s: SettingsRow): GamesForm {
  return {
    gambleEnabled: s.gambleEnabled,
    winChance: String(s.gambleWinChance),
    gambleMinBet: String(s.gambleMinBet),
    gambleMaxBet: String(s.gambleMaxBet),
    gambleCooldown: String(s.gambleCooldownSec),
    duelEnabled: s.duelEnabled,
    duelMinBet: String(s.duelMinBet),
    duelMaxBet: String(s.duelMaxBet),
    duelCooldown: String(s.duelCooldownSec),
    duelExpiry: String(s.duelExpirySec),
  };
}

/** A notice beside the section it is about. */
interface Notice {
  ok: boolean;
  text: SafeHtml;
}

/** The sections a notice can be shown in. */
const SECTIONS = ['builtins', 'quotes', 'counters', 'games'] as const;
type Section = (typeof SECTIONS)[number];

/** What was typed in the one form the bot refused (shown again instead of the stored values). */
interface Typed {
  builtin?: { builtin: string; name: string; enabled: boolean };
  quote?: { id: string; text: string };
  addLevel?: string;
  addCounter?: { name: string; value: string };
  counter?: { id: string; value: string };
  games?: GamesForm;
}

interface PageData {
  settings: SettingsRow;
  builtins: ResolvedBuiltinCommand[];
  quotes: Quote[];
  quoteCount: number;
  quotePage: number;
  counters: ChatCounter[];
}

const checkedAttr = (on: boolean): SafeHtml => (on ? raw(' checked') : raw(''));

function builtinRows(g: string, v: Viewer, data: PageData, typed: Typed, newRequestId: () => string): SafeHtml {
  const prefix = data.settings.commandPrefix;
  return html`<table class="stack"><caption class="muted small">Each built-in answers to its name in Kick chat while it is on</caption><thead><tr><th scope="col">Built-in</th><th scope="col">What it answers</th><th scope="col">Name and state</th></tr></thead><tbody>${data.builtins.map((b) => {
    const t = typed.builtin?.builtin === b.builtin ? typed.builtin : null;
    const id = `bi-${b.builtin}`;
    return html`<tr id="${id}"><th scope="row"><code>${prefix}${b.builtin}</code>${b.name === b.builtin ? '' : html`<br><span class="muted small">answers to <code>${prefix}${b.name}</code></span>`}${b.enabled ? '' : html`<br><span class="muted small">off</span>`}</th>
<td data-label="What it answers">${BUILTIN_HELP[b.builtin]}</td>
<td><form method="post" action="/dashboard/${g}/chat-extras/builtins/${b.builtin}">${csrfField(v.csrfToken)}${requestField(newRequestId())}
<label for="${id}-name">Name of the built-in ${prefix}${b.builtin}</label><input type="text" id="${id}-name" name="name" value="${t ? t.name : b.name}" maxlength="33" required autocomplete="off" spellcheck="false">
<div class="actions"><label for="${id}-on"><input type="checkbox" id="${id}-on" name="enabled"${checkedAttr(t ? t.enabled : b.enabled)}> ${prefix}${b.builtin} on</label>
<button type="submit" aria-label="Save ${prefix}${b.builtin}">Save</button></div></form></td></tr>`;
  })}</tbody></table>`;
}

function quotePager(g: string, data: PageData): SafeHtml {
  const pages = Math.max(1, Math.ceil(data.quoteCount / QUOTES_PER_PAGE));
  if (pages === 1) return html``;
  const link = (n: number, text: string, rel: string) => html`<a class="button" rel="${rel}" href="/dashboard/${g}/chat-extras?quotes=${n}#quotes">${text}</a>`;
  return html`<nav class="actions" aria-label="Quote pages">${data.quotePage > 1 ? link(data.quotePage - 1, '← Newer quotes', 'prev') : ''}<span>Page ${data.quotePage} of ${pages}</span>${data.quotePage < pages ? link(data.quotePage + 1, 'Older quotes →', 'next') : ''}</nav>`;
}

function quoteRows(g: string, v: Viewer, data: PageData, typed: Typed, newRequestId: () => string): SafeHtml {
  if (data.quotes.length === 0) return html`<p class="muted">No quotes yet — viewers of the allowed level add them with <code>${data.settings.commandPrefix}quote add &lt;text&gt;</code> in Kick chat.</p>`;
  return html`<table class="stack"><caption class="muted small">Newest first; the other quotes keep their numbers when one is removed</caption><thead><tr><th scope="col">Quote</th><th scope="col">Added</th><th scope="col">Words</th></tr></thead><tbody>${data.quotes.map((q) => {
    const id = `quote-${q.number}`;
    const text = typed.quote?.id === q.id ? typed.quote.text : q.text;
    return html`<tr id="${id}"><th scope="row">#${q.number}</th>
<td data-label="Added">${when(q.createdAt)} by ${q.addedByName}${q.category ? html`<br><span class="muted small">${q.category}</span>` : ''}</td>
<td><form method="post" action="/dashboard/${g}/chat-extras/quotes/${q.id}">${csrfField(v.csrfToken)}${requestField(newRequestId())}<input type="hidden" name="_quotes" value="${data.quotePage}">
<label for="${id}-text">Words of quote #${q.number}</label><textarea id="${id}-text" name="text" rows="2" maxlength="${MAX_QUOTE_LENGTH}" required>${text}</textarea>
<div class="actions"><button type="submit" name="do" value="save" aria-label="Save quote #${q.number}">Save</button><button type="submit" name="do" value="remove" data-confirm="Remove quote #${q.number}? This cannot be undone." aria-label="Remove quote #${q.number}">Remove</button></div></form></td></tr>`;
  })}</tbody></table>${quotePager(g, data)}`;
}

function counterRows(g: string, v: Viewer, data: PageData, typed: Typed, newRequestId: () => string): SafeHtml {
  const prefix = data.settings.commandPrefix;
  if (data.counters.length === 0) return html`<p class="muted">No counters yet — <code>${prefix}deaths</code> starts counting when a moderator types <code>${prefix}deaths +</code>, and the form below adds more.</p>`;
  return html`<table class="stack"><caption class="muted small">Viewers read a counter with its command; moderators count with + or -</caption><thead><tr><th scope="col">Counter</th><th scope="col">Value</th></tr></thead><tbody>${data.counters.map((c) => {
    const id = `counter-${c.name}`;
    const value = typed.counter?.id === c.id ? typed.counter.value : String(c.value);
    return html`<tr id="${id}"><th scope="row"><code>${prefix}${c.name}</code></th>
<td><form method="post" action="/dashboard/${g}/chat-extras/counters/${c.id}">${csrfField(v.csrfToken)}${requestField(newRequestId())}
<label for="${id}-value">Value of ${prefix}${c.name}</label><input type="number" id="${id}-value" name="value" value="${value}" min="0" max="${MAX_VALUE}" inputmode="numeric">
<div class="actions"><button type="submit" name="do" value="set" aria-label="Set ${prefix}${c.name}">Set</button><button type="submit" name="do" value="remove" data-confirm="Remove the counter ${prefix}${c.name}?" aria-label="Remove ${prefix}${c.name}">Remove</button></div></form></td></tr>`;
  })}</tbody></table>`;
}

function numberField(id: string, name: string, label: string, value: string, min: number, max: number, hint: string): SafeHtml {
  return html`<div><label for="${id}">${label}</label><input type="number" id="${id}" name="${name}" value="${value}" min="${min}" max="${max}" required inputmode="numeric" aria-describedby="${id}-hint"><p class="muted small" id="${id}-hint">${hint}</p></div>`;
}

function gamesForms(g: string, v: Viewer, form: GamesForm, prefix: string, newRequestId: () => string): SafeHtml {
  return html`<form method="post" action="/dashboard/${g}/chat-extras/games/gamble">${csrfField(v.csrfToken)}${requestField(newRequestId())}
<fieldset><legend>${prefix}gamble &lt;amount|all|N%&gt;</legend>
<div><label for="game-gamble-on"><input type="checkbox" id="game-gamble-on" name="enabled"${checkedAttr(form.gambleEnabled)}> Let viewers gamble</label></div>
<div class="grid2">${numberField('game-win-chance', 'winChance', 'Win chance (percent)', form.winChance, 1, 99, 'A win pays the bet back doubled (1–99).')}
${numberField('game-gamble-min', 'minBet', 'Smallest bet (points)', form.gambleMinBet, 1, MAX_VALUE, 'At least 1.')}
${numberField('game-gamble-max', 'maxBet', 'Largest bet (points)', form.gambleMaxBet, 1, MAX_VALUE, '“all” and percentages are capped here.')}
${numberField('game-gamble-cooldown', 'cooldown', 'Gamble cooldown (seconds)', form.gambleCooldown, 0, MAX_GAME_SECONDS, 'A viewer waits this long between bets (0–86400).')}</div>
<div class="actions"><button type="submit" class="primary">Save gamble</button></div></fieldset></form>
<form method="post" action="/dashboard/${g}/chat-extras/games/duel">${csrfField(v.csrfToken)}${requestField(newRequestId())}
<fieldset><legend>${prefix}duel @viewer &lt;amount&gt;, answered with ${prefix}accept</legend>
<div><label for="game-duel-on"><input type="checkbox" id="game-duel-on" name="enabled"${checkedAttr(form.duelEnabled)}> Let viewers duel</label></div>
<div class="grid2">${numberField('game-duel-min', 'minBet', 'Smallest stake (points)', form.duelMinBet, 1, MAX_VALUE, 'At least 1.')}
${numberField('game-duel-max', 'maxBet', 'Largest stake (points)', form.duelMaxBet, 1, MAX_VALUE, 'The winner takes both stakes.')}
${numberField('game-duel-cooldown', 'cooldown', 'Duel cooldown (seconds)', form.duelCooldown, 0, MAX_GAME_SECONDS, 'A viewer waits this long between challenges (0–86400).')}
${numberField('game-duel-expiry', 'expiry', 'Time to accept (seconds)', form.duelExpiry, 10, MAX_GAME_SECONDS, 'After this the challenger gets the stake back (10–86400).')}</div>
<div class="actions"><button type="submit" class="primary">Save duel</button></div></fieldset></form>`;
}

/** The page: built-ins, quotes, counters and chat games, each with its notice and the typed values of a refused form. */
function chatExtrasPage(input: { viewer: Viewer; guild: GuildNav; data: PageData; newRequestId: () => string; notices?: Partial<Record<Section | 'top' | 'addCounter' | 'quoteSettings', Notice | null>>; typed?: Typed }): string {
  const g = input.guild.id;
  const v = input.viewer;
  const n = input.notices ?? {};
  const typed = input.typed ?? {};
  const { data } = input;
  const prefix = data.settings.commandPrefix;
  const level = typed.addLevel ?? data.settings.quoteAddLevel;
  const levels = USER_LEVELS.map((l) => html`<option value="${l}"${level === l ? raw(' selected') : raw('')}>${l === 'everyone' ? 'everyone' : l === 'broadcaster' ? 'the broadcaster only' : `${l} and up`}</option>`);
  const addCounter = typed.addCounter ?? { name: '', value: '0' };
  return dashboardPage({
    title: `${input.guild.name} · Chat extras`,
    viewer: v,
    guild: input.guild,
    body: html`<h1>Chat extras</h1>${flashNotice(n.top)}
<p>The built-in Kick chat commands, quotes, counters and the chat games — the same settings as <code>/commands builtin</code>, <code>/quotes</code>, <code>/counters</code> and <code>/games</code> in Discord.</p>
<section class="card" id="builtins" aria-labelledby="builtins-h"><h2 id="builtins-h">Built-in chat commands</h2>${flashNotice(n.builtins)}
<p class="muted small">Rename a built-in to have it answer to another name (its default name puts it back); a name no custom command or counter uses.</p>
${builtinRows(g, v, data, typed, input.newRequestId)}</section>
<section class="card" id="quotes" aria-labelledby="quotes-h"><h2 id="quotes-h">Quotes (${data.quoteCount})</h2>${flashNotice(n.quotes)}
<form method="post" action="/dashboard/${g}/chat-extras/quotes/settings">${csrfField(v.csrfToken)}${requestField(input.newRequestId())}${flashNotice(n.quoteSettings)}
<label for="quote-add-level">Who may add quotes with <code>${prefix}quote add</code></label><select id="quote-add-level" name="addLevel">${levels}</select>
<div class="actions"><button type="submit">Save who may add</button></div></form>
${quoteRows(g, v, data, typed, input.newRequestId)}</section>
<section class="card" id="counters" aria-labelledby="counters-h"><h2 id="counters-h">Counters (${data.counters.length})</h2>${flashNotice(n.counters)}
${counterRows(g, v, data, typed, input.newRequestId)}
<h3 id="add-counter-h">Add a counter</h3>${flashNotice(n.addCounter)}
<form method="post" action="/dashboard/${g}/chat-extras/counters" aria-labelledby="add-counter-h">${csrfField(v.csrfToken)}${requestField(input.newRequestId())}
<div class="grid2"><div><label for="counter-new-name">Counter name</label><input type="text" id="counter-new-name" name="name" value="${addCounter.name}" maxlength="33" required autocomplete="off" spellcheck="false" aria-describedby="counter-new-name-help"><p class="muted small" id="counter-new-name-help">Without the prefix: <code>wins</code> answers to <code>${prefix}wins</code>.</p></div>
<div><label for="counter-new-value">Starting value</label><input type="number" id="counter-new-value" name="value" value="${addCounter.value}" min="0" max="${MAX_VALUE}" inputmode="numeric"></div></div>
<div class="actions"><button type="submit" class="primary">Add counter</button></div></form></section>
<section class="card" id="games" aria-labelledby="games-h"><h2 id="games-h">Chat games</h2>${flashNotice(n.games)}
<p class="muted small">Ways to spend points in Kick chat; both are off until turned on.</p>
${gamesForms(g, v, typed.games ?? gamesFormFrom(data.settings), prefix, input.newRequestId)}</section>`,
  });
}

/** Chat extras: built-in chat commands (on/off, names), quotes, counters and chat games settings, each changed through the bot. */
export const chatExtrasGuildPage: GuildPage = {
  key: 'chat-extras',
  label: 'Chat extras',
  path: 'chat-extras',
  register(kit) {
    const { prisma } = kit.ctx;
    const load = async (guildId: string, requestedPage: number): Promise<PageData> => {
      const [row, quoteCount, counters] = await Promise.all([
        prisma.guildSettings.findUnique({ where: { guildId } }),
        prisma.quote.count({ where: { guildId } }),
        prisma.chatCounter.findMany({ where: { guildId }, orderBy: { name: 'asc' } }),
      ]);
      const settings: SettingsRow = row ?? DEFAULTS;
      const pages = Math.max(1, Math.ceil(quoteCount / QUOTES_PER_PAGE));
      const quotePage = Math.min(Math.max(1, requestedPage), pages);
      const quotes = await prisma.quote.findMany({ where: { guildId }, orderBy: { number: 'desc' }, skip: (quotePage - 1) * QUOTES_PER_PAGE, take: QUOTES_PER_PAGE });
      return { settings, builtins: resolveBuiltinCommands(settings.builtinCommands), quotes, quoteCount, quotePage, counters };
    };
    const pageOf = (req: Request): number => {
      const raw = typeof req.query.quotes === 'string' ? req.query.quotes : formField(req.body, '_quotes');
      return /^\d{1,6}$/.test(raw) ? Number(raw) : 1;
    };
    const base = (guildId: string) => `/dashboard/${guildId}/chat-extras`;
    /** After a change: its message as a notice in its section (post → redirect → get). */
    const done = async (req: Request, res: Response, result: GuildActionResult & { ok: true }, guildId: string, section: Section) => {
      await kit.flash(req, { ok: true, text: result.message });
      const quotePage = section === 'quotes' ? pageOf(req) : 1;
      res.set('cache-control', 'no-store').redirect(303, `${base(guildId)}?${quotePage > 1 ? `quotes=${quotePage}&` : ''}done=${section}#${section}`);
    };
    /** A refusal: the page again (400), the bot's words beside the form, what was typed kept. */
    const refused = async (req: Request, res: Response, access: Parameters<typeof kit.nav>[0], v: Viewer, result: GuildActionResult, where: Section | 'top' | 'addCounter' | 'quoteSettings', typed: Typed) => {
      const data = await load(access.guild.id, pageOf(req));
      const text = discordText(result.ok ? result.message : result.error);
      kit.send(res, chatExtrasPage({ viewer: v, guild: kit.nav(access, 'chat-extras'), data, newRequestId: kit.newRequestId, notices: { [where]: { ok: result.ok, text } }, typed }), 400);
    };

    kit.router.get('/:guildId/chat-extras', kit.forGuild({}, async (req, res, access, v) => {
      const [data, flash] = await Promise.all([load(access.guild.id, pageOf(req)), kit.takeFlash(req)]);
      const notice = flash ? { ok: flash.ok, text: discordText(flash.text) } : null;
      const section = SECTIONS.find((s) => s === req.query.done);
      const notices = section ? { [section]: notice } : { top: notice };
      kit.send(res, chatExtrasPage({ viewer: v, guild: kit.nav(access, 'chat-extras'), data, newRequestId: kit.newRequestId, notices }));
    }));

    kit.router.post('/:guildId/chat-extras/builtins/:builtin', kit.forGuild({}, async (req, res, access, v) => {
      const builtin = String(req.params.builtin);
      const typed = { builtin, name: formField(req.body, 'name'), enabled: formField(req.body, 'enabled') === 'on' };
      const known = (BUILTIN_CHAT_COMMANDS as readonly string[]).includes(builtin);
      const result = await kit.runAction(req, access, 'builtins.update', { command: builtin, name: typed.name, enabled: typed.enabled });
      if (result.ok) return void (await done(req, res, result, access.guild.id, 'builtins'));
      await refused(req, res, access, v, result, known ? 'builtins' : 'top', { builtin: typed });
    }));

    kit.router.post('/:guildId/chat-extras/quotes/settings', kit.forGuild({}, async (req, res, access, v) => {
      const addLevel = formField(req.body, 'addLevel');
      const result = await kit.runAction(req, access, 'quotes.settings', { addLevel });
      if (result.ok) return void (await done(req, res, result, access.guild.id, 'quotes'));
      await refused(req, res, access, v, result, 'quoteSettings', { addLevel });
    }));

    kit.router.post('/:guildId/chat-extras/quotes/:id', kit.forGuild({}, async (req, res, access, v) => {
      const id = String(req.params.id);
      const text = formField(req.body, 'text');
      if (!UUID.test(id)) return void (await refused(req, res, access, v, { ok: false, error: 'That quote is not in this server any more — it may have just been removed. Reload the page.' }, 'quotes', {}));
      const result = formField(req.body, 'do') === 'remove' ? await kit.runAction(req, access, 'quotes.remove', { id }) : await kit.runAction(req, access, 'quotes.edit', { id, text });
      if (result.ok) return void (await done(req, res, result, access.guild.id, 'quotes'));
      await refused(req, res, access, v, result, 'quotes', { quote: { id, text } });
    }));

    kit.router.post('/:guildId/chat-extras/counters', kit.forGuild({}, async (req, res, access, v) => {
      const typed = { name: formField(req.body, 'name'), value: formField(req.body, 'value') };
      const result = await kit.runAction(req, access, 'counters.add', { name: typed.name, ...(typed.value.trim() === '' ? {} : { value: typed.value }) });
      if (result.ok) return void (await done(req, res, result, access.guild.id, 'counters'));
      await refused(req, res, access, v, result, 'addCounter', { addCounter: typed });
    }));

    kit.router.post('/:guildId/chat-extras/counters/:id', kit.forGuild({}, async (req, res, access, v) => {
      const id = String(req.params.id);
      const value = formField(req.body, 'value');
      if (!UUID.test(id)) return void (await refused(req, res, access, v, { ok: false, error: 'That counter is not in this server any more — it may have just been removed. Reload the page.' }, 'counters', {}));
      const result = formField(req.body, 'do') === 'remove' ? await kit.runAction(req, access, 'counters.remove', { id }) : await kit.runAction(req, access, 'counters.set', { id, value });
      if (result.ok) return void (await done(req, res, result, access.guild.id, 'counters'));
      await refused(req, res, access, v, result, 'counters', { counter: { id, value } });
    }));

    kit.router.post('/:guildId/chat-extras/games/:game', kit.forGuild({}, async (req, res, access, v) => {
      const game = String(req.params.game);
      const enabled = formField(req.body, 'enabled') === 'on';
      const b = req.body as unknown;
      let result: GuildActionResult;
      let typed: GamesForm;
      const stored = gamesFormFrom((await prisma.guildSettings.findUnique({ where: { guildId: access.guild.id } })) ?? DEFAULTS);
      if (game === 'gamble') {
        typed = { ...stored, gambleEnabled: enabled, winChance: formField(b, 'winChance'), gambleMinBet: formField(b, 'minBet'), gambleMaxBet: formField(b, 'maxBet'), gambleCooldown: formField(b, 'cooldown') };
        result = await kit.runAction(req, access, 'chatGames.gamble', { enabled, winChance: typed.winChance, minBet: typed.gambleMinBet, maxBet: typed.gambleMaxBet, cooldown: typed.gambleCooldown });
      } else if (game === 'duel') {
        typed = { ...stored, duelEnabled: enabled, duelMinBet: formField(b, 'minBet'), duelMaxBet: formField(b, 'maxBet'), duelCooldown: formField(b, 'cooldown'), duelExpiry: formField(b, 'expiry') };
        result = await kit.runAction(req, access, 'chatGames.duel', { enabled, minBet: typed.duelMinBet, maxBet: typed.duelMaxBet, cooldown: typed.duelCooldown, expiry: typed.duelExpiry });
      } else {
        return void (await refused(req, res, access, v, { ok: false, error: 'There is no such chat game: gamble or duel.' }, 'games', {}));
      }
      if (result.ok) return void (await done(req, res, result, access.guild.id, 'games'));
      await refused(req, res, access, v, result, 'games', { games: typed });
    }));
  },
};
