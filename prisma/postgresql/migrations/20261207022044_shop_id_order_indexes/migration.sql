-- CreateIndex
CREATE INDEX "Product_shopId_id_idx" ON "Product"("shopId", "id");

-- CreateIndex
CREATE INDEX "WebhookDelivery_shopId_id_idx" ON "WebhookDelivery"("shopId", "id");

-- CreateIndex
CREATE INDEX "WidgetEvent_shopId_id_idx" ON "WidgetEvent"("shopId", "id");
