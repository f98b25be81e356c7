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
