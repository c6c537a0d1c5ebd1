-- AlterTable
ALTER TABLE "Product" ADD COLUMN "sourceUpdatedAt" DATETIME;

-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "sourceUpdatedAt" DATETIME;

-- CreateTable
CREATE TABLE "DeletedProduct" (
    "shopId" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "deletedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("shopId", "shopifyId"),
    CONSTRAINT "DeletedProduct_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

