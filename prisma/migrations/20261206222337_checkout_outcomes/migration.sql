-- AlterTable
ALTER TABLE "PostPurchaseAcceptance" ADD COLUMN "signedToken" TEXT;

-- CreateTable
CREATE TABLE "CheckoutOutcome" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shopId" TEXT NOT NULL,
    "surface" TEXT NOT NULL,
    "referenceId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "CheckoutOutcome_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "CheckoutOutcome_shopId_surface_referenceId_key" ON "CheckoutOutcome"("shopId", "surface", "referenceId");

