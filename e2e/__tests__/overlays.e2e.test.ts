/**
 * OBS overlays end to end in headless Chromium: kick-sim delivers → web → BullMQ → bot publishes into the guild's
 * overlay stream → a web app's SSE → the overlay page. An alert shows within a second of Kick's delivery; after the
 * web app serving the page shuts down (server-side close) and another takes its port, alerts sent meanwhile all show,
 * once each, in order, never overlapping; pages load nothing from another origin, are transparent and never scroll;
 * chat, event list, leaderboard, game and goal widgets render what happens; a rotated key's page and stream stop.
 */
import { request as httpRequest } from 'node:http';
import { overlayStreamKey, readOverlayEntry, waitFor } from '@kickcord/queue';
import { startWeb, type WebHandle } from '@kickcord/web';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM } from './helpers/dashboard.ts';
import { responseText, startTestStack, type TestStack } from './helpers/harness.ts';

interface ShownAlert {
  id: string;
  kind: string;
  text: string;
  sound: string | null;
  test: boolean;
  start: number;
  end: number;
}
/** What the tests read in the page (e2e compiles without the DOM library). */
interface Elementish {
  scrollWidth: number;
  scrollHeight: number;
  clientWidth: number;
  clientHeight: number;
}
interface Win {
  kickcordOverlay: OverlayState;
  document: { documentElement: Elementish; body: Elementish; fonts: { check(font: string): boolean }; getElementById(id: string): Elementish };
  getComputedStyle(element: Elementish): { backgroundColor: string; overflow: string; fontFamily: string };
}
interface OverlayState {
  widget: string;
  connected: boolean;
  connects: number;
  lastEventId: string;
  shown: ShownAlert[];
}

let stack: TestStack;
let browser: Browser;
let token: string;
/** A second web app (same database, Redis and prefix) whose shutdown closes the page's stream from the server side. */
let replica: WebHandle | undefined;
const pages: Page[] = [];

async function slash(commandLine: string): Promise<string> {
  const record = await stack.invoke(commandLine);
  const response = await stack.discord.waitForInteractionResponse(record, (r) => r.kind === 'callback', 10_000);
  return responseText(response.data);
}

function startReplica(port: number): Promise<WebHandle> {
  const e = stack.env;
  return startWeb(
    {
      DATABASE_URL: e.DATABASE_URL,
      REDIS_URL: e.REDIS_URL,
      PUBLIC_URL: e.PUBLIC_URL,
      PORT: String(port),
      TOKEN_ENCRYPTION_KEY: e.TOKEN_ENCRYPTION_KEY,
      KICK_CLIENT_ID: e.KICK_CLIENT_ID,
      KICK_CLIENT_SECRET: e.KICK_CLIENT_SECRET,
      KICK_API_URL: e.KICK_API_URL,
      KICK_AUTH_URL: e.KICK_AUTH_URL,
      KICK_WEBHOOK_PUBLIC_KEY: stack.kick.publicKeyPem,
      LOG_LEVEL: 'silent',
    },
    { queuePrefix: e.QUEUE_PREFIX, host: '127.0.0.1' },
  );
}

async function overlayPage(base: string, widget: string, query = '', viewport = { width: 600, height: 400 }): Promise<{ page: Page; requests: string[] }> {
  const page = await browser.newPage({ viewport });
  page.setDefaultTimeout(15_000);
  pages.push(page);
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(`${base}/overlay/${token}/${widget}${query}`);
  await page.waitForFunction(() => (globalThis as unknown as Win).kickcordOverlay?.connected === true);
  return { page, requests };
}

/** The texts of the alerts in the demo guild's overlay stream, oldest first. */
async function streamTexts(): Promise<string[]> {
  const rows = await stack.bot.ctx.redis.xrange(overlayStreamKey(stack.env.QUEUE_PREFIX, stack.guild.id), '-', '+');
  return rows.flatMap(([, fields]) => {
    const event = readOverlayEntry(fields);
    return event?.type === 'alert' ? [event.text] : [];
  });
}

const state = (page: Page) => page.evaluate(() => (globalThis as unknown as Win).kickcordOverlay);

/** Opens the overlay stream over plain HTTP; resolves with the status, and (for 200) when the stream ends. */
function rawStream(url: string): Promise<{ status: number; ended: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: { accept: 'text/event-stream' }, agent: false }, (res) => {
      const ended = new Promise<void>((done) => {
        res.on('end', done);
        res.on('close', done);
      });
      res.resume();
      resolve({ status: res.statusCode ?? 0, ended });
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  [stack, browser] = await Promise.all([
    startTestStack(),
    chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--autoplay-policy=no-user-gesture-required'], timeout: 30_000 }),
  ]);
  const answer = await slash('/overlay url');
  const found = /\/overlay\/([A-Za-z0-9_-]{43})\/alerts/.exec(answer)?.[1];
  if (!found) throw new Error(`no overlay URL in /overlay url's answer: ${answer.slice(0, 300)}`);
  token = found;
  expect(await slash('/overlay alert follow duration:2 sound:pop')).not.toMatch(/⚠️/u);
}, 120_000);
afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await replica?.close();
  await stack?.close();
});

describe('OBS overlays in Chromium (kick-sim → web → bot → stream → SSE → page)', () => {
  it('shows a follow alert within one second of Kick delivering channel.followed, with its sound', async () => {
    const { page, requests } = await overlayPage(stack.web.url, 'alerts');
    const fan = stack.createViewer('speedy_fan');
    const sentAt = Date.now();
    const [delivery] = await stack.kick.follow(stack.streamer.userId, fan.userId);
    expect(delivery?.delivered).toBe(true);
    await page.locator('.kc-alert', { hasText: 'speedy_fan just followed!' }).waitFor();
    const shown = (await state(page)).shown;
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatchObject({ kind: 'follow', text: 'speedy_fan just followed!', sound: 'pop', test: false });
    const latency = shown[0]!.start - sentAt;
    const publishedAt = Number(shown[0]!.id.split('-')[0]);
    console.log(`overlay alert latency (kick-sim delivery POST → DOM): ${latency} ms (→ published in the stream ${publishedAt - sentAt} ms, → on the page ${shown[0]!.start - publishedAt} ms)`);
    expect(latency).toBeLessThan(1_000);
    expect(requests.some((u) => /\/overlay\/assets\/sound-pop\.[\w-]+\.wav$/.test(u))).toBe(true);
    // It leaves after its duration (2 s), and nothing else was queued.
    await page.locator('.kc-alert').waitFor({ state: 'detached' });
    const after = (await state(page)).shown[0]!;
    expect(after.end - after.start).toBeGreaterThanOrEqual(2_000);
    expect(after.end - after.start).toBeLessThan(3_500);
  });

  it('after the server closes the stream, alerts sent while disconnected all show once each, in order, never overlapping', async () => {
    const port = Number(new URL(stack.web.url).port) + 1 + Math.floor(Math.random() * 1000);
    replica = await startReplica(port);
    const { page } = await overlayPage(replica.url, 'alerts');
    const first = stack.createViewer('before_cut');
    await stack.kick.follow(stack.streamer.userId, first.userId);
    await page.waitForFunction(() => (globalThis as unknown as Win).kickcordOverlay.shown.length === 1);

    // Server-side close: the web app serving the page shuts down, ending its streams.
    await replica.close();
    replica = undefined;
    await page.waitForFunction(() => !(globalThis as unknown as Win).kickcordOverlay.connected);
    const names = ['cut_one', 'cut_two', 'cut_three'];
    // One at a time, each published before the next is sent, so the stream holds them in the order sent (the bot's
    // workers run jobs concurrently).
    for (const name of names) {
      await stack.kick.follow(stack.streamer.userId, stack.createViewer(name).userId);
      await waitFor(async () => (await streamTexts()).includes(`${name} just followed!`), { description: `${name}'s alert in the stream` });
    }
    // Another web app takes the port; EventSource reconnects there with Last-Event-ID.
    replica = await startReplica(port);
    await page.waitForFunction(() => (globalThis as unknown as Win).kickcordOverlay.shown.filter((s) => s.end > 0).length === 4, undefined, { timeout: 20_000 });
    const { shown, connects } = await state(page);
    expect(connects).toBe(2);
    expect(shown.map((s) => s.text)).toEqual(['before_cut just followed!', ...names.map((n) => `${n} just followed!`)]);
    expect(new Set(shown.map((s) => s.id)).size).toBe(4);
    for (let i = 1; i < shown.length; i++) expect(shown[i]!.start).toBeGreaterThanOrEqual(shown[i - 1]!.end);
    for (const s of shown) expect(s.end - s.start).toBeGreaterThanOrEqual(2_000);
    // Nothing is shown twice later either.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await state(page)).shown).toHaveLength(4);
  });

  it('every widget page: only same-origin requests, a transparent background and no scrollbars (600×400 and 390 px wide)', async () => {
    const b = stack.streamer.userId;
    await slash('/overlay goal followers 10 label:"Road to 10" since:now');
    await slash('/raffle start keyword:!win');
    await stack.db.prisma.viewerStats.createMany({
      data: [
        { guildId: stack.guild.id, kickUserId: 901, username: 'top_viewer', points: 1200, activeMinutes: 60 },
        { guildId: stack.guild.id, kickUserId: 902, username: 'second_viewer', points: 800, activeMinutes: 45 },
      ],
    });
    const opened: { widget: string; page: Page; requests: string[] }[] = [];
    for (const [widget, query] of [
      ['alerts', ''],
      ['events', '?limit=5'],
      ['chat', '?limit=5'],
      ['leaderboard', '?limit=3'],
      ['game', ''],
      ['goal', ''],
    ] as const) {
      opened.push({ widget, ...(await overlayPage(stack.web.url, widget, query)) });
    }
    const chatter = stack.createViewer('chatty');
    await stack.kick.follow(b, stack.createViewer('listed_fan').userId);
    await stack.kick.sendChat(b, chatter.userId, 'hello overlay <b>not bold</b>');
    const get = (w: string) => opened.find((o) => o.widget === w)!.page;
    await get('chat').locator('.kc-line', { hasText: 'hello overlay <b>not bold</b>' }).waitFor();
    expect(await get('chat').locator('.kc-line .kc-user').first().textContent()).toBe('chatty');
    await get('events').locator('.kc-event', { hasText: 'listed_fan' }).waitFor();
    expect(await get('events').locator('.kc-event').first().textContent()).toBe('listed_fanfollowed');
    await get('leaderboard').locator('.kc-name', { hasText: 'top_viewer' }).waitFor();
    expect(await get('leaderboard').locator('.kc-name').allTextContents()).toEqual(['top_viewer', 'second_viewer']);
    await get('game').locator('.kc-keyword', { hasText: '!win' }).waitFor();
    await get('goal').locator('.kc-goal-label', { hasText: 'Road to 10' }).waitFor();
    await get('goal').locator('.kc-goal-count', { hasText: '1 / 10' }).waitFor();

    const origin = new URL(stack.web.url).origin;
    for (const { widget, page, requests } of opened) {
      expect(requests.length, widget).toBeGreaterThan(0);
      expect(requests.filter((u) => new URL(u).origin !== origin), widget).toEqual([]);
      for (const width of [600, 390]) {
        await page.setViewportSize({ width, height: 400 });
        const look = await page.evaluate(() => {
          const w = globalThis as unknown as Win;
          const root = w.document.documentElement;
          return {
            html: w.getComputedStyle(root).backgroundColor,
            body: w.getComputedStyle(w.document.body).backgroundColor,
            main: w.getComputedStyle(w.document.getElementById('overlay')).backgroundColor,
            overflow: w.getComputedStyle(w.document.body).overflow,
            scrollsX: root.scrollWidth > root.clientWidth,
            scrollsY: root.scrollHeight > root.clientHeight,
            font: w.getComputedStyle(w.document.body).fontFamily,
            fontLoaded: w.document.fonts.check('16px "Inter Variable"'),
          };
        });
        expect(look, `${widget} at ${width}px`).toEqual({ html: 'rgba(0, 0, 0, 0)', body: 'rgba(0, 0, 0, 0)', main: 'rgba(0, 0, 0, 0)', overflow: 'hidden', scrollsX: false, scrollsY: false, font: expect.stringContaining('Inter Variable'), fontLoaded: true });
      }
    }
  });

  it('a rotated key: the old page and stream answer 404, its open stream is closed within seconds, the new URLs work', async () => {
    const { page } = await overlayPage(stack.web.url, 'alerts');
    const open = await rawStream(`${stack.web.url}/overlay/${token}/events`);
    expect(open.status).toBe(200);
    const rotatedAt = Date.now();
    const answer = await slash('/overlay rotate');
    const fresh = /\/overlay\/([A-Za-z0-9_-]{43})\/alerts/.exec(answer)?.[1];
    expect(fresh).toBeDefined();
    await open.ended;
    expect(Date.now() - rotatedAt).toBeLessThan(5_000);
    await page.waitForFunction(() => !(globalThis as unknown as Win).kickcordOverlay.connected);
    await waitFor(async () => (await fetch(`${stack.web.url}/overlay/${token}/alerts`)).status === 404, { timeoutMs: 5_000, description: 'the old page to answer 404' });
    expect(await (await fetch(`${stack.web.url}/overlay/${token}/alerts`)).text()).toBe('Not found');
    expect((await rawStream(`${stack.web.url}/overlay/${token}/events`)).status).toBe(404);
    expect((await fetch(`${stack.web.url}/overlay/${fresh}/alerts`)).status).toBe(200);
  });
});
