import { describe, expect, it } from 'vitest';
import { parseCsvRecords } from '../src/csvRecords.ts';

describe('parseCsvRecords', () => {
  it('numbers records by the line they start on with mixed CRLF, LF and CR line ends', () => {
    expect(parseCsvRecords('a,b\r\nc,d\re,f\n"g\r\nh",i\n')).toEqual({
      ok: true,
      delimiter: ',',
      records: [
        { line: 1, fields: ['a', 'b'] },
        { line: 2, fields: ['c', 'd'] },
        { line: 3, fields: ['e', 'f'] },
        { line: 4, fields: ['g\nh', 'i'] },
      ],
    });
  });

  it('picks the delimiter that splits the header most and skips blank and filler lines', () => {
    expect(parseCsvRecords('a;b;c\n\n ; ; \n1;2,5;3\n')).toEqual({
      ok: true,
      delimiter: ';',
      records: [
        { line: 1, fields: ['a', 'b', 'c'] },
        { line: 4, fields: ['1', '2,5', '3'] },
      ],
    });
    expect(parseCsvRecords('a\tb\n1\t2\n')).toMatchObject({ ok: true, delimiter: '\t' });
  });

  it('trims spaces around quoted fields and keeps quotes inside unquoted ones', () => {
    expect(parseCsvRecords('a, "b c" ,d\ne,f"g,h\n')).toEqual({
      ok: true,
      delimiter: ',',
      records: [
        { line: 1, fields: ['a', 'b c', 'd'] },
        { line: 2, fields: ['e', 'f"g', 'h'] },
      ],
    });
  });

  it('names the line a record with an unclosed quote starts on, however many lines follow', () => {
    expect(parseCsvRecords('a,b\n1,2\n\n"x\ny\nz\n')).toEqual({ ok: false, error: { line: 4, message: 'A quoted field is never closed (missing ").' } });
    expect(parseCsvRecords('"a\n')).toEqual({ ok: false, error: { line: 1, message: 'A quoted field is never closed (missing ").' } });
  });

  it('refuses text after a closing quote, naming its line', () => {
    const result = parseCsvRecords('a,b\n1,"x\ny"z\n');
    expect(result).toEqual({
      ok: false,
      error: { line: 3, message: 'A quoted field has text after its closing quote — quote the whole field and write "" for a quote inside it.' },
    });
  });
});
