import { describe, expect, it } from 'vitest';
import { CoreInputError } from '../src/CoreInputError.ts';
import { centsToDecimalString, closestGuesses, decimalStringToCents, formatCents, MAX_AMOUNT_CENTS, parseAmount, pickWinner } from '../src/guessTheBalance.ts';

const EX = 'try 1234.50, 1,234.50, 1.234,50 or 1.2k';

describe('parseAmount — accepted', () => {
  it.each([
    ['1,234.50', 123450],
    ['1234,50', 123450],
    ['1.2k', 120000],
    ['1.2K', 120000],
    ['3m', 300000000],
    ['3 M', 300000000],
    ['$1,000', 100000],
    ['$ 1,000', 100000],
    ['€250', 25000],
    ['250€', 25000],
    ['1,50 €', 150],
    ['£12.99', 1299],
    ['usd 5', 500],
    ['5 EUR', 500],
    [' 12 ', 1200],
    ['0', 0],
    ['00012', 1200],
    ['12.5', 1250],
    ['12.', 1200],
    ['.5', 50],
    ['1,5', 150],
    ['1,234', 123400],
    ['1.234', 123400],
    ['1.234,56', 123456],
    ['1,234,567.89', 123456789],
    ['1.234.567,89', 123456789],
    ['1,234,567', 123456700],
    ['1 234,56', 123456],
    ["1'234.50", 123450],
    ['1\u00a0234,56', 123456],
    ['1.23456k', 123456],
    ['1,5k', 150000],
    ['1.234k', 123400],
    ['1000000000000', MAX_AMOUNT_CENTS],
  ])('%j → %s cents', (text, cents) => {
    expect(parseAmount(text)).toEqual({ ok: true, cents });
  });
});

describe('parseAmount — refused', () => {
  it.each([
    ['', `Type an amount — ${EX}.`],
    ['   ', `Type an amount — ${EX}.`],
    ['abc', `"abc" is not an amount — ${EX}.`],
    ['12abc', `"12abc" is not an amount — ${EX}.`],
    ['1e5', `"1e5" is not an amount — ${EX}.`],
    ['k', `"k" is not an amount — ${EX}.`],
    ['$', `"$" is not an amount — ${EX}.`],
    ['1.2kk', `"1.2kk" is not an amount — ${EX}.`],
    ['0x10', `"0x10" is not an amount — ${EX}.`],
    ['-5', 'Negative amounts are not allowed.'],
    ['-$5', 'Negative amounts are not allowed.'],
    ['$-5', 'Negative amounts are not allowed.'],
    ['−5', 'Negative amounts are not allowed.'],
    ['0.125', 'Use at most 2 decimals (cents), e.g. 12.34.'],
    ['1,2345', 'Use at most 2 decimals (cents), e.g. 12.34.'],
    ['1.234567k', 'Use at most 2 decimals (cents), e.g. 12.34.'],
    ['1,23,456', `"1,23,456" has misplaced thousands separators — ${EX}.`],
    ['1.2.3', `"1.2.3" has misplaced thousands separators — ${EX}.`],
    ['1 2', `"1 2" has misplaced thousands separators — ${EX}.`],
    ['1,000.5.0', `"1,000.5.0" has more than one decimal separator — ${EX}.`],
    ['1000000000000.01', 'That is more than 1,000,000,000,000.00 — guess a smaller amount.'],
    ['2m'.padStart(41, '0'), 'That is too long to be an amount.'],
  ])('%j', (text, reason) => {
    expect(parseAmount(text)).toMatchObject({ ok: false, reason });
  });

  it('names each problem in a short phrase that neither quotes the text nor repeats an example', () => {
    for (const text of ['', 'banana', 'k', '-5', '0.125', '1,23,456', '1,000.5.0', '1000000000000.01', '2m'.padStart(41, '0'), '1,2a']) {
      const result = parseAmount(text);
      if (result.ok) throw new Error(`${text} was accepted`);
      expect(result.problem).not.toBe('');
      expect(result.problem).not.toContain('"');
      expect(result.problem).not.toMatch(/try |e\.g\./u);
      if (text.trim()) expect(result.problem).not.toContain(text.trim());
    }
  });
});

describe('cents helpers', () => {
  it.each([
    [0, '0.00', '0.00'],
    [5, '0.05', '0.05'],
    [123450, '1,234.50', '1234.50'],
    [100000000, '1,000,000.00', '1000000.00'],
    [-250, '-2.50', '-2.50'],
  ])('%s → %s / %s', (cents, human, decimal) => {
    expect(formatCents(cents)).toBe(human);
    expect(centsToDecimalString(cents)).toBe(decimal);
    expect(decimalStringToCents(decimal)).toBe(cents);
  });

  it('parses stored decimals strictly', () => {
    expect(decimalStringToCents('1234.5')).toBe(123450);
    expect(decimalStringToCents('1.500'.slice(0, 4))).toBe(150);
    expect(() => decimalStringToCents('1.500')).toThrow(CoreInputError);
    expect(() => decimalStringToCents('1,5')).toThrow(CoreInputError);
    expect(() => formatCents(0.5)).toThrow(CoreInputError);
  });
});

describe('closestGuesses / pickWinner', () => {
  const g = (userId: number, cents: number, guessedAt: number) => ({ userId, cents, guessedAt });

  it('returns every guess at the minimum distance, earliest first', () => {
    const guesses = [g(1, 1000, 30), g(2, 1200, 10), g(3, 800, 20), g(4, 5000, 5), g(5, 800, 40)];
    // result 1000 → user 1 exact
    expect(closestGuesses(guesses, 1000).map((x) => x.userId)).toEqual([1]);
    // result 1000 without the exact guess → 1200 and 800 (twice) tie at 200; earliest first
    expect(closestGuesses(guesses.slice(1), 1000).map((x) => x.userId)).toEqual([2, 3, 5]);
    expect(pickWinner(guesses.slice(1), 1000)?.userId).toBe(2);
  });

  it('counts over and under the same', () => {
    expect(closestGuesses([g(1, 1100, 2), g(2, 900, 1)], 1000).map((x) => x.userId)).toEqual([2, 1]);
    expect(pickWinner([g(1, 1100, 1), g(2, 900, 2)], 1000)?.userId).toBe(1);
  });

  it('keeps input order for identical times', () => {
    expect(closestGuesses([g(7, 5, 1), g(8, 5, 1)], 5).map((x) => x.userId)).toEqual([7, 8]);
  });

  it('handles no guesses and huge amounts', () => {
    expect(closestGuesses([], 100)).toEqual([]);
    expect(pickWinner([], 100)).toBeNull();
    expect(pickWinner([g(1, MAX_AMOUNT_CENTS, 1), g(2, 0, 0)], MAX_AMOUNT_CENTS - 1)?.userId).toBe(1);
  });
});
