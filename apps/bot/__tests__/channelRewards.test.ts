/**
 * Kick channel reward redemptions at the service level: kick-sim's webhooks → the bot's real `processKickEvent` with
 * the channel rewards handler, real PostgreSQL and Redis, discord-sim for the rewards channel, posts and roles. The
 * slash commands and buttons through a real discord.js client are in e2e/__tests__/channelRewards.e2e.test.ts.
 */
import { startDiscordSim, type DiscordSim } from '@kickcord/discord-sim';
import { KICKCORD_SCOPES } from '@kickcord/kick';
import { REST } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BotContext } from '../src/context.ts';
import { kickEventHandlersOf } from '../src/features/assemble.ts';
import { channelRewardsFeature } from '../src/features/channelRewards/index.ts';
import { decideRedemption, handleRedemptionEvent } from '../src/features/channelRewards/redemptions.ts';
import { UserFacingError } from '../src/UserFacingError.ts';
import { startServiceStack, type ServiceStack } from './helpers/serviceStack.ts';

const MOD = '300000000000000001';
let stack: ServiceStack;
let discord: DiscordSim;
let seq = 0;

beforeAll(async () => {
  [stack, discord] = await Promise.all([startServiceStack({ handlers: kickEventHandlersOf([channelRewardsFeature]) }), startDiscordSim()]);
  Object.assign(stack.ctx, { discordRest: new REST({ api: discord.apiUrl, retries: 0 }).setToken(discord.token) });
}, 60_000);
afterAll(async () => {
  await stack?.close();
  await discord?.close();
});

interface Channel {
  guildId: string;
  streamerId: number;
  rewardsChannelId: string;
  postChannelId: string;
}

/** A guild owning a channel, connected with `scopes`, with a Discord server holding #rewards and #general. */
async function newChannel(name: string, scopes: readonly string[] = KICKCORD_SCOPES): Promise<Channel> {
  const { guildId, streamer } = await stack.addOwnerGuild(name);
  const tokens = stack.sim.issueUserToken({ clientId: stack.ctx.env.KICK_CLIENT_ID, userId: streamer.userId, scopes: [...scopes] });
  await stack.ctx.connections.save({
    guildId,
    broadcasterUserId: streamer.userId,
    kickUsername: streamer.username,
    connectedByDiscordId: MOD,
    tokens: { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, tokenType: 'Bearer', scopes: [...scopes], expiresAt: new Date(Date.now() + tokens.expiresIn * 1000) },
  });
  const guild = discord.addGuild({ id: guildId, name, channels: [{ name: 'rewards' }, { name: 'general' }] });
  const rewardsChannelId = guild.channels[0]!.id;
  await stack.db.prisma.guildSettings.update({ where: { guildId }, data: { rewardsChannelId } });
  return { guildId, streamerId: streamer.userId, rewardsChannelId, postChannelId: guild.channels[1]!.id };
}
/** A reward kickcord's app created (so it may decide its redemptions), with actions. */
async function reward(ch: Channel, title: string, actions: { points?: number; postChannelId?: string; addToQueue?: boolean; autoAccept?: boolean; autoReject?: boolean } = {}, kick: { skipQueue?: boolean; ownedByApp?: boolean } = {}): Promise<string> {
  const created = stack.sim.createChannelReward(ch.streamerId, { title, cost: 10, shouldRedemptionsSkipRequestQueue: kick.skipQueue ?? false, ...(kick.ownedByApp === false ? {} : { clientId: stack.ctx.env.KICK_CLIENT_ID }) });
  await stack.db.prisma.channelRewardAction.create({ data: { guildId: ch.guildId, rewardId: created.id, title, ...actions } });
  return created.id;
}
async function points(ch: Channel, userId: number): Promise<number> {
  const row = await stack.db.prisma.viewerStats.findUnique({ where: { guildId_kickUserId: { guildId: ch.guildId, kickUserId: userId } } });
  return row?.points ?? 0;
}
async function row(ch: Channel, redemptionId: string) {
  return stack.db.prisma.channelRewardRedemption.findUniqueOrThrow({ where: { guildId_redemptionId: { guildId: ch.guildId, redemptionId } } });
}
function messagesAbout(channelId: string, redemptionId: string) {
  return discord.messages(channelId).filter((m) => JSON.stringify(m.embeds).includes(redemptionId));
}
function viewer(): { userId: number; username: string } {
  return stack.viewer(`fan${++seq}${Date.now() % 1000}`);
}

describe('channel reward redemptions', () => {
  it('Kick reporting a redemption rejected before its pending delivery arrives: no actions, ever; the message says Kick rejected it', async () => {
    const ch = await newChannel('order');
    const rewardId = await reward(ch, 'Late', { points: 50 });
    const fan = viewer();
    const redemptionId = `01LATE${String(++seq).padStart(20, '0')}`;
    const base = { id: redemptionId, user_input: '', redeemed_at: new Date().toISOString(), reward: { id: rewardId, title: 'Late', cost: 10, description: '' }, redeemer: { user_id: fan.userId, username: fan.username } };
    await stack.sim.emit('channel.reward.redemption.updated', { ...base, status: 'rejected' }, { broadcasterUserId: ch.streamerId });
    await stack.sim.emit('channel.reward.redemption.updated', { ...base, status: 'pending' }, { broadcasterUserId: ch.streamerId });
    expect(stack.failures).toEqual([]);
    expect(await points(ch, fan.userId)).toBe(0);
    expect(await row(ch, redemptionId)).toMatchObject({ status: 'rejected', decidedVia: 'kick', actionsDoneAt: null, actionResults: [] });
    const [message] = messagesAbout(ch.rewardsChannelId, redemptionId);
    expect(JSON.stringify(message?.embeds)).toContain('Rejected on Kick');
    expect(message?.components ?? []).toEqual([]);
  });

  it('a reward that skips the request queue arrives accepted: its actions run once, the message has no buttons', async () => {
    const ch = await newChannel('instant');
    const rewardId = await reward(ch, 'Instant', { points: 30, addToQueue: true, postChannelId: ch.postChannelId }, { skipQueue: true });
    const fan = viewer();
    const { redemption } = await stack.sim.redeemChannelReward(ch.streamerId, fan.userId, rewardId, { duplicate: 2 });
    expect(redemption.status).toBe('accepted');
    expect(stack.failures).toEqual([]);
    expect(await points(ch, fan.userId)).toBe(30);
    expect(await row(ch, redemption.id)).toMatchObject({ status: 'accepted', actionsFailed: false, queuedAt: expect.any(Date) });
    expect(discord.messages(ch.postChannelId).filter((m) => m.content.includes(fan.username))).toHaveLength(1);
    const messages = messagesAbout(ch.rewardsChannelId, redemption.id);
    expect(messages).toHaveLength(1);
    expect(messages[0]?.components ?? []).toEqual([]);
    expect(JSON.stringify(messages[0]?.embeds)).toContain('Accepted on Kick');
  });

  it('two workers handling the same pending delivery at once run the actions once', async () => {
    const ch = await newChannel('race');
    const rewardId = await reward(ch, 'Race', { points: 70, autoAccept: true, postChannelId: ch.postChannelId });
    const fan = viewer();
    // Redeemed on Kick, delivered nowhere (dropped), then handed to two workers at the same moment.
    const { redemption, deliveries } = await stack.sim.redeemChannelReward(ch.streamerId, fan.userId, rewardId, { drop: true });
    const payload = JSON.parse(deliveries[0]!.body) as Parameters<typeof handleRedemptionEvent>[2];
    const other = await stack.newContext();
    Object.assign(other, { discordRest: stack.ctx.discordRest });
    await Promise.all([handleRedemptionEvent(stack.ctx, ch.guildId, payload), handleRedemptionEvent(other as BotContext, ch.guildId, payload), handleRedemptionEvent(stack.ctx, ch.guildId, payload)]);
    expect(await points(ch, fan.userId)).toBe(70);
    expect(await stack.db.prisma.pointsLedger.count({ where: { guildId: ch.guildId, kickUserId: fan.userId } })).toBe(1);
    expect(discord.messages(ch.postChannelId).filter((m) => m.content.includes(fan.username))).toHaveLength(1);
    expect(messagesAbout(ch.rewardsChannelId, redemption.id)).toHaveLength(1);
    expect(stack.sim.redemptions(ch.streamerId).find((r) => r.id === redemption.id)?.status).toBe('accepted');
    expect(await row(ch, redemption.id)).toMatchObject({ status: 'accepted', decidedVia: 'auto', decisionError: null });
  });

  it("an automatic decision Kick refuses (a reward made on kick.com) is shown on the message and the buttons stay", async () => {
    const ch = await newChannel('foreign');
    const rewardId = await reward(ch, 'Theirs', { points: 5, autoAccept: true }, { ownedByApp: false });
    const fan = viewer();
    const { redemption } = await stack.sim.redeemChannelReward(ch.streamerId, fan.userId, rewardId);
    expect(stack.failures).toEqual([]);
    expect(await points(ch, fan.userId)).toBe(5);
    expect(await row(ch, redemption.id)).toMatchObject({ status: 'pending', decisionError: 'reward was not created by this app' });
    const [message] = messagesAbout(ch.rewardsChannelId, redemption.id);
    expect(JSON.stringify(message?.embeds)).toContain('Kick did not take the last decision: reward was not created by this app');
    expect(JSON.stringify(message?.components)).toContain(`rewards:accept:${redemption.id}`);
  });

  it('Accept needs channel:rewards:write: an older connection is told which permission to reconnect for, and nothing changes at Kick', async () => {
    const ch = await newChannel('older', ['user:read', 'channel:read', 'chat:write', 'events:subscribe', 'kicks:read', 'channel:rewards:read']);
    const rewardId = await reward(ch, 'Old', { points: 1 });
    const fan = viewer();
    const { redemption } = await stack.sim.redeemChannelReward(ch.streamerId, fan.userId, rewardId);
    const error = await decideRedemption(stack.ctx, { guildId: ch.guildId, redemptionId: redemption.id, status: 'accepted', actorDiscordId: MOD }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserFacingError);
    expect((error as Error).message).toContain('Accepting a redemption needs the Kick permission `channel:rewards:write`');
    expect((error as Error).message).toContain('/kick connect');
    expect(stack.sim.redemptions(ch.streamerId).find((r) => r.id === redemption.id)?.status).toBe('pending');
    expect((await row(ch, redemption.id)).status).toBe('pending');
  });

  it('a moderator decision is kept when Kick then reports it, and a second click is answered "already"', async () => {
    const ch = await newChannel('decide');
    const rewardId = await reward(ch, 'Decide', { points: 20 });
    const fan = viewer();
    const { redemption } = await stack.sim.redeemChannelReward(ch.streamerId, fan.userId, rewardId);
    const first = await decideRedemption(stack.ctx, { guildId: ch.guildId, redemptionId: redemption.id, status: 'rejected', actorDiscordId: MOD });
    expect(first).toMatchObject({ outcome: 'decided', redemption: { status: 'rejected', decidedByDiscordId: MOD } });
    await stack.sim.waitForDeliveries((d) => d.type === 'channel.reward.redemption.updated' && d.body.includes(redemption.id) && d.body.includes('"rejected"') && d.delivered);
    const second = await decideRedemption(stack.ctx, { guildId: ch.guildId, redemptionId: redemption.id, status: 'accepted', actorDiscordId: '300000000000000002' });
    expect(second).toMatchObject({ outcome: 'already', redemption: { status: 'rejected', decidedByDiscordId: MOD, decidedVia: 'discord' } });
    expect(await points(ch, fan.userId)).toBe(20);
    expect(stack.sim.redemptions(ch.streamerId).find((r) => r.id === redemption.id)?.status).toBe('rejected');
  });

  it('Kick down while a moderator accepts: they are told to try again, and the redemption still waits', async () => {
    const ch = await newChannel('outage');
    const rewardId = await reward(ch, 'Outage', { points: 3 });
    const fan = viewer();
    const { redemption } = await stack.sim.redeemChannelReward(ch.streamerId, fan.userId, rewardId);
    // The first try and the client's 3 retries.
    stack.sim.failNextRequests({ status: 503, count: 4, method: 'POST', path: '/public/v1/channels/rewards/redemptions/accept' });
    const error = await decideRedemption(stack.ctx, { guildId: ch.guildId, redemptionId: redemption.id, status: 'accepted', actorDiscordId: MOD }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserFacingError);
    expect((error as Error).message).toContain('Kick did not answer the accept (HTTP 503)');
    expect((await row(ch, redemption.id)).status).toBe('pending');
    expect(stack.sim.redemptions(ch.streamerId).find((r) => r.id === redemption.id)?.status).toBe('pending');
  }, 20_000);
});
