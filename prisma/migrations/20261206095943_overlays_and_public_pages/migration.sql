-- AlterTable
ALTER TABLE "ChatCommand" ADD COLUMN     "publicListed" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "GuildSettings" ADD COLUMN     "publicCommandList" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "publicLeaderboard" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "publicLeaderboardPoints" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "publicLeaderboardWatchtime" BOOLEAN NOT NULL DEFAULT true;

-- CreateTable
CREATE TABLE "OverlayToken" (
    "id" TEXT NOT NULL,
    "guildId" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "OverlayToken_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OverlaySettings" (
    "guildId" TEXT NOT NULL,
    "alerts" JSONB NOT NULL DEFAULT '{}',
    "goal" JSONB NOT NULL DEFAULT '{}',
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OverlaySettings_pkey" PRIMARY KEY ("guildId")
);

-- CreateIndex
CREATE UNIQUE INDEX "OverlayToken_tokenHash_key" ON "OverlayToken"("tokenHash");

-- CreateIndex
CREATE INDEX "OverlayToken_guildId_idx" ON "OverlayToken"("guildId");

-- AddForeignKey
ALTER TABLE "OverlayToken" ADD CONSTRAINT "OverlayToken_guildId_fkey" FOREIGN KEY ("guildId") REFERENCES "Guild"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OverlaySettings" ADD CONSTRAINT "OverlaySettings_guildId_fkey" FOREIGN KEY ("guildId") REFERENCES "Guild"("id") ON DELETE CASCADE ON UPDATE CASCADE;
