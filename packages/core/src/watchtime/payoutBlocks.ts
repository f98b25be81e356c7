/**
 * Payout blocks: the watch tick pays each live session once per block of `B` minutes instead of every minute,
 * a stable per-session phase spreading the sessions of a big deployment over the minutes of a block.
 */
import { CoreInputError } from '../CoreInputError.ts';

/**
 * Payout intervals an operator may choose (`WATCH_PAYOUT_MINUTES`): divisors of 60 up to 15, so a payout
 * block never straddles an hour or a UTC day (the daily points cap stays exact per block).
 */
export const PAYOUT_MINUTES_CHOICES = [1, 2, 3, 4, 5, 6, 10, 12, 15] as const;

function checkPayoutMinutes(payoutMinutes: number): number {
  if (!(PAYOUT_MINUTES_CHOICES as readonly number[]).includes(payoutMinutes)) {
    throw new CoreInputError(`payout interval must be one of ${PAYOUT_MINUTES_CHOICES.join(', ')} minutes (got ${payoutMinutes}).`);
  }
  return payoutMinutes;
}

/** First minute of the payout block holding `minute`. Blocks are aligned to the epoch: `[B·k, B·k + B)`. */
export function payoutBlockStart(minute: number, payoutMinutes: number): number {
  const b = checkPayoutMinutes(payoutMinutes);
  return Math.floor(minute / b) * b;
}

/**
 * How many minutes after its block ends a stream session is paid (0 … B − 1): a stable hash of the stream session's id,
 * so the channels of a big deployment settle on different minutes and every tick carries about 1/B of them.
 */
export function payoutPhase(sessionId: string, payoutMinutes: number): number {
  const b = checkPayoutMinutes(payoutMinutes);
  if (b === 1) return 0;
  let h = 0x811c9dc5; // FNV-1a, 32 bit
  for (let i = 0; i < sessionId.length; i++) {
    h ^= sessionId.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % b;
}

/**
 * The last minute a session may be paid for at `currentMinute`: the end of the newest block that ended at
 * least `phase` minutes ago. With a 1-minute interval this is `currentMinute` itself (pay every minute).
 */
export function payableThrough(currentMinute: number, payoutMinutes: number, phase: number): number {
  return payoutBlockStart(currentMinute - phase + 1, payoutMinutes) - 1;
}
