-- AlterTable
ALTER TABLE "WidgetEvent" ADD COLUMN "referenceId" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "WidgetEvent_shopId_placement_kind_referenceId_key" ON "WidgetEvent"("shopId", "placement", "kind", "referenceId");

