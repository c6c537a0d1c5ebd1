-- AlterTable
ALTER TABLE "DiscountSync" ADD COLUMN     "shopifyEndsAt" TIMESTAMP(3);

