-- AlterTable
ALTER TABLE "DiscountSync" ADD COLUMN "shopifyEndsAt" DATETIME;

