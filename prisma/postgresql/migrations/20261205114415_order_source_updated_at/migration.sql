-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "sourceUpdatedAt" TIMESTAMP(3);

