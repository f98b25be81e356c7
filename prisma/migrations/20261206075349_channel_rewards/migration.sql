-- CreateEnum
CREATE TYPE "RewardRedemptionStatus" AS ENUM ('pending', 'accepted', 'rejected');

-- AlterTable
ALTER TABLE "GuildSettings" ADD COLUMN     "rewardsChannelId" TEXT;

-- CreateTable
CREATE TABLE "ChannelRewardAction" (
    "guildId" TEXT NOT NULL,
    "rewardId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "roleId" TEXT,
    "postChannelId" TEXT,
    "postMessage" TEXT,
    "addToQueue" BOOLEAN NOT NULL DEFAULT false,
    "autoAccept" BOOLEAN NOT NULL DEFAULT false,
    "autoReject" BOOLEAN NOT NULL DEFAULT false,
    "updatedByDiscordId" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ChannelRewardAction_pkey" PRIMARY KEY ("guildId","rewardId")
);

-- CreateTable
CREATE TABLE "ChannelRewardRedemption" (
    "guildId" TEXT NOT NULL,
    "redemptionId" TEXT NOT NULL,
    "rewardId" TEXT NOT NULL,
    "rewardTitle" TEXT NOT NULL,
    "cost" INTEGER NOT NULL,
    "kickUserId" INTEGER NOT NULL,
    "username" TEXT NOT NULL,
    "userInput" TEXT NOT NULL DEFAULT '',
    "status" "RewardRedemptionStatus" NOT NULL,
    "redeemedAt" TIMESTAMP(3) NOT NULL,
    "actionsDoneAt" TIMESTAMP(3),
    "actionResults" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "actionsFailed" BOOLEAN NOT NULL DEFAULT false,
    "messageChannelId" TEXT,
    "messageId" TEXT,
    "decidedByDiscordId" TEXT,
    "decidedVia" TEXT,
    "decidedAt" TIMESTAMP(3),
    "decisionError" TEXT,
    "queuedAt" TIMESTAMP(3),
    "queueDoneAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ChannelRewardRedemption_pkey" PRIMARY KEY ("guildId","redemptionId")
);

-- CreateIndex
CREATE INDEX "ChannelRewardRedemption_guildId_queuedAt_idx" ON "ChannelRewardRedemption"("guildId", "queuedAt");

-- AddForeignKey
ALTER TABLE "ChannelRewardAction" ADD CONSTRAINT "ChannelRewardAction_guildId_fkey" FOREIGN KEY ("guildId") REFERENCES "Guild"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChannelRewardRedemption" ADD CONSTRAINT "ChannelRewardRedemption_guildId_fkey" FOREIGN KEY ("guildId") REFERENCES "Guild"("id") ON DELETE CASCADE ON UPDATE CASCADE;
