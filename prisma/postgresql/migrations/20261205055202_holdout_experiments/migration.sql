-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "experimentKey" TEXT,
ADD COLUMN     "experimentVisitor" TEXT;

-- CreateTable
CREATE TABLE "Experiment" (
    "id" SERIAL NOT NULL,
    "shopId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "holdoutBasisPoints" INTEGER NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "endedAt" TIMESTAMP(3),
    "runningSlot" INTEGER DEFAULT 1,

    CONSTRAINT "Experiment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ExperimentVisitor" (
    "id" SERIAL NOT NULL,
    "shopId" TEXT NOT NULL,
    "experimentId" INTEGER NOT NULL,
    "visitorKey" TEXT NOT NULL,
    "group" TEXT NOT NULL,
    "firstSeenAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ExperimentVisitor_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Experiment_shopId_startedAt_idx" ON "Experiment"("shopId", "startedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Experiment_shopId_key_key" ON "Experiment"("shopId", "key");

-- CreateIndex
CREATE UNIQUE INDEX "Experiment_shopId_runningSlot_key" ON "Experiment"("shopId", "runningSlot");

-- CreateIndex
CREATE INDEX "ExperimentVisitor_shopId_experimentId_group_idx" ON "ExperimentVisitor"("shopId", "experimentId", "group");

-- CreateIndex
CREATE UNIQUE INDEX "ExperimentVisitor_experimentId_visitorKey_key" ON "ExperimentVisitor"("experimentId", "visitorKey");

-- CreateIndex
CREATE INDEX "Order_shopId_experimentKey_idx" ON "Order"("shopId", "experimentKey");

-- AddForeignKey
ALTER TABLE "Experiment" ADD CONSTRAINT "Experiment_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExperimentVisitor" ADD CONSTRAINT "ExperimentVisitor_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExperimentVisitor" ADD CONSTRAINT "ExperimentVisitor_experimentId_fkey" FOREIGN KEY ("experimentId") REFERENCES "Experiment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

