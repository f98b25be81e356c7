/**
 * Child process: many overlay SSE clients (plain node:http, one socket each, `Accept: text/event-stream`, the alerts
 * widget's filter). Each alert carries the time it was published (`message`, ms since the epoch with fractions) and
 * a client records `received − published` for every alert, and counts repeats.
 */
import { request, type IncomingMessage } from 'node:http';

/** Orchestrator → child. */
export type OverlayClientsCommand =
  | { type: 'connect'; port: number; tokens: string[]; concurrency: number }
  | { type: 'round'; round: number; expectPerClient: number; timeoutMs: number }
  | { type: 'report' }
  | { type: 'stop' };

/** What `report` answers. */
export interface OverlayClientsReport {
  type: 'report';
  latenciesMs: number[];
  duplicates: number;
  /** Streams that ended while the bench ran. */
  dropped: number;
}

const nowMs = () => performance.timeOrigin + performance.now();

interface Client {
  res: IncomingMessage | null;
  buffer: string;
  seen: Set<string>;
  /** Alerts received. */
  received: number;
}

const clients: Client[] = [];
const latencies: number[] = [];
let duplicates = 0;
let dropped = 0;
let stopping = false;
let waiting: { expect: number; resolve: () => void } | null = null;

/** Clients that have received at least `count` alerts. */
function reached(count: number): number {
  let n = 0;
  for (const c of clients) if (c.received >= count) n++;
  return n;
}

function onBlock(client: Client, block: string): void {
  if (!block.includes('event: alert')) return;
  const idLine = /^id: (.+)$/m.exec(block);
  const dataLine = /^data: (.+)$/m.exec(block);
  if (!idLine || !dataLine) return;
  const at = nowMs();
  const id = idLine[1]!;
  if (client.seen.has(id)) {
    duplicates++;
    return;
  }
  client.seen.add(id);
  const alert = JSON.parse(dataLine[1]!) as { message?: string };
  latencies.push(at - Number(alert.message));
  client.received++;
  if (waiting && client.received >= waiting.expect && reached(waiting.expect) === clients.length) {
    const w = waiting;
    waiting = null;
    w.resolve();
  }
}

function open(port: number, token: string): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client: Client = { res: null, buffer: '', seen: new Set(), received: 0 };
    const req = request({ host: '127.0.0.1', port, path: `/overlay/${token}/events?widget=alerts`, headers: { accept: 'text/event-stream' }, agent: false }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error(`stream refused: ${res.statusCode}`));
        return;
      }
      client.res = res;
      res.setEncoding('utf8');
      let ready = false;
      res.on('data', (chunk: string) => {
        client.buffer += chunk;
        let cut: number;
        while ((cut = client.buffer.indexOf('\n\n')) !== -1) {
          const block = client.buffer.slice(0, cut);
          client.buffer = client.buffer.slice(cut + 2);
          if (!ready && block.includes('event: hello')) {
            ready = true;
            resolve(client);
          }
          onBlock(client, block);
        }
      });
      res.on('close', () => {
        if (!stopping) dropped++;
      });
    });
    req.on('error', reject);
    req.end();
  });
}

async function connectAll(port: number, tokens: string[], concurrency: number): Promise<{ connected: number; failed: number; ms: number }> {
  const started = nowMs();
  let next = 0;
  let failed = 0;
  const worker = async () => {
    while (next < tokens.length) {
      const token = tokens[next++]!;
      try {
        clients.push(await open(port, token));
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { connected: clients.length, failed, ms: nowMs() - started };
}

process.on('message', (raw) => {
  const m = raw as OverlayClientsCommand;
  if (m.type === 'connect') {
    void connectAll(m.port, m.tokens, m.concurrency).then((r) => process.send?.({ type: 'connected', ...r }));
  } else if (m.type === 'round') {
    const done = (complete: boolean) => process.send?.({ type: 'roundDone', round: m.round, complete, reached: reached(m.expectPerClient) });
    // Armed before the burst is published: the orchestrator publishes after 'armed'.
    const timer = setTimeout(() => {
      waiting = null;
      done(false);
    }, m.timeoutMs);
    waiting = {
      expect: m.expectPerClient,
      resolve: () => {
        clearTimeout(timer);
        done(true);
      },
    };
    process.send?.({ type: 'armed', round: m.round });
  } else if (m.type === 'report') {
    const report: OverlayClientsReport = { type: 'report', latenciesMs: latencies, duplicates, dropped };
    process.send?.(report);
  } else if (m.type === 'stop') {
    stopping = true;
    for (const c of clients) c.res?.destroy();
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
process.send?.({ type: 'ready' });
