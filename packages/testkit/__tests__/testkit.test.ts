/**
 * The shared pieces that point kickcord at the simulators: the environment they produce is one the real
 * bot accepts, the Kick app is registered as an operator would register it, ports are free, and the bot's
 * child process reports a failed start instead of hanging.
 */
import { createServer } from 'node:net';
import { parseBotEnv } from '@kickcord/bot';
import { startDiscordSim, type DiscordSim } from '@kickcord/discord-sim';
import { startKickSim, type KickSim } from '@kickcord/kick-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botEnvStrings, freePort, MANAGE_GUILD, newSimKickApp, registerSimKickApp, SIM_BOT_USERNAME, simulatorBotEnv, simulatorEnv, startBotProcess } from '../src/index.ts';

describe('freePort', () => {
  it('returns a port on 127.0.0.1 that a server can listen on', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    expect(typeof address === 'object' && address ? address.port : 0).toBe(port);
    await new Promise((resolve) => server.close(resolve));
  });
});

describe('simulator environment', () => {
  let kick: KickSim;
  let discord: DiscordSim;

  beforeAll(async () => {
    [kick, discord] = await Promise.all([startKickSim({ autoApprove: true }), startDiscordSim()]);
  });
  afterAll(async () => {
    await Promise.allSettled([kick?.close(), discord?.close()]);
  });

  it('registers the Kick app with web’s OAuth callback, webhook URL and the bot account', () => {
    const app = newSimKickApp();
    expect(app.encryptionKey).toMatch(/^[0-9a-f]{64}$/);
    expect(newSimKickApp().clientId).not.toBe(app.clientId);
    registerSimKickApp(kick, app, 'http://127.0.0.1:4321', 'kickcord (test)');
    const registered = kick.getApp(app.clientId);
    expect(registered?.clientSecret).toBe(app.clientSecret);
    expect(registered?.name).toBe('kickcord (test)');
    expect(registered?.redirectUris).toEqual(['http://127.0.0.1:4321/oauth/kick/callback']);
    expect(registered?.webhookUrl).toBe('http://127.0.0.1:4321/webhooks/kick');
    expect(registered?.botUser.username).toBe(SIM_BOT_USERNAME);
  });

  it('gives an environment the real bot accepts, pointed at both simulators', () => {
    const app = newSimKickApp();
    const common = simulatorEnv({ kick, app, databaseUrl: 'postgresql://postgres@127.0.0.1:5432/x', redisUrl: 'redis://127.0.0.1:6379', publicUrl: 'http://127.0.0.1:4321', logLevel: 'silent' });
    const env = parseBotEnv({ ...common, ...simulatorBotEnv(discord, 'testkit-prefix') });
    expect(env.KICK_API_URL).toBe(kick.url);
    expect(env.KICK_AUTH_URL).toBe(kick.url);
    expect(env.KICK_WEBHOOK_PUBLIC_KEY).toBe(kick.publicKeyPem);
    expect(env.KICK_CLIENT_ID).toBe(app.clientId);
    expect(env.DISCORD_API_URL).toBe(discord.apiUrl);
    expect(env.DISCORD_TOKEN).toBe(discord.token);
    expect(env.QUEUE_PREFIX).toBe('testkit-prefix');
    expect(env.WATCH_PAYOUT_MINUTES).toBe(1);

    // What a child process receives: every parsed value as a string, overrides on top.
    const strings = botEnvStrings(env, { LOG_LEVEL: 'warn' });
    expect(strings.KICK_API_URL).toBe(kick.url);
    expect(strings.WATCH_PAYOUT_MINUTES).toBe('1');
    expect(strings.LOG_LEVEL).toBe('warn');
    expect(Object.values(strings).every((v) => typeof v === 'string')).toBe(true);
    expect(parseBotEnv(strings).DISCORD_API_URL).toBe(discord.apiUrl);
  });

  it('gives moderators Manage Server', () => {
    expect(MANAGE_GUILD).toBe(1n << 5n);
  });
});

describe('startBotProcess', () => {
  it('rejects `ready` with the exit when the bot cannot start (invalid environment)', async () => {
    const bot = startBotProcess({ DISCORD_TOKEN: '', DATABASE_URL: 'not a url' }, { readyTimeoutMs: 60_000 });
    await expect(bot.ready).rejects.toThrow(/bot child exited before it was ready \(code 1\)/);
    expect((await bot.exited).code).toBe(1);
    await bot.kill();
  }, 90_000);

  it('hands role, shards and REST proxy to the child as its environment, and captures what it printed', async () => {
    const env = {
      DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/test',
      PUBLIC_URL: 'http://127.0.0.1:9',
      TOKEN_ENCRYPTION_KEY: 'ab'.repeat(32),
      KICK_CLIENT_ID: 'client',
      KICK_CLIENT_SECRET: 'secret',
      DISCORD_TOKEN: 'token',
      DISCORD_CLIENT_ID: '100000000000000001',
    };
    // Shard 3 of 2 and a proxy URL without /api: the child's own environment check refuses exactly these.
    const bot = startBotProcess(env, { role: 'gateway', shardCount: 2, shardIds: [1, 3], restProxyUrl: 'http://127.0.0.1:9/', captureOutput: true, readyTimeoutMs: 60_000 });
    await expect(bot.ready).rejects.toThrow(/code 1/);
    const { stderr } = bot.output();
    expect(stderr).toContain('DISCORD_SHARD_IDS is invalid (names shard 3, but DISCORD_SHARD_COUNT=2 means shard ids 0-1');
    expect(stderr).toContain('DISCORD_REST_PROXY_URL is invalid');
    expect(stderr).not.toContain('BOT_ROLE');
    expect(bot.logs()).toEqual([]);
  }, 90_000);
});
