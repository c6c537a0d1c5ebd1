-- CreateTable
CREATE TABLE "CustomerRedaction" (
    "id" SERIAL NOT NULL,
    "shopId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "redactedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CustomerRedaction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RedactedOrder" (
    "redactionId" INTEGER NOT NULL,
    "shopId" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,

    CONSTRAINT "RedactedOrder_pkey" PRIMARY KEY ("redactionId","shopifyId")
);

-- CreateIndex
CREATE INDEX "CustomerRedaction_shopId_customerId_redactedAt_idx" ON "CustomerRedaction"("shopId", "customerId", "redactedAt");

-- CreateIndex
CREATE INDEX "RedactedOrder_shopId_shopifyId_idx" ON "RedactedOrder"("shopId", "shopifyId");

-- AddForeignKey
ALTER TABLE "CustomerRedaction" ADD CONSTRAINT "CustomerRedaction_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RedactedOrder" ADD CONSTRAINT "RedactedOrder_redactionId_fkey" FOREIGN KEY ("redactionId") REFERENCES "CustomerRedaction"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RedactedOrder" ADD CONSTRAINT "RedactedOrder_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

