/**
 * `pnpm --filter @kickcord/sandbox screenshots`: the README's pictures of linking and rewards, taken from the sandbox
 * console in headless Chromium (Debian's /usr/bin/chromium, or CHROMIUM_PATH). Starts its own sandbox on a database
 * of its own (dropped afterwards) and free ports, plays the three stories, and writes PNGs to docs/images/, reduced to
 * 256 colours by pngquant (Debian: apt-get install pngquant) so each stays small.
 */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { chatAs, runAs } from '../src/consoleDriver.ts';
import { DEFAULT_SANDBOX_DATABASE_URL, withDatabaseName } from '../src/services.ts';
import { startSandbox } from '../src/startSandbox.ts';
import { savePng } from './png.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const OUT_DIR = fileURLToPath(new URL('../../../docs/images/', import.meta.url));
const VIEWPORT = { width: 1000, height: 700 };
/** The repository stays small: each picture stays under this. */
const MAX_PNG_BYTES = 150 * 1024;

async function shoot(page: Page, name: string): Promise<void> {
  await page.$eval('#command-results', (results) => results.scrollTo(0, 0));
  await savePng(page, OUT_DIR, name, MAX_PNG_BYTES);
}

async function main(): Promise<void> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (or set CHROMIUM_PATH).`);
  const databaseUrl = withDatabaseName(process.env.SANDBOX_DATABASE_URL ?? DEFAULT_SANDBOX_DATABASE_URL, 'kickcord_screenshots');
  const sandbox = await startSandbox({
    databaseUrl,
    queuePrefix: 'kickcord-screenshots',
    ports: { console: 0, web: 0, kick: 0, discord: 0 },
    demoStepMs: 50,
    idleChatMs: null,
    logLevel: 'silent',
    cleanUpOnClose: true,
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 30_000 });
  try {
    const page = await browser.newPage({ viewport: VIEWPORT });
    page.setDefaultTimeout(60_000);
    await page.goto(sandbox.consoleUrl);
    await sandbox.demo;

    // 1. Linking: /link start in Discord, !link CODE in Kick chat.
    const start = await runAs(page, 'member_max', '/link start');
    const code = /!link ([0-9A-Z]{4}-[0-9A-Z]{4})/u.exec(await start.locator('.cmd-resp', { hasText: '!link ' }).innerText())?.[1];
    if (!code) throw new Error('/link start showed no code');
    await chatAs(page, 'bobbybuilds', `!link ${code}`);
    await start.locator('.cmd-resp', { hasText: 'now linked to the Kick account' }).waitFor();
    await page.locator('#members .member[data-member="member_max"] .member-kick').waitFor();
    await (await runAs(page, 'member_max', '/link status')).locator('.cmd-resp', { hasText: 'linked to' }).waitFor();
    await shoot(page, 'sandbox-linking');

    // 2. A role appearing on a sub: Link with Kick as alice_k, then Subscribe.
    const second = await runAs(page, 'nova_member', '/link start');
    await page.selectOption('#chat-viewer', 'alice_k');
    await second.locator('button.kick-sign-in').click();
    await page.locator('#members .member[data-member="nova_member"] .member-kick').waitFor();
    await page.selectOption('#sub-viewer', 'alice_k');
    await page.click('#subscribe-button');
    await page.locator('#channel-tabs button[data-channel="general"]').click();
    await page.locator('#members .member[data-member="nova_member"] .role-chip', { hasText: '@Subscriber' }).waitFor();
    await page.locator('#discord-messages .dmsg', { hasText: 'alice_k' }).last().waitFor();
    await shoot(page, 'sandbox-role-on-sub');

    // 3. A shop purchase in Kick chat, fulfilled from the redemption queue.
    await runAs(page, 'mod_mia', '/points give charlie_gg 100');
    await chatAs(page, 'charlie_gg', '!redeem hydrate');
    await page.locator('#channel-tabs button[data-channel="redemptions"]').click();
    const queued = page.locator('#discord-messages .dmsg', { hasText: '🛒 hydrate' });
    await queued.locator('button', { hasText: 'Fulfil' }).click();
    await queued.locator('.embed', { hasText: 'Fulfilled by' }).waitFor();
    await page.locator('#command-results .cmd', { hasText: 'Fulfil (on a message in #redemptions)' }).first().locator('.cmd-resp').first().waitFor();
    await shoot(page, 'sandbox-shop-fulfilled');
  } catch (error) {
    // What the page showed when a step failed, to see why.
    const failure = join(tmpdir(), 'kickcord-screenshots-failure.png');
    await browser.contexts()[0]?.pages()[0]?.screenshot({ path: failure }).then(() => console.error(`The page at the failure: ${failure}`), () => undefined);
    throw error;
  } finally {
    await browser.close();
    await sandbox.close();
  }
}

await main();
