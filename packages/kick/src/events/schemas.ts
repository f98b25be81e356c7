import { z } from 'zod';

// Wire schemas for Kick's webhook payloads (version 1), snake_case exactly as Kick sends them.
// Objects are loose: fields Kick adds later pass through untouched instead of failing the event.

/** A chat badge, e.g. `{ text: 'Sub Gifter', type: 'sub_gifter', count: 5 }`. */
export const kickBadgeSchema = z.looseObject({
  text: z.string(),
  type: z.string(),
  count: z.number().optional(),
});

/** Only present for a chat sender; `null` for everybody else. */
export const kickIdentitySchema = z.looseObject({
  username_color: z.string().nullish().transform((v) => v ?? null),
  badges: z.array(kickBadgeSchema).nullish().transform((v) => v ?? []),
});

/** Kick sends `""` or `null` for users without an avatar; both become `null`. */
const profilePicture = z
  .string()
  .nullish()
  .transform((v) => (v ? v : null));

/**
 * Kick's user object (U) in its loosest form: an anonymous gifter has `is_anonymous: true` and
 * every other field `null`.
 */
export const kickUserSchema = z.looseObject({
  is_anonymous: z.boolean().nullish().transform((v) => v ?? false),
  user_id: z.number().int().nullable(),
  username: z.string().nullable(),
  is_verified: z.boolean().nullish().transform((v) => v ?? null),
  profile_picture: profilePicture,
  channel_slug: z.string().nullish().transform((v) => v ?? null),
  identity: kickIdentitySchema.nullish().transform((v) => v ?? null),
});

/** A user Kick always identifies (broadcaster, chat sender, follower, …): `user_id` and `username` are set. */
export const kickKnownUserSchema = kickUserSchema.extend({
  user_id: z.number().int(),
  username: z.string(),
});

const timestamp = z.string().min(1);

const emoteSchema = z.looseObject({
  emote_id: z.union([z.string(), z.number()]).transform(String),
  positions: z.array(z.looseObject({ s: z.number().int(), e: z.number().int() })),
});

const categorySchema = z.looseObject({
  id: z.number().int(),
  name: z.string(),
  thumbnail: z.string().nullish().transform((v) => v ?? null),
});

export const chatMessageSentSchema = z.looseObject({
  message_id: z.string().min(1),
  replies_to: z
    .looseObject({ message_id: z.string(), content: z.string(), sender: kickKnownUserSchema })
    .nullish()
    .transform((v) => v ?? null),
  broadcaster: kickKnownUserSchema,
  sender: kickKnownUserSchema,
  content: z.string(),
  emotes: z
    .array(emoteSchema)
    .nullish()
    .transform((v) => v ?? []),
  created_at: timestamp,
});

export const channelFollowedSchema = z.looseObject({
  broadcaster: kickKnownUserSchema,
  follower: kickKnownUserSchema,
});

export const subscriptionNewSchema = z.looseObject({
  broadcaster: kickKnownUserSchema,
  subscriber: kickKnownUserSchema,
  /** Months. */
  duration: z.number().int(),
  created_at: timestamp,
  expires_at: timestamp.nullish().transform((v) => v ?? null),
});

export const subscriptionRenewalSchema = subscriptionNewSchema;

export const subscriptionGiftsSchema = z.looseObject({
  broadcaster: kickKnownUserSchema,
  /** `is_anonymous: true` and null fields for an anonymous gift. */
  gifter: kickUserSchema,
  giftees: z.array(kickKnownUserSchema),
  created_at: timestamp,
  expires_at: timestamp.nullish().transform((v) => v ?? null),
});

export const rewardRedemptionUpdatedSchema = z.looseObject({
  id: z.string().min(1),
  user_input: z.string().nullish().transform((v) => v ?? ''),
  status: z.enum(['pending', 'accepted', 'rejected']),
  redeemed_at: timestamp,
  reward: z.looseObject({
    id: z.string(),
    title: z.string(),
    cost: z.number(),
    description: z.string().nullish().transform((v) => v ?? ''),
  }),
  redeemer: kickKnownUserSchema,
  broadcaster: kickKnownUserSchema,
});

export const livestreamStatusUpdatedSchema = z.looseObject({
  broadcaster: kickKnownUserSchema,
  is_live: z.boolean(),
  title: z.string().nullish().transform((v) => v ?? ''),
  started_at: timestamp.nullish().transform((v) => v ?? null),
  ended_at: timestamp.nullish().transform((v) => v ?? null),
});

export const livestreamMetadataUpdatedSchema = z.looseObject({
  broadcaster: kickKnownUserSchema,
  metadata: z.looseObject({
    title: z.string().nullish().transform((v) => v ?? ''),
    language: z.string().nullish().transform((v) => v ?? null),
    has_mature_content: z.boolean().nullish().transform((v) => v ?? false),
    category: categorySchema.nullish().transform((v) => v ?? null),
  }),
});

export const moderationBannedSchema = z.looseObject({
  broadcaster: kickKnownUserSchema,
  moderator: kickKnownUserSchema,
  banned_user: kickKnownUserSchema,
  metadata: z.looseObject({
    reason: z.string().nullish().transform((v) => v ?? ''),
    created_at: timestamp,
    /** `null` for a permanent ban, set for a timeout. */
    expires_at: timestamp.nullish().transform((v) => v ?? null),
  }),
});

export const kicksGiftedSchema = z.looseObject({
  broadcaster: kickKnownUserSchema,
  sender: kickKnownUserSchema,
  gift: z.looseObject({
    amount: z.number(),
    name: z.string(),
    type: z.string(),
    tier: z.string().nullish().transform((v) => v ?? null),
    message: z.string().nullish().transform((v) => v ?? null),
    pinned_time_seconds: z.number().nullish().transform((v) => v ?? 0),
  }),
  created_at: timestamp,
});

/** Version-1 schema per event type. */
export const kickEventSchemas = {
  'chat.message.sent': chatMessageSentSchema,
  'channel.followed': channelFollowedSchema,
  'channel.subscription.new': subscriptionNewSchema,
  'channel.subscription.renewal': subscriptionRenewalSchema,
  'channel.subscription.gifts': subscriptionGiftsSchema,
  'channel.reward.redemption.updated': rewardRedemptionUpdatedSchema,
  'livestream.status.updated': livestreamStatusUpdatedSchema,
  'livestream.metadata.updated': livestreamMetadataUpdatedSchema,
  'moderation.banned': moderationBannedSchema,
  'kicks.gifted': kicksGiftedSchema,
} as const;

export type KickBadge = z.infer<typeof kickBadgeSchema>;
export type KickIdentity = z.infer<typeof kickIdentitySchema>;
/** Kick's user object; fields are nullable because an anonymous gifter has them all `null`. */
export type KickUser = z.infer<typeof kickUserSchema>;
/** A {@link KickUser} Kick always identifies (non-null `user_id` / `username`); assignable to `KickUser`. */
export type KickKnownUser = z.infer<typeof kickKnownUserSchema>;
export type ChatMessageSentPayload = z.infer<typeof chatMessageSentSchema>;
export type ChannelFollowedPayload = z.infer<typeof channelFollowedSchema>;
export type SubscriptionNewPayload = z.infer<typeof subscriptionNewSchema>;
export type SubscriptionRenewalPayload = z.infer<typeof subscriptionRenewalSchema>;
export type SubscriptionGiftsPayload = z.infer<typeof subscriptionGiftsSchema>;
export type RewardRedemptionUpdatedPayload = z.infer<typeof rewardRedemptionUpdatedSchema>;
export type LivestreamStatusUpdatedPayload = z.infer<typeof livestreamStatusUpdatedSchema>;
export type LivestreamMetadataUpdatedPayload = z.infer<typeof livestreamMetadataUpdatedSchema>;
export type ModerationBannedPayload = z.infer<typeof moderationBannedSchema>;
export type KicksGiftedPayload = z.infer<typeof kicksGiftedSchema>;
