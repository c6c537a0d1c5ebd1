-- CreateTable
CREATE TABLE "RankingSnapshotPart" (
    "id" SERIAL NOT NULL,
    "snapshotId" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "data" TEXT NOT NULL,

    CONSTRAINT "RankingSnapshotPart_pkey" PRIMARY KEY ("id")
);

-- Each existing snapshot becomes one part, and stays served (hand-written, as the UPDATE below).
INSERT INTO "RankingSnapshotPart" ("snapshotId", "position", "data") SELECT "id", 0, "data" FROM "RankingSnapshot";

-- AlterTable
ALTER TABLE "RankingSnapshot" DROP COLUMN "data",
ADD COLUMN     "complete" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

UPDATE "RankingSnapshot" SET "complete" = true, "createdAt" = "builtAt";

-- CreateIndex
CREATE UNIQUE INDEX "RankingSnapshotPart_snapshotId_position_key" ON "RankingSnapshotPart"("snapshotId", "position");

-- AddForeignKey
ALTER TABLE "RankingSnapshotPart" ADD CONSTRAINT "RankingSnapshotPart_snapshotId_fkey" FOREIGN KEY ("snapshotId") REFERENCES "RankingSnapshot"("id") ON DELETE CASCADE ON UPDATE CASCADE;
