/**
 * Kick Channel Rewards end to end: /rewards through discord-sim and a real discord.js client, the streamer's rewards
 * in kick-sim, redemptions delivered by kick-sim's webhooks (kick-sim → web → BullMQ → bot worker), the Accept and
 * Reject buttons deciding at Kick, real PostgreSQL and Redis.
 */
import { KICKCORD_SCOPES } from '@kickcord/kick';
import { waitFor } from '@kickcord/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { responseText, startTestStack, type TestStack } from './helpers/harness.ts';

/** What a connection made before the rewards and moderation scopes were requested holds. */
const OLD_SCOPES = ['user:read', 'channel:read', 'chat:write', 'events:subscribe', 'moderation:ban', 'kicks:read', 'channel:rewards:read'];

let stack: TestStack;
let viewer: { userId: number; username: string };
let rewardsChannelId: string;

/** Connects the streamer again with `scopes` (as after a reconnect through Kick's consent page). */
async function connectWith(scopes: readonly string[]): Promise<void> {
  const tokens = stack.kick.issueUserToken({ clientId: stack.kickApp.clientId, userId: stack.streamer.userId, scopes: [...scopes] });
  await stack.bot.ctx.connections.save({
    guildId: stack.guild.id,
    broadcasterUserId: stack.streamer.userId,
    kickUsername: stack.streamer.username,
    connectedByDiscordId: stack.moderatorId,
    tokens: { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, tokenType: 'Bearer', scopes: [...scopes], expiresAt: new Date(Date.now() + tokens.expiresIn * 1000) },
  });
}
async function points(userId: number): Promise<number> {
  const row = await stack.db.prisma.viewerStats.findUnique({ where: { guildId_kickUserId: { guildId: stack.guild.id, kickUserId: userId } } });
  return row?.points ?? 0;
}
const redemptionMessages = () => stack.discord.messages(rewardsChannelId).filter((m) => JSON.stringify(m.embeds).includes('🎁'));
const answered = (r: { kind: string; type?: number }) => r.kind !== 'delete' && (r.kind !== 'callback' || (r.type !== 5 && r.type !== 6));
function rewardId(title: string): string {
  const reward = stack.kick.channelRewards(stack.streamer.userId).find((r) => r.title === title);
  if (!reward) throw new Error(`no reward "${title}" in kick-sim`);
  return reward.id;
}

beforeAll(async () => {
  stack = await startTestStack();
  viewer = stack.createViewer('reward_fan');
  await stack.db.prisma.accountLink.create({ data: { discordUserId: stack.memberId, kickUserId: viewer.userId, kickUsername: viewer.username } });
  rewardsChannelId = stack.guild.modLogChannelId;
}, 90_000);
afterAll(async () => stack?.close());

describe('scopes and re-consent', () => {
  it('an older connection keeps reading rewards; writing names the missing scope and the reconnect; /kick status lists what is missing', async () => {
    await connectWith(OLD_SCOPES);
    expect(await stack.run('/rewards list')).toContain('The channel has no rewards yet');
    const refused = await stack.run('/rewards create title:Hydrate cost:100');
    expect(refused).toContain('`/rewards create` needs the Kick permission `channel:rewards:write`');
    expect(refused).toContain('/kick connect');
    expect(stack.kick.channelRewards(stack.streamer.userId)).toEqual([]);

    const status = await stack.invoke('/kick status');
    const shown = await stack.discord.waitForInteractionResponse(status, answered, 10_000);
    const text = responseText(shown.data);
    expect(text).toContain('Missing Kick permissions');
    expect(text).toContain('`channel:write`, `moderation:chat_message:manage`, `channel:rewards:write`');
    expect(JSON.stringify(shown.data)).toContain('Reconnect Kick channel');

    await connectWith(KICKCORD_SCOPES);
    const after = await stack.discord.waitForInteractionResponse(await stack.invoke('/kick status'), answered, 10_000);
    expect(responseText(after.data)).not.toContain('Missing Kick permissions');
  });
});

describe('/rewards, end to end', () => {
  it('moderators create, edit, pause and list rewards on Kick; Kick validation errors are shown; members cannot', async () => {
    expect(await stack.run('/rewards list', { as: 'member' })).toContain('is for moderators');
    expect(await stack.run('/rewards create title:Hydrate cost:100 description:"Drink water" colour:123abc user-input:true')).toContain('Created on Kick: **Hydrate** — 100 channel points · ✅ on · asks for input');
    expect(stack.kick.channelRewards(stack.streamer.userId)).toEqual([expect.objectContaining({ title: 'Hydrate', cost: 100, description: 'Drink water', backgroundColor: '#123abc', isUserInputRequired: true, clientId: stack.kickApp.clientId })]);
    expect(await stack.run('/rewards create title:Bad cost:5 colour:green')).toContain('"green" is not a colour');
    // Kick's own refusal, passed on in its words.
    stack.kick.failNextRequests({ status: 400, method: 'POST', path: '/public/v1/channels/rewards', body: { data: 'a reward with this title already exists', message: 'Bad request' } });
    expect(await stack.run('/rewards create title:Hydrate cost:5')).toContain('Kick refused the new reward: a reward with this title already exists');

    const id = rewardId('Hydrate');
    // Autocomplete offers the channel's rewards from Kick, by title, with Kick's id as the value.
    const typed = await stack.discord.invoke(stack.guild.id, stack.moderatorId, '/rewards edit reward:hyd', { type: 'autocomplete', permissions: 0x20n, bypassCommandPermissions: true });
    const choices = await stack.discord.waitForInteractionResponse(typed, (r) => r.type === 8, 10_000);
    expect(choices.data).toEqual({ choices: [{ name: 'Hydrate', value: id }] });
    expect(await stack.run(`/rewards edit reward:${id} cost:150 skip-queue:false`)).toContain('**Hydrate** — 150 channel points');
    expect(await stack.run('/rewards pause reward:hydrate')).toContain('⏸️ Paused on Kick');
    await expect(stack.kick.redeemChannelReward(stack.streamer.userId, viewer.userId, id, { userInput: 'x' })).rejects.toThrow(/paused/);
    expect(await stack.run('/rewards pause reward:Hydrate paused:false')).toContain('▶️ Resumed on Kick');
    expect(await stack.run('/rewards edit reward:Nope cost:1')).toContain('The channel has no reward "Nope"');

    expect(await stack.run('/rewards create title:Temp cost:1')).toContain('Created on Kick');
    expect(await stack.run('/rewards delete reward:Temp')).toContain('Deleted **Temp** on Kick');
    expect(stack.kick.channelRewards(stack.streamer.userId).map((r) => r.title)).toEqual(['Hydrate']);
    const listed = await stack.run('/rewards list');
    expect(listed).toContain('**Hydrate** — 150 channel points · ✅ on · asks for input');
    expect(listed).toContain('no kickcord actions');
  });

  it('a redemption runs its actions once, waits with Accept/Reject, and Accept decides it at Kick, naming who decided', async () => {
    const vip = stack.discord.addRole(stack.guild.id, { name: 'Hydrated' });
    expect(await stack.run(`/rewards channel channel:<#${rewardsChannelId}>`)).toContain(`<#${rewardsChannelId}>`);
    expect(await stack.run('/rewards actions reward:Hydrate post-message:"{user} wants {nope}"')).toContain('it may use {user} {reward} {input} {cost}');
    const set = await stack.run(`/rewards actions reward:Hydrate points:250 role:<@&${vip.id}> post-channel:<#${stack.guild.generalChannelId}> post-message:"💧 {user} redeemed {reward}: {input}" queue:true`);
    expect(set).toContain('250 points');
    expect(set).toContain(`role <@&${vip.id}>`);
    expect(set).toContain('reward queue');

    const id = rewardId('Hydrate');
    const { redemption } = await stack.kick.redeemChannelReward(stack.streamer.userId, viewer.userId, id, { userInput: 'with ice', duplicate: 1 });
    await waitFor(() => redemptionMessages().length === 1, { description: 'the redemption in the rewards channel', timeoutMs: 15_000 });
    await stack.drain();
    const waiting = redemptionMessages()[0]!;
    expect(JSON.stringify(waiting.embeds)).toContain('with ice');
    expect(JSON.stringify(waiting.embeds)).toContain('Waiting for a moderator');
    expect(JSON.stringify(waiting.components)).toContain(`rewards:accept:${redemption.id}`);
    expect(await points(viewer.userId)).toBe(250);
    expect(stack.discord.getGuild(stack.guild.id)?.members.find((m) => m.id === stack.memberId)?.roles).toContain(vip.id);
    const posts = stack.discord.messages(stack.guild.generalChannelId).filter((m) => m.content.includes('💧'));
    expect(posts.map((m) => m.content)).toEqual([`💧 ${viewer.username} redeemed Hydrate: “with ice”`]);
    expect(await stack.run('/rewards queue')).toContain(`#1 **Hydrate** — ${viewer.username}: “with ice”`);

    // A member cannot decide; a moderator accepts: Kick records it, the message says who, the buttons go.
    const denied = await stack.discord.clickButton(waiting, `rewards:accept:${redemption.id}`, stack.memberId);
    expect(responseText((await stack.discord.waitForInteractionResponse(denied, answered, 10_000)).data)).toContain('is for moderators');
    const click = await stack.discord.clickButton(waiting, `rewards:accept:${redemption.id}`, stack.moderatorId, { permissions: 0x20n });
    await waitFor(() => stack.kick.redemptions(stack.streamer.userId).find((r) => r.id === redemption.id)?.status === 'accepted', { description: 'Kick to accept the redemption' });
    await waitFor(() => JSON.stringify(stack.discord.messages(rewardsChannelId).find((m) => m.id === waiting.id)?.embeds).includes(`Accepted by <@${stack.moderatorId}>`), { description: 'the message to name who accepted' });
    expect((await stack.discord.waitForInteractionResponse(click, (r) => r.kind === 'edit', 10_000)).kind).toBe('edit');
    expect(stack.discord.messages(rewardsChannelId).find((m) => m.id === waiting.id)?.components ?? []).toEqual([]);

    // Kick then reports the redemption as accepted (and again): nothing runs twice, the message keeps who decided.
    await stack.kick.waitForDeliveries((d) => d.type === 'channel.reward.redemption.updated' && JSON.stringify(d.payload).includes('"accepted"') && d.delivered, 10_000);
    await stack.kick.emit(
      'channel.reward.redemption.updated',
      { id: redemption.id, status: 'accepted', user_input: 'with ice', reward: { id, title: 'Hydrate', cost: 150, description: '' }, redeemer: { user_id: viewer.userId, username: viewer.username } },
      { broadcasterUserId: stack.streamer.userId, duplicate: 1 },
    );
    await stack.drain();
    expect(await points(viewer.userId)).toBe(250);
    expect(redemptionMessages()).toHaveLength(1);
    expect(stack.discord.messages(stack.guild.generalChannelId).filter((m) => m.content.includes('💧'))).toHaveLength(1);
    expect(JSON.stringify(redemptionMessages()[0]!.embeds)).toContain(`Accepted by <@${stack.moderatorId}>`);
    const row = await stack.db.prisma.channelRewardRedemption.findUniqueOrThrow({ where: { guildId_redemptionId: { guildId: stack.guild.id, redemptionId: redemption.id } } });
    expect(row).toMatchObject({ status: 'accepted', decidedByDiscordId: stack.moderatorId, decidedVia: 'discord' });

    expect(await stack.run('/rewards queue done:1')).toContain(`Done: #1 **Hydrate** for **${viewer.username}**`);
    expect(await stack.run('/rewards queue')).toContain('The reward queue is empty');
  });

  it('auto-reject when an action fails (an unlinked viewer cannot get the role); the streamer rejecting on kick.com updates the message', async () => {
    const role = stack.discord.addRole(stack.guild.id, { name: 'Lucky' });
    expect(await stack.run('/rewards create title:Lucky cost:10')).toContain('Created on Kick');
    expect(await stack.run(`/rewards actions reward:Lucky role:<@&${role.id}> auto-accept:true auto-reject:true`)).toContain('auto-accept on success, auto-reject on failure');
    const stranger = stack.createViewer('no_link');
    const failed = await stack.kick.redeemChannelReward(stack.streamer.userId, stranger.userId, rewardId('Lucky'));
    await waitFor(() => stack.kick.redemptions(stack.streamer.userId).find((r) => r.id === failed.redemption.id)?.status === 'rejected', { description: 'the automatic reject at Kick', timeoutMs: 15_000 });
    const linked = await stack.kick.redeemChannelReward(stack.streamer.userId, viewer.userId, rewardId('Lucky'));
    await waitFor(() => stack.kick.redemptions(stack.streamer.userId).find((r) => r.id === linked.redemption.id)?.status === 'accepted', { description: 'the automatic accept at Kick', timeoutMs: 15_000 });
    await stack.drain();
    const texts = redemptionMessages().map((m) => JSON.stringify(m.embeds));
    expect(texts.find((t) => t.includes(failed.redemption.id))).toContain('Rejected automatically (an action failed)');
    expect(texts.find((t) => t.includes(failed.redemption.id))).toContain('has not linked a Discord account');
    expect(texts.find((t) => t.includes(linked.redemption.id))).toContain('Accepted automatically (every action succeeded)');

    // A reward the streamer made on kick.com: Kick refuses kickcord's decision; the streamer decides on kick.com.
    const own = stack.kick.createChannelReward(stack.streamer.userId, { title: 'Shoutout', cost: 5 });
    const pending = await stack.kick.redeemChannelReward(stack.streamer.userId, viewer.userId, own.id);
    await waitFor(() => redemptionMessages().some((m) => JSON.stringify(m.embeds).includes(pending.redemption.id)), { description: 'the Shoutout redemption message', timeoutMs: 15_000 });
    const message = redemptionMessages().find((m) => JSON.stringify(m.embeds).includes(pending.redemption.id))!;
    const click = await stack.discord.clickButton(message, `rewards:reject:${pending.redemption.id}`, stack.moderatorId, { permissions: 0x20n });
    const told = await stack.discord.waitForInteractionResponse(click, (r) => r.kind === 'followup', 10_000);
    expect(responseText(told.data)).toContain('Kick did not reject it: reward was not created by this app');
    await stack.kick.decideRedemption(stack.streamer.userId, pending.redemption.id, 'rejected');
    await waitFor(() => JSON.stringify(stack.discord.messages(rewardsChannelId).find((m) => m.id === message.id)?.embeds).includes('Rejected on Kick'), { description: 'the message to say Kick rejected it', timeoutMs: 15_000 });
  });
});
