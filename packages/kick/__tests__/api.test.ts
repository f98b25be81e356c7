import { describe, expect, it } from 'vitest';
import { KickApiClient, type KickRetryInfo } from '../src/api/KickApiClient.ts';
import { KickApiError } from '../src/errors/KickApiError.ts';
import { KickTimeoutError } from '../src/errors/KickTimeoutError.ts';
import { KickValidationError } from '../src/errors/KickValidationError.ts';
import { KICK_PUBLIC_KEY_PEM } from '../src/webhooks/kickPublicKey.ts';
import { closedPortUrl, type HttpStub, useHttpStub, type StubHandler } from './helpers/httpStub.ts';

const TOKEN = 'user-access-token-SECRET-42';

let stub: HttpStub;
useHttpStub((started) => {
  stub = started;
});

function client(handler: StubHandler, extra: Partial<ConstructorParameters<typeof KickApiClient>[0]> = {}) {
  stub.handler = handler;
  const retries: KickRetryInfo[] = [];
  const api = new KickApiClient({
    apiUrl: stub.url,
    token: TOKEN,
    retryBaseDelayMs: 5,
    maxRetryDelayMs: 2000,
    onRetry: (info) => retries.push(info),
    ...extra,
  });
  return { api, retries };
}

const ok = (data: unknown) => ({ json: { data, message: 'OK' } });
const channelWire = {
  broadcaster_user_id: 123,
  slug: 'streamer',
  channel_description: 'desc',
  banner_picture: '',
  stream_title: 'Live now',
  active_subscribers_count: 10,
  canceled_subscribers_count: 2,
  category: { id: 15, name: 'Just Chatting', thumbnail: 'https://x/t.webp' },
  stream: { url: '', key: '', is_live: true, is_mature: false, language: 'en', start_time: '2025-01-01T10:00:00Z', viewer_count: 321, thumbnail: '', custom_tags: ['a'] },
};

describe('KickApiClient requests and mapping', () => {
  it('sends the bearer token, user agent and maps users', async () => {
    const { api } = client(() => ok([{ user_id: 1, name: 'alice', email: '', profile_picture: 'https://x/p.webp' }]), { userAgent: 'kickcord-test/1' });
    expect(await api.getUsers([1, 2])).toEqual([{ userId: 1, name: 'alice', email: null, profilePicture: 'https://x/p.webp' }]);
    const [req] = stub.requests;
    expect(req?.url.pathname).toBe('/public/v1/users');
    expect(req?.url.searchParams.getAll('id')).toEqual(['1', '2']);
    expect(req?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(req?.headers['user-agent']).toBe('kickcord-test/1');
  });

  it('calls a token function per request', async () => {
    let n = 0;
    const { api } = client(() => ok([]), { token: async () => `tok-${++n}` });
    await api.getUsers();
    await api.getUsers();
    expect(stub.requests.map((r) => r.headers.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-2']);
    expect(stub.requests[0]?.url.search).toBe('');
  });

  it('maps channels and validates lookups', async () => {
    const { api } = client(() => ok([channelWire]));
    const [channel] = await api.getChannels({ broadcasterUserIds: [123] });
    expect(channel).toEqual({
      broadcasterUserId: 123,
      slug: 'streamer',
      channelDescription: 'desc',
      bannerPicture: null,
      streamTitle: 'Live now',
      activeSubscribersCount: 10,
      canceledSubscribersCount: 2,
      category: { id: 15, name: 'Just Chatting', thumbnail: 'https://x/t.webp' },
      stream: { isLive: true, isMature: false, language: 'en', startTime: new Date('2025-01-01T10:00:00Z'), viewerCount: 321, thumbnail: null, customTags: ['a'] },
    });
    expect(stub.requests[0]?.url.searchParams.getAll('broadcaster_user_id')).toEqual(['123']);

    await expect(api.getChannels({ broadcasterUserIds: [1], slugs: ['a'] })).rejects.toThrow(/not both/);
    await expect(api.getChannels({ slugs: Array.from({ length: 51 }, (_, i) => `s${i}`) })).rejects.toBeInstanceOf(KickValidationError);
    expect(stub.requests).toHaveLength(1);
  });

  it('treats an offline stream start time of year 1 as null', async () => {
    const { api } = client(() => ok([{ ...channelWire, stream: { ...channelWire.stream, is_live: false, start_time: '0001-01-01T00:00:00Z' } }]));
    const [channel] = await api.getChannels();
    expect(channel?.stream?.startTime).toBeNull();
  });

  it('getChannelBySlug returns null for an empty list or Kick’s "Channel not found"', async () => {
    const { api } = client((req) => (req.url.searchParams.get('slug') === 'streamer' ? ok([channelWire]) : ok([])));
    expect((await api.getChannelBySlug('streamer'))?.broadcasterUserId).toBe(123);
    expect(await api.getChannelBySlug('nobody')).toBeNull();
    stub.handler = () => ({ status: 400, json: { data: 'Channel not found', message: 'Bad request' } });
    expect(await api.getChannelBySlug('gone')).toBeNull();
    stub.handler = () => ({ status: 403, json: { message: 'Forbidden' } });
    await expect(api.getChannelBySlug('x')).rejects.toMatchObject({ name: 'KickApiError', status: 403 });
  });

  it('updates the channel with snake_case fields', async () => {
    const { api } = client(() => ({ status: 204 }));
    await api.updateChannel({ categoryId: 15, streamTitle: 'New title', customTags: ['x'] });
    expect(stub.requests[0]?.method).toBe('PATCH');
    expect(JSON.parse(stub.requests[0]!.body)).toEqual({ category_id: 15, stream_title: 'New title', custom_tags: ['x'] });
    await expect(api.updateChannel({})).rejects.toBeInstanceOf(KickValidationError);
  });

  it('sends chat messages', async () => {
    const { api } = client(() => ok({ is_sent: true, message_id: 'msg-1' }));
    expect(await api.sendChatMessage({ type: 'bot', content: 'hi' })).toEqual({ isSent: true, messageId: 'msg-1' });
    await api.sendChatMessage({ type: 'user', content: 'x'.repeat(500), broadcasterUserId: 7, replyToMessageId: 'parent' });
    expect(stub.requests.map((r) => JSON.parse(r.body))).toEqual([
      { type: 'bot', content: 'hi' },
      { type: 'user', content: 'x'.repeat(500), broadcaster_user_id: 7, reply_to_message_id: 'parent' },
    ]);
  });

  it('rejects invalid chat messages client-side with zero requests', async () => {
    const { api } = client(() => ok({ is_sent: true, message_id: 'x' }));
    await expect(api.sendChatMessage({ type: 'bot', content: 'x'.repeat(501) })).rejects.toThrow(/501 characters; Kick allows at most 500/);
    await expect(api.sendChatMessage({ type: 'bot', content: '👋'.repeat(501) })).rejects.toBeInstanceOf(KickValidationError);
    await expect(api.sendChatMessage({ type: 'bot', content: '' })).rejects.toMatchObject({ name: 'KickValidationError', field: 'content' });
    await expect(api.sendChatMessage({ type: 'bot', content: '   ' })).rejects.toBeInstanceOf(KickValidationError);
    await expect(api.sendChatMessage({ type: 'user', content: 'hi' })).rejects.toMatchObject({ field: 'broadcasterUserId' });
    expect(stub.requests).toHaveLength(0);
    // 500 emoji are 1000 UTF-16 units but 500 characters: allowed.
    await api.sendChatMessage({ type: 'bot', content: '👋'.repeat(500) });
    expect(stub.requests).toHaveLength(1);
  });

  it('deletes chat messages, bans and unbans', async () => {
    const { api } = client(() => ({ status: 204 }));
    await api.deleteChatMessage('abc/def');
    await api.banUser({ broadcasterUserId: 1, userId: 2, durationMinutes: 10, reason: 'spam' });
    await api.banUser({ broadcasterUserId: 1, userId: 3 });
    await api.unbanUser({ broadcasterUserId: 1, userId: 2 });
    expect(stub.requests.map((r) => `${r.method} ${r.url.pathname} ${r.body}`)).toEqual([
      'DELETE /public/v1/chat/abc%2Fdef ',
      'POST /public/v1/moderation/bans {"broadcaster_user_id":1,"user_id":2,"duration":10,"reason":"spam"}',
      'POST /public/v1/moderation/bans {"broadcaster_user_id":1,"user_id":3}',
      'DELETE /public/v1/moderation/bans {"broadcaster_user_id":1,"user_id":2}',
    ]);
    await expect(api.banUser({ broadcasterUserId: 1, userId: 2, durationMinutes: 0 })).rejects.toBeInstanceOf(KickValidationError);
  });

  it('lists, creates and deletes event subscriptions', async () => {
    const { api } = client((req) => {
      if (req.method === 'GET') {
        return ok([
          { id: 'sub1', app_id: 'app', broadcaster_user_id: 9, event: 'chat.message.sent', version: 1, method: 'webhook', created_at: '2025-01-01T00:00:00Z', updated_at: '2025-01-02T00:00:00Z' },
        ]);
      }
      if (req.method === 'POST') {
        return ok([
          { name: 'chat.message.sent', version: 1, subscription_id: 'sub2', error: null },
          { name: 'kicks.gifted', version: 1, subscription_id: '', error: 'event subscription limit reached' },
        ]);
      }
      return { status: 204 };
    });
    expect(await api.listEventSubscriptions()).toEqual([
      { id: 'sub1', appId: 'app', broadcasterUserId: 9, event: 'chat.message.sent', version: 1, method: 'webhook', createdAt: new Date('2025-01-01T00:00:00Z'), updatedAt: new Date('2025-01-02T00:00:00Z') },
    ]);
    expect(
      await api.createEventSubscriptions({ broadcasterUserId: 9, events: [{ name: 'chat.message.sent', version: 1 }, { name: 'kicks.gifted', version: 1 }] }),
    ).toEqual([
      { name: 'chat.message.sent', version: 1, subscriptionId: 'sub2', error: null },
      { name: 'kicks.gifted', version: 1, subscriptionId: null, error: 'event subscription limit reached' },
    ]);
    expect(JSON.parse(stub.requests[1]!.body)).toEqual({
      events: [{ name: 'chat.message.sent', version: 1 }, { name: 'kicks.gifted', version: 1 }],
      method: 'webhook',
      broadcaster_user_id: 9,
    });

    stub.requests.length = 0;
    const ids = Array.from({ length: 120 }, (_, i) => `id${i}`);
    await api.deleteEventSubscriptions(ids);
    expect(stub.requests.map((r) => r.url.searchParams.getAll('id').length)).toEqual([50, 50, 20]);
    expect(stub.requests.flatMap((r) => r.url.searchParams.getAll('id'))).toEqual(ids);
    await api.deleteEventSubscriptions([]);
    expect(stub.requests).toHaveLength(3);
  });

  it('fetches the public key without a token', async () => {
    const { api } = client(() => ok({ public_key: KICK_PUBLIC_KEY_PEM }));
    expect(await api.getPublicKey()).toBe(KICK_PUBLIC_KEY_PEM);
    expect(stub.requests[0]?.headers.authorization).toBeUndefined();
  });

  it('pages livestreams and reads the kicks leaderboard', async () => {
    const { api } = client((req) =>
      req.url.pathname === '/public/v2/livestreams'
        ? {
            json: {
              data: [{ broadcaster_user_id: 5, slug: 's', stream_title: 't', language: 'en', has_mature_content: false, viewer_count: 9, started_at: '2025-01-01T00:00:00Z', category: { id: 1, name: 'c' } }],
              pagination: { next_cursor: 'c2' },
              message: 'OK',
            },
          }
        : ok({ lifetime: [{ gifted_amount: 500, rank: 1, user_id: 3, username: 'u' }], month: [], week: null }),
    );
    const page = await api.getLivestreamsPage({ categoryId: 1, languageCode: 'en', limit: 10, cursor: 'c1' });
    expect(page.nextCursor).toBe('c2');
    expect(page.livestreams[0]).toMatchObject({ broadcasterUserId: 5, viewerCount: 9, startedAt: new Date('2025-01-01T00:00:00Z'), category: { id: 1, name: 'c', thumbnail: null } });
    expect(Object.fromEntries(stub.requests[0]!.url.searchParams)).toEqual({ category_id: '1', language_code: 'en', limit: '10', cursor: 'c1' });
    expect(await api.getKicksLeaderboard(10)).toEqual({ lifetime: [{ giftedAmount: 500, rank: 1, userId: 3, username: 'u' }], month: [], week: [] });
    expect(stub.requests[1]?.url.searchParams.get('top')).toBe('10');
    await expect(api.getKicksLeaderboard(101)).rejects.toBeInstanceOf(KickValidationError);
  });
});

describe('KickApiClient retries and errors', () => {
  it('honours Retry-After on 429, then succeeds', async () => {
    let n = 0;
    const { api, retries } = client(() => (++n === 1 ? { status: 429, headers: { 'retry-after': '1' }, json: { message: 'Too Many Requests' } } : ok([])));
    const started = Date.now();
    await api.getUsers();
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(stub.requests).toHaveLength(2);
    expect(retries).toEqual([{ method: 'GET', path: '/public/v1/users', attempt: 1, delayMs: 1000, reason: 'rate_limited', status: 429 }]);
  });

  it('accepts an HTTP-date Retry-After and backs off without one', async () => {
    let n = 0;
    const { api, retries } = client(() => {
      n++;
      if (n === 1) return { status: 429, headers: { 'retry-after': new Date(Date.now() + 1500).toUTCString() }, json: {} };
      if (n === 2) return { status: 429, json: {} };
      return ok([]);
    });
    await api.getUsers();
    expect(retries.map((r) => r.reason)).toEqual(['rate_limited', 'rate_limited']);
    expect(retries[0]!.delayMs).toBeGreaterThan(0);
    expect(retries[0]!.delayMs).toBeLessThanOrEqual(1500);
    expect(retries[1]!.delayMs).toBeLessThanOrEqual(10);
  });

  it('does not sit out a Retry-After beyond the cap: throws with retryAfterMs', async () => {
    const { api } = client(() => ({ status: 429, headers: { 'retry-after': '120' }, json: { message: 'Too Many Requests' } }));
    const error = (await api.getUsers().catch((e: unknown) => e)) as KickApiError;
    expect(error).toBeInstanceOf(KickApiError);
    expect(error).toMatchObject({ status: 429, retryAfterMs: 120_000 });
    expect(stub.requests).toHaveLength(1);
  });

  it('retries 5xx and then throws KickApiError with status, method, path and body', async () => {
    const { api, retries } = client(() => ({ status: 503, json: { data: 'upstream down', message: 'Service Unavailable' } }), { maxRetries: 2 });
    const error = (await api.getChannels({ slugs: ['a'] }).catch((e: unknown) => e)) as KickApiError;
    expect(error).toBeInstanceOf(KickApiError);
    expect(error.name).toBe('KickApiError');
    expect(error).toMatchObject({ status: 503, method: 'GET', path: '/public/v1/channels', body: { data: 'upstream down', message: 'Service Unavailable' } });
    expect(error.message).toContain('503');
    expect(error.message).toContain('upstream down');
    expect(stub.requests).toHaveLength(3);
    expect(retries.map((r) => [r.attempt, r.reason, r.status])).toEqual([
      [1, 'server_error', 503],
      [2, 'server_error', 503],
    ]);
  });

  it('does not retry 4xx errors', async () => {
    const { api } = client(() => ({ status: 400, json: { data: 'event subscription limit reached', message: 'Bad request' } }));
    await expect(api.createEventSubscriptions({ broadcasterUserId: 1, events: [{ name: 'channel.followed', version: 1 }] })).rejects.toMatchObject({
      status: 400,
      body: { data: 'event subscription limit reached' },
    });
    expect(stub.requests).toHaveLength(1);
  });

  it('never retries a chat message after a 5xx (it may have been posted)', async () => {
    const { api } = client(() => ({ status: 502, text: 'Bad Gateway' }));
    await expect(api.sendChatMessage({ type: 'bot', content: 'hello' })).rejects.toMatchObject({ status: 502, body: 'Bad Gateway', method: 'POST', path: '/public/v1/chat' });
    expect(stub.requests).toHaveLength(1);
  });

  it('retries a chat message on 429', async () => {
    let n = 0;
    const { api } = client(() => (++n === 1 ? { status: 429, json: {} } : ok({ is_sent: true, message_id: 'm' })));
    expect(await api.sendChatMessage({ type: 'bot', content: 'hello' })).toEqual({ isSent: true, messageId: 'm' });
    expect(stub.requests).toHaveLength(2);
  });

  it('retries a chat message when the connection was refused (never sent)', async () => {
    const retries: KickRetryInfo[] = [];
    const api = new KickApiClient({ apiUrl: await closedPortUrl(), token: TOKEN, maxRetries: 2, retryBaseDelayMs: 1, onRetry: (i) => retries.push(i) });
    const error = await api.sendChatMessage({ type: 'bot', content: 'hello' }).catch((e: unknown) => e);
    expect(retries.map((r) => r.reason)).toEqual(['network_error', 'network_error']);
    expect((error as Error).name).toBe('KickError');
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
    expect((error as Error).message).not.toContain(TOKEN);
  });

  it('times out with KickTimeoutError (retried for idempotent requests, not for chat)', async () => {
    const { api, retries } = client(() => ({ hang: true }), { timeoutMs: 100, maxRetries: 1 });
    const error = (await api.getUsers().catch((e: unknown) => e)) as KickTimeoutError;
    expect(error).toBeInstanceOf(KickTimeoutError);
    expect(error).toMatchObject({ name: 'KickTimeoutError', method: 'GET', path: '/public/v1/users', timeoutMs: 100 });
    expect(retries.map((r) => r.reason)).toEqual(['timeout']);
    expect(stub.requests).toHaveLength(2);

    stub.requests.length = 0;
    await expect(api.sendChatMessage({ type: 'bot', content: 'x' })).rejects.toBeInstanceOf(KickTimeoutError);
    expect(stub.requests).toHaveLength(1);
  });

  it('keeps the token out of error messages, paths and bodies', async () => {
    const { api } = client(() => ({ status: 401, json: { message: 'Unauthenticated' } }));
    const error = (await api.getUsers([1]).catch((e: unknown) => e)) as KickApiError;
    expect(error.status).toBe(401);
    expect(error.message).toMatch(/re-authorize|refresh/);
    for (const text of [error.message, error.path, JSON.stringify(error), String(error.stack)]) expect(text).not.toContain(TOKEN);
    expect(error.path).toBe('/public/v1/users');
  });
});
