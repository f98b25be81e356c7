/**
 * The sandbox console in a real (headless) browser: the whole sandbox (kick-sim, discord-sim, web, bot, demo
 * guild connected through the OAuth flow, demo stream) started as `pnpm start` does, on its own database,
 * queue prefix and free ports; Chromium drives the page a newcomer would use.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { testServerUrl } from '@kickcord/db/testing';
import { testQueuePrefix } from '@kickcord/queue';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../src/startSandbox.ts';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const UI_TIMEOUT_MS = 20_000;

function databaseUrl(): string {
  const url = new URL(testServerUrl());
  url.pathname = `/kickcord_sbx_${randomBytes(5).toString('hex')}`;
  return url.toString();
}

describe('sandbox console (headless Chromium)', () => {
  let sandbox: Sandbox | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} is missing. Install Debian's Chromium for the browser tests: apt-get update && apt-get install -y chromium (\`npx playwright install\` does not work offline).`);
    }
    sandbox = await startSandbox({
      databaseUrl: databaseUrl(),
      redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      queuePrefix: testQueuePrefix('sandbox'),
      ports: { console: 0, web: 0, kick: 0, discord: 0 },
      demoStepMs: 20,
      idleChatMs: null,
      logLevel: 'silent',
      cleanUpOnClose: true,
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 30_000 });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(sandbox.consoleUrl);
  }, 120_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await sandbox?.close();
  }, 60_000);

  it('shows the go-live announcement as the bot posted it in #announcements (embed, role ping)', async () => {
    const announcement = page.locator('#discord-messages .dmsg', { hasText: 'is live' });
    await announcement.first().waitFor();
    expect(await page.locator('#discord-messages').getAttribute('data-channel')).toBe('announcements');
    const text = await announcement.first().innerText();
    expect(text).toContain(`${sandbox?.streamer.username} is live on Kick`); // the embed's author line
    expect(text).toContain('Sandbox stream');
    expect(await announcement.first().locator('.embed').count()).toBe(1);
    expect(await announcement.first().locator('.mention.role').innerText()).toBe('@live-alerts');
    expect(await page.locator('#stream-status .pill').innerText()).toContain('LIVE');
  });

  it("answers a viewer's !points typed in the console's chat box, in the Kick chat panel", async () => {
    const viewer = 'eve_watches'; // never says !points in the demo: any answer to her comes from this test
    await page.locator(`#chat-viewer option[value="${viewer}"]`).waitFor({ state: 'attached' });
    await page.selectOption('#chat-viewer', viewer);
    await page.fill('#chat-input', '!points');
    await page.press('#chat-input', 'Enter');
    await page.locator('#kick-chat .chat-line.viewer', { hasText: `${viewer}: !points` }).waitFor();
    const reply = page.locator('#kick-chat .chat-line.bot', { hasText: `@${viewer}` });
    await reply.first().waitFor();
    expect(await reply.first().innerText()).toMatch(/points/i);
    expect(await reply.first().locator('.sender').innerText()).toBe('kickcord_bot');
  });

  it('runs a slash command as the moderator and shows the ephemeral answer in the results panel', async () => {
    await page.fill('#command-input', '/kick status');
    await page.press('#command-input', 'Enter');
    const result = page.locator('#command-results .cmd', { hasText: '/kick status' });
    await result.first().locator('.cmd-resp.ephemeral', { hasText: 'kickcord status' }).waitFor();
    expect(await result.first().innerText()).toContain(`${sandbox?.streamer.username}`);
  });

  it('renders chat as text, never as HTML', async () => {
    const payload = '<img src=x onerror="window.__sandboxXss=1"><b>bold?</b>';
    await page.selectOption('#chat-viewer', 'alice_k');
    await page.fill('#chat-input', payload);
    await page.press('#chat-input', 'Enter');
    const line = page.locator('#kick-chat .chat-line.viewer', { hasText: 'bold?' });
    await line.first().waitFor();
    expect(await line.first().locator('.text').innerText()).toBe(payload);
    expect(await line.first().locator('img, b').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { __sandboxXss?: number }).__sandboxXss)).toBeUndefined();
    expect(pageErrors).toEqual([]);
  });

  it('refuses a second sandbox on the same database while this one runs, and leaves this one working', async () => {
    await expect(
      startSandbox({ databaseUrl: sandbox!.databaseUrl, queuePrefix: testQueuePrefix('sandbox2'), ports: { console: 0, web: 0, kick: 0, discord: 0 }, logLevel: 'silent', cleanUpOnClose: true }),
    ).rejects.toThrow(/Another kickcord sandbox is already running against the database .*SANDBOX_DATABASE_URL/s);
    const state = (await (await fetch(`${sandbox!.consoleUrl}/api/state`)).json()) as { guild: unknown };
    expect(state.guild).toBeTruthy();
  });
});
