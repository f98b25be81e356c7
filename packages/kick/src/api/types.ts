// Domain (camelCase) results of KickApiClient; produced from the wire types by mapping.ts.

export type KickApiUser = { userId: number; name: string; email: string | null; profilePicture: string | null };

export type KickCategory = { id: number; name: string; thumbnail: string | null };

export type KickChannelStream = {
  isLive: boolean;
  isMature: boolean;
  language: string | null;
  /** null when offline (Kick sends `0001-01-01T00:00:00Z`). */
  startTime: Date | null;
  viewerCount: number;
  thumbnail: string | null;
  customTags: string[];
};

export type KickChannel = {
  broadcasterUserId: number;
  slug: string;
  channelDescription: string;
  bannerPicture: string | null;
  streamTitle: string;
  activeSubscribersCount: number;
  canceledSubscribersCount: number;
  category: KickCategory | null;
  stream: KickChannelStream | null;
};

export type KickChatSendResult = { isSent: boolean; messageId: string };

export type KickEventSubscription = {
  id: string;
  appId: string;
  broadcasterUserId: number;
  event: string;
  version: number;
  method: string;
  createdAt: Date;
  updatedAt: Date;
};

export type KickEventSubscriptionResult = { name: string; version: number; subscriptionId: string | null; error: string | null };

export type KickLivestream = {
  broadcasterUserId: number;
  channelId: number | null;
  slug: string | null;
  streamTitle: string;
  language: string | null;
  hasMatureContent: boolean;
  viewerCount: number;
  thumbnail: string | null;
  profilePicture: string | null;
  startedAt: Date | null;
  customTags: string[];
  category: KickCategory | null;
};

export type KickLivestreamsPage = { livestreams: KickLivestream[]; nextCursor: string | null };

/** `GET /public/v1/livestreams/stats`: streams live on Kick right now. */
export type KickLivestreamStats = { totalCount: number };

export type KickLeaderboardEntry = { giftedAmount: number; rank: number; userId: number; username: string };

export type KickLeaderboard = { lifetime: KickLeaderboardEntry[]; month: KickLeaderboardEntry[]; week: KickLeaderboardEntry[] };

/** A channel reward (`GET /public/v1/channels/rewards`). */
export type KickReward = {
  id: string;
  title: string;
  cost: number;
  description: string;
  backgroundColor: string | null;
  isEnabled: boolean;
  isPaused: boolean;
  isUserInputRequired: boolean;
  shouldRedemptionsSkipRequestQueue: boolean;
};

/** The fields of a new reward; Kick's defaults apply to what is left out. */
export type KickRewardInput = {
  title: string;
  cost: number;
  description?: string;
  backgroundColor?: string;
  isEnabled?: boolean;
  isUserInputRequired?: boolean;
  shouldRedemptionsSkipRequestQueue?: boolean;
};

/** Changes to a reward: only the fields given are sent. */
export type KickRewardChanges = Partial<KickRewardInput> & { isPaused?: boolean };

/** A redemption's status. */
export type KickRedemptionStatus = 'pending' | 'accepted' | 'rejected';

/** A redemption of one of the channel's rewards. */
export type KickRedemption = {
  id: string;
  userInput: string;
  status: KickRedemptionStatus;
  redeemedAt: Date | null;
  reward: { id: string; title: string; cost: number; description: string };
  redeemer: { userId: number; username: string } | null;
};

export type KickRedemptionsPage = { redemptions: KickRedemption[]; nextCursor: string | null };

/** A redemption Kick could not accept or reject, with its reason. */
export type KickRedemptionFailure = { id: string; reason: string };
