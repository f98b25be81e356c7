-- AlterTable
ALTER TABLE "ViewerStats" ADD COLUMN     "carryHundredths" INTEGER NOT NULL DEFAULT 0;
