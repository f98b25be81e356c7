/**
 * The dashboard's Loyalty and Viewers pages, end to end: settings and points changes go through `guild-actions` to
 * the bot, which runs the code `/loyalty settings` and `/points give|take|set` run (validation, texts, ledger keys,
 * audit). A manager changes a rate and gives points with a reason in headless Chromium; over HTTP: the slash
 * command's refusal texts, a double submit that changes points once, audit entries from the dashboard, a member
 * refused, and another server's viewer never shown.
 */
import { appendLedgerEntries } from '@kickcord/db';
import { waitFor } from '@kickcord/queue';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserLogin, launchChromium, loginDashboard, type DashboardClient } from './helpers/dashboard.ts';
import { startTestStack, type TestStack } from './helpers/harness.ts';

let stack: TestStack;
let browser: Browser;
let mod: DashboardClient;
let guildB: string;
const viewer: Record<'alice' | 'alfred' | 'alan' | 'bob' | 'carol' | 'shared' | 'bonly', { userId: number; username: string }> = {} as never;

const loyaltyPage = () => `/dashboard/${stack.guild.id}/loyalty`;
const viewersPage = () => `/dashboard/${stack.guild.id}/viewers`;
const detailPage = (userId: number) => `${viewersPage()}/${userId}`;

/** Page text as a person reads it: entities decoded. */
function decode(body: string): string {
  return body.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n))).replace(/&amp;/g, '&');
}

async function balance(guildId: string, kickUserId: number): Promise<number> {
  return (await stack.db.prisma.viewerStats.findUnique({ where: { guildId_kickUserId: { guildId, kickUserId } } }))?.points ?? 0;
}

/** Every field the Loyalty form sends, with the stored values. */
async function storedForm(): Promise<Record<string, string>> {
  const s = await stack.db.prisma.guildSettings.findUniqueOrThrow({ where: { guildId: stack.guild.id } });
  const keys = ['activityWindowMinutes', 'pointsPerMinute', 'subscriberMultiplier', 'maxMinutesPerStream', 'maxPointsPerDay', 'followBonus', 'subBonus', 'renewalBonus', 'giftBonusPerSub', 'kicksBonusPerUnit'] as const;
  return { ...Object.fromEntries(keys.map((k) => [k, String(s[k])])), commandPrefix: s.commandPrefix, excludedUsernames: s.excludedUsernames.join('\n') };
}

/** The page must not scroll sideways at its width. */
async function expectNoSidewaysScroll(tab: Page): Promise<void> {
  // A string, evaluated in the page: the test files are compiled without the DOM's types.
  const { scroll, width } = await tab.evaluate<{ scroll: number; width: number }>('({ scroll: document.documentElement.scrollWidth, width: window.innerWidth })');
  expect(scroll).toBeLessThanOrEqual(width);
}

beforeAll(async () => {
  [stack, browser] = await Promise.all([startTestStack({ dashboard: true }), launchChromium()]);
  mod = await loginDashboard(stack);
  // A second server the bot is in (the moderator is not a member): its viewers must never show in the demo guild.
  guildB = String(100000000000000000n + BigInt(Math.floor(Math.random() * 1e12)));
  stack.discord.addGuild({ id: guildB, name: 'Elsewhere', channels: [{ name: 'general' }], members: [{ id: '300000000000000001', username: 'them' }] });
  await waitFor(() => stack.db.prisma.guild.findUnique({ where: { id: guildB } }), { description: 'guild B to be created', timeoutMs: 15_000 });
  viewer.alice = stack.createViewer('dl_alice');
  viewer.alfred = stack.createViewer('dl_alfred');
  viewer.alan = stack.createViewer('dlxalan');
  viewer.bob = stack.createViewer('dl_bob');
  viewer.carol = stack.createViewer('dl_carol');
  viewer.shared = stack.createViewer('dl_shared');
  viewer.bonly = stack.createViewer('dl_bonly');
  const seed = (guildId: string, v: { userId: number; username: string }, points: number, minutes: number, reason: string) => ({
    guildId,
    kickUserId: v.userId,
    username: v.username,
    kind: 'admin' as const,
    points,
    minutes,
    idempotencyKey: `seed:${v.userId}`,
    reason,
  });
  await appendLedgerEntries(stack.db.prisma, [
    seed(stack.guild.id, viewer.alice, 300, 65, 'welcome gift'),
    seed(stack.guild.id, viewer.alfred, 100, 10, 'seed'),
    seed(stack.guild.id, viewer.alan, 50, 5, 'seed'),
    seed(stack.guild.id, viewer.bob, 200, 20, 'seed'),
    seed(stack.guild.id, viewer.carol, 80, 8, 'seed'),
    seed(stack.guild.id, viewer.shared, 10, 1, 'seed in A'),
    seed(guildB, viewer.shared, 9_999, 999, 'seed in B'),
    seed(guildB, viewer.bonly, 4_321, 43, 'only in B'),
  ]);
}, 120_000);
afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await stack?.close();
});

describe('dashboard → loyalty and viewers', () => {
  it('in Chromium: changes a rate and sees it saved; the page fits a 390 px screen', async () => {
    const before = await stack.db.prisma.guildSettings.findUniqueOrThrow({ where: { guildId: stack.guild.id } });
    const rate = before.pointsPerMinute === 7 ? 8 : 7;
    const tab = await browserLogin(browser, stack, 'mod', { width: 390, height: 844 });
    await tab.goto(`${stack.web.url}${loyaltyPage()}`);
    await expectNoSidewaysScroll(tab);
    expect(await tab.getByLabel('Subscriber multiplier').inputValue()).toBe(String(before.subscriberMultiplier));
    await tab.getByLabel('Points per active minute').fill(String(rate));
    await tab.getByRole('button', { name: 'Save' }).click();
    await tab.getByText('Updated: points per minute.').waitFor();
    expect(await tab.getByLabel('Points per active minute').inputValue()).toBe(String(rate));
    expect((await stack.db.prisma.guildSettings.findUniqueOrThrow({ where: { guildId: stack.guild.id } })).pointsPerMinute).toBe(rate);
    expect(await stack.run('/loyalty settings')).toContain(`Points per minute: ${rate}`);
    await tab.close();
  });

  it('in Chromium: searches a viewer, opens their history, gives points with a reason, and sees the new balance and the ledger line', async () => {
    const start = await balance(stack.guild.id, viewer.alice.userId);
    const tab = await browserLogin(browser, stack, 'mod', { width: 390, height: 844 });
    await tab.goto(`${stack.web.url}${viewersPage()}`);
    await tab.getByLabel('Kick username starts with').fill('DL_AL');
    await tab.getByRole('button', { name: 'Search' }).click();
    const results = tab.getByRole('region', { name: 'Search results' });
    await results.getByRole('link', { name: 'dl_alfred' }).waitFor();
    // Prefix and case-insensitive; "_" is a letter of the name, not a wildcard.
    expect(await results.getByRole('link').allInnerTexts()).toEqual(['dl_alfred', 'dl_alice']);
    await expectNoSidewaysScroll(tab);
    await results.getByRole('link', { name: 'dl_alice' }).click();
    await tab.getByRole('heading', { name: 'dl_alice' }).waitFor();
    const history = tab.locator('#history');
    expect(await history.innerText()).toContain('welcome gift');
    await tab.getByLabel('Change').selectOption({ label: 'Give points' });
    await tab.getByLabel('Amount').fill('50');
    await tab.getByLabel('Reason').fill('great clip');
    await tab.getByRole('button', { name: 'Apply' }).click();
    await tab.getByText(`balance now ${(start + 50).toLocaleString('en-US')}`).waitFor();
    expect(await tab.locator('[data-balance]').innerText()).toBe((start + 50).toLocaleString('en-US'));
    const newest = history.locator('tbody tr').first();
    expect(await newest.innerText()).toMatch(/Moderator change[\s\S]*\+50[\s\S]*great clip/);
    await expectNoSidewaysScroll(tab);
    // The same balance, watch time and ranks as /points show.
    const shown = await stack.run(`/points show user:${viewer.alice.username}`);
    const points = /Points: ([\d,]+ \(rank #\d+\))/.exec(shown)?.[1];
    const watch = /Watchtime: (.+? \(rank #\d+\))/.exec(shown)?.[1];
    expect(watch).toBe('1h 05m (rank #1)');
    expect(points).toBe(`${(start + 50).toLocaleString('en-US')} (rank #1)`);
    const totals = await tab.locator('section[aria-labelledby="totals-h"]').innerText();
    expect(totals).toContain(`Points: ${points}`);
    expect(totals).toContain(`Watch time: ${watch}`);
    await tab.close();
  });

  it('refuses an invalid setting with the slash command’s own words, keeps what was typed, and changes nothing', async () => {
    const before = await stack.db.prisma.guildSettings.findUniqueOrThrow({ where: { guildId: stack.guild.id } });
    const slash = await stack.run('/loyalty settings sub_multiplier:1.333 prefix:ab');
    const reasons = slash.split('\n').filter((l) => l.startsWith('• '));
    expect(reasons).toHaveLength(2);
    const res = await mod.post(loyaltyPage(), { ...(await storedForm()), subscriberMultiplier: '1.333', commandPrefix: 'ab', pointsPerMinute: 'lots' }, { csrfFrom: loyaltyPage() });
    expect(res.status).toBe(400);
    const text = decode(res.body);
    expect(text).toContain('Nothing was changed:');
    for (const reason of reasons) expect(text).toContain(reason);
    expect(text).toContain('Points per minute must be a number (got "lots").');
    expect(text).toContain('value="1.333"');
    expect(text).toContain('value="ab"');
    expect(text).toContain('value="lots"');
    const after = await stack.db.prisma.guildSettings.findUniqueOrThrow({ where: { guildId: stack.guild.id } });
    expect(after).toMatchObject({ subscriberMultiplier: before.subscriberMultiplier, commandPrefix: before.commandPrefix, pointsPerMinute: before.pointsPerMinute });
  });

  it('saves settings from the dashboard with an audit entry (source dashboard) and the excluded accounts as typed', async () => {
    const form = await storedForm();
    const kicks = Number(form.kicksBonusPerUnit) + 3;
    const res = await mod.post(loyaltyPage(), { ...form, kicksBonusPerUnit: String(kicks), excludedUsernames: '@Alt_Account\nother_bot, other_bot' }, { csrfFrom: loyaltyPage() });
    expect(res.status, res.body).toBe(303);
    expect(decode((await mod.get(res.location ?? '')).body)).toContain('Updated: excluded accounts, bonus per Kick.');
    const s = await stack.db.prisma.guildSettings.findUniqueOrThrow({ where: { guildId: stack.guild.id } });
    expect(s).toMatchObject({ kicksBonusPerUnit: kicks, excludedUsernames: ['alt_account', 'other_bot'] });
    const audit = await stack.db.prisma.auditLogEntry.findFirst({ where: { guildId: stack.guild.id, action: 'loyalty.settings', source: 'dashboard' }, orderBy: { createdAt: 'desc' } });
    expect(audit).toMatchObject({ actorId: stack.moderatorId, actorName: 'mod' });
    expect(audit?.detail).toEqual({ excludedUsernames: { from: form.excludedUsernames ? form.excludedUsernames.split('\n') : [], to: ['alt_account', 'other_bot'] }, kicksBonusPerUnit: { from: kicks - 3, to: kicks } });
    // Saving the same values again changes nothing and records nothing.
    const count = await stack.db.prisma.auditLogEntry.count({ where: { guildId: stack.guild.id, action: 'loyalty.settings' } });
    const again = await mod.post(loyaltyPage(), await storedForm(), { csrfFrom: loyaltyPage() });
    expect(again.status).toBe(303);
    expect(decode((await mod.get(again.location ?? '')).body)).toContain('Nothing changed');
    expect(await stack.db.prisma.auditLogEntry.count({ where: { guildId: stack.guild.id, action: 'loyalty.settings' } })).toBe(count);
  });

  it('a double-submitted give changes points once, with one ledger line and one audit entry from the dashboard', async () => {
    const start = await balance(stack.guild.id, viewer.bob.userId);
    const requestId = `double-give-${Date.now()}`;
    const post = () => mod.post(`${detailPage(viewer.bob.userId)}/points`, { op: 'give', amount: '25', reason: 'double click' }, { csrfFrom: detailPage(viewer.bob.userId), requestId });
    // The session's CSRF token exists before the two submits (two first page loads at once would each make one).
    await mod.csrf(detailPage(viewer.bob.userId));
    const [a, b] = await Promise.all([post(), post()]);
    expect([a.status, b.status]).toEqual([303, 303]);
    expect(await balance(stack.guild.id, viewer.bob.userId)).toBe(start + 25);
    const again = await post();
    expect(again.status).toBe(303);
    expect(await balance(stack.guild.id, viewer.bob.userId)).toBe(start + 25);
    const lines = await stack.db.prisma.pointsLedger.findMany({ where: { guildId: stack.guild.id, kickUserId: viewer.bob.userId, reason: 'double click' } });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ kind: 'admin', points: 25, actorDiscordId: stack.moderatorId });
    const audits = await stack.db.prisma.auditLogEntry.findMany({ where: { guildId: stack.guild.id, action: 'points.adjust', source: 'dashboard' } });
    const mine = audits.filter((e) => (e.detail as { reason?: string }).reason === 'double click');
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ actorId: stack.moderatorId });
    expect(mine[0]?.detail).toMatchObject({ viewer: viewer.bob.username, op: 'give', amount: 25, balance: { from: start, to: start + 25 } });
  });

  it('take and set from the dashboard: more than the balance is refused with the slash command’s words; a set is audited', async () => {
    const start = await balance(stack.guild.id, viewer.carol.userId);
    const slash = await stack.run(`/points take user:${viewer.carol.username} amount:${start + 1}`);
    const refusal = slash.replace(/^⚠️ /u, '');
    expect(refusal).toContain(`has only ${start} points`);
    const res = await mod.post(`${detailPage(viewer.carol.userId)}/points`, { op: 'take', amount: String(start + 1), reason: 'too much' }, { csrfFrom: detailPage(viewer.carol.userId) });
    expect(res.status).toBe(400);
    expect(decode(res.body).replace(/<\/?code>/g, '`')).toContain(refusal);
    expect(decode(res.body)).toContain('value="too much"');
    expect(await balance(stack.guild.id, viewer.carol.userId)).toBe(start);
    const bad = await mod.post(`${detailPage(viewer.carol.userId)}/points`, { op: 'give', amount: '0', reason: '' }, { csrfFrom: detailPage(viewer.carol.userId) });
    expect(bad.status).toBe(400);
    expect(decode(bad.body)).toContain('Amount must be a whole number from 1 to 1,000,000,000.');
    const set = await mod.post(`${detailPage(viewer.carol.userId)}/points`, { op: 'set', amount: '5', reason: '' }, { csrfFrom: detailPage(viewer.carol.userId) });
    expect(set.status).toBe(303);
    expect(await balance(stack.guild.id, viewer.carol.userId)).toBe(5);
    const line = await stack.db.prisma.pointsLedger.findFirst({ where: { guildId: stack.guild.id, kickUserId: viewer.carol.userId }, orderBy: { id: 'desc' } });
    expect(line).toMatchObject({ points: 5 - start, reason: 'Balance set by @mod' });
    const audit = await stack.db.prisma.auditLogEntry.findFirst({ where: { guildId: stack.guild.id, action: 'points.adjust', source: 'dashboard' }, orderBy: { createdAt: 'desc' } });
    expect(audit?.detail).toMatchObject({ viewer: viewer.carol.username, op: 'set', balance: { from: start, to: 5 } });
    // Back to where it was, so the test can run again on the same stack.
    await stack.run(`/points set user:${viewer.carol.username} amount:${start}`);
  });

  it('the slash commands still record who changed what, from Discord', async () => {
    const start = await balance(stack.guild.id, viewer.alfred.userId);
    expect(await stack.run(`/points give user:${viewer.alfred.username} amount:5 reason:"from discord"`)).toContain(`balance now ${start + 5}`);
    const audit = await stack.db.prisma.auditLogEntry.findFirst({ where: { guildId: stack.guild.id, action: 'points.adjust', source: 'discord' }, orderBy: { createdAt: 'desc' } });
    expect(audit).toMatchObject({ actorId: stack.moderatorId });
    expect(audit?.detail).toMatchObject({ viewer: viewer.alfred.username, op: 'give', amount: 5, reason: 'from discord' });
    await stack.run(`/points take user:${viewer.alfred.username} amount:5`);
    expect(await balance(stack.guild.id, viewer.alfred.userId)).toBe(start);
  });

  it('a member without Manage Server or a manager role is refused on every page and form', async () => {
    const start = await balance(stack.guild.id, viewer.bob.userId);
    const member = await loginDashboard(stack, stack.memberId);
    for (const path of [loyaltyPage(), viewersPage(), detailPage(viewer.bob.userId)]) expect((await member.get(path)).status, path).toBe(403);
    const csrf = await member.csrf('/dashboard');
    const send = (path: string, fields: Record<string, string>) =>
      fetch(`${stack.web.url}${path}`, { method: 'POST', redirect: 'manual', headers: { cookie: member.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: csrf, _request: `member-${Date.now()}-0001`, ...fields }).toString() });
    expect((await send(`${detailPage(viewer.bob.userId)}/points`, { op: 'give', amount: '1000' })).status).toBe(403);
    expect((await send(loyaltyPage(), { pointsPerMinute: '999' })).status).toBe(403);
    expect(await balance(stack.guild.id, viewer.bob.userId)).toBe(start);
    expect((await stack.db.prisma.guildSettings.findUniqueOrThrow({ where: { guildId: stack.guild.id } })).pointsPerMinute).not.toBe(999);
  });

  it("never shows or changes another server's viewer", async () => {
    const search = decode((await mod.get(`${viewersPage()}?q=dl_`)).body);
    expect(search).toContain('dl_shared');
    expect(search).not.toContain('dl_bonly');
    expect(decode((await mod.get(`${viewersPage()}?q=dl_b`)).body)).not.toContain('dl_bonly');
    const all = decode((await mod.get(viewersPage())).body);
    expect(all).not.toContain('dl_bonly');
    const detail = await mod.get(detailPage(viewer.bonly.userId));
    expect(detail.status).toBe(404);
    expect(detail.body).not.toContain('dl_bonly');
    expect(detail.body).not.toContain('4,321');
    const give = await mod.post(`${detailPage(viewer.bonly.userId)}/points`, { op: 'give', amount: '10', reason: 'sneaky' }, { csrfFrom: viewersPage() });
    expect(give.status).toBe(404);
    expect(await balance(guildB, viewer.bonly.userId)).toBe(4_321);
    expect(await balance(stack.guild.id, viewer.bonly.userId)).toBe(0);
    // A viewer in both servers shows this server's numbers only.
    const shared = decode((await mod.get(detailPage(viewer.shared.userId))).body);
    expect(shared).toContain('seed in A');
    expect(shared).not.toContain('seed in B');
    expect(shared).not.toContain('9,999');
  });

  it('pages a long history, newest first', async () => {
    const v = stack.createViewer('dl_pager');
    await appendLedgerEntries(
      stack.db.prisma,
      Array.from({ length: 30 }, (_, i) => ({ guildId: stack.guild.id, kickUserId: v.userId, username: v.username, kind: 'admin' as const, points: 1, idempotencyKey: `pager:${v.userId}:${i}`, reason: `line ${String(i).padStart(2, '0')}` })),
    );
    // Rows written in one statement share a time: the newest is the last written (highest id).
    const first = decode((await mod.get(detailPage(v.userId))).body);
    expect(first).toContain('line 29');
    expect(first).toContain('line 05');
    expect(first).not.toContain('line 04');
    expect(first.indexOf('line 29')).toBeLessThan(first.indexOf('line 28'));
    expect(first).toContain('Older →');
    const second = decode((await mod.get(`${detailPage(v.userId)}?page=2`)).body);
    expect(second).toContain('line 04');
    expect(second).toContain('line 00');
    expect(second).not.toContain('line 05');
    expect(second).toContain('← Newer');
  });
});
