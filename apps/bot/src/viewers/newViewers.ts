/**
 * Viewers seen in chat for the first time, made known to PostgreSQL in batches: a `ViewerStats` row with
 * 0 points in the guild (so moderators can `/points give` to someone not yet paid a minute) and a
 * `KickViewer` row (the username directory imports and `/points give` fall back to). The chat path only
 * sets a "seen" flag (part of the message's chat tally) and, the first time, appends to a Redis list; {@link flushNewViewers} writes up to {@link FLUSH_BATCH} viewers per statement.
 */
import { MaintenanceJob, runScript } from '@kickcord/queue';
import type { BotContext } from '../context.ts';
import { tallyScript, type ChatTally } from '../kickChat/chatTally.ts';
import type { MaintenanceTask } from '../maintenance/MaintenanceTask.ts';

/** How long a viewer counts as "already known" to a guild before they are queued again. */
export const SEEN_TTL_SECONDS = 24 * 3600;
/** Viewers written per statement. */
export const FLUSH_BATCH = 1_000;
const LOCK_MS = 30_000;

/** A chat sender as queued for the flush. */
export interface NewViewer {
  guildId: string;
  userId: number;
  username: string;
}

/**
 * Sets a viewer's "seen" flag unless it is set (a chat tally fragment: K the flag, A its ttl). Returns 1 the first
 * time, 0 after.
 */
const FIRST_SIGHT_LUA = `if redis.call('SET', K[1], '1', 'EX', A[1], 'NX') then return 1 end
return 0`;
const FIRST_SIGHT_SCRIPT = tallyScript(FIRST_SIGHT_LUA);

/**
 * Appends a first-time viewer to the list the flush writes. If that fails the "seen" flag is removed again and the
 * error rethrown, so the viewer's next message queues them instead of leaving them unknown for {@link SEEN_TTL_SECONDS}.
 */
async function queueNewViewer(ctx: Pick<BotContext, 'redis' | 'keys'>, viewer: NewViewer): Promise<void> {
  try {
    await ctx.redis.rpush(ctx.keys.newViewers(), JSON.stringify([viewer.guildId, viewer.userId, viewer.username]));
  } catch (error) {
    await ctx.redis.del(ctx.keys.seenViewer(viewer.guildId, viewer.userId)).catch(() => 0);
    throw error;
  }
}

/** Queues a chat sender the first time the guild sees them in {@link SEEN_TTL_SECONDS} (one script, and a push the first time; no SQL). */
export async function noteViewer(ctx: Pick<BotContext, 'redis' | 'keys'>, viewer: NewViewer): Promise<boolean> {
  const first = await runScript(ctx.redis, FIRST_SIGHT_SCRIPT, [ctx.keys.seenViewer(viewer.guildId, viewer.userId)], [SEEN_TTL_SECONDS]);
  if (Number(first) !== 1) return false;
  await queueNewViewer(ctx, viewer);
  return true;
}

/** {@link noteViewer} on the chat path: the flag is part of the message's chat tally; the push follows the first time. */
export const firstSightTally: ChatTally = {
  lua: FIRST_SIGHT_LUA,
  input(chat, ctx) {
    if (chat.sender.userId === chat.broadcasterUserId) return null;
    return { keys: [ctx.keys.seenViewer(chat.guildId, chat.sender.userId)], args: [SEEN_TTL_SECONDS] };
  },
  settle(result, chat, ctx) {
    if (Number(result) !== 1) return;
    return queueNewViewer(ctx, { guildId: chat.guildId, userId: chat.sender.userId, username: chat.sender.username });
  },
};

/**
 * Writes queued viewers to PostgreSQL, oldest first, one statement per {@link FLUSH_BATCH}. A batch leaves
 * the list only after its statement committed (a crash in between writes it again: the upserts are
 * idempotent). One flusher at a time across workers (a Redis lock). Returns how many were written.
 */
export async function flushNewViewers(ctx: Pick<BotContext, 'prisma' | 'redis' | 'keys'>, options: { waitForLockMs?: number } = {}): Promise<number> {
  const lock = ctx.keys.lock('new-viewers');
  const token = `${process.pid}:${Date.now()}:${Math.random()}`;
  const deadline = Date.now() + (options.waitForLockMs ?? 0);
  while ((await ctx.redis.set(lock, token, 'PX', LOCK_MS, 'NX')) !== 'OK') {
    // Another worker is flushing: by default leave it the work; a caller that needs the result waits.
    if (Date.now() >= deadline) return 0;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  let written = 0;
  try {
    for (let round = 0; round < 100; round++) {
      const raw = await ctx.redis.lrange(ctx.keys.newViewers(), 0, FLUSH_BATCH - 1);
      if (raw.length === 0) break;
      // The newest name per (guild, viewer) in this batch.
      const byKey = new Map<string, NewViewer>();
      for (const item of raw) {
        try {
          const [guildId, userId, username] = JSON.parse(item) as [string, number, string];
          if (typeof guildId === 'string' && Number.isInteger(userId) && typeof username === 'string') byKey.set(`${guildId}:${userId}`, { guildId, userId, username });
        } catch {
          // not ours: dropped with the batch
        }
      }
      const rows = [...byKey.values()];
      if (rows.length > 0) {
        const guildIds = rows.map((r) => r.guildId);
        const userIds = rows.map((r) => r.userId);
        const names = rows.map((r) => r.username);
        await ctx.prisma.$executeRaw`
          WITH input AS (SELECT * FROM unnest(${guildIds}::text[], ${userIds}::int[], ${names}::text[]) AS v(g, u, n)),
          stats AS (
            INSERT INTO "ViewerStats" ("guildId", "kickUserId", username, "updatedAt")
            SELECT i.g, i.u, i.n, now() FROM input i JOIN "Guild" gd ON gd.id = i.g
            ON CONFLICT ("guildId", "kickUserId") DO UPDATE SET username = EXCLUDED.username, "updatedAt" = now()
            RETURNING 1
          )
          INSERT INTO "KickViewer" ("userId", username, "lastSeenAt")
          SELECT DISTINCT ON (u) u, n, now() FROM input ORDER BY u
          ON CONFLICT ("userId") DO UPDATE SET username = EXCLUDED.username, "lastSeenAt" = EXCLUDED."lastSeenAt"`;
      }
      await ctx.redis.ltrim(ctx.keys.newViewers(), raw.length, -1);
      written += rows.length;
      if (raw.length < FLUSH_BATCH) break;
    }
  } finally {
    if ((await ctx.redis.get(lock)) === token) await ctx.redis.del(lock);
  }
  return written;
}

/** Every 10 seconds: write the viewers chat has seen for the first time. */
export const flushNewViewersTask: MaintenanceTask = {
  name: MaintenanceJob.FlushNewViewers,
  everyMs: 10_000,
  run: (ctx) => flushNewViewers(ctx),
};
