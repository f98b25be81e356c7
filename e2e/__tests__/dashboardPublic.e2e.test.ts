/**
 * The dashboard's "Public pages" tab, end to end: the switches go through `guild-actions` to the bot's
 * `public.settings` action (audit entry, settings cache dropped), and the public leaderboard and command list
 * pages — and `!commands` in Kick chat — follow at once. A manager turns the leaderboard off and on in headless
 * Chromium; members who are not managers and other servers are refused.
 */
import { waitFor } from '@kickcord/queue';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserLogin, launchChromium, loginDashboard, type DashboardClient } from './helpers/dashboard.ts';
import { startTestStack, type TestStack } from './helpers/harness.ts';

let stack: TestStack;
let browser: Browser;
let mod: DashboardClient;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startTestStack({ dashboard: true }), launchChromium()]);
  mod = await loginDashboard(stack);
  await stack.db.prisma.viewerStats.create({ data: { guildId: stack.guild.id, kickUserId: 9_100_001, username: 'public_top', points: 777_001, activeMinutes: 6_543 } });
  await stack.db.prisma.chatCommand.createMany({
    data: [
      { guildId: stack.guild.id, name: 'socials', response: 'x', createdByDiscordId: stack.moderatorId },
      { guildId: stack.guild.id, name: 'modnotes', response: 'x', publicListed: false, createdByDiscordId: stack.moderatorId },
    ],
  });
}, 120_000);
afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await stack?.close();
});

const tab = () => `/dashboard/${stack.guild.id}/public`;
const leaderboardUrl = () => `${stack.web.url}/leaderboard/${stack.guild.id}`;
const commandListUrl = () => `${stack.web.url}/c/${stack.streamer.username.toLowerCase()}/commands`;
const all = { leaderboard: 'on', leaderboardPoints: 'on', leaderboardWatchtime: 'on', commandList: 'on' };

async function publicSwitches() {
  return stack.db.prisma.guildSettings.findUnique({
    where: { guildId: stack.guild.id },
    select: { publicLeaderboard: true, publicLeaderboardPoints: true, publicLeaderboardWatchtime: true, publicCommandList: true },
  });
}

/** Saves the switches through the dashboard as the manager (a box left out is unticked). */
async function save(fields: Record<string, string>): Promise<void> {
  const res = await mod.post(tab(), fields, { csrfFrom: tab() });
  expect(res.status, res.body).toBe(303);
}

const auditCount = () => stack.db.prisma.auditLogEntry.count({ where: { guildId: stack.guild.id, action: 'public.settings' } });

/** Sends a chat message on the production path and returns the bot's reply to it. */
async function reply(user: { userId: number }, content: string): Promise<string> {
  const sent = await stack.kick.sendChat(stack.streamer.userId, user.userId, content);
  const answer = await stack.kick.waitForChat(stack.streamer.userId, (m) => m.type === 'bot' && m.replyToMessageId === sent.messageId, 15_000);
  return answer.content;
}

describe('dashboard → public pages', () => {
  it('shows the switches with the public addresses, and what the command list leaves out', async () => {
    await save(all);
    const page = await mod.get(tab());
    expect(page.status).toBe(200);
    expect(page.body).toContain(`href="${leaderboardUrl().replace(/\//g, '&#47;').replace(/=/g, '&#61;')}"`);
    expect(page.body).toContain(`href="${commandListUrl().replace(/\//g, '&#47;').replace(/=/g, '&#61;')}"`);
    for (const name of Object.keys(all)) expect(page.body).toMatch(new RegExp(`<input type="checkbox" id="pub-${name}" name="${name}" value="on" checked`));
    expect(page.body).toContain('<label for="pub-leaderboard">');
    expect(page.body).toContain('<code>!modnotes</code>');
    expect(page.body).not.toContain('<code>!socials</code>');
  });

  it('hides the points column through the bot: the settings row, an audit entry from the dashboard, and the public page follow', async () => {
    await save(all);
    const audits = await auditCount();
    const res = await mod.post(tab(), { leaderboard: 'on', leaderboardWatchtime: 'on', commandList: 'on' }, { csrfFrom: tab() });
    expect(res.status, res.body).toBe(303);
    expect(res.location).toBe(tab());
    const after = await mod.get(tab());
    expect(after.body).toContain('Saved the public pages.');
    expect(after.body).toContain('showing ranks and names with watch time');
    expect(after.body).toMatch(/<input type="checkbox" id="pub-leaderboardPoints" name="leaderboardPoints" value="on">/);
    expect(await publicSwitches()).toEqual({ publicLeaderboard: true, publicLeaderboardPoints: false, publicLeaderboardWatchtime: true, publicCommandList: true });
    const audit = await stack.db.prisma.auditLogEntry.findFirst({ where: { guildId: stack.guild.id, action: 'public.settings' }, orderBy: { createdAt: 'desc' } });
    expect(audit).toMatchObject({ actorId: stack.moderatorId, source: 'dashboard' });
    expect(audit?.detail).toEqual({ leaderboardPoints: { from: true, to: false } });

    const board = await fetch(leaderboardUrl());
    expect(board.status).toBe(200);
    const html = await board.text();
    expect(html).toContain('public_top');
    expect(html).toContain('6,543');
    expect(html).not.toContain('777,001');
    expect(html).not.toContain('>Points<');

    // Saving the same switches again changes nothing and records nothing.
    const again = await mod.post(tab(), { leaderboard: 'on', leaderboardWatchtime: 'on', commandList: 'on' }, { csrfFrom: tab() });
    expect(again.status).toBe(303);
    expect((await mod.get(tab())).body).toContain('Nothing changed: the public pages were already set this way.');
    expect(await auditCount()).toBe(audits + 1);
  });

  it('command list off: its page answers 404 and !commands in Kick chat says so at once instead of linking; back on, it links again', async () => {
    await save(all);
    const link = `Commands, who may use them, cooldowns and costs: ${commandListUrl().replace(stack.web.url, stack.env.PUBLIC_URL)}`;
    // This reply puts the guild's settings in the chat path's cache (kept for a minute unless dropped).
    expect(await reply(stack.createViewer('public_viewer_0'), '!commands')).toBe(link);
    await save({ ...all, commandList: '' });
    const page = await fetch(commandListUrl());
    expect(page.status).toBe(404);
    expect(await page.text()).toContain('This command list is not public');
    // The chat path reads cached guild settings: the action dropped the cached copy, so the first !commands follows.
    expect(await reply(stack.createViewer('public_viewer_a'), '!commands')).toBe('The command list of this channel is not public.');

    await save(all);
    expect((await fetch(commandListUrl())).status).toBe(200);
    expect(await reply(stack.createViewer('public_viewer_b'), '!commands')).toBe(link);
  });

  it("refuses a switch that is neither ticked nor unticked with the bot's own words, keeps what was ticked, and changes nothing", async () => {
    const before = await publicSwitches();
    const res = await mod.post(tab(), { leaderboard: 'maybe', leaderboardPoints: 'on', commandList: 'on' }, { csrfFrom: tab() });
    expect(res.status).toBe(400);
    expect(res.body).toContain('leaderboard: Say whether the public leaderboard is on or off (true or false).');
    expect(res.body).toMatch(/id="pub-leaderboardPoints" name="leaderboardPoints" value="on" checked/);
    expect(res.body).toMatch(/id="pub-leaderboardWatchtime" name="leaderboardWatchtime" value="on">/);
    expect(await publicSwitches()).toEqual(before);
  });

  it("refuses another server's public pages: its settings stay as they are", async () => {
    const elsewhere = stack.discord.addGuild({ name: 'Elsewhere', channels: [{ name: 'general' }], members: [{ id: '200000000000000099', username: 'them' }] });
    await waitFor(() => stack.db.prisma.guild.findUnique({ where: { id: elsewhere.id } }), { description: 'the other guild to be created by guild sync' });
    const res = await mod.post(`/dashboard/${elsewhere.id}/public`, { leaderboard: '' }, { csrfFrom: tab() });
    expect([403, 404]).toContain(res.status);
    expect((await mod.get(`/dashboard/${elsewhere.id}/public`)).status).toBe(res.status);
    const theirs = await stack.db.prisma.guildSettings.findUnique({ where: { guildId: elsewhere.id }, select: { publicLeaderboard: true } });
    expect(theirs?.publicLeaderboard ?? true).toBe(true);
    expect(await stack.db.prisma.auditLogEntry.count({ where: { guildId: elsewhere.id } })).toBe(0);
  });

  it('a member without Manage Server or a manager role is refused on GET and POST', async () => {
    const before = await publicSwitches();
    const member = await loginDashboard(stack, stack.memberId);
    expect((await member.get(tab())).status).toBe(403);
    const csrf = await member.csrf('/dashboard');
    const body = new URLSearchParams({ _csrf: csrf, _request: 'member-public-refused-01', leaderboard: '', commandList: '' });
    const res = await fetch(`${stack.web.url}${tab()}`, { method: 'POST', redirect: 'manual', headers: { cookie: member.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() });
    expect(res.status).toBe(403);
    expect(await publicSwitches()).toEqual(before);
    expect(await stack.db.prisma.auditLogEntry.count({ where: { guildId: stack.guild.id, action: 'public.settings', actorId: stack.memberId } })).toBe(0);
  });

  it('in Chromium at 390 px: the manager turns the leaderboard off (its address answers 404, not public) and on again', async () => {
    await save(all);
    const page = await browserLogin(browser, stack, 'mod', { width: 390, height: 844 });
    await page.goto(`${stack.web.url}/dashboard/${stack.guild.id}`);
    await page.getByRole('link', { name: 'Public pages' }).click();
    await page.getByRole('heading', { name: 'Public pages' }).waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    const toggle = page.getByLabel('Show the leaderboard on the web');
    expect(await toggle.isChecked()).toBe(true);
    await toggle.uncheck();
    await page.getByRole('button', { name: 'Save public pages' }).click();
    await page.getByText('Leaderboard: not public').first().waitFor();
    expect(await page.getByLabel('Show the leaderboard on the web').isChecked()).toBe(false);
    expect((await publicSwitches())?.publicLeaderboard).toBe(false);
    expect((await fetch(leaderboardUrl())).status).toBe(404);

    // The address on the tab is a link: a visitor following it is told the leaderboard is not public.
    const [visit] = await Promise.all([page.waitForResponse(leaderboardUrl()), page.getByRole('link', { name: leaderboardUrl() }).click()]);
    expect(visit.status()).toBe(404);
    await page.getByRole('heading', { name: 'This leaderboard is not public' }).waitFor();

    await page.goto(`${stack.web.url}${tab()}`);
    await page.getByLabel('Show the leaderboard on the web').check();
    await page.getByRole('button', { name: 'Save public pages' }).click();
    await page.getByText('Leaderboard: public, showing ranks and names').first().waitFor();
    expect((await fetch(leaderboardUrl())).status).toBe(200);
    const audit = await stack.db.prisma.auditLogEntry.findFirst({ where: { guildId: stack.guild.id, action: 'public.settings' }, orderBy: { createdAt: 'desc' } });
    expect(audit).toMatchObject({ actorId: stack.moderatorId, source: 'dashboard', detail: { leaderboard: { from: false, to: true } } });
    await page.close();
  });
});
