/**
 * `pnpm --filter @kickcord/sandbox screenshots:dashboard`: the README's pictures of the web dashboard and the OBS
 * overlays, taken in headless Chromium (Debian's /usr/bin/chromium, or CHROMIUM_PATH) from a sandbox of its own (its
 * database dropped afterwards). A few things are set up first — a custom command, a raffle with entries, an overlay
 * key — so the pages show something; then every dashboard page is shot as the demo moderator, one at phone width,
 * and the alerts and chat overlays. PNGs go to docs/screenshots/, reduced by pngquant when it is installed.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { chatAs, runAs } from '../src/consoleDriver.ts';
import { DEFAULT_SANDBOX_DATABASE_URL, withDatabaseName } from '../src/services.ts';
import { startSandbox } from '../src/startSandbox.ts';
import { savePng } from './png.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const OUT_DIR = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));
const MAX_PNG_BYTES = 200 * 1024;

/** Dashboard pages to shoot: file name → path under /dashboard/<guild>. */
const PAGES: readonly [string, string][] = [
  ['dashboard-overview', ''],
  ['dashboard-announcements', '/announcements'],
  ['dashboard-loyalty', '/loyalty'],
  ['dashboard-points-transfer', '/viewers/import'],
  ['dashboard-viewers', '/viewers'],
  ['dashboard-commands', '/commands'],
  ['dashboard-chat-extras', '/chat-extras'],
  ['dashboard-games', '/games'],
  ['dashboard-shop', '/shop'],
  ['dashboard-role-rewards', '/role-rewards'],
  ['dashboard-moderation', '/moderation'],
  ['dashboard-channel-rewards', '/channel-rewards'],
  ['dashboard-overlays', '/overlays'],
  ['dashboard-public-pages', '/public'],
  ['dashboard-audit', '/audit'],
];

function shoot(page: Page, name: string): Promise<void> {
  return savePng(page, OUT_DIR, name, MAX_PNG_BYTES, '60-90');
}

async function main(): Promise<void> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (or set CHROMIUM_PATH).`);
  const sandbox = await startSandbox({
    databaseUrl: withDatabaseName(process.env.SANDBOX_DATABASE_URL ?? DEFAULT_SANDBOX_DATABASE_URL, 'kickcord_dashboard_screenshots'),
    queuePrefix: 'kickcord-dashboard-screenshots',
    ports: { console: 0, web: 0, kick: 0, discord: 0 },
    demoStepMs: 50,
    idleChatMs: null,
    logLevel: 'silent',
    cleanUpOnClose: true,
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 30_000 });
  try {
    const console_ = await browser.newPage({ viewport: { width: 1000, height: 700 } });
    console_.setDefaultTimeout(60_000);
    await console_.goto(sandbox.consoleUrl);
    await sandbox.demo;
    // Something to show: a custom command, a raffle with entries, a points change.
    await (await runAs(console_, 'mod_mia', '/command add name:discord response:"Join the Discord: https://discord.gg/example"')).locator('.cmd-resp').first().waitFor();
    await (await runAs(console_, 'mod_mia', '/raffle start keyword:!join')).locator('.cmd-resp').first().waitFor();
    for (const viewer of ['alice_k', 'bobbybuilds', 'charlie_gg']) await chatAs(console_, viewer, '!join');
    await (await runAs(console_, 'mod_mia', '/points give alice_k 250 reason:"Won the quiz"')).locator('.cmd-resp').first().waitFor();

    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.setDefaultTimeout(30_000);
    await page.goto(`${sandbox.webUrl}/dashboard/login`);
    await page.getByRole('link', { name: 'Authorize as mod_mia' }).click();
    await page.getByText('Logged in as').waitFor();
    const base = `${sandbox.webUrl}/dashboard/${sandbox.guildId}`;

    // The overlay key, so the overlays page shows the URLs.
    await page.goto(`${base}/overlays`);
    const create = page.getByRole('button', { name: /Create|Rotate/ }).first();
    page.once('dialog', (d) => void d.accept());
    await create.click();
    const alertsUrl = (await page.locator('code, input[readonly]', { hasText: '/alerts' }).first().textContent().catch(() => null)) ?? (await page.locator('input[value*="/alerts"]').first().getAttribute('value'));
    // The key is a secret (even a sandbox's): the picture shows a placeholder in its place.
    await page.evaluate(`for (const el of document.querySelectorAll('input, code')) {
      if ('value' in el && typeof el.value === 'string') el.value = el.value.replace(/\\/overlay\\/[^/]+\\//, '/overlay/<key>/');
      else el.textContent = (el.textContent || '').replace(/\\/overlay\\/[^/]+\\//, '/overlay/<key>/');
    }`);
    await shoot(page, 'dashboard-overlays');

    for (const [name, path] of PAGES) {
      if (name === 'dashboard-overlays') continue;
      await page.goto(`${base}${path}`);
      await shoot(page, name);
    }

    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await phone.context().addCookies(await page.context().cookies());
    await phone.goto(`${base}/games`);
    await shoot(phone, 'dashboard-games-phone');

    if (alertsUrl) {
      const overlay = await browser.newPage({ viewport: { width: 600, height: 400 } });
      await overlay.goto(alertsUrl.trim());
      await page.goto(`${base}/overlays`);
      await page.getByRole('button', { name: /Send a test/ }).first().click();
      await overlay.locator('body *:visible', { hasText: /followed|follow/i }).first().waitFor({ timeout: 10_000 });
      // The page is transparent in OBS; the picture puts it over a dark backdrop, as on a stream.
      await overlay.evaluate(`document.documentElement.style.background = 'linear-gradient(135deg,#1b2430,#2d1b36)'`);
      await shoot(overlay, 'overlay-alert');
    }
  } finally {
    await browser.close();
    await sandbox.close();
  }
}

await main();
