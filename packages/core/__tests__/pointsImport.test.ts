import { describe, expect, it } from 'vitest';
import { importFingerprint, importKey, parseCsvRecords, parsePointsCsv, toPointsCsv } from '../src/index.ts';

describe('parsePointsCsv', () => {
  it('reads kickcord exports back (round trip through toPointsCsv)', () => {
    const csv = toPointsCsv([
      { kickUserId: 7, username: 'alice', points: 120, activeMinutes: 45 },
      { kickUserId: 8, username: 'bob_2', points: 0, activeMinutes: 0 },
    ]);
    const parsed = parsePointsCsv(csv);
    expect(parsed).toEqual({
      ok: true,
      format: 'kickcord',
      rows: [
        { line: 2, kickUserId: 7, username: 'alice', points: 120, activeMinutes: 45 },
        { line: 3, kickUserId: 8, username: 'bob_2', points: 0, activeMinutes: 0 },
      ],
    });
  });

  it('recognises StreamElements, Streamlabs Chatbot, BotRix and generic layouts', () => {
    const se = parsePointsCsv('\uFEFFusername,points,alltime\r\nAlice,100,300\r\n@bob,5,5\r\n');
    expect(se.ok && se.format).toBe('streamelements');
    expect(se.ok && se.rows.map((r) => [r.username, r.points, r.activeMinutes, r.kickUserId])).toEqual([
      ['Alice', 100, 0, null],
      ['bob', 5, 0, null],
    ]);
    const slcb = parsePointsCsv('Name,Rank,Points,Hours\ncarol,Viewer,250,1.5\n');
    expect(slcb.ok && slcb.format).toBe('streamlabs-chatbot');
    expect(slcb.ok && slcb.rows[0]?.activeMinutes).toBe(90);
    const botrix = parsePointsCsv('Username;Points;Watchtime\ndave;40;600\n');
    expect(botrix.ok && botrix.format).toBe('botrix');
    expect(botrix.ok && botrix.rows[0]).toMatchObject({ username: 'dave', points: 40, activeMinutes: 600 });
    const generic = parsePointsCsv('user,balance\n"erin",7\n');
    expect(generic.ok && generic.format).toBe('generic');
  });

  it('lists every bad line and returns no rows for a malformed file', () => {
    const parsed = parsePointsCsv('username,points\nalice,10\nbob,-5\n,3\nalice,4\ncarol,1.5\n');
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors.map((e) => e.line)).toEqual([3, 4, 5, 6]);
    expect(parsed.errors[2]?.message).toContain('line 2');
  });

  it('refuses a file without username/points columns, an empty file and an unterminated quote', () => {
    expect(parsePointsCsv('foo,bar\n1,2\n')).toMatchObject({ ok: false, errors: [{ line: 1 }] });
    expect(parsePointsCsv('')).toMatchObject({ ok: false, errors: [{ line: 1 }] });
    expect(parseCsvRecords('a,b\n"x,1\n')).toMatchObject({ ok: false, error: { line: 2 } });
  });
});

describe('importFingerprint / importKey', () => {
  it('ignores row order and username case but not numbers', () => {
    const a = [
      { kickUserId: null, username: 'Alice', points: 1, activeMinutes: 0 },
      { kickUserId: null, username: 'bob', points: 2, activeMinutes: 0 },
    ];
    const b = [
      { kickUserId: null, username: 'bob', points: 2, activeMinutes: 0 },
      { kickUserId: null, username: 'alice', points: 1, activeMinutes: 0 },
    ];
    expect(importFingerprint(a)).toBe(importFingerprint(b));
    expect(importFingerprint(a)).not.toBe(importFingerprint([{ ...a[0]!, points: 3 }, a[1]!]));
    expect(importKey('abc', { username: 'Alice' })).toBe('import:abc:alice');
  });
});
