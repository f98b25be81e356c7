import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CoreInputError } from '../src/CoreInputError.ts';
import { drawWinners, giftedSubTickets, MAX_TOTAL_TICKETS, ticketsForEntry, type TicketEntry, validateRaffleOptions } from '../src/raffle.ts';

/** A randomInt that replays a script and records every max it was asked for. */
function scripted(values: number[]) {
  const asked: number[] = [];
  const fn = (max: number): number => {
    asked.push(max);
    const v = values.shift();
    if (v === undefined) throw new Error('script exhausted');
    return v;
  };
  return { fn, asked };
}

/** Straightforward reference: linear scan over the remaining entries in order. */
function naiveDraw(entries: TicketEntry[], count: number, rnd: (max: number) => number): string[] {
  const left = entries.filter((e) => e.tickets > 0);
  const out: string[] = [];
  while (out.length < count && left.length > 0) {
    let idx = 0;
    if (left.length > 1) {
      let r = rnd(left.reduce((s, e) => s + e.tickets, 0));
      while (r >= (left[idx]?.tickets ?? 0)) r -= left[idx++]?.tickets ?? 0;
    }
    out.push(left[idx]?.id ?? '');
    left.splice(idx, 1);
  }
  return out;
}

/** Deterministic PRNG for generating test cases (not for draws under test). */
function lcg(seed: number) {
  let s = seed >>> 0;
  return (max: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % max;
  };
}

const abc: TicketEntry[] = [
  { id: 'a', tickets: 1 },
  { id: 'b', tickets: 2 },
  { id: 'c', tickets: 7 },
];

describe('ticketsForEntry / giftedSubTickets', () => {
  it.each([
    [false, 5, 1],
    [true, 1, 1],
    [true, 3, 3],
    [true, 0, 1],
    [true, 2.9, 2],
  ])('isSubscriber=%s luck=%s → %s', (isSubscriber, subscriberLuck, tickets) => {
    expect(ticketsForEntry({ isSubscriber, subscriberLuck })).toBe(tickets);
  });

  it.each([
    [5, 2, false, 10],
    [5, 2, true, 0],
    [5, 0, false, 0],
    [0, 3, false, 0],
    [-2, 3, false, 0],
  ])('gifts=%s per=%s anonymous=%s → %s', (giftCount, ticketsPerGift, anonymous, tickets) => {
    expect(giftedSubTickets({ giftCount, ticketsPerGift, anonymous })).toBe(tickets);
  });
});

describe('validateRaffleOptions', () => {
  it('accepts sane options and lists every problem', () => {
    expect(validateRaffleOptions({ winnersCount: 1, subscriberLuck: 2, giftedSubTickets: 0, cost: 100 })).toEqual({ ok: true });
    expect(validateRaffleOptions({ winnersCount: 0, subscriberLuck: 1.5, giftedSubTickets: 101, cost: -1 })).toEqual({
      ok: false,
      errors: [
        'Winners must be a whole number from 1 to 100 (got 0).',
        'Subscriber luck must be a whole number from 1 to 100 (got 1.5).',
        'Tickets per gifted sub must be a whole number from 0 to 100 (got 101).',
        'Entry cost must be a whole number from 0 to 2147483647 (got -1).',
      ],
    });
  });
});

describe('drawWinners — deterministic', () => {
  it.each([
    [0, 'a'],
    [1, 'b'],
    [2, 'b'],
    [3, 'c'],
    [9, 'c'],
  ])('randomInt → %s picks %s first', (r, id) => {
    const { fn, asked } = scripted([r]);
    expect(drawWinners(abc, 1, fn).map((e) => e.id)).toEqual([id]);
    expect(asked).toEqual([10]);
  });

  it('draws without replacement over the remaining tickets', () => {
    // first r=3 → c (range 3..9); remaining a:[0,1) b:[1,3) → r=1 → b; a is last and taken without randomness
    const { fn, asked } = scripted([3, 1]);
    expect(drawWinners(abc, 3, fn).map((e) => e.id)).toEqual(['c', 'b', 'a']);
    expect(asked).toEqual([10, 3]);
  });

  it('maps every r to exactly `tickets` values (first draw)', () => {
    for (let n = 1; n <= 40; n++) {
      const gen = lcg(n);
      const entries = Array.from({ length: n }, (_, i) => ({ id: `e${i}`, tickets: gen(5) }));
      const total = entries.reduce((s, e) => s + e.tickets, 0);
      const hits = new Map<string, number>();
      for (let r = 0; r < total; r++) {
        const [winner] = drawWinners(entries, 1, () => r);
        if (winner) hits.set(winner.id, (hits.get(winner.id) ?? 0) + 1);
      }
      for (const e of entries) expect(hits.get(e.id) ?? 0, `n=${n} ${e.id}`).toBe(e.tickets);
    }
  });

  it('maps every (r1, r2) to ordered pairs in proportion w_i · w_j / exact counts', () => {
    const counts = new Map<string, number>();
    for (let r1 = 0; r1 < 10; r1++) {
      const [first] = drawWinners(abc, 1, () => r1);
      const rest = 10 - (first?.tickets ?? 0);
      for (let r2 = 0; r2 < rest; r2++) {
        const { fn } = scripted([r1, r2]);
        const key = drawWinners(abc, 2, fn).map((e) => e.id).join('');
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    // each first pick i has w_i values of r1, and then w_j values of r2 for the second pick j
    expect(Object.fromEntries(counts)).toEqual({ ab: 2, ac: 7, ba: 2, bc: 14, ca: 7, cb: 14 });
  });

  it('agrees with a naive linear-scan reference on random cases', () => {
    const gen = lcg(42);
    for (let round = 0; round < 300; round++) {
      const n = 1 + gen(30);
      const entries = Array.from({ length: n }, (_, i) => ({ id: `e${i}`, tickets: gen(10) }));
      const count = gen(n + 3);
      const script = Array.from({ length: n }, () => gen(1_000_000));
      const a = [...script];
      const b = [...script];
      const fast = drawWinners(entries, count, (max) => (a.shift() ?? 0) % max).map((e) => e.id);
      const slow = naiveDraw(entries, count, (max) => (b.shift() ?? 0) % max);
      expect(fast).toEqual(slow);
      expect(fast.length).toBe(Math.min(count, entries.filter((e) => e.tickets > 0).length));
      expect(new Set(fast).size).toBe(fast.length);
    }
  });

  it('handles empty input, zero tickets, count 0 and count above the entries', () => {
    const never = () => {
      throw new Error('no randomness needed');
    };
    expect(drawWinners([], 3, never)).toEqual([]);
    expect(drawWinners(abc, 0, never)).toEqual([]);
    expect(drawWinners([{ id: 'x', tickets: 0 }], 1, never)).toEqual([]);
    expect(drawWinners([{ id: 'x', tickets: 0 }, { id: 'y', tickets: 4 }], 5, never).map((e) => e.id)).toEqual(['y']);
    expect(drawWinners(abc, 10, randomInt).map((e) => e.id).sort()).toEqual(['a', 'b', 'c']);
  });

  it('passes extra fields through', () => {
    const [w] = drawWinners([{ id: 'x', tickets: 1, username: 'alice' }], 1, randomInt);
    expect(w?.username).toBe('alice');
  });

  it('rejects invalid input', () => {
    expect(() => drawWinners(abc, -1, randomInt)).toThrow(CoreInputError);
    expect(() => drawWinners(abc, 1.5, randomInt)).toThrow(CoreInputError);
    expect(() => drawWinners([{ id: 'a', tickets: 1 }, { id: 'a', tickets: 2 }], 1, randomInt)).toThrow(/twice/);
    expect(() => drawWinners([{ id: 'a', tickets: -1 }], 1, randomInt)).toThrow(/whole number ≥ 0/);
    expect(() => drawWinners([{ id: 'a', tickets: 1.5 }], 1, randomInt)).toThrow(CoreInputError);
    expect(() => drawWinners([{ id: 'a', tickets: MAX_TOTAL_TICKETS }, { id: 'b', tickets: 1 }], 1, randomInt)).toThrow(/at most/);
    expect(() => drawWinners(abc, 1, () => 10)).toThrow(/randomInt\(10\) returned 10/);
    expect(() => drawWinners(abc, 1, () => -1)).toThrow(CoreInputError);
    expect(() => drawWinners(abc, 1, () => 0.5)).toThrow(CoreInputError);
  });

  it('accepts the largest total crypto.randomInt supports', () => {
    const big = [
      { id: 'x', tickets: MAX_TOTAL_TICKETS - 1 },
      { id: 'y', tickets: 1 },
    ];
    expect(drawWinners(big, 1, () => MAX_TOTAL_TICKETS - 1).map((e) => e.id)).toEqual(['y']);
    expect(drawWinners(big, 2, randomInt)).toHaveLength(2);
  });
});

describe('drawWinners — statistical fairness with crypto.randomInt', () => {
  const DRAWS = 100_000;

  function chiSquare(observed: number[], expected: number[]): number {
    return observed.reduce((sum, o, i) => {
      const e = expected[i] ?? 1;
      return sum + (o - e) ** 2 / e;
    }, 0);
  }

  it('picks a single winner in proportion to tickets 1/2/7', () => {
    const counts = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < DRAWS; i++) {
      const [w] = drawWinners(abc, 1, randomInt);
      counts[w?.id as 'a' | 'b' | 'c'] += 1;
    }
    // each frequency within 0.6 percentage points (≥ 5 standard deviations for these p)
    expect(Math.abs(counts.a / DRAWS - 0.1)).toBeLessThan(0.006);
    expect(Math.abs(counts.b / DRAWS - 0.2)).toBeLessThan(0.006);
    expect(Math.abs(counts.c / DRAWS - 0.7)).toBeLessThan(0.006);
    // χ² with 2 degrees of freedom; 18.42 is the p = 0.0001 critical value
    expect(chiSquare([counts.a, counts.b, counts.c], [0.1 * DRAWS, 0.2 * DRAWS, 0.7 * DRAWS])).toBeLessThan(18.42);
  });

  it('orders two winners with the without-replacement probabilities', () => {
    const pairs = ['ab', 'ac', 'ba', 'bc', 'ca', 'cb'];
    const w: Record<string, number> = { a: 1, b: 2, c: 7 };
    const p = pairs.map(([i = '', j = '']) => ((w[i] ?? 0) / 10) * ((w[j] ?? 0) / (10 - (w[i] ?? 0))));
    const observed = new Map<string, number>();
    for (let i = 0; i < DRAWS; i++) {
      const key = drawWinners(abc, 2, randomInt).map((e) => e.id).join('');
      observed.set(key, (observed.get(key) ?? 0) + 1);
    }
    const obs = pairs.map((k) => observed.get(k) ?? 0);
    expect(obs.reduce((s, x) => s + x, 0)).toBe(DRAWS);
    // χ² with 5 degrees of freedom; 25.74 is the p = 0.0001 critical value
    expect(chiSquare(obs, p.map((x) => x * DRAWS))).toBeLessThan(25.74);
  });
});
