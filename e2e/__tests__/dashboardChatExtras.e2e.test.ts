/**
 * The dashboard's "Chat extras" page, end to end: built-in chat commands (on/off and names), quotes, counters and the
 * chat games' settings, every change made by the bot through `guild-actions` with the code `/commands builtin`,
 * `/quotes`, `/counters` and `/games` run. In headless Chromium a manager renames `!so` and a moderator's `!shoutout`
 * in kick-sim chat works while `!so` does not, adds a counter that `!name` answers, and turns `!gamble` on. Over HTTP:
 * the slash commands' own refusals, audit entries from the dashboard, another server's quote and counter ids refused,
 * members who are not managers refused.
 */
import { waitFor } from '@kickcord/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { browserLogin, launchChromium, loginDashboard, type DashboardClient } from './helpers/dashboard.ts';
import { startTestStack, type TestStack } from './helpers/harness.ts';

const MOD = [{ text: 'Moderator', type: 'moderator' }];

let stack: TestStack;
let browser: Browser;
let mod: DashboardClient;
let fan: { userId: number; username: string };
let chatMod: { userId: number; username: string };

beforeAll(async () => {
  [stack, browser] = await Promise.all([startTestStack({ dashboard: true }), launchChromium()]);
  mod = await loginDashboard(stack);
  fan = stack.createViewer('extras_fan');
  chatMod = stack.createViewer('extras_chat_mod');
}, 120_000);
afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await stack?.close();
});

const page = () => `/dashboard/${stack.guild.id}/chat-extras`;
/** The text of a page as a person reads it (character references decoded). */
const text = (body: string) =>
  body
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
/** A slash command's answer without the warning sign a refusal starts with. */
const refusal = (answer: string) => answer.replace(/^⚠️ /u, '');

/** A chat message on the production path, and the bot's reply to it. */
async function ask(user: { userId: number }, content: string, badges: { text: string; type: string }[] = []): Promise<string> {
  const sent = await stack.kick.sendChat(stack.streamer.userId, user.userId, content, { badges });
  return (await stack.kick.waitForChat(stack.streamer.userId, (m) => m.type === 'bot' && m.replyToMessageId === sent.messageId, 15_000)).content;
}
/** A chat message the bot does not answer (checked once every queued job has run). */
async function unanswered(user: { userId: number }, content: string, badges: { text: string; type: string }[] = []): Promise<void> {
  const sent = await stack.kick.sendChat(stack.streamer.userId, user.userId, content, { badges });
  await stack.drain();
  expect(stack.kick.chatLog(stack.streamer.userId).filter((m) => m.type === 'bot' && m.replyToMessageId === sent.messageId)).toEqual([]);
}

/** A quote of the demo guild as a test starts from it (made directly in the database). */
async function quote(number: number, words: string) {
  await stack.db.prisma.quote.deleteMany({ where: { guildId: stack.guild.id, number } });
  return stack.db.prisma.quote.create({ data: { guildId: stack.guild.id, number, text: words, addedByName: 'someone' } });
}
/** A counter of the demo guild as a test starts from it. */
async function counter(name: string, value = 0) {
  await stack.db.prisma.chatCounter.deleteMany({ where: { guildId: stack.guild.id, name } });
  return stack.db.prisma.chatCounter.create({ data: { guildId: stack.guild.id, name, value } });
}
/** The newest audit entry of an action. */
const lastAudit = async (action: string) => stack.db.prisma.auditLogEntry.findFirst({ where: { guildId: stack.guild.id, action }, orderBy: { createdAt: 'desc' } });
const settings = () => stack.db.prisma.guildSettings.findUniqueOrThrow({ where: { guildId: stack.guild.id } });

describe('dashboard → chat extras', () => {
  it("refuses with the slash commands' own words, keeps what was typed, and changes nothing", async () => {
    await stack.run('/commands builtin rename command:so name:so');
    await stack.run('/games gamble enabled:false');
    const auditsBefore = await stack.db.prisma.auditLogEntry.count({ where: { guildId: stack.guild.id } });
    const cases = [
      { slash: '/commands builtin rename command:quote name:so', path: `${page()}/builtins/quote`, fields: { name: 'so', enabled: 'on' }, typed: 'id="bi-quote-name" name="name" value="so"' },
      { slash: '/counters add name:quote', path: `${page()}/counters`, fields: { name: 'quote', value: '7' }, typed: 'id="counter-new-name" name="name" value="quote"' },
      { slash: '/games gamble enabled:true min-bet:50 max-bet:20', path: `${page()}/games/gamble`, fields: { enabled: 'on', winChance: '45', minBet: '50', maxBet: '20', cooldown: '30' }, typed: 'id="game-gamble-min" name="minBet" value="50"' },
      { slash: '/quotes edit number:9999 text:"new words"', path: null, fields: {}, typed: '' },
    ];
    for (const c of cases) {
      const slash = refusal(await stack.run(c.slash));
      expect(slash.length, c.slash).toBeGreaterThan(10);
      if (!c.path) {
        expect(slash).toBe('There is no quote #9999.');
        continue;
      }
      const res = await mod.post(c.path, c.fields, { csrfFrom: page() });
      expect(res.status, c.slash).toBe(400);
      expect(text(res.body), c.slash).toContain(slash.split('\n')[0] ?? '');
      expect(res.body, c.slash).toContain(c.typed);
    }
    expect(refusal(await stack.run('/counters add name:quote'))).toBe('"quote" is a built-in command — pick another name.');
    expect(refusal(await stack.run('/games gamble enabled:true min-bet:50 max-bet:20'))).toContain('The smallest bet (50) is above the largest (20).');
    expect(await stack.db.prisma.chatCounter.count({ where: { guildId: stack.guild.id, name: 'quote' } })).toBe(0);
    expect((await settings()).gambleEnabled).toBe(false);
    expect(await stack.db.prisma.auditLogEntry.count({ where: { guildId: stack.guild.id } })).toBe(auditsBefore);
    // A form's text that is not a number is refused with the field named.
    const bad = await mod.post(`${page()}/games/duel`, { enabled: 'on', minBet: '10', maxBet: 'lots', cooldown: '30', expiry: '5' }, { csrfFrom: page() });
    expect(bad.status).toBe(400);
    expect(text(bad.body)).toContain('The largest stake must be a whole number from 1 to 2,147,483,647 (got "lots").');
    expect(text(bad.body)).toContain('The time to !accept must be a whole number from 10 to 86,400 (got "5").');
    expect((await settings()).duelEnabled).toBe(false);
  });

  it('edits and removes quotes, sets who may add them, sets and removes counters — each made by the bot and audited from the dashboard', async () => {
    const q = await quote(41, 'old words');
    const edit = await mod.post(`${page()}/quotes/${q.id}`, { do: 'save', text: '  new   words ' }, { csrfFrom: page() });
    expect(edit.status, edit.body).toBe(303);
    expect(edit.location).toBe(`${page()}?done=quotes#quotes`);
    expect(text((await mod.get(edit.location ?? '')).body)).toContain('Quote #41: "new words"');
    expect((await stack.db.prisma.quote.findUniqueOrThrow({ where: { id: q.id } })).text).toBe('new words');
    expect(await lastAudit('quotes.edit')).toMatchObject({ source: 'dashboard', actorId: stack.moderatorId, detail: { number: 41, text: { from: 'old words', to: 'new words' } } });
    expect(await stack.run('/quotes list')).toContain('#41: "new words"');

    expect((await mod.post(`${page()}/quotes/${q.id}`, { do: 'remove' }, { csrfFrom: page() })).status).toBe(303);
    expect(await stack.db.prisma.quote.count({ where: { id: q.id } })).toBe(0);
    expect(await lastAudit('quotes.remove')).toMatchObject({ source: 'dashboard', detail: { number: 41, text: 'new words' } });

    await stack.run('/quotes settings add-level:moderator');
    expect((await mod.post(`${page()}/quotes/settings`, { addLevel: 'vip' }, { csrfFrom: page() })).status).toBe(303);
    expect((await settings()).quoteAddLevel).toBe('vip');
    expect(await lastAudit('quotes.settings')).toMatchObject({ source: 'dashboard', detail: { addLevel: { from: 'moderator', to: 'vip' } } });
    const badLevel = await mod.post(`${page()}/quotes/settings`, { addLevel: 'admins' }, { csrfFrom: page() });
    expect(badLevel.status).toBe(400);
    expect(text(badLevel.body)).toContain('Level must be one of: everyone, subscriber, vip, moderator, broadcaster.');

    const c = await counter('kills', 2);
    expect((await mod.post(`${page()}/counters/${c.id}`, { do: 'set', value: '12' }, { csrfFrom: page() })).status).toBe(303);
    expect((await stack.db.prisma.chatCounter.findUniqueOrThrow({ where: { id: c.id } })).value).toBe(12);
    expect(await lastAudit('counters.set')).toMatchObject({ source: 'dashboard', detail: { name: 'kills', value: { from: 2, to: 12 } } });
    expect(await ask(fan, '!kills')).toBe('Kills: 12');
    const badValue = await mod.post(`${page()}/counters/${c.id}`, { do: 'set', value: '-3' }, { csrfFrom: page() });
    expect(badValue.status).toBe(400);
    expect(text(badValue.body)).toContain('A counter\'s value is a whole number from 0 to 2147483647 (got "-3").');
    expect(badValue.body).toContain('value="-3"');
    expect((await mod.post(`${page()}/counters/${c.id}`, { do: 'remove' }, { csrfFrom: page() })).status).toBe(303);
    expect(await stack.db.prisma.chatCounter.count({ where: { id: c.id } })).toBe(0);
    expect(await lastAudit('counters.remove')).toMatchObject({ source: 'dashboard', detail: { name: 'kills', value: 12 } });

    const off = await mod.post(`${page()}/builtins/followage`, { name: 'followage' }, { csrfFrom: page() });
    expect(off.status).toBe(303);
    expect(text((await mod.get(off.location ?? '')).body)).toContain('<strong>!followage</strong> is off: kickcord no longer answers it in Kick chat.');
    expect(await lastAudit('builtins.update')).toMatchObject({ source: 'dashboard', detail: { builtin: 'followage', enabled: { from: true, to: false } } });
    expect(await stack.run('/commands builtin list')).toContain('⛔ **!followage** — off');
    expect(await stack.run('/commands builtin enable command:followage')).toBe('**!followage** is on.');
    expect(await lastAudit('builtins.update')).toMatchObject({ source: 'discord', detail: { builtin: 'followage', enabled: { from: false, to: true } } });
  });

  it("refuses another server's quote and counter ids, and changes nothing there", async () => {
    const elsewhere = stack.discord.addGuild({ name: 'Elsewhere extras', channels: [{ name: 'general' }], members: [{ id: '200000000000000097', username: 'them' }] });
    // The bot records the guild when Discord tells it about the join; writing the row here too would race it.
    await waitFor(() => stack.db.prisma.guild.findUnique({ where: { id: elsewhere.id } }), { description: 'the bot to record the other guild' });
    const theirQuote = await stack.db.prisma.quote.create({ data: { guildId: elsewhere.id, number: 1, text: 'their words', addedByName: 'them' } });
    const theirCounter = await stack.db.prisma.chatCounter.create({ data: { guildId: elsewhere.id, name: 'theirs', value: 5 } });
    for (const fields of [{ do: 'save', text: 'hacked' }, { do: 'remove' }]) {
      const res = await mod.post(`${page()}/quotes/${theirQuote.id}`, fields, { csrfFrom: page() });
      expect(res.status, fields.do).toBe(400);
      expect(text(res.body), fields.do).toContain('That quote is not in this server any more');
    }
    for (const fields of [{ do: 'set', value: '99' }, { do: 'remove' }]) {
      const res = await mod.post(`${page()}/counters/${theirCounter.id}`, fields, { csrfFrom: page() });
      expect(res.status, fields.do).toBe(400);
      expect(text(res.body), fields.do).toContain('That counter is not in this server any more');
    }
    expect(await stack.db.prisma.quote.findUniqueOrThrow({ where: { id: theirQuote.id } })).toMatchObject({ guildId: elsewhere.id, text: 'their words' });
    expect(await stack.db.prisma.chatCounter.findUniqueOrThrow({ where: { id: theirCounter.id } })).toMatchObject({ guildId: elsewhere.id, value: 5 });
    expect(await stack.db.prisma.auditLogEntry.count({ where: { guildId: elsewhere.id } })).toBe(0);
    expect((await mod.get(`/dashboard/${elsewhere.id}/chat-extras`)).status).toBe(404);
  });

  it('a member without Manage Server or a manager role is refused on GET and POST', async () => {
    const member = await loginDashboard(stack, stack.memberId);
    expect((await member.get(page())).status).toBe(403);
    const csrf = await member.csrf('/dashboard');
    const body = new URLSearchParams({ _csrf: csrf, name: 'sneaky', value: '1' });
    const res = await fetch(`${stack.web.url}${page()}/counters`, { method: 'POST', redirect: 'manual', headers: { cookie: member.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() });
    expect(res.status).toBe(403);
    await stack.drain();
    expect(await stack.db.prisma.chatCounter.count({ where: { guildId: stack.guild.id, name: 'sneaky' } })).toBe(0);
  });

  it('in Chromium: rename !so to !shoutout, add a counter that chat answers, and turn !gamble on', async () => {
    await stack.run('/commands builtin rename command:so name:so');
    await stack.run('/games gamble enabled:false');
    await stack.db.prisma.chatCounter.deleteMany({ where: { guildId: stack.guild.id, name: 'wins' } });
    const tab = await browserLogin(browser, stack);
    tab.on('dialog', (dialog) => void dialog.accept());
    await tab.goto(`${stack.web.url}${page()}`);

    await tab.getByLabel('Name of the built-in !so').fill('shoutout');
    await tab.getByRole('button', { name: 'Save !so' }).click();
    await tab.locator('#builtins').getByText('now answers to !shoutout').waitFor();
    expect(await ask(chatMod, `!shoutout ${fan.username}`, MOD)).toBe(`Go check out ${fan.username} at https://kick.com/${fan.username}! They were last streaming in Just Chatting.`);
    await unanswered(chatMod, `!so ${fan.username}`, MOD);
    expect(await lastAudit('builtins.update')).toMatchObject({ source: 'dashboard', detail: { builtin: 'so', name: { from: 'so', to: 'shoutout' } } });

    const add = tab.locator('#counters');
    await add.getByLabel('Counter name').fill('wins');
    await add.getByLabel('Starting value').fill('3');
    await add.getByRole('button', { name: 'Add counter' }).click();
    await tab.locator('#counters').getByText('Counter wins added at 3').waitFor();
    expect(await ask(fan, '!wins')).toBe('Wins: 3');
    expect(await lastAudit('counters.add')).toMatchObject({ source: 'dashboard', detail: { name: 'wins', value: 3 } });

    await tab.getByLabel('Let viewers gamble').check();
    await tab.getByRole('button', { name: 'Save gamble' }).click();
    await tab.locator('#games').getByText('!gamble on').waitFor();
    expect((await settings()).gambleEnabled).toBe(true);
    expect(await ask(fan, '!gamble 10')).toContain('not enough for that bet');
    expect(await lastAudit('chatGames.gamble')).toMatchObject({ source: 'dashboard', detail: { gambleEnabled: { from: false, to: true } } });
    await tab.close();
  });

  it('in Chromium at 390 px: the page fits the width, and a quote is edited with the keyboard', async () => {
    await quote(77, 'A long quote without spaces: https://example.com/a/very/long/path/that/should/wrap/instead/of/widening/the/page');
    const tab = await browserLogin(browser, stack, 'mod', { width: 390, height: 844 });
    await tab.goto(`${stack.web.url}${page()}`);
    await tab.getByRole('button', { name: 'Save quote #77' }).waitFor();
    expect(await tab.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await tab.getByLabel('Words of quote #77').fill('Short and sweet');
    await tab.getByRole('button', { name: 'Save quote #77' }).focus();
    await tab.keyboard.press('Enter');
    await tab.locator('#quotes').getByText('Quote #77: "Short and sweet"').waitFor();
    expect((await stack.db.prisma.quote.findFirstOrThrow({ where: { guildId: stack.guild.id, number: 77 } })).text).toBe('Short and sweet');
    expect(await tab.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await tab.close();
  });
});
