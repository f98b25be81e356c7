-- CreateEnum
CREATE TYPE "ConnectionStatus" AS ENUM ('active', 'needs_reauth', 'revoked');

-- CreateEnum
CREATE TYPE "LinkKind" AS ENUM ('watch', 'owner');

-- CreateEnum
CREATE TYPE "SubscriptionStatus" AS ENUM ('active', 'deleted');

-- CreateEnum
CREATE TYPE "SubscriptionAction" AS ENUM ('created', 'recreated', 'deleted_duplicate', 'deleted_unused', 'missing');

-- CreateEnum
CREATE TYPE "DeliveryOutcome" AS ENUM ('enqueued', 'quarantined');

-- CreateEnum
CREATE TYPE "AnnouncementEvent" AS ENUM ('live', 'offline', 'follow', 'sub', 'renewal', 'gift', 'kicks', 'redemption', 'ban');

-- CreateEnum
CREATE TYPE "LedgerKind" AS ENUM ('watch', 'follow', 'sub', 'renewal', 'gift', 'kicks', 'admin', 'command', 'raffle', 'gtb', 'slotcall', 'import', 'redemption');

-- CreateEnum
CREATE TYPE "UserLevel" AS ENUM ('everyone', 'subscriber', 'vip', 'moderator', 'broadcaster');

-- CreateEnum
CREATE TYPE "ChatReplyStatus" AS ENUM ('pending', 'sent', 'failed', 'dropped');

-- CreateEnum
CREATE TYPE "GameStatus" AS ENUM ('open', 'closed', 'drawn', 'resolved', 'cancelled');

-- CreateEnum
CREATE TYPE "SlotCallStatus" AS ENUM ('open', 'picked', 'removed');

-- CreateTable
CREATE TABLE "Guild" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "joinedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leftAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Guild_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GuildSettings" (
    "guildId" TEXT NOT NULL,
    "commandPrefix" TEXT NOT NULL DEFAULT '!',
    "activityWindowMinutes" INTEGER NOT NULL DEFAULT 5,
    "pointsPerMinute" INTEGER NOT NULL DEFAULT 1,
    "subscriberMultiplier" DOUBLE PRECISION NOT NULL DEFAULT 1.5,
    "maxMinutesPerStream" INTEGER NOT NULL DEFAULT 0,
    "maxPointsPerDay" INTEGER NOT NULL DEFAULT 0,
    "followBonus" INTEGER NOT NULL DEFAULT 0,
    "subBonus" INTEGER NOT NULL DEFAULT 0,
    "renewalBonus" INTEGER NOT NULL DEFAULT 0,
    "giftBonusPerSub" INTEGER NOT NULL DEFAULT 0,
    "kicksBonusPerUnit" INTEGER NOT NULL DEFAULT 0,
    "excludedUsernames" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "modLogChannelId" TEXT,
    "slotCallsOpen" BOOLEAN NOT NULL DEFAULT false,
    "slotCallCost" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "GuildSettings_pkey" PRIMARY KEY ("guildId")
);

-- CreateTable
CREATE TABLE "KickChannel" (
    "broadcasterUserId" INTEGER NOT NULL,
    "slug" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "profilePicture" TEXT,
    "isLive" BOOLEAN NOT NULL DEFAULT false,
    "streamTitle" TEXT,
    "categoryName" TEXT,
    "lastLiveCheckAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "KickChannel_pkey" PRIMARY KEY ("broadcasterUserId")
);

-- CreateTable
CREATE TABLE "KickConnection" (
    "id" TEXT NOT NULL,
    "guildId" TEXT NOT NULL,
    "broadcasterUserId" INTEGER NOT NULL,
    "kickUsername" TEXT NOT NULL,
    "accessTokenEnc" TEXT NOT NULL,
    "refreshTokenEnc" TEXT NOT NULL,
    "scopes" TEXT[],
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "status" "ConnectionStatus" NOT NULL DEFAULT 'active',
    "connectedByDiscordId" TEXT NOT NULL,
    "lastRefreshedAt" TIMESTAMP(3),
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "KickConnection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GuildChannelLink" (
    "guildId" TEXT NOT NULL,
    "broadcasterUserId" INTEGER NOT NULL,
    "kind" "LinkKind" NOT NULL,
    "createdByDiscordId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "GuildChannelLink_pkey" PRIMARY KEY ("guildId","broadcasterUserId")
);

-- CreateTable
CREATE TABLE "KickSubscription" (
    "id" TEXT NOT NULL,
    "broadcasterUserId" INTEGER NOT NULL,
    "event" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "status" "SubscriptionStatus" NOT NULL DEFAULT 'active',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastCheckedAt" TIMESTAMP(3),
    "lastDeliveryAt" TIMESTAMP(3),
    "deletedAt" TIMESTAMP(3),

    CONSTRAINT "KickSubscription_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SubscriptionAudit" (
    "id" BIGSERIAL NOT NULL,
    "broadcasterUserId" INTEGER NOT NULL,
    "event" TEXT NOT NULL,
    "action" "SubscriptionAction" NOT NULL,
    "subscriptionId" TEXT,
    "detail" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SubscriptionAudit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "messageId" TEXT NOT NULL,
    "subscriptionId" TEXT NOT NULL,
    "eventType" TEXT NOT NULL,
    "eventVersion" TEXT NOT NULL,
    "broadcasterUserId" INTEGER,
    "messageTimestamp" TIMESTAMP(3) NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "outcome" "DeliveryOutcome" NOT NULL,

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("messageId")
);

-- CreateTable
CREATE TABLE "QuarantinedDelivery" (
    "messageId" TEXT NOT NULL,
    "eventType" TEXT NOT NULL,
    "eventVersion" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "rawBody" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "QuarantinedDelivery_pkey" PRIMARY KEY ("messageId")
);

-- CreateTable
CREATE TABLE "ConnectLink" (
    "id" TEXT NOT NULL,
    "guildId" TEXT NOT NULL,
    "discordUserId" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConnectLink_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OAuthState" (
    "state" TEXT NOT NULL,
    "connectLinkId" TEXT NOT NULL,
    "codeVerifierEnc" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OAuthState_pkey" PRIMARY KEY ("state")
);

-- CreateTable
CREATE TABLE "AnnouncementSetting" (
    "guildId" TEXT NOT NULL,
    "event" "AnnouncementEvent" NOT NULL,
    "discordChannelId" TEXT NOT NULL,
    "roleId" TEXT,
    "template" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "brokenReason" TEXT,
    "brokenAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AnnouncementSetting_pkey" PRIMARY KEY ("guildId","event")
);

-- CreateTable
CREATE TABLE "PostedAnnouncement" (
    "guildId" TEXT NOT NULL,
    "kickMessageId" TEXT NOT NULL,
    "event" "AnnouncementEvent" NOT NULL,
    "discordChannelId" TEXT NOT NULL,
    "discordMessageId" TEXT,
    "nonce" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "postedAt" TIMESTAMP(3),

    CONSTRAINT "PostedAnnouncement_pkey" PRIMARY KEY ("guildId","kickMessageId")
);

-- CreateTable
CREATE TABLE "StreamSession" (
    "id" TEXT NOT NULL,
    "broadcasterUserId" INTEGER NOT NULL,
    "openBroadcasterUserId" INTEGER,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "endedAt" TIMESTAMP(3),
    "title" TEXT,
    "categoryName" TEXT,
    "startSource" TEXT NOT NULL DEFAULT 'webhook',
    "endSource" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StreamSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "KickViewer" (
    "userId" INTEGER NOT NULL,
    "username" TEXT NOT NULL,
    "slug" TEXT,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "KickViewer_pkey" PRIMARY KEY ("userId")
);

-- CreateTable
CREATE TABLE "ViewerStats" (
    "guildId" TEXT NOT NULL,
    "kickUserId" INTEGER NOT NULL,
    "username" TEXT NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "activeMinutes" INTEGER NOT NULL DEFAULT 0,
    "lastActiveAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ViewerStats_pkey" PRIMARY KEY ("guildId","kickUserId")
);

-- CreateTable
CREATE TABLE "PointsLedger" (
    "id" BIGSERIAL NOT NULL,
    "guildId" TEXT NOT NULL,
    "kickUserId" INTEGER NOT NULL,
    "kind" "LedgerKind" NOT NULL,
    "points" INTEGER NOT NULL,
    "minutes" INTEGER NOT NULL DEFAULT 0,
    "idempotencyKey" TEXT NOT NULL,
    "reason" TEXT,
    "actorDiscordId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PointsLedger_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AccountLink" (
    "discordUserId" TEXT NOT NULL,
    "kickUserId" INTEGER NOT NULL,
    "kickUsername" TEXT NOT NULL,
    "verifiedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AccountLink_pkey" PRIMARY KEY ("discordUserId")
);

-- CreateTable
CREATE TABLE "ChatCommand" (
    "id" TEXT NOT NULL,
    "guildId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "aliases" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "response" TEXT NOT NULL,
    "globalCooldownSec" INTEGER NOT NULL DEFAULT 0,
    "userCooldownSec" INTEGER NOT NULL DEFAULT 0,
    "minLevel" "UserLevel" NOT NULL DEFAULT 'everyone',
    "cost" INTEGER NOT NULL DEFAULT 0,
    "liveOnly" BOOLEAN NOT NULL DEFAULT false,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "useCount" INTEGER NOT NULL DEFAULT 0,
    "createdByDiscordId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ChatCommand_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutgoingChatMessage" (
    "id" BIGSERIAL NOT NULL,
    "guildId" TEXT NOT NULL,
    "broadcasterUserId" INTEGER NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "replyToMessageId" TEXT,
    "status" "ChatReplyStatus" NOT NULL DEFAULT 'pending',
    "kickMessageId" TEXT,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),

    CONSTRAINT "OutgoingChatMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Timer" (
    "id" TEXT NOT NULL,
    "guildId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "intervalMinutes" INTEGER NOT NULL,
    "minChatLines" INTEGER NOT NULL DEFAULT 0,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "lastPostedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Timer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Raffle" (
    "id" TEXT NOT NULL,
    "guildId" TEXT NOT NULL,
    "openGuildId" TEXT,
    "broadcasterUserId" INTEGER NOT NULL,
    "keyword" TEXT NOT NULL DEFAULT '!join',
    "cost" INTEGER NOT NULL DEFAULT 0,
    "winnersCount" INTEGER NOT NULL DEFAULT 1,
    "subscriberLuck" INTEGER NOT NULL DEFAULT 1,
    "giftedSubTickets" INTEGER NOT NULL DEFAULT 0,
    "status" "GameStatus" NOT NULL DEFAULT 'open',
    "endsAt" TIMESTAMP(3),
    "createdByDiscordId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closedAt" TIMESTAMP(3),

    CONSTRAINT "Raffle_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RaffleEntry" (
    "raffleId" TEXT NOT NULL,
    "kickUserId" INTEGER NOT NULL,
    "username" TEXT NOT NULL,
    "tickets" INTEGER NOT NULL,
    "paid" INTEGER NOT NULL DEFAULT 0,
    "won" BOOLEAN NOT NULL DEFAULT false,
    "refundedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RaffleEntry_pkey" PRIMARY KEY ("raffleId","kickUserId")
);

-- CreateTable
CREATE TABLE "GtbRound" (
    "id" TEXT NOT NULL,
    "guildId" TEXT NOT NULL,
    "openGuildId" TEXT,
    "prize" INTEGER NOT NULL DEFAULT 0,
    "status" "GameStatus" NOT NULL DEFAULT 'open',
    "result" DECIMAL(18,2),
    "createdByDiscordId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closedAt" TIMESTAMP(3),
    "resolvedAt" TIMESTAMP(3),

    CONSTRAINT "GtbRound_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GtbGuess" (
    "roundId" TEXT NOT NULL,
    "kickUserId" INTEGER NOT NULL,
    "username" TEXT NOT NULL,
    "amount" DECIMAL(18,2) NOT NULL,
    "guessedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "GtbGuess_pkey" PRIMARY KEY ("roundId","kickUserId")
);

-- CreateTable
CREATE TABLE "SlotCall" (
    "id" TEXT NOT NULL,
    "guildId" TEXT NOT NULL,
    "kickUserId" INTEGER NOT NULL,
    "username" TEXT NOT NULL,
    "slotName" TEXT NOT NULL,
    "normalizedName" TEXT NOT NULL,
    "openViewerKey" TEXT,
    "cost" INTEGER NOT NULL DEFAULT 0,
    "status" "SlotCallStatus" NOT NULL DEFAULT 'open',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "pickedAt" TIMESTAMP(3),

    CONSTRAINT "SlotCall_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Guild_active_leftAt_idx" ON "Guild"("active", "leftAt");

-- CreateIndex
CREATE UNIQUE INDEX "KickChannel_slug_key" ON "KickChannel"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "KickConnection_guildId_key" ON "KickConnection"("guildId");

-- CreateIndex
CREATE UNIQUE INDEX "KickConnection_broadcasterUserId_key" ON "KickConnection"("broadcasterUserId");

-- CreateIndex
CREATE INDEX "KickConnection_status_expiresAt_idx" ON "KickConnection"("status", "expiresAt");

-- CreateIndex
CREATE INDEX "GuildChannelLink_broadcasterUserId_idx" ON "GuildChannelLink"("broadcasterUserId");

-- CreateIndex
CREATE INDEX "KickSubscription_broadcasterUserId_event_status_idx" ON "KickSubscription"("broadcasterUserId", "event", "status");

-- CreateIndex
CREATE INDEX "SubscriptionAudit_broadcasterUserId_createdAt_idx" ON "SubscriptionAudit"("broadcasterUserId", "createdAt");

-- CreateIndex
CREATE INDEX "WebhookDelivery_broadcasterUserId_receivedAt_idx" ON "WebhookDelivery"("broadcasterUserId", "receivedAt");

-- CreateIndex
CREATE INDEX "WebhookDelivery_subscriptionId_receivedAt_idx" ON "WebhookDelivery"("subscriptionId", "receivedAt");

-- CreateIndex
CREATE INDEX "WebhookDelivery_receivedAt_idx" ON "WebhookDelivery"("receivedAt");

-- CreateIndex
CREATE INDEX "QuarantinedDelivery_receivedAt_idx" ON "QuarantinedDelivery"("receivedAt");

-- CreateIndex
CREATE INDEX "ConnectLink_guildId_idx" ON "ConnectLink"("guildId");

-- CreateIndex
CREATE UNIQUE INDEX "StreamSession_openBroadcasterUserId_key" ON "StreamSession"("openBroadcasterUserId");

-- CreateIndex
CREATE INDEX "StreamSession_broadcasterUserId_startedAt_idx" ON "StreamSession"("broadcasterUserId", "startedAt");

-- CreateIndex
CREATE INDEX "KickViewer_username_idx" ON "KickViewer"("username");

-- CreateIndex
CREATE INDEX "ViewerStats_guildId_points_idx" ON "ViewerStats"("guildId", "points" DESC);

-- CreateIndex
CREATE INDEX "ViewerStats_guildId_activeMinutes_idx" ON "ViewerStats"("guildId", "activeMinutes" DESC);

-- CreateIndex
CREATE INDEX "ViewerStats_guildId_username_idx" ON "ViewerStats"("guildId", "username");

-- CreateIndex
CREATE INDEX "PointsLedger_guildId_kickUserId_createdAt_idx" ON "PointsLedger"("guildId", "kickUserId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "PointsLedger_guildId_idempotencyKey_key" ON "PointsLedger"("guildId", "idempotencyKey");

-- CreateIndex
CREATE UNIQUE INDEX "AccountLink_kickUserId_key" ON "AccountLink"("kickUserId");

-- CreateIndex
CREATE UNIQUE INDEX "ChatCommand_guildId_name_key" ON "ChatCommand"("guildId", "name");

-- CreateIndex
CREATE INDEX "OutgoingChatMessage_guildId_status_createdAt_idx" ON "OutgoingChatMessage"("guildId", "status", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "OutgoingChatMessage_guildId_dedupeKey_key" ON "OutgoingChatMessage"("guildId", "dedupeKey");

-- CreateIndex
CREATE UNIQUE INDEX "Timer_guildId_name_key" ON "Timer"("guildId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "Raffle_openGuildId_key" ON "Raffle"("openGuildId");

-- CreateIndex
CREATE INDEX "Raffle_guildId_createdAt_idx" ON "Raffle"("guildId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "GtbRound_openGuildId_key" ON "GtbRound"("openGuildId");

-- CreateIndex
CREATE INDEX "GtbRound_guildId_createdAt_idx" ON "GtbRound"("guildId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "SlotCall_openViewerKey_key" ON "SlotCall"("openViewerKey");

-- CreateIndex
CREATE INDEX "SlotCall_guildId_status_normalizedName_idx" ON "SlotCall"("guildId", "status", "normalizedName");

-- AddForeignKey
ALTER TABLE "GuildSettings" ADD CONSTRAINT "GuildSettings_guildId_fkey" FOREIGN KEY ("guildId") REFERENCES "Guild"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "KickConnection" ADD CONSTRAINT "KickConnection_guildId_fkey" FOREIGN KEY ("guildId") REFERENCES "Guild"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "KickConnection" ADD CONSTRAINT "KickConnection_broadcasterUserId_fkey" FOREIGN KEY ("broadcasterUserId") REFERENCES "KickChannel"("broadcasterUserId") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GuildChannelLink" ADD CONSTRAINT "GuildChannelLink_guildId_fkey" FOREIGN KEY ("guildId") REFERENCES "Guild"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GuildChannelLink" ADD CONSTRAINT "GuildChannelLink_broadcasterUserId_fkey" FOREIGN KEY ("broadcasterUserId") REFERENCES "KickChannel"("broadcasterUserId") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "KickSubscription" ADD CONSTRAINT "KickSubscription_broadcasterUserId_fkey" FOREIGN KEY ("broadcasterUserId") REFERENCES "KickChannel"("broadcasterUserId") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConnectLink" ADD CONSTRAINT "ConnectLink_guildId_fkey" FOREIGN KEY ("guildId") REFERENCES "Guild"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OAuthState" ADD CONSTRAINT "OAuthState_connectLinkId_fkey" FOREIGN KEY ("connectLinkId") REFERENCES "ConnectLink"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AnnouncementSetting" ADD CONSTRAINT "AnnouncementSetting_guildId_fkey" FOREIGN KEY ("guildId") REFERENCES "Guild"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PostedAnnouncement" ADD CONSTRAINT "PostedAnnouncement_guildId_fkey" FOREIGN KEY ("guildId") REFERENCES "Guild"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StreamSession" ADD CONSTRAINT "StreamSession_broadcasterUserId_fkey" FOREIGN KEY ("broadcasterUserId") REFERENCES "KickChannel"("broadcasterUserId") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ViewerStats" ADD CONSTRAINT "ViewerStats_guildId_fkey" FOREIGN KEY ("guildId") REFERENCES "Guild"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PointsLedger" ADD CONSTRAINT "PointsLedger_guildId_fkey" FOREIGN KEY ("guildId") REFERENCES "Guild"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChatCommand" ADD CONSTRAINT "ChatCommand_guildId_fkey" FOREIGN KEY ("guildId") REFERENCES "Guild"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OutgoingChatMessage" ADD CONSTRAINT "OutgoingChatMessage_guildId_fkey" FOREIGN KEY ("guildId") REFERENCES "Guild"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Timer" ADD CONSTRAINT "Timer_guildId_fkey" FOREIGN KEY ("guildId") REFERENCES "Guild"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Raffle" ADD CONSTRAINT "Raffle_guildId_fkey" FOREIGN KEY ("guildId") REFERENCES "Guild"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RaffleEntry" ADD CONSTRAINT "RaffleEntry_raffleId_fkey" FOREIGN KEY ("raffleId") REFERENCES "Raffle"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GtbRound" ADD CONSTRAINT "GtbRound_guildId_fkey" FOREIGN KEY ("guildId") REFERENCES "Guild"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GtbGuess" ADD CONSTRAINT "GtbGuess_roundId_fkey" FOREIGN KEY ("roundId") REFERENCES "GtbRound"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SlotCall" ADD CONSTRAINT "SlotCall_guildId_fkey" FOREIGN KEY ("guildId") REFERENCES "Guild"("id") ON DELETE CASCADE ON UPDATE CASCADE;
