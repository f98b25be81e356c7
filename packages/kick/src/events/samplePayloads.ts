import type { KickEventType } from './eventTypes.ts';
import type { KickEventMap, KickEventOf } from './kickEvent.ts';
import type { KickKnownUser, KickUser } from './schemas.ts';

// Realistic example payloads (modelled on Kick's documentation examples), one per event type.
// Used by kick-sim, tests and `/announce test`. Each is a valid, already-normalized payload.

const broadcaster: KickKnownUser = {
  is_anonymous: false,
  user_id: 123456789,
  username: 'broadcaster_name',
  is_verified: true,
  profile_picture: 'https://files.kick.com/images/user/123456789/profile_image/conversion/avatar-thumb.webp',
  channel_slug: 'broadcaster_channel',
  identity: null,
};

const viewer: KickKnownUser = {
  is_anonymous: false,
  user_id: 987654321,
  username: 'viewer_name',
  is_verified: false,
  profile_picture: null,
  channel_slug: 'viewer_name',
  identity: null,
};

const moderator: KickKnownUser = {
  is_anonymous: false,
  user_id: 555000111,
  username: 'mod_name',
  is_verified: false,
  profile_picture: 'https://files.kick.com/images/user/555000111/profile_image/conversion/mod-thumb.webp',
  channel_slug: 'mod_name',
  identity: null,
};

const anonymousGifter: KickUser = {
  is_anonymous: true,
  user_id: null,
  username: null,
  is_verified: null,
  profile_picture: null,
  channel_slug: null,
  identity: null,
};

/** One valid example payload per event type. Deep-clone (`structuredClone`) before mutating. */
export const samplePayloads: { [K in KickEventType]: KickEventMap[K] } = {
  'chat.message.sent': {
    message_id: '01JGZ7Q4N2V8W5X6Y7Z8A9B0C1',
    replies_to: {
      message_id: '01JGZ7P0AAAAAAAAAAAAAAAAAA',
      content: 'This is the parent message!',
      sender: { ...moderator },
    },
    broadcaster: { ...broadcaster },
    sender: {
      ...viewer,
      identity: {
        username_color: '#FF5733',
        badges: [
          { text: 'Moderator', type: 'moderator' },
          { text: 'Sub Gifter', type: 'sub_gifter', count: 5 },
          { text: 'Subscriber', type: 'subscriber', count: 3 },
        ],
      },
    },
    content: 'Hello [emote:4148074:HYPERCLAPH] great stream!',
    emotes: [{ emote_id: '4148074', positions: [{ s: 6, e: 31 }] }],
    created_at: '2025-01-14T16:08:06Z',
  },
  'channel.followed': {
    broadcaster: { ...broadcaster },
    follower: { ...viewer },
  },
  'channel.subscription.new': {
    broadcaster: { ...broadcaster },
    subscriber: { ...viewer },
    duration: 1,
    created_at: '2025-01-14T16:08:06Z',
    expires_at: '2025-02-14T16:08:06Z',
  },
  'channel.subscription.renewal': {
    broadcaster: { ...broadcaster },
    subscriber: { ...viewer },
    duration: 3,
    created_at: '2025-01-14T16:08:06Z',
    expires_at: '2025-02-14T16:08:06Z',
  },
  'channel.subscription.gifts': {
    broadcaster: { ...broadcaster },
    gifter: { ...anonymousGifter },
    giftees: [
      { ...viewer },
      { ...viewer, user_id: 987654322, username: 'second_giftee', channel_slug: 'second_giftee' },
    ],
    created_at: '2025-01-14T16:08:06Z',
    expires_at: '2025-02-14T16:08:06Z',
  },
  'channel.reward.redemption.updated': {
    id: '01KBHE78QE4HZY1617DK5FC7YD',
    user_input: 'please play the next song',
    status: 'accepted',
    redeemed_at: '2025-12-02T22:54:19.323Z',
    reward: {
      id: '01KBHE7RZNHB0SKDV1H86CD4F3',
      title: 'Song request',
      cost: 500,
      description: 'Pick the next song',
    },
    redeemer: { ...viewer },
    broadcaster: { ...broadcaster },
  },
  'livestream.status.updated': {
    broadcaster: { ...broadcaster },
    is_live: true,
    title: 'Stream Title — ranked grind',
    started_at: '2025-01-01T11:00:00+11:00',
    ended_at: null,
  },
  'livestream.metadata.updated': {
    broadcaster: { ...broadcaster },
    metadata: {
      title: 'Stream Title — ranked grind',
      language: 'en',
      has_mature_content: false,
      category: { id: 15, name: 'Just Chatting', thumbnail: 'https://files.kick.com/images/subcategories/15/banner/conversion/just-chatting.webp' },
    },
  },
  'moderation.banned': {
    broadcaster: { ...broadcaster },
    moderator: { ...moderator },
    banned_user: { ...viewer },
    metadata: {
      reason: 'Spamming links',
      created_at: '2025-01-14T16:08:05Z',
      expires_at: '2025-01-14T16:18:05Z',
    },
  },
  'kicks.gifted': {
    broadcaster: { ...broadcaster },
    sender: { ...viewer },
    gift: {
      amount: 100,
      name: 'Full Send',
      type: 'BASIC',
      tier: 'BASIC',
      message: 'w',
      pinned_time_seconds: 0,
    },
    created_at: '2025-10-20T04:00:08.634Z',
  },
};

/** A complete {@link KickEvent} of `type` built from a deep copy of {@link samplePayloads}. */
export function sampleKickEvent<K extends KickEventType>(type: K): KickEventOf<K> {
  // The payload comes from samplePayloads[type], so it matches `type` by construction.
  return { type, version: '1', payload: structuredClone(samplePayloads[type]) } as unknown as KickEventOf<K>;
}
