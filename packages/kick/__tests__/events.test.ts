import { describe, expect, it } from 'vitest';
import { KICK_EVENT_TYPES, isKickEventType, type KickEventType } from '../src/events/eventTypes.ts';
import { eventBroadcasterId } from '../src/events/kickEvent.ts';
import { parseKickEvent } from '../src/events/parseKickEvent.ts';
import { samplePayloads } from '../src/events/samplePayloads.ts';

const user = (id: number, name: string, extra: Record<string, unknown> = {}) => ({
  is_anonymous: false,
  user_id: id,
  username: name,
  is_verified: false,
  profile_picture: `https://files.kick.com/images/user/${id}/avatar.webp`,
  channel_slug: name,
  identity: null,
  ...extra,
});
const broadcaster = user(123456789, 'broadcaster_name', { is_verified: true });

// Payloads as Kick documents them at docs.kick.com (wire JSON, including Kick's loose spots).
const documented: Record<KickEventType, unknown> = {
  'chat.message.sent': {
    message_id: 'unique_message_id_123',
    replies_to: { message_id: 'unique_message_id_456', content: 'This is the parent message!', sender: user(12345, 'parent_sender') },
    broadcaster,
    sender: user(987654321, 'viewer', {
      profile_picture: '',
      identity: {
        username_color: '#FF5733',
        badges: [
          { text: 'Moderator', type: 'moderator' },
          { text: 'Sub Gifter', type: 'sub_gifter', count: 5 },
          { text: 'OG', type: 'og' },
          { text: 'Subscriber', type: 'subscriber', count: 12 },
        ],
      },
    }),
    content: 'Hello [emote:4148074:HYPERCLAPH]',
    emotes: [{ emote_id: '4148074', positions: [{ s: 6, e: 32 }] }],
    created_at: '2025-01-14T16:08:06Z',
  },
  'channel.followed': { broadcaster, follower: user(1, 'follower', { profile_picture: null }) },
  'channel.subscription.new': {
    broadcaster,
    subscriber: user(2, 'subscriber'),
    duration: 1,
    created_at: '2025-01-14T16:08:06Z',
    expires_at: '2025-02-14T16:08:06Z',
  },
  'channel.subscription.renewal': {
    broadcaster,
    subscriber: user(2, 'subscriber'),
    duration: 3,
    created_at: '2025-01-14T16:08:06Z',
    expires_at: '2025-02-14T16:08:06Z',
  },
  'channel.subscription.gifts': {
    broadcaster,
    gifter: { is_anonymous: true, user_id: null, username: null, is_verified: null, profile_picture: null, channel_slug: null, identity: null },
    giftees: [user(3, 'giftee_one'), user(4, 'giftee_two')],
    created_at: '2025-01-14T16:08:06Z',
    expires_at: '2025-02-14T16:08:06Z',
  },
  'channel.reward.redemption.updated': {
    id: '01KBHE78QE4HZY1617DK5FC7YD',
    user_input: 'unban me',
    status: 'pending',
    redeemed_at: '2025-12-02T22:54:19.323Z',
    reward: { id: '01KBHE7RZNHB0SKDV1H86CD4F3', title: 'Unban Request', cost: 1000, description: 'Only good citizens' },
    redeemer: user(5, 'redeemer'),
    broadcaster,
  },
  'livestream.status.updated': {
    broadcaster,
    is_live: false,
    title: 'Stream Title',
    started_at: '2025-01-01T11:00:00+11:00',
    ended_at: '2025-01-01T15:00:00+11:00',
  },
  'livestream.metadata.updated': {
    broadcaster,
    metadata: { title: 'Stream Title', language: 'en', has_mature_content: true, category: { id: 1, name: 'Category name', thumbnail: 'http://example.com/image123' } },
  },
  'moderation.banned': {
    broadcaster,
    moderator: user(6, 'moderator'),
    banned_user: user(7, 'banned'),
    metadata: { reason: 'Reason', created_at: '2025-01-14T16:08:05Z', expires_at: null },
  },
  'kicks.gifted': {
    broadcaster,
    sender: user(8, 'gifter'),
    gift: { amount: 100, name: 'Full Send', type: 'BASIC', tier: 'BASIC', message: 'w', pinned_time_seconds: 0 },
    created_at: '2025-10-20T04:00:08.634Z',
  },
};

describe('KICK_EVENT_TYPES', () => {
  it('lists the ten documented event types', () => {
    expect(KICK_EVENT_TYPES).toHaveLength(10);
    expect(new Set(KICK_EVENT_TYPES).size).toBe(10);
    expect(isKickEventType('channel.followed')).toBe(true);
    expect(isKickEventType('channel.unfollowed')).toBe(false);
  });
});

describe('parseKickEvent', () => {
  it.each(KICK_EVENT_TYPES)('parses the documented %s payload', (type) => {
    const result = parseKickEvent(type, '1', documented[type]);
    expect(result).toMatchObject({ ok: true, event: { type, version: '1' } });
    if (result.ok) expect(eventBroadcasterId(result.event)).toBe(123456789);
  });

  it.each(KICK_EVENT_TYPES)('samplePayloads[%s] is valid and survives a JSON round trip unchanged', (type) => {
    const result = parseKickEvent(type, '1', JSON.parse(JSON.stringify(samplePayloads[type])));
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.event.payload).toEqual(samplePayloads[type]);
  });

  it('keeps chat details: replies_to, emotes, identity badges; empty profile_picture becomes null', () => {
    const result = parseKickEvent('chat.message.sent', '1', documented['chat.message.sent']);
    if (!result.ok || result.event.type !== 'chat.message.sent') throw new Error('expected chat message');
    const p = result.event.payload;
    expect(p.replies_to?.sender.username).toBe('parent_sender');
    expect(p.emotes).toEqual([{ emote_id: '4148074', positions: [{ s: 6, e: 32 }] }]);
    expect(p.sender.identity?.badges.map((b) => b.type)).toEqual(['moderator', 'sub_gifter', 'og', 'subscriber']);
    expect(p.sender.identity?.badges[1]?.count).toBe(5);
    expect(p.sender.profile_picture).toBeNull();
  });

  it('accepts a chat message without replies_to (→ null), numeric emote ids and null emotes', () => {
    const { replies_to: _omit, ...noReply } = documented['chat.message.sent'] as Record<string, unknown>;
    const a = parseKickEvent('chat.message.sent', '1', noReply);
    expect(a.ok && a.event.type === 'chat.message.sent' && a.event.payload.replies_to).toBeNull();
    const b = parseKickEvent('chat.message.sent', '1', { ...noReply, emotes: [{ emote_id: 42, positions: [] }] });
    expect(b.ok && b.event.type === 'chat.message.sent' && b.event.payload.emotes[0]?.emote_id).toBe('42');
    const c = parseKickEvent('chat.message.sent', '1', { ...noReply, emotes: null });
    expect(c.ok && c.event.type === 'chat.message.sent' && c.event.payload.emotes).toEqual([]);
  });

  it('accepts an anonymous gifter with null fields', () => {
    const result = parseKickEvent('channel.subscription.gifts', '1', documented['channel.subscription.gifts']);
    if (!result.ok || result.event.type !== 'channel.subscription.gifts') throw new Error('expected gifts');
    expect(result.event.payload.gifter).toMatchObject({ is_anonymous: true, user_id: null, username: null });
    expect(result.event.payload.giftees).toHaveLength(2);
  });

  it('passes unknown extra fields through at every level', () => {
    const body = { ...(documented['channel.followed'] as object), new_field: 1, follower: user(1, 'f', { future: 'x' }) };
    const result = parseKickEvent('channel.followed', '1', body);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.event.payload).toMatchObject({ new_field: 1, follower: { future: 'x' } });
  });

  it('tolerates a user object without is_anonymous / identity', () => {
    const { is_anonymous: _a, identity: _i, ...bare } = user(9, 'bare');
    const result = parseKickEvent('channel.followed', '1', { broadcaster, follower: bare });
    expect(result.ok && result.event.type === 'channel.followed' && result.event.payload.follower).toMatchObject({ is_anonymous: false, identity: null });
  });

  const malformed: { name: string; type: KickEventType; body: unknown; path: string }[] = [
    { name: 'sender.user_id as string', type: 'chat.message.sent', body: { ...(documented['chat.message.sent'] as object), sender: user(1, 'x', { user_id: '1' }) }, path: 'sender.user_id' },
    { name: 'missing content', type: 'chat.message.sent', body: { ...(documented['chat.message.sent'] as object), content: undefined }, path: 'content' },
    { name: 'bad emote position', type: 'chat.message.sent', body: { ...(documented['chat.message.sent'] as object), emotes: [{ emote_id: '1', positions: [{ s: 'a', e: 2 }] }] }, path: 'emotes.0.positions.0.s' },
    { name: 'badge without type', type: 'chat.message.sent', body: { ...(documented['chat.message.sent'] as object), sender: user(1, 'x', { identity: { username_color: '#fff', badges: [{ text: 'VIP' }] } }) }, path: 'sender.identity.badges.0.type' },
    { name: 'anonymous follower', type: 'channel.followed', body: { broadcaster, follower: { ...user(1, 'x'), user_id: null } }, path: 'follower.user_id' },
    { name: 'giftee without username', type: 'channel.subscription.gifts', body: { ...(documented['channel.subscription.gifts'] as object), giftees: [user(1, 'a'), { ...user(2, 'b'), username: undefined }] }, path: 'giftees.1.username' },
    { name: 'unknown redemption status', type: 'channel.reward.redemption.updated', body: { ...(documented['channel.reward.redemption.updated'] as object), status: 'maybe' }, path: 'status' },
    { name: 'is_live as string', type: 'livestream.status.updated', body: { ...(documented['livestream.status.updated'] as object), is_live: 'true' }, path: 'is_live' },
    { name: 'duration missing', type: 'channel.subscription.new', body: { ...(documented['channel.subscription.new'] as object), duration: undefined }, path: 'duration' },
    { name: 'gift amount as string', type: 'kicks.gifted', body: { ...(documented['kicks.gifted'] as object), gift: { amount: '100', name: 'x', type: 'BASIC' } }, path: 'gift.amount' },
    { name: 'ban metadata missing created_at', type: 'moderation.banned', body: { ...(documented['moderation.banned'] as object), metadata: { reason: 'r', expires_at: null } }, path: 'metadata.created_at' },
    { name: 'category id as string', type: 'livestream.metadata.updated', body: { broadcaster, metadata: { title: 't', language: 'en', has_mature_content: false, category: { id: 'x', name: 'n' } } }, path: 'metadata.category.id' },
    { name: 'broadcaster missing', type: 'channel.followed', body: { follower: user(1, 'x') }, path: 'broadcaster' },
  ];

  it.each(malformed)('rejects $name with path $path', ({ type, body, path }) => {
    const result = parseKickEvent(type, '1', body);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toBe('invalid_payload');
      expect(result.issues.map((i) => i.path)).toContain(path);
      expect(result.issues.every((i) => i.message.length > 0)).toBe(true);
    }
  });

  it('rejects non-object bodies without throwing', () => {
    for (const body of [null, undefined, 'x', 42, []]) {
      expect(parseKickEvent('channel.followed', '1', body)).toMatchObject({ ok: false, reason: 'invalid_payload' });
    }
  });

  it('reports unknown types and versions', () => {
    expect(parseKickEvent('channel.unfollowed', '1', {})).toMatchObject({ ok: false, reason: 'unknown_type', issues: [{ path: '' }] });
    expect(parseKickEvent('channel.followed', '2', documented['channel.followed'])).toMatchObject({ ok: false, reason: 'unknown_version' });
    expect(parseKickEvent('channel.followed', 'v1', documented['channel.followed'])).toMatchObject({ ok: false, reason: 'unknown_version' });
  });
});
