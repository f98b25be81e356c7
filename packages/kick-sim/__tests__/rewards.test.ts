import { KickApiClient, KickApiError, parseKickEvent } from '@kickcord/kick';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KickSim, startKickSim } from '@kickcord/kick-sim';
import { type Receiver, startReceiver } from './receiver.ts';

/** Kick's envelope, loosely typed for reading answers in tests. */
type Row = { id: string; [key: string]: unknown };
type Answer = { data: Row & Row[]; message: string; pagination?: unknown };

describe('Channel Rewards (api.kick.com)', () => {
  let sim: KickSim;
  let receiver: Receiver;
  let streamerId: number;
  let viewerId: number;
  let write: string;
  let readOnly: string;
  let none: string;
  let otherApp: string;

  const call = async (method: string, path: string, token: string | null, body?: unknown): Promise<{ status: number; json: Answer }> => {
    const headers: Record<string, string> = {};
    if (token) headers['authorization'] = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${sim.apiUrl}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await res.text();
    return { status: res.status, json: (text ? JSON.parse(text) : null) as Answer };
  };
  const redemptionEvents = (): { status: string; id: string; user_input: string }[] =>
    receiver.received.filter((r) => r.headers['kick-event-type'] === 'channel.reward.redemption.updated').map((r) => JSON.parse(r.body) as { status: string; id: string; user_input: string });

  beforeAll(async () => {
    sim = await startKickSim({ webhookRetries: 1 });
    receiver = await startReceiver();
    sim.registerApp({ clientId: 'c1', clientSecret: 's1', redirectUris: ['http://localhost/cb'], webhookUrl: receiver.url });
    sim.registerApp({ clientId: 'c2', clientSecret: 's2', redirectUris: ['http://localhost/cb'] });
    streamerId = sim.createUser({ username: 'Rewarder' }).userId;
    viewerId = sim.createUser({ username: 'redeemer_one' }).userId;
    write = sim.issueUserToken({ clientId: 'c1', userId: streamerId, scopes: ['channel:rewards:write'] }).accessToken;
    readOnly = sim.issueUserToken({ clientId: 'c1', userId: streamerId, scopes: ['channel:rewards:read'] }).accessToken;
    none = sim.issueUserToken({ clientId: 'c1', userId: streamerId, scopes: ['channel:read'] }).accessToken;
    otherApp = sim.issueUserToken({ clientId: 'c2', userId: streamerId, scopes: ['channel:rewards:write'] }).accessToken;
    sim.addSubscription({ clientId: 'c1', broadcasterUserId: streamerId, event: 'channel.reward.redemption.updated' });
  });
  afterAll(async () => {
    await sim.close();
    await receiver.close();
  });

  it("refuses each endpoint with Kick's 403 shape when the token lacks the scope; read works with :read or :write", async () => {
    const checks: [string, string, unknown?][] = [
      ['GET', '/public/v1/channels/rewards'],
      ['POST', '/public/v1/channels/rewards', { title: 'x', cost: 1 }],
      ['PATCH', '/public/v1/channels/rewards/01J0000000000000000000000', { cost: 2 }],
      ['DELETE', '/public/v1/channels/rewards/01J0000000000000000000000'],
      ['GET', '/public/v1/channels/rewards/redemptions'],
      ['POST', '/public/v1/channels/rewards/redemptions/accept', { ids: ['x'] }],
      ['POST', '/public/v1/channels/rewards/redemptions/reject', { ids: ['x'] }],
    ];
    for (const [method, path, body] of checks) {
      const res = await call(method, path, none, body);
      expect(res, `${method} ${path}`).toEqual({ status: 403, json: { data: expect.stringContaining('channel:rewards:'), message: 'Forbidden' } });
    }
    expect((await call('POST', '/public/v1/channels/rewards', readOnly, { title: 'x', cost: 1 })).status).toBe(403);
    expect((await call('GET', '/public/v1/channels/rewards', readOnly)).status).toBe(200);
    expect((await call('GET', '/public/v1/channels/rewards', write)).status).toBe(200);
    expect((await call('GET', '/public/v1/channels/rewards', sim.issueAppToken('c1').accessToken)).status).toBe(403);
  });

  it('creates, lists, edits, pauses and deletes a reward with Kick defaults and validation', async () => {
    const created = await call('POST', '/public/v1/channels/rewards', write, { title: 'Hydrate', cost: 500, description: 'Drink water', is_user_input_required: true });
    expect(created).toEqual({
      status: 200,
      json: {
        data: {
          id: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/),
          title: 'Hydrate',
          cost: 500,
          description: 'Drink water',
          background_color: '#00e701',
          is_enabled: true,
          is_paused: false,
          is_user_input_required: true,
          should_redemptions_skip_request_queue: false,
        },
        message: 'OK',
      },
    });
    const id = created.json.data.id;
    expect((await call('GET', '/public/v1/channels/rewards', readOnly)).json.data.map((r) => r.id)).toContain(id);

    const bad: [unknown, string][] = [
      [{ title: '', cost: 1 }, 'title is required'],
      [{ title: 'x'.repeat(51), cost: 1 }, 'title must be at most 50 characters'],
      [{ title: 'x', cost: 0 }, 'cost must be a whole number of at least 1'],
      [{ title: 'x', cost: 1.5 }, 'cost must be a whole number of at least 1'],
      [{ title: 'x', cost: 1, description: 'd'.repeat(201) }, 'description must be at most 200 characters'],
      [{ title: 'x', cost: 1, background_color: 'green' }, 'background_color must be a hex colour such as #00e701'],
      [{ cost: 1 }, 'title: Invalid input: expected string, received undefined'],
    ];
    for (const [body, reason] of bad) expect(await call('POST', '/public/v1/channels/rewards', write, body)).toEqual({ status: 400, json: { data: reason, message: 'Bad request' } });

    const patched = await call('PATCH', `/public/v1/channels/rewards/${id}`, write, { cost: 750, is_paused: true, background_color: '#123ABC' });
    expect(patched.json.data).toMatchObject({ id, title: 'Hydrate', cost: 750, is_paused: true, background_color: '#123ABC' });
    expect(await call('PATCH', `/public/v1/channels/rewards/${id}`, write, { cost: -1 })).toEqual({ status: 400, json: { data: 'cost must be a whole number of at least 1', message: 'Bad request' } });
    expect(sim.channelRewards(streamerId).find((r) => r.id === id)?.cost).toBe(750);
    expect((await call('PATCH', '/public/v1/channels/rewards/nope', write, { cost: 1 })).status).toBe(404);

    expect((await call('DELETE', `/public/v1/channels/rewards/${id}`, write)).status).toBe(204);
    expect((await call('DELETE', `/public/v1/channels/rewards/${id}`, write)).status).toBe(404);
    expect(sim.channelRewards(streamerId).some((r) => r.id === id)).toBe(false);
  });

  it('a redemption is delivered pending; accept and reject deliver the new status; failures are listed per id', async () => {
    const reward = (await call('POST', '/public/v1/channels/rewards', write, { title: 'Song', cost: 100, is_user_input_required: true })).json.data as { id: string };
    await expect(sim.redeemChannelReward(streamerId, viewerId, reward.id)).rejects.toThrow(/requires the viewer's input/);
    const one = await sim.redeemChannelReward(streamerId, viewerId, reward.id, { userInput: 'never gonna' });
    const two = await sim.redeemChannelReward(streamerId, viewerId, reward.id, { userInput: 'give you up' });
    expect(one.redemption.status).toBe('pending');
    expect(one.deliveries).toHaveLength(1);
    const delivered = parseKickEvent('channel.reward.redemption.updated', '1', JSON.parse(one.deliveries[0]!.body));
    expect(delivered).toMatchObject({ ok: true, event: { payload: { id: one.redemption.id, status: 'pending', user_input: 'never gonna', reward: { id: reward.id, title: 'Song', cost: 100 }, redeemer: { user_id: viewerId }, broadcaster: { user_id: streamerId } } } });

    const listed = await call('GET', '/public/v1/channels/rewards/redemptions?status=pending', readOnly);
    expect(listed.json.data.map((r) => r.id)).toEqual([one.redemption.id, two.redemption.id]);
    expect(listed.json.data[0]).toMatchObject({ id: one.redemption.id, user_input: 'never gonna', status: 'pending', reward: { id: reward.id }, redeemer: { user_id: viewerId, username: 'redeemer_one' } });
    expect(listed.json.pagination).toEqual({ next_cursor: '' });
    expect((await call('GET', '/public/v1/channels/rewards/redemptions?status=done', readOnly)).status).toBe(400);

    const accepted = await call('POST', '/public/v1/channels/rewards/redemptions/accept', write, { ids: [one.redemption.id, 'unknown-id'] });
    expect(accepted).toEqual({ status: 200, json: { data: [{ id: 'unknown-id', reason: 'redemption not found' }], message: 'OK' } });
    const again = await call('POST', '/public/v1/channels/rewards/redemptions/reject', write, { ids: [one.redemption.id] });
    expect(again.json.data).toEqual([{ id: one.redemption.id, reason: 'redemption is not pending' }]);
    const foreign = await call('POST', '/public/v1/channels/rewards/redemptions/reject', otherApp, { ids: [two.redemption.id] });
    expect(foreign.json.data).toEqual([{ id: two.redemption.id, reason: 'reward was not created by this app' }]);
    expect((await call('POST', '/public/v1/channels/rewards/redemptions/reject', write, { ids: [two.redemption.id] })).json.data).toEqual([]);
    expect((await call('POST', '/public/v1/channels/rewards/redemptions/accept', write, { ids: [] })).status).toBe(400);
    expect((await call('POST', '/public/v1/channels/rewards/redemptions/accept', write, { ids: Array.from({ length: 26 }, (_, i) => `id${i}`) })).status).toBe(400);

    await sim.waitForDeliveries((d) => d.type === 'channel.reward.redemption.updated' && d.delivered, 5000, 4);
    const statuses = redemptionEvents().filter((e) => e.id === one.redemption.id || e.id === two.redemption.id).map((e) => `${e.id === one.redemption.id ? 'one' : 'two'}:${e.status}`);
    expect(statuses.sort()).toEqual(['one:accepted', 'one:pending', 'two:pending', 'two:rejected']);
    expect(sim.redemptions(streamerId, { rewardId: reward.id }).map((r) => r.status)).toEqual(['accepted', 'rejected']);
  });

  it('the viewer-side helper refuses paused and disabled rewards; a skip-queue reward is accepted at once; streamer decisions on kick.com', async () => {
    const paused = sim.createChannelReward(streamerId, { title: 'Paused', cost: 5, isPaused: true });
    const disabled = sim.createChannelReward(streamerId, { title: 'Off', cost: 5, isEnabled: false });
    await expect(sim.redeemChannelReward(streamerId, viewerId, paused.id)).rejects.toThrow(/paused/);
    await expect(sim.redeemChannelReward(streamerId, viewerId, disabled.id)).rejects.toThrow(/disabled/);
    expect(() => sim.createChannelReward(streamerId, { title: 'x', cost: 0 })).toThrow(/cost must be/);

    const instant = sim.createChannelReward(streamerId, { title: 'Instant', cost: 5, shouldRedemptionsSkipRequestQueue: true });
    const { redemption } = await sim.redeemChannelReward(streamerId, viewerId, instant.id);
    expect(redemption.status).toBe('accepted');

    const manual = sim.createChannelReward(streamerId, { title: 'Manual', cost: 5 });
    const pending = await sim.redeemChannelReward(streamerId, viewerId, manual.id);
    // A reward the streamer made on kick.com is not the app's: the app cannot decide it, the streamer can.
    const res = await call('POST', '/public/v1/channels/rewards/redemptions/accept', write, { ids: [pending.redemption.id] });
    expect(res.json.data).toEqual([{ id: pending.redemption.id, reason: 'reward was not created by this app' }]);
    const deliveries = await sim.decideRedemption(streamerId, pending.redemption.id, 'rejected');
    expect(JSON.parse(deliveries[0]!.body)).toMatchObject({ id: pending.redemption.id, status: 'rejected' });
    await expect(sim.decideRedemption(streamerId, pending.redemption.id, 'accepted')).rejects.toThrow(/not pending/);
  });

  it("another channel's rewards are not found", async () => {
    const otherId = sim.createUser({ username: 'Other_Streamer' }).userId;
    const theirs = sim.createChannelReward(otherId, { title: 'Theirs', cost: 1, clientId: 'c1' });
    expect((await call('PATCH', `/public/v1/channels/rewards/${theirs.id}`, write, { cost: 2 })).status).toBe(404);
    expect((await call('GET', '/public/v1/channels/rewards', write)).json.data.some((r) => r.id === theirs.id)).toBe(false);
    const redeemed = await sim.redeemChannelReward(otherId, viewerId, theirs.id);
    expect((await call('POST', '/public/v1/channels/rewards/redemptions/accept', write, { ids: [redeemed.redemption.id] })).json.data).toEqual([{ id: redeemed.redemption.id, reason: 'redemption not found' }]);
  });

  it("kickcord's client against the simulator: create, edit, list, redeem, accept; validation reasons; categories search", async () => {
    const api = new KickApiClient({ apiUrl: sim.apiUrl, token: write, maxRetries: 0 });
    const created = await api.createReward({ title: 'Client', cost: 42, backgroundColor: '#abcdef' });
    expect(created).toMatchObject({ title: 'Client', cost: 42, backgroundColor: '#abcdef', isEnabled: true, isPaused: false });
    expect(await api.updateReward(created.id, { isPaused: true })).toMatchObject({ id: created.id, isPaused: true });
    await api.updateReward(created.id, { isPaused: false });
    expect((await api.listRewards()).map((r) => r.id)).toContain(created.id);
    const refused = await api.createReward({ title: 'x', cost: 0 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(KickApiError);
    expect((refused as KickApiError).reason).toBe('cost must be a whole number of at least 1');

    const { redemption } = await sim.redeemChannelReward(streamerId, viewerId, created.id);
    const page = await api.listRedemptions({ status: 'pending', rewardId: created.id });
    expect(page.redemptions).toEqual([expect.objectContaining({ id: redemption.id, status: 'pending', reward: expect.objectContaining({ id: created.id }), redeemer: { userId: viewerId, username: 'redeemer_one' } })]);
    expect(await api.acceptRedemptions([redemption.id])).toEqual([]);
    expect(await api.acceptRedemptions([redemption.id])).toEqual([{ id: redemption.id, reason: 'redemption is not pending' }]);
    await api.deleteReward(created.id);

    const appApi = new KickApiClient({ apiUrl: sim.apiUrl, token: sim.issueAppToken('c1').accessToken, maxRetries: 0 });
    expect((await appApi.searchCategories('craft')).map((c) => c.name)).toEqual(['Minecraft']);
  });
});
