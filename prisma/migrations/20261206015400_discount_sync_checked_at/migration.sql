-- AlterTable
ALTER TABLE "DiscountSync" ADD COLUMN "checkedAt" DATETIME;

