-- DropIndex
DROP INDEX "Order_shopId_placedAt_idx";

-- DropIndex
DROP INDEX "OrderLine_orderId_idx";

-- DropIndex
DROP INDEX "WidgetEvent_shopId_occurredAt_idx";

-- DropIndex
DROP INDEX "WidgetEvent_shopId_placement_kind_idx";

-- CreateIndex
CREATE INDEX "Order_shopId_placedAt_totals_idx" ON "Order"("shopId", "placedAt", "cancelledAt", "currency", "subtotalAmount", "refundedAmount");

-- CreateIndex
CREATE INDEX "OrderLine_orderId_upshelfOffer_upshelfPlacement_idx" ON "OrderLine"("orderId", "upshelfOffer", "upshelfPlacement");

-- CreateIndex
CREATE INDEX "WidgetEvent_shopId_placement_kind_occurredAt_keys_idx" ON "WidgetEvent"("shopId", "placement", "kind", "occurredAt", "productId", "offerId");

-- CreateIndex
CREATE INDEX "WidgetEvent_shopId_productId_kind_occurredAt_idx" ON "WidgetEvent"("shopId", "productId", "kind", "occurredAt");

-- CreateIndex
CREATE INDEX "WidgetEvent_shopId_offerId_kind_occurredAt_idx" ON "WidgetEvent"("shopId", "offerId", "kind", "occurredAt");

