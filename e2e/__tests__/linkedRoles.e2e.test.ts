/**
 * Discord Linked Roles end to end: `pnpm discord:register` registers the metadata; a viewer verifies through the web
 * app's `/linked-roles` with discord-sim's OAuth2 before linking Kick (the page offers linking), links with `/link
 * start` + `!link CODE` in Kick chat, and the bot's updater writes the points Kick events earned; a sub bonus follows;
 * a revoked grant is dropped. Web, bot, kick-sim, discord-sim, PostgreSQL and Redis are real.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { maintenanceTasks } from '@kickcord/bot';
import { waitFor } from '@kickcord/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from './helpers/harness.ts';

let stack: TestStack;
let viewer: { userId: number; username: string };
/** The connections package's STATS_REWRITE_INTERVAL_MS: points are rewritten at most this often per user. */
const STATS_REWRITE_INTERVAL_MS = 10 * 60_000;

beforeAll(async () => {
  stack = await startTestStack();
  viewer = stack.createViewer('lr_viewer');
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

/** What the viewer's browser does: open the verification URL, approve on Discord as `userId`, come back. */
async function verifyInBrowser(userId: string): Promise<{ status: number; body: string }> {
  const start = await fetch(`${stack.web.url}/linked-roles`, { redirect: 'manual' });
  expect(start.status).toBe(302);
  const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0] as string;
  const consent = await fetch(`${start.headers.get('location')}&sim_user_id=${userId}`, { redirect: 'manual' });
  expect(consent.status).toBe(302);
  const back = await fetch(consent.headers.get('location') as string, { headers: { cookie }, redirect: 'manual' });
  return { status: back.status, body: await back.text() };
}

/** The bot's `linked-roles-sync` maintenance task, run once (as its job scheduler would). */
async function runUpdater(): Promise<Record<string, unknown>> {
  const task = maintenanceTasks.find((t) => t.name === 'linked-roles-sync');
  expect(task).toBeDefined();
  return (await task?.run(stack.bot.ctx, undefined as never)) as Record<string, unknown>;
}

/** `pnpm discord:register` (apps/bot/src/register.ts) as an operator runs it, in a child process. */
async function discordRegister(): Promise<string> {
  const e = stack.env;
  const env = {
    PATH: process.env.PATH,
    DATABASE_URL: e.DATABASE_URL,
    REDIS_URL: e.REDIS_URL,
    PUBLIC_URL: e.PUBLIC_URL,
    TOKEN_ENCRYPTION_KEY: e.TOKEN_ENCRYPTION_KEY,
    KICK_CLIENT_ID: e.KICK_CLIENT_ID,
    KICK_CLIENT_SECRET: e.KICK_CLIENT_SECRET,
    DISCORD_TOKEN: e.DISCORD_TOKEN,
    DISCORD_CLIENT_ID: e.DISCORD_CLIENT_ID,
    DISCORD_API_URL: e.DISCORD_API_URL,
  };
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../../apps/bot/src/register.ts')], { env, timeout: 60_000 });
  return stdout;
}

const connection = () => stack.discord.roleConnection(stack.memberId);

describe('Discord Linked Roles', () => {
  it('registers the metadata; an unlinked viewer verifies, links in Kick chat, and the updater writes their values', async () => {
    const printed = await discordRegister();
    expect(printed).toContain('Registered 5 Linked Roles metadata fields: kick_subscriber, watch_hours, points, linked_since, subscribed_since.');
    expect(stack.discord.roleConnectionMetadata().map((r) => r.key)).toEqual(['kick_subscriber', 'watch_hours', 'points', 'linked_since', 'subscribed_since']);

    await stack.run('/loyalty settings follow_bonus:100 sub_bonus:500');
    await stack.kick.follow(stack.streamer.userId, viewer.userId);
    await stack.drain();
    await waitFor(() => stack.db.prisma.viewerStats.findFirst({ where: { guildId: stack.guild.id, kickUserId: viewer.userId, points: 100 } }), {
      description: 'the follow bonus',
    });

    const page = await verifyInBrowser(stack.memberId);
    expect(page.status, page.body).toBe(200);
    expect(page.body).toContain('One more step: link your Kick account');
    expect(connection()).toEqual({ platform_name: 'Kick', platform_username: null, metadata: {} });

    // The viewer links as the page says: /link start in Discord, the code in the streamer's Kick chat.
    const record = await stack.invoke('/link start', { userId: stack.memberId, permissions: 0n });
    const reply = await stack.discord.waitForInteractionResponse(record, (r) => r.kind === 'callback', 10_000);
    const code = /!link ([0-9A-Z]{4}-[0-9A-Z]{4})/.exec(JSON.stringify(reply.data))?.[1];
    expect(code).toBeDefined();
    await stack.kick.sendChat(stack.streamer.userId, viewer.userId, `!link ${code}`);
    await waitFor(() => stack.db.prisma.accountLink.findUnique({ where: { discordUserId: stack.memberId } }), { timeoutMs: 15_000, description: 'the link' });

    expect(await runUpdater()).toMatchObject({ ran: true, written: 1 });
    expect(connection()).toMatchObject({ platform_name: 'Kick', platform_username: viewer.username, metadata: { points: '100', watch_hours: '0', kick_subscriber: '0' } });
  });

  it('a sub bonus from a Kick event reaches Discord at the updater run after the rewrite interval', async () => {
    await stack.kick.subscribe(stack.streamer.userId, viewer.userId, 1);
    await stack.drain();
    await waitFor(() => stack.db.prisma.viewerStats.findFirst({ where: { guildId: stack.guild.id, kickUserId: viewer.userId, points: 600 } }), {
      description: 'the sub bonus',
    });
    // As if the connection was written more than the rewrite interval ago.
    await stack.db.prisma.discordRoleConnection.updateMany({ data: { writtenAt: new Date(Date.now() - STATS_REWRITE_INTERVAL_MS - 1000) } });
    expect(await runUpdater()).toMatchObject({ ran: true, written: 1 });
    expect(connection()?.metadata.points).toBe('600');
  });

  it('a viewer who removes the app is dropped at the next run and not retried', async () => {
    stack.discord.revokeUserAuthorization(stack.memberId);
    await stack.db.prisma.accountLink.update({ where: { discordUserId: stack.memberId }, data: { verifiedAt: new Date() } });
    expect(await runUpdater()).toMatchObject({ dropped: 1 });
    expect(await stack.db.prisma.discordRoleConnection.count()).toBe(0);
    expect(await runUpdater()).toMatchObject({ checked: 0 });
  });
});
