/**
 * The dashboard's Kick channels (Overview: watch, unwatch, disconnect) and the leaderboard exclude list (Viewers page),
 * end to end: each change goes through `guild-actions` to the bot, which runs the code `/kick watch|unwatch|disconnect`
 * and `/leaderboard-exclude add|remove` run (texts, subscriptions, caches, audit). In headless Chromium a manager
 * watches a second kick-sim channel, sees its subscriptions, gets its go-live announced and unwatches it, and excludes
 * a viewer who then is gone from `/leaderboard`; over HTTP: the slash commands' refusal texts, disconnect with its
 * audit entry, another server's channels and viewers refused, and a member without rights refused.
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
const viewer: Record<'top' | 'second' | 'third' | 'bonly', { userId: number; username: string }> = {} as never;
const channel: Record<'watched' | 'other' | 'bonly', { userId: number; username: string }> = {} as never;

const overview = () => `/dashboard/${stack.guild.id}`;
const viewersPage = () => `/dashboard/${stack.guild.id}/viewers`;
const detailPage = (userId: number) => `${viewersPage()}/${userId}`;

/** What a person reads on a page: tags dropped, entities decoded, spaces collapsed. */
function visible(body: string): string {
  return body
    .replace(/<[^>]+>/g, '')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

/** A slash command's refusal as the dashboard shows it: without the warning sign and Discord's markdown. */
function slashRefusal(text: string): string {
  return text.replace(/^⚠️ /u, '').replace(/\*\*|`/g, '').replace(/\s+/g, ' ');
}

async function expectNoSidewaysScroll(tab: Page): Promise<void> {
  // A string, evaluated in the page: the e2e project has no DOM types.
  expect(await tab.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(await tab.evaluate<number>('window.innerWidth'));
}

async function excluded(guildId: string, kickUserId: number) {
  return stack.db.prisma.leaderboardExclusion.findUnique({ where: { guildId_kickUserId: { guildId, kickUserId } } });
}

beforeAll(async () => {
  [stack, browser] = await Promise.all([startTestStack({ dashboard: true }), launchChromium()]);
  mod = await loginDashboard(stack);
  // A second server the bot is in (the moderator is not a member): its channels and viewers are never changed from here.
  guildB = String(100000000000000000n + BigInt(Math.floor(Math.random() * 1e12)));
  stack.discord.addGuild({ id: guildB, name: 'Elsewhere', channels: [{ name: 'general' }], members: [{ id: '300000000000000001', username: 'them' }] });
  await waitFor(() => stack.db.prisma.guild.findUnique({ where: { id: guildB } }), { description: 'guild B to be created', timeoutMs: 15_000 });
  channel.watched = stack.kick.createUser({ username: 'dcwatched' });
  channel.other = stack.kick.createUser({ username: 'dcother' });
  channel.bonly = stack.kick.createUser({ username: 'dcbonly' });
  viewer.top = stack.createViewer('dc_top');
  viewer.second = stack.createViewer('dc_second');
  viewer.third = stack.createViewer('dc_third');
  viewer.bonly = stack.createViewer('dc_bonly');
  const seed = (guildId: string, v: { userId: number; username: string }, points: number) => ({ guildId, kickUserId: v.userId, username: v.username, kind: 'admin' as const, points, minutes: 1, idempotencyKey: `dc-seed:${guildId}:${v.userId}`, reason: 'seed' });
  await appendLedgerEntries(stack.db.prisma, [seed(stack.guild.id, viewer.top, 900), seed(stack.guild.id, viewer.second, 500), seed(stack.guild.id, viewer.third, 100), seed(guildB, viewer.bonly, 700)]);
  // Guild B watches a channel of its own.
  await stack.db.prisma.kickChannel.create({ data: { broadcasterUserId: channel.bonly.userId, slug: 'dcbonly', displayName: 'dcbonly' } });
  await stack.db.prisma.guildChannelLink.create({ data: { guildId: guildB, broadcasterUserId: channel.bonly.userId, kind: 'watch', createdByDiscordId: '300000000000000001' } });
}, 120_000);
afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await stack?.close();
});

describe('dashboard → Kick channels on the Overview', () => {
  it('in Chromium: watches a second channel, lists its subscriptions, announces its go-live, and unwatches it', async () => {
    expect(await stack.run('/announce set live #announcements')).toContain('announcements will be posted in');
    const tab = await browserLogin(browser, stack);
    await tab.goto(`${stack.web.url}${overview()}`);
    await tab.getByLabel('Kick channel name (the part after kick.com/)').fill('https://kick.com/DCWatched');
    await tab.getByRole('button', { name: 'Watch', exact: true }).click();
    await tab.getByRole('status').filter({ hasText: 'Watching dcwatched' }).waitFor();
    await tab.getByRole('heading', { name: '👀 Watching: dcwatched' }).waitFor();
    const subscriptions = tab.locator('h3:has-text("Watching: dcwatched") ~ div.table-wrap').first();
    expect(await subscriptions.innerText()).toContain('livestream.status.updated');
    expect(stack.kick.subscriptions({ broadcasterUserId: channel.watched.userId }).map((s) => s.event)).toContain('livestream.status.updated');
    const audit = await stack.db.prisma.auditLogEntry.findFirst({ where: { guildId: stack.guild.id, action: 'kick.watch' }, orderBy: { createdAt: 'desc' } });
    expect(audit).toMatchObject({ actorId: stack.moderatorId, source: 'dashboard', detail: { channel: 'dcwatched' } });

    await stack.kick.goLive(channel.watched.userId, { title: 'Watched from the dashboard', category: 'Just Chatting' });
    const message = await stack.discord.waitForMessage(stack.guild.announcementsChannelId, (m) => m.content.includes('Watched from the dashboard'), 15_000);
    expect(message.content).toContain('dcwatched is live');

    await tab.setViewportSize({ width: 390, height: 844 });
    await expectNoSidewaysScroll(tab);
    tab.once('dialog', (dialog) => void dialog.accept());
    await tab.getByRole('button', { name: 'Unwatch dcwatched' }).click();
    await tab.getByRole('status').filter({ hasText: 'Stopped watching dcwatched' }).waitFor();
    expect(await tab.getByRole('heading', { name: '👀 Watching: dcwatched' }).count()).toBe(0);
    expect(stack.kick.subscriptions({ broadcasterUserId: channel.watched.userId })).toHaveLength(0);
    expect(await stack.db.prisma.guildChannelLink.count({ where: { guildId: stack.guild.id, broadcasterUserId: channel.watched.userId } })).toBe(0);
    await tab.close();
  });

  it("refuses an unknown channel and one already watched with /kick watch's own words, keeping what was typed", async () => {
    const unknownSlash = await stack.run('/kick watch no_such_channel_dc');
    expect(unknownSlash).toContain('No Kick channel named');
    const unknown = await mod.post(`${overview()}/kick/watch`, { slug: 'No_Such_Channel_DC' });
    expect(unknown.status).toBe(400);
    expect(visible(unknown.body)).toContain(slashRefusal(unknownSlash));
    expect(unknown.body).toContain('value="No_Such_Channel_DC"');

    const watched = await stack.run('/kick watch dcother');
    expect(watched).toContain('Watching **dcother**');
    expect(await stack.db.prisma.auditLogEntry.count({ where: { guildId: stack.guild.id, action: 'kick.watch', source: 'discord' } })).toBe(1);
    const againSlash = await stack.run('/kick watch dcother');
    expect(againSlash).toBe('⚠️ This server already watches **dcother**.');
    const again = await mod.post(`${overview()}/kick/watch`, { slug: 'dcother' });
    expect(again.status).toBe(400);
    expect(visible(again.body)).toContain(slashRefusal(againSlash));
    expect(await stack.db.prisma.guildChannelLink.count({ where: { guildId: stack.guild.id, broadcasterUserId: channel.other.userId } })).toBe(1);

    const ownerSlash = await stack.run(`/kick unwatch ${stack.streamer.username.toLowerCase()}`);
    const owner = await mod.post(`${overview()}/kick/unwatch`, { slug: stack.streamer.username.toLowerCase() });
    expect(owner.status).toBe(400);
    expect(visible(owner.body)).toContain(slashRefusal(ownerSlash));
  });

  it("never unwatches another server's channel, and another server's overview is not reachable", async () => {
    const res = await mod.post(`${overview()}/kick/unwatch`, { slug: 'dcbonly' });
    expect(res.status).toBe(400);
    expect(visible(res.body)).toContain('This server does not watch "dcbonly"');
    expect(await stack.db.prisma.guildChannelLink.count({ where: { guildId: guildB, broadcasterUserId: channel.bonly.userId } })).toBe(1);
    const theirs = await mod.post(`/dashboard/${guildB}/kick/unwatch`, { slug: 'dcbonly' });
    expect([403, 404]).toContain(theirs.status);
    const disconnectTheirs = await mod.post(`/dashboard/${guildB}/kick/disconnect`, {});
    expect([403, 404]).toContain(disconnectTheirs.status);
    expect(await stack.db.prisma.guildChannelLink.count({ where: { guildId: guildB, broadcasterUserId: channel.bonly.userId } })).toBe(1);
  });

  it('a member without Manage Server or a manager role is refused on GET and POST', async () => {
    const member = await loginDashboard(stack, stack.memberId);
    expect((await member.get(overview())).status).toBe(403);
    const csrf = await member.csrf('/dashboard');
    const post = (path: string, fields: Record<string, string>) =>
      fetch(`${stack.web.url}${path}`, { method: 'POST', redirect: 'manual', headers: { cookie: member.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: csrf, ...fields }).toString() });
    expect((await post(`${overview()}/kick/watch`, { slug: 'dcwatched' })).status).toBe(403);
    expect((await post(`${overview()}/kick/disconnect`, {})).status).toBe(403);
    expect((await post(`${detailPage(viewer.third.userId)}/exclude`, { reason: 'nope' })).status).toBe(403);
    expect(await stack.db.prisma.kickConnection.count({ where: { guildId: stack.guild.id } })).toBe(1);
    expect(await excluded(stack.guild.id, viewer.third.userId)).toBeNull();
    expect(await stack.db.prisma.guildChannelLink.count({ where: { guildId: stack.guild.id, broadcasterUserId: channel.watched.userId } })).toBe(0);
  });

  it('disconnects the connected channel through the bot (tokens, link and subscriptions gone, audit from the dashboard); a second time is refused', async () => {
    const page = await mod.get(overview());
    expect(page.body).toContain('data-confirm="Disconnect');
    const res = await mod.post(`${overview()}/kick/disconnect`, {});
    expect(res.status, res.body).toBe(303);
    expect(res.location).toBe(`${overview()}#conn`);
    const after = await mod.get(res.location ?? '');
    expect(visible(after.body)).toContain('Disconnected. kickcord’s access was revoked at Kick');
    expect(visible(after.body)).toContain('No Kick channel connected.');
    expect(await stack.db.prisma.kickConnection.count({ where: { guildId: stack.guild.id } })).toBe(0);
    expect(await stack.db.prisma.guildChannelLink.count({ where: { guildId: stack.guild.id, kind: 'owner' } })).toBe(0);
    await waitFor(() => stack.kick.subscriptions({ broadcasterUserId: stack.streamer.userId }).length === 0, { description: "the streamer's subscriptions to be removed", timeoutMs: 10_000 });
    const audit = await stack.db.prisma.auditLogEntry.findFirst({ where: { guildId: stack.guild.id, action: 'kick.disconnect' }, orderBy: { createdAt: 'desc' } });
    expect(audit).toMatchObject({ actorId: stack.moderatorId, source: 'dashboard', detail: { channel: stack.streamer.username.toLowerCase() } });
    expect(await stack.run('/kick status')).toContain('No Kick channel connected');

    const slash = await stack.run('/kick disconnect');
    const again = await mod.post(`${overview()}/kick/disconnect`, {});
    expect(again.status).toBe(400);
    expect(visible(again.body)).toContain(slashRefusal(slash));
    expect(slash).toBe('⚠️ This server has no Kick channel connected.');
  });
});

describe('dashboard → leaderboard exclusions on the Viewers page', () => {
  it('in Chromium: excludes a viewer with a reason, who is then gone from /leaderboard, listed with who did it, and removed again', async () => {
    expect(await stack.run('/leaderboard')).toContain(viewer.top.username);
    const tab = await browserLogin(browser, stack);
    await tab.goto(`${stack.web.url}${detailPage(viewer.top.userId)}`);
    await tab.getByLabel('Why exclude them (shown in the exclude list)').fill('alt account');
    await tab.getByRole('button', { name: 'Exclude from the leaderboard' }).click();
    await tab.getByRole('status').filter({ hasText: `${viewer.top.username} is off the leaderboards` }).waitFor();
    expect(await tab.locator('#totals-h + p').innerText()).toContain('not ranked: on the leaderboard exclude list');
    expect(await excluded(stack.guild.id, viewer.top.userId)).toMatchObject({ source: 'moderator', reason: 'alt account' });
    const audit = await stack.db.prisma.auditLogEntry.findFirst({ where: { guildId: stack.guild.id, action: 'leaderboard.exclude' }, orderBy: { createdAt: 'desc' } });
    expect(audit).toMatchObject({ actorId: stack.moderatorId, source: 'dashboard', detail: { viewer: viewer.top.username, reason: 'alt account' } });

    const board = await stack.run('/leaderboard');
    expect(board).not.toContain(viewer.top.username);
    expect(board).toContain(viewer.second.username);
    const publicBoard = await fetch(`${stack.web.url}/leaderboard/${stack.guild.id}`).then((r) => r.text());
    expect(publicBoard).toContain(viewer.second.username);
    expect(publicBoard).not.toContain(viewer.top.username);

    await tab.goto(`${stack.web.url}${viewersPage()}`);
    const row = tab.locator('#excluded tr', { hasText: viewer.top.username });
    expect(await row.innerText()).toContain('alt account');
    expect(await row.innerText()).toContain('Added by @mod on the dashboard');
    await tab.setViewportSize({ width: 390, height: 844 });
    await expectNoSidewaysScroll(tab);
    tab.once('dialog', (dialog) => void dialog.accept());
    await row.getByRole('button', { name: `Remove ${viewer.top.username} from the exclude list` }).click();
    await tab.getByRole('status').filter({ hasText: `${viewer.top.username} is back on the leaderboards` }).waitFor();
    expect(await excluded(stack.guild.id, viewer.top.userId)).toBeNull();
    expect(await stack.run('/leaderboard')).toContain(viewer.top.username);
    await tab.close();
  });

  it('shows a Kick ban as such, refuses a long reason and a viewer not on the list in the bot’s words, and removes a ban entry', async () => {
    await stack.db.prisma.leaderboardExclusion.create({ data: { guildId: stack.guild.id, kickUserId: viewer.second.userId, username: viewer.second.username, source: 'ban', reason: 'spam links' } });
    const list = visible((await mod.get(viewersPage())).body);
    expect(list).toContain('Kick ban');
    expect(list).toContain('spam links');
    expect(await stack.run('/leaderboard-exclude list')).toContain(`**${viewer.second.username}** — Kick ban · spam links`);

    const long = 'x'.repeat(201);
    const res = await mod.post(`${detailPage(viewer.third.userId)}/exclude`, { reason: long });
    expect(res.status).toBe(400);
    expect(visible(res.body)).toContain('The reason is 201 characters long — the limit is 200.');
    expect(res.body).toContain(`value="${long}"`);
    expect(await excluded(stack.guild.id, viewer.third.userId)).toBeNull();

    const removeSlash = await stack.run(`/leaderboard-exclude remove viewer:${viewer.third.username}`);
    const remove = await mod.post(`${detailPage(viewer.third.userId)}/include`, { back: 'detail' });
    expect(remove.status).toBe(400);
    expect(slashRefusal(removeSlash)).toContain('is not on the leaderboard exclude list. See /leaderboard-exclude list.');
    expect(visible(remove.body)).toContain('That viewer is not on the leaderboard exclude list. See /leaderboard-exclude list.');

    const removed = await mod.post(`${viewersPage()}/${viewer.second.userId}/include`, { back: 'list' });
    expect(removed.status).toBe(303);
    expect(await excluded(stack.guild.id, viewer.second.userId)).toBeNull();
    const audit = await stack.db.prisma.auditLogEntry.findFirst({ where: { guildId: stack.guild.id, action: 'leaderboard.include' }, orderBy: { createdAt: 'desc' } });
    expect(audit).toMatchObject({ source: 'dashboard', detail: { viewer: viewer.second.username, was: 'Kick ban: spam links' } });
  });

  it("never excludes or includes another server's viewer", async () => {
    const res = await mod.post(`${detailPage(viewer.bonly.userId)}/exclude`, { reason: 'cross-server' });
    expect(res.status).toBe(404);
    expect(visible(res.body)).toContain("I don't know that Kick viewer in this server");
    expect(await excluded(stack.guild.id, viewer.bonly.userId)).toBeNull();

    await stack.db.prisma.leaderboardExclusion.upsert({
      where: { guildId_kickUserId: { guildId: guildB, kickUserId: viewer.bonly.userId } },
      create: { guildId: guildB, kickUserId: viewer.bonly.userId, username: viewer.bonly.username, source: 'moderator', reason: 'theirs' },
      update: {},
    });
    const include = await mod.post(`${detailPage(viewer.bonly.userId)}/include`, { back: 'list' });
    expect(include.status).toBe(400);
    expect(visible(include.body)).toContain('That viewer is not on the leaderboard exclude list');
    expect(await excluded(guildB, viewer.bonly.userId)).not.toBeNull();
    expect(visible((await mod.get(viewersPage())).body)).not.toContain(viewer.bonly.username);
  });
});
