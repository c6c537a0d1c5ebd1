-- Written by hand instead of Prisma's table rebuild: SQLite adds a column with a constant default
-- in place, without copying a WebhookDelivery table that may hold a million rows.

-- AlterTable
ALTER TABLE "WebhookDelivery" ADD COLUMN "customerRedacted" BOOLEAN NOT NULL DEFAULT false;
