-- CreateTable
CREATE TABLE "CustomerRedaction" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shopId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "redactedAt" DATETIME NOT NULL,
    CONSTRAINT "CustomerRedaction_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RedactedOrder" (
    "redactionId" INTEGER NOT NULL,
    "shopId" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,

    PRIMARY KEY ("redactionId", "shopifyId"),
    CONSTRAINT "RedactedOrder_redactionId_fkey" FOREIGN KEY ("redactionId") REFERENCES "CustomerRedaction" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "RedactedOrder_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "CustomerRedaction_shopId_customerId_redactedAt_idx" ON "CustomerRedaction"("shopId", "customerId", "redactedAt");

-- CreateIndex
CREATE INDEX "RedactedOrder_shopId_shopifyId_idx" ON "RedactedOrder"("shopId", "shopifyId");

