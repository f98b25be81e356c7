import type {
  KickApiUser,
  KickCategory,
  KickChannel,
  KickChatSendResult,
  KickEventSubscription,
  KickEventSubscriptionResult,
  KickLeaderboard,
  KickLeaderboardEntry,
  KickLivestream,
  KickLivestreamsPage,
  KickRedemption,
  KickRedemptionFailure,
  KickRedemptionStatus,
  KickReward,
} from './types.ts';
import type {
  KickCategoryWire,
  KickChannelWire,
  KickChatSendWire,
  KickEventSubscriptionResultWire,
  KickEventSubscriptionWire,
  KickLeaderboardEntryWire,
  KickLeaderboardWire,
  KickLivestreamWire,
  KickLivestreamsPageWire,
  KickRedemptionFailureWire,
  KickRedemptionWire,
  KickRewardWire,
  KickUserWire,
} from './wire.ts';

// The one place where Kick's snake_case REST shapes become kickcord's camelCase types.

/** Kick's "no value" date for offline streams and other unset times. */
function toDate(value: string | null | undefined): Date | null {
  if (!value || value.startsWith('0001-01-01')) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms);
}

const emptyToNull = (v: string | null | undefined): string | null => (v ? v : null);

export function mapUser(w: KickUserWire): KickApiUser {
  return { userId: w.user_id, name: w.name, email: emptyToNull(w.email), profilePicture: emptyToNull(w.profile_picture) };
}

export function mapCategory(w: KickCategoryWire | null | undefined): KickCategory | null {
  return w ? { id: w.id, name: w.name, thumbnail: emptyToNull(w.thumbnail) } : null;
}

export function mapChannel(w: KickChannelWire): KickChannel {
  return {
    broadcasterUserId: w.broadcaster_user_id,
    slug: w.slug,
    channelDescription: w.channel_description ?? '',
    bannerPicture: emptyToNull(w.banner_picture),
    streamTitle: w.stream_title ?? '',
    activeSubscribersCount: w.active_subscribers_count ?? 0,
    canceledSubscribersCount: w.canceled_subscribers_count ?? 0,
    category: mapCategory(w.category),
    stream: w.stream
      ? {
          isLive: w.stream.is_live === true,
          isMature: w.stream.is_mature === true,
          language: emptyToNull(w.stream.language),
          startTime: toDate(w.stream.start_time),
          viewerCount: w.stream.viewer_count ?? 0,
          thumbnail: emptyToNull(w.stream.thumbnail),
          customTags: w.stream.custom_tags ?? [],
        }
      : null,
  };
}

export function mapChatSend(w: KickChatSendWire): KickChatSendResult {
  return { isSent: w.is_sent === true, messageId: w.message_id };
}

export function mapEventSubscription(w: KickEventSubscriptionWire): KickEventSubscription {
  return {
    id: w.id,
    appId: w.app_id,
    broadcasterUserId: w.broadcaster_user_id,
    event: w.event,
    version: w.version,
    method: w.method,
    createdAt: new Date(w.created_at),
    updatedAt: new Date(w.updated_at),
  };
}

export function mapEventSubscriptionResult(w: KickEventSubscriptionResultWire): KickEventSubscriptionResult {
  return { name: w.name, version: w.version, subscriptionId: emptyToNull(w.subscription_id), error: emptyToNull(w.error) };
}

export function mapLivestream(w: KickLivestreamWire): KickLivestream {
  return {
    broadcasterUserId: w.broadcaster_user_id,
    channelId: w.channel_id ?? null,
    slug: emptyToNull(w.slug),
    streamTitle: w.stream_title ?? '',
    language: emptyToNull(w.language),
    hasMatureContent: w.has_mature_content === true,
    viewerCount: w.viewer_count ?? 0,
    thumbnail: emptyToNull(w.thumbnail),
    profilePicture: emptyToNull(w.profile_picture),
    startedAt: toDate(w.started_at),
    customTags: w.custom_tags ?? [],
    category: mapCategory(w.category),
  };
}

export function mapLivestreamsPage(w: KickLivestreamsPageWire): KickLivestreamsPage {
  return { livestreams: (w.data ?? []).map(mapLivestream), nextCursor: emptyToNull(w.pagination?.next_cursor) };
}

function mapLeaderboardEntry(w: KickLeaderboardEntryWire): KickLeaderboardEntry {
  return { giftedAmount: w.gifted_amount, rank: w.rank, userId: w.user_id, username: w.username };
}

export function mapLeaderboard(w: KickLeaderboardWire): KickLeaderboard {
  return {
    lifetime: (w.lifetime ?? []).map(mapLeaderboardEntry),
    month: (w.month ?? []).map(mapLeaderboardEntry),
    week: (w.week ?? []).map(mapLeaderboardEntry),
  };
}

export function mapReward(w: KickRewardWire): KickReward {
  return {
    id: w.id,
    title: w.title,
    cost: w.cost,
    description: w.description ?? '',
    backgroundColor: emptyToNull(w.background_color),
    isEnabled: w.is_enabled !== false,
    isPaused: w.is_paused === true,
    isUserInputRequired: w.is_user_input_required === true,
    shouldRedemptionsSkipRequestQueue: w.should_redemptions_skip_request_queue === true,
  };
}

const REDEMPTION_STATUSES: readonly string[] = ['pending', 'accepted', 'rejected'] satisfies KickRedemptionStatus[];

export function mapRedemption(w: KickRedemptionWire): KickRedemption {
  return {
    id: w.id,
    userInput: w.user_input ?? '',
    status: (REDEMPTION_STATUSES.includes(w.status) ? w.status : 'pending') as KickRedemptionStatus,
    redeemedAt: toDate(w.redeemed_at),
    reward: { id: w.reward?.id ?? '', title: w.reward?.title ?? '', cost: w.reward?.cost ?? 0, description: w.reward?.description ?? '' },
    redeemer: typeof w.redeemer?.user_id === 'number' ? { userId: w.redeemer.user_id, username: w.redeemer.username ?? '' } : null,
  };
}

export function mapRedemptionFailure(w: KickRedemptionFailureWire): KickRedemptionFailure {
  return { id: w.id, reason: w.reason ?? 'no reason given' };
}
