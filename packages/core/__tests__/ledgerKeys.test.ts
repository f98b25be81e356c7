import { describe, expect, it } from 'vitest';
import { CoreInputError } from '../src/CoreInputError.ts';
import { adminKey, eventKey, followKey, tickKey } from '../src/ledgerKeys.ts';

describe('idempotency keys', () => {
  it('builds the documented shapes', () => {
    expect(tickKey('sess-1', 29_000_000)).toBe('tick:sess-1:29000000');
    expect(tickKey('sess-1', 29_000_000, 42)).toBe('tick:sess-1:29000000:42');
    expect(eventKey('01HZX')).toBe('msg:01HZX');
    expect(eventKey('01HZX', 'giftee-7')).toBe('msg:01HZX:giftee-7');
    expect(adminKey('1234567890')).toBe('admin:1234567890');
    expect(followKey(1, 2)).toBe('follow:1:2');
  });

  it('rejects parts that would make keys ambiguous', () => {
    expect(() => tickKey('', 1)).toThrow(CoreInputError);
    expect(() => tickKey('a:b', 1)).toThrow(/sessionId must be non-empty without spaces or ":"/);
    expect(() => tickKey('s', 1.5)).toThrow(CoreInputError);
    expect(() => eventKey('x y')).toThrow(CoreInputError);
    expect(() => eventKey('x', '')).toThrow(CoreInputError);
    expect(() => adminKey('')).toThrow(CoreInputError);
  });
});
