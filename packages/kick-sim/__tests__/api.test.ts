import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KickSim, startKickSim } from '@kickcord/kick-sim';

const ALL_SCOPES = ['user:read', 'channel:read', 'channel:write', 'chat:write', 'events:subscribe', 'moderation:ban', 'moderation:chat_message:manage', 'kicks:read'];

describe('REST API (api.kick.com)', () => {
  let sim: KickSim;
  let streamerId: number;
  let viewerId: number;
  let full: string;
  let none: string;
  let app: string;

  const call = async (method: string, path: string, token: string | null, body?: unknown): Promise<{ status: number; json: unknown }> => {
    const headers: Record<string, string> = {};
    if (token) headers['authorization'] = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${sim.apiUrl}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await res.text();
    return { status: res.status, json: text ? (JSON.parse(text) as unknown) : null };
  };

  beforeAll(async () => {
    sim = await startKickSim({ subscriptionCap: 5 });
    sim.registerApp({ clientId: 'c1', clientSecret: 's1', redirectUris: ['http://localhost/cb'], name: 'kickcord', webhookUrl: 'http://127.0.0.1:9/unused' });
    streamerId = sim.createUser({ username: 'Streamer', email: 'streamer@example.com' }).userId;
    viewerId = sim.createUser({ username: 'viewer_one' }).userId;
    full = sim.issueUserToken({ clientId: 'c1', userId: streamerId, scopes: ALL_SCOPES }).accessToken;
    none = sim.issueUserToken({ clientId: 'c1', userId: streamerId, scopes: [] }).accessToken;
    app = sim.issueAppToken('c1').accessToken;
  });
  afterAll(() => sim.close());

  it('401 without or with a bogus token; 403 when a user token lacks the scope', async () => {
    expect(await call('GET', '/public/v1/users', null)).toEqual({ status: 401, json: { data: expect.any(String), message: 'Unauthorized' } });
    expect((await call('GET', '/public/v1/users', 'bogus')).status).toBe(401);
    const checks: [string, string, unknown?][] = [
      ['GET', '/public/v1/users'],
      ['PATCH', '/public/v1/channels', { stream_title: 'x' }],
      ['POST', '/public/v1/chat', { type: 'bot', content: 'hi' }],
      ['DELETE', '/public/v1/chat/abc'],
      ['POST', '/public/v1/moderation/bans', { broadcaster_user_id: 1, user_id: 2 }],
      ['DELETE', '/public/v1/moderation/bans', { broadcaster_user_id: 1, user_id: 2 }],
      ['GET', '/public/v1/events/subscriptions'],
      ['POST', '/public/v1/events/subscriptions', { events: [{ name: 'chat.message.sent', version: 1 }], method: 'webhook' }],
      ['DELETE', '/public/v1/events/subscriptions?id=x'],
      ['GET', '/public/v1/kicks/leaderboard'],
    ];
    for (const [method, path, body] of checks) {
      const res = await call(method, path, none, body);
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.json, `${method} ${path}`).toEqual({ data: expect.stringContaining('scope'), message: 'Forbidden' });
    }
    expect(sim.apiCalls.some((c) => c.status === 403 && c.clientId === 'c1' && c.path === '/public/v1/chat')).toBe(true);
  });

  it('GET /public/v1/users: own user, by ids, envelope', async () => {
    expect(await call('GET', '/public/v1/users', full)).toEqual({
      status: 200,
      json: { data: [{ user_id: streamerId, name: 'Streamer', email: 'streamer@example.com', profile_picture: expect.any(String) }], message: 'OK' },
    });
    const both = await call('GET', `/public/v1/users?id=${streamerId}&id=${viewerId}&id=999`, full);
    expect((both.json as { data: { user_id: number }[] }).data.map((u) => u.user_id)).toEqual([streamerId, viewerId]);
    expect(await call('GET', '/public/v1/users?id=abc', full)).toEqual({ status: 400, json: { data: expect.any(String), message: 'Bad request' } });
    expect((await call('GET', '/public/v1/users', app)).status).toBe(400);
    expect((await call('GET', `/public/v1/users?id=${viewerId}`, app)).status).toBe(200);
  });

  it('GET/PATCH /public/v1/channels reflect sim state', async () => {
    const own = await call('GET', '/public/v1/channels', full);
    expect(own).toEqual({
      status: 200,
      json: {
        data: [
          expect.objectContaining({
            broadcaster_user_id: streamerId,
            slug: 'streamer',
            channel_description: expect.any(String),
            banner_picture: expect.any(String),
            stream_title: expect.any(String),
            active_subscribers_count: 0,
            canceled_subscribers_count: 0,
            category: { id: 15, name: 'Just Chatting', thumbnail: expect.any(String) },
            stream: expect.objectContaining({ is_live: false, is_mature: false, language: 'en', viewer_count: 0, custom_tags: [] }),
          }),
        ],
        message: 'OK',
      },
    });
    await sim.goLive(streamerId, { title: 'Ranked grind', category: 'Minecraft', viewerCount: 42 });
    const live = await call('GET', '/public/v1/channels?slug=streamer', app);
    const ch = (live.json as { data: { stream_title: string; category: { name: string }; stream: { is_live: boolean; viewer_count: number; start_time: string } }[] }).data[0];
    expect(ch?.stream).toMatchObject({ is_live: true, viewer_count: 42 });
    expect(ch?.stream_title).toBe('Ranked grind');
    expect(ch?.category.name).toBe('Minecraft');
    expect(Date.parse(ch?.stream.start_time ?? '')).toBeGreaterThan(Date.now() - 60_000);
    expect((await call('GET', `/public/v1/channels?slug=streamer&broadcaster_user_id=${streamerId}`, full)).status).toBe(400);
    expect((await call('GET', '/public/v1/channels', app)).status).toBe(400);

    expect(await call('PATCH', '/public/v1/channels', full, { stream_title: 'New title', category_id: 13, custom_tags: ['fps'] })).toEqual({ status: 204, json: null });
    expect(sim.getUser(streamerId)?.channel).toMatchObject({ streamTitle: 'New title', customTags: ['fps'], category: { id: 13 } });
    expect((await call('PATCH', '/public/v1/channels', full, { category_id: 424242 })).json).toEqual({ data: 'Category not found', message: 'Bad request' });
    expect((await call('PATCH', '/public/v1/channels', app, { stream_title: 'x' })).status).toBe(403);
    await sim.goOffline(streamerId);
  });

  it('livestreams and categories: pagination envelopes', async () => {
    for (let i = 0; i < 3; i++) {
      const u = sim.createUser({ username: `live${i}` });
      await sim.goLive(u.userId, { title: `stream ${i}`, category: 15, viewerCount: 10 * (i + 1) });
    }
    const page1 = await call('GET', '/public/v2/livestreams?limit=2', app);
    const body1 = page1.json as { data: { viewer_count: number; slug: string }[]; pagination: { next_cursor: string }; message: string };
    expect(body1.message).toBe('OK');
    expect(body1.data.map((s) => s.viewer_count)).toEqual([30, 20]);
    expect(body1.data[0]).toEqual(expect.objectContaining({ broadcaster_user_id: expect.any(Number), slug: 'live2', stream_title: 'stream 2', category: expect.objectContaining({ id: 15 }), started_at: expect.any(String) }));
    expect(body1.pagination.next_cursor).not.toBe('');
    const page2 = await call('GET', `/public/v2/livestreams?limit=2&cursor=${body1.pagination.next_cursor}`, app);
    const body2 = page2.json as { data: { slug: string }[]; pagination: { next_cursor: string } };
    expect(body2.data.map((s) => s.slug)).toEqual(['live0']);
    expect(body2.pagination.next_cursor).toBe('');
    expect((await call('GET', '/public/v2/livestreams?category_id=3', app)).json).toMatchObject({ data: [] });
    expect((await call('GET', '/public/v2/livestreams?limit=500', app)).status).toBe(400);

    const cats = await call('GET', '/public/v2/categories?name=just', full);
    expect(cats.json).toEqual({ data: [{ id: 15, name: 'Just Chatting', thumbnail: expect.any(String), tags: expect.any(Array) }], pagination: { next_cursor: '' }, message: 'OK' });
    expect(await call('GET', '/public/v1/categories/15', full)).toEqual({ status: 200, json: { data: { id: 15, name: 'Just Chatting', thumbnail: expect.any(String) }, message: 'OK' } });
    expect(await call('GET', '/public/v1/categories/777', full)).toEqual({ status: 404, json: { data: 'Category not found', message: 'Not found' } });
  });

  it('POST /public/v1/chat: bot and user messages, 500-char limit, replies, deletion', async () => {
    const bot = await call('POST', '/public/v1/chat', full, { type: 'bot', content: 'Hello from the bot' });
    expect(bot).toEqual({ status: 200, json: { data: { is_sent: true, message_id: expect.any(String) }, message: 'OK' } });
    const botId = (bot.json as { data: { message_id: string } }).data.message_id;
    const logged = await sim.waitForChat(streamerId, (m) => m.messageId === botId);
    expect(logged).toMatchObject({ type: 'bot', senderUsername: 'kickcord_bot', content: 'Hello from the bot', replyToMessageId: null, broadcasterUserId: streamerId });

    const max = 'x'.repeat(500);
    expect((await call('POST', '/public/v1/chat', full, { type: 'bot', content: max })).status).toBe(200);
    expect(await call('POST', '/public/v1/chat', full, { type: 'bot', content: `${max}y` })).toEqual({ status: 400, json: { data: expect.stringContaining('500'), message: 'Bad request' } });
    expect((await call('POST', '/public/v1/chat', full, { type: 'user', content: 'needs a channel' })).json).toEqual({ data: expect.stringContaining('broadcaster_user_id'), message: 'Bad request' });
    expect((await call('POST', '/public/v1/chat', full, { type: 'user', content: 'hi', broadcaster_user_id: 987654 })).json).toEqual({ data: 'Channel not found', message: 'Bad request' });
    expect((await call('POST', '/public/v1/chat', full, { type: 'shout', content: 'hi' })).status).toBe(400);
    expect((await call('POST', '/public/v1/chat', app, { type: 'bot', content: 'hi' })).status).toBe(403);

    const viewerMsg = await sim.sendChat(streamerId, viewerId, '!points');
    const reply = await call('POST', '/public/v1/chat', full, { type: 'user', content: 'you have 5 points', broadcaster_user_id: streamerId, reply_to_message_id: viewerMsg.messageId });
    const replyId = (reply.json as { data: { message_id: string } }).data.message_id;
    expect(sim.chatLog(streamerId).find((m) => m.messageId === replyId)).toMatchObject({ type: 'user', senderUsername: 'Streamer', replyToMessageId: viewerMsg.messageId });
    expect(sim.chatLog(streamerId).find((m) => m.messageId === viewerMsg.messageId)).toMatchObject({ type: 'viewer', senderUserId: viewerId });

    expect((await call('DELETE', `/public/v1/chat/${viewerMsg.messageId}`, full)).status).toBe(204);
    expect(sim.chatLog(streamerId).find((m) => m.messageId === viewerMsg.messageId)?.deletedAt).toBeInstanceOf(Date);
    expect((await call('DELETE', '/public/v1/chat/does-not-exist', full)).status).toBe(404);
  });

  it('POST /public/v1/chat: an app without its bot enabled gets 500 for type "bot"; type "user" still posts', async () => {
    sim.registerApp({ clientId: 'nobot', clientSecret: 's2', redirectUris: ['http://localhost/cb'], name: 'nobot', botEnabled: false });
    const token = sim.issueUserToken({ clientId: 'nobot', userId: streamerId, scopes: ALL_SCOPES }).accessToken;
    const before = sim.chatLog(streamerId).length;
    expect(await call('POST', '/public/v1/chat', token, { type: 'bot', content: 'as the bot' })).toEqual({ status: 500, json: { data: expect.any(String), message: expect.any(String) } });
    expect(sim.chatLog(streamerId)).toHaveLength(before);
    const user = await call('POST', '/public/v1/chat', token, { type: 'user', content: 'as the streamer', broadcaster_user_id: streamerId });
    expect(user.status).toBe(200);
    expect(sim.chatLog(streamerId).at(-1)).toMatchObject({ type: 'user', senderUsername: 'Streamer', content: 'as the streamer' });
  });

  it('moderation bans: ban, timeout, unban', async () => {
    expect(await call('POST', '/public/v1/moderation/bans', full, { broadcaster_user_id: streamerId, user_id: viewerId, duration: 10, reason: 'spam' })).toEqual({ status: 200, json: { data: {}, message: 'OK' } });
    await expect(sim.sendChat(streamerId, viewerId, 'am I banned?')).rejects.toThrow(/banned/);
    expect((await call('POST', '/public/v1/moderation/bans', full, { broadcaster_user_id: streamerId, user_id: viewerId, duration: 99_999 })).status).toBe(400);
    expect((await call('POST', '/public/v1/moderation/bans', full, { broadcaster_user_id: viewerId, user_id: streamerId })).status).toBe(403);
    expect(await call('DELETE', '/public/v1/moderation/bans', full, { broadcaster_user_id: streamerId, user_id: viewerId })).toEqual({ status: 200, json: { data: {}, message: 'OK' } });
    await expect(sim.sendChat(streamerId, viewerId, 'free again')).resolves.toMatchObject({ messageId: expect.any(String) });
  });

  it('event subscriptions: create (duplicates accepted), list, delete, cap, app tokens, webhook toggle', async () => {
    const other = sim.createUser({ username: 'other_streamer' }).userId;
    const create = await call('POST', '/public/v1/events/subscriptions', full, { events: [{ name: 'chat.message.sent', version: 1 }, { name: 'chat.message.sent', version: 1 }, { name: 'nope.event', version: 1 }], method: 'webhook' });
    expect(create.status).toBe(200);
    const results = (create.json as { data: { name: string; version: number; subscription_id: string | null; error: string | null }[]; message: string }).data;
    expect(results).toEqual([
      { name: 'chat.message.sent', version: 1, subscription_id: expect.any(String), error: null },
      { name: 'chat.message.sent', version: 1, subscription_id: expect.any(String), error: null },
      { name: 'nope.event', version: 1, subscription_id: null, error: expect.any(String) },
    ]);
    expect(results[0]?.subscription_id).not.toBe(results[1]?.subscription_id);

    const viaApp = await call('POST', '/public/v1/events/subscriptions', app, { events: [{ name: 'channel.followed', version: 1 }], method: 'webhook', broadcaster_user_id: other });
    expect((viaApp.json as { data: { subscription_id: string }[] }).data[0]?.subscription_id).toEqual(expect.any(String));
    expect((await call('POST', '/public/v1/events/subscriptions', app, { events: [{ name: 'channel.followed', version: 1 }], method: 'webhook' })).status).toBe(400);

    const list = await call('GET', '/public/v1/events/subscriptions', app);
    const subs = (list.json as { data: Record<string, unknown>[] }).data;
    expect(subs).toHaveLength(3);
    expect(subs[0]).toEqual({ id: expect.any(String), app_id: 'c1', broadcaster_user_id: streamerId, event: 'chat.message.sent', version: 1, method: 'webhook', created_at: expect.any(String), updated_at: expect.any(String) });
    // A user token only sees its own channel's subscriptions.
    expect((await call('GET', '/public/v1/events/subscriptions', full)).json).toMatchObject({ data: [{ broadcaster_user_id: streamerId }, { broadcaster_user_id: streamerId }] });

    // Cap is 5 in this sim: 3 exist, 3 more is over.
    expect(await call('POST', '/public/v1/events/subscriptions', app, { events: [1, 2, 3].map(() => ({ name: 'kicks.gifted', version: 1 })), broadcaster_user_id: other })).toEqual({
      status: 400,
      json: { data: 'event subscription limit reached', message: 'Bad request' },
    });
    expect((await call('POST', '/public/v1/events/subscriptions', app, { events: [{ name: 'kicks.gifted', version: 1 }, { name: 'kicks.gifted', version: 1 }], broadcaster_user_id: other })).status).toBe(200);

    const firstId = results[0]?.subscription_id as string;
    expect((await call('DELETE', `/public/v1/events/subscriptions?id=${firstId}&id=unknown`, full)).status).toBe(204);
    expect(sim.subscriptions({ clientId: 'c1' })).toHaveLength(4);
    expect((await call('DELETE', '/public/v1/events/subscriptions', full)).status).toBe(400);

    sim.setWebhookEnabled('c1', false);
    expect(sim.subscriptions({ clientId: 'c1' })).toHaveLength(0);
    expect((await call('POST', '/public/v1/events/subscriptions', full, { events: [{ name: 'channel.followed', version: 1 }] })).status).toBe(400);
    sim.setWebhookEnabled('c1', true);
  });

  it('kicks leaderboard and public key', async () => {
    await sim.giftKicks(streamerId, viewerId, 100);
    await sim.giftKicks(streamerId, viewerId, 50);
    const board = await call('GET', '/public/v1/kicks/leaderboard?top=5', full);
    expect(board).toEqual({
      status: 200,
      json: {
        data: {
          lifetime: [{ gifted_amount: 150, rank: 1, user_id: viewerId, username: 'viewer_one' }],
          month: [{ gifted_amount: 150, rank: 1, user_id: viewerId, username: 'viewer_one' }],
          week: [{ gifted_amount: 150, rank: 1, user_id: viewerId, username: 'viewer_one' }],
        },
        message: 'OK',
      },
    });
    expect((await call('GET', '/public/v1/kicks/leaderboard?top=101', full)).status).toBe(400);
    expect(await call('GET', '/public/v1/public-key', null)).toEqual({ status: 200, json: { data: { public_key: sim.publicKeyPem }, message: 'OK' } });
    expect(sim.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
  });

  it('injected failures: 429 with Retry-After, then normal service', async () => {
    sim.failNextRequests({ status: 429, path: '/public/v1/users', retryAfterSec: 2 });
    const res = await fetch(`${sim.apiUrl}/public/v1/users`, { headers: { authorization: `Bearer ${full}` } });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('2');
    expect((await call('GET', '/public/v1/users', full)).status).toBe(200);
  });

  it('unknown routes and malformed JSON use the error envelope', async () => {
    expect(await call('GET', '/public/v1/nope', full)).toEqual({ status: 404, json: { data: 'Not found', message: 'Not found' } });
    const res = await fetch(`${sim.apiUrl}/public/v1/chat`, { method: 'POST', headers: { authorization: `Bearer ${full}`, 'content-type': 'application/json' }, body: '{oops' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ data: expect.any(String), message: 'Bad request' });
  });
});
