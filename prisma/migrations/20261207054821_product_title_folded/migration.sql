-- DropIndex
DROP INDEX "Variant_productId_idx";

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Product" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shopId" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "handle" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "titleFolded" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "productType" TEXT NOT NULL DEFAULT '',
    "vendor" TEXT NOT NULL DEFAULT '',
    "tags" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL DEFAULT 'active',
    "publishedAt" DATETIME,
    "imageUrl" TEXT,
    "sourceUpdatedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Product_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
-- Edited by hand: a title of printable ASCII alone is folded here (SQLite's lower() changes only
-- ASCII letters, as toLowerCase does for them). Any other is left '' for the app to fold with
-- toLowerCase when it starts (foldStoredProductTitles): titles are never empty.
INSERT INTO "new_Product" ("createdAt", "description", "handle", "id", "imageUrl", "productType", "publishedAt", "shopId", "shopifyId", "sourceUpdatedAt", "status", "tags", "title", "titleFolded", "updatedAt", "vendor") SELECT "createdAt", "description", "handle", "id", "imageUrl", "productType", "publishedAt", "shopId", "shopifyId", "sourceUpdatedAt", "status", "tags", "title", CASE WHEN "title" NOT GLOB '*[^ -~]*' THEN lower("title") ELSE '' END, "updatedAt", "vendor" FROM "Product";
DROP TABLE "Product";
ALTER TABLE "new_Product" RENAME TO "Product";
CREATE INDEX "Product_shopId_productType_idx" ON "Product"("shopId", "productType");
CREATE INDEX "Product_shopId_id_search_idx" ON "Product"("shopId", "id", "titleFolded", "title", "handle", "shopifyId");
CREATE UNIQUE INDEX "Product_shopId_shopifyId_key" ON "Product"("shopId", "shopifyId");
CREATE UNIQUE INDEX "Product_shopId_handle_key" ON "Product"("shopId", "handle");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Variant_productId_shopId_idx" ON "Variant"("productId", "shopId");

