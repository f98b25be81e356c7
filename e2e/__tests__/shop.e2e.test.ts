/**
 * The points shop and chat games end to end: slash commands, the select menu and buttons through discord-sim and a
 * real discord.js client, viewers through kick-sim chat (kick-sim → web → BullMQ → bot worker), real PostgreSQL and Redis.
 */
import { appendLedgerEntries } from '@kickcord/db';
import { waitFor } from '@kickcord/queue';
import { MANAGE_GUILD } from '@kickcord/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { responseText, startTestStack, type TestStack } from './helpers/harness.ts';

let stack: TestStack;
let viewer: { userId: number; username: string };
beforeAll(async () => {
  stack = await startTestStack();
  viewer = stack.createViewer('shop_buyer');
  // The Discord member is linked to the Kick viewer and has points to spend.
  await stack.db.prisma.accountLink.create({ data: { discordUserId: stack.memberId, kickUserId: viewer.userId, kickUsername: viewer.username } });
  await appendLedgerEntries(stack.db.prisma, [{ guildId: stack.guild.id, kickUserId: viewer.userId, username: viewer.username, kind: 'admin', points: 1000, idempotencyKey: 'e2e:shop-fund' }]);
}, 90_000);
afterAll(async () => stack?.close());

async function points(userId: number): Promise<number> {
  const row = await stack.db.prisma.viewerStats.findUnique({ where: { guildId_kickUserId: { guildId: stack.guild.id, kickUserId: userId } } });
  return row?.points ?? 0;
}
const queueMessages = () => stack.discord.messages(stack.guild.modLogChannelId).filter((m) => JSON.stringify(m.embeds).includes('🛒'));
/** A response that is an answer (not a deferral). */
const answered = (r: { kind: string; type?: number }) => r.kind !== 'delete' && (r.kind !== 'callback' || (r.type !== 5 && r.type !== 6));

describe('the points shop, end to end', () => {
  it('moderators set up the shop; a member cannot', async () => {
    expect(await stack.run('/shop add name:hug kind:reward price:40')).toContain('choose its channel first');
    expect(await stack.run('/shop settings queue-channel:#mod-log', { as: 'member' })).toContain('is for moderators');
    expect(await stack.run('/shop settings queue-channel:#mod-log')).toContain(`<#${stack.guild.modLogChannelId}>`);
    expect(await stack.run('/shop add name:hug kind:reward price:40', { as: 'member' })).toContain('is for moderators');
    expect(await stack.run('/shop add name:Hug kind:reward price:40 stock:3')).toContain('**hug** — 40 points');
    expect(await stack.run('/shop add name:song kind:reward price:100 input:"song link"')).toContain('asks: song link');
    expect(await stack.run('/shop add name:hug kind:reward price:1')).toContain('already an item named `hug`');
    // A role item: kickcord checks it can give the role, and says what to fix when it cannot.
    const vip = stack.discord.addRole(stack.guild.id, { name: 'VIP' });
    const legend = stack.discord.addRole(stack.guild.id, { name: 'Legend' });
    stack.discord.updateRole(stack.guild.id, legend.id, { position: Math.max(...(stack.discord.getGuild(stack.guild.id)?.roles ?? []).map((r) => r.position)) });
    expect(await stack.run(`/shop add name:legend kind:role price:10 role:<@&${legend.id}>`)).toMatch(/Move kickcord's role \(@[\w-]+\) above @Legend/u);
    expect(await stack.run(`/shop add name:vip kind:role price:500 role:<@&${vip.id}> days:30`)).toContain(`role <@&${vip.id}> for 30 days`);
    expect(await stack.run('/shop edit name:vip price:450 per-viewer:1')).toContain('**vip** — 450 points');
    expect(await stack.run('/shop remove name:vip')).toContain('Removed **vip**');
    expect(await stack.run('/shop remove name:vip')).toContain('There is no item named `vip`');
    const list = await stack.run('/shop list');
    expect(list).toContain('**hug** — 40 points');
    expect(list).toContain('3 left');
    expect(list).toContain(`Redemption queue: <#${stack.guild.modLogChannelId}> · 0 waiting`);
  });

  it('a linked member buys in Discord: /shop browse, the select menu, the Buy button (ephemeral), once per click', async () => {
    const browse = await stack.invoke('/shop browse', { as: 'member' });
    const shown = await stack.discord.waitForInteractionResponse(browse, answered, 10_000);
    expect(shown.ephemeral).toBe(true);
    expect(responseText(shown.data)).toContain('You have 1,000 points');
    const hug = await stack.db.prisma.shopItem.findFirstOrThrow({ where: { guildId: stack.guild.id, name: 'hug' } });
    expect(JSON.stringify(shown.data)).toContain('shop:pick');

    const picked = await stack.discord.clickButton({ id: shown.messageId ?? browse.originalMessageId ?? '', channelId: browse.channelId }, 'shop:pick', stack.memberId, { componentType: 3, values: [hug.id] });
    const detail = await stack.discord.waitForInteractionResponse(picked, answered, 10_000);
    expect(detail.type).toBe(7);
    expect(JSON.stringify(detail.data)).toContain(`shop:buy:${hug.id}`);
    expect(JSON.stringify(detail.data)).toContain('Buy for 40 points');

    const buy = await stack.discord.clickButton({ id: detail.messageId ?? shown.messageId ?? '', channelId: browse.channelId }, `shop:buy:${hug.id}`, stack.memberId);
    const bought = await stack.discord.waitForInteractionResponse(buy, (r) => answered(r) && responseText(r.data).includes('hug'), 10_000);
    expect(responseText(bought.data)).toContain('You redeemed **hug** for 40 points');
    expect(responseText(bought.data)).toContain('960 points left');
    expect(await points(viewer.userId)).toBe(960);
    await waitFor(() => queueMessages().length === 1, { description: 'the purchase in the redemption queue' });
    const queued = queueMessages()[0]!;
    expect(JSON.stringify(queued.embeds)).toContain(`<@${stack.memberId}>`);
    expect(JSON.stringify(queued.components)).toContain('shop:fulfil:');
    expect(await stack.db.prisma.shopRedemption.count({ where: { guildId: stack.guild.id } })).toBe(1);
  });

  it('Fulfil in the queue: moderators only, the message says who decided and loses its buttons', async () => {
    const queued = queueMessages()[0]!;
    const redemption = await stack.db.prisma.shopRedemption.findFirstOrThrow({ where: { guildId: stack.guild.id, status: 'pending' } });
    const denied = await stack.discord.clickButton(queued, `shop:fulfil:${redemption.id}`, stack.memberId);
    const refusal = await stack.discord.waitForInteractionResponse(denied, answered, 10_000);
    expect(refusal.ephemeral).toBe(true);
    expect(responseText(refusal.data)).toContain('Only moderators');
    expect((await stack.db.prisma.shopRedemption.findUniqueOrThrow({ where: { id: redemption.id } })).status).toBe('pending');

    const click = await stack.discord.clickButton(queued, `shop:fulfil:${redemption.id}`, stack.moderatorId, { permissions: MANAGE_GUILD });
    const done = await stack.discord.waitForInteractionResponse(click, answered, 10_000);
    expect(done.type).toBe(7);
    expect(responseText(done.data)).toContain(`Fulfilled by <@${stack.moderatorId}>`);
    await waitFor(() => JSON.stringify(stack.discord.messages(stack.guild.modLogChannelId).find((m) => m.id === queued.id)?.embeds).includes('Fulfilled by'), { description: 'the queue message edited' });
    expect(stack.discord.messages(stack.guild.modLogChannelId).find((m) => m.id === queued.id)?.components).toEqual([]);
    expect(await stack.db.prisma.shopRedemption.findUniqueOrThrow({ where: { id: redemption.id } })).toMatchObject({ status: 'fulfilled', decidedByDiscordId: stack.moderatorId });
  });

  it('/shop buy with input; Refund returns the exact price through the ledger', async () => {
    const before = await points(viewer.userId);
    const text = await stack.run('/shop buy item:song input:"never gonna give you up"', { as: 'member' });
    expect(text).toContain('You redeemed **song** for 100 points');
    expect(await points(viewer.userId)).toBe(before - 100);
    await waitFor(() => queueMessages().length === 2, { description: 'the second purchase in the queue' });
    const queued = queueMessages()[1]!;
    expect(JSON.stringify(queued.embeds)).toContain('never gonna give you up');
    const redemption = await stack.db.prisma.shopRedemption.findFirstOrThrow({ where: { guildId: stack.guild.id, status: 'pending' } });
    const click = await stack.discord.clickButton(queued, `shop:refund:${redemption.id}`, stack.moderatorId, { permissions: MANAGE_GUILD });
    const done = await stack.discord.waitForInteractionResponse(click, answered, 10_000);
    expect(responseText(done.data)).toContain(`Refunded by <@${stack.moderatorId}> — 100 points returned`);
    expect(await points(viewer.userId)).toBe(before);
    const refund = await stack.db.prisma.pointsLedger.findFirstOrThrow({ where: { guildId: stack.guild.id, idempotencyKey: `shop-refund:${redemption.id}` } });
    expect(refund).toMatchObject({ points: 100, kind: 'shop', actorDiscordId: stack.moderatorId });
    // A second click (another moderator at the same moment) changes nothing.
    const again = await stack.discord.clickButton(queued, `shop:refund:${redemption.id}`, stack.moderatorId, { permissions: MANAGE_GUILD });
    await stack.discord.waitForInteractionResponse(again, (r) => r.kind === 'followup', 10_000);
    expect(await points(viewer.userId)).toBe(before);
  });

  it('Kick chat: !shop and !redeem travel the production path into the same queue; an unlinked member is told to link', async () => {
    await stack.kick.sendChat(stack.streamer.userId, viewer.userId, '!shop');
    await stack.kick.waitForChat(stack.streamer.userId, (m) => m.type === 'bot' && m.content.startsWith('🛒 hug 40 · song 100'), 15_000);
    await stack.kick.sendChat(stack.streamer.userId, viewer.userId, '!redeem hug');
    await stack.drain();
    await waitFor(() => queueMessages().length === 3, { description: 'the chat purchase in the queue' });
    expect((await stack.db.prisma.shopItem.findFirstOrThrow({ where: { guildId: stack.guild.id, name: 'hug' } })).stock).toBe(1);
    expect(await stack.run('/shop browse', { userId: '200000000000000099' })).toContain('link your Kick account first');
  });

  it('/games turns !gamble on (it is off by default)', async () => {
    expect(await stack.run('/games show')).toContain('**!gamble** off');
    expect(await stack.run('/games gamble enabled:true min-bet:5 max-bet:20', { as: 'member' })).toContain('for moderators');
    expect(await stack.run('/games gamble enabled:true min-bet:50 max-bet:20')).toContain('smallest bet (50) is above the largest (20)');
    expect(await stack.run('/games gamble enabled:true min-bet:5 max-bet:20')).toContain('**!gamble** on');
    const before = await points(viewer.userId);
    await stack.kick.sendChat(stack.streamer.userId, viewer.userId, '!gamble 10');
    const said = await stack.kick.waitForChat(stack.streamer.userId, (m) => m.type === 'bot' && m.content.startsWith('🎲'), 15_000);
    expect([before + 10, before - 10]).toContain(await points(viewer.userId));
    expect(said.content).toMatch(/won 10 points|lost 10 points/);
  });
});
