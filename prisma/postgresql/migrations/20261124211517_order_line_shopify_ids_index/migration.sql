-- CreateIndex
CREATE INDEX "OrderLine_shopId_shopifyVariantId_idx" ON "OrderLine"("shopId", "shopifyVariantId");

-- CreateIndex
CREATE INDEX "OrderLine_shopId_shopifyProductId_idx" ON "OrderLine"("shopId", "shopifyProductId");

