import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscordSim, type DiscordSim } from '../src/index.ts';

const ALICE = '840000000000000010';
const METADATA = [
  { key: 'kick_subscriber', name: 'Kick subscriber', description: 'Subscribed on Kick', type: 7 },
  { key: 'watch_hours', name: 'Watch hours', description: 'Hours watched', type: 2 },
  { key: 'linked_since', name: 'Linked since', description: 'Days since linking', type: 6 },
];

describe('Linked Roles: role connection metadata and user role connections', () => {
  let sim: DiscordSim;
  let accessToken: string;
  beforeAll(async () => {
    sim = await startDiscordSim();
    sim.addUser({ id: ALICE, username: 'alice' });
    const redirect = 'http://127.0.0.1:1/cb';
    const auth = await fetch(
      `${sim.baseUrl}/oauth2/authorize?${new URLSearchParams({ response_type: 'code', client_id: sim.applicationId, redirect_uri: redirect, scope: 'identify role_connections.write', sim_user_id: ALICE })}`,
      { redirect: 'manual' },
    );
    const code = new URL(auth.headers.get('location') as string).searchParams.get('code') as string;
    const res = await fetch(`${sim.apiUrl}/v10/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirect, client_id: sim.applicationId, client_secret: sim.oauthClientSecret }),
    });
    accessToken = ((await res.json()) as { access_token: string }).access_token;
  });
  afterAll(async () => {
    await sim.close();
  });

  const metadataUrl = () => `${sim.apiUrl}/v10/applications/${sim.applicationId}/role-connections/metadata`;
  const connectionUrl = () => `${sim.apiUrl}/v10/users/@me/applications/${sim.applicationId}/role-connection`;
  const bot = () => ({ authorization: `Bot ${sim.token}`, 'content-type': 'application/json' });
  const bearer = (t = accessToken) => ({ authorization: `Bearer ${t}`, 'content-type': 'application/json' });
  const putMetadata = (body: unknown) => fetch(metadataUrl(), { method: 'PUT', headers: bot(), body: JSON.stringify(body) });
  const putConnection = (body: unknown, t?: string) => fetch(connectionUrl(), { method: 'PUT', headers: bearer(t), body: JSON.stringify(body) });

  it('PUT metadata with the bot token stores the records; GET returns them; a bearer token cannot', async () => {
    const res = await putMetadata(METADATA);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(METADATA);
    expect(await (await fetch(metadataUrl(), { headers: bot() })).json()).toEqual(METADATA);
    expect(sim.roleConnectionMetadata()).toEqual(METADATA);
    expect((await fetch(metadataUrl(), { headers: bearer() })).status).toBe(401);
  });

  it('refuses invalid metadata with Invalid Form Body (50035), naming each field, and keeps the old records', async () => {
    const six = Array.from({ length: 6 }, (_, i) => ({ key: `k${i}`, name: 'n', description: 'd', type: 1 }));
    const tooMany = await putMetadata(six);
    expect(tooMany.status).toBe(400);
    expect(await tooMany.json()).toMatchObject({ code: 50035, errors: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } });
    const bad = await putMetadata([
      { key: 'Watch-Hours', name: 'n', description: 'd', type: 2 },
      { key: 'x'.repeat(51), name: 'n', description: 'd', type: 2 },
      { key: 'ok', name: '', description: 'd'.repeat(201), type: 9 },
      { key: 'ok', name: 'n', description: 'd', type: 1 },
    ]);
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { code: number; errors: Record<string, Record<string, { _errors: { code: string }[] }>> };
    expect(body.code).toBe(50035);
    expect(body.errors['0']?.key?._errors[0]?.code).toBe('STRING_TYPE_REGEX');
    expect(body.errors['1']?.key?._errors[0]?.code).toBe('BASE_TYPE_BAD_LENGTH');
    expect(body.errors['2']?.name?._errors[0]?.code).toBe('BASE_TYPE_BAD_LENGTH');
    expect(body.errors['2']?.description?._errors[0]?.code).toBe('BASE_TYPE_BAD_LENGTH');
    expect(body.errors['2']?.type?._errors[0]?.code).toBe('BASE_TYPE_CHOICES');
    expect(body.errors['3']?.key?._errors[0]?.code).toBe('APPLICATION_ROLE_CONNECTIONS_METADATA_DUPLICATE_KEY');
    expect(sim.roleConnectionMetadata()).toEqual(METADATA);
  });

  it('a user with no role connection reads the empty one', async () => {
    const res = await fetch(connectionUrl(), { headers: bearer() });
    expect(await res.json()).toEqual({ platform_name: null, platform_username: null, metadata: {} });
    expect(sim.roleConnection(ALICE)).toBeNull();
  });

  it('PUT role-connection stores values as strings, checked against each key type', async () => {
    const res = await putConnection({ platform_name: 'Kick', platform_username: 'alice_k', metadata: { kick_subscriber: 1, watch_hours: '12', linked_since: '2026-12-01T10:00:00.000Z' } });
    expect(res.status).toBe(200);
    const expected = { platform_name: 'Kick', platform_username: 'alice_k', metadata: { kick_subscriber: '1', watch_hours: '12', linked_since: '2026-12-01T10:00:00.000Z' } };
    expect(await res.json()).toEqual(expected);
    expect(sim.roleConnection(ALICE)).toEqual(expected);
    expect(await (await fetch(connectionUrl(), { headers: bearer() })).json()).toEqual(expected);
  });

  it('refuses unknown keys, values of the wrong type and too-long platform names (50035), changing nothing', async () => {
    const before = sim.roleConnection(ALICE);
    const res = await putConnection({
      platform_name: 'K'.repeat(51),
      platform_username: 'u'.repeat(101),
      metadata: { kick_subscriber: 'maybe', watch_hours: 1.5, linked_since: 'yesterday', points: 3 },
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { code: number; errors: Record<string, Record<string, { _errors: { code: string }[] }> | { _errors: { code: string }[] }> };
    expect(body.code).toBe(50035);
    expect(body.errors.platform_name).toMatchObject({ _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] });
    expect(body.errors.platform_username).toMatchObject({ _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] });
    expect(body.errors.metadata).toMatchObject({
      kick_subscriber: { _errors: [{ code: 'BOOLEAN_TYPE_COERCE' }] },
      watch_hours: { _errors: [{ code: 'NUMBER_TYPE_COERCE' }] },
      linked_since: { _errors: [{ code: 'DATE_TYPE_PARSE' }] },
      points: { _errors: [{ code: 'APPLICATION_ROLE_CONNECTIONS_METADATA_UNKNOWN_KEY' }] },
    });
    expect(sim.roleConnection(ALICE)).toEqual(before);
  });

  it('needs role_connections.write: an identify-only token, a revoked token and the bot token get 401', async () => {
    const redirect = 'http://127.0.0.1:1/cb';
    const auth = await fetch(
      `${sim.baseUrl}/oauth2/authorize?${new URLSearchParams({ response_type: 'code', client_id: sim.applicationId, redirect_uri: redirect, scope: 'identify', sim_user_id: ALICE })}`,
      { redirect: 'manual' },
    );
    const code = new URL(auth.headers.get('location') as string).searchParams.get('code') as string;
    const t = (await (
      await fetch(`${sim.apiUrl}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${sim.applicationId}:${sim.oauthClientSecret}`).toString('base64')}` },
        body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirect }),
      })
    ).json()) as { access_token: string };
    const identifyOnly = await putConnection({ platform_name: 'Kick' }, t.access_token);
    expect(identifyOnly.status).toBe(401);
    expect(await identifyOnly.json()).toEqual({ message: '401: Unauthorized', code: 0 });
    expect((await fetch(connectionUrl(), { method: 'PUT', headers: bot(), body: '{}' })).status).toBe(401);
    sim.revokeUserAuthorization(ALICE);
    expect((await putConnection({ platform_name: 'Kick' })).status).toBe(401);
  });

  it('is rate limited like other routes: a forced 429 carries Retry-After and the bucket headers', async () => {
    sim.rateLimitNext({ method: 'PUT', pathPrefix: `/applications/${sim.applicationId}/role-connections` }, 0.5);
    const limited = await putMetadata(METADATA);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('0.5');
    expect(await limited.json()).toMatchObject({ retry_after: 0.5, global: false });
    sim.configureRateLimits({ otherRoutes: { limit: 2, windowMs: 60_000 } });
    try {
      expect((await putMetadata(METADATA)).status).toBe(200);
      expect((await putMetadata(METADATA)).status).toBe(200);
      const third = await putMetadata(METADATA);
      expect(third.status).toBe(429);
      expect(third.headers.get('x-ratelimit-remaining')).toBe('0');
    } finally {
      sim.configureRateLimits(false);
    }
  });
});
