import { formatDuration } from '@kickcord/core';
import { likePrefix, type LedgerKind, type PrismaClient } from '@kickcord/db';
import type { Request, Response } from 'express';
import type { GuildAccess } from '../access.ts';
import { html, raw, type SafeHtml } from '../../pages/html.ts';
import { csrfField, dashboardPage, flashNotice, requestField, when, type GuildNav, type Viewer } from '../dashboardPages.ts';
import { discordText } from '../discordText.ts';
import type { GuildPage } from '../guildPageKit.ts';
import { formField } from '../formValues.ts';

/** Viewers listed per page of a search. */
export const VIEWERS_PAGE_SIZE = 25;
/** Ledger lines per page of a viewer's history. */
export const LEDGER_PAGE_SIZE = 25;
/** Pages beyond this are not offered (a search or history that long is narrowed instead). */
const MAX_PAGE = 10_000;
/** Longest Kick username (with a leading `@`). */
const MAX_QUERY_LENGTH = 33;
/** Longest reason the bot keeps with a change. */
const MAX_REASON_LENGTH = 200;

/** How each kind of ledger line is named on the page. */
export const LEDGER_KIND_LABELS: Record<LedgerKind, string> = {
  watch: 'Watching',
  follow: 'Follow bonus',
  sub: 'Subscription bonus',
  renewal: 'Renewal bonus',
  gift: 'Gifted subs bonus',
  kicks: 'Kicks bonus',
  admin: 'Moderator change',
  command: 'Chat command',
  raffle: 'Raffle',
  gtb: 'Guess the balance',
  slotcall: 'Slot call',
  import: 'Import',
  redemption: 'Channel reward',
  shop: 'Shop',
  gamble: 'Gamble',
  duel: 'Duel',
};

/** What a moderator can do to a balance, as the form offers it. */
const CHANGES = [
  { op: 'give', label: 'Give points' },
  { op: 'take', label: 'Take points' },
  { op: 'set', label: 'Set the balance to' },
] as const;

/** A viewer's totals in this guild. */
interface ViewerRow {
  kickUserId: number;
  username: string;
  points: number;
  activeMinutes: number;
  lastActiveAt: Date | null;
}

/** A viewer's ranks; null = on the leaderboard exclude list (not ranked). */
interface Ranks {
  points: number | null;
  watchtime: number | null;
}

/** What the change form shows: empty, or what was typed when the bot refused it. */
interface ChangeValues {
  op: string;
  amount: string;
  reason: string;
}

/** An entry of the guild's leaderboard exclude list, with who put it there when a moderator did. */
interface ExclusionRow {
  kickUserId: number;
  username: string;
  /** `moderator` (by hand) or `ban` (Kick ban or timeout). */
  source: string;
  reason: string;
  /** End of a Kick timeout; null = until a moderator removes it. */
  expiresAt: Date | null;
  createdAt: Date;
  /** Whether the viewer has points or watch time here (and so a page). */
  hasStats: boolean;
  /** The moderator's latest exclusion of this viewer in the audit log, when there is one. */
  by: { actorName: string; source: string; at: Date } | null;
}

/** Exclusions listed on the Viewers page (the rest are counted). */
const EXCLUSIONS_SHOWN = 100;

/** Who or what excluded a viewer, in words: a Kick ban, a Kick timeout (until when), or the moderator who did it. */
function describeExclusion(e: ExclusionRow): SafeHtml {
  if (e.source === 'ban') return e.expiresAt ? html`Kick timeout (${when(e.createdAt)}), until ${when(e.expiresAt)}` : html`Kick ban (${when(e.createdAt)})`;
  if (!e.by) return html`Added by a moderator`;
  return html`Added by <strong>@${e.by.actorName}</strong> ${e.by.source === 'dashboard' ? 'on the dashboard' : 'in Discord'} (${when(e.by.at)})`;
}

/** The form that takes a viewer off the exclude list; `back` = which page to return to. */
function includeForm(input: { guildId: string; viewer: Viewer; entry: ExclusionRow; requestId: string; back: 'list' | 'detail' }): SafeHtml {
  return html`<form class="inline" method="post" action="/dashboard/${input.guildId}/viewers/${input.entry.kickUserId}/include">${csrfField(input.viewer.csrfToken)}${requestField(input.requestId)}<input type="hidden" name="back" value="${input.back}"><button type="submit" data-confirm="Show ${input.entry.username} on the leaderboards again?">Remove ${input.entry.username} from the exclude list</button></form>`;
}

/** A 1-based page number from the query string (1 when absent or not a number). */
function pageNumber(value: unknown): number {
  const n = typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : 1;
  return Math.min(MAX_PAGE, Math.max(1, n));
}

/** A Kick user id from the URL, or null. */
function kickUserIdParam(value: unknown): number | null {
  const n = typeof value === 'string' && /^\d{1,10}$/.test(value) ? Number(value) : Number.NaN;
  return Number.isInteger(n) && n > 0 && n <= 2_147_483_647 ? n : null;
}

/** `(rank #3)`, or `(not ranked: on the leaderboard exclude list)`, in the words `/points show` uses. */
function describeRank(rank: number | null): string {
  return rank === null ? '(not ranked: on the leaderboard exclude list)' : `(rank #${rank})`;
}

/**
 * The viewer's ranks as `/points show` computes them: the guild's leaderboard exclude list (unexpired entries) left
 * out, and 1 + the number of viewers with strictly more (ties share the better rank).
 */
async function viewerRanks(prisma: PrismaClient, guildId: string, viewer: ViewerRow, now: Date): Promise<Ranks> {
  const excluded = (await prisma.leaderboardExclusion.findMany({ where: { guildId, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] }, select: { kickUserId: true } })).map((r) => r.kickUserId);
  if (excluded.includes(viewer.kickUserId)) return { points: null, watchtime: null };
  const notExcluded = excluded.length > 0 ? { kickUserId: { notIn: excluded } } : {};
  const [points, watchtime] = await Promise.all([
    prisma.viewerStats.count({ where: { guildId, points: { gt: viewer.points }, ...notExcluded } }),
    prisma.viewerStats.count({ where: { guildId, activeMinutes: { gt: viewer.activeMinutes }, ...notExcluded } }),
  ]);
  return { points: points + 1, watchtime: watchtime + 1 };
}

function pager(input: { label: string; page: number; hasNext: boolean; href: (page: number) => string; newer?: boolean }): SafeHtml {
  if (input.page === 1 && !input.hasNext) return html``;
  const [back, forward] = input.newer ? ['← Newer', 'Older →'] : ['← Previous', 'Next →'];
  return html`<nav class="actions" aria-label="${input.label}">${input.page > 1 ? html`<a class="button" href="${input.href(input.page - 1)}">${back}</a>` : ''}<span class="muted small">Page ${input.page}</span>${
    input.hasNext ? html`<a class="button" href="${input.href(input.page + 1)}">${forward}</a>` : ''
  }</nav>`;
}

function exclusionsSection(input: { viewer: Viewer; guild: GuildNav; exclusions: ExclusionRow[]; total: number; newRequestId: () => string; notice: { ok: boolean; text: SafeHtml } | null }): SafeHtml {
  const base = `/dashboard/${input.guild.id}/viewers`;
  const list = input.exclusions.length
    ? html`<div class="table-wrap"><table class="stack"><caption class="muted">By Kick username</caption><thead><tr><th scope="col">Viewer</th><th scope="col">Excluded by</th><th scope="col">Reason</th><th scope="col">Change</th></tr></thead><tbody>${input.exclusions.map(
        (e) => html`<tr><td data-label="Viewer">${e.hasStats ? html`<a href="${base}/${e.kickUserId}">${e.username}</a>` : e.username}</td><td data-label="Excluded by">${describeExclusion(e)}</td><td data-label="Reason">${e.reason || html`<span class="muted">—</span>`}</td><td>${includeForm({ guildId: input.guild.id, viewer: input.viewer, entry: e, requestId: input.newRequestId(), back: 'list' })}</td></tr>`,
      )}</tbody></table></div>${input.total > input.exclusions.length ? html`<p class="muted small">…and ${input.total - input.exclusions.length} more, not shown.</p>` : ''}`
    : html`<p class="muted">Nobody is excluded from the leaderboards.</p>`;
  return html`<section class="card" id="excluded" aria-labelledby="excluded-h"><h2 id="excluded-h">Excluded from the leaderboard</h2>${flashNotice(input.notice)}
<p class="muted small">These viewers are left out of <code>/leaderboard</code>, <code>!top</code> and the public leaderboard; their points and watch time are kept. Kick bans add a viewer for good, timeouts until they end. Exclude a viewer from their page (the same as <code>/leaderboard-exclude add</code>).</p>${list}</section>`;
}

function searchPage(input: { viewer: Viewer; guild: GuildNav; query: string; page: number; rows: ViewerRow[]; hasNext: boolean; exclusions: SafeHtml }): string {
  const base = `/dashboard/${input.guild.id}/viewers`;
  const href = (page: number) => `${base}?${new URLSearchParams({ ...(input.query ? { q: input.query } : {}), page: String(page) }).toString()}`;
  const caption = input.query ? html`Kick usernames starting with “${input.query}”` : html`All viewers, most points first`;
  const results = input.rows.length
    ? html`<div class="table-wrap"><table><caption class="muted">${caption}</caption><thead><tr><th scope="col">Viewer</th><th scope="col">Points</th><th scope="col">Watch time</th></tr></thead><tbody>${input.rows.map(
        (r) => html`<tr><td><a href="${base}/${r.kickUserId}">${r.username}</a></td><td>${r.points.toLocaleString('en-US')}</td><td>${formatDuration(r.activeMinutes)}</td></tr>`,
      )}</tbody></table></div>${pager({ label: 'Result pages', page: input.page, hasNext: input.hasNext, href })}`
    : html`<p class="muted" role="status">${input.query ? html`No viewer here has a Kick username starting with “${input.query}”.` : input.page > 1 ? 'No more viewers.' : 'No viewer has points or watch time in this server yet.'}</p>`;
  return dashboardPage({
    title: `${input.guild.name} · Viewers`,
    viewer: input.viewer,
    guild: input.guild,
    body: html`<h1>Viewers</h1><p>Kick viewers with points or watch time in ${input.guild.name}. Open one to see their points history and to give or take points (the same as <code>/points give</code> and <code>/points take</code>).</p>
<p><a href="${base}/import">Import or export points as CSV</a> (the same as <code>/points import</code> and <code>/points export</code>).</p>
<form method="get" action="${base}" role="search"><label for="viewer-q">Kick username starts with</label><input type="search" id="viewer-q" name="q" value="${input.query}" maxlength="${MAX_QUERY_LENGTH}" autocomplete="off" spellcheck="false"><div class="actions"><button type="submit" class="primary">Search</button>${input.query ? html`<a class="button" href="${base}">Show all</a>` : ''}</div></form>
<section aria-label="Search results">${results}</section>
${input.exclusions}`,
  });
}

function signedPoints(points: number): string {
  return points > 0 ? `+${points.toLocaleString('en-US')}` : points < 0 ? `−${Math.abs(points).toLocaleString('en-US')}` : '0';
}

function detailPage(input: {
  viewer: Viewer;
  guild: GuildNav;
  row: ViewerRow;
  ranks: Ranks;
  ledger: { createdAt: Date; kind: LedgerKind; points: number; minutes: number; reason: string | null }[];
  page: number;
  hasNext: boolean;
  requestId: string;
  values: ChangeValues;
  notice?: { ok: boolean; text: SafeHtml } | null;
  exclusion: ExclusionRow | null;
  excludeRequestId: string;
  excludeReason: string;
  excludeNotice?: { ok: boolean; text: SafeHtml } | null;
}): string {
  const { row, values } = input;
  const base = `/dashboard/${input.guild.id}/viewers/${row.kickUserId}`;
  const href = (page: number) => `${base}?page=${page}#history`;
  const history = input.ledger.length
    ? html`<div class="table-wrap"><table><caption class="muted">Newest first</caption><thead><tr><th scope="col">When</th><th scope="col">What</th><th scope="col">Points</th><th scope="col">Reason</th></tr></thead><tbody>${input.ledger.map(
        (l) => html`<tr><td>${when(l.createdAt)}</td><td>${LEDGER_KIND_LABELS[l.kind]}${l.minutes ? html`<br><span class="muted small">${l.minutes} active ${l.minutes === 1 ? 'minute' : 'minutes'}</span>` : ''}</td><td>${signedPoints(l.points)}</td><td>${l.reason ?? html`<span class="muted">—</span>`}</td></tr>`,
      )}</tbody></table></div>${pager({ label: 'History pages', page: input.page, hasNext: input.hasNext, href, newer: true })}`
    : html`<p class="muted">${input.page > 1 ? 'No older entries.' : 'No points history yet.'}</p>`;
  const options = CHANGES.map((c) => html`<option value="${c.op}"${values.op === c.op ? raw(' selected') : ''}>${c.label}</option>`);
  return dashboardPage({
    title: `${input.guild.name} · ${row.username}`,
    viewer: input.viewer,
    guild: input.guild,
    body: html`<p><a href="/dashboard/${input.guild.id}/viewers">← Viewers</a></p><h1>${row.username}</h1>
<section class="card" aria-labelledby="totals-h"><h2 id="totals-h">Totals</h2>
<p><strong>Points:</strong> <span data-balance>${row.points.toLocaleString('en-US')}</span> ${describeRank(input.ranks.points)}</p>
<p><strong>Watch time:</strong> ${formatDuration(row.activeMinutes)} ${describeRank(input.ranks.watchtime)}</p>
<p class="muted small">Watch time = active minutes: minutes live while the viewer chatted within the activity window. Last active: ${when(row.lastActiveAt)}.</p></section>
<section class="card" id="change" aria-labelledby="change-h"><h2 id="change-h">Give or take points</h2>${flashNotice(input.notice)}
<form method="post" action="${base}/points">${csrfField(input.viewer.csrfToken)}${requestField(input.requestId)}
<div class="grid2"><div><label for="change-op">Change</label><select id="change-op" name="op">${options}</select></div>
<div><label for="change-amount">Amount (points)</label><input type="number" id="change-amount" name="amount" value="${values.amount}" min="0" max="1000000000" step="1" inputmode="numeric" required></div></div>
<label for="change-reason">Reason (kept in the history)</label><input type="text" id="change-reason" name="reason" value="${values.reason}" maxlength="${MAX_REASON_LENGTH}" autocomplete="off" aria-describedby="change-reason-hint">
<p class="muted small" id="change-reason-hint">Optional, up to ${MAX_REASON_LENGTH} characters. Without one the history says who made the change.</p>
<div class="actions"><button type="submit" class="primary">Apply</button></div></form></section>
<section class="card" id="leaderboard" aria-labelledby="leaderboard-h"><h2 id="leaderboard-h">Leaderboard</h2>${flashNotice(input.excludeNotice)}${
      input.exclusion
        ? html`<p><strong>Excluded from the leaderboard:</strong> ${describeExclusion(input.exclusion)}${input.exclusion.reason ? html` · ${input.exclusion.reason}` : ''}.</p>${includeForm({ guildId: input.guild.id, viewer: input.viewer, entry: input.exclusion, requestId: input.excludeRequestId, back: 'detail' })}`
        : html`<p class="muted small">Shown on <code>/leaderboard</code>, <code>!top</code> and the public leaderboard. Excluding keeps their points and watch time (the same as <code>/leaderboard-exclude add</code>).</p>
<form method="post" action="${base}/exclude">${csrfField(input.viewer.csrfToken)}${requestField(input.excludeRequestId)}
<label for="exclude-reason">Why exclude them (shown in the exclude list)</label><input type="text" id="exclude-reason" name="reason" value="${input.excludeReason}" maxlength="${MAX_REASON_LENGTH}" autocomplete="off" aria-describedby="exclude-reason-hint">
<p class="muted small" id="exclude-reason-hint">Optional, up to ${MAX_REASON_LENGTH} characters.</p>
<div class="actions"><button type="submit">Exclude from the leaderboard</button></div></form>`
    }</section>
<section class="card" id="history" aria-labelledby="history-h"><h2 id="history-h">Points history</h2>${history}</section>`,
  });
}

/**
 * Viewers: search by Kick username, a viewer's totals, ranks and points history, give / take / set points, and the
 * leaderboard exclude list (exclude a viewer with a reason, remove an entry) through the bot's `leaderboard.*` actions.
 */
export const viewersGuildPage: GuildPage = {
  key: 'viewers',
  label: 'Viewers',
  path: 'viewers',
  register(kit) {
    const { prisma } = kit.ctx;
    const select = { kickUserId: true, username: true, points: true, activeMinutes: true, lastActiveAt: true } as const;

    /** This guild's stats row of the viewer (another guild's viewers are never found here). */
    const findViewer = (guildId: string, kickUserId: number) => prisma.viewerStats.findUnique({ where: { guildId_kickUserId: { guildId, kickUserId } }, select });

    const renderDetail = async (guildId: string, row: ViewerRow, page: number) => {
      const [ranks, ledger] = await Promise.all([
        viewerRanks(prisma, guildId, row, new Date()),
        prisma.pointsLedger.findMany({
          where: { guildId, kickUserId: row.kickUserId },
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
          skip: (page - 1) * LEDGER_PAGE_SIZE,
          take: LEDGER_PAGE_SIZE + 1,
          select: { createdAt: true, kind: true, points: true, minutes: true, reason: true },
        }),
      ]);
      return { ranks, ledger: ledger.slice(0, LEDGER_PAGE_SIZE), hasNext: ledger.length > LEDGER_PAGE_SIZE };
    };

    const notFound = (res: Response, v: Viewer, guild: GuildNav, message?: string) =>
      kit.send(
        res,
        dashboardPage({
          title: `${guild.name} · Viewer not found`,
          viewer: v,
          guild,
          body: html`<h1>Viewer not found</h1><p class="notice bad" role="alert">${message ? discordText(message) : html`No viewer with this id has points or watch time in ${guild.name}.`}</p><p><a href="/dashboard/${guild.id}/viewers">Search the viewers</a></p>`,
        }),
        404,
      );

    /**
     * This guild's exclude list (unexpired entries, by username; or only `kickUserId`'s entry), with who excluded each
     * viewer by hand as the audit log has it.
     */
    const loadExclusions = async (guildId: string, kickUserId?: number): Promise<{ rows: ExclusionRow[]; total: number }> => {
      const where = { guildId, OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }], ...(kickUserId !== undefined ? { kickUserId } : {}) };
      const [entries, total] = await Promise.all([
        prisma.leaderboardExclusion.findMany({ where, orderBy: [{ username: 'asc' }, { kickUserId: 'asc' }], take: EXCLUSIONS_SHOWN }),
        prisma.leaderboardExclusion.count({ where }),
      ]);
      if (entries.length === 0) return { rows: [], total };
      const byModerator = entries.filter((e) => e.source !== 'ban').map((e) => e.kickUserId);
      const [stats, audits] = await Promise.all([
        prisma.viewerStats.findMany({ where: { guildId, kickUserId: { in: entries.map((e) => e.kickUserId) } }, select: { kickUserId: true } }),
        byModerator.length
          ? prisma.auditLogEntry.findMany({
              where: { guildId, action: 'leaderboard.exclude', OR: byModerator.map((id) => ({ detail: { path: ['kickUserId'], equals: id } })) },
              orderBy: { createdAt: 'desc' },
              take: 500,
              select: { actorName: true, source: true, createdAt: true, detail: true },
            })
          : Promise.resolve([]),
      ]);
      const withStats = new Set(stats.map((r) => r.kickUserId));
      const by = new Map<number, ExclusionRow['by']>();
      for (const a of audits) {
        const id = a.detail && typeof a.detail === 'object' && !Array.isArray(a.detail) ? (a.detail as { kickUserId?: unknown }).kickUserId : undefined;
        if (typeof id === 'number' && !by.has(id)) by.set(id, { actorName: a.actorName, source: a.source, at: a.createdAt });
      }
      const rows = entries.map((e) => ({ kickUserId: e.kickUserId, username: e.username, source: e.source, reason: e.reason, expiresAt: e.expiresAt, createdAt: e.createdAt, hasStats: withStats.has(e.kickUserId), by: e.source === 'ban' ? null : (by.get(e.kickUserId) ?? null) }));
      return { rows, total };
    };

    const renderSearch = async (req: Request, res: Response, access: GuildAccess, v: Viewer, notice: { ok: boolean; text: SafeHtml } | null, status = 200) => {
      const guildId = access.guild.id;
      const query = (typeof req.query.q === 'string' ? req.query.q : '').trim().replace(/^@+/, '').slice(0, MAX_QUERY_LENGTH);
      const page = pageNumber(req.query.page);
      const [rows, exclusions] = await Promise.all([
        prisma.viewerStats.findMany({
          where: { guildId, ...(query ? { username: { startsWith: likePrefix(query), mode: 'insensitive' as const } } : {}) },
          orderBy: query ? [{ username: 'asc' }, { kickUserId: 'asc' }] : [{ points: 'desc' }, { kickUserId: 'asc' }],
          skip: (page - 1) * VIEWERS_PAGE_SIZE,
          take: VIEWERS_PAGE_SIZE + 1,
          select,
        }),
        loadExclusions(guildId),
      ]);
      const guild = kit.nav(access, 'viewers');
      const excluded = exclusionsSection({ viewer: v, guild, exclusions: exclusions.rows, total: exclusions.total, newRequestId: kit.newRequestId, notice });
      kit.send(res, searchPage({ viewer: v, guild, query, page, rows: rows.slice(0, VIEWERS_PAGE_SIZE), hasNext: rows.length > VIEWERS_PAGE_SIZE, exclusions: excluded }), status);
    };

    /** A viewer's page: what the forms show (fresh, or what was typed with the bot's refusal). */
    const sendDetail = async (
      res: Response,
      access: GuildAccess,
      v: Viewer,
      row: ViewerRow,
      page: number,
      forms: { values?: ChangeValues; notice?: { ok: boolean; text: SafeHtml } | null; excludeReason?: string; excludeNotice?: { ok: boolean; text: SafeHtml } | null },
      status = 200,
    ) => {
      const guildId = access.guild.id;
      const [detail, exclusion] = await Promise.all([renderDetail(guildId, row, page), loadExclusions(guildId, row.kickUserId)]);
      kit.send(
        res,
        detailPage({
          viewer: v,
          guild: kit.nav(access, 'viewers'),
          row,
          ...detail,
          page,
          requestId: kit.newRequestId(),
          values: forms.values ?? { op: 'give', amount: '', reason: '' },
          notice: forms.notice ?? null,
          exclusion: exclusion.rows[0] ?? null,
          excludeRequestId: kit.newRequestId(),
          excludeReason: forms.excludeReason ?? '',
          excludeNotice: forms.excludeNotice ?? null,
        }),
        status,
      );
    };

    kit.router.get('/:guildId/viewers', kit.forGuild({}, async (req, res, access, v) => {
      const flash = await kit.takeFlash(req);
      await renderSearch(req, res, access, v, flash ? { ok: flash.ok, text: discordText(flash.text) } : null);
    }));

    kit.router.get('/:guildId/viewers/:kickUserId', kit.forGuild({}, async (req, res, access, v) => {
      const guildId = access.guild.id;
      const kickUserId = kickUserIdParam(req.params.kickUserId);
      const row = kickUserId === null ? null : await findViewer(guildId, kickUserId);
      if (!row) return void notFound(res, v, kit.nav(access, 'viewers'));
      const flash = await kit.takeFlash(req);
      const notice = flash ? { ok: flash.ok, text: discordText(flash.text) } : null;
      // `?notice=leaderboard`: the notice is about the exclude list, shown in that section.
      const aboutLeaderboard = req.query.notice === 'leaderboard';
      await sendDetail(res, access, v, row, pageNumber(req.query.page), aboutLeaderboard ? { excludeNotice: notice } : { notice });
    }));

    kit.router.post('/:guildId/viewers/:kickUserId/points', kit.forGuild({}, async (req, res, access, v) => {
      const guildId = access.guild.id;
      const kickUserId = kickUserIdParam(req.params.kickUserId);
      const values: ChangeValues = { op: formField(req.body, 'op'), amount: formField(req.body, 'amount'), reason: formField(req.body, 'reason') };
      // The bot checks that this guild knows the viewer, the amount and the reason, as `/points give|take|set` does.
      const result = kickUserId === null ? { ok: false as const, error: 'That is not a Kick viewer id.' } : await kit.runAction(req, access, 'points.adjust', { kickUserId, op: values.op, amount: values.amount, reason: values.reason });
      if (result.ok) {
        await kit.flash(req, { ok: true, text: result.message });
        return void res.set('cache-control', 'no-store').redirect(303, `/dashboard/${guildId}/viewers/${kickUserId}#change`);
      }
      const row = kickUserId === null ? null : await findViewer(guildId, kickUserId);
      if (!row) return void notFound(res, v, kit.nav(access, 'viewers'));
      await sendDetail(res, access, v, row, 1, { values, notice: { ok: false, text: discordText(result.error) } }, 400);
    }));

    kit.router.post('/:guildId/viewers/:kickUserId/exclude', kit.forGuild({}, async (req, res, access, v) => {
      const guildId = access.guild.id;
      const kickUserId = kickUserIdParam(req.params.kickUserId);
      const reason = formField(req.body, 'reason');
      // The bot checks that this guild knows the viewer and the reason, as `/leaderboard-exclude add` does.
      const result = kickUserId === null ? { ok: false as const, error: 'That is not a Kick viewer id.' } : await kit.runAction(req, access, 'leaderboard.exclude', { kickUserId, reason });
      if (result.ok) {
        await kit.flash(req, { ok: true, text: result.message });
        return void res.set('cache-control', 'no-store').redirect(303, `/dashboard/${guildId}/viewers/${kickUserId}?notice=leaderboard#leaderboard`);
      }
      const row = kickUserId === null ? null : await findViewer(guildId, kickUserId);
      if (!row) return void notFound(res, v, kit.nav(access, 'viewers'), result.error);
      await sendDetail(res, access, v, row, 1, { excludeReason: reason, excludeNotice: { ok: false, text: discordText(result.error) } }, 400);
    }));

    kit.router.post('/:guildId/viewers/:kickUserId/include', kit.forGuild({}, async (req, res, access, v) => {
      const guildId = access.guild.id;
      const kickUserId = kickUserIdParam(req.params.kickUserId);
      const back = formField(req.body, 'back') === 'detail' ? 'detail' : 'list';
      const result = kickUserId === null ? { ok: false as const, error: 'That is not a Kick viewer id.' } : await kit.runAction(req, access, 'leaderboard.include', { kickUserId });
      const row = back === 'detail' && kickUserId !== null ? await findViewer(guildId, kickUserId) : null;
      if (result.ok) {
        await kit.flash(req, { ok: true, text: result.message });
        return void res.set('cache-control', 'no-store').redirect(303, row ? `/dashboard/${guildId}/viewers/${row.kickUserId}?notice=leaderboard#leaderboard` : `/dashboard/${guildId}/viewers#excluded`);
      }
      const notice = { ok: false, text: discordText(result.error) };
      if (row) return void (await sendDetail(res, access, v, row, 1, { excludeNotice: notice }, 400));
      await renderSearch(req, res, access, v, notice, 400);
    }));
  },
};
