// Kick REST wire types, snake_case exactly as Kick sends them. Mapped to camelCase in mapping.ts only.

/** `{ data, message }` — Kick's success envelope. */
export type KickEnvelope<T> = { data: T; message?: string };

export type KickUserWire = { user_id: number; name: string; email?: string | null; profile_picture?: string | null };

export type KickCategoryWire = { id: number; name: string; thumbnail?: string | null };

export type KickChannelStreamWire = {
  url?: string | null;
  key?: string | null;
  is_live: boolean;
  is_mature?: boolean | null;
  language?: string | null;
  start_time?: string | null;
  viewer_count?: number | null;
  thumbnail?: string | null;
  custom_tags?: string[] | null;
};

export type KickChannelWire = {
  broadcaster_user_id: number;
  slug: string;
  channel_description?: string | null;
  banner_picture?: string | null;
  stream_title?: string | null;
  active_subscribers_count?: number | null;
  canceled_subscribers_count?: number | null;
  category?: KickCategoryWire | null;
  stream?: KickChannelStreamWire | null;
};

export type KickChatSendWire = { is_sent: boolean; message_id: string };

export type KickEventSubscriptionWire = {
  id: string;
  app_id: string;
  broadcaster_user_id: number;
  event: string;
  version: number;
  method: string;
  created_at: string;
  updated_at: string;
};

export type KickEventSubscriptionResultWire = { name: string; version: number; subscription_id?: string | null; error?: string | null };

export type KickLivestreamWire = {
  broadcaster_user_id: number;
  channel_id?: number | null;
  slug?: string | null;
  stream_title?: string | null;
  language?: string | null;
  has_mature_content?: boolean | null;
  viewer_count?: number | null;
  thumbnail?: string | null;
  profile_picture?: string | null;
  started_at?: string | null;
  custom_tags?: string[] | null;
  category?: KickCategoryWire | null;
};

export type KickLivestreamsPageWire = { data: KickLivestreamWire[]; pagination?: { next_cursor?: string | null } | null };

export type KickLeaderboardEntryWire = { gifted_amount: number; rank: number; user_id: number; username: string };

export type KickLeaderboardWire = {
  lifetime?: KickLeaderboardEntryWire[] | null;
  month?: KickLeaderboardEntryWire[] | null;
  week?: KickLeaderboardEntryWire[] | null;
};

export type KickPublicKeyWire = { public_key: string };

export type KickRewardWire = {
  id: string;
  title: string;
  cost: number;
  description?: string | null;
  background_color?: string | null;
  is_enabled?: boolean | null;
  is_paused?: boolean | null;
  is_user_input_required?: boolean | null;
  should_redemptions_skip_request_queue?: boolean | null;
};

/** ⚠ Kick names the listing's fields as in the `channel.reward.redemption.updated` event. */
export type KickRedemptionWire = {
  id: string;
  user_input?: string | null;
  status: string;
  redeemed_at?: string | null;
  reward?: { id: string; title: string; cost: number; description?: string | null } | null;
  redeemer?: { user_id?: number | null; username?: string | null } | null;
};

export type KickPageWire<T> = { data: T[]; pagination?: { next_cursor?: string | null } | null };

export type KickRedemptionFailureWire = { id: string; reason?: string | null };
