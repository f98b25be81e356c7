import { Routes, type TextChannel } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { startDiscordSim, type DiscordSim, type DiscordSimOptions } from '../src/index.ts';
import { startHarness, type Harness } from './clientHarness.ts';

const MESSAGES = 'POST /channels/{channel_id}/messages';
const GUILD = '830000000000000001';
const CH_A = '830000000000000002';
const CH_B = '830000000000000003';

describe('REST rate limits seen by discord.js (@discordjs/rest)', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    expect(h?.uncaught ?? []).toEqual([]);
    await h?.stop();
    h = undefined;
  });

  const start = (options: DiscordSimOptions) =>
    startHarness((sim) => sim.addGuild({ id: GUILD, name: 'G', channels: [{ id: CH_A, name: 'a' }, { id: CH_B, name: 'b' }] }), options);

  it('20 concurrent posts into one channel at 5 per second: all arrive, the client waits from the headers (at most one 429)', async () => {
    h = await start({ rateLimits: { routes: { [MESSAGES]: { limit: 5, windowMs: 1000 } } } });
    const sim = h.sim;
    sim.resetRateLimitStats();
    const sent = await Promise.all(Array.from({ length: 20 }, (_, i) => h?.client.rest.post(Routes.channelMessages(CH_A), { body: { content: `m${i}` } })));
    expect(sent).toHaveLength(20);
    expect(sim.messages(CH_A).map((m) => m.content).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `m${i}`).sort());
    const stats = sim.rateLimitStats();
    expect(stats.total).toBeLessThanOrEqual(1);
    expect(stats.global).toBe(0);
    const ok = sim.restCalls.filter((c) => c.method === 'POST' && c.path === `/channels/${CH_A}/messages` && c.status === 200);
    expect(ok).toHaveLength(20);
    // Four windows of five: the last success comes at least three windows after the first.
    expect((ok[19]?.at.getTime() ?? 0) - (ok[0]?.at.getTime() ?? 0)).toBeGreaterThanOrEqual(2900);
  });

  it('channel.send one after another at 3 per second: all land, at most one 429', async () => {
    h = await start({ rateLimits: { routes: { [MESSAGES]: { limit: 3, windowMs: 1000 } } } });
    const channel = h.client.channels.cache.get(CH_B) as TextChannel;
    for (let i = 0; i < 7; i++) await channel.send(`s${i}`);
    expect(h.sim.messages(CH_B).map((m) => m.content)).toEqual(['s0', 's1', 's2', 's3', 's4', 's5', 's6']);
    expect(h.sim.rateLimitStats().total).toBeLessThanOrEqual(1);
  });
});

describe('REST rate limits on the wire', () => {
  let sim: DiscordSim | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  const setup = async (options: DiscordSimOptions) => {
    sim = await startDiscordSim(options);
    sim.addGuild({ id: GUILD, name: 'G', channels: [{ id: CH_A, name: 'a' }, { id: CH_B, name: 'b' }] });
    return sim;
  };
  const call = (s: DiscordSim, method: string, path: string, body?: unknown) =>
    fetch(`${s.apiUrl}/v10${path}`, {
      method,
      headers: { authorization: `Bot ${s.token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const rateHeaders = (res: Response) => Object.fromEntries([...res.headers].filter(([k]) => k.startsWith('x-ratelimit') || k === 'retry-after'));

  it('every answer of a limited route carries the bucket headers; buckets are per channel; the 429 has Discord\'s body', async () => {
    const s = await setup({ rateLimits: { routes: { [MESSAGES]: { limit: 2, windowMs: 60_000 } }, otherRoutes: null, globalPerSecond: null } });
    const before = Date.now() / 1000;
    const first = await call(s, 'POST', `/channels/${CH_A}/messages`, { content: 'one' });
    expect(first.status).toBe(200);
    const h1 = rateHeaders(first);
    expect(h1).toMatchObject({ 'x-ratelimit-limit': '2', 'x-ratelimit-remaining': '1' });
    expect(h1['x-ratelimit-bucket']).toMatch(/^[0-9a-f]{32}$/);
    expect(Number(h1['x-ratelimit-reset-after'])).toBeGreaterThan(59);
    expect(Number(h1['x-ratelimit-reset-after'])).toBeLessThanOrEqual(60);
    expect(Number(h1['x-ratelimit-reset'])).toBeGreaterThan(before + 59);
    expect(Number(h1['x-ratelimit-reset'])).toBeLessThan(Date.now() / 1000 + 61);

    const other = rateHeaders(await call(s, 'POST', `/channels/${CH_B}/messages`, { content: 'elsewhere' }));
    expect(other).toMatchObject({ 'x-ratelimit-remaining': '1', 'x-ratelimit-bucket': h1['x-ratelimit-bucket'] });
    expect(rateHeaders(await call(s, 'POST', `/channels/${CH_A}/messages`, { content: 'two' }))['x-ratelimit-remaining']).toBe('0');

    const limited = await call(s, 'POST', `/channels/${CH_A}/messages`, { content: 'three' });
    expect(limited.status).toBe(429);
    const body = (await limited.json()) as { message: string; retry_after: number; global: boolean };
    expect(body).toMatchObject({ message: 'You are being rate limited.', global: false });
    expect(body.retry_after).toBeGreaterThan(58);
    expect(body.retry_after).toBeLessThanOrEqual(60);
    const h429 = rateHeaders(limited);
    expect(h429).toMatchObject({ 'x-ratelimit-limit': '2', 'x-ratelimit-remaining': '0', 'x-ratelimit-scope': 'user', 'x-ratelimit-bucket': h1['x-ratelimit-bucket'] });
    expect(Number(h429['retry-after'])).toBeCloseTo(body.retry_after, 2);
    expect(h429['x-ratelimit-global']).toBeUndefined();
    expect(s.messages(CH_A).map((m) => m.content)).toEqual(['one', 'two']);

    // A route without a limit (otherRoutes: null) answers without bucket headers.
    expect(rateHeaders(await call(s, 'GET', '/users/@me'))).toEqual({});

    expect(s.rateLimitStats()).toEqual({ total: 1, global: 0, byRoute: { [MESSAGES]: 1 }, byBucket: { [`${h1['x-ratelimit-bucket']}:${CH_A}`]: 1 } });
    s.resetRateLimitStats();
    expect(s.rateLimitStats()).toEqual({ total: 0, global: 0, byRoute: {}, byBucket: {} });
  });

  it('the global limit answers 429 with global: true and X-RateLimit-Global; interaction routes are exempt', async () => {
    const s = await setup({ rateLimits: { globalPerSecond: 3, otherRoutes: null } });
    const answers = await Promise.all(Array.from({ length: 5 }, () => call(s, 'GET', '/users/@me')));
    expect(answers.map((r) => r.status).sort()).toEqual([200, 200, 200, 429, 429]);
    const limited = answers.find((r) => r.status === 429) as Response;
    const body = (await limited.json()) as { message: string; retry_after: number; global: boolean };
    expect(body).toMatchObject({ message: 'You are being rate limited.', global: true });
    expect(body.retry_after).toBeGreaterThan(0);
    expect(body.retry_after).toBeLessThanOrEqual(1);
    expect(rateHeaders(limited)).toMatchObject({ 'x-ratelimit-global': 'true', 'x-ratelimit-scope': 'global' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Interaction callbacks and the interaction webhook do not count against (or hit) the global limit.
    const callback = await call(s, 'POST', '/interactions/840000000000000001/sometoken/callback', { type: 4, data: { content: 'x' } });
    expect(callback.status).toBe(404);
    expect(((await callback.json()) as { code: number }).code).toBe(10062);
    const followUp = await call(s, 'POST', `/webhooks/${s.applicationId}/sometoken`, { content: 'x' });
    expect(followUp.status).toBe(404);
    expect(s.rateLimitStats()).toMatchObject({ total: 2, global: 2, byRoute: { 'GET /users/@me': 2 }, byBucket: {} });
  });

  it('limits are off by default (no headers); configureRateLimits turns Discord\'s defaults on and off', async () => {
    const s = await setup({});
    const plain = await call(s, 'POST', `/channels/${CH_A}/messages`, { content: 'plain' });
    expect(plain.status).toBe(200);
    expect(rateHeaders(plain)).toEqual({});
    s.configureRateLimits({});
    const on = rateHeaders(await call(s, 'POST', `/channels/${CH_A}/messages`, { content: 'limited' }));
    expect(on).toMatchObject({ 'x-ratelimit-limit': '5', 'x-ratelimit-remaining': '4' });
    expect(Number(on['x-ratelimit-reset-after'])).toBeLessThanOrEqual(5);
    expect(rateHeaders(await call(s, 'GET', `/channels/${CH_A}`))).toMatchObject({ 'x-ratelimit-limit': '50', 'x-ratelimit-remaining': '49' });
    s.configureRateLimits(false);
    expect(rateHeaders(await call(s, 'POST', `/channels/${CH_A}/messages`, { content: 'off again' }))).toEqual({});
  });

  it('a 429 forced with rateLimitNext uses the route\'s bucket hash and is counted', async () => {
    const s = await setup({ rateLimits: { routes: { [MESSAGES]: { limit: 5, windowMs: 5000 } } } });
    const normal = rateHeaders(await call(s, 'POST', `/channels/${CH_A}/messages`, { content: 'first' }));
    s.rateLimitNext({ method: 'POST', pathPrefix: `/api/v10/channels/${CH_A}/messages` }, 0.25);
    const forced = await call(s, 'POST', `/channels/${CH_A}/messages`, { content: 'second' });
    expect(forced.status).toBe(429);
    expect(rateHeaders(forced)).toMatchObject({ 'retry-after': '0.25', 'x-ratelimit-bucket': normal['x-ratelimit-bucket'] });
    expect(s.rateLimitStats()).toMatchObject({ total: 1, global: 0, byRoute: { [MESSAGES]: 1 } });
  });
});
