import { createVerify } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type KickSim, startKickSim } from '@kickcord/kick-sim';
import { header, type Receiver, startReceiver } from './receiver.ts';

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

function verifies(publicKeyPem: string, r: { headers: Record<string, string | string[] | undefined>; body: string }): boolean {
  const get = (n: string): string => String(r.headers[n] ?? '');
  const verifier = createVerify('RSA-SHA256');
  verifier.update(`${get('kick-event-message-id')}.${get('kick-event-message-timestamp')}.${r.body}`);
  return verifier.verify(publicKeyPem, get('kick-event-signature'), 'base64');
}

describe('webhook delivery', () => {
  let sim: KickSim;
  let receiver: Receiver;
  let streamerId: number;
  let viewerId: number;

  beforeAll(async () => {
    receiver = await startReceiver();
    sim = await startKickSim({ webhookRetryBaseMs: 5 });
    sim.registerApp({ clientId: 'c1', clientSecret: 's1', redirectUris: ['http://localhost/cb'], name: 'kickcord', webhookUrl: receiver.url });
    streamerId = sim.createUser({ username: 'streamer' }).userId;
    viewerId = sim.createUser({ username: 'Viewer' }).userId;
    const app = sim.issueAppToken('c1').accessToken;
    const res = await fetch(`${sim.apiUrl}/public/v1/events/subscriptions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${app}`, 'content-type': 'application/json' },
      body: JSON.stringify({ broadcaster_user_id: streamerId, method: 'webhook', events: ['chat.message.sent', 'channel.followed', 'livestream.status.updated', 'kicks.gifted', 'channel.subscription.gifts'].map((name) => ({ name, version: 1 })) }),
    });
    expect(res.status).toBe(200);
  });
  afterEach(() => {
    receiver.received.length = 0;
    receiver.statuses.length = 0;
    sim.clearLogs();
  });
  afterAll(async () => {
    await sim.close();
    await receiver.close();
  });

  it('sends Kick headers and a body that verifies against publicKeyPem', async () => {
    const records = await sim.follow(streamerId, viewerId);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ delivered: true, type: 'channel.followed', url: receiver.url, attempts: [{ status: 200 }] });
    const [r] = receiver.received;
    if (!r) throw new Error('nothing received');
    expect(header(r, 'content-type')).toBe('application/json');
    expect(header(r, 'kick-event-message-id')).toMatch(ULID);
    expect(header(r, 'kick-event-subscription-id')).toMatch(ULID);
    expect(header(r, 'kick-event-type')).toBe('channel.followed');
    expect(header(r, 'kick-event-version')).toBe('1');
    expect(new Date(header(r, 'kick-event-message-timestamp')).toISOString()).toBe(header(r, 'kick-event-message-timestamp'));
    expect(verifies(sim.publicKeyPem, r)).toBe(true);
    expect(verifies(sim.publicKeyPem, { ...r, body: r.body.replace('Viewer', 'Mallory') })).toBe(false);
    const payload = JSON.parse(r.body) as Record<string, unknown>;
    expect(payload).toEqual({
      broadcaster: { is_anonymous: false, user_id: streamerId, username: 'streamer', is_verified: false, profile_picture: expect.any(String), channel_slug: 'streamer', identity: null },
      follower: { is_anonymous: false, user_id: viewerId, username: 'Viewer', is_verified: false, profile_picture: expect.any(String), channel_slug: 'viewer', identity: null },
    });
    expect(r.body).toBe(records[0]?.body);
  });

  it('delivers chat with identity/badges and replies_to', async () => {
    const first = await sim.sendChat(streamerId, viewerId, 'hello [emote:37226:KEKW]', {
      badges: [{ text: 'Subscriber', type: 'subscriber', count: 3 }],
      emotes: [{ emote_id: '37226', positions: [{ s: 6, e: 23 }] }],
    });
    await sim.sendChat(streamerId, streamerId, 'welcome!', { replyTo: first.messageId });
    const bodies = receiver.received.map((r) => JSON.parse(r.body) as Record<string, unknown>);
    expect(bodies[0]).toMatchObject({
      message_id: first.messageId,
      content: 'hello [emote:37226:KEKW]',
      sender: { user_id: viewerId, identity: { username_color: expect.stringMatching(/^#/), badges: [{ text: 'Subscriber', type: 'subscriber', count: 3 }] } },
      emotes: [{ emote_id: '37226', positions: [{ s: 6, e: 23 }] }],
      created_at: expect.any(String),
    });
    // Documented as nullable: sent as null, never left out.
    expect(bodies[0]).toHaveProperty('replies_to', null);
    expect(bodies[1]).toMatchObject({ replies_to: { message_id: first.messageId, content: 'hello [emote:37226:KEKW]', sender: { user_id: viewerId } } });
  });

  it('every event carries every field Kick documents (null where null), defaults and helpers alike', async () => {
    const documented: Record<string, string[]> = {
      'chat.message.sent': ['message_id', 'replies_to', 'broadcaster', 'sender', 'content', 'emotes', 'created_at'],
      'channel.followed': ['broadcaster', 'follower'],
      'channel.subscription.new': ['broadcaster', 'subscriber', 'duration', 'created_at', 'expires_at'],
      'channel.subscription.renewal': ['broadcaster', 'subscriber', 'duration', 'created_at', 'expires_at'],
      'channel.subscription.gifts': ['broadcaster', 'gifter', 'giftees', 'created_at', 'expires_at'],
      'channel.reward.redemption.updated': ['id', 'user_input', 'status', 'redeemed_at', 'reward', 'redeemer', 'broadcaster'],
      'livestream.status.updated': ['broadcaster', 'is_live', 'title', 'started_at', 'ended_at'],
      'livestream.metadata.updated': ['broadcaster', 'metadata'],
      'moderation.banned': ['broadcaster', 'moderator', 'banned_user', 'metadata'],
      'kicks.gifted': ['broadcaster', 'sender', 'gift', 'created_at'],
    };
    const userKeys = ['is_anonymous', 'user_id', 'username', 'is_verified', 'profile_picture', 'channel_slug', 'identity'];
    for (const [type, keys] of Object.entries(documented)) {
      const [record] = await sim.deliverTo(receiver.url, type, {}, { broadcasterUserId: streamerId });
      const body = JSON.parse(record?.body ?? '{}') as Record<string, unknown>;
      expect(Object.keys(body).sort(), type).toEqual([...keys].sort());
      expect(Object.keys(body['broadcaster'] as object).sort(), type).toEqual([...userKeys].sort());
    }
    await sim.sendChat(streamerId, viewerId, 'no reply here');
    const chat = JSON.parse(receiver.received.at(-1)?.body ?? '{}') as Record<string, unknown>;
    expect(Object.keys(chat).sort()).toEqual([...documented['chat.message.sent']!].sort());
    expect(chat['replies_to']).toBeNull();
  });

  it('subscription events carry created_at and expires_at one month later, to the second as Kick documents; gifts list every giftee', async () => {
    const token = sim.issueUserToken({ clientId: 'c1', userId: streamerId, scopes: ['events:subscribe'] }).accessToken;
    await fetch(`${sim.apiUrl}/public/v1/events/subscriptions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ method: 'webhook', events: ['channel.subscription.new', 'channel.subscription.renewal'].map((name) => ({ name, version: 1 })) }),
    });
    const second = sim.createUser({ username: 'SecondGiftee' }).userId;
    const subscriber = sim.createUser({ username: 'FreshSub' }).userId;
    const at = new Date('2026-01-14T16:08:06.789Z');
    await sim.subscribe(streamerId, subscriber, 1, { at });
    await sim.subscribe(streamerId, subscriber, 3, { at });
    await sim.giftSubs(streamerId, viewerId, [second, streamerId], { at });
    const bodies = receiver.received.map((r) => ({ type: header(r, 'kick-event-type'), body: JSON.parse(r.body) as { created_at: string; expires_at: string; duration?: number; giftees?: { user_id: number }[] } }));
    expect(bodies.map((b) => [b.type, b.body.duration ?? null])).toEqual([
      ['channel.subscription.new', 1],
      ['channel.subscription.renewal', 3],
      ['channel.subscription.gifts', null],
    ]);
    for (const { body } of bodies) expect(body).toMatchObject({ created_at: '2026-01-14T16:08:06Z', expires_at: '2026-02-14T16:08:06Z' });
    expect(bodies[2]?.body.giftees?.map((g) => g.user_id)).toEqual([second, streamerId]);
    const [byDefault] = await sim.deliverTo(receiver.url, 'channel.subscription.new', {}, { broadcasterUserId: streamerId });
    const fields = JSON.parse(byDefault?.body ?? '{}') as { created_at: string; expires_at: string };
    expect(fields.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(new Date(fields.expires_at).getUTCMonth()).toBe((new Date(fields.created_at).getUTCMonth() + 1) % 12);
  });

  it('emit: overrides merge over a realistic default; anonymous gifters have null fields', async () => {
    await sim.emit('kicks.gifted', { gift: { amount: 500 } }, { broadcasterUserId: streamerId });
    const kicks = JSON.parse(receiver.received[0]?.body ?? '{}') as { gift: Record<string, unknown>; sender: { username: string }; broadcaster: { user_id: number } };
    expect(kicks.gift).toEqual({ amount: 500, name: 'Full Send', type: 'BASIC', tier: 'BASIC', message: '', pinned_time_seconds: 0 });
    expect(kicks.broadcaster.user_id).toBe(streamerId);

    await sim.giftSubs(streamerId, null, [viewerId]);
    const gifts = JSON.parse(receiver.received[1]?.body ?? '{}') as { gifter: Record<string, unknown>; giftees: { user_id: number }[] };
    expect(gifts.gifter).toEqual({ is_anonymous: true, user_id: null, username: null, is_verified: null, profile_picture: null, channel_slug: null, identity: null });
    expect(gifts.giftees.map((g) => g.user_id)).toEqual([viewerId]);
    await expect(sim.emit('channel.followed', {})).rejects.toThrow(/broadcaster/);
  });

  it('identical subscriptions → each event delivered once per subscription, with different message ids', async () => {
    const token = sim.issueUserToken({ clientId: 'c1', userId: streamerId, scopes: ['events:subscribe'] }).accessToken;
    const res = await fetch(`${sim.apiUrl}/public/v1/events/subscriptions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ method: 'webhook', events: [{ name: 'channel.followed', version: 1 }] }),
    });
    const newId = ((await res.json()) as { data: { subscription_id: string }[] }).data[0]?.subscription_id as string;
    const records = await sim.follow(streamerId, viewerId);
    expect(records).toHaveLength(2);
    expect(receiver.received).toHaveLength(2);
    const ids = new Set(receiver.received.map((r) => header(r, 'kick-event-message-id')));
    expect(ids.size).toBe(2);
    expect(new Set(receiver.received.map((r) => header(r, 'kick-event-subscription-id')))).toContain(newId);
    await fetch(`${sim.apiUrl}/public/v1/events/subscriptions?id=${newId}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
  });

  it('retries on 500 then succeeds (3 attempts); gives up after the configured attempts', async () => {
    receiver.statuses.push(500, 503);
    const [ok] = await sim.follow(streamerId, viewerId);
    expect(ok?.attempts.map((a) => a.status)).toEqual([500, 503, 200]);
    expect(ok?.delivered).toBe(true);
    expect(new Set(receiver.received.map((r) => header(r, 'kick-event-message-id'))).size).toBe(1);

    receiver.statuses.push(500, 500, 500, 500);
    const [failed] = await sim.follow(streamerId, viewerId);
    expect(failed?.attempts).toHaveLength(3);
    expect(failed?.delivered).toBe(false);
    expect(sim.deliveries({ delivered: false, type: 'channel.followed' })).toHaveLength(1);

    sim.setWebhookUrl('c1', 'http://127.0.0.1:9/closed');
    const [network] = await sim.follow(streamerId, viewerId);
    expect(network?.attempts.every((a) => a.status === 0 && typeof a.error === 'string')).toBe(true);
    sim.setWebhookUrl('c1', receiver.url);
  });

  it('duplicate injection resends the SAME message id; drop records without sending', async () => {
    const records = await sim.follow(streamerId, viewerId, { duplicate: 2 });
    expect(records.map((r) => r.copy)).toEqual([0, 1, 2]);
    expect(receiver.received).toHaveLength(3);
    expect(new Set(receiver.received.map((r) => header(r, 'kick-event-message-id'))).size).toBe(1);
    expect(new Set(receiver.received.map((r) => r.body)).size).toBe(1);
    for (const r of receiver.received) expect(verifies(sim.publicKeyPem, r)).toBe(true);

    const dropped = await sim.follow(streamerId, viewerId, { drop: true });
    expect(dropped[0]).toMatchObject({ dropped: true, delivered: false, attempts: [] });
    expect(receiver.received).toHaveLength(3);
  });

  it('resend re-sends the same event under NEW message ids, each signed, with the same body (Kick re-sends go-live)', async () => {
    const records = await sim.emit('livestream.status.updated', { is_live: true, title: 'again', started_at: '2026-03-01T10:00:00Z' }, { broadcasterUserId: streamerId, resend: 2 });
    expect(records).toHaveLength(3);
    expect(new Set(records.map((r) => r.messageId)).size).toBe(3);
    expect(receiver.received).toHaveLength(3);
    expect(new Set(receiver.received.map((r) => header(r, 'kick-event-message-id'))).size).toBe(3);
    expect(new Set(receiver.received.map((r) => r.body)).size).toBe(1);
    for (const r of receiver.received) expect(verifies(sim.publicKeyPem, r)).toBe(true);
  });

  it('delayMs delivers late; messageId/timestamp can be forced', async () => {
    const started = Date.now();
    const pending = sim.emit('channel.followed', {}, { broadcasterUserId: streamerId, delayMs: 150, messageId: '01HZZZZZZZZZZZZZZZZZZZZZZZ', timestamp: '2026-01-01T00:00:00Z' });
    expect(receiver.received).toHaveLength(0);
    const [record] = await pending;
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(record?.delivered).toBe(true);
    const [r] = receiver.received;
    expect(header(r as never, 'kick-event-message-id')).toBe('01HZZZZZZZZZZZZZZZZZZZZZZZ');
    expect(header(r as never, 'kick-event-message-timestamp')).toBe('2026-01-01T00:00:00Z');
    expect(verifies(sim.publicKeyPem, r as never)).toBe(true);
  });

  it('reorder sends a batch in a shuffled (seeded) order', async () => {
    const items = Array.from({ length: 8 }, (_, i) => ({ type: 'chat.message.sent', payload: { content: `msg ${i}` }, opts: { broadcasterUserId: streamerId } }));
    await sim.emitBatch(items, { reorder: true, seed: 7 });
    const order = receiver.received.map((r) => (JSON.parse(r.body) as { content: string }).content);
    expect([...order].sort()).toEqual(items.map((i) => i.payload.content));
    expect(order).not.toEqual(items.map((i) => i.payload.content));
    receiver.received.length = 0;
    await sim.emitBatch(items, { reorder: true, seed: 7 });
    expect(receiver.received.map((r) => (JSON.parse(r.body) as { content: string }).content)).toEqual(order);
  });

  it('deliverTo signs and sends without a subscription; waitForDeliveries times out descriptively', async () => {
    const other = await startReceiver();
    try {
      const [record] = await sim.deliverTo(other.url, 'livestream.status.updated', { is_live: false }, { broadcasterUserId: 4242 });
      expect(record).toMatchObject({ delivered: true, clientId: null, broadcasterUserId: 4242 });
      const [r] = other.received;
      expect(JSON.parse(r?.body ?? '{}')).toMatchObject({ is_live: false, broadcaster: { user_id: 4242 } });
      expect(verifies(sim.publicKeyPem, r as never)).toBe(true);
      await expect(sim.waitForDeliveries((d) => d.type === 'never.happens', 50)).rejects.toThrow(/Timed out after 50 ms waiting for 1 matching webhook deliveries/);
      await expect(sim.waitForChat(streamerId, () => false, 30)).rejects.toThrow(/Timed out after 30 ms/);
    } finally {
      await other.close();
    }
  });

  it('messages the bot posts via the API are delivered as chat.message.sent (Kick echoes them)', async () => {
    const token = sim.issueUserToken({ clientId: 'c1', userId: streamerId, scopes: ['chat:write'] }).accessToken;
    await fetch(`${sim.apiUrl}/public/v1/chat`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ type: 'bot', content: 'bot says hi' }) });
    const [d] = await sim.waitForDeliveries((x) => x.type === 'chat.message.sent' && x.delivered);
    expect(d?.payload).toMatchObject({ content: 'bot says hi', sender: { username: 'kickcord_bot' }, broadcaster: { user_id: streamerId } });
  });
});
