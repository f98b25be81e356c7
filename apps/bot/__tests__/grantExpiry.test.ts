import { startDiscordSim, type DiscordSim } from '@kickcord/discord-sim';
import type { Job } from 'bullmq';
import { REST } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshTokensTask } from '../src/features/kickConnection/connectionTasks.ts';
import { startServiceStack, type ServiceStack } from './helpers/serviceStack.ts';

let stack: ServiceStack;
let discord: DiscordSim;
let alertsId: string;
const DAY = 86_400_000;

beforeAll(async () => {
  [stack, discord] = await Promise.all([startServiceStack({ handlers: [] }), startDiscordSim()]);
  const guild = discord.addGuild({ id: stack.guildId, name: 'Expiry Guild', channels: [{ name: 'live-alerts' }] });
  alertsId = guild.channels[0]!.id;
  Object.assign(stack.ctx, { discordRest: new REST({ api: discord.apiUrl, retries: 0 }).setToken(discord.token) });
  // No mod-log channel: the notice goes to the go-live announcement channel.
  await stack.db.prisma.announcementSetting.create({ data: { guildId: stack.guildId, event: 'live', discordChannelId: alertsId } });
});
afterAll(async () => {
  await stack?.close();
  await discord?.close();
});

const warnings = () => discord.messages(alertsId).filter((m) => m.content.includes('runs out'));

describe("Kick consent expiry (refresh tokens die ~30 days after connecting)", () => {
  it('warns the guild once, 3 days ahead, with a reconnect link', async () => {
    const job = {} as Job;
    const connectedAt = (await stack.db.prisma.kickConnection.findUniqueOrThrow({ where: { guildId: stack.guildId } })).createdAt;
    stack.clock.set(connectedAt.getTime() + 26 * DAY);
    expect(await refreshTokensTask.run(stack.ctx, job)).toMatchObject({ expiryWarnings: 0 });
    expect(warnings()).toHaveLength(0);

    stack.clock.set(connectedAt.getTime() + 27 * DAY + 60_000);
    expect(await refreshTokensTask.run(stack.ctx, job)).toMatchObject({ expiryWarnings: 1 });
    expect(await refreshTokensTask.run(stack.ctx, job)).toMatchObject({ expiryWarnings: 0 });
    expect(warnings()).toHaveLength(1);
    const text = warnings()[0]!.content;
    expect(text).toContain(stack.streamer.username.toLowerCase());
    expect(text).toMatch(/http:\/\/127\.0\.0\.1:9\/connect\/kick\?t=\S+/);
    const link = await stack.db.prisma.connectLink.findFirstOrThrow({ where: { guildId: stack.guildId } });
    expect(link.expiresAt.getTime()).toBe(stack.clock.now().getTime() + DAY);
  });

  it('a reconnect starts a new consent (createdAt moves), so the warning window starts again', async () => {
    const before = await stack.db.prisma.kickConnection.findUniqueOrThrow({ where: { guildId: stack.guildId } });
    const tokens = stack.sim.issueUserToken({ clientId: stack.ctx.env.KICK_CLIENT_ID, userId: stack.streamer.userId, scopes: before.scopes });
    await stack.ctx.connections.save({
      guildId: stack.guildId,
      broadcasterUserId: stack.streamer.userId,
      kickUsername: stack.streamer.username,
      connectedByDiscordId: before.connectedByDiscordId,
      tokens: { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, tokenType: 'Bearer', scopes: before.scopes, expiresAt: new Date(Date.now() + tokens.expiresIn * 1000) },
    });
    const after = await stack.db.prisma.kickConnection.findUniqueOrThrow({ where: { guildId: stack.guildId } });
    expect(after.id).toBe(before.id);
    expect(after.createdAt.getTime()).toBeGreaterThan(before.createdAt.getTime());
  });
});
