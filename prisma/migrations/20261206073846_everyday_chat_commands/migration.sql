-- AlterTable
ALTER TABLE "GuildSettings" ADD COLUMN     "builtinCommands" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "quoteAddLevel" "UserLevel" NOT NULL DEFAULT 'moderator';

-- CreateTable
CREATE TABLE "Quote" (
    "id" TEXT NOT NULL,
    "guildId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "category" TEXT,
    "addedByName" TEXT NOT NULL,
    "addedByKickUserId" INTEGER,
    "sourceMessageId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Quote_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChatCounter" (
    "id" TEXT NOT NULL,
    "guildId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "value" INTEGER NOT NULL DEFAULT 0,
    "createdByDiscordId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ChatCounter_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChatCounterChange" (
    "counterId" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "delta" INTEGER NOT NULL,
    "valueAfter" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ChatCounterChange_pkey" PRIMARY KEY ("counterId","messageId")
);

-- CreateTable
CREATE TABLE "ViewerFollow" (
    "guildId" TEXT NOT NULL,
    "kickUserId" INTEGER NOT NULL,
    "username" TEXT NOT NULL,
    "firstSeenAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ViewerFollow_pkey" PRIMARY KEY ("guildId","kickUserId")
);

-- CreateIndex
CREATE UNIQUE INDEX "Quote_guildId_number_key" ON "Quote"("guildId", "number");

-- CreateIndex
CREATE UNIQUE INDEX "Quote_guildId_sourceMessageId_key" ON "Quote"("guildId", "sourceMessageId");

-- CreateIndex
CREATE UNIQUE INDEX "ChatCounter_guildId_name_key" ON "ChatCounter"("guildId", "name");

-- CreateIndex
CREATE INDEX "ViewerFollow_guildId_username_idx" ON "ViewerFollow"("guildId", "username");

-- AddForeignKey
ALTER TABLE "Quote" ADD CONSTRAINT "Quote_guildId_fkey" FOREIGN KEY ("guildId") REFERENCES "Guild"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChatCounter" ADD CONSTRAINT "ChatCounter_guildId_fkey" FOREIGN KEY ("guildId") REFERENCES "Guild"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChatCounterChange" ADD CONSTRAINT "ChatCounterChange_counterId_fkey" FOREIGN KEY ("counterId") REFERENCES "ChatCounter"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ViewerFollow" ADD CONSTRAINT "ViewerFollow_guildId_fkey" FOREIGN KEY ("guildId") REFERENCES "Guild"("id") ON DELETE CASCADE ON UPDATE CASCADE;
