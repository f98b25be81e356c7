/**
 * Reading CSV text into records with their line numbers (csv-parse), for the points import. Text in, records
 * out: no files, no streams.
 */
import { CsvError, parse } from 'csv-parse/sync';

/** A problem with one line of a CSV file (1-based line numbers; the header is line 1). */
export interface CsvLineError {
  line: number;
  message: string;
}

/** One CSV record with the 1-based line it starts on. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/** Result of {@link parseCsvRecords}. */
export type ParseCsvResult = { ok: true; delimiter: string; records: CsvRecord[] } | { ok: false; error: CsvLineError };

const DELIMITERS = [',', ';', '\t'] as const;

/** Line breaks inside a record's (quoted) fields, to number the record by the line it starts on. */
function lineBreaks(fields: readonly string[]): number {
  let n = 0;
  for (const field of fields) for (const ch of field) if (ch === '\n') n += 1;
  return n;
}

/**
 * Splits CSV text into records (RFC 4180 quotes and `""` escapes, CRLF, LF or CR line ends, blank lines and
 * filler rows such as `,,,` skipped, UTF-8 BOM dropped, spaces around fields trimmed). The delimiter — `,`,
 * `;` or tab — is whichever splits the first line most. Line ends inside quoted fields read as `\n`.
 * An unterminated quote is an error naming the line its record starts on; text after a closing quote is an
 * error naming its line.
 */
export function parseCsvRecords(text: string): ParseCsvResult {
  // One line-end form, so that line numbers count CRLF, LF and a lone CR alike in a mixed file.
  const clean = text.replace(/^\uFEFF/u, '').replace(/\r\n?/gu, '\n');
  const firstLine = clean.split('\n', 1)[0] ?? '';
  const delimiter = DELIMITERS.map((d) => ({ d, n: firstLine.split(d).length })).sort((a, b) => b.n - a.n)[0]?.d ?? ',';
  const records: CsvRecord[] = [];
  let lastLine = 0;
  try {
    parse(clean, {
      delimiter,
      record_delimiter: '\n',
      relax_column_count: true,
      relax_quotes: true,
      trim: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      on_record: (fields: string[], context) => {
        // `context.lines` is the line the record ends on.
        lastLine = context.lines;
        records.push({ line: context.lines - lineBreaks(fields), fields });
        return null;
      },
    });
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    return { ok: false, error: csvLineError(error, clean, lastLine) };
  }
  return { ok: true, delimiter, records };
}

function csvLineError(error: CsvError, text: string, lastRecordLine: number): CsvLineError {
  const errorLine = typeof error['lines'] === 'number' ? error['lines'] : lastRecordLine + 1;
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED': {
      // The open record starts on the first line after the last complete record that has any content.
      const lines = text.split('\n');
      let line = lastRecordLine + 1;
      while (line < lines.length && /^[\s,;]*$/u.test(lines[line - 1] ?? '')) line += 1;
      return { line, message: 'A quoted field is never closed (missing ").' };
    }
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return { line: errorLine, message: 'A quoted field has text after its closing quote — quote the whole field and write "" for a quote inside it.' };
    default:
      return { line: errorLine, message: `The file is not valid CSV: ${error.message}` };
  }
}
