import { describe, expect, it } from 'vitest';
import { PAYOUT_MINUTES_CHOICES, payableThrough, payoutBlockStart, payoutPhase } from '../../src/watchtime/payoutBlocks.ts';

describe('payout blocks', () => {
  it('aligns blocks to the epoch and refuses intervals that would straddle an hour', () => {
    expect(payoutBlockStart(1004, 5)).toBe(1000);
    expect(payoutBlockStart(1005, 5)).toBe(1005);
    expect(payoutBlockStart(1004, 1)).toBe(1004);
    expect(() => payoutBlockStart(1000, 7)).toThrow(/one of 1, 2, 3, 4, 5, 6, 10, 12, 15/);
    expect(() => payoutPhase('s', 0)).toThrow(/payout interval/);
    // 1,440 minutes a day: no block crosses midnight UTC.
    for (const b of PAYOUT_MINUTES_CHOICES) expect(1440 % b).toBe(0);
  });

  it('pays a block `phase` minutes after its last minute; every minute when the interval is 1', () => {
    expect(payableThrough(1004, 5, 0)).toBe(1004); // block 1000–1004 just ended
    expect(payableThrough(1003, 5, 0)).toBe(999);
    expect(payableThrough(1006, 5, 2)).toBe(1004);
    expect(payableThrough(1005, 5, 2)).toBe(999);
    expect(payableThrough(1008, 5, 4)).toBe(1004);
    expect(payableThrough(1009, 5, 4)).toBe(1004);
    for (let m = 1000; m < 1010; m++) expect(payableThrough(m, 1, 0)).toBe(m);
  });

  it('spreads sessions evenly over the phases, stably', () => {
    const counts = [0, 0, 0, 0, 0];
    for (let i = 0; i < 5_000; i++) counts[payoutPhase(`session-${i}`, 5)]! += 1;
    for (const c of counts) expect(c).toBeGreaterThan(850);
    expect(payoutPhase('abc', 5)).toBe(payoutPhase('abc', 5));
    expect(payoutPhase('abc', 1)).toBe(0);
  });
});
