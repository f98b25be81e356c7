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

/** A Kick badge exactly as `chat.message.sent` carries it in `sender.identity.badges`. */
export interface ConsoleBadge {
  text: string;
  type: string;
  count?: number;
}

/** Who a console chat message is sent as: a plain viewer, or with the badge Kick gives a subscriber, VIP or moderator. */
export const CHAT_ROLES = ['viewer', 'subscriber', 'vip', 'moderator'] as const;
export type ChatRole = (typeof CHAT_ROLES)[number];

/** A Kick chat line: `bot` = the bot's reply, `viewer` = a viewer's message, `user` = posted via the API as the streamer. */
export interface ConsoleChatMessage {
  id: string;
  sender: string;
  content: string;
  kind: 'bot' | 'user' | 'viewer';
  at: string;
  deleted: boolean;
  /** The sender's badges as the webhook delivered them (messages sent from the console; empty otherwise). */
  badges: ConsoleBadge[];
}

/** One leaderboard row with its rank (ties share one, as on /leaderboard). */
export interface ConsoleLeaderRow {
  rank: number;
  username: string;
  points: number;
  activeMinutes: number;
}

/** One page of a leaderboard. */
export interface ConsoleLeaderPage {
  by: 'points' | 'watchtime';
  page: number;
  pages: number;
  total: number;
  rows: ConsoleLeaderRow[];
}

/** A file the bot attached to an answer (e.g. the CSV of `/points export`). */
export interface ConsoleFile {
  name: string;
  size: number;
  /** Where the console serves it for download. */
  url: string;
  /** The text, when it is text (cut at 64 KiB); null for binary files. */
  text: string | null;
  truncated: boolean;
}

/** One answer of the bot to a slash command (ephemeral ones included). */
export interface ConsoleCommandResponse {
  kind: string;
  type?: number;
  ephemeral: boolean;
  content: string;
  embeds: unknown[];
  components: unknown[];
  files: ConsoleFile[];
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

/** A member of the demo guild as discord-sim holds it, with the Kick account linked to them (`/link`). */
export interface ConsoleMember {
  id: string;
  username: string;
  bot: boolean;
  /** Role ids (names are in the snapshot's `guild.roles`). */
  roles: string[];
  /** The linked Kick username, or null. */
  kick: string | null;
}

/** What the "Link with Kick" sign-in ended on: web's page, as text. */
export interface ConsoleSignIn {
  status: number;
  title: string;
  text: string;
}

/** Everything the page shows; built fresh for every poll. */
export interface ConsoleSnapshot {
  phase: string;
  guild: { id: string; name: string; channels: { id: string; name: string }[]; roles: { id: string; name: string }[]; members: ConsoleMember[] };
  bot: { discordName: string; kickName: string };
  stream: { channel: string; live: boolean; title: string; category: string; viewers: number; startedAt: string | null };
  discord: ConsoleDiscordMessage[];
  /** Discord messages in the guild in all; `discord` holds the newest of them (see {@link SnapshotLimits}). */
  discordTotal: number;
  chat: ConsoleChatMessage[];
  /** Chat lines in all; `chat` holds the newest of them. */
  chatTotal: number;
  leaderboard: { points: ConsoleLeaderPage; watchtime: ConsoleLeaderPage };
  viewers: string[];
  moderator: string;
  /** The Discord members the console can run slash commands as (the moderator first). */
  discordUsers: { username: string; moderator: boolean }[];
  commands: ConsoleCommandResult[];
  links: { name: string; url: string }[];
}

/** How much of each long list a snapshot holds: the newest `chat`/`discord` items, one page of each leaderboard. */
export interface SnapshotLimits {
  chat: number;
  discord: number;
  pointsPage: number;
  watchtimePage: number;
}

/** Rows per console leaderboard page. */
export const CONSOLE_LEADERBOARD_PAGE_SIZE = 10;
/** Newest chat lines / Discord messages a snapshot holds unless the page asks for more ("Show older"). */
export const DEFAULT_LIST_LIMIT = 100;
/** The most a page may ask for. */
export const MAX_LIST_LIMIT = 5_000;

/** What the console server needs from the running sandbox. */
export interface ConsoleBackend {
  snapshot(limits: SnapshotLimits): Promise<ConsoleSnapshot>;
  /** Posts `content` in Kick chat as `viewer` with the badge of `role` (through the real webhook path). Throws {@link ConsoleInputError} on bad input. */
  sendChat(viewer: string, content: string, role: ChatRole): Promise<{ messageId: string; badges: ConsoleBadge[] }>;
  /** Runs a slash command line as `user` (a name of `discordUsers`; default the moderator). Throws {@link ConsoleInputError} on bad input. */
  runCommand(commandLine: string, user?: string): Promise<{ id: string }>;
  /** Clicks a button of an answer to an earlier command (e.g. an import's Confirm), as whoever ran the command. */
  clickButton(interactionId: string, customId: string): Promise<{ id: string }>;
  /** Clicks a button of a message the bot posted in a channel (e.g. the shop queue's Fulfil), as `user`. */
  clickMessageButton(messageId: string, customId: string, user?: string): Promise<{ id: string }>;
  /** Kick sends `channel.subscription.new` (then `.renewal`) for `viewer`, or `.gifts` from `viewer` to `giftee`. */
  subscribe(viewer: string, giftee?: string): Promise<{ event: string }>;
  /** Follows `/link start`'s "Link with Kick" URL as a browser would, signing in to kick-sim as `viewer`. */
  kickSignIn(url: string, viewer: string): Promise<ConsoleSignIn>;
  /** Stores a file the moderator picked, for a command's attachment option (`/points import file:<id>`). */
  attachFile(filename: string, content: string): Promise<{ id: string; filename: string; size: number }>;
  /** A file the bot attached to an answer, for download; null when there is none. */
  file(interactionId: string, index: number): { name: string; content: Buffer } | null;
  /** Ends the demo stream (Kick sends `livestream.status.updated` with `is_live: false`) or starts it again. */
  setLive(live: boolean): Promise<{ live: boolean }>;
}

/** A running console server. */
export interface ConsoleServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 16 * 1024;
/** A CSV picked for `/points import` (the JSON around it included). */
const MAX_ATTACHMENT_BYTES = 2 * 1024 * 1024;
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

async function readJson(req: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<Record<string, unknown>> {
  // Requiring JSON makes cross-site form posts impossible (a browser would need a CORS preflight we never grant).
  if (!(req.headers['content-type'] ?? '').startsWith('application/json')) throw new ConsoleInputError('Send a JSON body (content-type: application/json).');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new ConsoleInputError(`Request body too large (the limit is ${Math.round(maxBytes / 1024)} KiB).`);
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

function optionalString(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new ConsoleInputError(`"${name}" must be text.`);
  return value;
}

function chatRole(value: unknown): ChatRole {
  if (value === undefined || value === null || value === '') return 'viewer';
  if (typeof value === 'string' && (CHAT_ROLES as readonly string[]).includes(value)) return value as ChatRole;
  throw new ConsoleInputError(`"role" must be one of ${CHAT_ROLES.join(', ')}.`);
}

function positiveInt(query: URLSearchParams, name: string, fallback: number, max: number): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new ConsoleInputError(`"${name}" must be a whole number from 1 to ${max}.`);
  return Math.min(n, max);
}

/** `?chat=&discord=&points=&watchtime=`: how many chat lines and Discord messages, and which leaderboard pages. */
function snapshotLimits(query: URLSearchParams): SnapshotLimits {
  return {
    chat: positiveInt(query, 'chat', DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT),
    discord: positiveInt(query, 'discord', DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT),
    pointsPage: positiveInt(query, 'points', 1, 1_000_000),
    watchtimePage: positiveInt(query, 'watchtime', 1, 1_000_000),
  };
}

/** Starts the console on `host:port` (defaults 127.0.0.1, 0 = any free port). */
export async function startConsoleServer(options: { backend: ConsoleBackend; port?: number; host?: string; onError?: (error: unknown) => void }): Promise<ConsoleServer> {
  const publicDir = new URL('./public/', import.meta.url);
  const files = new Map(Object.entries(STATIC).map(([path, s]) => [path, { body: readFileSync(new URL(s.file, publicDir)), type: s.type }]));
  const { backend } = options;

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://console.local');
    const path = url.pathname;
    const query = url.searchParams;
    const handle = async (): Promise<void> => {
      if (req.method === 'GET' && files.has(path)) {
        const file = files.get(path) as { body: Buffer; type: string };
        res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': file.type });
        res.end(file.body);
        return;
      }
      if (req.method === 'GET' && path === '/api/state') return sendJson(res, 200, await backend.snapshot(snapshotLimits(query)));
      if (req.method === 'POST' && path === '/api/chat') {
        const body = await readJson(req);
        return sendJson(res, 200, await backend.sendChat(stringField(body, 'viewer'), stringField(body, 'content'), chatRole(body.role)));
      }
      if (req.method === 'POST' && path === '/api/command') {
        const body = await readJson(req);
        return sendJson(res, 200, await backend.runCommand(stringField(body, 'command'), optionalString(body, 'user')));
      }
      if (req.method === 'POST' && path === '/api/click-message') {
        const body = await readJson(req);
        return sendJson(res, 200, await backend.clickMessageButton(stringField(body, 'messageId'), stringField(body, 'customId'), optionalString(body, 'user')));
      }
      if (req.method === 'POST' && path === '/api/subscription') {
        const body = await readJson(req);
        return sendJson(res, 200, await backend.subscribe(stringField(body, 'viewer'), optionalString(body, 'giftee')));
      }
      if (req.method === 'POST' && path === '/api/kick-sign-in') {
        const body = await readJson(req);
        return sendJson(res, 200, await backend.kickSignIn(stringField(body, 'url'), stringField(body, 'viewer')));
      }
      if (req.method === 'POST' && path === '/api/click') {
        const body = await readJson(req);
        return sendJson(res, 200, await backend.clickButton(stringField(body, 'interactionId'), stringField(body, 'customId')));
      }
      if (req.method === 'POST' && path === '/api/attachment') {
        const body = await readJson(req, MAX_ATTACHMENT_BYTES);
        return sendJson(res, 200, await backend.attachFile(stringField(body, 'filename'), stringField(body, 'content')));
      }
      if (req.method === 'POST' && path === '/api/stream') {
        const body = await readJson(req);
        if (typeof body.live !== 'boolean') throw new ConsoleInputError('"live" must be true or false.');
        return sendJson(res, 200, await backend.setLive(body.live));
      }
      const fileMatch = /^\/api\/files\/(\d{1,25})\/(\d{1,3})$/.exec(path);
      if (req.method === 'GET' && fileMatch) {
        const file = backend.file(fileMatch[1] as string, Number(fileMatch[2]));
        if (!file) return sendJson(res, 404, { error: 'No such file' });
        res.writeHead(200, {
          ...SECURITY_HEADERS,
          'content-type': file.name.endsWith('.csv') ? 'text/csv; charset=utf-8' : 'application/octet-stream',
          'content-disposition': `attachment; filename="${file.name.replace(/[^\w.-]/gu, '_')}"`,
        });
        res.end(file.content);
        return;
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
