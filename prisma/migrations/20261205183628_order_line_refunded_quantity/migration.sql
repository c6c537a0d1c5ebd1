-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_OrderLine" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shopId" TEXT NOT NULL,
    "orderId" INTEGER NOT NULL,
    "productId" INTEGER,
    "variantId" INTEGER,
    "shopifyProductId" TEXT,
    "shopifyVariantId" TEXT,
    "sku" TEXT,
    "title" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "unitPriceAmount" INTEGER NOT NULL,
    "discountAmount" INTEGER NOT NULL DEFAULT 0,
    "refundedAmount" INTEGER NOT NULL DEFAULT 0,
    "refundedQuantity" INTEGER NOT NULL DEFAULT 0,
    "currency" TEXT NOT NULL,
    "upshelfOffer" TEXT,
    "upshelfPlacement" TEXT,
    CONSTRAINT "OrderLine_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "OrderLine_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "OrderLine_productId_fkey" FOREIGN KEY ("productId") REFERENCES "Product" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "OrderLine_variantId_fkey" FOREIGN KEY ("variantId") REFERENCES "Variant" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_OrderLine" ("currency", "discountAmount", "id", "orderId", "productId", "quantity", "refundedAmount", "shopId", "shopifyProductId", "shopifyVariantId", "sku", "title", "unitPriceAmount", "upshelfOffer", "upshelfPlacement", "variantId") SELECT "currency", "discountAmount", "id", "orderId", "productId", "quantity", "refundedAmount", "shopId", "shopifyProductId", "shopifyVariantId", "sku", "title", "unitPriceAmount", "upshelfOffer", "upshelfPlacement", "variantId" FROM "OrderLine";
DROP TABLE "OrderLine";
ALTER TABLE "new_OrderLine" RENAME TO "OrderLine";
CREATE INDEX "OrderLine_orderId_idx" ON "OrderLine"("orderId");
CREATE INDEX "OrderLine_shopId_productId_idx" ON "OrderLine"("shopId", "productId");
CREATE INDEX "OrderLine_shopId_upshelfPlacement_idx" ON "OrderLine"("shopId", "upshelfPlacement");
CREATE INDEX "OrderLine_shopId_upshelfOffer_idx" ON "OrderLine"("shopId", "upshelfOffer");
CREATE INDEX "OrderLine_shopId_shopifyVariantId_idx" ON "OrderLine"("shopId", "shopifyVariantId");
CREATE INDEX "OrderLine_shopId_shopifyProductId_idx" ON "OrderLine"("shopId", "shopifyProductId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

