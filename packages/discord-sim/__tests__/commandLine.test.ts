import { describe, expect, it } from 'vitest';
import { DiscordSimError, snowflake, snowflakeTime, tokenizeCommandLine } from '../src/index.ts';

describe('tokenizeCommandLine', () => {
  it('splits on whitespace and honours quotes, mid-word quotes and escapes', () => {
    expect(tokenizeCommandLine(`/announce set live #general @Live "Live: {title}" title:"a b" 'x \\' y' url:https://kick.com/a`).map((w) => [w.text, w.prefix])).toEqual([
      ['/announce', null],
      ['set', null],
      ['live', null],
      ['#general', null],
      ['@Live', null],
      ['Live: {title}', null],
      ['title:a b', 'title'],
      ["x ' y", null],
      ['url:https://kick.com/a', 'url'],
    ]);
    expect(tokenizeCommandLine('name:"quoted:colon"')[0]).toMatchObject({ prefix: 'name', rest: 'quoted:colon' });
    expect(tokenizeCommandLine('""')[0]?.text).toBe('');
  });

  it('rejects an unterminated quote', () => {
    expect(() => tokenizeCommandLine('/x "open')).toThrow(DiscordSimError);
  });
});

describe('snowflake', () => {
  it('is timestamp-based and strictly increasing', () => {
    const ids = Array.from({ length: 5000 }, () => snowflake());
    for (let i = 1; i < ids.length; i++) expect(BigInt(ids[i] as string) > BigInt(ids[i - 1] as string)).toBe(true);
    expect(Math.abs(snowflakeTime(ids[0] as string) - Date.now())).toBeLessThan(5000);
    expect(ids[0]).toMatch(/^\d{18,20}$/);
  });
});
