-- AlterTable
ALTER TABLE "CheckoutOutcome" ADD COLUMN "purchaseDigest" TEXT;
ALTER TABLE "CheckoutOutcome" ADD COLUMN "thankYouReferenceId" TEXT;

-- CreateIndex
CREATE INDEX "CheckoutOutcome_shopId_surface_purchaseDigest_createdAt_idx" ON "CheckoutOutcome"("shopId", "surface", "purchaseDigest", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "CheckoutOutcome_shopId_thankYouReferenceId_key" ON "CheckoutOutcome"("shopId", "thankYouReferenceId");

