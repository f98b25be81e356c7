/**
 * The dashboard's shop and role rewards pages, end to end: the web app sends each change through `guild-actions` to
 * the bot, which runs the same code as `/shop` and `/role-rewards` (validation, texts, audit). In headless Chromium a
 * manager adds an item, a viewer redeems it in Kick chat, the purchase appears in the dashboard's queue and is
 * fulfilled or refunded (the exact price, once); a watchtime tier is added and listed. Over HTTP: the refusals are the
 * slash commands' own words, another server's ids are refused, each change is audited as made from the dashboard,
 * and a member who may not manage the server is refused.
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
let viewer: { userId: number; username: string };
const role = { vip: '', watcher: '', above: '' };

const shop = () => `/dashboard/${stack.guild.id}/shop`;
const rewards = () => `/dashboard/${stack.guild.id}/role-rewards`;

async function points(): Promise<number> {
  const row = await stack.db.prisma.viewerStats.findUnique({ where: { guildId_kickUserId: { guildId: stack.guild.id, kickUserId: viewer.userId } } });
  return row?.points ?? 0;
}

/** The text of a page's refusal notices (tags stripped, entities decoded). */
function refusals(body: string): string[] {
  return [...body.matchAll(/<p class="notice bad" role="alert">([\s\S]*?)<\/p>/g)].map((m) =>
    (m[1] ?? '')
      .replace(/<br>/g, '\n')
      .replace(/<[^>]+>/g, '')
      .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n))),
  );
}

/** A slash command's answer as plain text: its refusal mark and Markdown code marks left out. */
function plain(slash: string): string {
  return slash.replace(/^⚠️ /u, '').replace(/`/g, '');
}

/** The page with `text` in `selector`, reloading until it appears (the bot works in the background). */
async function reloadUntil(tab: Page, selector: string, text: string): Promise<void> {
  await expect
    .poll(
      async () => {
        await tab.reload();
        return tab.locator(selector).innerText();
      },
      { timeout: 15_000 },
    )
    .toContain(text);
}

async function latestAudit(action: string) {
  return stack.db.prisma.auditLogEntry.findFirst({ where: { guildId: stack.guild.id, action }, orderBy: { createdAt: 'desc' } });
}

beforeAll(async () => {
  [stack, browser] = await Promise.all([startTestStack({ dashboard: true }), launchChromium()]);
  role.vip = stack.discord.addRole(stack.guild.id, { name: 'VIP' }).id;
  role.watcher = stack.discord.addRole(stack.guild.id, { name: 'Watcher' }).id;
  role.above = stack.discord.addRole(stack.guild.id, { name: 'Above' }).id;
  const bot = stack.discord.getGuild(stack.guild.id)?.roles.find((r) => r.managed);
  if (!bot) throw new Error('the bot has no role in the demo guild');
  stack.discord.updateRole(stack.guild.id, role.above, { position: bot.position + 1 });
  // The Discord member is linked to the Kick viewer and has points to spend.
  viewer = stack.createViewer('dash_buyer');
  await stack.db.prisma.accountLink.create({ data: { discordUserId: stack.memberId, kickUserId: viewer.userId, kickUsername: viewer.username } });
  await appendLedgerEntries(stack.db.prisma, [{ guildId: stack.guild.id, kickUserId: viewer.userId, username: viewer.username, kind: 'admin', points: 1000, idempotencyKey: 'e2e:dash-shop-fund' }]);
  mod = await loginDashboard(stack);
}, 120_000);
afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await stack?.close();
});

describe('dashboard → shop and role rewards, in Chromium', () => {
  it('adds an item; a viewer redeems it in Kick chat; the purchase waits in the dashboard queue and is fulfilled, then a second one refunded exactly once', async () => {
    const tab = await browserLogin(browser, stack);
    tab.on('dialog', (dialog) => void dialog.accept());
    await tab.goto(`${stack.web.url}${shop()}`);

    const settings = tab.locator('#settings');
    await settings.getByLabel('Channel', { exact: true }).selectOption({ label: '#mod-log' });
    await settings.getByRole('button', { name: 'Save channel' }).click();
    await tab.locator('#settings').getByText('Purchases that need a moderator now wait in #mod-log').waitFor();

    const form = tab.locator('#item-form');
    await form.getByLabel('Name', { exact: true }).fill('hug');
    await form.getByLabel('What the buyer gets').selectOption({ label: 'Custom reward (redemption queue)' });
    await form.getByLabel('Price (points)').fill('40');
    await form.getByLabel('Stock', { exact: true }).fill('3');
    await form.getByLabel('Ask the buyer for').fill('a nickname');
    await form.getByRole('button', { name: 'Add item' }).click();
    await tab.locator('#items').getByText('Added hug — 40 points').waitFor();
    expect(await tab.locator('#items tbody tr').first().innerText()).toContain('3 left');
    const hug = await stack.db.prisma.shopItem.findFirstOrThrow({ where: { guildId: stack.guild.id, name: 'hug' } });
    expect(hug).toMatchObject({ kind: 'reward', price: 40, stock: 3, inputPrompt: 'a nickname', enabled: true });

    // The viewer buys in Kick chat (kick-sim → web → queue → bot); the purchase shows up in the dashboard's queue.
    await stack.kick.sendChat(stack.streamer.userId, viewer.userId, '!redeem hug sunny');
    await stack.drain();
    await reloadUntil(tab, '#queue', viewer.username);
    expect(await points()).toBe(960);
    const queue = tab.locator('#queue');
    expect(await queue.innerText()).toContain('sunny');
    await queue.getByRole('button', { name: 'Fulfil' }).click();
    await tab.locator('#queue').getByText(`Fulfilled hug for ${viewer.username}`).waitFor();
    const first = await stack.db.prisma.shopRedemption.findFirstOrThrow({ where: { guildId: stack.guild.id, itemId: hug.id }, orderBy: { createdAt: 'asc' } });
    expect(first).toMatchObject({ status: 'fulfilled', decidedByDiscordId: stack.moderatorId });
    expect(await tab.locator('#queue').innerText()).toContain('Nothing waits for a moderator');
    // Discord's copy of the queue shows the decision and loses its buttons.
    await waitFor(() => stack.discord.messages(stack.guild.modLogChannelId).some((m) => m.id === first.queueMessageId && JSON.stringify(m.embeds).includes('Fulfilled by') && (m.components ?? []).length === 0), {
      description: 'the Discord queue message to show the dashboard decision',
    });

    await stack.kick.sendChat(stack.streamer.userId, viewer.userId, '!redeem hug rainy');
    await stack.drain();
    await reloadUntil(tab, '#queue', 'rainy');
    expect(await points()).toBe(920);
    await tab.locator('#queue').getByRole('button', { name: 'Refund' }).click();
    await tab.locator('#queue').getByText(`Refunded hug: 40 points went back to ${viewer.username}`).waitFor();
    expect(await points()).toBe(960);
    expect(await tab.locator('#queue').innerText()).toContain('Refunded by mod');
    expect((await stack.db.prisma.shopItem.findUniqueOrThrow({ where: { id: hug.id } })).stock).toBe(2);

    // The same refund again (another moderator, or a stale page) changes nothing and says who decided first.
    const second = await stack.db.prisma.shopRedemption.findFirstOrThrow({ where: { guildId: stack.guild.id, itemId: hug.id, status: 'refunded' } });
    const again = await mod.post(`${shop()}/redemptions/${second.id}`, { do: 'refund' }, { csrfFrom: shop() });
    expect(again.status).toBe(400);
    expect(refusals(again.body)).toContain(`This purchase was already refunded by @${stack.moderatorId}.`);
    expect(await points()).toBe(960);
    expect(await stack.db.prisma.pointsLedger.count({ where: { guildId: stack.guild.id, idempotencyKey: `shop-refund:${second.id}` } })).toBe(1);
    await tab.close();
  });

  it('adds a watchtime tier with the role picker and lists it; the pages fit a 390 px screen', async () => {
    const tab = await browserLogin(browser, stack);
    await tab.goto(`${stack.web.url}${rewards()}`);
    const tiers = tab.locator('#tiers');
    await tiers.getByLabel('Counts').selectOption('watchtime');
    await tiers.getByLabel('Threshold').fill('10');
    await tiers.getByLabel('Role given').selectOption({ label: '@Watcher' });
    await tiers.getByRole('button', { name: 'Add tier' }).click();
    await tab.locator('#tiers').getByText('Linked viewers with 10 h watchtime get @Watcher').waitFor();
    const row = tab.locator('#tier-watchtime-600');
    expect(await row.innerText()).toContain('10 h watchtime');
    expect(await row.innerText()).toContain('@Watcher');
    expect(await stack.db.prisma.roleRewardTier.findMany({ where: { guildId: stack.guild.id } })).toEqual([expect.objectContaining({ kind: 'watchtime', threshold: 600, roleId: role.watcher })]);
    expect(await stack.run('/role-rewards list')).toContain(`10 h watchtime → <@&${role.watcher}>`);
    await tab.close();

    const phone = await browserLogin(browser, stack, 'mod', { width: 390, height: 844 });
    for (const path of [shop(), rewards()]) {
      await phone.goto(`${stack.web.url}${path}`);
      // Evaluated in the page (a string, as this package is typed without the DOM).
      const overflow = await phone.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
      expect(overflow, `${path} scrolls sideways at 390 px`).toBeLessThanOrEqual(0);
    }
    await phone.close();
  });
});

describe('dashboard → shop and role rewards, over HTTP', () => {
  it('refuses with the slash commands’ own words, keeps what was typed, and changes nothing', async () => {
    const slashDuplicate = await stack.run('/shop add name:hug kind:reward price:5');
    const duplicate = await mod.post(`${shop()}/items`, { name: 'hug', kind: 'reward', price: '5', stock: '', perViewerLimit: '0', cooldownSec: '0', inputPrompt: '', description: 'typed text', roleId: '', roleDays: '', template: '' }, { csrfFrom: shop() });
    expect(duplicate.status).toBe(400);
    expect(refusals(duplicate.body)).toContain(plain(slashDuplicate));
    expect(duplicate.body).toMatch(/id="item-description" name="description"[^>]*>typed text<\/textarea>/);
    expect(await stack.db.prisma.shopItem.count({ where: { guildId: stack.guild.id } })).toBe(1);

    const slashChat = await stack.run('/shop add name:shout kind:chat price:5');
    const chat = await mod.post(`${shop()}/items`, { name: 'shout', kind: 'chat', price: '5', template: '' }, { csrfFrom: shop() });
    expect(refusals(chat.body)).toContain(plain(slashChat));

    const slashTier = await stack.run('/role-rewards tier-remove kind:watchtime threshold:99');
    const tier = await mod.post(`${rewards()}/tiers/remove`, { kind: 'watchtime', threshold: '99' }, { csrfFrom: rewards() });
    expect(tier.status).toBe(400);
    expect(refusals(tier.body)).toContain(plain(slashTier));

    const botRole = stack.discord.getGuild(stack.guild.id)?.roles.find((r) => r.managed);
    const slashManaged = await stack.run(`/role-rewards subscriber role:@${botRole?.name ?? ''}`);
    const managed = await mod.post(`${rewards()}/subscriber`, { roleId: botRole?.id ?? '' }, { csrfFrom: rewards() });
    expect(managed.status).toBe(400);
    expect(plain(slashManaged)).toContain('belongs to an integration');
    expect(refusals(managed.body)).toContain(plain(slashManaged));

    const badThreshold = await mod.post(`${rewards()}/tiers`, { kind: 'points', threshold: 'lots', roleId: role.vip }, { csrfFrom: rewards() });
    expect(badThreshold.status).toBe(400);
    expect(refusals(badThreshold.body).join('\n')).toContain('The threshold must be a whole number.');
    expect(badThreshold.body).toMatch(/name="threshold"[^>]*value="lots"/);
    expect(await stack.db.prisma.roleRewardSettings.findUnique({ where: { guildId: stack.guild.id } })).toBeNull();
  });

  it('a role above the bot’s is refused for a shop item with the slash command’s text; for a role reward it is saved with the same warning and listed as a problem', async () => {
    const slash = await stack.run(`/shop add name:legend kind:role price:10 role:<@&${role.above}>`);
    expect(slash).toMatch(/Move kickcord's role \(@[\w -]+\) above @Above/u);
    const res = await mod.post(`${shop()}/items`, { name: 'legend', kind: 'role', price: '10', roleId: role.above, roleDays: '' }, { csrfFrom: shop() });
    expect(res.status).toBe(400);
    expect(refusals(res.body)).toContain(plain(slash));
    expect(await stack.db.prisma.shopItem.count({ where: { guildId: stack.guild.id, name: 'legend' } })).toBe(0);

    const slashBadge = await stack.run('/role-rewards badge badge:og role:@Above');
    const warning = slashBadge.split('\n').find((l) => l.startsWith('⚠️ Not working yet'));
    expect(warning).toContain("move kickcord's role");
    const saved = await mod.post(`${rewards()}/badges/og`, { roleId: role.above }, { csrfFrom: rewards() });
    expect(saved.status).toBe(303);
    const page = await mod.get(saved.location ?? '');
    const text = page.body.replace(/<[^>]+>/g, '').replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));
    expect(text).toContain(warning);
    expect(page.body).toContain('cannot be given yet');
    // Put back: the og badge gives no role.
    expect((await mod.post(`${rewards()}/badges/og`, { roleId: '' }, { csrfFrom: rewards() })).status).toBe(303);
  });

  it("refuses another server's item, purchase, role and channel", async () => {
    const otherId = String(100000000000000000n + BigInt(Math.floor(Math.random() * 1e12)));
    const elsewhere = stack.discord.addGuild({ id: otherId, name: 'Elsewhere', channels: [{ name: 'their-queue' }], roles: [{ name: 'Theirs' }], members: [{ id: '200000000000000099', username: 'them' }] });
    // The bot is in that server too: its guild sync records it.
    await waitFor(() => stack.db.prisma.guild.findUnique({ where: { id: otherId } }), { description: 'the other guild to be recorded by guild sync' });
    const theirItem = await stack.db.prisma.shopItem.create({ data: { guildId: otherId, name: 'theirs', kind: 'reward', price: 10, createdByDiscordId: '200000000000000099' } });
    const theirRedemption = await stack.db.prisma.shopRedemption.create({ data: { id: 'other-guild-redemption-1', guildId: otherId, itemId: theirItem.id, kickUserId: viewer.userId, username: viewer.username, price: 10, source: 'kick' } });

    for (const todo of ['pause', 'delete']) {
      const res = await mod.post(`${shop()}/items/${theirItem.id}`, { do: todo }, { csrfFrom: shop() });
      expect(res.status).toBe(400);
      expect(refusals(res.body)).toContain('That item is no longer in the shop.');
    }
    const edit = await mod.post(`${shop()}/items/${theirItem.id}`, { do: 'save', kind: 'reward', price: '1', perViewerLimit: '0', cooldownSec: '0' }, { csrfFrom: shop() });
    expect(refusals(edit.body)).toContain('That item is no longer in the shop.');
    for (const todo of ['fulfil', 'refund']) {
      const res = await mod.post(`${shop()}/redemptions/${theirRedemption.id}`, { do: todo }, { csrfFrom: shop() });
      expect(res.status).toBe(400);
      expect(refusals(res.body)).toContain('This purchase no longer exists.');
    }
    expect(await stack.db.prisma.shopItem.findUniqueOrThrow({ where: { id: theirItem.id } })).toMatchObject({ enabled: true, price: 10 });
    expect(await stack.db.prisma.shopRedemption.findUniqueOrThrow({ where: { id: theirRedemption.id } })).toMatchObject({ status: 'pending', decidedByDiscordId: null });

    const theirRole = elsewhere.roles.find((r) => r.name === 'Theirs')?.id ?? '';
    const tier = await mod.post(`${rewards()}/tiers`, { kind: 'points', threshold: '500', roleId: theirRole }, { csrfFrom: rewards() });
    expect(refusals(tier.body)).toContain('That role is not a role of this server.');
    const item = await mod.post(`${shop()}/items`, { name: 'stolen', kind: 'role', price: '5', roleId: theirRole }, { csrfFrom: shop() });
    expect(refusals(item.body)).toContain('That role is not a role of this server.');
    const theirChannel = elsewhere.channels.find((c) => c.name === 'their-queue')?.id ?? '';
    const channel = await mod.post(`${shop()}/settings`, { queueChannelId: theirChannel }, { csrfFrom: shop() });
    expect(refusals(channel.body).join('\n')).toContain('I cannot see that channel');
    expect((await stack.db.prisma.guildSettings.findUnique({ where: { guildId: stack.guild.id } }))?.shopQueueChannelId).toBe(stack.guild.modLogChannelId);
    expect(await stack.db.prisma.roleRewardTier.count({ where: { guildId: stack.guild.id, roleId: theirRole } })).toBe(0);
  });

  it('records each change with who made it and from where; /shop edit from Discord is recorded as such', async () => {
    expect(await latestAudit('shop.item.add')).toMatchObject({ actorId: stack.moderatorId, actorName: 'mod', source: 'dashboard', detail: expect.objectContaining({ item: 'hug', price: 40 }) });
    expect(await latestAudit('shop.redemption.refund')).toMatchObject({ source: 'dashboard', detail: expect.objectContaining({ item: 'hug', viewer: viewer.username, price: 40 }) });
    expect(await latestAudit('shop.redemption.fulfil')).toMatchObject({ source: 'dashboard' });
    expect(await latestAudit('shop.settings')).toMatchObject({ source: 'dashboard', detail: { queueChannel: { from: null, to: stack.guild.modLogChannelId } } });
    expect(await latestAudit('roleRewards.tier.add')).toMatchObject({ source: 'dashboard', detail: { tier: '10 h watchtime', role: { from: null, to: role.watcher } } });

    const hug = await stack.db.prisma.shopItem.findFirstOrThrow({ where: { guildId: stack.guild.id, name: 'hug' } });
    const paused = await mod.post(`${shop()}/items/${hug.id}`, { do: 'pause' }, { csrfFrom: shop() });
    expect(paused.status).toBe(303);
    expect((await mod.get(paused.location ?? '')).body).toContain('is paused: viewers cannot buy it');
    expect(await latestAudit('shop.item.pause')).toMatchObject({ source: 'dashboard', detail: { item: 'hug', enabled: { from: true, to: false } } });

    expect(await stack.run('/shop edit name:hug price:45 enabled:true')).toContain('**hug** — 45 points');
    expect(await latestAudit('shop.item.edit')).toMatchObject({ source: 'discord', actorId: stack.moderatorId, detail: { item: 'hug', price: { from: 40, to: 45 }, enabled: { from: false, to: true } } });
  });

  it('edits an item in the form and deletes it; Sync now gives a tier role at once and is not repeated within 30 seconds', async () => {
    const hug = await stack.db.prisma.shopItem.findFirstOrThrow({ where: { guildId: stack.guild.id, name: 'hug' } });
    const editPage = await mod.get(`${shop()}?edit=${hug.id}`);
    expect(editPage.body).toContain('Edit hug');
    const saved = await mod.post(`${shop()}/items/${hug.id}`, { do: 'save', kind: 'role', price: '50', stock: '', perViewerLimit: '1', cooldownSec: '0', inputPrompt: '', description: 'a hug role', roleId: role.vip, roleDays: '7', template: '', enabled: 'on' }, { csrfFrom: shop() });
    expect(saved.status, saved.body).toBe(303);
    expect(await stack.db.prisma.shopItem.findUniqueOrThrow({ where: { id: hug.id } })).toMatchObject({ kind: 'role', price: 50, stock: null, perViewerLimit: 1, inputPrompt: null, roleId: role.vip, roleDays: 7, enabled: true });

    const deleted = await mod.post(`${shop()}/items/${hug.id}`, { do: 'delete' }, { csrfFrom: shop() });
    expect(deleted.status).toBe(303);
    expect((await mod.get(deleted.location ?? '')).body).toContain('Removed <strong>hug</strong> from the shop.');
    expect(await stack.db.prisma.shopItem.count({ where: { id: hug.id } })).toBe(0);
    expect(await latestAudit('shop.item.remove')).toMatchObject({ source: 'dashboard', detail: expect.objectContaining({ item: 'hug' }) });

    // The linked member has watched 12 hours: Sync now gives them the 10-hour tier's role right away.
    await stack.db.prisma.viewerStats.update({ where: { guildId_kickUserId: { guildId: stack.guild.id, kickUserId: viewer.userId } }, data: { activeMinutes: 12 * 60 } });
    const synced = await mod.post(`${rewards()}/sync`, {}, { csrfFrom: rewards() });
    expect(synced.status, synced.body).toBe(303);
    expect((await mod.get(synced.location ?? '')).body).toContain('1 role given');
    expect(stack.discord.getGuild(stack.guild.id)?.members.find((m) => m.id === stack.memberId)?.roles).toContain(role.watcher);
    expect(await latestAudit('roleRewards.sync')).toMatchObject({ source: 'dashboard', detail: expect.objectContaining({ added: 1 }) });
    const again = await mod.post(`${rewards()}/sync`, {}, { csrfFrom: rewards() });
    expect(again.status).toBe(400);
    expect(refusals(again.body)).toContain('Role rewards of this server were synced less than 30 seconds ago: try again in a moment.');
    // /role-rewards sync runs the same action: the same refusal.
    expect(await stack.run('/role-rewards sync')).toBe('⚠️ Role rewards of this server were synced less than 30 seconds ago: try again in a moment.');
  });

  it('a member without Manage Server or a manager role is refused on GET and POST', async () => {
    const member = await loginDashboard(stack, stack.memberId);
    expect((await member.get(shop())).status).toBe(403);
    expect((await member.get(rewards())).status).toBe(403);
    const csrf = await member.csrf('/dashboard');
    for (const [path, fields] of [
      [`${shop()}/items`, { name: 'sneaky', kind: 'reward', price: '1' }],
      [`${rewards()}/tiers`, { kind: 'points', threshold: '1', roleId: role.vip }],
    ] as const) {
      const body = new URLSearchParams({ _csrf: csrf, ...fields });
      const res = await fetch(`${stack.web.url}${path}`, { method: 'POST', redirect: 'manual', headers: { cookie: member.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() });
      expect(res.status).toBe(403);
    }
    expect(await stack.db.prisma.shopItem.count({ where: { guildId: stack.guild.id, name: 'sneaky' } })).toBe(0);
    expect(await stack.db.prisma.roleRewardTier.count({ where: { guildId: stack.guild.id, kind: 'points' } })).toBe(0);
  });
});
