import { formatPointsAmount } from '@kickcord/core';
import type { BetResult } from './bets.ts';

/** The Kick chat answer to a refused bet (it never repeats what the viewer typed). */
export function refusedBetReply(at: string, usage: string, bet: Exclude<BetResult, { ok: true }>, limits: { min: number; max: number }, balance: number): string {
  switch (bet.reason) {
    case 'invalid':
      return `${at} usage: ${usage} (an amount, all, or a percentage like 25%).`;
    case 'too-small':
      return `${at} the smallest bet is ${formatPointsAmount(limits.min)}.`;
    case 'too-large':
      return `${at} the largest bet is ${formatPointsAmount(limits.max)}.`;
    case 'insufficient':
      return `${at} you have ${formatPointsAmount(balance)} — not enough for that bet.`;
  }
}
