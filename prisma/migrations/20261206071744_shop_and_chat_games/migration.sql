-- CreateEnum
CREATE TYPE "ShopItemKind" AS ENUM ('role', 'reward', 'chat');

-- CreateEnum
CREATE TYPE "RedemptionStatus" AS ENUM ('pending', 'fulfilled', 'refunded');

-- CreateEnum
CREATE TYPE "DuelStatus" AS ENUM ('open', 'resolved', 'expired');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "LedgerKind" ADD VALUE 'shop';
ALTER TYPE "LedgerKind" ADD VALUE 'gamble';
ALTER TYPE "LedgerKind" ADD VALUE 'duel';

-- AlterTable
ALTER TABLE "GuildSettings" ADD COLUMN     "duelCooldownSec" INTEGER NOT NULL DEFAULT 30,
ADD COLUMN     "duelEnabled" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "duelExpirySec" INTEGER NOT NULL DEFAULT 60,
ADD COLUMN     "duelMaxBet" INTEGER NOT NULL DEFAULT 10000,
ADD COLUMN     "duelMinBet" INTEGER NOT NULL DEFAULT 10,
ADD COLUMN     "gambleCooldownSec" INTEGER NOT NULL DEFAULT 30,
ADD COLUMN     "gambleEnabled" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "gambleMaxBet" INTEGER NOT NULL DEFAULT 10000,
ADD COLUMN     "gambleMinBet" INTEGER NOT NULL DEFAULT 10,
ADD COLUMN     "gambleWinChance" INTEGER NOT NULL DEFAULT 45,
ADD COLUMN     "shopQueueChannelId" TEXT;

-- CreateTable
CREATE TABLE "ShopItem" (
    "id" TEXT NOT NULL,
    "guildId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "ShopItemKind" NOT NULL,
    "price" INTEGER NOT NULL,
    "stock" INTEGER,
    "perViewerLimit" INTEGER NOT NULL DEFAULT 0,
    "cooldownSec" INTEGER NOT NULL DEFAULT 0,
    "inputPrompt" TEXT,
    "description" TEXT NOT NULL DEFAULT '',
    "roleId" TEXT,
    "roleDays" INTEGER,
    "template" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdByDiscordId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ShopItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ShopRedemption" (
    "id" TEXT NOT NULL,
    "guildId" TEXT NOT NULL,
    "itemId" TEXT NOT NULL,
    "kickUserId" INTEGER NOT NULL,
    "username" TEXT NOT NULL,
    "discordUserId" TEXT,
    "price" INTEGER NOT NULL,
    "input" TEXT,
    "source" TEXT NOT NULL,
    "status" "RedemptionStatus" NOT NULL DEFAULT 'pending',
    "queueMessageId" TEXT,
    "decidedByDiscordId" TEXT,
    "decidedAt" TIMESTAMP(3),
    "roleExpiresAt" TIMESTAMP(3),
    "roleRemovedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ShopRedemption_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChatDuel" (
    "id" TEXT NOT NULL,
    "guildId" TEXT NOT NULL,
    "broadcasterUserId" INTEGER NOT NULL,
    "challengerId" INTEGER NOT NULL,
    "challengerName" TEXT NOT NULL,
    "opponentId" INTEGER NOT NULL,
    "opponentName" TEXT NOT NULL,
    "stake" INTEGER NOT NULL,
    "status" "DuelStatus" NOT NULL DEFAULT 'open',
    "openChallengerKey" TEXT,
    "winnerId" INTEGER,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" TIMESTAMP(3),

    CONSTRAINT "ChatDuel_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ShopItem_guildId_name_key" ON "ShopItem"("guildId", "name");

-- CreateIndex
CREATE INDEX "ShopRedemption_itemId_kickUserId_createdAt_idx" ON "ShopRedemption"("itemId", "kickUserId", "createdAt");

-- CreateIndex
CREATE INDEX "ShopRedemption_guildId_status_createdAt_idx" ON "ShopRedemption"("guildId", "status", "createdAt");

-- CreateIndex
CREATE INDEX "ShopRedemption_roleExpiresAt_idx" ON "ShopRedemption"("roleExpiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "ChatDuel_openChallengerKey_key" ON "ChatDuel"("openChallengerKey");

-- CreateIndex
CREATE INDEX "ChatDuel_guildId_opponentId_status_idx" ON "ChatDuel"("guildId", "opponentId", "status");

-- CreateIndex
CREATE INDEX "ChatDuel_status_expiresAt_idx" ON "ChatDuel"("status", "expiresAt");

-- AddForeignKey
ALTER TABLE "ShopItem" ADD CONSTRAINT "ShopItem_guildId_fkey" FOREIGN KEY ("guildId") REFERENCES "Guild"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ShopRedemption" ADD CONSTRAINT "ShopRedemption_guildId_fkey" FOREIGN KEY ("guildId") REFERENCES "Guild"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ShopRedemption" ADD CONSTRAINT "ShopRedemption_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "ShopItem"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChatDuel" ADD CONSTRAINT "ChatDuel_guildId_fkey" FOREIGN KEY ("guildId") REFERENCES "Guild"("id") ON DELETE CASCADE ON UPDATE CASCADE;
