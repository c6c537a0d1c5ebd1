-- CreateTable
CREATE TABLE "RankingSnapshotPart" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "snapshotId" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "data" TEXT NOT NULL,
    CONSTRAINT "RankingSnapshotPart_snapshotId_fkey" FOREIGN KEY ("snapshotId") REFERENCES "RankingSnapshot" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- Each existing snapshot becomes one part, and stays served (hand-written, as `complete` below).
INSERT INTO "RankingSnapshotPart" ("snapshotId", "position", "data") SELECT "id", 0, "data" FROM "RankingSnapshot";

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_RankingSnapshot" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shopId" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "builtAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "orderCount" INTEGER NOT NULL,
    "productCount" INTEGER NOT NULL,
    "complete" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "RankingSnapshot_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_RankingSnapshot" ("builtAt", "id", "orderCount", "productCount", "shopId", "version", "complete", "createdAt") SELECT "builtAt", "id", "orderCount", "productCount", "shopId", "version", 1, "builtAt" FROM "RankingSnapshot";
DROP TABLE "RankingSnapshot";
ALTER TABLE "new_RankingSnapshot" RENAME TO "RankingSnapshot";
CREATE INDEX "RankingSnapshot_shopId_builtAt_idx" ON "RankingSnapshot"("shopId", "builtAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "RankingSnapshotPart_snapshotId_position_key" ON "RankingSnapshotPart"("snapshotId", "position");

