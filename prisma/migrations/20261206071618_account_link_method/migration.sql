-- CreateEnum
CREATE TYPE "AccountLinkMethod" AS ENUM ('code', 'oauth');

-- AlterTable
ALTER TABLE "AccountLink" ADD COLUMN     "method" "AccountLinkMethod" NOT NULL DEFAULT 'code';
