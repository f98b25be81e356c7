/**
 * The dashboard in a real (headless) browser against discord-sim's OAuth2: logging in by clicking through Discord's
 * consent page, the pages a manager uses (keyboard only for the manager roles form), a member who is not a manager
 * refused, a 390 px wide phone viewport without sideways scrolling, and no request to any other site.
 * `UPDATE_SCREENSHOTS=1` also writes the README's screenshots to docs/screenshots/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { startDiscordSim, type DiscordSim } from '@kickcord/discord-sim';
import { recordAudit } from '@kickcord/db';
import { waitFor } from '@kickcord/queue';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeWebDeps, createWebDeps, createWebServer, type WebServer } from '../src/index.ts';
import { createHarness, LogSink, type Harness } from './harness.ts';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const SCREENSHOTS = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));
const UPDATE_SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1';

const OWNER = '891000000000000001';
const MOD = '891000000000000002';
const VIEWER = '891000000000000003';
const GUILD = '891000000000000100';
const MOD_ROLE = '891000000000000110';
const CREW_ROLE = '891000000000000111';
const MANAGE_GUILD = String(1n << 5n);

let h: Harness;
let sim: DiscordSim;
let web: WebServer;
let closeDeps: () => Promise<void>;
let webUrl: string;
let browser: Browser;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing. Install Debian's Chromium for the browser tests: apt-get update && apt-get install -y chromium`);
  h = await createHarness();
  const port = await freePort();
  webUrl = `http://127.0.0.1:${port}`;
  sim = await startDiscordSim({ oauth2: { redirectUris: [`${webUrl}/dashboard/callback`] } });
  sim.addGuild({
    id: GUILD,
    name: 'Demo Community',
    ownerId: OWNER,
    roles: [{ id: MOD_ROLE, name: 'Moderators', permissions: MANAGE_GUILD }, { id: CREW_ROLE, name: 'Stream crew' }, { id: '891000000000000112', name: 'Subscribers' }],
    members: [{ id: OWNER, username: 'demo_owner' }, { id: MOD, username: 'demo_moderator', roles: [MOD_ROLE] }, { id: VIEWER, username: 'demo_viewer' }],
  });
  const env = h.env({ PUBLIC_URL: webUrl, PORT: String(port), DISCORD_CLIENT_ID: sim.applicationId, DISCORD_CLIENT_SECRET: sim.oauthClientSecret, DISCORD_API_URL: sim.apiUrl, DISCORD_TOKEN: sim.token, DASHBOARD_SESSION_SECRET: 'browser-test-dashboard-secret-0123456789abcdef' });
  const deps = createWebDeps(env, { queuePrefix: h.prefix, logDestination: new LogSink() });
  web = createWebServer(deps);
  closeDeps = () => closeWebDeps(deps);
  await web.listen(port, '127.0.0.1');
  await waitFor(() => deps.redis.status === 'ready', { description: "the web app's Redis connection" });

  const p = h.db.prisma;
  await p.guild.create({ data: { id: GUILD, name: 'Demo Community' } });
  await p.kickChannel.createMany({ data: [{ broadcasterUserId: 5151, slug: 'demo_streamer', displayName: 'demo_streamer' }, { broadcasterUserId: 5252, slug: 'friend_channel', displayName: 'friend_channel' }] });
  await p.kickConnection.create({
    data: { guildId: GUILD, broadcasterUserId: 5151, kickUsername: 'demo_streamer', accessTokenEnc: 'x', refreshTokenEnc: 'y', scopes: ['user:read', 'channel:read', 'chat:write', 'events:subscribe'], expiresAt: new Date('2026-12-07T09:00:00Z'), connectedByDiscordId: MOD },
  });
  await p.guildChannelLink.createMany({ data: [{ guildId: GUILD, broadcasterUserId: 5151, kind: 'owner', createdByDiscordId: MOD }, { guildId: GUILD, broadcasterUserId: 5252, kind: 'watch', createdByDiscordId: MOD }] });
  const at = (iso: string) => new Date(iso);
  await p.kickSubscription.createMany({
    data: [
      { id: '01JBROWSERSUB000000000001', broadcasterUserId: 5151, event: 'chat.message.sent', version: 1, lastDeliveryAt: at('2026-12-06T08:10:00Z') },
      { id: '01JBROWSERSUB000000000002', broadcasterUserId: 5151, event: 'channel.followed', version: 1, lastDeliveryAt: at('2026-12-06T07:42:00Z') },
      { id: '01JBROWSERSUB000000000003', broadcasterUserId: 5151, event: 'livestream.status.updated', version: 1, lastDeliveryAt: at('2026-12-06T07:00:00Z') },
      { id: '01JBROWSERSUB000000000004', broadcasterUserId: 5252, event: 'livestream.status.updated', version: 1 },
    ],
  });
  await recordAudit(p, { guildId: GUILD, actorId: MOD, actorName: 'demo_moderator', source: 'discord', action: 'loyalty.settings', detail: { pointsPerMinute: { from: 1, to: 2 }, followBonus: { from: 0, to: 50 } } });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 30_000 });
}, 120_000);

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await web?.close();
  await closeDeps?.();
  await sim?.close();
  await h?.close();
}, 60_000);

/** A fresh browser context that records every request going anywhere but the web app and discord-sim. */
async function newContext(viewport = { width: 1100, height: 800 }): Promise<{ context: BrowserContext; page: Page; foreign: string[] }> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const foreign: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(webUrl) && !r.url().startsWith(sim.baseUrl)) foreign.push(r.url());
  });
  return { context, page, foreign };
}

/** Logs in the way a person does: the dashboard's button, then "Authorize as …" on discord-sim's consent page. */
async function loginAs(page: Page, username: string): Promise<void> {
  await page.goto(`${webUrl}/dashboard`);
  await page.getByRole('link', { name: 'Log in with Discord' }).click();
  await page.getByRole('link', { name: `Authorize as ${username}` }).click();
  await page.waitForURL(`${webUrl}/dashboard`);
}

async function shot(page: Page, name: string): Promise<void> {
  if (!UPDATE_SCREENSHOTS) return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });
}

describe('dashboard in a browser (headless Chromium)', () => {
  it('logs in with Discord through the consent page and walks a manager’s pages: servers, overview, manager roles (keyboard only), audit log', async () => {
    const { context, page, foreign } = await newContext();
    try {
      await page.goto(`${webUrl}/dashboard`);
      await shot(page, 'dashboard-login');
      await loginAs(page, 'demo_moderator');
      await expect.poll(() => page.locator('header').innerText()).toContain('Logged in as demo_moderator');
      const server = page.getByRole('link', { name: 'Demo Community' });
      await server.waitFor();
      await shot(page, 'dashboard-servers');

      await server.click();
      await page.waitForURL(`${webUrl}/dashboard/${GUILD}`);
      const main = page.locator('main');
      expect(await main.innerText()).toContain('demo_streamer connected');
      expect(await main.innerText()).toContain('Missing Kick permissions');
      expect(await main.innerText()).toContain('2026-12-06 08:10 UTC');
      await shot(page, 'dashboard-overview');

      await page.getByRole('link', { name: 'Manager roles' }).click();
      await page.waitForURL(`${webUrl}/dashboard/${GUILD}/roles`);
      // Keyboard only: focus the "Stream crew" box, tick it with Space, submit with Enter on the button.
      await page.getByLabel('Stream crew').focus();
      await page.keyboard.press('Space');
      expect(await page.getByLabel('Stream crew').isChecked()).toBe(true);
      await page.getByRole('button', { name: 'Save manager roles' }).focus();
      await page.keyboard.press('Enter');
      await page.waitForURL(`${webUrl}/dashboard/${GUILD}/roles?saved=1`);
      expect(await page.getByRole('status').innerText()).toContain('Saved');
      expect(await page.getByLabel('Stream crew').isChecked()).toBe(true);
      await shot(page, 'dashboard-manager-roles');
      expect(await h.db.prisma.dashboardManagerRole.findMany({ where: { guildId: GUILD }, select: { roleId: true } })).toEqual([{ roleId: CREW_ROLE }]);

      await page.getByRole('link', { name: 'Audit log' }).click();
      const rows = page.locator('main tbody tr');
      await expect.poll(() => rows.count()).toBe(2);
      expect(await rows.first().innerText()).toContain('dashboard.manager_roles');
      await page.selectOption('#actor', MOD);
      await page.getByRole('button', { name: 'Filter' }).click();
      await page.waitForURL(/actor=/);
      await shot(page, 'dashboard-audit');

      // Every label belongs to a control, and every control has a name.
      // (Evaluated in the page as text: this package's TypeScript has no DOM types.)
      const unlabeled = (await page.evaluate("[...document.querySelectorAll('input:not([type=hidden]), select')].filter((e) => !e.labels || e.labels.length === 0).length")) as number;
      expect(unlabeled).toBe(0);
      expect(foreign).toEqual([]);
      await page.getByRole('button', { name: 'Log out' }).click();
      await page.getByRole('link', { name: 'Log in with Discord' }).waitFor();
    } finally {
      await context.close();
    }
  });

  it('a member without Manage Server or a manager role is refused', async () => {
    const { context, page } = await newContext();
    try {
      await loginAs(page, 'demo_viewer');
      expect(await page.locator('main').innerText()).toContain('Other servers with kickcord');
      expect(await page.getByRole('link', { name: 'Demo Community' }).count()).toBe(0);
      const res = await page.goto(`${webUrl}/dashboard/${GUILD}`);
      expect(res?.status()).toBe(403);
      expect(await page.getByRole('alert').innerText()).toContain('Only members with Manage Server or a dashboard manager role');
      await shot(page, 'dashboard-refused');
    } finally {
      await context.close();
    }
  });

  it('works at 390 px wide: nothing scrolls sideways, the buttons stay reachable', async () => {
    const { context, page, foreign } = await newContext({ width: 390, height: 844 });
    try {
      await loginAs(page, 'demo_moderator');
      for (const path of ['', `/${GUILD}`, `/${GUILD}/roles`, `/${GUILD}/audit`]) {
        await page.goto(`${webUrl}/dashboard${path}`);
        const overflow = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
        expect(overflow, `sideways scrolling on /dashboard${path}`).toBeLessThanOrEqual(0);
      }
      await page.goto(`${webUrl}/dashboard/${GUILD}`);
      const box = await page.getByRole('button', { name: 'Log out' }).boundingBox();
      expect(box && box.x + box.width).toBeLessThanOrEqual(390);
      await shot(page, 'dashboard-phone');
      expect(foreign).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
