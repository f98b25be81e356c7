/**
 * Chat command cooldowns in Redis, correct across workers: the decision is core's `checkCooldown`,
 * and the new last-use times are written with a compare-and-set, so two workers handling two messages
 * at once cannot both pass a cooldown. A retried job (same message) finds its own claim and passes again.
 */
import { checkCooldown, type CooldownDecision, type UserLevel } from '@kickcord/core';
import { redisScript, runScript, type RedisConnection } from '@kickcord/queue';
import type { RedisKeys } from '../redisKeys.ts';

const CAS_SCRIPT = redisScript(`
local g = redis.call('GET', KEYS[1]) or ''
local u = redis.call('GET', KEYS[2]) or ''
if g ~= ARGV[1] or u ~= ARGV[2] then return 0 end
if tonumber(ARGV[4]) > 0 then redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4]) end
if tonumber(ARGV[5]) > 0 then redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[5]) end
return 1`);

/** Input of {@link claimCooldown}. */
export interface CooldownClaim {
  guildId: string;
  command: string;
  userId: number;
  userLevel: UserLevel;
  globalCooldownSec: number;
  userCooldownSec: number;
  now: Date;
  /** Identifies this use (the Kick chat message id). */
  claimId: string;
}

function parse(value: string | null): { at: number; claimId: string } | null {
  if (!value) return null;
  const i = value.indexOf(':');
  const at = Number(value.slice(0, i));
  return Number.isFinite(at) ? { at, claimId: value.slice(i + 1) } : null;
}

/**
 * Decides whether a command use may run now and, if so, records it as the last use (global and per
 * user) with a TTL of each cooldown. Moderators and the broadcaster bypass (their use still counts).
 */
export async function claimCooldown(store: { redis: RedisConnection; keys: Pick<RedisKeys, 'cooldowns'> }, claim: CooldownClaim): Promise<CooldownDecision> {
  const { redis } = store;
  if (claim.globalCooldownSec <= 0 && claim.userCooldownSec <= 0) return { allowed: true };
  const keys = store.keys.cooldowns(claim.guildId, claim.command, claim.userId);
  const nowMs = claim.now.getTime();
  for (let attempt = 0; attempt < 5; attempt++) {
    const [rawG, rawU] = await redis.mget(keys.global, keys.user);
    const g = parse(rawG ?? null);
    const u = parse(rawU ?? null);
    const ownGlobal = g?.claimId === claim.claimId;
    const ownUser = u?.claimId === claim.claimId;
    // A retried job of the same message finds its own claim: it passed before, it passes again.
    if ((claim.globalCooldownSec <= 0 || ownGlobal) && (claim.userCooldownSec <= 0 || ownUser)) return { allowed: true };
    const decision = checkCooldown({
      now: nowMs,
      lastGlobalUseAt: ownGlobal ? null : (g?.at ?? null),
      lastUserUseAt: ownUser ? null : (u?.at ?? null),
      globalCooldownSec: claim.globalCooldownSec,
      userCooldownSec: claim.userCooldownSec,
      userLevel: claim.userLevel,
    });
    if (!decision.allowed) return decision;
    const ok = await runScript(redis, CAS_SCRIPT, [keys.global, keys.user], [
      rawG ?? '',
      rawU ?? '',
      `${nowMs}:${claim.claimId}`,
      Math.max(0, Math.round(claim.globalCooldownSec * 1000)),
      Math.max(0, Math.round(claim.userCooldownSec * 1000)),
    ]);
    if (ok === 1) return { allowed: true };
  }
  // Lost the race five times in a row: someone else just used it.
  return { allowed: false, retryInSec: Math.max(1, Math.ceil(Math.max(claim.globalCooldownSec, claim.userCooldownSec))), scope: claim.globalCooldownSec > 0 ? 'global' : 'user' };
}
