-- AlterTable
ALTER TABLE "Job" ADD COLUMN "inputKeptUntil" DATETIME;

