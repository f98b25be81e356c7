/**
 * The sandbox console in a real (headless) browser: the whole sandbox (kick-sim, discord-sim, web, bot, demo
 * guild connected through the OAuth flow, demo stream) started as `pnpm start` does, on its own database,
 * queue prefix and free ports; Chromium drives the page a newcomer would use.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendLedgerEntries, createPrismaClient, disconnectPrisma } from '@kickcord/db';
import { testServerUrl } from '@kickcord/db/testing';
import { testQueuePrefix, waitFor } from '@kickcord/queue';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatAs, runAs } from '../src/consoleDriver.ts';
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
  const state = async <T,>(query = ''): Promise<T> => (await (await fetch(`${sandbox!.consoleUrl}/api/state${query}`)).json()) as T;
  const guildId = () => sandbox!.guildId;
  const viewer = (name: string) => {
    const found = sandbox!.viewers.find((v) => v.username === name);
    if (!found) throw new Error(`no demo viewer ${name}`);
    return found;
  };
  const atBottom = (selector: string) => page.$eval(selector, (pane) => pane.scrollHeight - pane.scrollTop - pane.clientHeight < 5);

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
    await page.locator('#channel-tabs button[data-channel="announcements"]').click();
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

  it('links only to pages that answer (no dead anchors, no 404s)', async () => {
    await page.locator('#links a').first().waitFor();
    const hrefs = await page.$$eval('a', (anchors) => anchors.map((a) => a.getAttribute('href') ?? ''));
    expect(hrefs.length).toBeGreaterThan(3);
    for (const href of hrefs) {
      expect(href, 'an anchor without a destination').not.toMatch(/^(#.*|javascript:.*|)$/u);
      const url = new URL(href, sandbox!.consoleUrl);
      if (url.hostname !== '127.0.0.1') continue; // e.g. the streamer's kick.com page in an announcement
      const auth = url.pathname.startsWith('/admin/') ? { authorization: `Basic ${Buffer.from(`${sandbox!.admin.user}:${sandbox!.admin.password}`).toString('base64')}` } : undefined;
      const res = await fetch(url, { ...(auth ? { headers: auth } : {}), redirect: 'manual' });
      const body = await res.text();
      if (url.pathname === '/connect/kick' || url.pathname === '/link/kick') {
        // One-time links (the connect link the sandbox itself used at start, a /link start answer's Link with Kick once
        // used): a page that says so (410), not a dead end.
        expect([200, 302, 410], `${url}`).toContain(res.status);
        if (res.status !== 302) expect(body).toMatch(/<html/iu);
        continue;
      }
      expect(res.status, `${url}`).toBeLessThan(400);
    }
    const links = await page.$$eval('#links a', (anchors) => anchors.map((a) => (a as unknown as { href: string }).href));
    expect(links).toContain(`${sandbox!.webUrl}/leaderboard/${guildId()}`);
    expect(links).toContain(`${sandbox!.webUrl}/c/${sandbox!.streamer.username.toLowerCase()}/commands`);
    expect(links).toContain(`${sandbox!.webUrl}/admin/queues`);
  });

  it.each([
    ['moderator', [{ text: 'Moderator', type: 'moderator' }], 'MOD'],
    ['vip', [{ text: 'VIP', type: 'vip' }], 'VIP'],
    ['subscriber', [{ text: 'Subscriber', type: 'subscriber', count: 3 }], 'SUB'],
  ])('chats as a %s: the webhook carries Kick\'s badge shape and the chat pane shows it', async (role, badges, chip) => {
    const text = `hello as ${role} ${randomBytes(3).toString('hex')}`;
    await page.selectOption('#chat-viewer', 'charlie_gg');
    await page.selectOption('#chat-role', role);
    await page.fill('#chat-input', text);
    await page.press('#chat-input', 'Enter');
    const line = page.locator('#kick-chat .chat-line.viewer', { hasText: text });
    await line.waitFor();
    expect(await line.locator('.badge-kick').allInnerTexts()).toEqual([chip]);
    const snap = await state<{ chat: { content: string; badges: unknown[] }[] }>();
    expect(snap.chat.find((m) => m.content === text)?.badges).toEqual(badges);
    await page.selectOption('#chat-role', 'viewer');
  });

  it('shows the CSV that /points export attaches, with a download link to the same file', async () => {
    // Points of its own, so the file has a row however soon the first watchtime payout comes.
    await (await runAs(page, 'mod_mia', '/points give alice_k 5')).locator('.cmd-resp', { hasText: 'alice_k' }).waitFor();
    await page.fill('#command-input', '/points export');
    await page.press('#command-input', 'Enter');
    const result = page.locator('#command-results .cmd', { hasText: '/points export' }).first();
    const file = result.locator('.file');
    await file.waitFor();
    const text = await file.locator('pre.file-text').innerText();
    expect(text.split(/\r?\n/u)[0]).toBe('kick_user_id,username,points,active_minutes');
    expect(text).toContain('alice_k');
    expect(await file.locator('.file-name').innerText()).toMatch(/kickcord-points-\d{4}-\d{2}-\d{2}\.csv/u);
    const href = await file.locator('a.file-download').getAttribute('href');
    const res = await fetch(new URL(href ?? '', sandbox!.consoleUrl));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="kickcord-points-/u);
    expect((await res.text()).trim()).toBe(text.trim());
  });

  it('imports a CSV picked in the console: the dry run says set or add, and Confirm applies it', async () => {
    const bobby = viewer('bobbybuilds');
    const csv = `kick_user_id,username,points,active_minutes\n${bobby.userId},${bobby.username},4242,7\n`;
    await page.setInputFiles('#command-file', { name: 'restore.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.locator('#attach-status', { hasText: 'attached restore.csv' }).waitFor();
    expect(await page.inputValue('#command-input')).toMatch(/^\/points import file:\d+ mode:set$/u);
    await page.press('#command-input', 'Enter');
    const dryRun = page.locator('#command-results .cmd', { hasText: '/points import' }).first();
    await dryRun.locator('.cmd-resp', { hasText: 'Dry run' }).waitFor();
    expect(await dryRun.innerText()).toMatch(/Mode set: 1 balance \(and active minutes\) will become the file's values/u);
    const confirm = dryRun.locator('button', { hasText: 'Confirm import' });
    expect(await confirm.isEnabled()).toBe(true);
    await confirm.click();
    await page.locator('#command-results .cmd', { hasText: 'Imported 1 row (mode set: balances set to the file)' }).first().waitFor();
    await page.locator('#leaderboard-points tbody tr', { hasText: bobby.username }).filter({ hasText: '4242' }).waitFor();

    // add mode is said as plainly
    await page.setInputFiles('#command-file', { name: 'more.csv', mimeType: 'text/csv', buffer: Buffer.from(`username,points\n${bobby.username},8\n`) });
    await page.locator('#attach-status', { hasText: 'attached more.csv' }).waitFor();
    const addLine = (await page.inputValue('#command-input')).replace('mode:set', 'mode:add');
    await page.fill('#command-input', addLine);
    await page.press('#command-input', 'Enter');
    const addRun = page.locator('#command-results .cmd').filter({ has: page.locator('.cmd-line', { hasText: addLine }) });
    await addRun.locator('.cmd-resp', { hasText: 'Dry run' }).waitFor();
    expect(await addRun.innerText()).toContain('Mode add: will add 8 points');
    await addRun.locator('button', { hasText: 'Cancel' }).click();
    await page.locator('#command-results .cmd', { hasText: 'Import cancelled' }).first().waitFor();
  });

  it('pages the leaderboards: ranks continue (ties share one) and Next/Prev move a page', async () => {
    const prisma = createPrismaClient(sandbox!.databaseUrl);
    try {
      // 24 viewers above everyone else (10,000 down by 50), pager_09 and pager_10 tied on rows 10 and 11: 3+ pages.
      const entries = Array.from({ length: 24 }, (_, i) => ({ guildId: guildId(), kickUserId: 900_000 + i, username: `pager_${String(i).padStart(2, '0')}`, kind: 'admin' as const, points: i === 10 ? 9550 : 10_000 - i * 50, minutes: 1, idempotencyKey: `console-test:${i}` }));
      await appendLedgerEntries(prisma, entries);
    } finally {
      await disconnectPrisma(prisma);
    }
    const pager = page.locator('#pager-points');
    const { pages, total } = (await state<{ leaderboard: { points: { pages: number; total: number } } }>()).leaderboard.points;
    expect(pages).toBe(Math.ceil(total / 10));
    expect(pages).toBeGreaterThanOrEqual(3);
    await pager.locator('.pageinfo', { hasText: `Page 1/${pages} · ${total} viewers` }).waitFor();
    expect(await pager.locator('.prev').isDisabled()).toBe(true);
    const rows = () => page.$$eval('#leaderboard-points tbody tr', (trs) => trs.map((r) => [r.querySelector('.rank')?.textContent, r.querySelector('.name')?.textContent]));
    expect((await rows()).map(([rank]) => rank)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    expect((await rows())[9]).toEqual(['10', 'pager_09']);
    await pager.locator('.next').click();
    await pager.locator('.pageinfo', { hasText: `Page 2/${pages}` }).waitFor();
    const second = await rows();
    expect(second[0]).toEqual(['10', 'pager_10']); // tied with pager_09 on page 1
    expect(second[1]).toEqual(['12', 'pager_11']);
    for (let p = 3; p <= pages; p++) {
      await pager.locator('.next').click();
      await pager.locator('.pageinfo', { hasText: `Page ${p}/${pages}` }).waitFor();
    }
    expect(await pager.locator('.next').isDisabled()).toBe(true);
    await pager.locator('.prev').click();
    await pager.locator('.pageinfo', { hasText: `Page ${pages - 1}/${pages}` }).waitFor();
  });

  it('keeps the chat pane following new messages after the window is resized, and pages older chat', async () => {
    const pane = '#kick-chat-pane';
    const say = async (content: string) => {
      const res = await fetch(`${sandbox!.consoleUrl}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ viewer: 'dana_plays', content }) });
      expect(res.status).toBe(200);
    };
    // Enough lines to scroll, and more than the 100 the pane shows at first.
    for (let i = 0; i < 110; i++) await say(`filler line ${i}`);
    await page.locator('#kick-chat .chat-line', { hasText: 'filler line 109' }).waitFor();
    await waitFor(() => atBottom(pane), { description: 'the chat pane at its bottom' });
    await page.setViewportSize({ width: 1400, height: 500 });
    await say('after the resize');
    await page.locator('#kick-chat .chat-line', { hasText: 'after the resize' }).waitFor();
    await waitFor(() => atBottom(pane), { description: 'the chat pane following after a resize' });
    await page.setViewportSize({ width: 1400, height: 900 });

    const older = page.locator('#chat-older');
    await older.waitFor();
    expect(await page.locator('#kick-chat .chat-line').count()).toBe(100);
    expect(await older.innerText()).toMatch(/Show older \(\d+ more\)/u);
    await older.click();
    await page.locator('#kick-chat .chat-line', { hasText: 'filler line 0' }).first().waitFor({ state: 'attached' });
    await waitFor(async () => (await older.isHidden()) ? true : undefined, { description: 'every chat line shown' });
  });

  it('links a Discord member to a Kick viewer: /link start in the Discord pane, !link CODE in Kick chat, then /link status', async () => {
    const start = await runAs(page, 'member_max', '/link start');
    const codeLine = start.locator('.cmd-resp.ephemeral', { hasText: '!link ' });
    await codeLine.waitFor();
    const code = /!link ([0-9A-Z]{4}-[0-9A-Z]{4})/u.exec(await codeLine.innerText())?.[1];
    expect(code, 'the code in the /link start answer').toBeDefined();
    expect(await start.locator('a.button.link', { hasText: 'Link with Kick' }).count()).toBe(1);

    await chatAs(page, 'bobbybuilds', `!link ${code}`);
    await page.locator('#kick-chat .chat-line.bot', { hasText: '@bobbybuilds ✅ your Kick account is now linked to your Discord account.' }).waitFor();
    // The bot edits the /link start answer, and the members view reads the link.
    await start.locator('.cmd-resp', { hasText: 'now linked to the Kick account bobbybuilds' }).waitFor();
    await page.locator('#members .member[data-member="member_max"] .member-kick', { hasText: 'bobbybuilds' }).waitFor();
    const status = await runAs(page, 'member_max', '/link status');
    expect(await status.locator('.cmd-resp.ephemeral', { hasText: 'linked to' }).innerText()).toMatch(/linked to bobbybuilds \(Kick id \d+\), linked .* with a code typed in Kick chat/u);
    expect(await page.locator('#kick-chat').innerText()).not.toContain(`link ${code}.`); // the bot never repeats the code
    await page.selectOption('#command-user', 'mod_mia');
  });

  it('shows a role appearing on a sub: Link with Kick (kick-sim sign-in as the viewer), Subscribe, and @Subscriber on the member', async () => {
    const start = await runAs(page, 'nova_member', '/link start');
    await page.selectOption('#chat-viewer', 'alice_k');
    await start.locator('button.kick-sign-in').click();
    const signIn = page.locator('#command-results .cmd', { hasText: 'signed in to Kick as alice_k' }).first();
    await signIn.locator('.page-title', { hasText: 'Linked to the Kick account alice_k (HTTP 200)' }).waitFor();
    const member = page.locator('#members .member[data-member="nova_member"]');
    await member.locator('.member-kick', { hasText: 'alice_k' }).waitFor();
    expect(await member.locator('.role-chip').allInnerTexts()).not.toContain('@Subscriber');

    await page.selectOption('#sub-viewer', 'alice_k');
    await page.click('#subscribe-button');
    await page.locator('#event-status', { hasText: 'channel.subscription.new for alice_k' }).waitFor();
    await member.locator('.role-chip', { hasText: '@Subscriber' }).waitFor();
    const snap = await state<{ guild: { roles: { id: string; name: string }[]; members: { username: string; roles: string[] }[] } }>();
    const subscriber = snap.guild.roles.find((r) => r.name === 'Subscriber');
    expect(snap.guild.members.find((m) => m.username === 'nova_member')?.roles).toContain(subscriber?.id);
    expect(snap.guild.members.find((m) => m.username === 'member_max')?.roles ?? []).not.toContain(subscriber?.id);
    await page.selectOption('#command-user', 'mod_mia');
  });

  it('sells a shop item in Kick chat and a moderator fulfils it from the redemption queue in the Discord pane', async () => {
    const give = await runAs(page, 'mod_mia', '/points give charlie_gg 100');
    await give.locator('.cmd-resp', { hasText: 'charlie_gg' }).waitFor();
    await chatAs(page, 'charlie_gg', '!redeem hydrate');
    await page.locator('#kick-chat .chat-line.bot', { hasText: '@charlie_gg you redeemed hydrate for 50 points' }).waitFor();

    await page.locator('#channel-tabs button[data-channel="redemptions"]').click();
    const queued = page.locator('#discord-messages .dmsg', { hasText: '🛒 hydrate' }).filter({ hasText: 'charlie_gg' });
    await queued.locator('.embed', { hasText: 'Waiting for a moderator' }).waitFor();
    expect(await queued.locator('button').allInnerTexts()).toEqual(['Fulfil', 'Refund']);
    await queued.locator('button', { hasText: 'Fulfil' }).click();
    await queued.locator('.embed', { hasText: 'Fulfilled by @mod_mia' }).waitFor();
    expect(await queued.locator('button').count()).toBe(0);
    expect(await queued.innerText()).toContain('Paid 50 points');
    expect(pageErrors).toEqual([]);
  });

  it('ends the stream through kick-sim (livestream.status.updated, is_live false) and can go live again', async () => {
    const toggle = page.locator('#stream-toggle');
    expect(await toggle.innerText()).toContain('End stream');
    await toggle.click();
    await page.locator('#stream-status .pill', { hasText: 'OFFLINE' }).waitFor();
    await page.locator('#channel-tabs button[data-channel="announcements"]').click();
    const offline = page.locator('#discord-messages .dmsg', { hasText: 'went offline after' }).first();
    await offline.waitFor();
    expect(await offline.innerText()).not.toMatch(/\d{3,}h/u);
    await page.locator('#stream-toggle', { hasText: 'Go live' }).click();
    await page.locator('#stream-status .pill', { hasText: 'LIVE' }).waitFor();
    expect(pageErrors).toEqual([]);
  });
});
