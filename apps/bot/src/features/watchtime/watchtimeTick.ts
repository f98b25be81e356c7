/**
 * The watchtime tick: once a minute (one BullMQ job scheduler cluster-wide) it pays the active viewers of
 * every live stream session of a connected channel — in payout blocks of `WATCH_PAYOUT_MINUTES` (default 5):
 * each session settles a finished block in ONE ledger row per viewer, `phase` minutes after the block ends
 * (a hash of the stream session's id), so each tick carries about 1/B of the channels and the ledger grows by one row
 * per viewer per block instead of one per minute. Never more than one SQL statement per channel per tick.
 */
import { isExcludedViewer, minutesToCatchUp, payableThrough, payoutBlockStart, payoutPhase, tickMinute } from '@kickcord/core';
import { appendWatchTickBatch, type WatchTickInput, type WatchTickRow } from '@kickcord/db';
import { MaintenanceJob, redisScript, runScript } from '@kickcord/queue';
import type { BotContext } from '../../context.ts';
import type { MaintenanceTask } from '../../maintenance/MaintenanceTask.ts';
import { pruneActivity, readActivity, ACTIVITY_KEEP_MINUTES, type ViewerActivity } from './activity.ts';

const MARKER_TTL_SECONDS = 24 * 3600;
const SET_MAX_SCRIPT = redisScript(`
local cur = redis.call('GET', KEYS[1])
if (not cur) or tonumber(cur) < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2]) end
return 1`);

/** A session the tick may pay (open, or closed recently enough to owe its last minutes). */
export interface TickSession {
  sessionId: string;
  broadcasterUserId: number;
  guildId: string;
  startedAt: Date;
  endedAt: Date | null;
  activityWindowMinutes: number;
  pointsPerMinute: number;
  subscriberMultiplier: number;
  maxMinutesPerStream: number;
  maxPointsPerDay: number;
  excludedUsernames: string[];
}

/** Options of {@link runWatchtimeTick}. */
export interface WatchtimeTickOptions {
  /** Minute index to pay up to (default: `tickMinute(ctx.now())`). */
  minute?: number;
  /** Pay statements in flight at once (default 4; keep below the Prisma pool size). */
  concurrency?: number;
  /**
   * Whole channels are grouped into one statement until it holds this many ledger rows (default 5,000):
   * never more than one statement per channel, usually far fewer. 1 = one statement per channel.
   */
  rowsPerStatement?: number;
  /**
   * Payout interval B in minutes (one of 1, 2, 3, 4, 5, 6, 10, 12, 15; default 1 = every minute). The bot
   * passes `WATCH_PAYOUT_MINUTES`. Each session is paid its finished B-minute blocks, one ledger row per viewer.
   */
  payoutMinutes?: number;
}

/** What one tick did. */
export interface WatchtimeTickSummary {
  minute: number;
  /** Sessions considered (live, or recently closed with minutes still owed). */
  sessions: number;
  /** Channels that had minutes to pay. */
  channelsPaid: number;
  /** Ledger rows (one per viewer per payout block) offered to the ledger / newly inserted. */
  rows: number;
  inserted: number;
  minutes: number;
  points: number;
  /** SQL statements this tick issued (1 session query + the pay statements, at most 1 per channel). */
  statements: number;
  /** Channels whose payout failed this tick (logged at error level, kept for `/kick status`, retried next tick). */
  failedChannels: number;
}

/** A channel's last failed watchtime payout, as `/kick status` shows it. */
export interface WatchtimeFailure {
  at: string;
  sessionId: string;
  error: string;
}

/** How long a failed payout stays visible in `/kick status`. */
export const WATCHTIME_FAILURE_TTL_SECONDS = 7 * 24 * 3600;

/** The guild's last failed watchtime payout within the last 7 days, or null. */
export async function lastWatchtimeFailure(ctx: Pick<BotContext, 'redis' | 'keys'>, guildId: string): Promise<WatchtimeFailure | null> {
  const raw = await ctx.redis.get(ctx.keys.watchtimeFailure(guildId));
  if (!raw) return null;
  try {
    return JSON.parse(raw) as WatchtimeFailure;
  } catch {
    return null;
  }
}

type TickDeps = Pick<BotContext, 'prisma' | 'redis' | 'keys' | 'logger' | 'now'>;

/** Open sessions of channels whose owner guild is active, plus sessions closed within the last hour. */
export async function loadTickSessions(prisma: TickDeps['prisma'], now: Date): Promise<TickSession[]> {
  const rows = await prisma.$queryRawUnsafe<
    {
      id: string;
      broadcasterUserId: number;
      guildId: string;
      startedAt: Date;
      endedAt: Date | null;
      activityWindowMinutes: number | null;
      pointsPerMinute: number | null;
      subscriberMultiplier: number | null;
      maxMinutesPerStream: number | null;
      maxPointsPerDay: number | null;
      excludedUsernames: string[] | null;
    }[]
  >(
    `SELECT s.id, s."broadcasterUserId", l."guildId", s."startedAt", s."endedAt",
            gs."activityWindowMinutes", gs."pointsPerMinute", gs."subscriberMultiplier",
            gs."maxMinutesPerStream", gs."maxPointsPerDay", gs."excludedUsernames"
     FROM "StreamSession" s
     JOIN "GuildChannelLink" l ON l."broadcasterUserId" = s."broadcasterUserId" AND l.kind = 'owner'
     JOIN "Guild" g ON g.id = l."guildId" AND g.active
     LEFT JOIN "GuildSettings" gs ON gs."guildId" = l."guildId"
     WHERE s."openBroadcasterUserId" IS NOT NULL OR s."endedAt" > $1`,
    new Date(now.getTime() - ACTIVITY_KEEP_MINUTES * 60_000),
  );
  return rows.map((r) => ({
    sessionId: r.id,
    broadcasterUserId: r.broadcasterUserId,
    guildId: r.guildId,
    startedAt: r.startedAt,
    endedAt: r.endedAt,
    activityWindowMinutes: r.activityWindowMinutes ?? 5,
    pointsPerMinute: r.pointsPerMinute ?? 1,
    subscriberMultiplier: r.subscriberMultiplier ?? 1.5,
    maxMinutesPerStream: r.maxMinutesPerStream ?? 0,
    maxPointsPerDay: r.maxPointsPerDay ?? 0,
    excludedUsernames: r.excludedUsernames ?? [],
  }));
}

/**
 * The minutes a session is paid at `currentMinute`, given the last minute paid (oldest first): those of its
 * finished payout blocks (all of them once the stream session has ended). After an outage, missed minutes are
 * caught up as far back as the activity window or one block, whichever is longer.
 */
export function minutesOwed(session: TickSession, lastPaid: number | null, currentMinute: number, payoutMinutes = 1): number[] {
  const startMinute = tickMinute(session.startedAt);
  // The last minute with any live time: a stream ending exactly at 12:10:00 was last live in minute 12:09.
  const endMinute = session.endedAt ? Math.ceil(session.endedAt.getTime() / 60_000) - 1 : null;
  const through = endMinute === null ? payableThrough(currentMinute, payoutMinutes, payoutPhase(session.sessionId, payoutMinutes)) : currentMinute;
  return minutesToCatchUp({
    lastTickMinute: lastPaid ?? startMinute - 1,
    currentMinute: through,
    activityWindowMinutes: Math.max(session.activityWindowMinutes, payoutMinutes),
  }).filter((m) => m >= startMinute && (endMinute === null || m <= endMinute));
}

/**
 * The ledger rows for a session's owed minutes: a viewer earns minute `m` iff they chatted while the
 * session was live within the activity window ending at `m` (a chat in minutes `m - window + 1 … m`).
 * One row per viewer per payout block, holding their active minutes in it. The broadcaster, known bots
 * and the guild's excluded usernames never earn.
 */
export function rowsForSession(session: TickSession, minutes: readonly number[], viewers: readonly ViewerActivity[], payoutMinutes = 1): WatchTickRow[] {
  const startMinute = tickMinute(session.startedAt);
  const window = Math.max(1, session.activityWindowMinutes);
  const rows: WatchTickRow[] = [];
  for (const viewer of viewers) {
    if (isExcludedViewer({ username: viewer.username, userId: viewer.userId, broadcasterUserId: session.broadcasterUserId, excluded: session.excludedUsernames })) continue;
    // One row per payout block the viewer was active in: its active minutes and the last of them.
    let row: WatchTickRow | undefined;
    for (const m of minutes) {
      const from = Math.max(startMinute, m - window + 1);
      if (!viewer.chatMinutes.some((c) => c >= from && c <= m)) continue;
      const block = payoutBlockStart(m, payoutMinutes);
      if (row && row.minute === block) {
        row.minutes = (row.minutes ?? 1) + 1;
        row.lastMinute = m;
      } else {
        row = { kickUserId: viewer.userId, username: viewer.username, minute: block, minutes: 1, lastMinute: m, isSubscriber: viewer.isSubscriber };
        rows.push(row);
      }
    }
  }
  return rows;
}

async function pool<T>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  });
  await Promise.all(workers);
}

/**
 * Runs one tick. Safe to run twice at once, to repeat, or to re-run after a crash mid-way: every
 * viewer's payout block is a ledger row keyed `tick:<session>:<block start minute>:<viewer>`, inserted
 * ON CONFLICT DO NOTHING together with the balance update. After an outage shorter than the activity window
 * (or one block) the missed minutes are paid once (the last paid minute per session is kept in Redis;
 * without it, the window is re-offered and the ledger keys drop what was paid).
 */
export async function runWatchtimeTick(ctx: TickDeps, options: WatchtimeTickOptions = {}): Promise<WatchtimeTickSummary> {
  const now = ctx.now();
  const current = options.minute ?? tickMinute(now);
  const payoutMinutes = options.payoutMinutes ?? 1;
  const sessions = await loadTickSessions(ctx.prisma, now);
  const summary: WatchtimeTickSummary = { minute: current, sessions: sessions.length, channelsPaid: 0, rows: 0, inserted: 0, minutes: 0, points: 0, statements: 1, failedChannels: 0 };
  if (sessions.length === 0) return summary;

  // The last minute paid per session (an optimization: ledger keys make pay exactly-once).
  const markers = await Promise.all(sessions.map((s) => ctx.redis.get(ctx.keys.paidMarker(s.sessionId))));
  const work = sessions
    .map((session, i) => {
      const raw = markers[i];
      const lastPaid = raw === null || raw === undefined ? null : Number(raw);
      return { session, minutes: minutesOwed(session, Number.isFinite(lastPaid) ? lastPaid : null, current, payoutMinutes) };
    })
    .filter((w) => w.minutes.length > 0);
  if (work.length === 0) return summary;

  const activity = await readActivity(
    ctx,
    work.map((w) => ({
      guildId: w.session.guildId,
      broadcasterUserId: w.session.broadcasterUserId,
      sinceMs: Math.max(tickMinute(w.session.startedAt), (w.minutes[0] ?? current) - w.session.activityWindowMinutes + 1) * 60_000,
    })),
  );

  const batches: { inputs: WatchTickInput[]; rows: number }[] = [];
  const failed = new Set<string>();
  const limit = Math.max(1, options.rowsPerStatement ?? 5_000);
  work.forEach((w, i) => {
    const rows = rowsForSession(w.session, w.minutes, activity[i] ?? [], payoutMinutes);
    if (rows.length === 0) return;
    const input: WatchTickInput = { guildId: w.session.guildId, sessionId: w.session.sessionId, sessionStartedAt: w.session.startedAt, settings: w.session, rows };
    const last = batches[batches.length - 1];
    if (last && last.rows + rows.length <= limit) {
      last.inputs.push(input);
      last.rows += rows.length;
    } else {
      batches.push({ inputs: [input], rows: rows.length });
    }
  });
  const pay = async (inputs: WatchTickInput[], rows: number): Promise<void> => {
    const result = await appendWatchTickBatch(ctx.prisma, inputs);
    summary.statements++;
    summary.channelsPaid += inputs.length;
    summary.rows += rows;
    summary.inserted += result.inserted;
    summary.minutes += result.minutes;
    summary.points += result.points;
  };
  await pool(batches, options.concurrency ?? 4, async (batch) => {
    try {
      await pay(batch.inputs, batch.rows);
    } catch (error) {
      summary.statements++;
      // One channel's failure must not stop the others grouped with it: pay them one by one.
      const alone = batch.inputs.length === 1 ? [] : batch.inputs;
      if (batch.inputs.length === 1) await recordFailure(ctx, batch.inputs[0] as WatchTickInput, error, failed);
      for (const input of alone) {
        try {
          await pay([input], input.rows.length);
        } catch (channelError) {
          summary.statements++;
          await recordFailure(ctx, input, channelError, failed);
        }
      }
    }
  });
  summary.failedChannels = failed.size;
  // Every other statement committed: remember the last minute paid per session (only an optimization); a failed
  // session keeps its marker, so its minutes are offered again next tick.
  const paid = work.filter((w) => !failed.has(w.session.sessionId)).map((w) => ({ sessionId: w.session.sessionId, minute: w.minutes[w.minutes.length - 1] ?? current }));

  await Promise.all(paid.map((p) => runScript(ctx.redis, SET_MAX_SCRIPT, [ctx.keys.paidMarker(p.sessionId)], [p.minute, MARKER_TTL_SECONDS])));
  // Housekeeping: forget viewers silent for over an hour (their keys also expire on their own).
  await Promise.all(work.map((w) => pruneActivity(ctx, w.session.guildId, w.session.broadcasterUserId, now.getTime() - ACTIVITY_KEEP_MINUTES * 60_000 * 2)));
  ctx.logger.debug({ ...summary }, 'watchtime tick');
  return summary;
}

/** Logs a channel's failed payout at error level and keeps it for `/kick status` (the tick goes on). */
async function recordFailure(ctx: TickDeps, input: WatchTickInput, error: unknown, failed: Set<string>): Promise<void> {
  failed.add(input.sessionId);
  const message = error instanceof Error ? error.message : String(error);
  ctx.logger.error({ guildId: input.guildId, sessionId: input.sessionId, rows: input.rows.length, err: message }, 'watchtime payout failed for a channel');
  const failure: WatchtimeFailure = { at: ctx.now().toISOString(), sessionId: input.sessionId, error: message.replace(/\s+/gu, ' ').slice(0, 300) };
  await ctx.redis.set(ctx.keys.watchtimeFailure(input.guildId), JSON.stringify(failure), 'EX', WATCHTIME_FAILURE_TTL_SECONDS);
}

/** Every minute (once cluster-wide): pay live sessions their finished `WATCH_PAYOUT_MINUTES` blocks. */
export const watchtimeTickTask: MaintenanceTask = {
  name: MaintenanceJob.WatchtimeTick,
  everyMs: 60_000,
  run: (ctx) => runWatchtimeTick(ctx, { payoutMinutes: ctx.env.WATCH_PAYOUT_MINUTES }),
};
