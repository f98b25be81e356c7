-- CreateEnum
CREATE TYPE "RoleTierMode" AS ENUM ('highest', 'stack');

-- CreateEnum
CREATE TYPE "RoleTierKind" AS ENUM ('watchtime', 'points');

-- AlterTable
ALTER TABLE "GuildSettings" ADD COLUMN     "roleRewardBadges" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateTable
CREATE TABLE "RoleRewardSettings" (
    "guildId" TEXT NOT NULL,
    "subscriberRoleId" TEXT,
    "tierMode" "RoleTierMode" NOT NULL DEFAULT 'highest',
    "modLogChannelId" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RoleRewardSettings_pkey" PRIMARY KEY ("guildId")
);

-- CreateTable
CREATE TABLE "RoleRewardTier" (
    "guildId" TEXT NOT NULL,
    "kind" "RoleTierKind" NOT NULL,
    "threshold" INTEGER NOT NULL,
    "roleId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RoleRewardTier_pkey" PRIMARY KEY ("guildId","kind","threshold")
);

-- CreateTable
CREATE TABLE "RoleRewardBadge" (
    "guildId" TEXT NOT NULL,
    "badge" TEXT NOT NULL,
    "roleId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RoleRewardBadge_pkey" PRIMARY KEY ("guildId","badge")
);

-- CreateTable
CREATE TABLE "RoleRewardSubscription" (
    "guildId" TEXT NOT NULL,
    "kickUserId" INTEGER NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RoleRewardSubscription_pkey" PRIMARY KEY ("guildId","kickUserId")
);

-- CreateTable
CREATE TABLE "RoleRewardMember" (
    "guildId" TEXT NOT NULL,
    "discordUserId" TEXT NOT NULL,
    "kickUserId" INTEGER NOT NULL,
    "roleIds" TEXT[],
    "syncedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RoleRewardMember_pkey" PRIMARY KEY ("guildId","discordUserId")
);

-- CreateIndex
CREATE INDEX "RoleRewardSubscription_expiresAt_idx" ON "RoleRewardSubscription"("expiresAt");

-- CreateIndex
CREATE INDEX "RoleRewardMember_guildId_kickUserId_idx" ON "RoleRewardMember"("guildId", "kickUserId");

-- AddForeignKey
ALTER TABLE "RoleRewardSettings" ADD CONSTRAINT "RoleRewardSettings_guildId_fkey" FOREIGN KEY ("guildId") REFERENCES "Guild"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoleRewardTier" ADD CONSTRAINT "RoleRewardTier_guildId_fkey" FOREIGN KEY ("guildId") REFERENCES "Guild"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoleRewardBadge" ADD CONSTRAINT "RoleRewardBadge_guildId_fkey" FOREIGN KEY ("guildId") REFERENCES "Guild"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoleRewardSubscription" ADD CONSTRAINT "RoleRewardSubscription_guildId_fkey" FOREIGN KEY ("guildId") REFERENCES "Guild"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RoleRewardMember" ADD CONSTRAINT "RoleRewardMember_guildId_fkey" FOREIGN KEY ("guildId") REFERENCES "Guild"("id") ON DELETE CASCADE ON UPDATE CASCADE;
