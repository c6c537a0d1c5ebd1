-- CreateTable
CREATE TABLE "RankingSnapshot" (
    "id" SERIAL NOT NULL,
    "shopId" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "builtAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "orderCount" INTEGER NOT NULL,
    "productCount" INTEGER NOT NULL,
    "data" TEXT NOT NULL,

    CONSTRAINT "RankingSnapshot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RecommendationRule" (
    "id" SERIAL NOT NULL,
    "shopId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "anchorProductId" TEXT NOT NULL DEFAULT '',
    "productId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RecommendationRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WidgetEvent" (
    "id" SERIAL NOT NULL,
    "shopId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "placement" TEXT NOT NULL,
    "anchorProductId" TEXT,
    "productId" TEXT NOT NULL,
    "offerId" TEXT,
    "propensity" DOUBLE PRECISION,
    "modelVersion" TEXT,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WidgetEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RankingSnapshot_shopId_builtAt_idx" ON "RankingSnapshot"("shopId", "builtAt");

-- CreateIndex
CREATE INDEX "RecommendationRule_shopId_productId_idx" ON "RecommendationRule"("shopId", "productId");

-- CreateIndex
CREATE UNIQUE INDEX "RecommendationRule_shopId_kind_anchorProductId_productId_key" ON "RecommendationRule"("shopId", "kind", "anchorProductId", "productId");

-- CreateIndex
CREATE INDEX "WidgetEvent_shopId_occurredAt_idx" ON "WidgetEvent"("shopId", "occurredAt");

-- CreateIndex
CREATE INDEX "WidgetEvent_shopId_placement_kind_idx" ON "WidgetEvent"("shopId", "placement", "kind");

-- AddForeignKey
ALTER TABLE "RankingSnapshot" ADD CONSTRAINT "RankingSnapshot_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RecommendationRule" ADD CONSTRAINT "RecommendationRule_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WidgetEvent" ADD CONSTRAINT "WidgetEvent_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

