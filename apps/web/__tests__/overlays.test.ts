/**
 * OBS overlays, web side, against real PostgreSQL and Redis: two web apps on one Redis each read the guild streams
 * themselves (every replica's clients get everything), a resuming client gets exactly what it missed (no gap, no
 * repeat, even while events keep coming), widget filters, snapshots read once per guild per round, keys that are
 * unknown, malformed or revoked (404; open streams closed within seconds), limits (429), the pages and their
 * assets (CSP, transparent, long-cached font and sounds), tokens never logged, prompt shutdown.
 */
import { randomBytes } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PrismaClient } from '@kickcord/db';
import { OVERLAY_SOUNDS, OVERLAY_WIDGETS, publishOverlayEvent, recordOverlayTally, waitFor, type OverlayAlert, type OverlayEvent } from '@kickcord/queue';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareStreamIds, normalizeStreamId } from '../src/overlays/OverlayHub.ts';
import { overlayRoutes } from '../src/overlays/overlayRoutes.ts';
import { overlayTokenHash } from '../src/overlays/overlayTokens.ts';
import { createHarness, rawRequest, type Harness, type WebUnderTest } from './harness.ts';

const GUILD_A = '870000000000000100';
const GUILD_B = '870000000000000200';
const GUILD_GONE = '870000000000000300';

/** One Server-Sent Event as received. */
interface SseEvent {
  id: string | null;
  event: string;
  data: string;
  at: number;
}

/** A minimal EventSource over node:http that keeps every event (and comment) it got. */
class SseClient {
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  retry: number | null = null;
  ended = false;
  readonly done: Promise<void>;
  #buffer = '';
  #res: IncomingMessage;

  private constructor(res: IncomingMessage) {
    this.#res = res;
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => this.#feed(chunk));
    this.done = new Promise((resolve) => {
      const end = () => {
        this.ended = true;
        resolve();
      };
      res.on('end', end);
      res.on('close', end);
      res.on('error', end);
    });
  }

  static open(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: IncomingMessage['headers']; client: SseClient | null }> {
    return new Promise((resolve, reject) => {
      const req = httpRequest(url, { headers: { accept: 'text/event-stream', ...headers }, agent: false }, (res) => {
        if (res.statusCode !== 200) {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers, client: null }));
          return;
        }
        resolve({ status: 200, body: '', headers: res.headers, client: new SseClient(res) });
      });
      req.on('error', reject);
      req.end();
    });
  }

  static async connect(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const r = await SseClient.open(url, headers);
    if (!r.client) throw new Error(`stream refused (${r.status}): ${r.body}`);
    return r.client;
  }

  #feed(chunk: string): void {
    this.#buffer += chunk;
    let cut: number;
    while ((cut = this.#buffer.indexOf('\n\n')) !== -1) {
      const block = this.#buffer.slice(0, cut);
      this.#buffer = this.#buffer.slice(cut + 2);
      let id: string | null = null;
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
        else if (line.startsWith('id: ')) id = line.slice(4);
        else if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
        else if (line.startsWith('retry: ')) this.retry = Number(line.slice(7));
      }
      if (data.length > 0 || id !== null) this.events.push({ id, event, data: data.join('\n'), at: Date.now() });
    }
  }

  /** Stream events (alerts, chat) with their ids. */
  streamed(): { id: string; event: OverlayEvent }[] {
    return this.events.filter((e) => e.id !== null && e.event !== 'hello').map((e) => ({ id: e.id!, event: JSON.parse(e.data) as OverlayEvent }));
  }

  hello(): SseEvent | undefined {
    return this.events.find((e) => e.event === 'hello');
  }

  async waitFor<T>(pick: (c: SseClient) => T | undefined | null | false, description: string, timeoutMs = 5_000): Promise<T> {
    return waitFor(() => pick(this) || undefined, { timeoutMs, intervalMs: 10, description }) as Promise<T>;
  }

  close(): void {
    this.#res.destroy();
  }
}

let h: Harness;
let a: WebUnderTest;
let b: WebUnderTest;
let tokenA: string;
let tokenB: string;
const open: SseClient[] = [];

const newToken = () => randomBytes(32).toString('base64url');
async function issueToken(guildId: string): Promise<string> {
  const token = newToken();
  await h.db.prisma.overlayToken.create({ data: { guildId, tokenHash: overlayTokenHash(token), createdBy: '1' } });
  return token;
}
function alert(text: string, extra: Partial<OverlayAlert> = {}): OverlayAlert {
  return { type: 'alert', kind: 'follow', text, user: text.split(' ')[0] ?? 'someone', sound: 'chime', durationMs: 3000, ...extra };
}
async function publish(guildId: string, event: OverlayEvent): Promise<string> {
  return publishOverlayEvent(a.deps.redis, h.prefix, guildId, event);
}
async function stream(base: string, token: string, query = '', headers: Record<string, string> = {}): Promise<SseClient> {
  const client = await SseClient.connect(`${base}/overlay/${token}/events${query}`, headers);
  open.push(client);
  await client.waitFor((c) => c.hello(), 'the hello event');
  return client;
}

beforeAll(async () => {
  h = await createHarness();
  a = await h.start();
  b = await h.start();
  await waitFor(() => a.deps.redis.status === 'ready' && b.deps.redis.status === 'ready', { description: 'both web apps connected to Redis' });
  await h.db.prisma.guild.createMany({ data: [{ id: GUILD_A, name: 'Alpha' }, { id: GUILD_B, name: 'Beta' }, { id: GUILD_GONE, name: 'Gone', active: false }] });
  tokenA = await issueToken(GUILD_A);
  tokenB = await issueToken(GUILD_B);
});
afterAll(async () => {
  for (const c of open) c.close();
  await h?.close();
});

describe('overlay streams across two web apps on one Redis', () => {
  it('every replica reads the stream itself: clients on both apps get every event of their guild, in order, with the stream ids', async () => {
    const onA = await stream(a.url, tokenA);
    const onB = await stream(b.url, tokenA);
    const otherGuild = await stream(b.url, tokenB);
    expect(onA.retry).toBeGreaterThan(0);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await publish(GUILD_A, alert(`fan${i} followed`)));
    await publish(GUILD_B, alert('beta_fan followed'));
    for (const client of [onA, onB]) {
      await client.waitFor((c) => c.streamed().length >= 5, 'five alerts');
      expect(client.streamed().map((e) => e.id)).toEqual(ids);
      expect(client.streamed().map((e) => (e.event as OverlayAlert).text)).toEqual(ids.map((_, i) => `fan${i} followed`));
    }
    await otherGuild.waitFor((c) => c.streamed().length >= 1, "guild B's alert");
    expect(otherGuild.streamed().map((e) => (e.event as OverlayAlert).text)).toEqual(['beta_fan followed']);
    // Every SSE frame names its event type.
    expect(onA.events.filter((e) => e.id !== null).every((e) => e.event === 'alert' || e.event === 'hello')).toBe(true);
  });

  it('a fresh connect starts at the end of the stream (old alerts are not replayed) and its hello carries that id', async () => {
    const before = await publish(GUILD_A, alert('old_fan followed'));
    const client = await stream(a.url, tokenA);
    expect(client.hello()?.id).toBe(before);
    const next = await publish(GUILD_A, alert('new_fan followed'));
    await client.waitFor((c) => c.streamed().length >= 1, 'the new alert');
    expect(client.streamed().map((e) => e.id)).toEqual([next]);
  });

  it('Last-Event-ID (header, or ?lastEventId= on the first connect) resumes with exactly the missed events, then live', async () => {
    const first = await stream(b.url, tokenA);
    const seen = await publish(GUILD_A, alert('one followed'));
    await first.waitFor((c) => c.streamed().some((e) => e.id === seen), 'the first alert');
    first.close();
    const missed = [await publish(GUILD_A, alert('two followed')), await publish(GUILD_A, { type: 'chat', user: 'viewer', text: 'hello chat' }), await publish(GUILD_A, alert('three followed'))];
    const byHeader = await stream(a.url, tokenA, '', { 'last-event-id': seen });
    const byQuery = await stream(b.url, tokenA, `?lastEventId=${encodeURIComponent(seen)}`);
    const live = await publish(GUILD_A, alert('four followed'));
    for (const client of [byHeader, byQuery]) {
      await client.waitFor((c) => c.streamed().length >= 4, 'the missed events and the live one');
      expect(client.streamed().map((e) => e.id)).toEqual([...missed, live]);
    }
  });

  it('resuming while events keep coming: no gap and no repeat for any client (catch-up and live reader race)', async () => {
    const start = await publish(GUILD_A, alert('race start'));
    const all: string[] = [];
    const publishing = (async () => {
      for (let i = 0; i < 150; i++) all.push(await publish(GUILD_A, alert(`race ${i}`)));
    })();
    const resumePoints: string[] = [start];
    const clients: { from: string; client: SseClient }[] = [];
    for (let i = 0; i < 6; i++) {
      const from = resumePoints[resumePoints.length - 1]!;
      const base = i % 2 ? b.url : a.url;
      clients.push({ from, client: await stream(base, tokenA, '', { 'last-event-id': from }) });
      await new Promise((resolve) => setTimeout(resolve, 15));
      if (all.length) resumePoints.push(all[Math.floor(all.length / 2)]!);
    }
    await publishing;
    const ids = [start, ...all];
    for (const { from, client } of clients) {
      const expected = ids.slice(ids.indexOf(from) + 1);
      await client.waitFor((c) => c.streamed().length >= expected.length, `${expected.length} events after ${from}`);
      expect(client.streamed().map((e) => e.id)).toEqual(expected);
    }
  });

  it('widget filters: alerts get tests too, the event list no tests and no chat, chat only chat', async () => {
    const alerts = await stream(a.url, tokenA, '?widget=alerts');
    const events = await stream(a.url, tokenA, '?widget=events');
    const chat = await stream(b.url, tokenA, '?widget=chat');
    await publish(GUILD_A, alert('test_user followed', { test: true }));
    await publish(GUILD_A, { type: 'chat', user: 'chatter', text: 'gg', color: '#ff0000' });
    await publish(GUILD_A, alert('real_user followed'));
    await alerts.waitFor((c) => c.streamed().length >= 2, 'two alerts');
    await events.waitFor((c) => c.streamed().length >= 1, 'one event');
    await chat.waitFor((c) => c.streamed().length >= 1, 'one chat line');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(alerts.streamed().map((e) => (e.event as OverlayAlert).text)).toEqual(['test_user followed', 'real_user followed']);
    expect(events.streamed().map((e) => (e.event as OverlayAlert).text)).toEqual(['real_user followed']);
    expect(chat.streamed().map((e) => e.event)).toEqual([{ type: 'chat', user: 'chatter', text: 'gg', color: '#ff0000' }]);
  });

  it('refuses bad requests with a clear reason: a malformed Last-Event-ID, one in the future, an unknown widget filter', async () => {
    const bad = await SseClient.open(`${a.url}/overlay/${tokenA}/events`, { 'last-event-id': 'nope' });
    expect(bad.status).toBe(400);
    expect(bad.body).toBe('Last-Event-ID must be an event id from this stream, like 1700000000000-0; got "nope".');
    const future = await SseClient.open(`${a.url}/overlay/${tokenA}/events?lastEventId=${Date.now() + 3_600_000}-0`);
    expect(future.status).toBe(400);
    expect(future.body).toContain('is in the future');
    const widget = await SseClient.open(`${a.url}/overlay/${tokenA}/events?widget=fireworks`);
    expect(widget.status).toBe(400);
    expect(widget.body).toBe('widget must be one of alerts, events, leaderboard, game, chat, goal; got "fireworks".');
  });
});

describe('stream ids', () => {
  it('orders ids as Redis does (by time, then sequence; longer numbers are larger) and reads ids with leading zeros', () => {
    const sorted = ['0-0', '9-5', '10-0', '10-1', '10-10', '1700000000000-0', '1700000000000-2', '1700000000001-0'];
    const shuffled = [...sorted].reverse();
    expect(shuffled.sort(compareStreamIds)).toEqual(sorted);
    expect(compareStreamIds('10-1', '10-1')).toBe(0);
    expect(normalizeStreamId('0012-007')).toBe('12-7');
  });
});

describe('overlay stream HEAD', () => {
  it('answers HEAD with the stream headers and ends at once (no stream is held open)', async () => {
    const head = await rawRequest(`${a.url}/overlay/${tokenA}/events`, { method: 'HEAD', headers: { accept: 'text/event-stream' } });
    expect(head.status).toBe(200);
    expect(head.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect((await rawRequest(`${a.url}/overlay/${newToken()}/events`, { method: 'HEAD', headers: { accept: 'text/event-stream' } })).status).toBe(404);
  });
});

describe('overlay keys', () => {
  it('unknown, malformed and inactive-guild keys get a bare 404 for pages and streams', async () => {
    const inactive = await issueToken(GUILD_GONE);
    for (const token of [newToken(), 'short', inactive, `${newToken()}x`]) {
      const page = await rawRequest(`${a.url}/overlay/${token}/alerts`);
      expect(page.status).toBe(404);
      expect(page.body).toBe('Not found');
      const sse = await SseClient.open(`${a.url}/overlay/${token}/events`);
      expect(sse.status).toBe(404);
      expect(sse.body).toBe('Not found');
    }
    expect((await rawRequest(`${a.url}/overlay/${tokenA}/fireworks`)).status).toBe(404);
  });

  it('a revoked key: pages answer 404 within seconds and its open streams are closed; the new key works at once', async () => {
    const old = await issueToken(GUILD_B);
    expect((await rawRequest(`${b.url}/overlay/${old}/alerts`)).status).toBe(200);
    const onA = await stream(a.url, old);
    const onB = await stream(b.url, old, '?widget=alerts');
    const keeps = await stream(a.url, tokenB);
    const revokedAt = Date.now();
    await h.db.prisma.overlayToken.update({ where: { tokenHash: overlayTokenHash(old) }, data: { revokedAt: new Date() } });
    const fresh = await issueToken(GUILD_B);
    expect((await rawRequest(`${a.url}/overlay/${fresh}/alerts`)).status).toBe(200);
    await Promise.all([onA.done, onB.done]);
    expect(Date.now() - revokedAt).toBeLessThan(5_000);
    await waitFor(async () => (await rawRequest(`${b.url}/overlay/${old}/alerts`)).status === 404, { timeoutMs: 5_000, description: 'the revoked key to stop opening pages' });
    expect((await SseClient.open(`${a.url}/overlay/${old}/events`)).status).toBe(404);
    expect(keeps.ended).toBe(false);
  });

  it('never logs a key: request logs show /overlay/[redacted]/…', async () => {
    await rawRequest(`${a.url}/overlay/${tokenA}/goal`);
    await rawRequest(`${a.url}/overlay/${newToken()}/goal`);
    await waitFor(() => a.logs.text().includes('/overlay/[redacted]/goal'), { description: 'the overlay request in the log' });
    expect(a.logs.text()).not.toContain(tokenA);
    expect(a.logs.text()).not.toContain(overlayTokenHash(tokenA));
  });
});

describe('overlay pages and assets', () => {
  it('serves every widget as a transparent page that loads only this app (CSP), with its settings from the query', async () => {
    for (const widget of OVERLAY_WIDGETS) {
      const page = await rawRequest(`${a.url}/overlay/${tokenA}/${widget}`, { headers: { accept: 'text/html' } });
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.headers['cache-control']).toBe('no-store');
      expect(page.headers['content-security-policy']).toBe(
        "default-src 'none';script-src 'self';style-src 'self';font-src 'self';media-src 'self';connect-src 'self';base-uri 'none';form-action 'none';frame-ancestors 'none'",
      );
      expect(page.body).toContain(`data-widget="${widget}"`);
      expect(page.body).toMatch(/<script src="\/overlay\/assets\/overlay\.[\w-]+\.js" defer><\/script>/);
      expect(page.body).not.toMatch(/https?:\/\//);
      expect(page.body).not.toMatch(/<style|style=/);
    }
    const board = await rawRequest(`${a.url}/overlay/${tokenA}/leaderboard?limit=5&fontSize=40&title=Top%20fans`);
    expect(board.body).toContain('data-limit="5"');
    expect(board.body).toContain('data-font-size="40"');
    expect(board.body).toContain('data-title="Top fans"');
  });

  it('refuses a bad query with what is allowed', async () => {
    const bad = await rawRequest(`${a.url}/overlay/${tokenA}/leaderboard?limit=abc`);
    expect(bad.status).toBe(400);
    expect(bad.body).toBe('limit must be a whole number from 1 to 25 (how many viewers to rank); got "abc".');
    const loud = await rawRequest(`${a.url}/overlay/${tokenA}/alerts?volume=200`);
    expect(loud.status).toBe(400);
    expect(loud.body).toContain('volume must be a whole number from 0 to 100');
  });

  it('serves the script, stylesheet, bundled font and a WAV for every sound, cached for a year', async () => {
    const page = await rawRequest(`${a.url}/overlay/${tokenA}/alerts`);
    const sounds = JSON.parse(/data-sounds="([^"]+)"/.exec(page.body)![1]!.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))) as Record<string, string>;
    expect(Object.keys(sounds).sort()).toEqual([...OVERLAY_SOUNDS].sort());
    for (const url of Object.values(sounds)) {
      const res = await fetch(`${a.url}${url}`);
      const body = Buffer.from(await res.arrayBuffer());
      expect(res.headers.get('content-type')).toBe('audio/wav');
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(body.subarray(0, 4).toString('ascii')).toBe('RIFF');
      expect(body.subarray(8, 12).toString('ascii')).toBe('WAVE');
      expect(body.length).toBeGreaterThan(2_000);
      expect(body.length).toBeLessThan(100_000);
      const again = await fetch(`${a.url}${url}`, { headers: { 'if-none-match': res.headers.get('etag')! } });
      expect(again.status).toBe(304);
    }
    const cssUrl = /href="(\/overlay\/assets\/overlay\.[\w-]+\.css)"/.exec(page.body)![1]!;
    const css = await (await fetch(`${a.url}${cssUrl}`)).text();
    expect(css).toContain('background:transparent');
    const fonts = [...css.matchAll(/url\((\/overlay\/assets\/inter-[\w.-]+\.woff2)\)/g)].map((m) => m[1]!);
    expect(new Set(fonts).size).toBe(2);
    for (const url of new Set(fonts)) {
      const res = await fetch(`${a.url}${url}`);
      expect(res.headers.get('content-type')).toBe('font/woff2');
      expect(Buffer.from(await res.arrayBuffer()).subarray(0, 4).toString('ascii')).toBe('wOF2');
    }
    expect((await fetch(`${a.url}/overlay/assets/nothing.js`)).status).toBe(404);
  });
});

describe('overlay limits, heartbeats, snapshots and shutdown (a hub with short timings)', () => {
  let server: ReturnType<express.Express['listen']>;
  let base: string;
  let queries = 0;

  beforeAll(async () => {
    // Count the snapshot reads: a Prisma client whose raw queries (the leaderboard) are counted.
    const counting = new Proxy(a.deps.prisma, {
      get(target, prop, receiver) {
        if (prop === '$queryRaw') {
          return (...args: Parameters<PrismaClient['$queryRaw']>) => {
            queries++;
            return target.$queryRaw(...args);
          };
        }
        return Reflect.get(target, prop, receiver) as unknown;
      },
    });
    const app = express();
    app.use(overlayRoutes({ ...a.deps, prisma: counting }, { maxClientsPerGuild: 6, maxClients: 8, heartbeatMs: 200, snapshotIntervalMs: 300, recheckMs: 500 }));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends heartbeat comments; refuses past the per-guild and per-process limits with 429 and a clear reason', async () => {
    const clients = [] as SseClient[];
    for (let i = 0; i < 6; i++) clients.push(await stream(base, tokenA, '?widget=chat'));
    await clients[0]!.waitFor((c) => c.comments.includes('keep-alive'), 'a heartbeat');
    const perGuild = await SseClient.open(`${base}/overlay/${tokenA}/events`);
    expect(perGuild.status).toBe(429);
    expect(perGuild.headers['retry-after']).toBe('30');
    expect(perGuild.body).toBe('This server already has 6 overlays open on this web process; close unused browser sources.');
    clients.push(await stream(base, tokenB), await stream(base, tokenB));
    const perProcess = await SseClient.open(`${base}/overlay/${tokenB}/events`);
    expect(perProcess.status).toBe(429);
    expect(perProcess.body).toBe('This web process already serves 8 overlay streams; try again shortly.');
    for (const c of clients) c.close();
    await Promise.all(clients.map((c) => c.done));
    await waitFor(
      async () => {
        const again = await SseClient.open(`${base}/overlay/${tokenA}/events`);
        again.client?.close();
        await again.client?.done;
        return again.status === 200;
      },
      { description: 'slots freed after the clients left' },
    );
  });

  it('leaderboard, game and goal snapshots: sent on connect and when they change, read once per guild per round (not per client)', async () => {
    const p = h.db.prisma;
    await p.viewerStats.createMany({
      data: [
        { guildId: GUILD_A, kickUserId: 1, username: 'alice', points: 500, activeMinutes: 30 },
        { guildId: GUILD_A, kickUserId: 2, username: 'bob', points: 300, activeMinutes: 90 },
      ],
    });
    await p.overlaySettings.create({ data: { guildId: GUILD_A, goal: { kind: 'subs', target: 10, label: 'Road to 10 subs', since: new Date(Date.now() - 1000).toISOString() } } });
    await p.raffle.create({ data: { guildId: GUILD_A, openGuildId: GUILD_A, broadcasterUserId: 1, keyword: '!ticket', createdByDiscordId: '1' } });
    // The bot's goal tallies: a sub, 3 gifted (delivered twice, counted once), and Kicks, which a subs goal ignores;
    // one sub from before the goal's start.
    const now = Date.now();
    await recordOverlayTally(a.deps.redis, h.prefix, GUILD_A, 'subs', 'msg-sub-1', 1, now);
    await recordOverlayTally(a.deps.redis, h.prefix, GUILD_A, 'subs', 'msg-gift-1', 3, now);
    await recordOverlayTally(a.deps.redis, h.prefix, GUILD_A, 'subs', 'msg-gift-1', 3, now);
    await recordOverlayTally(a.deps.redis, h.prefix, GUILD_A, 'kicks', 'msg-kicks-1', 500, now);
    await recordOverlayTally(a.deps.redis, h.prefix, GUILD_A, 'subs', 'msg-old-sub', 1, now - 60_000);
    const boards = [] as SseClient[];
    for (let i = 0; i < 3; i++) boards.push(await stream(base, tokenA, '?widget=leaderboard'));
    const game = await stream(base, tokenA, '?widget=game');
    const goal = await stream(base, tokenA, '?widget=goal');
    const snapshot = (c: SseClient, type: string) => c.events.filter((e) => e.event === type).map((e) => JSON.parse(e.data) as Record<string, unknown>);
    for (const c of boards) await c.waitFor((x) => snapshot(x, 'leaderboard').length > 0, 'a leaderboard snapshot');
    expect(snapshot(boards[0]!, 'leaderboard')[0]).toEqual({
      type: 'leaderboard',
      rows: [
        { rank: 1, name: 'alice', points: 500, minutes: 30 },
        { rank: 2, name: 'bob', points: 300, minutes: 90 },
      ],
    });
    await game.waitFor((x) => snapshot(x, 'game').length > 0, 'a game snapshot');
    expect(snapshot(game, 'game')[0]).toEqual({ type: 'game', game: 'raffle', state: 'open', keyword: '!ticket', entries: 0, winners: [] });
    await goal.waitFor((x) => snapshot(x, 'goal').length > 0, 'a goal snapshot');
    expect(snapshot(goal, 'goal')[0]).toEqual({ type: 'goal', kind: 'subs', label: 'Road to 10 subs', current: 4, target: 10 });

    // Changes reach every client once; unchanged rounds send nothing.
    queries = 0;
    const started = Date.now();
    await p.viewerStats.update({ where: { guildId_kickUserId: { guildId: GUILD_A, kickUserId: 2 } }, data: { points: 900 } });
    await recordOverlayTally(a.deps.redis, h.prefix, GUILD_A, 'subs', 'msg-sub-2', 1, Date.now());
    for (const c of boards) await c.waitFor((x) => snapshot(x, 'leaderboard').length === 2, 'the changed leaderboard');
    expect((snapshot(boards[1]!, 'leaderboard')[1]!.rows as { name: string }[]).map((r) => r.name)).toEqual(['bob', 'alice']);
    await goal.waitFor((x) => snapshot(x, 'goal').some((g) => g.current === 5), 'the goal at 5');
    await new Promise((resolve) => setTimeout(resolve, 900));
    const rounds = (Date.now() - started) / 300;
    // One leaderboard read per round for the guild, however many leaderboard overlays are open.
    expect(queries).toBeLessThanOrEqual(Math.ceil(rounds) + 1);
    expect(snapshot(boards[2]!, 'leaderboard')).toHaveLength(2);
    for (const c of [...boards, game, goal]) c.close();
  });

  it('closing the hub (server shutdown) ends every open stream at once', async () => {
    const app = express();
    const deps = { ...a.deps };
    app.use(overlayRoutes(deps));
    const s = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => s.once('listening', resolve));
    const url = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
    const clients = [await stream(url, tokenA), await stream(url, tokenB, '?widget=goal')];
    const { endOverlayStreams } = await import('../src/overlays/overlayRoutes.ts');
    const closing = new Promise((resolve) => s.close(resolve));
    const at = Date.now();
    endOverlayStreams(deps);
    await Promise.all(clients.map((c) => c.done));
    await closing;
    expect(Date.now() - at).toBeLessThan(1_000);
  });

  it('the web server shuts down promptly with overlays connected', async () => {
    const extra = await h.start();
    await waitFor(() => extra.deps.redis.status === 'ready', { description: 'Redis' });
    const client = await stream(extra.url, tokenA);
    const at = Date.now();
    await extra.close();
    await client.done;
    expect(Date.now() - at).toBeLessThan(3_000);
  });
});
