-- CreateIndex
CREATE INDEX "OrderLine_shopId_upshelfOffer_idx" ON "OrderLine"("shopId", "upshelfOffer");

