-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "refundedAmount" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "OrderLine" ADD COLUMN     "refundedAmount" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "PostPurchaseAcceptance" (
    "id" SERIAL NOT NULL,
    "shopId" TEXT NOT NULL,
    "referenceId" TEXT NOT NULL,
    "variantId" TEXT NOT NULL,
    "purchaseLines" TEXT NOT NULL,
    "signedAt" TIMESTAMP(3) NOT NULL,
    "orderShopifyId" TEXT,

    CONSTRAINT "PostPurchaseAcceptance_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PostPurchaseAcceptance_shopId_signedAt_idx" ON "PostPurchaseAcceptance"("shopId", "signedAt");

-- CreateIndex
CREATE UNIQUE INDEX "PostPurchaseAcceptance_shopId_referenceId_variantId_key" ON "PostPurchaseAcceptance"("shopId", "referenceId", "variantId");

-- AddForeignKey
ALTER TABLE "PostPurchaseAcceptance" ADD CONSTRAINT "PostPurchaseAcceptance_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

