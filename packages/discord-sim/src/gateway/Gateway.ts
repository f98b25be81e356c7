import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { GatewayCloseRecord, GatewayIdentifyRecord, GatewaySessionInfo } from '../limitTypes.ts';
import { IdentifyLimiter, parseShard, shardOf, type ShardingSettings, type ShardTuple } from './sharding.ts';

/** Gateway intents that gate the events the simulator sends. */
export const Intent = {
  Guilds: 1 << 0,
  GuildMembers: 1 << 1,
  GuildMessages: 1 << 9,
} as const;

const Op = {
  Dispatch: 0,
  Heartbeat: 1,
  Identify: 2,
  PresenceUpdate: 3,
  VoiceStateUpdate: 4,
  Resume: 6,
  Reconnect: 7,
  RequestGuildMembers: 8,
  InvalidSession: 9,
  Hello: 10,
  HeartbeatAck: 11,
} as const;

interface LoggedEvent {
  s: number;
  t: string;
  d: unknown;
}

interface Session {
  id: string;
  seq: number;
  log: LoggedEvent[];
  socket: WebSocket | null;
  intents: number;
  shard: ShardTuple;
  /** Order of the IDENTIFY that started the gateway session (higher = newer). */
  identifyOrder: number;
  identifiedAt: Date;
}

/** What the gateway needs from the simulator's state. */
export interface GatewayHost {
  token: string;
  heartbeatIntervalMs: number;
  sharding: ShardingSettings;
  gatewayUrl: () => string;
  /** Ids of every current guild. */
  guildIds: () => string[];
  /** READY `d` minus session fields, listing these guilds. */
  readyData: (guildIds: string[]) => Record<string, unknown>;
  /** GUILD_CREATE payload of a current guild. */
  guildCreate: (guildId: string) => unknown;
  /** Answer op 8 Request Guild Members. */
  memberChunks: (request: Record<string, unknown>) => unknown[];
}

/** Where a dispatch goes: a guild's shard, DMs (shard 0), or — when neither is given — every session. */
export interface DispatchTarget {
  /** Only sessions that identified with this intent. */
  intent?: number;
  /** The guild the event belongs to; null for a DM (shard 0 only). */
  guildId?: string | null;
  /** Deliver to one session only: the newest that holds the shard (used for INTERACTION_CREATE). */
  single?: boolean;
}

const MAX_LOG = 2000;

/**
 * The simulated Discord gateway: sessions, sequence numbers, heartbeats, RESUME replay, and sharding —
 * IDENTIFY's `shard` ([shard_id, num_shards]) decides which guilds a session receives; 4010 for an
 * invalid shard, 4011 when a session would hold more than `maxGuildsPerShard` guilds. IDENTIFYs faster
 * than one per `identifyWindowMs` per rate-limit key are recorded (`tooFast`); with
 * `enforceIdentifyRateLimit` they get op 9 Invalid Session instead of READY, as Discord documents.
 *
 * Several sessions may hold the same [shard_id, num_shards] (Discord allows it). Routing is
 * deterministic: a guild's events go, per distinct shard tuple, to the gateway session of that tuple that
 * identified most recently; INTERACTION_CREATE goes to exactly one session, the newest of those.
 */
export class Gateway {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sessions = new Map<string, Session>();
  private readonly sockets = new Set<WebSocket>();
  private readonly limiter: IdentifyLimiter;
  private identifies = 0;
  /** How many IDENTIFYs got a READY. */
  readyCount = 0;
  /** How many RESUMEs got a RESUMED. */
  resumeCount = 0;
  /** Every IDENTIFY with a valid token, accepted or not. */
  readonly identifyLog: GatewayIdentifyRecord[] = [];
  /** Every close the gateway initiated with an error code (4xxx). */
  readonly closes: GatewayCloseRecord[] = [];

  constructor(private readonly host: GatewayHost) {
    this.limiter = new IdentifyLimiter(host.sharding);
    this.wss.on('connection', (ws) => this.onConnection(ws));
  }

  /** Take over an HTTP upgrade request for the gateway path. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit('connection', ws, req));
  }

  /** `session_start_limit` for `GET /gateway/bot`. */
  sessionStartLimit(): { total: number; remaining: number; reset_after: number; max_concurrency: number } {
    return this.limiter.sessionStartLimit();
  }

  /** Sessions that are identified and currently connected. */
  connectedCount(): number {
    let n = 0;
    for (const s of this.sessions.values()) if (s.socket?.readyState === WebSocket.OPEN) n++;
    return n;
  }

  /** Whether any session exists (connected or resumable). */
  hasSession(): boolean {
    return this.sessions.size > 0;
  }

  /** Whether some session (connected or resumable) holds the shard of this guild. */
  holdsGuild(guildId: string): boolean {
    for (const s of this.sessions.values()) if (onShard(guildId, s.shard)) return true;
    return false;
  }

  /** Every session, oldest identify first. */
  sessionInfo(): GatewaySessionInfo[] {
    return [...this.sessions.values()].map((s) => ({
      id: s.id,
      shard: [s.shard[0], s.shard[1]],
      connected: s.socket?.readyState === WebSocket.OPEN,
      intents: s.intents,
      identifiedAt: s.identifiedAt,
      lastSequence: s.seq,
    }));
  }

  /** Send a dispatch event (buffered for resumable disconnected sessions) to the sessions {@link DispatchTarget} picks. */
  dispatch(t: string, d: unknown, target: DispatchTarget = {}): void {
    for (const session of this.targets(target)) this.send(session, t, d);
  }

  /** Close every open socket with a resumable close code (the client RESUMEs). */
  disconnectAll(code = 4000, reason = 'Simulated disconnect'): void {
    for (const session of this.sessions.values()) {
      const ws = session.socket;
      session.socket = null;
      ws?.close(code, reason);
    }
  }

  async close(): Promise<void> {
    for (const ws of this.sockets) ws.terminate();
    this.sessions.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private targets({ intent, guildId, single }: DispatchTarget): Session[] {
    const all = [...this.sessions.values()];
    if (guildId === undefined) return all.filter((s) => intent === undefined || (s.intents & intent) !== 0);
    const holds = (s: Session) => (guildId === null ? s.shard[0] === 0 : onShard(guildId, s.shard));
    const newestByTuple = new Map<string, Session>();
    for (const s of all) {
      if (!holds(s)) continue;
      const key = `${s.shard[0]}/${s.shard[1]}`;
      const prev = newestByTuple.get(key);
      if (!prev || prev.identifyOrder < s.identifyOrder) newestByTuple.set(key, s);
    }
    let owners = [...newestByTuple.values()];
    if (single) owners = owners.sort((a, b) => b.identifyOrder - a.identifyOrder).slice(0, 1);
    return owners.filter((s) => intent === undefined || (s.intents & intent) !== 0);
  }

  private send(session: Session, t: string, d: unknown): void {
    const s = ++session.seq;
    session.log.push({ s, t, d });
    if (session.log.length > MAX_LOG) session.log.splice(0, session.log.length - MAX_LOG);
    if (session.socket?.readyState === WebSocket.OPEN) session.socket.send(JSON.stringify({ op: Op.Dispatch, t, s, d }));
  }

  private closeWith(ws: WebSocket, code: number, reason: string): void {
    this.closes.push({ code, reason, at: new Date() });
    ws.close(code, reason);
  }

  private identify(ws: WebSocket, d: Record<string, unknown>): Session | null {
    const shard = parseShard(d.shard);
    const record: GatewayIdentifyRecord = {
      shard: shard ?? (Array.isArray(d.shard) && d.shard.length === 2 && d.shard.every((x) => typeof x === 'number') ? [d.shard[0] as number, d.shard[1] as number] : null),
      rateLimitKey: shard ? this.limiter.keyOf(shard[0]) : null,
      at: new Date(),
      outcome: 'ready',
      tooFast: false,
      sessionId: null,
    };
    this.identifyLog.push(record);
    if (!shard) {
      record.outcome = 'invalid_shard';
      this.closeWith(ws, 4010, 'Invalid shard.');
      return null;
    }
    if (this.limiter.exhausted()) {
      // Discord resets the token of a bot that uses up its daily session starts; the client sees its token rejected.
      record.outcome = 'session_limit';
      this.closeWith(ws, 4004, 'Authentication failed.');
      return null;
    }
    const key = record.rateLimitKey as number;
    record.tooFast = this.limiter.tooSoon(key, record.at.getTime());
    if (record.tooFast && this.host.sharding.enforceIdentifyRateLimit) {
      record.outcome = 'invalid_session';
      ws.send(JSON.stringify({ op: Op.InvalidSession, d: false, s: null, t: null }));
      return null;
    }
    const guildIds = this.host.guildIds().filter((id) => onShard(id, shard));
    if (guildIds.length > this.host.sharding.maxGuildsPerShard) {
      record.outcome = 'sharding_required';
      this.closeWith(ws, 4011, 'Sharding required.');
      return null;
    }
    this.limiter.accept(key, record.at.getTime());
    const session: Session = {
      id: randomBytes(16).toString('hex'),
      seq: 0,
      log: [],
      socket: ws,
      intents: Number(d.intents ?? 0),
      shard,
      identifyOrder: ++this.identifies,
      identifiedAt: record.at,
    };
    record.sessionId = session.id;
    this.sessions.set(session.id, session);
    this.send(session, 'READY', { ...this.host.readyData(guildIds), session_id: session.id, resume_gateway_url: this.host.gatewayUrl(), shard });
    for (const id of guildIds) this.send(session, 'GUILD_CREATE', this.host.guildCreate(id));
    this.readyCount++;
    return session;
  }

  private onConnection(ws: WebSocket): void {
    this.sockets.add(ws);
    let session: Session | null = null;
    ws.send(JSON.stringify({ op: Op.Hello, d: { heartbeat_interval: this.host.heartbeatIntervalMs, _trace: ['["discord-sim"]'] }, s: null, t: null }));
    ws.on('message', (raw: RawData) => {
      let payload: { op?: unknown; d?: unknown };
      try {
        payload = JSON.parse(raw.toString()) as { op?: unknown; d?: unknown };
      } catch {
        this.closeWith(ws, 4002, 'Error while decoding payload.');
        return;
      }
      const d = (payload.d ?? {}) as Record<string, unknown>;
      switch (payload.op) {
        case Op.Heartbeat:
          ws.send(JSON.stringify({ op: Op.HeartbeatAck, d: null, s: null, t: null }));
          return;
        case Op.Identify: {
          if (session) {
            this.closeWith(ws, 4005, 'Already authenticated.');
            return;
          }
          if (!this.tokenOk(d.token)) {
            this.closeWith(ws, 4004, 'Authentication failed.');
            return;
          }
          session = this.identify(ws, d);
          return;
        }
        case Op.Resume: {
          if (!this.tokenOk(d.token)) {
            this.closeWith(ws, 4004, 'Authentication failed.');
            return;
          }
          const found = this.sessions.get(String(d.session_id));
          const seq = Number(d.seq ?? 0);
          if (!found || seq > found.seq || (found.log[0] && found.log[0].s > seq + 1)) {
            ws.send(JSON.stringify({ op: Op.InvalidSession, d: false, s: null, t: null }));
            return;
          }
          const old = found.socket;
          if (old && old !== ws) old.close(4000, 'Session resumed elsewhere');
          found.socket = ws;
          session = found;
          for (const e of found.log) if (e.s > seq) ws.send(JSON.stringify({ op: Op.Dispatch, t: e.t, s: e.s, d: e.d }));
          this.send(found, 'RESUMED', { _trace: ['["discord-sim"]'] });
          this.resumeCount++;
          return;
        }
        case Op.PresenceUpdate:
        case Op.VoiceStateUpdate:
          if (!session) this.closeWith(ws, 4003, 'Not authenticated.');
          return;
        case Op.RequestGuildMembers: {
          if (!session) {
            this.closeWith(ws, 4003, 'Not authenticated.');
            return;
          }
          for (const chunk of this.host.memberChunks(d)) this.send(session, 'GUILD_MEMBERS_CHUNK', chunk);
          return;
        }
        default:
          this.closeWith(ws, 4001, 'Unknown opcode.');
      }
    });
    ws.on('close', (code) => {
      this.sockets.delete(ws);
      if (session && session.socket === ws) {
        session.socket = null;
        // A client closing normally ends its session (Discord invalidates it); other codes stay resumable.
        if (code === 1000 || code === 1001) this.sessions.delete(session.id);
      }
    });
    ws.on('error', () => undefined);
  }

  private tokenOk(token: unknown): boolean {
    return typeof token === 'string' && token.replace(/^Bot\s+/i, '') === this.host.token;
  }
}

function onShard(guildId: string, [id, count]: ShardTuple): boolean {
  return count <= 1 || shardOf(guildId, count) === id;
}
