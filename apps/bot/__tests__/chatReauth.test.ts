import { startDiscordSim, type DiscordSim } from '@kickcord/discord-sim';
import { REST } from 'discord.js';
import type { Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshTokensTask } from '../src/features/kickConnection/connectionTasks.ts';
import { CHAT_REAUTH_REASON } from '../src/kickChat/KickChatSender.ts';
import { startServiceStack, type ServiceStack } from './helpers/serviceStack.ts';

let stack: ServiceStack;
let discord: DiscordSim;
let modLogId: string;

beforeAll(async () => {
  [stack, discord] = await Promise.all([startServiceStack({ handlers: [] }), startDiscordSim()]);
  const guild = discord.addGuild({ id: stack.guildId, name: 'Reauth Guild', channels: [{ name: 'mod-log' }] });
  modLogId = guild.channels[0]!.id;
  Object.assign(stack.ctx, { discordRest: new REST({ api: discord.apiUrl, retries: 0 }).setToken(discord.token) });
  await stack.db.prisma.guildSettings.update({ where: { guildId: stack.guildId }, data: { modLogChannelId: modLogId } });
});
afterAll(async () => {
  await stack?.close();
  await discord?.close();
});

const botLines = () => stack.sim.chatLog(stack.streamer.userId).filter((m) => m.type === 'bot').map((m) => m.content);

describe('Kick chat answering 401', () => {
  it('refreshes the token once and retries: the reply is sent and the connection stays active', async () => {
    const before = await stack.ctx.connections.load(stack.guildId);
    if (!before) throw new Error('the stack has no connection');
    stack.sim.expireAccessToken(before.accessToken);
    expect(await stack.ctx.kickChat.send({ guildId: stack.guildId, broadcasterUserId: stack.streamer.userId, dedupeKey: 'reauth:one', content: 'after refresh' })).toBe('sent');
    expect(botLines()).toContain('after refresh');
    const after = await stack.db.prisma.kickConnection.findUniqueOrThrow({ where: { guildId: stack.guildId } });
    expect(after.status).toBe('active');
    expect(after.lastRefreshedAt).not.toBeNull();
    expect((await stack.ctx.connections.load(stack.guildId))?.accessToken).not.toBe(before.accessToken);
  });

  it('on a second 401 marks the connection needs_reauth and tells the moderators once', async () => {
    stack.sim.failNextRequests({ status: 401, count: 2, method: 'POST', path: '/public/v1/chat', body: { message: 'Unauthenticated.' } });
    expect(await stack.ctx.kickChat.send({ guildId: stack.guildId, broadcasterUserId: stack.streamer.userId, dedupeKey: 'reauth:two', content: 'never sent' })).toBe('failed');
    expect(botLines()).not.toContain('never sent');
    const conn = await stack.db.prisma.kickConnection.findUniqueOrThrow({ where: { guildId: stack.guildId } });
    expect(conn).toMatchObject({ status: 'needs_reauth', lastError: CHAT_REAUTH_REASON });
    expect((await stack.db.prisma.outgoingChatMessage.findFirstOrThrow({ where: { guildId: stack.guildId, dedupeKey: 'reauth:two' } })).status).toBe('failed');

    const job = {} as Job;
    expect(await refreshTokensTask.run(stack.ctx, job)).toMatchObject({ reauthNotices: 1 });
    expect(await refreshTokensTask.run(stack.ctx, job)).toMatchObject({ reauthNotices: 0 });
    const notices = discord.messages(modLogId).filter((m) => m.content.includes('needs the streamer to log in again'));
    expect(notices).toHaveLength(1);
    expect(notices[0]?.content).toContain('/kick connect');
    expect(notices[0]?.content).toContain(CHAT_REAUTH_REASON);
  });
});
