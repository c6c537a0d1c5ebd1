-- AlterTable
ALTER TABLE "OrderLine" ADD COLUMN     "refundedQuantity" INTEGER NOT NULL DEFAULT 0;

