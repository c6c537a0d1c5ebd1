import { describe, expect, it } from "vitest";
import db from "~/db.server";
import { createCsvOnlyTestProduct, createTestProduct } from "../../tests/factories/catalog";
import { createTestShop } from "../../tests/factories/shop";
import { listProductCards } from "./catalog.server";

describe("product cards", () => {
  it("never shows buyers a product known only from a products CSV, whatever its file said", async () => {
    const shopId = (await createTestShop()).id;
    const real = await createTestProduct(shopId, { title: "Wool Throw", price: 4000 });
    await createCsvOnlyTestProduct(shopId, { handle: "wool-cushion", title: "Wool Cushion", sku: "CUSH", price: 2500 });
    const cards = await listProductCards(shopId);
    expect(Object.fromEntries(cards.map((card) => [card.productId, card.published]))).toEqual({ [real.shopifyId]: true, "csv:wool-cushion": false });
  });

  it("offers a Shopify product only by Shopify's variants: a CSV-keyed variant on it is neither offered nor counted as stock", async () => {
    const shopId = (await createTestShop()).id;
    // Synced from Shopify and sold out there; an older import once hung an in-stock file variant on it.
    const mug = await createTestProduct(shopId, { title: "Blue Mug", price: 1200, inventory: 0 });
    const row = await db.product.findUniqueOrThrow({ where: { shopId_shopifyId: { shopId, shopifyId: mug.shopifyId } } });
    await db.variant.create({
      data: { shopId, productId: row.id, shopifyId: `csv:${row.handle}/MUG-L`, title: "Large", sku: "MUG-L", priceAmount: 1500, currency: "USD", inventoryQuantity: 7 },
    });
    const [card] = await listProductCards(shopId);
    expect(card).toMatchObject({ productId: mug.shopifyId, variantId: mug.variantShopifyId, price: 1200, available: false });
  });

  it("keeps offering file variants where the file is the catalog: a CSV-only product, and the demo shop", async () => {
    const csvShop = (await createTestShop()).id;
    const cushion = await createCsvOnlyTestProduct(csvShop, { handle: "wool-cushion", title: "Wool Cushion", sku: "CUSH", price: 2500 });
    expect((await listProductCards(csvShop))[0]).toMatchObject({ variantId: cushion.variantShopifyId, price: 2500, available: true });

    // The demo shop is seeded from a file with made-up ids and nothing syncs it: a variant its
    // merchant imported is as much the catalog as the seeded ones.
    const demo = await createTestShop();
    await db.shop.update({ where: { id: demo.id }, data: { isDemo: true } });
    const globe = await createTestProduct(demo.id, { title: "Globe", price: 85, inventory: 0 });
    const row = await db.product.findUniqueOrThrow({ where: { shopId_shopifyId: { shopId: demo.id, shopifyId: globe.shopifyId } } });
    await db.variant.create({
      data: { shopId: demo.id, productId: row.id, shopifyId: `csv:${row.handle}/GLOBE-L`, title: "Large", sku: "GLOBE-L", priceAmount: 120, currency: "USD", inventoryQuantity: 3 },
    });
    expect((await listProductCards(demo.id))[0]).toMatchObject({ variantId: `csv:${row.handle}/GLOBE-L`, price: 120, available: true });
  });
});
