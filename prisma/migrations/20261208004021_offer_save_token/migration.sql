-- AlterTable
ALTER TABLE "Offer" ADD COLUMN "saveBasedOn" DATETIME;
ALTER TABLE "Offer" ADD COLUMN "saveToken" TEXT;

