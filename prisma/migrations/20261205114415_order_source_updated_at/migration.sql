-- AlterTable
ALTER TABLE "Order" ADD COLUMN "sourceUpdatedAt" DATETIME;

