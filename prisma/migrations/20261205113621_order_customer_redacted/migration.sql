-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Order" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shopId" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "subtotalAmount" INTEGER NOT NULL,
    "totalAmount" INTEGER NOT NULL,
    "discountAmount" INTEGER NOT NULL DEFAULT 0,
    "refundedAmount" INTEGER NOT NULL DEFAULT 0,
    "customerId" TEXT,
    "cancelledAt" DATETIME,
    "placedAt" DATETIME NOT NULL,
    "experimentKey" TEXT,
    "experimentVisitor" TEXT,
    "customerRedacted" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Order_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Order" ("cancelledAt", "createdAt", "currency", "customerId", "discountAmount", "experimentKey", "experimentVisitor", "id", "name", "placedAt", "refundedAmount", "shopId", "shopifyId", "subtotalAmount", "totalAmount", "updatedAt") SELECT "cancelledAt", "createdAt", "currency", "customerId", "discountAmount", "experimentKey", "experimentVisitor", "id", "name", "placedAt", "refundedAmount", "shopId", "shopifyId", "subtotalAmount", "totalAmount", "updatedAt" FROM "Order";
DROP TABLE "Order";
ALTER TABLE "new_Order" RENAME TO "Order";
CREATE INDEX "Order_shopId_placedAt_idx" ON "Order"("shopId", "placedAt");
CREATE INDEX "Order_shopId_customerId_idx" ON "Order"("shopId", "customerId");
CREATE INDEX "Order_shopId_experimentKey_idx" ON "Order"("shopId", "experimentKey");
CREATE UNIQUE INDEX "Order_shopId_shopifyId_key" ON "Order"("shopId", "shopifyId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

