-- CreateEnum
CREATE TYPE "ChatFilterTermMode" AS ENUM ('word', 'substring', 'regex');

-- CreateEnum
CREATE TYPE "ModerationActionKind" AS ENUM ('delete', 'timeout', 'ban', 'unban');

-- CreateEnum
CREATE TYPE "ModerationActionStatus" AS ENUM ('done', 'failed');

-- CreateTable
CREATE TABLE "ChatFilterSettings" (
    "guildId" TEXT NOT NULL,
    "rules" JSONB NOT NULL,
    "falsePositives" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ChatFilterSettings_pkey" PRIMARY KEY ("guildId")
);

-- CreateTable
CREATE TABLE "ChatFilterTerm" (
    "id" TEXT NOT NULL,
    "guildId" TEXT NOT NULL,
    "pattern" TEXT NOT NULL,
    "mode" "ChatFilterTermMode" NOT NULL,
    "createdByDiscordId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ChatFilterTerm_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ModerationAction" (
    "id" TEXT NOT NULL,
    "guildId" TEXT NOT NULL,
    "broadcasterUserId" INTEGER NOT NULL,
    "kickUserId" INTEGER NOT NULL,
    "kickUsername" TEXT NOT NULL,
    "kind" "ModerationActionKind" NOT NULL,
    "durationMinutes" INTEGER,
    "source" TEXT NOT NULL,
    "filter" TEXT,
    "reason" TEXT,
    "kickMessageId" TEXT,
    "excerpt" TEXT,
    "discordUserId" TEXT,
    "status" "ModerationActionStatus" NOT NULL,
    "error" TEXT,
    "falsePositive" BOOLEAN NOT NULL DEFAULT false,
    "falsePositiveBy" TEXT,
    "modLogChannelId" TEXT,
    "modLogMessageId" TEXT,
    "idempotencyKey" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ModerationAction_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ChatFilterTerm_guildId_mode_pattern_key" ON "ChatFilterTerm"("guildId", "mode", "pattern");

-- CreateIndex
CREATE INDEX "ModerationAction_guildId_createdAt_idx" ON "ModerationAction"("guildId", "createdAt");

-- CreateIndex
CREATE INDEX "ModerationAction_guildId_kickUserId_idx" ON "ModerationAction"("guildId", "kickUserId");

-- CreateIndex
CREATE UNIQUE INDEX "ModerationAction_guildId_idempotencyKey_key" ON "ModerationAction"("guildId", "idempotencyKey");

-- AddForeignKey
ALTER TABLE "ChatFilterSettings" ADD CONSTRAINT "ChatFilterSettings_guildId_fkey" FOREIGN KEY ("guildId") REFERENCES "Guild"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChatFilterTerm" ADD CONSTRAINT "ChatFilterTerm_guildId_fkey" FOREIGN KEY ("guildId") REFERENCES "Guild"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ModerationAction" ADD CONSTRAINT "ModerationAction_guildId_fkey" FOREIGN KEY ("guildId") REFERENCES "Guild"("id") ON DELETE CASCADE ON UPDATE CASCADE;
