import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { PrismaClient } from '@kickcord/db';
import { guildIdOfOverlayStream, overlayStreamKey, readOverlayEntry, whenRedisReady, type OverlayEvent, type OverlayWidget, type RedisConnection } from '@kickcord/queue';
import { Cluster } from 'ioredis';
import type { Logger } from 'pino';
import { OverlaySnapshots, SNAPSHOT_KINDS, type SnapshotKind } from './overlaySnapshots.ts';
import type { OverlayKey, OverlayTokenCache } from './overlayTokens.ts';

/** Limits and timings of an {@link OverlayHub} (tests shorten them). */
export interface OverlayHubOptions {
  /** Streams one guild may hold open on one web process; one more gets 429. */
  maxClientsPerGuild: number;
  /** Streams one web process holds open in all; one more gets 429. */
  maxClients: number;
  /** A comment line this often keeps proxies and OBS from closing an idle stream. */
  heartbeatMs: number;
  /** The `retry:` hint: how long EventSource waits before reconnecting. */
  retryMs: number;
  /** How often the keys of open streams are checked again (a revoked key's streams close within this long). */
  recheckMs: number;
  /** How long one blocking XREAD waits before it is sent again. */
  blockMs: number;
  /** The reader's Redis connection is closed this long after the last stream closed. */
  idleCloseMs: number;
  /** How often leaderboard, game and goal snapshots are read. */
  snapshotIntervalMs: number;
  /** A client that lets this much output pile up unread is disconnected (it reconnects and catches up). */
  maxBufferedBytes: number;
}

export const DEFAULT_OVERLAY_HUB_OPTIONS: OverlayHubOptions = {
  maxClientsPerGuild: 50,
  maxClients: 5_000,
  heartbeatMs: 15_000,
  retryMs: 2_000,
  recheckMs: 2_000,
  blockMs: 5_000,
  idleCloseMs: 10_000,
  snapshotIntervalMs: 5_000,
  maxBufferedBytes: 512 * 1024,
};

/** What the hub needs from the web app. */
export interface OverlayHubDeps {
  prisma: PrismaClient;
  /** The app's producer connection: catch-up reads and wake-ups (the hub opens its own connection for the blocking read). */
  redis: RedisConnection;
  installPrefix: string;
  logger: Logger;
  tokens: OverlayTokenCache;
}

/** Why a stream was refused. */
export class OverlayStreamRefusal extends Error {
  override readonly name = 'OverlayStreamRefusal';
  constructor(
    readonly status: 429 | 503,
    message: string,
  ) {
    super(message);
  }
}

function compareDigits(a: string, aFrom: number, aTo: number, b: string, bFrom: number, bTo: number): number {
  // Without leading zeros a longer number is a larger one; equal lengths compare digit by digit.
  const length = aTo - aFrom;
  if (length !== bTo - bFrom) return length - (bTo - bFrom);
  for (let i = 0; i < length; i++) {
    const d = a.charCodeAt(aFrom + i) - b.charCodeAt(bFrom + i);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Orders two stream ids `<ms>-<seq>` (digits without leading zeros, as Redis writes them and as
 * {@link normalizeStreamId} makes them): negative, zero or positive. Allocates nothing: it runs for every client of
 * every entry.
 */
export function compareStreamIds(a: string, b: string): number {
  if (a === b) return 0;
  const ai = a.indexOf('-');
  const bi = b.indexOf('-');
  return compareDigits(a, 0, ai, b, 0, bi) || compareDigits(a, ai + 1, a.length, b, bi + 1, b.length);
}

/** A valid stream id written as Redis writes it (no leading zeros). */
export function normalizeStreamId(id: string): string {
  const [ms = '0', seq = '0'] = id.split('-');
  return `${BigInt(ms)}-${BigInt(seq)}`;
}

/** A valid stream id (what `Last-Event-ID` may carry). */
export const STREAM_ID_PATTERN = /^\d{1,15}-\d{1,20}$/;

interface Client {
  key: OverlayKey;
  widget: OverlayWidget | null;
  res: ServerResponse;
  /** The last stream id sent (or the start point); anything at or before it is never sent again. */
  lastId: string;
  /** Live frames held while the catch-up read runs; null once live. */
  pending: { id: string; frame: string }[] | null;
  snapshot: SnapshotKind | null;
  closed: boolean;
}

interface GuildEntry {
  clients: Set<Client>;
  /** The id after which the live reader reads this guild's stream; null until known. */
  cursor: string | null;
  ready: Promise<void>;
}

type XReadReply = [string, [string, string[]][]][] | null;

function accepts(widget: OverlayWidget | null, event: OverlayEvent): boolean {
  switch (widget) {
    case null:
      return true;
    case 'alerts':
      return event.type === 'alert';
    case 'events':
      return event.type === 'alert' && !event.test;
    default:
      return event.type === widget;
  }
}

function frameOf(id: string | null, type: string, json: string): string {
  // SSE data may not hold a line break; JSON.stringify never writes one, but the stream is written by another app.
  const data = /[\r\n]/.test(json) ? JSON.stringify(JSON.parse(json) as unknown) : json;
  return `${id === null ? '' : `id: ${id}\n`}event: ${type}\ndata: ${data}\n\n`;
}

/**
 * Serves the overlay streams of one web process. ONE blocking `XREAD … STREAMS` on its own Redis connection reads the
 * streams of every guild that has a client here (they share the `{overlay}` hash tag, so this works on a Redis Cluster
 * too) and fans each entry out to that guild's clients. A client resuming after `Last-Event-ID` is caught up with
 * XRANGE up to the reader's position for its guild while new entries are held for it, then goes live: no gap, no
 * repeat. A per-process poller adds leaderboard, game and goal snapshots. Every replica reads the streams itself, so
 * each replica's clients get everything.
 */
export class OverlayHub {
  readonly #guilds = new Map<string, GuildEntry>();
  readonly #options: OverlayHubOptions;
  readonly #snapshots: OverlaySnapshots;
  readonly #wakeKey: string;
  #clients = 0;
  #reader: RedisConnection | undefined;
  #readerRunning = false;
  #blocking = false;
  #wakeCursor: string | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  #recheck: NodeJS.Timeout | undefined;
  #idleTimer: NodeJS.Timeout | undefined;
  #readerDown = false;
  #closed = false;

  constructor(
    private readonly deps: OverlayHubDeps,
    options: Partial<OverlayHubOptions> = {},
  ) {
    this.#options = { ...DEFAULT_OVERLAY_HUB_OPTIONS, ...options };
    // The process's wake-up stream, under the same hash tag: an entry there ends the blocking read at once.
    this.#wakeKey = `${deps.installPrefix}:{overlay}:hub:${randomBytes(8).toString('hex')}`;
    this.#snapshots = new OverlaySnapshots(deps, (guildId, kind, json) => this.#broadcastSnapshot(guildId, kind, json), this.#options.snapshotIntervalMs);
  }

  /** Open streams and the guilds they belong to. */
  get stats(): { clients: number; guilds: number } {
    return { clients: this.#clients, guilds: this.#guilds.size };
  }

  /**
   * Serves one SSE client until it disconnects: answers 200 and the stream, or throws {@link OverlayStreamRefusal}
   * (before anything was written) when a limit is reached or Redis cannot be read.
   */
  async connect(res: ServerResponse, key: OverlayKey, widget: OverlayWidget | null, lastEventId: string | null): Promise<void> {
    if (this.#closed) throw new OverlayStreamRefusal(503, 'This web process is shutting down; the overlay reconnects to another one.');
    if (this.#clients >= this.#options.maxClients) {
      throw new OverlayStreamRefusal(429, `This web process already serves ${this.#options.maxClients} overlay streams; try again shortly.`);
    }
    let guild = this.#guilds.get(key.guildId);
    if (guild && guild.clients.size >= this.#options.maxClientsPerGuild) {
      throw new OverlayStreamRefusal(429, `This server already has ${this.#options.maxClientsPerGuild} overlays open on this web process; close unused browser sources.`);
    }
    const snapshot = widget && (SNAPSHOT_KINDS as readonly string[]).includes(widget) ? (widget as SnapshotKind) : null;
    const client: Client = { key, widget, res, lastId: '0-0', pending: [], snapshot, closed: false };
    if (!guild) {
      const entry: GuildEntry = { clients: new Set(), cursor: null, ready: Promise.resolve() };
      entry.ready = this.#startGuild(key.guildId, entry);
      this.#guilds.set(key.guildId, (guild = entry));
    }
    guild.clients.add(client);
    this.#clients++;
    clearTimeout(this.#idleTimer);
    res.once('close', () => this.#remove(client));
    try {
      await guild.ready;
    } catch (error) {
      this.#remove(client);
      this.deps.logger.warn({ err: { message: error instanceof Error ? error.message : String(error) } }, 'overlay stream refused: Redis not readable');
      throw new OverlayStreamRefusal(503, 'The overlay stream is unavailable right now; it reconnects by itself.');
    }
    if (client.closed) return;
    const cursor = guild.cursor ?? '0-0';
    // Fresh clients start at the reader's position; a resuming client after its own id.
    const start = lastEventId ?? cursor;
    client.lastId = start;
    // No chunked encoding: the body simply runs until the connection closes (Connection: close), so each write is
    // the frame's bytes alone.
    res.useChunkedEncodingByDefault = false;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
      // The socket carries nothing after the stream: closing it lets shutdowns and revocations end promptly.
      connection: 'close',
    });
    res.socket?.setNoDelay(true);
    res.write(`retry: ${this.#options.retryMs}\n\n`);
    this.#write(client, frameOf(start, 'hello', JSON.stringify({ widget })));
    if (snapshot) {
      const latest = this.#snapshots.want(key.guildId, snapshot);
      if (latest !== undefined) this.#write(client, frameOf(null, snapshot, latest));
    }
    this.#ensureTimers();
    this.#ensureReader();
    if (!snapshot && compareStreamIds(start, cursor) < 0) {
      try {
        await this.#catchUp(client, start, cursor);
      } catch (error) {
        this.deps.logger.warn({ guildId: key.guildId, err: { message: error instanceof Error ? error.message : String(error) } }, 'overlay catch-up failed; the client reconnects');
        this.#end(client);
        return;
      }
    }
    this.#goLive(client);
  }

  /** Ends the streams of the given token hashes (a revoked key) at once. */
  closeToken(tokenHash: string): number {
    let n = 0;
    for (const guild of this.#guilds.values()) {
      for (const client of guild.clients) {
        if (client.key.tokenHash === tokenHash) {
          this.#end(client);
          n++;
        }
      }
    }
    return n;
  }

  /** Ends every stream and stops reading (shutdown); clients reconnect to another replica. */
  close(): void {
    this.#closed = true;
    for (const guild of [...this.#guilds.values()]) for (const client of [...guild.clients]) this.#end(client);
    this.#stopTimers();
    this.#snapshots.close();
    this.#stopReader();
  }

  async #startGuild(guildId: string, entry: GuildEntry): Promise<void> {
    await whenRedisReadyWithin(this.deps.redis, 5_000);
    const last = (await this.deps.redis.xrevrange(overlayStreamKey(this.deps.installPrefix, guildId), '+', '-', 'COUNT', 1)) as [string, string[]][];
    entry.cursor = last[0]?.[0] ?? '0-0';
    if (this.#guilds.get(guildId) !== entry) return;
    this.#ensureReader();
    if (this.#blocking) await this.#wake();
  }

  async #catchUp(client: Client, from: string, to: string): Promise<void> {
    const key = overlayStreamKey(this.deps.installPrefix, client.key.guildId);
    let after = from;
    for (;;) {
      const entries = (await this.deps.redis.xrange(key, `(${after}`, to, 'COUNT', 500)) as [string, string[]][];
      if (client.closed) return;
      for (const [id, fields] of entries) {
        after = id;
        const event = readOverlayEntry(fields);
        if (!event || !accepts(client.widget, event) || compareStreamIds(id, client.lastId) <= 0) continue;
        this.#write(client, frameOf(id, event.type, JSON.stringify(event)));
        client.lastId = id;
      }
      if (entries.length < 500) return;
    }
  }

  #goLive(client: Client): void {
    const held = client.pending ?? [];
    client.pending = null;
    let chunk = '';
    for (const { id, frame } of held) {
      if (compareStreamIds(id, client.lastId) <= 0) continue;
      chunk += frame;
      client.lastId = id;
    }
    if (chunk) this.#write(client, chunk);
  }

  #dispatch(guild: GuildEntry, entries: [string, string[]][]): void {
    // One write per client per read (a burst of entries becomes one chunk, not one syscall each).
    const batches = new Map<Client, string>();
    for (const [id, fields] of entries) {
      if (guild.cursor !== null && compareStreamIds(id, guild.cursor) <= 0) continue;
      guild.cursor = id;
      const event = readOverlayEntry(fields);
      if (!event) continue;
      let frame: string | undefined;
      for (const client of guild.clients) {
        if (client.closed || !accepts(client.widget, event)) continue;
        frame ??= frameOf(id, event.type, fields[fields.indexOf('e') + 1] ?? JSON.stringify(event));
        if (client.pending) {
          client.pending.push({ id, frame });
          continue;
        }
        if (compareStreamIds(id, client.lastId) <= 0) continue;
        batches.set(client, (batches.get(client) ?? '') + frame);
        client.lastId = id;
      }
    }
    for (const [client, chunk] of batches) this.#write(client, chunk);
  }

  #broadcastSnapshot(guildId: string, kind: SnapshotKind, json: string): void {
    const guild = this.#guilds.get(guildId);
    if (!guild) return;
    const frame = frameOf(null, kind, json);
    for (const client of guild.clients) if (client.snapshot === kind && !client.closed && client.res.headersSent) this.#write(client, frame);
  }

  #write(client: Client, chunk: string): void {
    if (client.closed) return;
    client.res.write(chunk);
    if (client.res.writableLength > this.#options.maxBufferedBytes) {
      this.deps.logger.warn({ guildId: client.key.guildId, buffered: client.res.writableLength }, 'overlay client not reading; disconnected (it resumes where it was)');
      client.res.destroy();
      this.#remove(client);
    }
  }

  #end(client: Client): void {
    if (client.closed) return;
    if (client.res.headersSent) client.res.end();
    else client.res.destroy();
    this.#remove(client);
  }

  #remove(client: Client): void {
    if (client.closed) return;
    client.closed = true;
    this.#clients--;
    if (client.snapshot) this.#snapshots.unwant(client.key.guildId, client.snapshot);
    const guild = this.#guilds.get(client.key.guildId);
    if (guild) {
      guild.clients.delete(client);
      if (guild.clients.size === 0) this.#guilds.delete(client.key.guildId);
    }
    if (this.#clients === 0) {
      this.#stopTimers();
      clearTimeout(this.#idleTimer);
      if (!this.#closed) {
        this.#idleTimer = setTimeout(() => {
          if (this.#clients === 0) this.#stopReader();
        }, this.#options.idleCloseMs);
        this.#idleTimer.unref();
      }
    }
  }

  #ensureTimers(): void {
    if (!this.#heartbeat) {
      this.#heartbeat = setInterval(() => {
        for (const guild of this.#guilds.values()) for (const client of guild.clients) if (client.res.headersSent) this.#write(client, ': keep-alive\n\n');
      }, this.#options.heartbeatMs);
      this.#heartbeat.unref();
    }
    if (!this.#recheck) {
      this.#recheck = setInterval(() => void this.#recheckTokens(), this.#options.recheckMs);
      this.#recheck.unref();
    }
  }

  #stopTimers(): void {
    clearInterval(this.#heartbeat);
    clearInterval(this.#recheck);
    this.#heartbeat = undefined;
    this.#recheck = undefined;
  }

  /** One query for the keys of every open stream: streams of revoked keys (or departed guilds) are closed. */
  async #recheckTokens(): Promise<void> {
    const hashes = new Set<string>();
    for (const guild of this.#guilds.values()) for (const client of guild.clients) hashes.add(client.key.tokenHash);
    if (hashes.size === 0) return;
    let valid: Set<string>;
    try {
      valid = await this.deps.tokens.stillValid([...hashes]);
    } catch (error) {
      this.deps.logger.warn({ err: { message: error instanceof Error ? error.message : String(error) } }, 'overlay keys not rechecked (database unavailable); open streams stay open');
      return;
    }
    for (const hash of hashes) if (!valid.has(hash)) this.closeToken(hash);
  }

  #ensureReader(): void {
    if (this.#readerRunning || this.#closed) return;
    if (![...this.#guilds.values()].some((g) => g.cursor !== null)) return;
    this.#readerRunning = true;
    void this.#readLoop().finally(() => {
      this.#readerRunning = false;
      // A guild may have become readable as the loop was ending.
      if (!this.#closed && [...this.#guilds.values()].some((g) => g.cursor !== null)) this.#ensureReader();
    });
  }

  #readerConnection(): RedisConnection {
    if (this.#reader) return this.#reader;
    const base = this.deps.redis;
    const name = 'kickcord-web-overlays';
    // Commands wait through reconnects (a blocking read is sent again once Redis is back).
    const reader =
      base instanceof Cluster
        ? base.duplicate([], { enableOfflineQueue: true, redisOptions: { ...base.options.redisOptions, maxRetriesPerRequest: null, connectionName: name } })
        : base.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null, connectionName: name });
    reader.on('error', (error: Error) => {
      if (!this.#readerDown) this.deps.logger.error({ err: { message: error.message } }, 'overlay reader: redis connection error');
      this.#readerDown = true;
    });
    reader.on('ready', () => {
      if (this.#readerDown) this.deps.logger.info('overlay reader: redis connection restored');
      this.#readerDown = false;
    });
    this.#reader = reader;
    return reader;
  }

  #stopReader(): void {
    const reader = this.#reader;
    this.#reader = undefined;
    this.#wakeCursor = undefined;
    reader?.disconnect();
  }

  async #wake(): Promise<void> {
    try {
      await this.deps.redis.xadd(this.#wakeKey, 'MAXLEN', '1', '*', 'w', '1');
      await this.deps.redis.pexpire(this.#wakeKey, 60_000);
    } catch {
      // The read ends within blockMs anyway.
    }
  }

  async #readLoop(): Promise<void> {
    let failures = 0;
    while (!this.#closed) {
      const readable = [...this.#guilds.entries()].filter(([, g]) => g.cursor !== null);
      if (readable.length === 0) return;
      const reader = this.#readerConnection();
      try {
        if (this.#wakeCursor === undefined) {
          this.#wakeCursor = (await this.deps.redis.xadd(this.#wakeKey, 'MAXLEN', '1', '*', 'w', '0')) ?? '0-0';
          await this.deps.redis.pexpire(this.#wakeKey, 60_000);
          continue;
        }
        const keys = readable.map(([guildId]) => overlayStreamKey(this.deps.installPrefix, guildId));
        const ids = readable.map(([, g]) => g.cursor!);
        this.#blocking = true;
        const reply = (await reader.xread('COUNT', 1000, 'BLOCK', this.#options.blockMs, 'STREAMS', ...keys, this.#wakeKey, ...ids, this.#wakeCursor)) as XReadReply;
        this.#blocking = false;
        failures = 0;
        for (const [key, entries] of reply ?? []) {
          if (key === this.#wakeKey) {
            this.#wakeCursor = entries[entries.length - 1]?.[0] ?? this.#wakeCursor;
            continue;
          }
          const guildId = guildIdOfOverlayStream(this.deps.installPrefix, key);
          const guild = guildId === null ? undefined : this.#guilds.get(guildId);
          if (guild && guild.cursor !== null) this.#dispatch(guild, entries);
        }
      } catch (error) {
        this.#blocking = false;
        if (this.#closed || this.#reader !== reader) return;
        failures++;
        if (failures === 1) this.deps.logger.warn({ err: { message: error instanceof Error ? error.message : String(error) } }, 'overlay reader: read failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, Math.min(2_000, 200 * failures)).unref());
      }
    }
  }
}

async function whenRedisReadyWithin(redis: RedisConnection, ms: number): Promise<void> {
  if (redis.status === 'ready') return;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      whenRedisReady(redis),
      new Promise<void>((_, reject) => {
        timer = setTimeout(() => reject(new Error('Redis is not connected')), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
