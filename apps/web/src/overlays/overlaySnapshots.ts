import type { PrismaClient } from '@kickcord/db';
import { readOverlayTally, type OverlayGame, type OverlayGoal, type OverlayLeaderboard, type RedisConnection } from '@kickcord/queue';
import type { Logger } from 'pino';
import { leaderboardRows } from '../routes/leaderboardRows.ts';
import { OVERLAY_LEADERBOARD_ROWS } from './overlayPages.ts';

/** The widgets that show a whole state rather than a flow of events. */
export const SNAPSHOT_KINDS = ['leaderboard', 'game', 'goal'] as const;
export type SnapshotKind = (typeof SNAPSHOT_KINDS)[number];

/** How often the snapshots of guilds with a connected leaderboard, game or goal overlay are read again. */
export const OVERLAY_SNAPSHOT_INTERVAL_MS = 5_000;
/** Guilds read at once during one round of snapshots. */
const SNAPSHOT_CONCURRENCY = 4;
/** Ledger kinds that count as points earned for a points goal (not admin grants, imports, purchases or games). */
const EARNED_KINDS = ['watch', 'follow', 'sub', 'renewal', 'gift', 'kicks', 'redemption'] as const;

/** What the snapshot reader needs. */
export interface SnapshotDeps {
  prisma: PrismaClient;
  redis: RedisConnection;
  installPrefix: string;
  logger: Logger;
}

/** A guild's goal settings (`OverlaySettings.goal`) when they are complete. */
interface GoalSettings {
  kind: OverlayGoal['kind'];
  target: number;
  label: string;
  since: Date;
}

function goalSettingsOf(value: unknown): GoalSettings | null {
  if (!value || typeof value !== 'object') return null;
  const g = value as Record<string, unknown>;
  if (g.kind !== 'subs' && g.kind !== 'followers' && g.kind !== 'kicks' && g.kind !== 'points') return null;
  const target = Number(g.target);
  if (!Number.isFinite(target) || target < 1) return null;
  const since = typeof g.since === 'string' || typeof g.since === 'number' ? new Date(g.since) : new Date(0);
  return {
    kind: g.kind,
    target: Math.floor(target),
    label: typeof g.label === 'string' && g.label.trim() ? g.label.trim().slice(0, 60) : defaultGoalLabel(g.kind),
    since: Number.isNaN(since.getTime()) ? new Date(0) : since,
  };
}

function defaultGoalLabel(kind: OverlayGoal['kind']): string {
  return { subs: 'Sub goal', followers: 'Follower goal', kicks: 'Kicks goal', points: 'Points goal' }[kind];
}

/**
 * Reads the leaderboard, game and goal snapshots of the guilds that have such an overlay connected to this
 * process: one round every {@link OVERLAY_SNAPSHOT_INTERVAL_MS} (never a read per client), plus one at once for
 * a guild whose first such overlay connects. `onChange` gets a snapshot when it differs from the last one sent.
 */
export class OverlaySnapshots {
  readonly #interest = new Map<string, Map<SnapshotKind, number>>();
  readonly #latest = new Map<string, Map<SnapshotKind, string>>();
  readonly #inFlight = new Set<string>();
  readonly #soon = new Set<string>();
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(
    private readonly deps: SnapshotDeps,
    private readonly onChange: (guildId: string, kind: SnapshotKind, json: string) => void,
    private readonly intervalMs = OVERLAY_SNAPSHOT_INTERVAL_MS,
  ) {}

  /** A client of `guildId` shows `kind`: returns the last snapshot (or undefined; one is read at once then). */
  want(guildId: string, kind: SnapshotKind): string | undefined {
    let kinds = this.#interest.get(guildId);
    if (!kinds) this.#interest.set(guildId, (kinds = new Map()));
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    this.#ensureTimer();
    const latest = this.#latest.get(guildId)?.get(kind);
    if (latest === undefined) this.#pollSoon(guildId);
    return latest;
  }

  /** That client left. */
  unwant(guildId: string, kind: SnapshotKind): void {
    const kinds = this.#interest.get(guildId);
    if (!kinds) return;
    const n = (kinds.get(kind) ?? 0) - 1;
    if (n > 0) {
      kinds.set(kind, n);
      return;
    }
    kinds.delete(kind);
    this.#latest.get(guildId)?.delete(kind);
    if (kinds.size === 0) {
      this.#interest.delete(guildId);
      this.#latest.delete(guildId);
    }
    if (this.#interest.size === 0) this.#stopTimer();
  }

  close(): void {
    this.#closed = true;
    this.#stopTimer();
    this.#interest.clear();
    this.#latest.clear();
  }

  #ensureTimer(): void {
    if (this.#timer || this.#closed) return;
    this.#timer = setInterval(() => void this.#round(), this.intervalMs);
    this.#timer.unref();
  }

  #stopTimer(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #pollSoon(guildId: string): void {
    if (this.#soon.has(guildId)) return;
    this.#soon.add(guildId);
    setImmediate(() => {
      this.#soon.delete(guildId);
      void this.#poll(guildId);
    });
  }

  async #round(): Promise<void> {
    const guilds = [...this.#interest.keys()];
    let next = 0;
    const worker = async () => {
      while (next < guilds.length) await this.#poll(guilds[next++]!);
    };
    await Promise.all(Array.from({ length: Math.min(SNAPSHOT_CONCURRENCY, guilds.length) }, worker));
  }

  async #poll(guildId: string): Promise<void> {
    if (this.#inFlight.has(guildId) || this.#closed) return;
    const kinds = this.#interest.get(guildId);
    if (!kinds || kinds.size === 0) return;
    this.#inFlight.add(guildId);
    try {
      for (const kind of [...kinds.keys()]) {
        const snapshot = kind === 'leaderboard' ? await this.leaderboard(guildId) : kind === 'game' ? await this.game(guildId) : await this.goal(guildId);
        if (snapshot === null || !this.#interest.get(guildId)?.has(kind)) continue;
        const json = JSON.stringify(snapshot);
        let latest = this.#latest.get(guildId);
        if (!latest) this.#latest.set(guildId, (latest = new Map()));
        if (latest.get(kind) === json) continue;
        latest.set(kind, json);
        this.onChange(guildId, kind, json);
      }
    } catch (error) {
      this.deps.logger.warn({ guildId, err: { message: error instanceof Error ? error.message : String(error) } }, 'overlay snapshot not read; trying again next round');
    } finally {
      this.#inFlight.delete(guildId);
    }
  }

  /** The top viewers by points, as the public leaderboard ranks them (exclusions left out, competition ranks). */
  async leaderboard(guildId: string): Promise<OverlayLeaderboard> {
    const rows = await leaderboardRows(this.deps.prisma, guildId, OVERLAY_LEADERBOARD_ROWS);
    return { type: 'leaderboard', rows: rows.map((r) => ({ rank: r.rank, name: r.username, points: r.points, minutes: r.activeMinutes })) };
  }

  /** The guild's latest raffle or guess-the-balance round (whichever started last), or null when it never had one. */
  async game(guildId: string): Promise<OverlayGame | null> {
    const { prisma } = this.deps;
    const [raffle, round] = await Promise.all([
      prisma.raffle.findFirst({ where: { guildId }, orderBy: { createdAt: 'desc' }, select: { id: true, status: true, keyword: true, createdAt: true, _count: { select: { entries: true } } } }),
      prisma.gtbRound.findFirst({ where: { guildId }, orderBy: { createdAt: 'desc' }, select: { id: true, status: true, result: true, createdAt: true, _count: { select: { guesses: true } } } }),
    ]);
    if (raffle && (!round || raffle.createdAt >= round.createdAt)) {
      const winners =
        raffle.status === 'drawn' ? (await prisma.raffleEntry.findMany({ where: { raffleId: raffle.id, won: true }, orderBy: { createdAt: 'asc' }, select: { username: true } })).map((e) => e.username) : [];
      return { type: 'game', game: 'raffle', state: gameState(raffle.status), keyword: raffle.status === 'open' ? raffle.keyword : null, entries: raffle._count.entries, winners };
    }
    if (!round) return null;
    let winners: string[] = [];
    if (round.status === 'resolved' && round.result !== null) {
      const closest = await prisma.$queryRaw<{ username: string }[]>`
        SELECT username FROM "GtbGuess" WHERE "roundId" = ${round.id}
         ORDER BY abs(amount - ${round.result.toString()}::numeric) ASC, "guessedAt" ASC, "kickUserId" ASC LIMIT 1`;
      winners = closest.map((c) => c.username);
    }
    let keyword: string | null = null;
    if (round.status === 'open') {
      const settings = await prisma.guildSettings.findUnique({ where: { guildId }, select: { commandPrefix: true } });
      keyword = `${settings?.commandPrefix ?? '!'}gtb`;
    }
    return { type: 'game', game: 'gtb', state: gameState(round.status), keyword, entries: round._count.guesses, winners };
  }

  /** The goal bar (null when the guild set no goal). */
  async goal(guildId: string): Promise<OverlayGoal | null> {
    const settings = await this.deps.prisma.overlaySettings.findUnique({ where: { guildId }, select: { goal: true } });
    const goal = goalSettingsOf(settings?.goal);
    if (!goal) return null;
    let current: number;
    if (goal.kind === 'followers') {
      current = await this.deps.prisma.viewerFollow.count({ where: { guildId, firstSeenAt: { gte: goal.since } } });
    } else if (goal.kind === 'points') {
      const sum = await this.deps.prisma.pointsLedger.aggregate({ _sum: { points: true }, where: { guildId, createdAt: { gte: goal.since }, points: { gt: 0 }, kind: { in: [...EARNED_KINDS] } } });
      current = sum._sum.points ?? 0;
    } else {
      // Subs and Kicks: the bot's tally of every such Kick event since the start (kept 400 days), counted once each.
      current = await readOverlayTally(this.deps.redis, this.deps.installPrefix, guildId, goal.kind, goal.since.getTime());
    }
    return { type: 'goal', kind: goal.kind, label: goal.label, current, target: goal.target };
  }
}

function gameState(status: 'open' | 'closed' | 'drawn' | 'resolved' | 'cancelled'): OverlayGame['state'] {
  return status === 'resolved' ? 'drawn' : status;
}
