/**
 * The sandbox console's HTTP server (node:http, no framework): serves the static page in `public/`
 * and a small JSON API over a {@link ConsoleBackend}. The page polls `GET /api/state` every second.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConsoleInputError } from './ConsoleInputError.ts';

/** A message the bot posted in a Discord channel (raw embeds/components as the bot sent them). */
export interface ConsoleDiscordMessage {
  id: string;
  channelId: string;
  content: string;
  embeds: unknown[];
  components: unknown[];
  at: string;
  /** Posted as a (public) answer to a slash command. */
  viaInteraction: boolean;
}

/** A Kick chat line: `bot` = the bot's reply, `viewer` = a viewer's message, `user` = posted via the API as the streamer. */
export interface ConsoleChatMessage {
  id: string;
  sender: string;
  content: string;
  kind: 'bot' | 'user' | 'viewer';
  at: string;
  deleted: boolean;
}

/** One leaderboard row. */
export interface ConsoleLeaderRow {
  username: string;
  points: number;
  activeMinutes: number;
}

/** One answer of the bot to a slash command (ephemeral ones included). */
export interface ConsoleCommandResponse {
  kind: string;
  type?: number;
  ephemeral: boolean;
  content: string;
  embeds: unknown[];
  components: unknown[];
  at: string;
}

/** A slash command run in the sandbox and the bot's answers so far. */
export interface ConsoleCommandResult {
  id: string;
  commandLine: string;
  user: string;
  at: string;
  responses: ConsoleCommandResponse[];
}

/** Everything the page shows; built fresh for every poll. */
export interface ConsoleSnapshot {
  phase: string;
  guild: { id: string; name: string; channels: { id: string; name: string }[]; roles: { id: string; name: string }[]; members: { id: string; username: string }[] };
  bot: { discordName: string; kickName: string };
  stream: { channel: string; live: boolean; title: string; category: string; viewers: number; startedAt: string | null };
  discord: ConsoleDiscordMessage[];
  chat: ConsoleChatMessage[];
  leaderboard: { points: ConsoleLeaderRow[]; watchtime: ConsoleLeaderRow[] };
  viewers: string[];
  moderator: string;
  commands: ConsoleCommandResult[];
  links: { name: string; url: string }[];
}

/** What the console server needs from the running sandbox. */
export interface ConsoleBackend {
  snapshot(): Promise<ConsoleSnapshot>;
  /** Posts `content` in Kick chat as `viewer` (through the real webhook path). Throws {@link ConsoleInputError} on bad input. */
  sendChat(viewer: string, content: string): Promise<{ messageId: string }>;
  /** Runs a slash command line as the moderator. Throws {@link ConsoleInputError} on bad input. */
  runCommand(commandLine: string): Promise<{ id: string }>;
}

/** A running console server. */
export interface ConsoleServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 16 * 1024;
const STATIC: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/console.js': { file: 'console.js', type: 'text/javascript; charset=utf-8' },
  '/console.css': { file: 'console.css', type: 'text/css; charset=utf-8' },
};
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'self'; img-src * data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  // Requiring JSON makes cross-site form posts impossible (a browser would need a CORS preflight we never grant).
  if (!(req.headers['content-type'] ?? '').startsWith('application/json')) throw new ConsoleInputError('Send a JSON body (content-type: application/json).');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new ConsoleInputError('Request body too large.');
    chunks.push(chunk);
  }
  try {
    const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new ConsoleInputError('Malformed JSON body.');
}

function stringField(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value.trim() === '') throw new ConsoleInputError(`"${name}" is required.`);
  return value;
}

/** Starts the console on `host:port` (defaults 127.0.0.1, 0 = any free port). */
export async function startConsoleServer(options: { backend: ConsoleBackend; port?: number; host?: string; onError?: (error: unknown) => void }): Promise<ConsoleServer> {
  const publicDir = new URL('./public/', import.meta.url);
  const files = new Map(Object.entries(STATIC).map(([path, s]) => [path, { body: readFileSync(new URL(s.file, publicDir)), type: s.type }]));
  const { backend } = options;

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const handle = async (): Promise<void> => {
      if (req.method === 'GET' && files.has(path)) {
        const file = files.get(path) as { body: Buffer; type: string };
        res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': file.type });
        res.end(file.body);
        return;
      }
      if (req.method === 'GET' && path === '/api/state') return sendJson(res, 200, await backend.snapshot());
      if (req.method === 'POST' && path === '/api/chat') {
        const body = await readJson(req);
        return sendJson(res, 200, await backend.sendChat(stringField(body, 'viewer'), stringField(body, 'content')));
      }
      if (req.method === 'POST' && path === '/api/command') {
        const body = await readJson(req);
        return sendJson(res, 200, await backend.runCommand(stringField(body, 'command')));
      }
      if (req.method === 'GET' && path === '/healthz') return sendJson(res, 200, { ok: true });
      if (req.method === 'GET' && path === '/favicon.ico') {
        res.writeHead(204, SECURITY_HEADERS);
        res.end();
        return;
      }
      sendJson(res, 404, { error: 'Not found' });
    };
    handle().catch((error: unknown) => {
      if (error instanceof ConsoleInputError) return sendJson(res, 400, { error: error.message });
      options.onError?.(error);
      if (!res.headersSent) sendJson(res, 500, { error: error instanceof Error ? error.message : 'Internal error' });
      else res.end();
    });
  });
  server.keepAliveTimeout = 2_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
