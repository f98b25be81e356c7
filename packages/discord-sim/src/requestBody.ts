import type { IncomingMessage } from 'node:http';

/** A file uploaded in a multipart request (`files[N]`). */
export interface UploadedFile {
  /** N of the `files[N]` field (matches `attachments[].id` in the payload). */
  index: number;
  filename: string;
  contentType: string | null;
  content: Buffer;
}

/** A parsed request body: JSON (or multipart `payload_json`) plus uploaded files. */
export interface ParsedBody {
  json: unknown;
  files: UploadedFile[];
  /** True when the body could not be parsed. */
  invalid: boolean;
}

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Read and parse a REST request body (application/json, multipart/form-data, or a form for OAuth2). */
export async function parseRequestBody(req: IncomingMessage): Promise<ParsedBody> {
  const raw = await readAll(req);
  if (raw.length === 0) return { json: null, files: [], invalid: false };
  const contentType = req.headers['content-type'] ?? '';
  try {
    if (contentType.startsWith('multipart/form-data')) {
      const form = await new Request('http://discord-sim.local/', { method: 'POST', headers: { 'content-type': contentType }, body: raw }).formData();
      let json: unknown = null;
      const files: UploadedFile[] = [];
      let ordinal = 0;
      for (const [key, value] of form.entries()) {
        if (typeof value === 'string') {
          if (key === 'payload_json') json = JSON.parse(value);
          continue;
        }
        const m = /(\d+)/.exec(key);
        files.push({
          index: m ? Number(m[1]) : ordinal,
          filename: value.name,
          contentType: value.type || null,
          content: Buffer.from(await value.arrayBuffer()),
        });
        ordinal++;
      }
      return { json, files, invalid: false };
    }
    if (contentType.startsWith('application/x-www-form-urlencoded')) {
      return { json: Object.fromEntries(new URLSearchParams(raw.toString('utf8'))), files: [], invalid: false };
    }
    return { json: JSON.parse(raw.toString('utf8')), files: [], invalid: false };
  } catch {
    return { json: null, files: [], invalid: true };
  }
}
