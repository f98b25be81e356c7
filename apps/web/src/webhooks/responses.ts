import type { ServerResponse } from 'node:http';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' } as const;

/** Pre-serialized bodies of the hot path's frequent answers. */
export const BODY = {
  enqueued: Buffer.from('{"status":"enqueued"}'),
  duplicate: Buffer.from('{"status":"duplicate"}'),
  quarantined: Buffer.from('{"status":"quarantined"}'),
} as const;

/** Writes a JSON answer (`extra` headers, e.g. `Retry-After` / `Connection: close`). */
export function sendJson(res: ServerResponse, status: number, body: Buffer | object, extra?: Record<string, string>): void {
  if (res.headersSent) return;
  const buf = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
  res.writeHead(status, { ...JSON_HEADERS, 'content-length': String(buf.length), ...extra });
  res.end(buf);
}

// The hot path's answers as latin1 strings: node:http then sends header and body in one write
// (a Buffer body goes out as a second chunk through writev).
const ACCEPTED_TEXT = { enqueued: BODY.enqueued.toString('latin1'), duplicate: BODY.duplicate.toString('latin1') } as const;
/** Flat raw header lists (name, value, …) for the pre-serialized bodies: no header object to build per answer. */
const PREPARED_HEADERS = {
  enqueued: ['content-type', JSON_HEADERS['content-type'], 'content-length', String(BODY.enqueued.length)],
  duplicate: ['content-type', JSON_HEADERS['content-type'], 'content-length', String(BODY.duplicate.length)],
} as const;

/** The hot path's 200 answers (`enqueued` / `duplicate`), from pre-built headers and body. */
export function sendAccepted(res: ServerResponse, outcome: 'enqueued' | 'duplicate'): void {
  if (res.headersSent) return;
  res.writeHead(200, PREPARED_HEADERS[outcome] as unknown as string[]);
  res.end(ACCEPTED_TEXT[outcome], 'latin1');
}
