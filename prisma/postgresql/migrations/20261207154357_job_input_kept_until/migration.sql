-- AlterTable
ALTER TABLE "Job" ADD COLUMN     "inputKeptUntil" TIMESTAMP(3);

