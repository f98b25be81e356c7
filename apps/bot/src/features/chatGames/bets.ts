/** Bets for `!gamble` and `!duel`: an amount, `all`, or a percentage of the balance. */

/** Picks a whole number in [0, maxExclusive) — `crypto.randomInt` unless a test injects its own. */
export type RandomInt = (maxExclusive: number) => number;

/** Bounds of a bet (the guild's settings). */
export interface BetLimits {
  min: number;
  max: number;
}

/** Outcome of {@link parseBet}. */
export type BetResult = { ok: true; amount: number } | { ok: false; reason: 'invalid' | 'too-small' | 'too-large' | 'insufficient'; amount?: number };

/**
 * Reads a bet against the viewer's balance: a whole number (`250`, `1.5k`), `all` or a percentage (`25%`). `all` and
 * percentages are capped at the maximum bet; an amount typed above it is refused. The bet must be within the limits
 * and covered by the balance.
 */
export function parseBet(raw: string | undefined, balance: number, limits: BetLimits): BetResult {
  const text = (raw ?? '').trim().toLowerCase().replace(/,/gu, '');
  let amount: number;
  let capped = false;
  if (text === 'all') {
    amount = balance;
    capped = true;
  } else if (/^\d{1,3}%$/u.test(text)) {
    const pct = Number(text.slice(0, -1));
    if (pct < 1 || pct > 100) return { ok: false, reason: 'invalid' };
    amount = Math.floor((balance * pct) / 100);
    capped = true;
  } else {
    const m = /^(\d+(?:\.\d+)?)(k?)$/u.exec(text);
    if (!m) return { ok: false, reason: 'invalid' };
    const value = Number(m[1]) * (m[2] === 'k' ? 1000 : 1);
    if (!Number.isSafeInteger(value)) return { ok: false, reason: 'invalid' };
    amount = value;
  }
  if (capped) amount = Math.min(amount, limits.max);
  if (amount < limits.min || amount < 1) return amount > balance ? { ok: false, reason: 'insufficient', amount: limits.min } : { ok: false, reason: 'too-small', amount };
  if (amount > limits.max) return { ok: false, reason: 'too-large', amount };
  if (amount > balance) return { ok: false, reason: 'insufficient', amount };
  return { ok: true, amount };
}
