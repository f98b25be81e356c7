/**
 * The sandbox runs the dashboard with no credentials: the console's dashboard link, discord-sim's consent page
 * ("Authorize as" the demo moderator), then the demo server's overview — in headless Chromium.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { testServerUrl } from '@kickcord/db/testing';
import { testQueuePrefix } from '@kickcord/queue';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../src/startSandbox.ts';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

describe('sandbox dashboard (headless Chromium)', () => {
  let sandbox: Sandbox | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get update && apt-get install -y chromium`);
    const db = new URL(testServerUrl());
    db.pathname = `/kickcord_sbx_${randomBytes(5).toString('hex')}`;
    sandbox = await startSandbox({
      databaseUrl: db.toString(),
      redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      queuePrefix: testQueuePrefix('sandbox-dash'),
      ports: { console: 0, web: 0, kick: 0, discord: 0 },
      demoStepMs: 20,
      idleChatMs: null,
      logLevel: 'silent',
      cleanUpOnClose: true,
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 30_000 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await sandbox?.close();
  }, 60_000);

  it("the console's dashboard link logs in as the demo moderator through discord-sim and opens the demo server", async () => {
    const page = await browser!.newPage({ viewport: { width: 1200, height: 800 } });
    page.setDefaultTimeout(20_000);
    await page.goto(sandbox!.consoleUrl);
    // The console opens its links in a new tab.
    const [tab] = await Promise.all([page.context().waitForEvent('page'), page.getByRole('link', { name: /^dashboard \(log in as mod_mia\)/ }).click()]);
    tab.setDefaultTimeout(20_000);
    await tab.getByRole('link', { name: 'Authorize as mod_mia' }).click();
    await tab.getByText('Logged in as').waitFor();
    await tab.getByRole('link', { name: 'Kickcord Sandbox' }).click();
    await tab.waitForURL(new RegExp(`/dashboard/${sandbox!.guildId}$`));
    await expect.poll(() => tab.locator('main').innerText()).toContain(`${sandbox!.streamer.username} connected`);
  });
});
