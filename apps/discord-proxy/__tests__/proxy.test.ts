import type { AddressInfo } from 'node:net';
import { REST } from '@discordjs/rest';
import { startDiscordSim, type DiscordSim } from '@kickcord/discord-sim';
import { Routes } from 'discord.js';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordProxy, parseProxyEnv, type DiscordProxy } from '../src/index.ts';

const GUILD = '830000000000000001';
const CHANNEL = '830000000000000002';

let sim: DiscordSim;
let proxy: DiscordProxy;
let proxyApi: string;

beforeAll(async () => {
  sim = await startDiscordSim();
  sim.addGuild({ id: GUILD, name: 'Proxy Guild', channels: [{ id: CHANNEL, name: 'announcements' }] });
  proxy = createDiscordProxy({ api: sim.apiUrl, logger: pino({ level: 'silent' }) });
  await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
  proxyApi = `http://127.0.0.1:${(proxy.server.address() as AddressInfo).port}/api`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => proxy?.server.close(() => resolve()));
  await sim?.close();
});

const client = () => new REST({ api: proxyApi }).setToken(sim.token);
const posts = (content: string) => sim.restCalls.filter((c) => c.method === 'POST' && c.path === `/channels/${CHANNEL}/messages` && (c.body as { content?: string }).content === content);

describe('discord REST proxy', () => {
  it('forwards requests with their own Authorization and returns Discord’s answer', async () => {
    const message = (await client().post(Routes.channelMessages(CHANNEL), { body: { content: 'through the proxy' } })) as { id: string; content: string };
    expect(message.content).toBe('through the proxy');
    expect(sim.messages(CHANNEL).map((m) => m.id)).toContain(message.id);
    // A client with a wrong token gets Discord's own 401: the proxy adds no credentials.
    const anonymous = new REST({ api: proxyApi, retries: 0 }).setToken('not-the-token');
    await expect(anonymous.post(Routes.channelMessages(CHANNEL), { body: { content: 'x' } })).rejects.toMatchObject({ status: 401 });
  });

  it('absorbs a 429 for every client: the proxy waits and retries once, each message lands once', async () => {
    sim.rateLimitNext({ method: 'POST', pathPrefix: `/channels/${CHANNEL}/messages` }, 0.2);
    const clients = [client(), client(), client()];
    await Promise.all(clients.map((rest, i) => rest.post(Routes.channelMessages(CHANNEL), { body: { content: `burst ${i}` } })));
    for (let i = 0; i < 3; i++) expect(sim.messages(CHANNEL).filter((m) => m.content === `burst ${i}`)).toHaveLength(1);
    const statuses = [0, 1, 2].flatMap((i) => posts(`burst ${i}`).map((c) => c.status));
    expect(statuses.filter((s) => s === 429)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(3);
  });

  it('gives three clients one view of a bucket: a burst of 15 posts into one channel meets at most the one 429 that discovers it', async () => {
    sim.configureRateLimits({ routes: { 'POST /channels/{channel_id}/messages': { limit: 5, windowMs: 1_000 } }, globalPerSecond: 50 });
    sim.resetRateLimitStats();
    try {
      const workers = [client(), client(), client()];
      await Promise.all(workers.flatMap((rest, w) => Array.from({ length: 5 }, (_, i) => rest.post(Routes.channelMessages(CHANNEL), { body: { content: `shared ${w}-${i}` } }))));
      for (let w = 0; w < 3; w++) for (let i = 0; i < 5; i++) expect(sim.messages(CHANNEL).filter((m) => m.content === `shared ${w}-${i}`)).toHaveLength(1);
      expect(sim.rateLimitStats().total).toBeLessThanOrEqual(1);
    } finally {
      sim.configureRateLimits(false);
    }
  });

  it('answers /healthz itself', async () => {
    const res = await fetch(proxyApi.replace(/\/api$/, '/healthz'));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok');
  });

  it('validates its environment with a message per variable', () => {
    expect(parseProxyEnv({}).PORT).toBe(8080);
    expect(() => parseProxyEnv({ DISCORD_API_URL: 'nope', PORT: 'x' })).toThrow(/DISCORD_API_URL[\s\S]*PORT|PORT[\s\S]*DISCORD_API_URL/);
  });
});
