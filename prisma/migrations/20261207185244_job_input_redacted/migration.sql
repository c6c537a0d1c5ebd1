-- Written by hand instead of Prisma's table rebuild: SQLite adds a column with a constant default
-- in place, without copying a Job table whose imports may hold uploaded files of up to 50 MB.

-- AlterTable
ALTER TABLE "Job" ADD COLUMN "inputRedacted" BOOLEAN NOT NULL DEFAULT false;
