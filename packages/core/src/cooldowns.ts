/**
 * Chat command cooldowns: a pure decision plus the Redis key names the app stores last-use times under.
 */
import { meetsLevel, type UserLevel } from './userLevel.ts';

/** Inputs of {@link checkCooldown}. Times are epoch milliseconds; `null` means "never used". */
export interface CooldownInput {
  readonly now: number;
  readonly lastGlobalUseAt: number | null;
  readonly lastUserUseAt: number | null;
  /** Seconds between any two uses in the channel (0 = none). */
  readonly globalCooldownSec: number;
  /** Seconds between two uses by the same viewer (0 = none). */
  readonly userCooldownSec: number;
  readonly userLevel: UserLevel;
}

/** Result of {@link checkCooldown}. */
export type CooldownDecision =
  | { allowed: true }
  | { allowed: false; retryInSec: number; scope: 'global' | 'user' };

function remainingMs(now: number, lastUseAt: number | null, cooldownSec: number): number {
  if (lastUseAt === null || !(cooldownSec > 0)) return 0;
  const cooldownMs = cooldownSec * 1000;
  // A last use "in the future" (another replica's clock) blocks for at most one full cooldown.
  return Math.min(cooldownMs, Math.max(0, lastUseAt + cooldownMs - now));
}

/**
 * Decides whether a command may run now. Moderators and the broadcaster always bypass cooldowns.
 * When both cooldowns block, the one that ends later is reported (that is when the viewer can use it);
 * on a tie `global` is reported. `retryInSec` is rounded up and at least 1.
 */
export function checkCooldown(input: CooldownInput): CooldownDecision {
  if (meetsLevel(input.userLevel, 'moderator')) return { allowed: true };
  const globalMs = remainingMs(input.now, input.lastGlobalUseAt, input.globalCooldownSec);
  const userMs = remainingMs(input.now, input.lastUserUseAt, input.userCooldownSec);
  if (globalMs <= 0 && userMs <= 0) return { allowed: true };
  const scope = globalMs >= userMs ? 'global' : 'user';
  const ms = Math.max(globalMs, userMs);
  return { allowed: false, retryInSec: Math.max(1, Math.ceil(ms / 1000)), scope };
}
