-- DropIndex
DROP INDEX "WebhookDelivery_status_receivedAt_idx";

-- CreateIndex
CREATE INDEX "WebhookDelivery_status_shopId_receivedAt_idx" ON "WebhookDelivery"("status", "shopId", "receivedAt");
