/**
 * The scheduled side of role rewards (each runs once per interval across all workers):
 * - `role-rewards-sync` (every 15 s): guilds whose configuration changed are reconciled; viewers queued by the chat
 *   path (badge changes) or by linking are synced; every linked viewer whose points or watchtime changed since the
 *   last run (read from the points ledger by row id — watchtime ticks, bonuses, games, `/points give` alike) is
 *   synced against the tiers; new account links get their roles, a Discord user whose link went away loses the roles
 *   kickcord gave them; expired subscriptions lose the subscriber role.
 * - `role-rewards-reconcile` (daily): every linked viewer of every guild with role rewards is compared with their
 *   real Discord roles and repaired (a role present without an active sub is removed, a missing one added).
 */
import { randomUUID } from 'node:crypto';
import type { BotContext } from '../../context.ts';
import type { MaintenanceTask } from '../../maintenance/MaintenanceTask.ts';
import { SUBSCRIPTION_GRACE_MS } from './desiredRoles.ts';
import { guildsWithRoleRewards } from './roleRewardsConfig.ts';
import { syncRoleRewards, type SyncSummary, type ViewerRef } from './syncRoleRewards.ts';

/** Viewers synced per batch (one batch = a fixed number of SQL statements). */
const BATCH = 200;
/** Most ledger rows one run reads past its cursor (the rest waits for the next run). */
const LEDGER_ROWS_PER_RUN = 200_000;
/** New links are read up to this long before now, so a link committed a moment late is not skipped. */
const LINK_SETTLE_MS = 2_000;

type Deps = Pick<BotContext, 'prisma' | 'redis' | 'keys' | 'discordRest' | 'logger' | 'now'>;

function emptySummary(): SyncSummary {
  return { viewers: 0, checked: 0, added: 0, removed: 0, refused: 0 };
}

function add(into: SyncSummary, more: SyncSummary): void {
  into.viewers += more.viewers;
  into.checked += more.checked;
  into.added += more.added;
  into.removed += more.removed;
  into.refused += more.refused;
}

async function syncInBatches(ctx: Deps, viewers: readonly ViewerRef[], force: boolean, summary: SyncSummary): Promise<void> {
  for (let i = 0; i < viewers.length; i += BATCH) add(summary, await syncRoleRewards(ctx, viewers.slice(i, i + BATCH), { force }));
}

/** Asks for a full reconciliation of a guild at the next sync run (after its role rewards changed). */
export async function queueGuildReconcile(ctx: Pick<BotContext, 'redis' | 'keys'>, guildId: string): Promise<void> {
  await ctx.redis.sadd(ctx.keys.roleRewardReconcile(), guildId);
}

/** The linked viewers of a guild a reconciliation compares: with points or a known subscription there, or holding roles kickcord gave. */
export async function reconcileCandidates(ctx: Pick<BotContext, 'prisma'>, guildId: string): Promise<ViewerRef[]> {
  const rows = await ctx.prisma.$queryRaw<{ kickUserId: number }[]>`
    SELECT a."kickUserId" FROM "AccountLink" a JOIN "ViewerStats" s ON s."kickUserId" = a."kickUserId" AND s."guildId" = ${guildId}
    UNION SELECT a."kickUserId" FROM "AccountLink" a JOIN "RoleRewardSubscription" r ON r."kickUserId" = a."kickUserId" AND r."guildId" = ${guildId}
    UNION SELECT "kickUserId" FROM "RoleRewardMember" WHERE "guildId" = ${guildId}`;
  return rows.map((r) => ({ guildId, kickUserId: r.kickUserId }));
}

/**
 * Compares every linked viewer of a guild (see {@link reconcileCandidates}) with their real Discord roles and
 * repairs the difference. `viewers` = the candidates when already read.
 */
export async function reconcileGuild(ctx: Deps, guildId: string, viewers?: readonly ViewerRef[]): Promise<SyncSummary> {
  const summary = emptySummary();
  await syncInBatches(ctx, viewers ?? (await reconcileCandidates(ctx, guildId)), true, summary);
  return summary;
}

/** Every guild with role rewards, reconciled one after another. */
export async function reconcileAllGuilds(ctx: Deps): Promise<SyncSummary & { guilds: number }> {
  const guilds = await guildsWithRoleRewards(ctx.prisma);
  const summary = emptySummary();
  for (const guildId of guilds) {
    try {
      add(summary, await reconcileGuild(ctx, guildId));
    } catch (error) {
      ctx.logger.warn({ err: error, guildId }, 'role rewards: reconciliation of a guild failed; it runs again tomorrow');
    }
  }
  return { ...summary, guilds: guilds.length };
}

/** Linked viewers whose ledger changed since the cursor, in guilds with tiers; advances the cursor. */
async function ledgerChanges(ctx: Deps): Promise<ViewerRef[]> {
  const key = ctx.keys.roleRewardCursor('ledger');
  const [[top], cursorRaw] = await Promise.all([ctx.prisma.$queryRaw<{ max: bigint | null }[]>`SELECT max(id) AS max FROM "PointsLedger"`, ctx.redis.get(key)]);
  const max = top?.max ?? 0n;
  if (cursorRaw === null) {
    // First run (or Redis lost the cursor): start here; the daily reconciliation covers anything before.
    await ctx.redis.set(key, max.toString());
    return [];
  }
  const from = BigInt(cursorRaw);
  if (max <= from) return [];
  const to = max - from > BigInt(LEDGER_ROWS_PER_RUN) ? from + BigInt(LEDGER_ROWS_PER_RUN) : max;
  const rows = await ctx.prisma.$queryRaw<ViewerRef[]>`
    SELECT DISTINCT l."guildId", l."kickUserId" FROM "PointsLedger" l
    JOIN "AccountLink" a ON a."kickUserId" = l."kickUserId"
    WHERE l.id > ${from} AND l.id <= ${to} AND l."guildId" IN (SELECT DISTINCT "guildId" FROM "RoleRewardTier")`;
  await ctx.redis.set(key, to.toString());
  return rows;
}

/** Viewers of guilds where a Kick account linked since the cursor has points or a subscription; advances it. */
async function newLinks(ctx: Deps): Promise<ViewerRef[]> {
  const key = ctx.keys.roleRewardCursor('links');
  const until = new Date(ctx.now().getTime() - LINK_SETTLE_MS);
  const raw = await ctx.redis.get(key);
  await ctx.redis.set(key, String(until.getTime()));
  if (raw === null) return [];
  return ctx.prisma.$queryRaw<ViewerRef[]>`
    WITH linked AS (SELECT "kickUserId" FROM "AccountLink" WHERE "verifiedAt" > ${new Date(Number(raw))} AND "verifiedAt" <= ${until})
    SELECT s."guildId", s."kickUserId" FROM "ViewerStats" s JOIN linked USING ("kickUserId")
    UNION SELECT r."guildId", r."kickUserId" FROM "RoleRewardSubscription" r JOIN linked USING ("kickUserId")`;
}

/** Viewers whose Discord user holds roles kickcord gave but is no longer linked to that Kick account (an unlink or relink). */
async function brokenLinks(ctx: Deps): Promise<ViewerRef[]> {
  return ctx.prisma.$queryRaw<ViewerRef[]>`
    SELECT m."guildId", m."kickUserId" FROM "RoleRewardMember" m
    WHERE cardinality(m."roleIds") > 0
      AND NOT EXISTS (SELECT 1 FROM "AccountLink" a WHERE a."discordUserId" = m."discordUserId" AND a."kickUserId" = m."kickUserId")`;
}

/** Syncs viewers whose subscription expired (past the grace period), then forgets those subscriptions. */
async function expireSubscriptions(ctx: Deps, summary: SyncSummary): Promise<number> {
  const cutoff = new Date(ctx.now().getTime() - SUBSCRIPTION_GRACE_MS);
  const expired = await ctx.prisma.roleRewardSubscription.findMany({ where: { expiresAt: { lt: cutoff } }, select: { guildId: true, kickUserId: true }, take: 5_000 });
  for (let i = 0; i < expired.length; i += BATCH) {
    const batch = expired.slice(i, i + BATCH);
    add(summary, await syncRoleRewards(ctx, batch));
    // Only rows still expired: a renewal recorded meanwhile stays.
    await ctx.prisma.roleRewardSubscription.deleteMany({ where: { expiresAt: { lt: cutoff }, OR: batch.map((b) => ({ guildId: b.guildId, kickUserId: b.kickUserId })) } });
  }
  return expired.length;
}

/** Takes up to `count` queued viewers (`<guild>:<kick user>`). */
async function takePending(ctx: Deps, count: number): Promise<{ refs: ViewerRef[]; raw: string[] }> {
  const raw = (await ctx.redis.spop(ctx.keys.roleRewardPending(), count)) as string[];
  const refs = raw.flatMap((entry) => {
    const at = entry.lastIndexOf(':');
    const kickUserId = Number(entry.slice(at + 1));
    return at > 0 && Number.isSafeInteger(kickUserId) ? [{ guildId: entry.slice(0, at), kickUserId }] : [];
  });
  return { refs, raw };
}

/** What one sync run did. */
export interface SyncRunSummary extends SyncSummary {
  reconciledGuilds: number;
  expired: number;
}

/** One run of the role rewards sync (see the file's comment). A run already in progress elsewhere makes this one skip. */
export async function runRoleRewardsSync(ctx: Deps): Promise<SyncRunSummary | null> {
  const lockKey = ctx.keys.lock('role-rewards-sync');
  const token = randomUUID();
  if ((await ctx.redis.set(lockKey, token, 'EX', 300, 'NX')) !== 'OK') return null;
  const summary: SyncRunSummary = { ...emptySummary(), reconciledGuilds: 0, expired: 0 };
  try {
    for (let guildId = await ctx.redis.spop(ctx.keys.roleRewardReconcile()); guildId; guildId = await ctx.redis.spop(ctx.keys.roleRewardReconcile())) {
      add(summary, await reconcileGuild(ctx, guildId));
      summary.reconciledGuilds++;
    }
    const pending = await takePending(ctx, 1_000);
    try {
      await syncInBatches(ctx, pending.refs, false, summary);
    } catch (error) {
      // Discord or the database failed for a while: the viewers wait for the next run.
      if (pending.raw.length > 0) await ctx.redis.sadd(ctx.keys.roleRewardPending(), ...pending.raw);
      throw error;
    }
    await syncInBatches(ctx, [...(await ledgerChanges(ctx)), ...(await newLinks(ctx)), ...(await brokenLinks(ctx))], false, summary);
    summary.expired = await expireSubscriptions(ctx, summary);
    return summary;
  } finally {
    if ((await ctx.redis.get(lockKey)) === token) await ctx.redis.del(lockKey);
  }
}

/** Every 15 s: the role rewards sync. */
export const roleRewardsSyncTask: MaintenanceTask = { name: 'role-rewards-sync', everyMs: 15_000, run: (ctx) => runRoleRewardsSync(ctx) };

/** Daily: the role rewards reconciliation. */
export const roleRewardsReconcileTask: MaintenanceTask = { name: 'role-rewards-reconcile', everyMs: 24 * 3_600_000, run: (ctx) => reconcileAllGuilds(ctx) };
