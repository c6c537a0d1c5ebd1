-- AlterTable
ALTER TABLE "WebhookDelivery" ADD COLUMN "leaseUntil" DATETIME;

