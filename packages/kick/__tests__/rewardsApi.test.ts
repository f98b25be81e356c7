import { describe, expect, it } from 'vitest';
import { KickApiClient } from '../src/api/KickApiClient.ts';
import { KickApiError } from '../src/errors/KickApiError.ts';
import { KickValidationError } from '../src/errors/KickValidationError.ts';
import { type HttpStub, useHttpStub, type StubHandler } from './helpers/httpStub.ts';

let stub: HttpStub;
useHttpStub((started) => {
  stub = started;
});

function client(handler: StubHandler): KickApiClient {
  stub.handler = handler;
  return new KickApiClient({ apiUrl: stub.url, token: 'tok', retryBaseDelayMs: 5, maxRetries: 1 });
}
const ok = (data: unknown, extra: Record<string, unknown> = {}) => ({ json: { data, ...extra, message: 'OK' } });
const rewardWire = {
  id: '01JREWARD0000000000000000A',
  title: 'Hydrate',
  cost: 500,
  description: 'Drink water',
  background_color: '#00e701',
  is_enabled: true,
  is_paused: false,
  is_user_input_required: true,
  should_redemptions_skip_request_queue: false,
};
const reward = {
  id: '01JREWARD0000000000000000A',
  title: 'Hydrate',
  cost: 500,
  description: 'Drink water',
  backgroundColor: '#00e701',
  isEnabled: true,
  isPaused: false,
  isUserInputRequired: true,
  shouldRedemptionsSkipRequestQueue: false,
};

describe('KickApiClient channel rewards', () => {
  it('lists rewards and maps them', async () => {
    const api = client(() => ok([rewardWire]));
    expect(await api.listRewards()).toEqual([reward]);
    expect(stub.requests[0]).toMatchObject({ method: 'GET', url: expect.objectContaining({ pathname: '/public/v1/channels/rewards' }) });
  });

  it('creates with only the fields given, in snake_case, and is not retried after a 5xx', async () => {
    const api = client(() => ok(rewardWire));
    expect(await api.createReward({ title: 'Hydrate', cost: 500, description: 'Drink water', isUserInputRequired: true })).toEqual(reward);
    expect(JSON.parse(stub.requests[0]!.body)).toEqual({ title: 'Hydrate', cost: 500, description: 'Drink water', is_user_input_required: true });

    stub.requests.length = 0;
    stub.handler = () => ({ status: 502, json: { data: 'bad gateway', message: 'Internal server error' } });
    await expect(api.createReward({ title: 'x', cost: 1 })).rejects.toBeInstanceOf(KickApiError);
    expect(stub.requests).toHaveLength(1);
  });

  it("edits, pauses and deletes by id; Kick's validation reason is readable from the error", async () => {
    const api = client(() => ok({ ...rewardWire, is_paused: true, cost: 750 }));
    expect(await api.updateReward('01JREWARD0000000000000000A', { cost: 750, isPaused: true, backgroundColor: '#123456' })).toEqual({ ...reward, cost: 750, isPaused: true });
    expect(stub.requests[0]).toMatchObject({ method: 'PATCH', url: expect.objectContaining({ pathname: '/public/v1/channels/rewards/01JREWARD0000000000000000A' }) });
    expect(JSON.parse(stub.requests[0]!.body)).toEqual({ cost: 750, background_color: '#123456', is_paused: true });
    await expect(api.updateReward('x', {})).rejects.toBeInstanceOf(KickValidationError);

    stub.handler = () => ({ status: 204 });
    await api.deleteReward('01JREWARD0000000000000000A');
    expect(stub.requests.at(-1)).toMatchObject({ method: 'DELETE', url: expect.objectContaining({ pathname: '/public/v1/channels/rewards/01JREWARD0000000000000000A' }) });

    stub.handler = () => ({ status: 400, json: { data: 'title must be at most 50 characters', message: 'Bad request' } });
    const error = await api.createReward({ title: 'x'.repeat(60), cost: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KickApiError);
    expect((error as KickApiError).reason).toBe('title must be at most 50 characters');
  });

  it('lists redemptions with filters and a cursor, and maps the event-shaped items', async () => {
    const api = client(() =>
      ok(
        [{ id: 'R1', user_input: 'hi', status: 'pending', redeemed_at: '2026-01-02T03:04:05Z', reward: { id: 'W1', title: 'Song', cost: 5, description: '' }, redeemer: { user_id: 7, username: 'alice', is_anonymous: false } }],
        { pagination: { next_cursor: 'abc' } },
      ),
    );
    expect(await api.listRedemptions({ status: 'pending', rewardId: 'W1', cursor: 'c0' })).toEqual({
      redemptions: [{ id: 'R1', userInput: 'hi', status: 'pending', redeemedAt: new Date('2026-01-02T03:04:05Z'), reward: { id: 'W1', title: 'Song', cost: 5, description: '' }, redeemer: { userId: 7, username: 'alice' } }],
      nextCursor: 'abc',
    });
    expect(Object.fromEntries(stub.requests[0]!.url.searchParams)).toEqual({ status: 'pending', reward_id: 'W1', cursor: 'c0' });
  });

  it('accept and reject send the ids and return only the failures; more than 25 ids are refused before any call', async () => {
    const api = client((req) => ok(req.url.pathname.endsWith('/accept') ? [{ id: 'R2', reason: 'reward was not created by this app' }] : []));
    expect(await api.acceptRedemptions(['R1', 'R2'])).toEqual([{ id: 'R2', reason: 'reward was not created by this app' }]);
    expect(await api.rejectRedemptions(['R3'])).toEqual([]);
    expect(stub.requests.map((r) => [r.url.pathname, JSON.parse(r.body)])).toEqual([
      ['/public/v1/channels/rewards/redemptions/accept', { ids: ['R1', 'R2'] }],
      ['/public/v1/channels/rewards/redemptions/reject', { ids: ['R3'] }],
    ]);
    await expect(api.acceptRedemptions(Array.from({ length: 26 }, (_, i) => `R${i}`))).rejects.toBeInstanceOf(KickValidationError);
    expect(await api.rejectRedemptions([])).toEqual([]);
    expect(stub.requests).toHaveLength(2);
  });

  it('searches categories by name', async () => {
    const api = client(() => ok([{ id: 3, name: 'Minecraft', thumbnail: 'https://x/m.webp', tags: ['Sandbox'] }], { pagination: { next_cursor: '' } }));
    expect(await api.searchCategories(' mine ')).toEqual([{ id: 3, name: 'Minecraft', thumbnail: 'https://x/m.webp' }]);
    expect(stub.requests[0]!.url.pathname).toBe('/public/v2/categories');
    expect(stub.requests[0]!.url.searchParams.get('name')).toBe('mine');
    await expect(api.searchCategories('  ')).rejects.toBeInstanceOf(KickValidationError);
  });
});
