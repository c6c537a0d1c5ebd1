-- AlterTable
ALTER TABLE "Offer" ADD COLUMN     "saveBasedOn" TIMESTAMP(3),
ADD COLUMN     "saveToken" TEXT;

