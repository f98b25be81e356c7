-- CreateTable
CREATE TABLE "DiscordRoleConnection" (
    "discordUserId" TEXT NOT NULL,
    "discordUsername" TEXT NOT NULL,
    "accessTokenEnc" TEXT NOT NULL,
    "refreshTokenEnc" TEXT NOT NULL,
    "scopes" TEXT[],
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "written" JSONB,
    "writtenAt" TIMESTAMP(3),
    "checkedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DiscordRoleConnection_pkey" PRIMARY KEY ("discordUserId")
);

-- CreateIndex
CREATE INDEX "DiscordRoleConnection_checkedAt_idx" ON "DiscordRoleConnection"("checkedAt");

-- CreateIndex
CREATE INDEX "ViewerStats_kickUserId_idx" ON "ViewerStats"("kickUserId");
