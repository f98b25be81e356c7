import { createHash } from 'node:crypto';
import { decimalStringToCents, formatCents, formatPointsAmount, groupCalls } from '@kickcord/core';
import type { GuildActionResult } from '@kickcord/queue';
import { html, raw, type SafeHtml } from '../../pages/html.ts';
import { csrfField, dashboardPage, flashNotice, requestField, when, type GuildNav, type Viewer } from '../dashboardPages.ts';
import { discordText } from '../discordText.ts';
import type { DashboardContext, GuildPage } from '../guildPageKit.ts';
import { formField } from '../formValues.ts';

/** The three games of the page, each one card that refreshes itself. */
const GAMES = ['raffle', 'gtb', 'slots'] as const;
type Game = (typeof GAMES)[number];

/** Seconds between two refreshes of a card while the page is open. */
export const GAMES_REFRESH_SECONDS = 3;
/** Entrants, guesses and queued slots shown per card (the counts are always complete). */
const RECENT = 10;
const QUEUE_SHOWN = 25;

function isGame(value: string): value is Game {
  return (GAMES as readonly string[]).includes(value);
}

/** What a card shows, read straight from the database (the page never changes anything itself). */
interface RaffleCard {
  active: {
    id: string;
    keyword: string;
    status: string;
    cost: number;
    winnersCount: number;
    subscriberLuck: number;
    giftedSubTickets: number;
    endsAt: Date | null;
    entrants: number;
    tickets: number;
    recent: { username: string; tickets: number }[];
  } | null;
  last: { id: string; keyword: string; status: string; closedAt: Date | null; entrants: number; winners: { username: string; tickets: number }[]; notWon: number } | null;
}

interface GtbCard {
  active: { id: string; status: string; prize: number; createdAt: Date; guesses: number; recent: { username: string; amount: string }[] } | null;
  last: { id: string; status: string; prize: number; result: string | null; resolvedAt: Date | null; closedAt: Date | null; guesses: number; winner: { username: string; amount: string } | null } | null;
}

interface SlotsCard {
  open: boolean;
  cost: number;
  calls: number;
  queue: { slotName: string; callers: string[] }[];
  lastPick: { slotName: string; callers: string[]; pickedAt: Date } | null;
}

/** What was typed into a form that the bot refused, shown again beside its reason. */
type Typed = Record<string, string>;

/** A notice inside one card: the bot's answer to the last change made there. */
interface CardNotice {
  game: Game;
  ok: boolean;
  text: SafeHtml;
  /** The form that was refused, with what was typed. */
  form?: string;
  typed?: Typed;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

async function loadRaffle(ctx: DashboardContext, guildId: string): Promise<RaffleCard> {
  const { prisma } = ctx;
  const [active, last] = await Promise.all([
    prisma.raffle.findUnique({ where: { openGuildId: guildId } }),
    prisma.raffle.findFirst({ where: { guildId, status: { in: ['drawn', 'cancelled'] } }, orderBy: [{ closedAt: 'desc' }, { createdAt: 'desc' }] }),
  ]);
  let activeCard: RaffleCard['active'] = null;
  if (active && active.guildId === guildId) {
    const [agg, recent] = await Promise.all([
      prisma.raffleEntry.aggregate({ where: { raffleId: active.id }, _count: { _all: true }, _sum: { tickets: true } }),
      prisma.raffleEntry.findMany({ where: { raffleId: active.id }, orderBy: [{ createdAt: 'desc' }, { kickUserId: 'desc' }], take: RECENT, select: { username: true, tickets: true } }),
    ]);
    activeCard = {
      id: active.id,
      keyword: active.keyword,
      status: active.status,
      cost: active.cost,
      winnersCount: active.winnersCount,
      subscriberLuck: active.subscriberLuck,
      giftedSubTickets: active.giftedSubTickets,
      endsAt: active.endsAt,
      entrants: agg._count._all,
      tickets: agg._sum.tickets ?? 0,
      recent,
    };
  }
  let lastCard: RaffleCard['last'] = null;
  if (last) {
    const [entrants, winners] = await Promise.all([
      prisma.raffleEntry.count({ where: { raffleId: last.id } }),
      prisma.raffleEntry.findMany({ where: { raffleId: last.id, won: true }, orderBy: { username: 'asc' }, select: { username: true, tickets: true } }),
    ]);
    lastCard = { id: last.id, keyword: last.keyword, status: last.status, closedAt: last.closedAt, entrants, winners, notWon: entrants - winners.length };
  }
  return { active: activeCard, last: lastCard };
}

async function loadGtb(ctx: DashboardContext, guildId: string): Promise<GtbCard> {
  const { prisma } = ctx;
  const [active, last] = await Promise.all([
    prisma.gtbRound.findUnique({ where: { openGuildId: guildId } }),
    prisma.gtbRound.findFirst({ where: { guildId, status: { in: ['resolved', 'cancelled'] } }, orderBy: [{ closedAt: 'desc' }, { createdAt: 'desc' }] }),
  ]);
  const amount = (value: { toString(): string }) => formatCents(decimalStringToCents(value.toString()));
  let activeCard: GtbCard['active'] = null;
  if (active && active.guildId === guildId) {
    const [guesses, recent] = await Promise.all([
      prisma.gtbGuess.count({ where: { roundId: active.id } }),
      prisma.gtbGuess.findMany({ where: { roundId: active.id }, orderBy: [{ guessedAt: 'desc' }, { kickUserId: 'desc' }], take: RECENT, select: { username: true, amount: true } }),
    ]);
    activeCard = { id: active.id, status: active.status, prize: active.prize, createdAt: active.createdAt, guesses, recent: recent.map((g) => ({ username: g.username, amount: amount(g.amount) })) };
  }
  let lastCard: GtbCard['last'] = null;
  if (last) {
    const guesses = await prisma.gtbGuess.count({ where: { roundId: last.id } });
    let winner: { username: string; amount: string } | null = null;
    if (last.result !== null && guesses > 0) {
      // The bot's rule: the closest guess, over or under alike; ties go to the earliest guess.
      const rows = await prisma.$queryRaw<{ username: string; amount: { toString(): string } }[]>`
        SELECT username, amount FROM "GtbGuess" WHERE "roundId" = ${last.id}
        ORDER BY abs(amount - ${last.result.toString()}::numeric), "guessedAt", "kickUserId" LIMIT 1`;
      const row = rows[0];
      if (row) winner = { username: row.username, amount: amount(row.amount) };
    }
    lastCard = { id: last.id, status: last.status, prize: last.prize, result: last.result === null ? null : amount(last.result), resolvedAt: last.resolvedAt, closedAt: last.closedAt, guesses, winner };
  }
  return { active: activeCard, last: lastCard };
}

async function loadSlots(ctx: DashboardContext, guildId: string): Promise<SlotsCard> {
  const { prisma } = ctx;
  const [settings, calls, picked] = await Promise.all([
    prisma.guildSettings.findUnique({ where: { guildId }, select: { slotCallsOpen: true, slotCallCost: true } }),
    prisma.slotCall.findMany({ where: { guildId, status: 'open' }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], select: { normalizedName: true, slotName: true, createdAt: true, username: true } }),
    prisma.slotCall.findFirst({ where: { guildId, status: 'picked' }, orderBy: [{ pickedAt: 'desc' }, { createdAt: 'asc' }], select: { normalizedName: true, pickedAt: true } }),
  ]);
  const groups = groupCalls(calls.map((c) => ({ normalizedName: c.normalizedName, slotName: c.slotName, createdAt: c.createdAt.getTime(), username: c.username })));
  let lastPick: SlotsCard['lastPick'] = null;
  if (picked?.pickedAt) {
    const same = await prisma.slotCall.findMany({ where: { guildId, status: 'picked', normalizedName: picked.normalizedName, pickedAt: picked.pickedAt }, orderBy: { createdAt: 'asc' }, select: { slotName: true, username: true } });
    lastPick = { slotName: same[0]?.slotName ?? '', callers: same.map((c) => c.username), pickedAt: picked.pickedAt };
  }
  return {
    open: settings?.slotCallsOpen ?? false,
    cost: settings?.slotCallCost ?? 0,
    calls: calls.length,
    queue: groups.map((g) => ({ slotName: g.displayName, callers: g.callers.map((c) => c.username) })),
    lastPick,
  };
}

/** A button that posts one change (with the card's CSRF token and a one-time request id). */
function actionButton(input: { guildId: string; viewer: Viewer; game: Game; todo: string; label: string; requestId: string; hidden?: Record<string, string>; confirm?: string; primary?: boolean }): SafeHtml {
  const hidden = Object.entries(input.hidden ?? {}).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`);
  return html`<form class="inline" method="post" action="/dashboard/${input.guildId}/games/${input.game}/${input.todo}">${csrfField(input.viewer.csrfToken)}${requestField(input.requestId)}${hidden}<button type="submit"${input.primary ? raw(' class="primary"') : raw('')}${input.confirm ? html` data-confirm="${input.confirm}"` : raw('')}>${input.label}</button></form>`;
}

/** A number field with its label (empty = the default the hint names). */
function numberField(id: string, name: string, label: string, value: string, opts: { min: number; max: number; hint: string }): SafeHtml {
  return html`<div><label for="${id}">${label}</label><input type="number" id="${id}" name="${name}" min="${opts.min}" max="${opts.max}" step="1" inputmode="numeric" value="${value}" aria-describedby="${id}-hint"><span class="muted small" id="${id}-hint">${opts.hint}</span></div>`;
}

/** Everything a card needs to render besides its state. */
interface CardContext {
  guildId: string;
  viewer: Viewer;
  newRequestId: () => string;
  notice: CardNotice | null;
}

function typedFor(c: CardContext, game: Game, form: string): Typed | undefined {
  return c.notice && !c.notice.ok && c.notice.game === game && c.notice.form === form ? c.notice.typed : undefined;
}

function raffleBody(s: RaffleCard, c: CardContext): SafeHtml {
  const button = (todo: string, label: string, raffleId: string, extra: { confirm?: string; primary?: boolean } = {}) =>
    actionButton({ guildId: c.guildId, viewer: c.viewer, game: 'raffle', todo, label, requestId: c.newRequestId(), hidden: { raffleId }, ...extra });
  let current: SafeHtml;
  const a = s.active;
  if (a) {
    const state = a.status === 'open' ? html`<span class="ok">taking entries</span>${a.endsAt ? html` until ${when(a.endsAt)}` : ''}` : html`<span class="warn">entries closed — ready to draw</span>`;
    const extras = [
      a.cost > 0 ? `entry costs ${formatPointsAmount(a.cost)}` : 'free to enter',
      plural(a.winnersCount, 'winner', 'winners'),
      ...(a.subscriberLuck > 1 ? [`subscribers get ${a.subscriberLuck} tickets`] : []),
      ...(a.giftedSubTickets > 0 ? [`${plural(a.giftedSubTickets, 'ticket', 'tickets')} per gifted sub`] : []),
    ];
    current = html`<p>Viewers type <strong><code>${a.keyword}</code></strong> in Kick chat · ${state}</p>
<p class="muted small">${extras.join(' · ')}</p>
<p class="stats"><strong data-stat="entries">${a.entrants}</strong> ${a.entrants === 1 ? 'entry' : 'entries'} · <strong>${a.tickets}</strong> ${a.tickets === 1 ? 'ticket' : 'tickets'}</p>
${a.recent.length ? html`<h3>Latest entrants</h3><ul class="recent">${a.recent.map((e) => html`<li>${e.username}${e.tickets > 1 ? html` <span class="muted">(${e.tickets} tickets)</span>` : ''}</li>`)}</ul>` : html`<p class="muted">Nobody has entered yet.</p>`}
<div class="actions">${button('draw', a.winnersCount === 1 ? 'Draw the winner' : `Draw ${a.winnersCount} winners`, a.id, { primary: true, confirm: `Draw ${plural(a.winnersCount, 'winner', 'winners')} now? The raffle ends.` })}${a.status === 'open' ? button('close', 'Close entries', a.id, { confirm: 'Stop taking entries? You draw afterwards.' }) : ''}${button('cancel', 'Cancel raffle', a.id, { confirm: 'Cancel the raffle? Entry costs are refunded and nobody wins.' })}</div>`;
  } else {
    const t = typedFor(c, 'raffle', 'start') ?? {};
    current = html`<p class="muted">No raffle is running.</p>
<form method="post" action="/dashboard/${c.guildId}/games/raffle/start">${csrfField(c.viewer.csrfToken)}${requestField(c.newRequestId())}
<fieldset><legend>Start a raffle</legend>
<div class="grid2"><div><label for="raffle-keyword">Keyword</label><input type="text" id="raffle-keyword" name="keyword" maxlength="32" placeholder="!join" value="${t.keyword ?? ''}" aria-describedby="raffle-keyword-hint"><span class="muted small" id="raffle-keyword-hint">One word viewers type first in a chat message; empty = !join.</span></div>
${numberField('raffle-cost', 'cost', 'Entry cost (points)', t.cost ?? '', { min: 0, max: 2_147_483_647, hint: 'Empty = free. Refunded if you cancel.' })}
${numberField('raffle-duration', 'durationMinutes', 'Entries close after (minutes)', t.durationMinutes ?? '', { min: 1, max: 1440, hint: 'Empty = until you draw or close.' })}
${numberField('raffle-winners', 'winners', 'Winners', t.winners ?? '', { min: 1, max: 100, hint: 'Empty = 1.' })}
${numberField('raffle-luck', 'subscriberLuck', 'Subscriber tickets', t.subscriberLuck ?? '', { min: 1, max: 100, hint: 'Tickets a subscriber gets; empty = 1 (no bonus).' })}
${numberField('raffle-gifted', 'giftedSubTickets', 'Tickets per gifted sub', t.giftedSubTickets ?? '', { min: 0, max: 100, hint: 'Empty = 0 (off).' })}</div>
<div class="actions"><button type="submit" class="primary">Start raffle</button></div></fieldset></form>`;
  }
  const l = s.last;
  const last = !l
    ? html``
    : html`<h3>Last raffle</h3><p><code>${l.keyword}</code> · ${l.status === 'cancelled' ? 'cancelled' : 'drawn'} ${when(l.closedAt)} · ${plural(l.entrants, 'entry', 'entries')}</p>${
        l.status === 'drawn'
          ? html`<p>${l.winners.length === 1 ? 'Winner' : 'Winners'}: ${l.winners.length ? html`<strong data-stat="winners">${l.winners.map((w) => w.username).join(', ')}</strong>` : html`<span class="muted">none</span>`}</p>${
              l.notWon > 0 ? html`<div class="actions">${button('redraw', 'Re-draw one more winner', l.id, { confirm: 'Draw one more winner among those who have not won?' })}</div>` : ''
            }`
          : ''
      }`;
  return html`${current}${last}`;
}

function gtbBody(s: GtbCard, c: CardContext): SafeHtml {
  const button = (todo: string, label: string, roundId: string, extra: { confirm?: string; primary?: boolean } = {}) =>
    actionButton({ guildId: c.guildId, viewer: c.viewer, game: 'gtb', todo, label, requestId: c.newRequestId(), hidden: { roundId }, ...extra });
  let current: SafeHtml;
  const a = s.active;
  if (a) {
    const t = typedFor(c, 'gtb', 'resolve') ?? {};
    current = html`<p>Viewers type <code>!gtb &lt;amount&gt;</code> in Kick chat · ${a.status === 'open' ? html`<span class="ok">taking guesses</span>` : html`<span class="warn">guesses closed</span>`}${a.prize > 0 ? ` · prize ${formatPointsAmount(a.prize)}` : ''}</p>
<p class="stats"><strong data-stat="guesses">${a.guesses}</strong> ${a.guesses === 1 ? 'guess' : 'guesses'}</p>
${a.recent.length ? html`<h3>Latest guesses</h3><ul class="recent">${a.recent.map((g) => html`<li>${g.username}: ${g.amount}</li>`)}</ul>` : html`<p class="muted">No guesses yet.</p>`}
<div class="actions">${a.status === 'open' ? button('close', 'Close guesses', a.id) : ''}${button('cancel', 'Cancel round', a.id, { confirm: 'Cancel the round? Nobody wins the prize.' })}</div>
<form method="post" action="/dashboard/${c.guildId}/games/gtb/resolve">${csrfField(c.viewer.csrfToken)}${requestField(c.newRequestId())}<input type="hidden" name="roundId" value="${a.id}">
<label for="gtb-amount">Final balance</label><input type="text" id="gtb-amount" name="amount" maxlength="40" required inputmode="decimal" value="${t.amount ?? ''}" aria-describedby="gtb-amount-hint"><span class="muted small" id="gtb-amount-hint">e.g. 1234.50, 1,234.50 or 1.2k. Names the closest guess${a.prize > 0 ? ' and pays the prize' : ''}.</span>
<div class="actions"><button type="submit" class="primary" data-confirm="Enter this balance and end the round?">Resolve</button></div></form>`;
  } else {
    const t = typedFor(c, 'gtb', 'start') ?? {};
    current = html`<p class="muted">No round is running.</p>
<form method="post" action="/dashboard/${c.guildId}/games/gtb/start">${csrfField(c.viewer.csrfToken)}${requestField(c.newRequestId())}
<fieldset><legend>Open a round</legend>${numberField('gtb-prize', 'prize', 'Prize (points)', t.prize ?? '', { min: 0, max: 1_000_000_000, hint: 'For the closest guess; empty = no prize.' })}
<div class="actions"><button type="submit" class="primary">Open round</button></div></fieldset></form>`;
  }
  const l = s.last;
  const last = !l
    ? html``
    : l.status === 'cancelled'
      ? html`<h3>Last round</h3><p>Cancelled ${when(l.closedAt)} · ${plural(l.guesses, 'guess', 'guesses')}</p>`
      : html`<h3>Last round</h3><p>The balance was <strong>${l.result ?? ''}</strong> · ${when(l.resolvedAt)} · ${plural(l.guesses, 'guess', 'guesses')}</p><p>${
          l.winner ? html`Winner: <strong data-stat="gtb-winner">${l.winner.username}</strong> with ${l.winner.amount}${l.prize > 0 ? ` — won ${formatPointsAmount(l.prize)}` : ''}` : html`<span class="muted">Nobody guessed.</span>`
        }</p>`;
  return html`${current}${last}`;
}

function slotsBody(s: SlotsCard, c: CardContext): SafeHtml {
  const button = (todo: string, label: string, extra: { hidden?: Record<string, string>; confirm?: string; primary?: boolean } = {}) =>
    actionButton({ guildId: c.guildId, viewer: c.viewer, game: 'slots', todo, label, requestId: c.newRequestId(), ...extra });
  const tOpen = typedFor(c, 'slots', 'open') ?? {};
  const tRemove = typedFor(c, 'slots', 'remove') ?? {};
  const state = s.open ? html`<span class="ok">open</span>${s.cost > 0 ? ` · ${formatPointsAmount(s.cost)} per call` : ' · free'}` : html`<span class="muted">closed</span>`;
  const queue = s.queue.length
    ? html`<ol class="queue">${s.queue.slice(0, QUEUE_SHOWN).map(
        (g) => html`<li><strong>${g.slotName}</strong> — ${g.callers.join(', ')} ${button('remove', 'Remove', { hidden: { slot: g.slotName }, confirm: `Remove every call of ${g.slotName}? Their costs are refunded.` })}</li>`,
      )}</ol>${s.queue.length > QUEUE_SHOWN ? html`<p class="muted">…and ${s.queue.length - QUEUE_SHOWN} more slots</p>` : ''}`
    : html`<p class="muted">The queue is empty.</p>`;
  const openForm = s.open
    ? button('close', 'Close slot calls', { confirm: 'Stop taking calls? The queue stays.' })
    : html`<form method="post" action="/dashboard/${c.guildId}/games/slots/open">${csrfField(c.viewer.csrfToken)}${requestField(c.newRequestId())}<fieldset><legend>Open slot calls</legend>${numberField('slots-cost', 'cost', 'Cost of a call (points)', tOpen.cost ?? '', { min: 0, max: 1_000_000, hint: `Empty = keep ${formatPointsAmount(s.cost)}. Refunded if removed.` })}<div class="actions"><button type="submit" class="primary">Open slot calls</button></div></fieldset></form>`;
  const last = s.lastPick ? html`<h3>Last pick</h3><p><strong data-stat="last-pick">${s.lastPick.slotName}</strong> — ${s.lastPick.callers.join(', ')} · ${when(s.lastPick.pickedAt)}</p>` : html``;
  return html`<p>Viewers type <code>!call &lt;slot&gt;</code> in Kick chat · ${state}</p>
<p class="stats"><strong data-stat="calls">${s.calls}</strong> ${s.calls === 1 ? 'call' : 'calls'} · ${plural(s.queue.length, 'slot', 'slots')}</p>
${queue}
${s.queue.length ? html`<div class="actions">${button('pick', 'Pick next', { primary: true, hidden: { random: 'false' } })}${button('pick', 'Pick at random', { hidden: { random: 'true' } })}${button('clear', 'Clear the queue', { confirm: 'Remove every call? Their costs are refunded.' })}</div>` : ''}
${s.queue.length ? html`<form method="post" action="/dashboard/${c.guildId}/games/slots/remove">${csrfField(c.viewer.csrfToken)}${requestField(c.newRequestId())}<label for="slots-viewer">Remove a viewer’s call</label><input type="text" id="slots-viewer" name="viewer" maxlength="64" placeholder="Kick username" value="${tRemove.viewer ?? ''}"> <button type="submit">Remove call</button></form>` : ''}
<div class="actions">${openForm}</div>${last}`;
}

const TITLES: Record<Game, string> = { raffle: 'Raffle', gtb: 'Guess the balance', slots: 'Slot calls' };

function summary(game: Game, state: RaffleCard | GtbCard | SlotsCard): string {
  if (game === 'raffle') {
    const a = (state as RaffleCard).active;
    const l = (state as RaffleCard).last;
    if (a) return `Raffle ${a.keyword}: ${a.status === 'open' ? 'taking entries' : 'entries closed'}, ${plural(a.entrants, 'entry', 'entries')}.`;
    return l?.status === 'drawn' ? `Raffle drawn: ${l.winners.map((w) => w.username).join(', ') || 'no winner'}.` : 'No raffle running.';
  }
  if (game === 'gtb') {
    const a = (state as GtbCard).active;
    const l = (state as GtbCard).last;
    if (a) return `Guess the balance: ${a.status === 'open' ? 'taking guesses' : 'guesses closed'}, ${plural(a.guesses, 'guess', 'guesses')}.`;
    return l?.status === 'resolved' ? `Guess the balance resolved at ${l.result ?? ''}: ${l.winner ? `${l.winner.username} won` : 'nobody guessed'}.` : 'No guess-the-balance round running.';
  }
  const s = state as SlotsCard;
  return `Slot calls ${s.open ? 'open' : 'closed'}, ${plural(s.calls, 'call', 'calls')} in the queue.`;
}

async function loadGame(ctx: DashboardContext, guildId: string, game: Game): Promise<RaffleCard | GtbCard | SlotsCard> {
  return game === 'raffle' ? loadRaffle(ctx, guildId) : game === 'gtb' ? loadGtb(ctx, guildId) : loadSlots(ctx, guildId);
}

/**
 * A card's refreshing part: `data-refresh` is where the dashboard script fetches it again, `data-version` changes
 * only when what it shows changes (so nothing is replaced, or announced, for nothing), and `data-summary` is the
 * sentence the card's polite live region says when it does.
 */
function liveBlock(game: Game, state: RaffleCard | GtbCard | SlotsCard, c: CardContext): SafeHtml {
  const version = createHash('sha256').update(JSON.stringify(state)).digest('base64url').slice(0, 16);
  const body = game === 'raffle' ? raffleBody(state as RaffleCard, c) : game === 'gtb' ? gtbBody(state as GtbCard, c) : slotsBody(state as SlotsCard, c);
  return html`<div id="${game}-live" data-refresh="/dashboard/${c.guildId}/games/live/${game}" data-refresh-every="${GAMES_REFRESH_SECONDS}" data-refresh-announce="${game}-status" data-version="${version}" data-summary="${summary(game, state)}">${body}</div>`;
}

function gamesPage(input: { viewer: Viewer; guild: GuildNav; states: Record<Game, RaffleCard | GtbCard | SlotsCard>; c: CardContext }): string {
  const cards = GAMES.map((game) => {
    const notice = input.c.notice?.game === game ? flashNotice(input.c.notice) : html``;
    return html`<section class="card" id="${game}" aria-labelledby="${game}-h"><h2 id="${game}-h">${TITLES[game]}</h2>${notice}<p class="muted small" id="${game}-status" aria-live="polite"></p>${liveBlock(game, input.states[game], input.c)}</section>`;
  });
  return dashboardPage({
    title: `${input.guild.name} · Games`,
    viewer: input.viewer,
    guild: input.guild,
    body: html`<h1>Games</h1><p>Raffles, guess the balance and slot calls, as with <code>/raffle</code>, <code>/gtb</code> and <code>/slotcalls</code> in Discord: the same rules, the same announcements in Kick chat. The cards update every few seconds while this page is open.</p>${cards}`,
  });
}

/** Which action a form runs, and the input it sends (the bot checks everything again). */
function actionFor(game: Game, todo: string, body: unknown): { action: string; input: Record<string, string | boolean | null>; form: string; typed: Typed } | null {
  const f = (name: string) => formField(body, name);
  if (game === 'raffle') {
    if (todo === 'start') {
      const typed = { keyword: f('keyword'), cost: f('cost'), durationMinutes: f('durationMinutes'), winners: f('winners'), subscriberLuck: f('subscriberLuck'), giftedSubTickets: f('giftedSubTickets') };
      return { action: 'raffles.start', input: { ...typed, keyword: typed.keyword.trim() ? typed.keyword : null }, form: 'start', typed };
    }
    if (['close', 'draw', 'redraw', 'cancel'].includes(todo)) return { action: `raffles.${todo}`, input: { raffleId: f('raffleId') }, form: todo, typed: {} };
  }
  if (game === 'gtb') {
    if (todo === 'start') return { action: 'gtb.start', input: { prize: f('prize') }, form: 'start', typed: { prize: f('prize') } };
    if (todo === 'resolve') return { action: 'gtb.resolve', input: { amount: f('amount'), roundId: f('roundId') }, form: 'resolve', typed: { amount: f('amount') } };
    if (todo === 'close' || todo === 'cancel') return { action: `gtb.${todo}`, input: { roundId: f('roundId') }, form: todo, typed: {} };
  }
  if (game === 'slots') {
    if (todo === 'open') return { action: 'slotcalls.open', input: { cost: f('cost') }, form: 'open', typed: { cost: f('cost') } };
    if (todo === 'close' || todo === 'clear') return { action: `slotcalls.${todo}`, input: {}, form: todo, typed: {} };
    if (todo === 'pick') return { action: 'slotcalls.pick', input: { random: f('random') === 'true' }, form: 'pick', typed: {} };
    if (todo === 'remove') return { action: 'slotcalls.remove', input: { viewer: f('viewer') || null, slot: f('slot') || null }, form: 'remove', typed: { viewer: f('viewer') } };
  }
  return null;
}

/**
 * Games: the running raffle, guess-the-balance round and slot-call queue, with their buttons and forms, and the last
 * results. Each card refreshes itself every few seconds (see `data-refresh` in the dashboard script); every change is
 * made by the bot (`raffles.*`, `gtb.*`, `slotcalls.*`), the very code of the slash commands.
 */
export const gamesGuildPage: GuildPage = {
  key: 'games',
  label: 'Games',
  path: 'games',
  register(kit) {
    const loadAll = async (guildId: string) => {
      const [raffle, gtb, slots] = await Promise.all(GAMES.map((g) => loadGame(kit.ctx, guildId, g)));
      return { raffle, gtb, slots } as Record<Game, RaffleCard | GtbCard | SlotsCard>;
    };
    const render = async (guild: GuildNav, viewer: Viewer, notice: CardNotice | null) => {
      const states = await loadAll(guild.id);
      return gamesPage({ viewer, guild, states, c: { guildId: guild.id, viewer, newRequestId: kit.newRequestId, notice } });
    };

    kit.router.get('/:guildId/games', kit.forGuild({}, async (req, res, access, v) => {
      const [flash, names] = await Promise.all([kit.takeFlash(req), kit.names(access.guild.id)]);
      const game = typeof req.query.game === 'string' && isGame(req.query.game) ? req.query.game : null;
      const notice = flash && game ? { game, ok: flash.ok, text: discordText(flash.text, names) } : null;
      kit.send(res, await render(kit.nav(access, 'games'), v, notice));
    }));

    kit.router.get('/:guildId/games/live/:game', kit.forGuild({}, async (req, res, access, v) => {
      const game = String(req.params.game);
      if (!isGame(game)) return void res.status(404).type('html').send('<p class="bad">Unknown game.</p>');
      const state = await loadGame(kit.ctx, access.guild.id, game);
      res.set('cache-control', 'no-store').type('html').send(liveBlock(game, state, { guildId: access.guild.id, viewer: v, newRequestId: kit.newRequestId, notice: null }).value);
    }));

    kit.router.post('/:guildId/games/:game/:todo', kit.forGuild({}, async (req, res, access, v) => {
      const guildId = access.guild.id;
      const game = String(req.params.game);
      const todo = String(req.params.todo);
      const chosen = isGame(game) ? actionFor(game, todo, req.body) : null;
      if (!isGame(game) || !chosen) return void kit.send(res, '<p>Unknown game or change.</p>', 404);
      const result: GuildActionResult = await kit.runAction(req, access, chosen.action, chosen.input);
      if (result.ok) {
        await kit.flash(req, { ok: true, text: result.message });
        return void res.set('cache-control', 'no-store').redirect(303, `/dashboard/${guildId}/games?game=${game}#${game}`);
      }
      // Refused: the same page, with what was typed kept and the bot's reason in the card.
      const names = await kit.names(guildId);
      kit.send(res, await render(kit.nav(access, 'games'), v, { game, ok: false, text: discordText(result.error, names), form: chosen.form, typed: chosen.typed }), 400);
    }));
  },
};
