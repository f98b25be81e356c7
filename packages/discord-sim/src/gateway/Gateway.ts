import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';

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
  shard: [number, number];
}

/** What the gateway needs from the simulator's state. */
export interface GatewayHost {
  token: string;
  heartbeatIntervalMs: number;
  gatewayUrl: () => string;
  /** READY `d` minus session fields, for a shard. */
  readyData: (shard: [number, number]) => Record<string, unknown>;
  /** GUILD_CREATE payloads of every current guild. */
  guildCreates: () => { id: string; d: unknown }[];
  /** Answer op 8 Request Guild Members. */
  memberChunks: (request: Record<string, unknown>) => unknown[];
}

const MAX_LOG = 2000;

/** The simulated Discord gateway: sessions, sequence numbers, heartbeats, RESUME replay. */
export class Gateway {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sessions = new Map<string, Session>();
  private readonly sockets = new Set<WebSocket>();
  /** How many IDENTIFYs got a READY. */
  readyCount = 0;
  /** How many RESUMEs got a RESUMED. */
  resumeCount = 0;

  constructor(private readonly host: GatewayHost) {
    this.wss.on('connection', (ws) => this.onConnection(ws));
  }

  /** Take over an HTTP upgrade request for the gateway path. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit('connection', ws, req));
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

  /**
   * Send a dispatch event to every session (buffered for resumable disconnected ones).
   * `intent` filters sessions that did not ask for it; `guildId` routes to the guild's shard.
   */
  dispatch(t: string, d: unknown, opts: { intent?: number; guildId?: string } = {}): void {
    for (const session of this.sessions.values()) {
      if (opts.intent !== undefined && (session.intents & opts.intent) === 0) continue;
      if (opts.guildId !== undefined && !this.onShard(opts.guildId, session.shard)) continue;
      this.send(session, t, d);
    }
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

  private onShard(guildId: string, [id, count]: [number, number]): boolean {
    return count <= 1 || Number((BigInt(guildId) >> 22n) % BigInt(count)) === id;
  }

  private send(session: Session, t: string, d: unknown): void {
    const s = ++session.seq;
    session.log.push({ s, t, d });
    if (session.log.length > MAX_LOG) session.log.splice(0, session.log.length - MAX_LOG);
    if (session.socket?.readyState === WebSocket.OPEN) session.socket.send(JSON.stringify({ op: Op.Dispatch, t, s, d }));
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
        ws.close(4002, 'Error while decoding payload.');
        return;
      }
      const d = (payload.d ?? {}) as Record<string, unknown>;
      switch (payload.op) {
        case Op.Heartbeat:
          ws.send(JSON.stringify({ op: Op.HeartbeatAck, d: null, s: null, t: null }));
          return;
        case Op.Identify: {
          if (session) {
            ws.close(4005, 'Already authenticated.');
            return;
          }
          if (!this.tokenOk(d.token)) {
            ws.close(4004, 'Authentication failed.');
            return;
          }
          const shard = Array.isArray(d.shard) && d.shard.length === 2 ? ([Number(d.shard[0]), Number(d.shard[1])] as [number, number]) : ([0, 1] as [number, number]);
          session = { id: randomBytes(16).toString('hex'), seq: 0, log: [], socket: ws, intents: Number(d.intents ?? 0), shard };
          this.sessions.set(session.id, session);
          this.send(session, 'READY', {
            ...this.host.readyData(shard),
            session_id: session.id,
            resume_gateway_url: this.host.gatewayUrl(),
            shard,
          });
          for (const g of this.host.guildCreates()) if (this.onShard(g.id, shard)) this.send(session, 'GUILD_CREATE', g.d);
          this.readyCount++;
          return;
        }
        case Op.Resume: {
          if (!this.tokenOk(d.token)) {
            ws.close(4004, 'Authentication failed.');
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
          if (!session) ws.close(4003, 'Not authenticated.');
          return;
        case Op.RequestGuildMembers: {
          if (!session) {
            ws.close(4003, 'Not authenticated.');
            return;
          }
          for (const chunk of this.host.memberChunks(d)) this.send(session, 'GUILD_MEMBERS_CHUNK', chunk);
          return;
        }
        default:
          ws.close(4001, 'Unknown opcode.');
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
