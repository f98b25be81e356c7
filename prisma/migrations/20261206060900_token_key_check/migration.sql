-- CreateTable
CREATE TABLE "TokenKeyCheck" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "value" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TokenKeyCheck_pkey" PRIMARY KEY ("id")
);
