-- DropIndex
DROP INDEX "Product_shopId_id_idx";

-- DropIndex
DROP INDEX "Variant_productId_idx";

-- AlterTable, edited by hand: a title of printable ASCII alone is folded here (translate, not
-- lower(), which follows the server's locale: Turkish lower-cases I to a dotless i). Any other is
-- left '' for the app to fold with toLowerCase when it starts (foldStoredProductTitles): titles
-- are never empty.
ALTER TABLE "Product" ADD COLUMN     "titleFolded" TEXT NOT NULL DEFAULT '';
UPDATE "Product" SET "titleFolded" = translate("title", 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') WHERE "title" !~ '[^ -~]';
ALTER TABLE "Product" ALTER COLUMN "titleFolded" DROP DEFAULT;

-- CreateIndex
CREATE INDEX "Product_shopId_id_search_idx" ON "Product"("shopId", "id", "titleFolded", "title", "handle", "shopifyId");

-- CreateIndex
CREATE INDEX "Variant_productId_shopId_idx" ON "Variant"("productId", "shopId");

