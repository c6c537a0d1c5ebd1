-- AlterTable
ALTER TABLE "WebhookDelivery" ADD COLUMN     "customerRedacted" BOOLEAN NOT NULL DEFAULT false;
