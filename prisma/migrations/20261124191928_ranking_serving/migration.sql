-- CreateTable
CREATE TABLE "RankingSnapshot" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shopId" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "builtAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "orderCount" INTEGER NOT NULL,
    "productCount" INTEGER NOT NULL,
    "data" TEXT NOT NULL,
    CONSTRAINT "RankingSnapshot_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RecommendationRule" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shopId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "anchorProductId" TEXT NOT NULL DEFAULT '',
    "productId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "RecommendationRule_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "WidgetEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shopId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "placement" TEXT NOT NULL,
    "anchorProductId" TEXT,
    "productId" TEXT NOT NULL,
    "offerId" TEXT,
    "propensity" REAL,
    "modelVersion" TEXT,
    "occurredAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "WidgetEvent_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
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

