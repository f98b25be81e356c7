/**
 * Brings linked viewers' reward roles in line with what they earned: the subscriber role, watchtime and points
 * tiers, badge roles. One call handles any number of viewers of any guilds with a fixed number of SQL statements
 * (configs, links, balances, subscriptions, last-set roles); Discord is asked only about a viewer whose wanted roles
 * differ from those kickcord last set (or about everyone, with `force`, as the reconciliation does).
 */
import type { BotContext } from '../../context.ts';
import { desiredRoles, hasRewards, parseBadgeSignature, removalReason, rewardRoleIds, undecidedRoleIds, type RoleRewardConfig, type ViewerFacts } from './desiredRoles.ts';
import { changeMemberRole, memberRoleIds, type RoleProblem } from '../../discord/memberRoles.ts';
import { logRoleChanges, reportRoleProblem } from './modLog.ts';
import { loadRoleRewardConfigs } from './roleRewardsConfig.ts';

/** A viewer of a guild whose reward roles may have to change. */
export interface ViewerRef {
  guildId: string;
  kickUserId: number;
}

/** Options of {@link syncRoleRewards}. */
export interface SyncOptions {
  /** Compare with the member's real roles even when nothing changed since the last sync (the reconciliation). */
  force?: boolean;
  /** Discord members handled at once (default 4). */
  concurrency?: number;
}

/** What one sync did. */
export interface SyncSummary {
  /** Linked viewers looked at. */
  viewers: number;
  /** Members whose roles were read from Discord. */
  checked: number;
  added: number;
  removed: number;
  /** Role changes Discord refused (each reported once per run). */
  refused: number;
}

type Deps = Pick<BotContext, 'prisma' | 'redis' | 'keys' | 'discordRest' | 'logger' | 'now'>;

const AUDIT_PREFIX = 'kickcord role rewards';
/** How long a linked viewer found not to be a member of a server is skipped by syncs that are not reconciliations. */
const NOT_MEMBER_SECONDS = 3_600;

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

async function pool<T>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, async () => {
      while (next < items.length) await fn(items[next++] as T);
    }),
  );
}

/** Per guild of one run: its config, the mod-log lines, and the roles Discord refused (not asked again this run). */
interface GuildRun {
  config: RoleRewardConfig;
  lines: string[];
  refused: Map<string, RoleProblem>;
}

/**
 * Syncs the reward roles of `viewers` (duplicates are fine). A viewer who is not linked to a Discord account is
 * skipped; a Discord user who is no longer linked to the Kick account loses the roles kickcord gave them. Problems
 * (missing Manage Roles, a role above kickcord's, a deleted role) are reported to the guild's mod-log and
 * `/role-rewards list`; errors Discord may recover from (5xx, timeouts) are thrown after the other viewers ran.
 */
export async function syncRoleRewards(ctx: Deps, viewers: readonly ViewerRef[], options: SyncOptions = {}): Promise<SyncSummary> {
  const summary: SyncSummary = { viewers: 0, checked: 0, added: 0, removed: 0, refused: 0 };
  const unique = [...new Map(viewers.map((v) => [`${v.guildId}:${v.kickUserId}`, v])).values()];
  if (unique.length === 0) return summary;
  const guildIds = [...new Set(unique.map((v) => v.guildId))];
  const kickUserIds = [...new Set(unique.map((v) => v.kickUserId))];
  const now = ctx.now();

  const [configs, linkRows, stats, subs, states] = await Promise.all([
    loadRoleRewardConfigs(ctx.prisma, guildIds),
    ctx.prisma.accountLink.findMany({ where: { kickUserId: { in: kickUserIds } }, select: { discordUserId: true, kickUserId: true, kickUsername: true } }),
    ctx.prisma.viewerStats.findMany({ where: { guildId: { in: guildIds }, kickUserId: { in: kickUserIds } }, select: { guildId: true, kickUserId: true, username: true, points: true, activeMinutes: true } }),
    ctx.prisma.roleRewardSubscription.findMany({ where: { guildId: { in: guildIds }, kickUserId: { in: kickUserIds } } }),
    ctx.prisma.roleRewardMember.findMany({ where: { guildId: { in: guildIds }, kickUserId: { in: kickUserIds } } }),
  ]);
  const links = new Map(linkRows.map((l) => [l.kickUserId, l]));
  const badgeSignatures = new Map<string, (string | null)[]>();
  await Promise.all(
    guildIds.map(async (guildId) => {
      const ids = unique.filter((v) => v.guildId === guildId).map((v) => String(v.kickUserId));
      badgeSignatures.set(guildId, (configs.get(guildId)?.badges.length ?? 0) > 0 ? await ctx.redis.hmget(ctx.keys.roleRewardBadges(guildId), ...ids) : []);
    }),
  );
  const badgeIndex = new Map<ViewerRef, number>();
  for (const guildId of guildIds) unique.filter((v) => v.guildId === guildId).forEach((v, i) => badgeIndex.set(v, i));
  const badgesOf = (v: ViewerRef): string[] | null => {
    const sig = badgeSignatures.get(v.guildId)?.[badgeIndex.get(v) ?? -1];
    return sig === null || sig === undefined ? null : parseBadgeSignature(sig);
  };

  const runs = new Map<string, GuildRun>(guildIds.map((g) => [g, { config: configs.get(g) as RoleRewardConfig, lines: [], refused: new Map() }]));
  const errors: unknown[] = [];

  await pool(unique, options.concurrency ?? 4, async (viewer) => {
    const run = runs.get(viewer.guildId) as GuildRun;
    const { config } = run;
    const link = links.get(viewer.kickUserId);
    const discordUserId = link?.discordUserId ?? null;
    const stat = stats.find((s) => s.guildId === viewer.guildId && s.kickUserId === viewer.kickUserId);
    const name = stat?.username ?? link?.kickUsername ?? `Kick user ${viewer.kickUserId}`;
    try {
      // Roles kickcord gave a Discord user who is no longer linked to this Kick account go back.
      for (const stale of states.filter((s) => s.guildId === viewer.guildId && s.kickUserId === viewer.kickUserId && s.discordUserId !== discordUserId)) {
        await withdraw(ctx, run, { discordUserId: stale.discordUserId, roleIds: stale.roleIds, name }, summary);
      }
      if (!discordUserId) return;
      const prior = states.find((s) => s.guildId === viewer.guildId && s.discordUserId === discordUserId);
      if (!hasRewards(config) && !prior?.roleIds.length) return;
      summary.viewers++;
      const sub = subs.find((s) => s.guildId === viewer.guildId && s.kickUserId === viewer.kickUserId);
      const facts: ViewerFacts = { activeMinutes: stat?.activeMinutes ?? 0, points: stat?.points ?? 0, subscriptionExpiresAt: sub?.expiresAt ?? null, badges: badgesOf(viewer) };
      const wanted = desiredRoles(config, facts, now);
      const wantedIds = new Set(wanted.map((w) => w.roleId));
      const undecided = new Set([...undecidedRoleIds(config, facts)].filter((r) => !wantedIds.has(r)));
      const priorIds = new Set((prior?.roleIds ?? []).filter((r) => !undecided.has(r)));
      if (!options.force && prior && sameSet(priorIds, wantedIds)) return;

      // A linked viewer who is not a member of this server is not asked about again for an hour (the reconciliation does).
      const notMemberKey = ctx.keys.roleRewardNotMember(viewer.guildId, discordUserId);
      if (!options.force && (await ctx.redis.exists(notMemberKey)) === 1) return;
      summary.checked++;
      const actual = await memberRoleIds(ctx.discordRest, viewer.guildId, discordUserId);
      if (actual === null) {
        // Not a member of this server (or the bot left it): nothing to give; forget what was given.
        await ctx.redis.set(notMemberKey, '1', 'EX', NOT_MEMBER_SECONDS);
        if (prior) await ctx.prisma.roleRewardMember.deleteMany({ where: { guildId: viewer.guildId, discordUserId } });
        return;
      }
      const held = new Set(actual);
      const managed = new Set([...rewardRoleIds(config), ...(prior?.roleIds ?? [])]);
      const mention = `<@${discordUserId}> (Kick **${name}**)`;
      for (const w of wanted) {
        if (held.has(w.roleId)) continue;
        const outcome = await change(ctx, run, { guildId: viewer.guildId, userId: discordUserId, roleId: w.roleId, add: true, reason: `${AUDIT_PREFIX}: ${w.why}` }, summary);
        if (outcome === 'gone') return;
        if (outcome === 'done') {
          held.add(w.roleId);
          summary.added++;
          run.lines.push(`➕ <@&${w.roleId}> given to ${mention}: ${w.why}`);
        }
      }
      for (const roleId of [...held].filter((r) => managed.has(r) && !wantedIds.has(r) && !undecided.has(r))) {
        const why = removalReason(config, roleId, facts);
        const outcome = await change(ctx, run, { guildId: viewer.guildId, userId: discordUserId, roleId, add: false, reason: `${AUDIT_PREFIX}: ${why}` }, summary);
        if (outcome === 'gone') return;
        if (outcome === 'done') {
          held.delete(roleId);
          summary.removed++;
          run.lines.push(`➖ <@&${roleId}> taken from ${mention}: ${why}`);
        }
      }
      const roleIds = [...held].filter((r) => managed.has(r)).sort();
      await ctx.prisma.roleRewardMember.upsert({
        where: { guildId_discordUserId: { guildId: viewer.guildId, discordUserId } },
        create: { guildId: viewer.guildId, discordUserId, kickUserId: viewer.kickUserId, roleIds, syncedAt: now },
        update: { kickUserId: viewer.kickUserId, roleIds, syncedAt: now },
      });
    } catch (error) {
      errors.push(error);
    }
  });

  for (const run of runs.values()) await logRoleChanges(ctx, run.config, run.lines);
  if (errors.length > 0) throw errors[0];
  return summary;
}

/** Takes every role kickcord gave a Discord user who is no longer linked to the Kick account, and forgets them. */
async function withdraw(ctx: Deps, run: GuildRun, input: { discordUserId: string; roleIds: readonly string[]; name: string }, summary: SyncSummary): Promise<void> {
  const guildId = run.config.guildId;
  const actual = input.roleIds.length > 0 ? await memberRoleIds(ctx.discordRest, guildId, input.discordUserId) : null;
  const kept: string[] = [];
  for (const roleId of input.roleIds.filter((r) => actual?.includes(r))) {
    const outcome = await change(ctx, run, { guildId, userId: input.discordUserId, roleId, add: false, reason: `${AUDIT_PREFIX}: Kick account unlinked` }, summary);
    if (outcome === 'gone') break;
    if (outcome === 'refused') kept.push(roleId);
    if (outcome === 'done') {
      summary.removed++;
      run.lines.push(`➖ <@&${roleId}> taken from <@${input.discordUserId}>: no longer linked to Kick **${input.name}**`);
    }
  }
  // A role Discord refused to take stays on record, so the next sync or the reconciliation tries again.
  if (kept.length > 0) await ctx.prisma.roleRewardMember.updateMany({ where: { guildId, discordUserId: input.discordUserId }, data: { roleIds: kept } });
  else await ctx.prisma.roleRewardMember.deleteMany({ where: { guildId, discordUserId: input.discordUserId } });
}

/** One role change; a refusal is reported once per role and run, and that role is not asked again this run. */
async function change(
  ctx: Deps,
  run: GuildRun,
  input: { guildId: string; userId: string; roleId: string; add: boolean; reason: string },
  summary: SyncSummary,
): Promise<'done' | 'gone' | 'refused'> {
  if (run.refused.has(input.roleId)) return 'refused';
  const outcome = await changeMemberRole(ctx.discordRest, input);
  if (outcome.ok) return 'done';
  if ('gone' in outcome) return 'gone';
  run.refused.set(input.roleId, outcome.problem);
  summary.refused++;
  await reportRoleProblem(ctx, run.config, outcome.problem);
  return 'refused';
}
