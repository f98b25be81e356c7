/**
 * The points shop and the chat games at the service level: kick-sim chat → the bot's real chat handlers, real
 * PostgreSQL and Redis, and discord-sim for what the bot does on Discord over REST (the redemption queue, roles).
 * The Discord buttons and select menus, through a real discord.js client, are in e2e/__tests__/shop.e2e.test.ts.
 */
import { appendLedgerEntries } from '@kickcord/db';
import { startDiscordSim, type DiscordSim, type SimGuild } from '@kickcord/discord-sim';
import { KICK_CHAT_MAX_LENGTH } from '@kickcord/kick';
import { REST } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BotContext } from '../src/context.ts';
import { kickEventHandlersOf } from '../src/features/assemble.ts';
import { expireDuels } from '../src/features/chatGames/duelService.ts';
import { gamble } from '../src/features/chatGames/gambleService.ts';
import { updateGamesSettings } from '../src/features/chatGames/gamesCommand.ts';
import { createChatGamesFeature } from '../src/features/chatGames/index.ts';
import { shopFeature } from '../src/features/shop/index.ts';
import { postWaitingRedemptions } from '../src/features/shop/redemptionQueue.ts';
import { expireShopRoles, fulfilRedemption, purchaseItem, refundRedemption } from '../src/features/shop/redemptions.ts';
import { addShopItem, removeShopItem, type ShopItemFields } from '../src/features/shop/shopItems.ts';
import { startServiceStack, type ServiceStack } from './helpers/serviceStack.ts';

const MOD = '300000000000000001';
const DAY = 86_400_000;

/** Rolls the chat games take from (`randomInt`), in order; an empty list rolls 0. */
const rolls: number[] = [];
const asked: number[] = [];
let stack: ServiceStack;
let discord: DiscordSim;

beforeAll(async () => {
  const games = createChatGamesFeature({
    randomInt: (max) => {
      asked.push(max);
      return rolls.shift() ?? 0;
    },
  });
  [stack, discord] = await Promise.all([startServiceStack({ handlers: kickEventHandlersOf([shopFeature, games]) }), startDiscordSim()]);
  Object.assign(stack.ctx, { discordRest: new REST({ api: discord.apiUrl, retries: 0 }).setToken(discord.token) });
}, 60_000);
afterAll(async () => {
  await stack?.close();
  await discord?.close();
});

let seq = 0;
interface Shop {
  guildId: string;
  streamer: { userId: number; username: string };
  discordGuild: SimGuild;
  queueChannelId: string;
  vipRoleId: string;
}

/** A guild owning a Kick channel, its Discord server (a #shop-queue channel, a VIP role below kickcord's) and the queue setting. */
async function newShop(name: string): Promise<Shop> {
  const { guildId, streamer } = await stack.addOwnerGuild(name);
  const discordGuild = discord.addGuild({ id: guildId, name, channels: [{ name: 'shop-queue' }], roles: [{ name: 'VIP' }], members: [{ id: `5${String(++seq).padStart(17, '0')}`, username: 'owner' }] });
  const queueChannelId = discordGuild.channels[0]!.id;
  await stack.db.prisma.guildSettings.update({ where: { guildId }, data: { shopQueueChannelId: queueChannelId } });
  return { guildId, streamer, discordGuild, queueChannelId, vipRoleId: discordGuild.roles.find((r) => r.name === 'VIP')!.id };
}

function item(overrides: Partial<ShopItemFields> & { name: string; price: number }): ShopItemFields & { name: string } {
  return { kind: 'reward', stock: null, perViewerLimit: 0, cooldownSec: 0, inputPrompt: null, description: '', roleId: null, roleDays: null, template: null, enabled: true, ...overrides };
}

async function fund(guildId: string, viewer: { userId: number; username: string }, points: number): Promise<void> {
  await appendLedgerEntries(stack.db.prisma, [{ guildId, kickUserId: viewer.userId, username: viewer.username, kind: 'admin', points, idempotencyKey: `test-fund:${++seq}` }]);
}
async function balance(guildId: string, userId: number): Promise<number> {
  const row = await stack.db.prisma.viewerStats.findUnique({ where: { guildId_kickUserId: { guildId, kickUserId: userId } } });
  return row?.points ?? 0;
}
/** The sum of a viewer's ledger entries, which every balance must equal. */
async function ledgerSum(guildId: string, userId: number): Promise<number> {
  const agg = await stack.db.prisma.pointsLedger.aggregate({ where: { guildId, kickUserId: userId }, _sum: { points: true } });
  return agg._sum.points ?? 0;
}
function botChat(streamerId: number): string[] {
  return stack.sim.chatLog(streamerId).filter((m) => m.type === 'bot').map((m) => m.content);
}
async function chat(streamerId: number, viewer: { userId: number }, content: string): Promise<string> {
  const sent = await stack.sim.sendChat(streamerId, viewer.userId, content);
  expect(stack.failures).toEqual([]);
  return sent.messageId;
}
/** A Kick viewer, linked to a Discord member of the shop's server when `linked`. */
async function viewer(shop: Shop, name: string, options: { linked?: boolean } = {}): Promise<{ userId: number; username: string; discordId: string }> {
  const v = stack.viewer(`${name}${++seq}`);
  const discordId = `6${String(seq).padStart(17, '0')}`;
  if (options.linked) {
    discord.addMember(shop.guildId, { id: discordId, username: v.username });
    await stack.db.prisma.accountLink.create({ data: { discordUserId: discordId, kickUserId: v.userId, kickUsername: v.username } });
  }
  return { ...v, discordId };
}
function memberRoles(shop: Shop, discordId: string): string[] {
  return discord.getGuild(shop.guildId)?.members.find((m) => m.id === discordId)?.roles ?? [];
}

describe('buying in Kick chat', () => {
  it('sells a reward once per Kick message: one ledger entry, one queue message with the input, Kick chat never repeats the input', async () => {
    const shop = await newShop('reward');
    await addShopItem(stack.ctx, { guildId: shop.guildId, actorDiscordId: MOD, ...item({ name: 'Song', price: 100, inputPrompt: 'song link' }) });
    const alice = await viewer(shop, 'alice');
    await fund(shop.guildId, alice, 250);

    const messageId = await chat(shop.streamer.userId, alice, '!redeem song https://spam.example/buy-followers  now');
    expect(await balance(shop.guildId, alice.userId)).toBe(150);
    const redemption = await stack.db.prisma.shopRedemption.findFirstOrThrow({ where: { guildId: shop.guildId } });
    expect(redemption).toMatchObject({ kickUserId: alice.userId, price: 100, status: 'pending', input: 'https://spam.example/buy-followers  now', source: 'kick' });
    const queued = await discord.waitForMessage(shop.queueChannelId, (m) => m.embeds.length > 0);
    expect(JSON.stringify(queued.embeds)).toContain('https://spam.example/buy-followers');
    expect(JSON.stringify(queued.embeds)).toContain(alice.username);
    expect(JSON.stringify(queued.components)).toContain(`shop:fulfil:${redemption.id}`);
    expect(JSON.stringify(queued.components)).toContain(`shop:refund:${redemption.id}`);
    expect(botChat(shop.streamer.userId).some((m) => m.includes(`@${alice.username} you redeemed song for 100 points`))).toBe(true);
    expect(botChat(shop.streamer.userId).join('\n')).not.toContain('spam.example');

    // The same Kick message again (a retried job or a duplicate delivery) buys nothing more.
    const again = await purchaseItem(stack.ctx, { guildId: shop.guildId, itemName: 'song', buyer: { kickUserId: alice.userId, username: alice.username, discordUserId: null }, input: 'other', source: { kind: 'kick', messageId } });
    expect(again.outcome).toBe('duplicate');
    expect(await balance(shop.guildId, alice.userId)).toBe(150);
    expect(await stack.db.prisma.pointsLedger.count({ where: { guildId: shop.guildId, kind: 'shop' } })).toBe(1);
    expect(await stack.db.prisma.shopRedemption.count({ where: { guildId: shop.guildId } })).toBe(1);
    expect(discord.messages(shop.queueChannelId)).toHaveLength(1);
    expect(await ledgerSum(shop.guildId, alice.userId)).toBe(150);
  });

  it('answers a missing input, an unknown item and a poor buyer without charging or repeating what they typed', async () => {
    const shop = await newShop('refusals');
    await addShopItem(stack.ctx, { guildId: shop.guildId, actorDiscordId: MOD, ...item({ name: 'song', price: 100, inputPrompt: 'song link' }) });
    await addShopItem(stack.ctx, { guildId: shop.guildId, actorDiscordId: MOD, ...item({ name: 'shoutout', price: 500 }) });
    const bob = await viewer(shop, 'bob');
    await fund(shop.guildId, bob, 120);
    await chat(shop.streamer.userId, bob, '!redeem song');
    await chat(shop.streamer.userId, bob, '!redeem www.evil.example');
    await chat(shop.streamer.userId, bob, '!redeem shoutout');
    const said = botChat(shop.streamer.userId);
    expect(said).toContain(`@${bob.username} song needs your input: !redeem song <song link>`);
    expect(said).toContain(`@${bob.username} there is no such item — type !shop for the list.`);
    expect(said).toContain(`@${bob.username} shoutout costs 500 points — you have 120.`);
    expect(said.join('\n')).not.toContain('evil.example');
    expect(await balance(shop.guildId, bob.userId)).toBe(120);
    expect(await stack.db.prisma.shopRedemption.count({ where: { guildId: shop.guildId } })).toBe(0);
  });

  it('says "1 point", not "1 points", for a price and a balance of one', async () => {
    const shop = await newShop('singular');
    await addShopItem(stack.ctx, { guildId: shop.guildId, actorDiscordId: MOD, ...item({ name: 'tip', price: 1 }) });
    const una = await viewer(shop, 'una');
    await fund(shop.guildId, una, 2);
    await chat(shop.streamer.userId, una, '!redeem tip');
    expect(botChat(shop.streamer.userId)).toContain(`@${una.username} you redeemed tip for 1 point — a moderator will take care of it. (1 point left)`);
    const queued = await discord.waitForMessage(shop.queueChannelId, (m) => m.embeds.length > 0);
    expect(JSON.stringify(queued.embeds)).toContain('Paid 1 point\\n');
  });

  it('!shop lists the items briefly within Kick’s message limit', async () => {
    const shop = await newShop('list');
    for (let i = 0; i < 25; i++) await addShopItem(stack.ctx, { guildId: shop.guildId, actorDiscordId: MOD, ...item({ name: `item_with_a_long_name_${String(i).padStart(2, '0')}`, price: 1000 + i, stock: i === 0 ? 0 : null }) });
    const carol = await viewer(shop, 'carol');
    await chat(shop.streamer.userId, carol, '!shop');
    const line = botChat(shop.streamer.userId).find((m) => m.startsWith('🛒'));
    expect(line).toBeDefined();
    expect(line!.length).toBeLessThanOrEqual(KICK_CHAT_MAX_LENGTH);
    expect(line).toContain('item_with_a_long_name_00 1,000 (sold out)');
    expect(line).toContain('item_with_a_long_name_01 1,001');
    expect(line!.endsWith('— !redeem <item>')).toBe(true);
  });

  it('a chat message item posts its template in Kick chat (never the input) and is fulfilled', async () => {
    const shop = await newShop('chatitem');
    await addShopItem(stack.ctx, { guildId: shop.guildId, actorDiscordId: MOD, ...item({ name: 'hydrate', price: 20, kind: 'chat', template: '💧 {user} made the streamer drink water ({price} points)!' }) });
    await expect(addShopItem(stack.ctx, { guildId: shop.guildId, actorDiscordId: MOD, ...item({ name: 'bad', price: 20, kind: 'chat', template: 'hi {input}' }) })).rejects.toThrow(/mistakes/);
    const dan = await viewer(shop, 'dan');
    await fund(shop.guildId, dan, 50);
    await chat(shop.streamer.userId, dan, '!redeem hydrate');
    expect(botChat(shop.streamer.userId)).toContain(`💧 ${dan.username} made the streamer drink water (20 points)!`);
    expect(await stack.db.prisma.shopRedemption.findFirstOrThrow({ where: { guildId: shop.guildId } })).toMatchObject({ status: 'fulfilled' });
    expect(await balance(shop.guildId, dan.userId)).toBe(30);
  });
});

describe('stock, limits and cooldowns', () => {
  it('sells the last units exactly once to concurrent buyers in several workers: stock never goes negative', async () => {
    const shop = await newShop('rush');
    const stockItem = await addShopItem(stack.ctx, { guildId: shop.guildId, actorDiscordId: MOD, ...item({ name: 'rare', price: 10, stock: 3 }) });
    const buyers = await Promise.all(Array.from({ length: 10 }, (_, i) => viewer(shop, `rush${i}`)));
    for (const b of buyers) await fund(shop.guildId, b, 100);
    const workers: BotContext[] = [stack.ctx, ...(await Promise.all(Array.from({ length: 4 }, () => stack.newContext())))].map((w) => Object.assign(w, { discordRest: stack.ctx.discordRest }));
    const results = await Promise.all(
      buyers.map((b, i) => purchaseItem(workers[i % workers.length]!, { guildId: shop.guildId, itemName: 'rare', buyer: { kickUserId: b.userId, username: b.username, discordUserId: null }, input: null, source: { kind: 'kick', messageId: `rush-${shop.guildId}-${i}` } })),
    );
    expect(results.filter((r) => r.outcome === 'bought')).toHaveLength(3);
    expect(results.filter((r) => r.outcome === 'sold-out')).toHaveLength(7);
    expect((await stack.db.prisma.shopItem.findUniqueOrThrow({ where: { id: stockItem.id } })).stock).toBe(0);
    expect(await stack.db.prisma.shopRedemption.count({ where: { itemId: stockItem.id } })).toBe(3);
    expect(await stack.db.prisma.pointsLedger.count({ where: { guildId: shop.guildId, kind: 'shop' } })).toBe(3);
    const balances = await Promise.all(buyers.map((b) => balance(shop.guildId, b.userId)));
    expect(balances.filter((p) => p === 90)).toHaveLength(3);
    expect(balances.filter((p) => p === 100)).toHaveLength(7);

    // Sold out in chat too, and a refund puts the unit back.
    const late = await viewer(shop, 'late');
    await fund(shop.guildId, late, 100);
    await chat(shop.streamer.userId, late, '!redeem rare');
    expect(botChat(shop.streamer.userId)).toContain(`@${late.username} rare is sold out.`);
    const first = results.find((r) => r.outcome === 'bought');
    if (first?.outcome !== 'bought') throw new Error('no purchase');
    await refundRedemption(stack.ctx, { guildId: shop.guildId, redemptionId: first.redemption.id, actorDiscordId: MOD });
    expect((await stack.db.prisma.shopItem.findUniqueOrThrow({ where: { id: stockItem.id } })).stock).toBe(1);
  });

  it('one viewer racing two purchases past a per-viewer limit of 1 gets exactly one', async () => {
    const shop = await newShop('race');
    await addShopItem(stack.ctx, { guildId: shop.guildId, actorDiscordId: MOD, ...item({ name: 'once', price: 10, perViewerLimit: 1 }) });
    const eve = await viewer(shop, 'eve');
    await fund(shop.guildId, eve, 100);
    const other = Object.assign(await stack.newContext(), { discordRest: stack.ctx.discordRest });
    const results = await Promise.all(
      [stack.ctx, other, stack.ctx, other].map((w, i) => purchaseItem(w, { guildId: shop.guildId, itemName: 'once', buyer: { kickUserId: eve.userId, username: eve.username, discordUserId: null }, input: null, source: { kind: 'kick', messageId: `race-${shop.guildId}-${i}` } })),
    );
    expect(results.map((r) => r.outcome).sort()).toEqual(['bought', 'limit', 'limit', 'limit']);
    expect(await balance(shop.guildId, eve.userId)).toBe(90);
  });

  it('enforces the per-viewer limit and cooldown (refunded purchases do not count)', async () => {
    const shop = await newShop('limits');
    await addShopItem(stack.ctx, { guildId: shop.guildId, actorDiscordId: MOD, ...item({ name: 'snack', price: 5, perViewerLimit: 2, cooldownSec: 60 }) });
    const fay = await viewer(shop, 'fay');
    await fund(shop.guildId, fay, 100);
    await chat(shop.streamer.userId, fay, '!redeem snack');
    await chat(shop.streamer.userId, fay, '!redeem snack');
    expect(botChat(shop.streamer.userId)).toContain(`@${fay.username} you can buy snack again in 60s.`);
    stack.clock.advance(61_000);
    await chat(shop.streamer.userId, fay, '!redeem snack');
    stack.clock.advance(61_000);
    await chat(shop.streamer.userId, fay, '!redeem snack');
    expect(botChat(shop.streamer.userId)).toContain(`@${fay.username} you already bought snack as often as one viewer may (2).`);
    expect(await balance(shop.guildId, fay.userId)).toBe(90);
    const last = await stack.db.prisma.shopRedemption.findFirstOrThrow({ where: { guildId: shop.guildId }, orderBy: { createdAt: 'desc' } });
    await refundRedemption(stack.ctx, { guildId: shop.guildId, redemptionId: last.id, actorDiscordId: MOD });
    await chat(shop.streamer.userId, fay, '!redeem snack');
    expect(await balance(shop.guildId, fay.userId)).toBe(90);
    expect(await stack.db.prisma.shopRedemption.count({ where: { guildId: shop.guildId, status: { not: 'refunded' } } })).toBe(2);
    expect(await ledgerSum(shop.guildId, fay.userId)).toBe(90);
  });
});

describe('the redemption queue', () => {
  it('refunds exactly once through the ledger, fulfils once, and a decided purchase stays decided', async () => {
    const shop = await newShop('decide');
    await addShopItem(stack.ctx, { guildId: shop.guildId, actorDiscordId: MOD, ...item({ name: 'emote', price: 777, stock: 5 }) });
    const gus = await viewer(shop, 'gus');
    await fund(shop.guildId, gus, 1000);
    await chat(shop.streamer.userId, gus, '!redeem emote');
    await chat(shop.streamer.userId, gus, '!redeem emote');
    const [a, b] = await stack.db.prisma.shopRedemption.findMany({ where: { guildId: shop.guildId }, orderBy: { createdAt: 'asc' } });
    expect(b).toBeUndefined(); // 1,000 points pay for one
    expect(await balance(shop.guildId, gus.userId)).toBe(223);

    const refunded = await refundRedemption(stack.ctx, { guildId: shop.guildId, redemptionId: a!.id, actorDiscordId: MOD });
    expect(refunded.outcome).toBe('decided');
    expect(await balance(shop.guildId, gus.userId)).toBe(1000);
    const entry = await stack.db.prisma.pointsLedger.findFirstOrThrow({ where: { guildId: shop.guildId, idempotencyKey: `shop-refund:${a!.id}` } });
    expect(entry).toMatchObject({ kind: 'shop', points: 777, actorDiscordId: MOD });
    expect((await refundRedemption(stack.ctx, { guildId: shop.guildId, redemptionId: a!.id, actorDiscordId: MOD })).outcome).toBe('already');
    expect((await fulfilRedemption(stack.ctx, { guildId: shop.guildId, redemptionId: a!.id, actorDiscordId: MOD })).outcome).toBe('already');
    expect(await balance(shop.guildId, gus.userId)).toBe(1000);
    expect((await stack.db.prisma.shopItem.findFirstOrThrow({ where: { guildId: shop.guildId } })).stock).toBe(5);

    await chat(shop.streamer.userId, gus, '!redeem emote');
    const c = await stack.db.prisma.shopRedemption.findFirstOrThrow({ where: { guildId: shop.guildId, status: 'pending' } });
    // Another guild's moderator cannot decide it.
    expect((await fulfilRedemption(stack.ctx, { guildId: stack.guildId, redemptionId: c.id, actorDiscordId: MOD })).outcome).toBe('unknown');
    expect((await fulfilRedemption(stack.ctx, { guildId: shop.guildId, redemptionId: c.id, actorDiscordId: MOD })).outcome).toBe('decided');
    expect((await refundRedemption(stack.ctx, { guildId: shop.guildId, redemptionId: c.id, actorDiscordId: MOD })).outcome).toBe('already');
    expect(await balance(shop.guildId, gus.userId)).toBe(223);
    expect(await ledgerSum(shop.guildId, gus.userId)).toBe(223);
    await chat(shop.streamer.userId, gus, '!redeem emote'); // 223 < 777
    expect(await stack.db.prisma.shopRedemption.count({ where: { guildId: shop.guildId, status: 'pending' } })).toBe(0);
  });

  it('keeps a purchase made while no queue channel is set, and posts it once a channel is chosen', async () => {
    const shop = await newShop('noqueue');
    await addShopItem(stack.ctx, { guildId: shop.guildId, actorDiscordId: MOD, ...item({ name: 'later', price: 10 }) });
    await stack.db.prisma.guildSettings.update({ where: { guildId: shop.guildId }, data: { shopQueueChannelId: null } });
    const una = await viewer(shop, 'una');
    await fund(shop.guildId, una, 10);
    await chat(shop.streamer.userId, una, '!redeem later');
    expect(await stack.db.prisma.shopRedemption.findFirstOrThrow({ where: { guildId: shop.guildId } })).toMatchObject({ status: 'pending', queueMessageId: null });
    expect(discord.messages(shop.queueChannelId)).toHaveLength(0);
    await stack.db.prisma.guildSettings.update({ where: { guildId: shop.guildId }, data: { shopQueueChannelId: shop.queueChannelId } });
    expect(await postWaitingRedemptions(stack.ctx, shop.guildId)).toBe(1);
    expect(await postWaitingRedemptions(stack.ctx, shop.guildId)).toBe(0);
    expect(discord.messages(shop.queueChannelId)).toHaveLength(1);
    expect((await stack.db.prisma.shopRedemption.findFirstOrThrow({ where: { guildId: shop.guildId } })).queueMessageId).toBe(discord.messages(shop.queueChannelId)[0]!.id);
  });

  it('refuses to remove an item while a purchase of it waits', async () => {
    const shop = await newShop('remove');
    await addShopItem(stack.ctx, { guildId: shop.guildId, actorDiscordId: MOD, ...item({ name: 'wait', price: 1 }) });
    const hal = await viewer(shop, 'hal');
    await fund(shop.guildId, hal, 5);
    await chat(shop.streamer.userId, hal, '!redeem wait');
    await expect(removeShopItem(stack.ctx, { guildId: shop.guildId, name: 'wait' })).rejects.toThrow(/still wait in the redemption queue/);
    const r = await stack.db.prisma.shopRedemption.findFirstOrThrow({ where: { guildId: shop.guildId } });
    await fulfilRedemption(stack.ctx, { guildId: shop.guildId, redemptionId: r.id, actorDiscordId: MOD });
    await removeShopItem(stack.ctx, { guildId: shop.guildId, name: 'wait' });
    expect(await stack.db.prisma.shopItem.count({ where: { guildId: shop.guildId } })).toBe(0);
  });
});

describe('role items', () => {
  it('gives a linked viewer the role, extends a timed role on a re-buy, and takes it back when the time is up', async () => {
    const shop = await newShop('roles');
    await addShopItem(stack.ctx, { guildId: shop.guildId, actorDiscordId: MOD, ...item({ name: 'vip', price: 50, kind: 'role', roleId: shop.vipRoleId, roleDays: 7 }) });
    const ida = await viewer(shop, 'ida', { linked: true });
    const stranger = await viewer(shop, 'stranger');
    await fund(shop.guildId, ida, 200);
    await fund(shop.guildId, stranger, 200);

    await chat(shop.streamer.userId, stranger, '!redeem vip');
    expect(botChat(shop.streamer.userId)).toContain(`@${stranger.username} vip gives a Discord role: link your Discord account first (/link in the Discord server).`);
    expect(await balance(shop.guildId, stranger.userId)).toBe(200);

    const boughtAt = stack.clock.now().getTime();
    await chat(shop.streamer.userId, ida, '!redeem vip');
    expect(memberRoles(shop, ida.discordId)).toContain(shop.vipRoleId);
    expect(botChat(shop.streamer.userId)).toContain(`@${ida.username} you bought vip: your Discord role is there for 7 days! (150 points left)`);
    const first = await stack.db.prisma.shopRedemption.findFirstOrThrow({ where: { guildId: shop.guildId, kickUserId: ida.userId } });
    expect(first.status).toBe('fulfilled');
    expect(first.discordUserId).toBe(ida.discordId);
    expect(first.roleExpiresAt?.getTime()).toBe(boughtAt + 7 * DAY);

    stack.clock.advance(3 * DAY);
    await chat(shop.streamer.userId, ida, '!redeem vip');
    const second = await stack.db.prisma.shopRedemption.findFirstOrThrow({ where: { guildId: shop.guildId, kickUserId: ida.userId }, orderBy: { createdAt: 'desc' } });
    expect(second.roleExpiresAt?.getTime()).toBe(boughtAt + 14 * DAY);

    // The first purchase ends, the second still runs: the role stays.
    stack.clock.set(boughtAt + 7 * DAY + 60_000);
    expect(await expireShopRoles(stack.ctx)).toMatchObject({ ended: 1, removed: 0 });
    expect(memberRoles(shop, ida.discordId)).toContain(shop.vipRoleId);
    stack.clock.set(boughtAt + 14 * DAY + 60_000);
    expect(await expireShopRoles(stack.ctx)).toMatchObject({ ended: 1, removed: 1 });
    expect(memberRoles(shop, ida.discordId)).not.toContain(shop.vipRoleId);
    expect(await expireShopRoles(stack.ctx)).toMatchObject({ ended: 0, removed: 0 });
    expect((await stack.db.prisma.shopRedemption.findUniqueOrThrow({ where: { id: second.id } })).roleRemovedAt).not.toBeNull();
  });

  it('refunds exactly and tells moderators what to fix when the role sits above kickcord’s', async () => {
    const shop = await newShop('roleabove');
    const created = discord.addRole(shop.guildId, { name: 'Legend' });
    const top = Math.max(...(discord.getGuild(shop.guildId)?.roles ?? []).map((r) => r.position));
    const above = discord.updateRole(shop.guildId, created.id, { position: top });
    await addShopItem(stack.ctx, { guildId: shop.guildId, actorDiscordId: MOD, ...item({ name: 'legend', price: 300, kind: 'role', roleId: above.id }) });
    const jo = await viewer(shop, 'jo', { linked: true });
    await fund(shop.guildId, jo, 300);
    await chat(shop.streamer.userId, jo, '!redeem legend');
    expect(memberRoles(shop, jo.discordId)).not.toContain(above.id);
    expect(await balance(shop.guildId, jo.userId)).toBe(300);
    expect(await ledgerSum(shop.guildId, jo.userId)).toBe(300);
    expect(await stack.db.prisma.shopRedemption.findFirstOrThrow({ where: { guildId: shop.guildId } })).toMatchObject({ status: 'refunded' });
    expect(botChat(shop.streamer.userId)).toContain(`@${jo.username} kickcord could not give you legend right now, so you got your 300 points back. The moderators have been told.`);
    const notice = await discord.waitForMessage(shop.queueChannelId, (m) => m.content.includes('Could not deliver'));
    expect(notice.content).toMatch(/Move kickcord's role \(@[\w-]+\) above @Legend in Server Settings/u);
  });
});

describe('!gamble', () => {
  it('is off by default, then wins and loses as the injected roll says, within bets, cooldown and balance', async () => {
    const shop = await newShop('gamble');
    const kim = await viewer(shop, 'kim');
    await fund(shop.guildId, kim, 1000);
    await chat(shop.streamer.userId, kim, '!gamble 100');
    expect(botChat(shop.streamer.userId)).toEqual([]);
    expect(await balance(shop.guildId, kim.userId)).toBe(1000);

    await updateGamesSettings(stack.ctx, shop.guildId, { gambleEnabled: true, gambleWinChance: 40, gambleMinBet: 10, gambleMaxBet: 500, gambleCooldownSec: 30 });
    asked.length = 0;
    rolls.push(39); // < 40: a win
    await chat(shop.streamer.userId, kim, '!gamble 100');
    expect(asked).toEqual([100]);
    expect(await balance(shop.guildId, kim.userId)).toBe(1100);
    expect(botChat(shop.streamer.userId)).toContain(`🎲 @${kim.username} won 100 points and now has 1,100!`);

    await chat(shop.streamer.userId, kim, '!gamble 100'); // inside the cooldown: ignored
    expect(await balance(shop.guildId, kim.userId)).toBe(1100);
    stack.clock.advance(31_000);
    rolls.push(40); // a loss; "all" is capped at the maximum bet
    await chat(shop.streamer.userId, kim, '!gamble all');
    expect(await balance(shop.guildId, kim.userId)).toBe(600);
    expect(botChat(shop.streamer.userId)).toContain(`🎲 @${kim.username} lost 500 points and now has 600.`);
    stack.clock.advance(31_000);
    rolls.push(99);
    await chat(shop.streamer.userId, kim, '!gamble 50%');
    expect(await balance(shop.guildId, kim.userId)).toBe(300);
    stack.clock.advance(31_000);
    await chat(shop.streamer.userId, kim, '!gamble 501');
    stack.clock.advance(31_000);
    await chat(shop.streamer.userId, kim, '!gamble 5');
    stack.clock.advance(31_000);
    await chat(shop.streamer.userId, kim, '!gamble lots');
    const said = botChat(shop.streamer.userId);
    expect(said).toContain(`@${kim.username} the largest bet is 500 points.`);
    expect(said).toContain(`@${kim.username} the smallest bet is 10 points.`);
    expect(said).toContain(`@${kim.username} usage: !gamble <amount> (an amount, all, or a percentage like 25%).`);
    expect(await balance(shop.guildId, kim.userId)).toBe(300);
    expect(await ledgerSum(shop.guildId, kim.userId)).toBe(300);
    const entries = await stack.db.prisma.pointsLedger.findMany({ where: { guildId: shop.guildId, kind: 'gamble' }, orderBy: { id: 'asc' } });
    expect(entries.map((e) => e.points)).toEqual([-100, 200, -500, -300]);
  });

  it('bets once per Kick message and never more than the balance', async () => {
    const shop = await newShop('gambleonce');
    const lee = await viewer(shop, 'lee');
    await fund(shop.guildId, lee, 100);
    const input = { guildId: shop.guildId, messageId: `g-${shop.guildId}`, userId: lee.userId, username: lee.username, betText: '80', winChance: 50, minBet: 1, maxBet: 1000, randomInt: () => 0 };
    expect(await gamble(stack.ctx, input)).toMatchObject({ outcome: 'won', bet: 80, balance: 180 });
    expect(await gamble(stack.ctx, input)).toEqual({ outcome: 'duplicate' });
    expect(await gamble(stack.ctx, { ...input, messageId: `g2-${shop.guildId}`, betText: '181' })).toMatchObject({ outcome: 'refused', bet: { reason: 'insufficient' } });
    expect(await balance(shop.guildId, lee.userId)).toBe(180);
  });
});

describe('!duel', () => {
  it('is off by default; a challenge escrows the stake, !accept takes the opponent’s, and the injected roll picks the winner', async () => {
    const shop = await newShop('duel');
    const max = await viewer(shop, 'max');
    const ned = await viewer(shop, 'ned');
    await fund(shop.guildId, max, 500);
    await fund(shop.guildId, ned, 150);
    await chat(shop.streamer.userId, max, `!duel @${ned.username} 100`);
    expect(botChat(shop.streamer.userId)).toEqual([]);
    expect(await stack.db.prisma.chatDuel.count({ where: { guildId: shop.guildId } })).toBe(0);

    await updateGamesSettings(stack.ctx, shop.guildId, { duelEnabled: true, duelMinBet: 10, duelMaxBet: 1000, duelCooldownSec: 0, duelExpirySec: 60 });
    await chat(shop.streamer.userId, max, `!duel @${ned.username} 200`);
    expect(botChat(shop.streamer.userId)).toContain(`⚔️ @${ned.username}, @${max.username} challenges you to a duel for 200 points! Type !accept within 60s.`);
    expect(await balance(shop.guildId, max.userId)).toBe(300); // held until accepted or expired
    await chat(shop.streamer.userId, max, `!duel @${ned.username} 50`);
    expect(botChat(shop.streamer.userId)).toContain(`@${max.username} you already challenged @${ned.username} — wait for them to accept or for the challenge to expire.`);

    await chat(shop.streamer.userId, ned, '!accept');
    expect(botChat(shop.streamer.userId)).toContain(`@${ned.username} the duel is for 200 points — you have 150.`);
    expect(await balance(shop.guildId, ned.userId)).toBe(150);
    await fund(shop.guildId, ned, 100);
    asked.length = 0;
    rolls.push(1); // 1: the challenged viewer wins
    await chat(shop.streamer.userId, ned, '!accept');
    expect(asked).toEqual([2]);
    expect(botChat(shop.streamer.userId)).toContain(`⚔️ @${ned.username} wins the duel against @${max.username} and takes 400 points!`);
    expect(await balance(shop.guildId, ned.userId)).toBe(450);
    expect(await balance(shop.guildId, max.userId)).toBe(300);
    await chat(shop.streamer.userId, ned, '!accept');
    expect(botChat(shop.streamer.userId)).toContain(`@${ned.username} nobody has challenged you (or the challenge expired).`);
    expect(await balance(shop.guildId, ned.userId)).toBe(450);
    expect(await ledgerSum(shop.guildId, ned.userId)).toBe(450);
    expect(await ledgerSum(shop.guildId, max.userId)).toBe(300);
  });

  it('an unaccepted challenge expires: the stake goes back once and chat is told; a late !accept finds nothing', async () => {
    const shop = await newShop('duelexp');
    const oli = await viewer(shop, 'oli');
    const pam = await viewer(shop, 'pam');
    await fund(shop.guildId, oli, 100);
    await fund(shop.guildId, pam, 100);
    await updateGamesSettings(stack.ctx, shop.guildId, { duelEnabled: true, duelExpirySec: 30 });
    await chat(shop.streamer.userId, oli, `!duel ${pam.username} 40`);
    expect(await balance(shop.guildId, oli.userId)).toBe(60);
    stack.clock.advance(31_000);
    await chat(shop.streamer.userId, pam, '!accept');
    expect(botChat(shop.streamer.userId)).toContain(`@${pam.username} nobody has challenged you (or the challenge expired).`);
    const other = await stack.newContext();
    const expired = await Promise.all([expireDuels(stack.ctx), expireDuels(other)]);
    expect(expired[0] + expired[1]).toBe(1);
    expect(await balance(shop.guildId, oli.userId)).toBe(100);
    expect(await balance(shop.guildId, pam.userId)).toBe(100);
    expect(botChat(shop.streamer.userId).filter((m) => m === `⚔️ @${oli.username} your duel with @${pam.username} expired — you got your 40 points back.`)).toHaveLength(1);
    expect(await stack.db.prisma.chatDuel.findFirstOrThrow({ where: { guildId: shop.guildId } })).toMatchObject({ status: 'expired', openChallengerKey: null });
    // The challenger may challenge again.
    await chat(shop.streamer.userId, oli, `!duel @${pam.username} 10`);
    expect(await stack.db.prisma.chatDuel.count({ where: { guildId: shop.guildId, status: 'open' } })).toBe(1);
  });
});
