-- AlterTable
ALTER TABLE "Job" ADD COLUMN "leaseUntil" DATETIME;

