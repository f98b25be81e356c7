import { WebSocket } from 'ws';
import type { DiscordSim } from '../src/index.ts';

/** What a raw gateway connection saw after one IDENTIFY. */
export interface IdentifyOutcome {
  /** READY `d`, if it came. */
  ready: Record<string, unknown> | null;
  /** Ids of the GUILD_CREATEs received so far (only when READY came). */
  guildCreates: string[];
  /** op 9 Invalid Session received. */
  invalidSession: boolean;
  /** Close code, if the gateway closed the socket. */
  closeCode: number | null;
  socket: WebSocket;
}

/**
 * Open a raw gateway socket, IDENTIFY with `d` (token filled in) and resolve on the first of: READY plus
 * `expectGuilds` GUILD_CREATEs, op 9, or close. Rejects after `timeoutMs`. The socket stays open on READY/op 9.
 */
export function identifyRaw(sim: DiscordSim, d: Record<string, unknown>, expectGuilds = 0, timeoutMs = 5000): Promise<IdentifyOutcome> {
  const socket = new WebSocket(`${sim.gatewayUrl}?v=10&encoding=json`);
  const out: IdentifyOutcome = { ready: null, guildCreates: [], invalidSession: false, closeCode: null, socket };
  return new Promise<IdentifyOutcome>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`raw IDENTIFY ${JSON.stringify(d.shard)}: nothing decisive within ${timeoutMs} ms`)), timeoutMs);
    const done = () => {
      clearTimeout(timer);
      resolve(out);
    };
    socket.on('message', (raw) => {
      const p = JSON.parse(raw.toString()) as { op: number; t: string | null; d: Record<string, unknown> };
      if (p.op === 10) socket.send(JSON.stringify({ op: 2, d: { token: sim.token, intents: 1, properties: { os: 'linux', browser: 'test', device: 'test' }, ...d } }));
      if (p.op === 9) {
        out.invalidSession = true;
        done();
      }
      if (p.t === 'READY') out.ready = p.d;
      if (p.t === 'GUILD_CREATE') out.guildCreates.push(String(p.d.id));
      if (out.ready && out.guildCreates.length >= expectGuilds) done();
    });
    socket.on('close', (code) => {
      out.closeCode = code;
      done();
    });
  });
}

/** Close raw sockets normally (ends their sessions). */
export function closeAll(outcomes: IdentifyOutcome[]): void {
  for (const o of outcomes) if (o.socket.readyState === WebSocket.OPEN) o.socket.close(1000);
}
