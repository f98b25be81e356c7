/**
 * The dashboard's announcements page, end to end: the web app sends each change through `guild-actions` to the bot,
 * which runs the same code as `/announce` (validation, texts, audit). A manager changes the go-live template in
 * headless Chromium (with the live preview) and the next go-live uses it.
 */
import { waitFor } from '@kickcord/queue';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserLogin, launchChromium, loginDashboard, type DashboardClient } from './helpers/dashboard.ts';
import { startTestStack, type TestStack } from './helpers/harness.ts';

let stack: TestStack;
let browser: Browser;
let mod: DashboardClient;
let alertsRoleId: string;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startTestStack({ dashboard: true }), launchChromium()]);
  alertsRoleId = stack.discord.addRole(stack.guild.id, { name: 'Live Alerts' }).id;
  mod = await loginDashboard(stack);
}, 120_000);
afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await stack?.close();
});

const page = () => `/dashboard/${stack.guild.id}/announcements`;

describe('dashboard → announcements', () => {
  it('saves a channel, role and template through the bot, records who did it from the dashboard, and /announce list shows it', async () => {
    const res = await mod.post(`${page()}/follow`, { do: 'save', channelId: stack.guild.announcementsChannelId, roleId: alertsRoleId, template: '💚 {follower} is here!' }, { csrfFrom: page() });
    expect(res.status, res.body).toBe(303);
    expect(res.location).toBe(`${page()}?event=follow#ann-follow`);
    const after = await mod.get(res.location ?? '');
    expect(after.body).toContain('New follower announcements will be posted in');
    expect(after.body).toContain('#announcements');
    const row = await stack.db.prisma.announcementSetting.findUnique({ where: { guildId_event: { guildId: stack.guild.id, event: 'follow' } } });
    expect(row).toMatchObject({ discordChannelId: stack.guild.announcementsChannelId, roleId: alertsRoleId, template: '💚 {follower} is here!', enabled: true });
    const audit = await stack.db.prisma.auditLogEntry.findFirst({ where: { guildId: stack.guild.id, action: 'announcements.set' }, orderBy: { createdAt: 'desc' } });
    expect(audit).toMatchObject({ actorId: stack.moderatorId, source: 'dashboard' });
    expect(await stack.run('/announce list')).toContain('💚 {follower} is here!');
  });

  it('refuses a bad template with the slash command’s own words, keeps what was typed, and changes nothing', async () => {
    const slash = await stack.run('/announce set follow #announcements template:"{nope} followed"');
    const res = await mod.post(`${page()}/follow`, { do: 'save', channelId: stack.guild.announcementsChannelId, roleId: '', template: '{nope} followed' }, { csrfFrom: page() });
    expect(res.status).toBe(400);
    const firstLine = (slash.split('\n')[0] ?? '').replace(/^⚠️ /u, '');
    expect(firstLine).toContain('That template has a problem');
    expect(res.body).toContain(firstLine);
    expect(res.body).toContain('{nope} followed</textarea>');
    const row = await stack.db.prisma.announcementSetting.findUnique({ where: { guildId_event: { guildId: stack.guild.id, event: 'follow' } } });
    expect(row?.template).toBe('💚 {follower} is here!');
  });

  it("refuses another server's channel (tenancy is checked by the bot, not only by the form)", async () => {
    // A guild the bot is also in, with a channel it can see: only its guild id differs.
    const elsewhere = stack.discord.addGuild({ name: 'Elsewhere', channels: [{ name: 'their-alerts' }], members: [{ id: '200000000000000099', username: 'them' }] });
    const theirs = elsewhere.channels.find((c) => c.name === 'their-alerts')?.id ?? '';
    const res = await mod.post(`${page()}/live`, { do: 'save', channelId: theirs, roleId: '', template: '' }, { csrfFrom: page() });
    expect(res.status).toBe(400);
    expect(res.body).toContain('I cannot see that channel');
    expect(await stack.db.prisma.announcementSetting.count({ where: { guildId: stack.guild.id, event: 'live' } })).toBe(0);
  });

  it('a test from the dashboard posts a sample without pinging, and a double-submitted form posts once', async () => {
    const before = stack.discord.messages(stack.guild.announcementsChannelId).length;
    const requestId = 'double-submit-test-000001';
    const [a, b] = await Promise.all([
      mod.post(`${page()}/follow`, { do: 'test' }, { csrfFrom: page(), requestId }),
      mod.post(`${page()}/follow`, { do: 'test' }, { csrfFrom: page(), requestId }),
    ]);
    expect([a.status, b.status]).toEqual([303, 303]);
    const sample = await stack.discord.waitForMessage(stack.guild.announcementsChannelId, (m) => m.content.startsWith('🧪 Test'), 10_000);
    expect(sample.content).toContain(`the real one pings <@&${alertsRoleId}>`);
    expect(sample.allowedMentions).toEqual({ parse: [] });
    await stack.drain();
    expect(stack.discord.messages(stack.guild.announcementsChannelId).length).toBe(before + 1);
  });

  it('in Chromium: the live preview follows the template as it is typed, and the next go-live uses the saved template', async () => {
    const tab = await browserLogin(browser, stack);
    await tab.goto(`${stack.web.url}${page()}`);
    const form = tab.locator('#ann-live');
    await form.getByLabel('Channel').selectOption({ label: '#announcements' });
    await form.getByLabel('Template').fill('🚨 {streamer} went live with "{title}"');
    await expect.poll(() => form.locator('[data-preview-target]').innerText(), { timeout: 10_000 }).toContain('went live with');
    await form.getByLabel('Template').fill('{streamer} {oops');
    await expect.poll(() => form.locator('[data-preview-target]').innerText(), { timeout: 10_000 }).toContain('That template has a problem');
    await form.getByLabel('Template').fill('🚨 {streamer} went live with "{title}"');
    await form.getByRole('button', { name: 'Save' }).click();
    await tab.getByText('Go live announcements will be posted in').waitFor();
    await stack.kick.goLive(stack.streamer.userId, { title: 'Dashboard day', category: 'Just Chatting' });
    const message = await stack.discord.waitForMessage(stack.guild.announcementsChannelId, (m) => m.content.includes('Dashboard day'), 15_000);
    expect(message.content).toBe(`🚨 ${stack.streamer.username} went live with "Dashboard day"`);
    await tab.close();
  });

  it('a member without Manage Server or a manager role is refused on GET and POST', async () => {
    const member = await loginDashboard(stack, stack.memberId);
    expect((await member.get(page())).status).toBe(403);
    const csrf = await member.csrf('/dashboard');
    const body = new URLSearchParams({ _csrf: csrf, do: 'save', channelId: stack.guild.announcementsChannelId, template: 'hacked' });
    const res = await fetch(`${stack.web.url}${page()}/live`, { method: 'POST', redirect: 'manual', headers: { cookie: member.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() });
    expect(res.status).toBe(403);
    await waitFor(async () => (await stack.db.prisma.announcementSetting.findFirst({ where: { guildId: stack.guild.id, event: 'live' } }))?.template === '🚨 {streamer} went live with "{title}"', { description: 'the live template to stay as the manager saved it' });
  });
});
