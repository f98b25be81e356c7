-- CreateTable
CREATE TABLE "LeaderboardExclusion" (
    "guildId" TEXT NOT NULL,
    "kickUserId" INTEGER NOT NULL,
    "username" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "reason" TEXT NOT NULL DEFAULT '',
    "expiresAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LeaderboardExclusion_pkey" PRIMARY KEY ("guildId","kickUserId")
);

-- AddForeignKey
ALTER TABLE "LeaderboardExclusion" ADD CONSTRAINT "LeaderboardExclusion_guildId_fkey" FOREIGN KEY ("guildId") REFERENCES "Guild"("id") ON DELETE CASCADE ON UPDATE CASCADE;
