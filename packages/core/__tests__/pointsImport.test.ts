import { describe, expect, it } from 'vitest';
import { parseCsvRecords } from '../src/csvRecords.ts';
import { defaultImportMode, importFingerprint, importKey, neutraliseCsvCell, parsePointsCsv, toPointsCsv } from '../src/pointsImport.ts';

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

  it('keys a set-mode import apart from an add-mode one, and sets by default only for kickcord exports', () => {
    expect(importKey('abc', { username: 'Alice' }, 'add')).toBe('import:abc:alice');
    expect(importKey('abc', { username: 'Alice' }, 'set')).toBe('import:abc:set:alice');
    expect(defaultImportMode('kickcord')).toBe('set');
    for (const f of ['streamelements', 'streamlabs-chatbot', 'botrix', 'generic'] as const) expect(defaultImportMode(f)).toBe('add');
  });
});

describe('parsePointsCsv — formats', () => {
  it.each([
    ['kickcord', 'kick_user_id,username,points,active_minutes\r\n42,alice,100,30\r\n', { kickUserId: 42, username: 'alice', points: 100, activeMinutes: 30 }],
    ['kickcord', 'kick_user_id,username,points,active_minutes\n,alice,100,30\n', { kickUserId: null, username: 'alice', points: 100, activeMinutes: 30 }],
    ['streamelements', 'username,points,alltime,watchtime\nalice,100,900,75\n', { kickUserId: null, username: 'alice', points: 100, activeMinutes: 75 }],
    ['streamelements', '"username","points","alltime"\n"alice","100","900"\n', { kickUserId: null, username: 'alice', points: 100, activeMinutes: 0 }],
    ['streamlabs-chatbot', 'Name,Group,Points,Hours\nalice,Regular,100,2.25\n', { kickUserId: null, username: 'alice', points: 100, activeMinutes: 135 }],
    ['streamlabs-chatbot', 'Name,Rank,Points,Hours\nalice,Viewer,100,0\n', { kickUserId: null, username: 'alice', points: 100, activeMinutes: 0 }],
    ['botrix', 'user,points,watchtime\nalice,100,600\n', { kickUserId: null, username: 'alice', points: 100, activeMinutes: 600 }],
    ['generic', 'username,points\n@alice,100\n', { kickUserId: null, username: 'alice', points: 100, activeMinutes: 0 }],
    ['generic', 'Username;Points\nalice;100\n', { kickUserId: null, username: 'alice', points: 100, activeMinutes: 0 }],
  ])('%s: %j', (format, csv, row) => {
    expect(parsePointsCsv(csv)).toEqual({ ok: true, format, rows: [{ line: 2, ...row }] });
  });

  it('handles BOM, CRLF, quotes, escaped quotes, embedded newlines and blank lines', () => {
    const csv = '\uFEFFusername,points,note\r\n"alice","10","said ""hi"", twice"\r\n\r\nbob,20,"line one\r\nline two"\r\ncarol,30,x\r\n,,\r\n';
    const parsed = parsePointsCsv(csv);
    expect(parsed).toEqual({
      ok: true,
      format: 'generic',
      rows: [
        { line: 2, kickUserId: null, username: 'alice', points: 10, activeMinutes: 0 },
        { line: 4, kickUserId: null, username: 'bob', points: 20, activeMinutes: 0 },
        { line: 6, kickUserId: null, username: 'carol', points: 30, activeMinutes: 0 },
      ],
    });
    const records = parseCsvRecords('a,b\r\n"x ""y"", z",2\r\n');
    expect(records).toEqual({ ok: true, delimiter: ',', records: [{ line: 1, fields: ['a', 'b'] }, { line: 2, fields: ['x "y", z', '2'] }] });
  });
});

describe('parsePointsCsv — malformed files', () => {
  it('refuses an empty or blank file', () => {
    for (const text of ['', '\uFEFF', '\r\n\r\n']) {
      const parsed = parsePointsCsv(text);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.errors).toEqual([{ line: 1, message: 'The file is empty: expected a header line like "username,points".' }]);
    }
  });

  it('refuses an unknown header on line 1', () => {
    expect(parsePointsCsv('viewer_name,score\nalice,1\n')).toEqual({
      ok: false,
      format: null,
      errors: [{ line: 1, message: 'Header "viewer_name,score" has no username column. Expected e.g. "kick_user_id,username,points,active_minutes" or "username,points".' }],
    });
    const noPoints = parsePointsCsv('username,coins\nalice,1\n');
    expect(noPoints.ok === false && noPoints.errors[0]?.message).toContain('has no points column');
  });

  it('refuses a header without rows', () => {
    expect(parsePointsCsv('username,points\r\n')).toEqual({ ok: false, format: 'generic', errors: [{ line: 1, message: 'The file has a header but no rows.' }] });
  });

  it('lists every bad row with its line and a specific message', () => {
    const csv = [
      'username,points,watchtime', // 1
      'alice,10,5', // 2
      'bob,-5,0', // 3
      'carol,1.5,0', // 4
      'dave,99999999999,0', // 5
      ',3,0', // 6
      'ALICE,4,0', // 7
      'erin,abc,0', // 8
      'frank,7,-1', // 9
      'bad name,1,0', // 10
      'gina,,0', // 11
    ].join('\n');
    const parsed = parsePointsCsv(csv);
    expect(parsed).toEqual({
      ok: false,
      format: 'botrix',
      errors: [
        { line: 3, message: 'points "-5" can\'t be negative' },
        { line: 4, message: 'points "1.5" must be a whole number from 0 to 2147483647' },
        { line: 5, message: 'points "99999999999" is above the limit of 2147483647' },
        { line: 6, message: 'missing username' },
        { line: 7, message: '"ALICE" already appears on line 2' },
        { line: 8, message: 'points "abc" must be a whole number from 0 to 2147483647' },
        { line: 9, message: 'minutes "-1" must be a whole number ≥ 0' },
        { line: 10, message: '"bad name" is not a Kick username' },
        { line: 11, message: 'missing points' },
      ],
    });
  });

  it('counts lines inside quoted fields when numbering errors', () => {
    const parsed = parsePointsCsv('username,points,note\nalice,1,"a\nb\nc"\nbob,x,\n');
    expect(parsed.ok === false && parsed.errors.map((e) => e.line)).toEqual([5]);
  });

  it('refuses an unterminated quote, naming the line it opened on', () => {
    expect(parsePointsCsv('username,points\nalice,1\n"bob,2\n')).toEqual({
      ok: false,
      format: null,
      errors: [{ line: 3, message: 'A quoted field is never closed (missing ").' }],
    });
  });

  it('refuses more rows than the limit', () => {
    const csv = `username,points\n${Array.from({ length: 100_001 }, (_, i) => `u${i},1`).join('\n')}\n`;
    const parsed = parsePointsCsv(csv);
    expect(parsed.ok === false && parsed.errors[0]?.message).toBe('The file has 100001 rows; at most 100000 can be imported at once — split it.');
  });
});

describe('toPointsCsv round trip', () => {
  it('quotes what needs quoting and reads back identically', () => {
    const rows = [
      { kickUserId: 1, username: 'alice', points: 0, activeMinutes: 0 },
      { kickUserId: 2_147_483_647, username: 'bob.b-2', points: 2_147_483_647, activeMinutes: 123_456 },
      { kickUserId: 3, username: 'carol_x', points: 5, activeMinutes: 1 },
    ];
    const csv = toPointsCsv(rows);
    expect(csv.startsWith('kick_user_id,username,points,active_minutes\r\n')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    const parsed = parsePointsCsv(csv);
    expect(parsed).toEqual({ ok: true, format: 'kickcord', rows: rows.map((r, i) => ({ line: i + 2, ...r })) });
    expect(toPointsCsv([{ kickUserId: 1, username: 'a,"b"', points: 1, activeMinutes: 1 }])).toBe(
      'kick_user_id,username,points,active_minutes\r\n1,"a,""b""",1,1\r\n',
    );
  });

  it('gives a re-import of the same file the same fingerprint and keys', () => {
    const csv = toPointsCsv([{ kickUserId: 9, username: 'Zed', points: 50, activeMinutes: 10 }]);
    const first = parsePointsCsv(csv);
    const again = parsePointsCsv(csv.replace(/\r\n/g, '\n'));
    if (!first.ok || !again.ok) throw new Error('expected both to parse');
    const fp = importFingerprint(first.rows);
    expect(fp).toMatch(/^[0-9a-f]{16}$/);
    expect(importFingerprint(again.rows)).toBe(fp);
    expect(importKey(fp, first.rows[0] ?? { username: '' })).toBe(`import:${fp}:zed`);
  });
});

describe('toPointsCsv — spreadsheet formula injection', () => {
  it('prefixes and quotes usernames starting with = + - @ tab or CR, and reads them back unchanged', () => {
    const names = ['=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd', 'plain', "it's"];
    const csv = toPointsCsv(names.map((username, i) => ({ kickUserId: i + 1, username, points: 1, activeMinutes: 0 })));
    const cells = parseCsvRecords(csv);
    expect(cells.ok).toBe(true);
    if (!cells.ok) return;
    expect(cells.records.slice(1).map((r) => r.fields[1])).toEqual(["'=HYPERLINK(\"http://x\",\"y\")", "'+1+1", "'-2+3", "'@SUM(A1)", "'\tcmd", "'\ncmd", 'plain', "it's"]);
    // Each neutralised cell is quoted in the file, so no spreadsheet splits or evaluates it.
    expect(csv).toContain(`\r\n1,"'=HYPERLINK(""http://x"",""y"")",1,0\r\n`);
    expect(csv).toContain(`\r\n3,"'-2+3",1,0\r\n`);
    expect(neutraliseCsvCell('bob')).toBe('bob');
    const back = parsePointsCsv(toPointsCsv([{ kickUserId: 9, username: '-dash_name', points: 5, activeMinutes: 2 }, { kickUserId: 10, username: '@at', points: 1, activeMinutes: 0 }]));
    expect(back).toEqual({
      ok: true,
      format: 'kickcord',
      rows: [
        { line: 2, kickUserId: 9, username: '-dash_name', points: 5, activeMinutes: 2 },
        { line: 3, kickUserId: 10, username: 'at', points: 1, activeMinutes: 0 },
      ],
    });
  });
});
