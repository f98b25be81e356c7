/**
 * The dashboard's "Commands & timers" page, end to end: every change goes through `guild-actions` to the bot, which
 * runs the same code as `/command` and `/timer` (validation, texts, audit). A manager adds, edits and deletes a chat
 * command in headless Chromium and a viewer's `!name` in kick-sim chat follows each step; a timer added there posts
 * while live. Over HTTP: the slash command's own refusals, audit entries from the dashboard, another server's ids
 * refused, members who are not managers refused.
 */
import { maintenanceTasks } from '@kickcord/bot';
import type { Browser } from 'playwright-core';
import { waitFor } from '@kickcord/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserLogin, launchChromium, loginDashboard, type DashboardClient } from './helpers/dashboard.ts';
import { startTestStack, type TestStack } from './helpers/harness.ts';

let stack: TestStack;
let browser: Browser;
let mod: DashboardClient;
let fan: { userId: number; username: string };

beforeAll(async () => {
  [stack, browser] = await Promise.all([startTestStack({ dashboard: true }), launchChromium()]);
  mod = await loginDashboard(stack);
  fan = stack.createViewer('dash_cmd_fan');
}, 120_000);
afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await stack?.close();
});

const page = () => `/dashboard/${stack.guild.id}/commands`;
/** The text of a page as a person reads it (character references decoded). */
const text = (body: string) => body.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n))).replace(/&amp;/g, '&');
/** A slash command's answer without the warning sign a refusal starts with. */
const refusal = (answer: string) => answer.replace(/^⚠️ /u, '');

/** A viewer's chat message on the production path, and the bot's reply to it. */
async function ask(content: string): Promise<string> {
  const sent = await stack.kick.sendChat(stack.streamer.userId, fan.userId, content);
  return (await stack.kick.waitForChat(stack.streamer.userId, (m) => m.type === 'bot' && m.replyToMessageId === sent.messageId, 15_000)).content;
}
/** A viewer's chat message the bot does not answer (checked once every queued job has run). */
async function unanswered(content: string): Promise<void> {
  const sent = await stack.kick.sendChat(stack.streamer.userId, fan.userId, content);
  await stack.drain();
  expect(stack.kick.chatLog(stack.streamer.userId).filter((m) => m.type === 'bot' && m.replyToMessageId === sent.messageId)).toEqual([]);
}

/** A command of the demo guild as a test starts from it (made directly in the database). */
async function command(name: string, response = `${name} answer`) {
  await stack.db.prisma.chatCommand.deleteMany({ where: { guildId: stack.guild.id, name } });
  return stack.db.prisma.chatCommand.create({ data: { guildId: stack.guild.id, name, response, createdByDiscordId: stack.moderatorId } });
}
/** The audit entries of one action about one command or timer. */
const auditsOf = (action: string | string[], name: string) =>
  stack.db.prisma.auditLogEntry.findMany({ where: { guildId: stack.guild.id, action: { in: [action].flat() }, detail: { path: ['name'], equals: name } }, orderBy: { createdAt: 'asc' } });

const addFields = (over: Record<string, string> = {}) => ({ name: 'socials', response: '{user}: discord.gg/x', aliases: 'links', cooldown: '0', userCooldown: '5', level: 'everyone', cost: '0', listed: 'on', ...over });

describe('dashboard → commands & timers', () => {
  it('adds a command through the bot: the row, an audit entry from the dashboard, and /command list shows it', async () => {
    await stack.db.prisma.chatCommand.deleteMany({ where: { guildId: stack.guild.id, name: 'socials' } });
    const res = await mod.post(page(), addFields(), { csrfFrom: page() });
    expect(res.status, res.body).toBe(303);
    expect(res.location).toBe(`${page()}?done=commands#commands`);
    const after = text((await mod.get(res.location ?? '')).body);
    expect(after).toContain('✅ Added <strong>!socials</strong>.');
    const row = await stack.db.prisma.chatCommand.findUnique({ where: { guildId_name: { guildId: stack.guild.id, name: 'socials' } } });
    expect(row).toMatchObject({ response: '{user}: discord.gg/x', aliases: ['links'], userCooldownSec: 5, minLevel: 'everyone', publicListed: true, liveOnly: false, createdByDiscordId: stack.moderatorId });
    const [audit] = (await auditsOf('commands.add', 'socials')).slice(-1);
    expect(audit).toMatchObject({ actorId: stack.moderatorId, source: 'dashboard' });
    expect(audit?.detail).toMatchObject({ name: 'socials', aliases: ['links'] });
    expect(await stack.run('/command list')).toContain('!socials');
    expect(await ask('!links')).toBe(`${fan.username}: discord.gg/x`);
  });

  it('refuses a taken name, a bad name and a bad template with /command’s own words, keeps what was typed, and adds nothing', async () => {
    await command('socials');
    const [commandsBefore, auditsBefore] = await Promise.all([stack.db.prisma.chatCommand.count({ where: { guildId: stack.guild.id } }), stack.db.prisma.auditLogEntry.count({ where: { guildId: stack.guild.id } })]);
    const cases = [
      { slash: '/command add name:socials response:"again"', fields: addFields({ response: 'again', aliases: '' }), typed: 'again</textarea>' },
      { slash: '/command add name:"bad name" response:"x"', fields: addFields({ name: 'bad name', response: 'x', aliases: '' }), typed: 'value="bad name"' },
      { slash: '/command add name:fresh response:"follow {usr}"', fields: addFields({ name: 'fresh', response: 'follow {usr}', aliases: '' }), typed: 'follow {usr}</textarea>' },
    ];
    for (const c of cases) {
      const slash = refusal(await stack.run(c.slash));
      const firstLine = slash.split('\n')[0] ?? '';
      expect(firstLine.length, c.slash).toBeGreaterThan(10);
      const res = await mod.post(page(), c.fields, { csrfFrom: page() });
      expect(res.status, c.slash).toBe(400);
      expect(text(res.body), c.slash).toContain(firstLine);
      expect(text(res.body), c.slash).toContain(c.typed);
    }
    expect(refusal(await stack.run('/command add name:socials response:"again"'))).toBe('"socials" is already used by the command "socials" — pick another name, or edit that command.');
    expect(await stack.db.prisma.chatCommand.count({ where: { guildId: stack.guild.id } })).toBe(commandsBefore);
    expect(await stack.db.prisma.auditLogEntry.count({ where: { guildId: stack.guild.id } })).toBe(auditsBefore);
  });

  it('turns a command off, hides it from the public list and edits it from the dashboard, each audited; /command edit listed works too', async () => {
    const row = await command('promo', '{user}: discord.gg/x');
    expect((await mod.post(`${page()}/${row.id}`, { do: 'hide' }, { csrfFrom: page() })).status).toBe(303);
    expect((await mod.post(`${page()}/${row.id}`, { do: 'disable' }, { csrfFrom: page() })).status).toBe(303);
    expect(await stack.db.prisma.chatCommand.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ publicListed: false, enabled: false });
    await unanswered('!promo');
    const edit = await mod.post(`${page()}/${row.id}`, { do: 'save', ...addFields({ name: 'promo', response: 'Promo: {args}', aliases: '!promos, !deal', cooldown: '10', enabled: 'on' }) }, { csrfFrom: `${page()}/${row.id}` });
    expect(edit.status, edit.body).toBe(303);
    expect(text((await mod.get(edit.location ?? '')).body)).toContain('✏️ Updated <strong>!promo</strong>.');
    expect(await stack.db.prisma.chatCommand.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ response: 'Promo: {args}', aliases: ['promos', 'deal'], globalCooldownSec: 10, enabled: true, publicListed: true });
    expect(await ask('!deal 20% off')).toBe('Promo: 20% off');
    const entries = await auditsOf(['commands.listing', 'commands.edit'], 'promo');
    expect(entries.map((e) => [e.action, e.source])).toEqual([
      ['commands.listing', 'dashboard'],
      ['commands.edit', 'dashboard'],
      ['commands.edit', 'dashboard'],
    ]);
    expect(entries[2]?.detail).toMatchObject({ name: 'promo', response: { from: '{user}: discord.gg/x', to: 'Promo: {args}' }, enabled: { from: false, to: true }, publicListed: { from: false, to: true } });
    expect(await stack.run('/command edit name:promo listed:false')).toContain('not on the public list');
    expect((await stack.db.prisma.chatCommand.findUniqueOrThrow({ where: { id: row.id } })).publicListed).toBe(false);
    expect((await auditsOf('commands.edit', 'promo')).at(-1)).toMatchObject({ source: 'discord', detail: { publicListed: { from: true, to: false } } });
  });

  it("refuses another server's command and timer ids: 404 for their pages, the bot's refusal for changes, nothing changed", async () => {
    const elsewhere = stack.discord.addGuild({ name: 'Elsewhere cmds', channels: [{ name: 'general' }], members: [{ id: '200000000000000098', username: 'them' }] });
    // The bot records the guild when Discord tells it about the join; writing the row here too would race it.
    await waitFor(() => stack.db.prisma.guild.findUnique({ where: { id: elsewhere.id } }), { description: 'the bot to record the other guild' });
    const theirs = await stack.db.prisma.chatCommand.create({ data: { guildId: elsewhere.id, name: 'theirs', response: 'their answer', createdByDiscordId: '200000000000000098' } });
    const theirTimer = await stack.db.prisma.timer.create({ data: { guildId: elsewhere.id, name: 'their-timer', message: 'their timer', intervalMinutes: 5 } });
    expect((await mod.get(`${page()}/${theirs.id}`)).status).toBe(404);
    expect((await mod.get(`${page()}/timers/${theirTimer.id}`)).status).toBe(404);
    for (const fields of [{ do: 'save', ...addFields({ response: 'hacked' }), enabled: 'on' }, { do: 'hide' }, { do: 'delete' }]) {
      const res = await mod.post(`${page()}/${theirs.id}`, fields, { csrfFrom: page() });
      expect(res.status, fields.do).toBe(400);
      expect(text(res.body), fields.do).toContain('That command is not in this server any more');
    }
    const timerRes = await mod.post(`${page()}/timers/${theirTimer.id}`, { do: 'delete' }, { csrfFrom: page() });
    expect(timerRes.status).toBe(400);
    expect(text(timerRes.body)).toContain('That timer is not in this server any more');
    expect(await stack.db.prisma.chatCommand.findUniqueOrThrow({ where: { id: theirs.id } })).toMatchObject({ guildId: elsewhere.id, response: 'their answer', publicListed: true });
    expect(await stack.db.prisma.timer.findUniqueOrThrow({ where: { id: theirTimer.id } })).toMatchObject({ guildId: elsewhere.id, enabled: true });
    // The dashboard itself will not open their server for this moderator.
    expect((await mod.get(`/dashboard/${elsewhere.id}/commands`)).status).toBe(404);
  });

  it('refuses a timer the way /timer add does, keeping what was typed', async () => {
    const slash = refusal(await stack.run('/timer add message:"Hi {user}" interval-minutes:5'));
    const res = await mod.post(`${page()}/timers`, { name: '', message: 'Hi {user}', intervalMinutes: '5', minChatLines: '0' }, { csrfFrom: page() });
    expect(res.status).toBe(400);
    expect(slash).toContain('makes no sense in a timer');
    expect(text(res.body)).toContain(slash.split('\n')[0] ?? '');
    expect(text(res.body)).toContain('Hi {user}</textarea>');
    expect(await stack.db.prisma.timer.count({ where: { guildId: stack.guild.id, message: 'Hi {user}' } })).toBe(0);
  });

  it('a member without Manage Server or a manager role is refused on GET and POST', async () => {
    const member = await loginDashboard(stack, stack.memberId);
    expect((await member.get(page())).status).toBe(403);
    const csrf = await member.csrf('/dashboard');
    const body = new URLSearchParams({ _csrf: csrf, name: 'sneaky', response: 'hacked' });
    const res = await fetch(`${stack.web.url}${page()}`, { method: 'POST', redirect: 'manual', headers: { cookie: member.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() });
    expect(res.status).toBe(403);
    await stack.drain();
    expect(await stack.db.prisma.chatCommand.count({ where: { guildId: stack.guild.id, name: 'sneaky' } })).toBe(0);
  });

  it('in Chromium: add a command with its preview, a viewer uses it in Kick chat, edit it, delete it, and add a timer that posts while live', async () => {
    const tab = await browserLogin(browser, stack);
    tab.on('dialog', (dialog) => void dialog.accept());
    await tab.goto(`${stack.web.url}${page()}`);
    const add = tab.locator('#add-command');
    await add.getByLabel('Name').fill('hello');
    await add.getByLabel('Response').fill('Hi {user}! Said {count} times');
    await expect.poll(() => add.locator('[data-preview-target]').innerText(), { timeout: 10_000 }).toContain('Hi viewer_name! Said 42 times');
    await add.getByLabel('Response').fill('Hi {usr}');
    await expect.poll(() => add.locator('[data-preview-target]').innerText(), { timeout: 10_000 }).toContain('did you mean {user}?');
    await add.getByLabel('Response').fill('Hi {user}! Said {count} times');
    await add.getByRole('button', { name: 'Add command' }).click();
    await tab.locator('#commands').getByText('Added !hello').waitFor();
    expect(await ask('!hello')).toBe(`Hi ${fan.username}! Said 1 times`);

    await tab.getByRole('link', { name: 'Edit !hello' }).click();
    await tab.getByLabel('Response').fill('Hello again {user}');
    await tab.getByLabel('Cost (points per use)').fill('0');
    await tab.getByRole('button', { name: 'Save' }).click();
    await tab.locator('#commands').getByText('Updated !hello').waitFor();
    expect(await ask('!hello')).toBe(`Hello again ${fan.username}`);

    await tab.getByRole('button', { name: 'Delete !hello' }).click();
    await tab.locator('#commands').getByText('Removed !hello').waitFor();
    expect(await stack.db.prisma.chatCommand.count({ where: { guildId: stack.guild.id, name: 'hello' } })).toBe(0);
    await unanswered('!hello');

    const timer = tab.locator('#add-timer');
    await stack.db.prisma.timer.deleteMany({ where: { guildId: stack.guild.id, name: 'timer-1' } });
    await timer.getByLabel('Message', { exact: true }).fill('Follow us! Now: {title}');
    await expect.poll(() => timer.locator('[data-preview-target]').innerText(), { timeout: 10_000 }).toContain('Follow us! Now: Sample stream title');
    await timer.getByLabel('Every (minutes)').fill('5');
    await timer.getByRole('button', { name: 'Add timer' }).click();
    await tab.locator('#timers').getByText('Timer timer-1 posts every 5 min while live').waitFor();
    const saved = await stack.db.prisma.timer.findFirstOrThrow({ where: { guildId: stack.guild.id, name: 'timer-1' } });
    expect(saved).toMatchObject({ name: 'timer-1', message: 'Follow us! Now: {title}', intervalMinutes: 5, minChatLines: 0, enabled: true });
    expect((await auditsOf('timers.add', 'timer-1')).at(-1)).toMatchObject({ source: 'dashboard', actorId: stack.moderatorId });

    await stack.kick.goLive(stack.streamer.userId, { title: 'Timers day', category: 'Just Chatting' });
    await expect.poll(async () => (await stack.db.prisma.streamSession.findUnique({ where: { openBroadcasterUserId: stack.streamer.userId } }))?.title, { timeout: 15_000 }).toBe('Timers day');
    await maintenanceTasks.find((t) => t.name === 'timers-tick')?.run(stack.bot.ctx, undefined as never);
    const posted = await stack.kick.waitForChat(stack.streamer.userId, (m) => m.type === 'bot' && m.content.startsWith('Follow us!'), 15_000);
    expect(posted.content).toBe('Follow us! Now: Timers day');
    await tab.close();
  });

  it('in Chromium at 390 px: the page fits the width, and a timer is switched off from the list with the keyboard', async () => {
    await command('narrow', 'A long answer without spaces: https://example.com/a/very/long/path/that/should/wrap/instead/of/widening/the/page');
    await stack.db.prisma.timer.deleteMany({ where: { guildId: stack.guild.id, name: 'narrow' } });
    await stack.db.prisma.timer.create({ data: { guildId: stack.guild.id, name: 'narrow', message: 'Follow the socials!', intervalMinutes: 10 } });
    const tab = await browserLogin(browser, stack, 'mod', { width: 390, height: 844 });
    await tab.goto(`${stack.web.url}${page()}`);
    await tab.getByRole('button', { name: 'Delete !narrow' }).waitFor();
    expect(await tab.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    const off = tab.getByRole('button', { name: 'Turn off timer narrow' });
    await off.focus();
    await tab.keyboard.press('Enter');
    await tab.locator('#timers').getByText('Timer narrow is off').waitFor();
    expect((await stack.db.prisma.timer.findFirstOrThrow({ where: { guildId: stack.guild.id, name: 'narrow' } })).enabled).toBe(false);
    expect(await tab.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await tab.close();
  });
});
