-- AlterTable
ALTER TABLE "Job" ADD COLUMN     "inputRedacted" BOOLEAN NOT NULL DEFAULT false;

