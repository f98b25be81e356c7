import type { KickEventType } from './eventTypes.ts';
import type {
  ChannelFollowedPayload,
  ChatMessageSentPayload,
  KicksGiftedPayload,
  LivestreamMetadataUpdatedPayload,
  LivestreamStatusUpdatedPayload,
  ModerationBannedPayload,
  RewardRedemptionUpdatedPayload,
  SubscriptionGiftsPayload,
  SubscriptionNewPayload,
  SubscriptionRenewalPayload,
} from './schemas.ts';

/** Payload type per event type. */
export type KickEventMap = {
  'chat.message.sent': ChatMessageSentPayload;
  'channel.followed': ChannelFollowedPayload;
  'channel.subscription.new': SubscriptionNewPayload;
  'channel.subscription.renewal': SubscriptionRenewalPayload;
  'channel.subscription.gifts': SubscriptionGiftsPayload;
  'channel.reward.redemption.updated': RewardRedemptionUpdatedPayload;
  'livestream.status.updated': LivestreamStatusUpdatedPayload;
  'livestream.metadata.updated': LivestreamMetadataUpdatedPayload;
  'moderation.banned': ModerationBannedPayload;
  'kicks.gifted': KicksGiftedPayload;
};

/** A parsed, validated Kick event: a discriminated union on `type`. */
export type KickEvent = { [K in KickEventType]: { type: K; version: '1'; payload: KickEventMap[K] } }[KickEventType];

/** The member of {@link KickEvent} for one event type. */
export type KickEventOf<K extends KickEventType> = Extract<KickEvent, { type: K }>;

/** The channel owner's Kick user id (`payload.broadcaster.user_id`) — the tenant key for routing. */
export function eventBroadcasterId(event: KickEvent): number {
  return event.payload.broadcaster.user_id;
}
