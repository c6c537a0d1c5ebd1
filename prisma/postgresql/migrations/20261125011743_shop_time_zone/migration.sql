-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "timeZone" TEXT NOT NULL DEFAULT 'UTC';

