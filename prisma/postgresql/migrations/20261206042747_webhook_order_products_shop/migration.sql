-- AlterTable
ALTER TABLE "Product" ADD COLUMN     "sourceUpdatedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "sourceUpdatedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "DeletedProduct" (
    "shopId" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "deletedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DeletedProduct_pkey" PRIMARY KEY ("shopId","shopifyId")
);

-- AddForeignKey
ALTER TABLE "DeletedProduct" ADD CONSTRAINT "DeletedProduct_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

