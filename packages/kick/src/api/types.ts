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
