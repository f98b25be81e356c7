/**
 * Raffle rules: tickets per entry and an unbiased weighted draw without replacement.
 */
import { CoreInputError } from './CoreInputError.ts';
import { MAX_INT32 } from './watchtime/loyaltySettings.ts';

/**
 * Tickets one entry gets: subscribers get `subscriberLuck` (a whole number ≥ 1; 1 = no bonus),
 * everyone else 1.
 */
export function ticketsForEntry(input: { isSubscriber: boolean; subscriberLuck: number }): number {
  if (!input.isSubscriber) return 1;
  const luck = Number.isFinite(input.subscriberLuck) ? Math.floor(input.subscriberLuck) : 1;
  return Math.max(1, luck);
}

/**
 * Extra tickets a gifter earns for gifting subs while a raffle is open: `giftCount × ticketsPerGift`;
 * anonymous gifts earn nothing (there is nobody to credit). `ticketsPerGift` 0 turns it off.
 */
export function giftedSubTickets(input: { giftCount: number; ticketsPerGift: number; anonymous: boolean }): number {
  if (input.anonymous) return 0;
  const gifts = Number.isFinite(input.giftCount) ? Math.max(0, Math.floor(input.giftCount)) : 0;
  const per = Number.isFinite(input.ticketsPerGift) ? Math.max(0, Math.floor(input.ticketsPerGift)) : 0;
  return gifts * per;
}

/** Result of {@link validateRaffleOptions}. */
export type RaffleOptionsResult = { ok: true } | { ok: false; errors: string[] };

/**
 * Validates a raffle's options as given to `/raffle start`: `winnersCount` 1–100, `subscriberLuck` 1–100,
 * `giftedSubTickets` 0–100, `cost` 0–2,147,483,647 (whole numbers). Only present fields are checked.
 */
export function validateRaffleOptions(options: {
  winnersCount?: number;
  subscriberLuck?: number;
  giftedSubTickets?: number;
  cost?: number;
}): RaffleOptionsResult {
  const errors: string[] = [];
  const check = (label: string, value: number | undefined, min: number, max: number): void => {
    if (value !== undefined && (!Number.isInteger(value) || value < min || value > max)) {
      errors.push(`${label} must be a whole number from ${min} to ${max} (got ${String(value)}).`);
    }
  };
  check('Winners', options.winnersCount, 1, 100);
  check('Subscriber luck', options.subscriberLuck, 1, 100);
  check('Tickets per gifted sub', options.giftedSubTickets, 0, 100);
  check('Entry cost', options.cost, 0, MAX_INT32);
  return errors.length > 0 ? { ok: false, errors } : { ok: true };
}

/** Largest total of tickets a draw accepts: `crypto.randomInt` needs `max ≤ 2^48 − 1`. */
export const MAX_TOTAL_TICKETS = 2 ** 48 - 1;

/** A raffle entry as the draw needs it. */
export interface TicketEntry {
  readonly id: string;
  /** Whole number ≥ 0; an entry with 0 tickets can never win. */
  readonly tickets: number;
}

/**
 * Draws up to `count` distinct winners, each with probability proportional to its tickets among the entries
 * not yet drawn (weighted sampling without replacement). Returns the winning entries in draw order.
 *
 * Each draw asks `randomInt(total)` for a uniform integer in `[0, total)` over the remaining tickets and picks
 * the entry whose cumulative ticket range contains it (a Fenwick tree, O(log n) per draw). All arithmetic is
 * on integers — no floating point and no modulo — so the draw is exactly as unbiased as `randomInt`; pass
 * `crypto.randomInt` (from `node:crypto`) in production. When a single eligible entry is left it is taken
 * without consuming randomness.
 *
 * No entries (or `count` 0) → `[]`; `count` ≥ eligible entries → all of them, in a random order.
 * @throws {CoreInputError} for duplicate ids, tickets that are not whole numbers ≥ 0, a total above
 *   {@link MAX_TOTAL_TICKETS}, a `count` that is not a whole number ≥ 0, or a `randomInt` result out of range.
 */
export function drawWinners<T extends TicketEntry>(entries: readonly T[], count: number, randomInt: (maxExclusive: number) => number): T[] {
  if (!Number.isInteger(count) || count < 0) {
    throw new CoreInputError(`drawWinners count must be a whole number ≥ 0 (got ${count}).`);
  }
  const seen = new Set<string>();
  const eligible: T[] = [];
  let total = 0;
  for (const entry of entries) {
    if (seen.has(entry.id)) throw new CoreInputError(`drawWinners got entry id "${entry.id}" twice — merge its tickets into one entry.`);
    seen.add(entry.id);
    if (!Number.isSafeInteger(entry.tickets) || entry.tickets < 0) {
      throw new CoreInputError(`Entry "${entry.id}" has ${entry.tickets} tickets — tickets must be a whole number ≥ 0.`);
    }
    if (entry.tickets > 0) {
      eligible.push(entry);
      total += entry.tickets;
    }
  }
  if (total > MAX_TOTAL_TICKETS) {
    throw new CoreInputError(`The raffle has ${total} tickets — at most ${MAX_TOTAL_TICKETS} can be drawn from.`);
  }

  const n = eligible.length;
  // Fenwick tree (1-based) over ticket counts: tree[i] holds the sum of a power-of-two block ending at i.
  const tree = new Array<number>(n + 1).fill(0);
  const add = (index: number, delta: number): void => {
    for (let i = index; i <= n; i += i & -i) tree[i] = (tree[i] ?? 0) + delta;
  };
  eligible.forEach((entry, i) => add(i + 1, entry.tickets));
  let topStep = 1;
  while (topStep * 2 <= n) topStep *= 2;

  /** 0-based index of the entry whose cumulative range [prefix(i-1), prefix(i)) contains `target`. */
  const find = (target: number): number => {
    let pos = 0;
    let rest = target;
    for (let step = topStep; step > 0; step = Math.floor(step / 2)) {
      const next = pos + step;
      const block = tree[next] ?? 0;
      if (next <= n && block <= rest) {
        pos = next;
        rest -= block;
      }
    }
    return pos;
  };

  const winners: T[] = [];
  const taken = new Array<boolean>(n).fill(false);
  let remaining = total;
  let left = n;
  while (winners.length < count && left > 0) {
    let index: number;
    if (left === 1) {
      index = taken.indexOf(false);
    } else {
      const r = randomInt(remaining);
      if (!Number.isInteger(r) || r < 0 || r >= remaining) {
        throw new CoreInputError(`randomInt(${remaining}) returned ${r} — it must return a whole number in [0, ${remaining}).`);
      }
      index = find(r);
    }
    const entry = eligible[index];
    if (entry === undefined || taken[index]) throw new CoreInputError('drawWinners picked an entry twice — internal invariant broken.');
    taken[index] = true;
    winners.push(entry);
    add(index + 1, -entry.tickets);
    remaining -= entry.tickets;
    left -= 1;
  }
  return winners;
}
