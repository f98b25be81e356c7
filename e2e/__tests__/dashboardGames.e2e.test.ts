/**
 * The dashboard's Games page, end to end: every button and form goes through `guild-actions` to the bot, which runs
 * the code `/raffle`, `/gtb` and `/slotcalls` run (validation, texts, Kick chat announcements, audit). In headless
 * Chromium a manager starts a raffle, watches the entries count rise as viewers type the keyword in Kick chat (the
 * card refreshes itself, the page is not reloaded) and draws the winner; then opens a guess-the-balance round and
 * resolves it. Over HTTP: the slash commands' refusal texts, audit entries from the dashboard, a double-submitted
 * Draw that draws once, a member refused, and another server's raffle and round ids refused.
 */
import { waitFor } from '@kickcord/queue';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { browserLogin, launchChromium, loginDashboard, type DashboardClient } from './helpers/dashboard.ts';
import { startTestStack, type TestStack } from './helpers/harness.ts';

let stack: TestStack;
let browser: Browser;
let mod: DashboardClient;
let otherGuildId: string;

const page = () => `/dashboard/${stack.guild.id}/games`;

/** Page text as a person reads it: tags dropped, entities decoded. */
function text(body: string): string {
  return body
    .replace(/<[^>]+>/g, '')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
}

/** The refusal a 400 page shows in a card, as text. */
function refusal(body: string): string {
  return text(/<p class="notice bad" role="alert">([\s\S]*?)<\/p>/.exec(body)?.[1] ?? '');
}

/** The slash command's refusal (an ephemeral follow-up after its public deferral), without the warning sign. */
async function slashRefusal(commandLine: string): Promise<string> {
  return (await stack.run(commandLine)).replace(/^⚠️ /u, '').replace(/`/g, '');
}

const botSaid = (content: string) => stack.kick.waitForChat(stack.streamer.userId, (m) => m.type === 'bot' && m.content.includes(content), 15_000);
const say = (viewer: { userId: number }, content: string) => stack.kick.sendChat(stack.streamer.userId, viewer.userId, content);
const audits = (action: string) => stack.db.prisma.auditLogEntry.findMany({ where: { guildId: stack.guild.id, action }, orderBy: { createdAt: 'asc' } });

/** Ends whatever game a test left running, so every test starts with none (tests pass in any order). */
async function endRunningGames(): Promise<void> {
  const at = new Date();
  await stack.db.prisma.raffle.updateMany({ where: { guildId: stack.guild.id, openGuildId: { not: null } }, data: { status: 'cancelled', openGuildId: null, closedAt: at } });
  await stack.db.prisma.gtbRound.updateMany({ where: { guildId: stack.guild.id, openGuildId: { not: null } }, data: { status: 'cancelled', openGuildId: null, closedAt: at } });
}

/** A raffle started from the dashboard over HTTP, with `viewers` entered in Kick chat. */
async function raffleWithEntries(keyword: string, viewers: { userId: number }[]): Promise<string> {
  const res = await mod.post(`${page()}/raffle/start`, { keyword, cost: '', durationMinutes: '', winners: '', subscriberLuck: '', giftedSubTickets: '' }, { csrfFrom: page() });
  expect(res.status, refusal(res.body)).toBe(303);
  const raffle = await stack.db.prisma.raffle.findUniqueOrThrow({ where: { openGuildId: stack.guild.id } });
  for (const v of viewers) await say(v, keyword);
  await waitFor(async () => (await stack.db.prisma.raffleEntry.count({ where: { raffleId: raffle.id } })) === viewers.length, { description: 'the entries to arrive from Kick chat' });
  return raffle.id;
}

beforeAll(async () => {
  [stack, browser] = await Promise.all([startTestStack({ dashboard: true }), launchChromium()]);
  mod = await loginDashboard(stack);
  // Another server the bot is in, with a raffle and a round of its own.
  otherGuildId = String(100000000000000000n + BigInt(Math.floor(Math.random() * 1e12)));
  stack.discord.addGuild({ id: otherGuildId, name: 'Elsewhere', channels: [{ name: 'general' }], members: [{ id: '300000000000000001', username: 'them' }] });
  await waitFor(() => stack.db.prisma.guild.findUnique({ where: { id: otherGuildId } }), { description: 'the other guild to be created', timeoutMs: 15_000 });
}, 120_000);
afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await stack?.close();
});
beforeEach(endRunningGames);

/** Accepts the page's next confirmation (`data-confirm`). */
function acceptNextConfirm(tab: Page): void {
  tab.once('dialog', (dialog) => void dialog.accept());
}

describe('dashboard → games', () => {
  it('in Chromium: starts a raffle, the entries count rises as viewers type the keyword (no reload), and Draw names the winner on the page and in Kick chat', async () => {
    const tab = await browserLogin(browser, stack);
    await tab.goto(`${stack.web.url}${page()}`);
    const card = tab.locator('#raffle');
    await card.getByLabel('Keyword').fill('!dashjoin');
    await card.getByLabel('Winners').fill('1');
    await card.getByRole('button', { name: 'Start raffle' }).click();
    await card.getByText('Raffle started').waitFor();
    await botSaid('Type !dashjoin to enter');
    expect(await card.locator('[data-stat=entries]').innerText()).toBe('0');

    // A mark on the window: a reload would lose it.
    await tab.evaluate('window.stillTheSamePage = true');
    const [ann, ben] = [stack.createViewer('dg_ann'), stack.createViewer('dg_ben')];
    await say(ann, '!dashjoin');
    await expect.poll(() => card.locator('[data-stat=entries]').innerText(), { timeout: 15_000 }).toBe('1');
    await say(ben, '!DashJoin hi');
    await expect.poll(() => card.locator('[data-stat=entries]').innerText(), { timeout: 15_000 }).toBe('2');
    await expect.poll(() => tab.locator('#raffle-status').innerText(), { timeout: 5_000 }).toContain('2 entries');
    expect(await card.getByRole('list').innerText()).toContain('dg_ben');
    expect(await tab.evaluate<boolean>('window.stillTheSamePage === true')).toBe(true);

    acceptNextConfirm(tab);
    await card.getByRole('button', { name: 'Draw the winner' }).click();
    await card.getByText('Raffle winner').first().waitFor();
    const winner = await card.locator('[data-stat=winners]').innerText();
    expect(['dg_ann', 'dg_ben']).toContain(winner);
    await botSaid(`Raffle winner: @${winner}!`);
    const drawn = await stack.db.prisma.raffleEntry.findMany({ where: { won: true, raffle: { guildId: stack.guild.id, keyword: '!dashjoin' } } });
    expect(drawn.map((e) => e.username)).toEqual([winner]);
    await tab.close();
  });

  it('in Chromium at 390 px: opens a guess-the-balance round, guesses arrive live, Resolve names the closest guess and pays the prize', async () => {
    const tab = await browserLogin(browser, stack, 'mod', { width: 390, height: 844 });
    await tab.goto(`${stack.web.url}${page()}#gtb`);
    const card = tab.locator('#gtb');
    await card.getByLabel('Prize (points)').fill('75');
    await card.getByRole('button', { name: 'Open round' }).click();
    await card.getByText('Guess the balance is open').waitFor();
    await botSaid('Closest guess wins 75 points');
    const [cat, dov] = [stack.createViewer('dg_cat'), stack.createViewer('dg_dov')];
    await say(cat, '!gtb 1.5k');
    await say(dov, '!gtb 2,100');
    await expect.poll(() => card.locator('[data-stat=guesses]').innerText(), { timeout: 15_000 }).toBe('2');
    expect(await tab.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);

    await card.getByLabel('Final balance').fill('1,620.40');
    acceptNextConfirm(tab);
    await card.getByRole('button', { name: 'Resolve' }).click();
    await card.getByText('The balance was 1,620.40').first().waitFor();
    expect(await card.locator('[data-stat=gtb-winner]').innerText()).toBe('dg_cat');
    await botSaid(`Closest guess: @dg_cat with 1,500.00 and wins 75 points`);
    const stats = await stack.db.prisma.viewerStats.findUnique({ where: { guildId_kickUserId: { guildId: stack.guild.id, kickUserId: cat.userId } } });
    expect(stats?.points).toBe(75);
    expect(await tab.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await tab.close();
  });

  it("refuses to draw a raffle nobody entered with /raffle draw's own words, and records the dashboard's changes as from the dashboard", async () => {
    const start = await mod.post(`${page()}/raffle/start`, { keyword: '!empty', cost: '', durationMinutes: '', winners: '', subscriberLuck: '', giftedSubTickets: '' }, { csrfFrom: page() });
    expect(start.status).toBe(303);
    const raffle = await stack.db.prisma.raffle.findUniqueOrThrow({ where: { openGuildId: stack.guild.id } });
    const slash = await slashRefusal('/raffle draw');
    expect(slash).toContain('Nobody has entered this raffle yet');
    const res = await mod.post(`${page()}/raffle/draw`, { raffleId: raffle.id }, { csrfFrom: page() });
    expect(res.status).toBe(400);
    expect(refusal(res.body)).toBe(slash);
    expect((await stack.db.prisma.raffle.findUniqueOrThrow({ where: { id: raffle.id } })).status).toBe('open');

    const cancelled = await mod.post(`${page()}/raffle/cancel`, { raffleId: raffle.id }, { csrfFrom: page() });
    expect(cancelled.status).toBe(303);
    expect(cancelled.location).toBe(`${page()}?game=raffle#raffle`);
    expect(text((await mod.get(cancelled.location ?? '')).body)).toContain('🎟️ Raffle cancelled.');
    for (const action of ['raffles.start', 'raffles.cancel']) {
      expect((await audits(action)).at(-1), action).toMatchObject({ actorId: stack.moderatorId, actorName: 'mod', source: 'dashboard', detail: expect.objectContaining({ raffle: raffle.id, keyword: '!empty' }) });
    }
    expect((await audits('raffles.draw')).filter((e) => (e.detail as { raffle?: string }).raffle === raffle.id)).toEqual([]);
  });

  it("refuses a bad balance and a raffle start while one runs with the slash commands' texts, keeping what was typed", async () => {
    await mod.post(`${page()}/gtb/start`, { prize: '' }, { csrfFrom: page() });
    const round = await stack.db.prisma.gtbRound.findUniqueOrThrow({ where: { openGuildId: stack.guild.id } });
    const slash = await slashRefusal('/gtb result amount:"a lot"');
    expect(slash).toContain('The balance "a lot" can\'t be read');
    const res = await mod.post(`${page()}/gtb/resolve`, { amount: 'a lot', roundId: round.id }, { csrfFrom: page() });
    expect(res.status).toBe(400);
    expect(refusal(res.body)).toBe(slash);
    expect(res.body).toMatch(/id="gtb-amount" name="amount"[^>]*value="a lot"/);

    await stack.run('/raffle start keyword:!first');
    const again = await mod.post(`${page()}/raffle/start`, { keyword: '!second', cost: '5', durationMinutes: '', winners: '', subscriberLuck: '', giftedSubTickets: '' }, { csrfFrom: page() });
    expect(again.status).toBe(400);
    expect(refusal(again.body)).toBe('A raffle is already running in this server. Finish it with /raffle draw or /raffle cancel first.');
    expect(await stack.db.prisma.raffle.count({ where: { guildId: stack.guild.id, keyword: '!second' } })).toBe(0);
    expect((await audits('raffles.start')).at(-1)).toMatchObject({ source: 'discord', detail: expect.objectContaining({ keyword: '!first' }) });
  });

  it('a double-submitted Draw draws once: one winner, one audit entry, one announcement', async () => {
    const viewers = [stack.createViewer('dg_dd1'), stack.createViewer('dg_dd2'), stack.createViewer('dg_dd3')];
    const raffleId = await raffleWithEntries('!twice', viewers);
    const requestId = 'double-submit-draw-0000001';
    const [a, b] = await Promise.all([
      mod.post(`${page()}/raffle/draw`, { raffleId }, { csrfFrom: page(), requestId }),
      mod.post(`${page()}/raffle/draw`, { raffleId }, { csrfFrom: page(), requestId }),
    ]);
    expect([a.status, b.status]).toEqual([303, 303]);
    expect(await stack.db.prisma.raffleEntry.count({ where: { raffleId, won: true } })).toBe(1);
    expect((await audits('raffles.draw')).filter((e) => (e.detail as { raffle?: string }).raffle === raffleId)).toHaveLength(1);
    await botSaid('(3 entries) Congratulations!');
    // A second Draw form (a new request) for the same raffle is refused, not drawn again.
    const late = await mod.post(`${page()}/raffle/draw`, { raffleId }, { csrfFrom: page() });
    expect(late.status).toBe(400);
    expect(refusal(late.body)).toBe('This raffle has already been drawn.');
    const winnersSaid = stack.kick.chatLog(stack.streamer.userId).filter((m) => m.type === 'bot' && m.content.includes('(3 entries) Congratulations!'));
    expect(winnersSaid).toHaveLength(1);
  });

  it("refuses another server's raffle and round ids and changes nothing there", async () => {
    const theirRaffle = await stack.db.prisma.raffle.create({ data: { guildId: otherGuildId, openGuildId: otherGuildId, broadcasterUserId: 1, keyword: '!theirs', createdByDiscordId: '300000000000000001' } });
    const theirRound = await stack.db.prisma.gtbRound.create({ data: { guildId: otherGuildId, openGuildId: otherGuildId, createdByDiscordId: '300000000000000001' } });
    await mod.post(`${page()}/gtb/start`, { prize: '' }, { csrfFrom: page() });
    const ourRound = await stack.db.prisma.gtbRound.findUniqueOrThrow({ where: { openGuildId: stack.guild.id } });

    for (const todo of ['draw', 'close', 'cancel', 'redraw']) {
      const res = await mod.post(`${page()}/raffle/${todo}`, { raffleId: theirRaffle.id }, { csrfFrom: page() });
      expect(res.status, todo).toBe(400);
      expect(refusal(res.body), todo).toBe('That raffle is not one of this server’s raffles. Reload the page.');
    }
    for (const [todo, fields] of [
      ['resolve', { amount: '10', roundId: theirRound.id }],
      ['close', { roundId: theirRound.id }],
      ['cancel', { roundId: theirRound.id }],
    ] as const) {
      const res = await mod.post(`${page()}/gtb/${todo}`, fields, { csrfFrom: page() });
      expect(res.status, todo).toBe(400);
      expect(refusal(res.body), todo).toBe('That guess-the-balance round is not one of this server’s rounds. Reload the page.');
    }
    expect(await stack.db.prisma.raffle.findUniqueOrThrow({ where: { id: theirRaffle.id } })).toMatchObject({ status: 'open', openGuildId: otherGuildId });
    expect(await stack.db.prisma.gtbRound.findUniqueOrThrow({ where: { id: theirRound.id } })).toMatchObject({ status: 'open', openGuildId: otherGuildId });
    expect(await stack.db.prisma.gtbRound.findUniqueOrThrow({ where: { id: ourRound.id } })).toMatchObject({ status: 'open' });
    expect(text((await mod.get(page())).body)).not.toContain('!theirs');
  });

  it('slot calls: open with a cost, the queue shows the calls, Pick next announces in Kick chat, Remove refunds', async () => {
    await mod.post(`${page()}/slots/close`, {}, { csrfFrom: page() });
    const opened = await mod.post(`${page()}/slots/open`, { cost: '0' }, { csrfFrom: page() });
    expect(opened.status).toBe(303);
    await botSaid('Slot calls are open!');
    const [eli, fox] = [stack.createViewer('dg_eli'), stack.createViewer('dg_fox')];
    await say(eli, '!call Book of Dead');
    await say(fox, '!call Wanted Dead or a Wild');
    await waitFor(async () => (await stack.db.prisma.slotCall.count({ where: { guildId: stack.guild.id, status: 'open' } })) === 2, { description: 'both calls queued' });
    const shown = text((await mod.get(page())).body);
    expect(shown).toContain('Book of Dead — dg_eli');
    const picked = await mod.post(`${page()}/slots/pick`, { random: 'false' }, { csrfFrom: page() });
    expect(picked.status).toBe(303);
    expect(text((await mod.get(picked.location ?? '')).body)).toContain('Next slot: Book of Dead (called by dg_eli)');
    await botSaid('Next slot: call #1 in the queue, called by @dg_eli!');
    const missing = await mod.post(`${page()}/slots/remove`, { viewer: 'nobody_at_all' }, { csrfFrom: page() });
    expect(missing.status).toBe(400);
    expect(refusal(missing.body)).toBe('No open call matches. See /slotcalls list.');
    expect(missing.body).toContain('value="nobody_at_all"');
    const removed = await mod.post(`${page()}/slots/remove`, { slot: 'Wanted Dead or a Wild' }, { csrfFrom: page() });
    expect(removed.status).toBe(303);
    expect(await stack.db.prisma.slotCall.count({ where: { guildId: stack.guild.id, status: 'open' } })).toBe(0);
    const actions = (await stack.db.prisma.auditLogEntry.findMany({ where: { guildId: stack.guild.id, action: { startsWith: 'slotcalls.' }, source: 'dashboard' }, orderBy: { createdAt: 'asc' } })).map((e) => e.action);
    expect(actions.slice(-3)).toEqual(['slotcalls.open', 'slotcalls.pick', 'slotcalls.remove']);
  });

  it('from Discord, /raffle close and /raffle redraw run the same actions, recorded as from Discord', async () => {
    const viewers = [stack.createViewer('dg_rd1'), stack.createViewer('dg_rd2')];
    const raffleId = await raffleWithEntries('!slashy', viewers);
    expect(await stack.run('/raffle close')).toContain('Raffle entries are closed with 2 entries');
    await botSaid('entries are closed — 2 viewers entered');
    const drawn = await stack.run('/raffle draw');
    const first = viewers.find((v) => drawn.includes(v.username));
    const second = viewers.find((v) => v !== first);
    expect(second).toBeDefined();
    expect(await stack.run('/raffle redraw')).toContain(`the new winner is **${second?.username}**`);
    await botSaid(`the new winner is @${second?.username}!`);
    expect(await slashRefusal('/raffle redraw')).toBe('Everyone who entered this raffle has already won: there is nobody left to draw.');
    expect(text((await mod.get(page())).body)).toContain(`Winners: ${[first?.username, second?.username].sort().join(', ')}`);
    for (const action of ['raffles.close', 'raffles.draw', 'raffles.redraw']) {
      expect((await audits(action)).at(-1), action).toMatchObject({ source: 'discord', detail: expect.objectContaining({ raffle: raffleId }) });
    }
  });

  it('a member without Manage Server or a manager role is refused: the page, its live cards and its buttons', async () => {
    const raffleId = await raffleWithEntries('!members', [stack.createViewer('dg_mem')]);
    const member = await loginDashboard(stack, stack.memberId);
    expect((await member.get(page())).status).toBe(403);
    expect((await member.get(`${page()}/live/raffle`)).status).toBe(403);
    const csrf = await member.csrf('/dashboard');
    const body = new URLSearchParams({ _csrf: csrf, _request: 'member-draw-attempt-000001', raffleId });
    const res = await fetch(`${stack.web.url}${page()}/raffle/draw`, { method: 'POST', redirect: 'manual', headers: { cookie: member.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() });
    expect(res.status).toBe(403);
    expect((await stack.db.prisma.raffle.findUniqueOrThrow({ where: { id: raffleId } })).status).toBe('open');
    const live = await mod.get(`${page()}/live/raffle`);
    expect(live.status).toBe(200);
    expect(live.body).toMatch(/^<div id="raffle-live" data-refresh=/);
  });
});
