-- CreateTable
CREATE TABLE "DashboardManagerRole" (
    "guildId" TEXT NOT NULL,
    "roleId" TEXT NOT NULL,
    "addedBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DashboardManagerRole_pkey" PRIMARY KEY ("guildId","roleId")
);

-- CreateTable
CREATE TABLE "AuditLogEntry" (
    "id" TEXT NOT NULL,
    "guildId" TEXT NOT NULL,
    "actorId" TEXT NOT NULL,
    "actorName" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "detail" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditLogEntry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AuditLogEntry_guildId_createdAt_idx" ON "AuditLogEntry"("guildId", "createdAt");

-- CreateIndex
CREATE INDEX "AuditLogEntry_guildId_actorId_createdAt_idx" ON "AuditLogEntry"("guildId", "actorId", "createdAt");

-- AddForeignKey
ALTER TABLE "DashboardManagerRole" ADD CONSTRAINT "DashboardManagerRole_guildId_fkey" FOREIGN KEY ("guildId") REFERENCES "Guild"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuditLogEntry" ADD CONSTRAINT "AuditLogEntry_guildId_fkey" FOREIGN KEY ("guildId") REFERENCES "Guild"("id") ON DELETE CASCADE ON UPDATE CASCADE;
