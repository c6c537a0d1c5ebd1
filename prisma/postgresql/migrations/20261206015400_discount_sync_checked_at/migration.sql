-- AlterTable
ALTER TABLE "DiscountSync" ADD COLUMN     "checkedAt" TIMESTAMP(3);

