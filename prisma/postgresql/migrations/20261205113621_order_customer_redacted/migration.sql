-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "customerRedacted" BOOLEAN NOT NULL DEFAULT false;

