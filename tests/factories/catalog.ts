import { foldForSearch } from "~/core/catalog-search";
import db from "~/db.server";

let nextId = 1_000;

export interface TestProduct {
  id: number;
  shopifyId: string;
  variantShopifyId: string;
  title: string;
}

/** A product with one variant in the shop's catalog; ids are unique across the test run. */
export async function createTestProduct(
  shopId: string,
  input: { title: string; price: number; currency?: string; productType?: string; inventory?: number | null },
): Promise<TestProduct> {
  const shopifyId = String(++nextId + process.pid * 100_000);
  const variantShopifyId = `${shopifyId}1`;
  const product = await db.product.create({
    data: {
      shopId,
      shopifyId,
      handle: `${input.title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}-${shopifyId}`,
      title: input.title,
      titleFolded: foldForSearch(input.title),
      productType: input.productType ?? "",
      publishedAt: new Date("2024-01-01T00:00:00Z"),
      variants: {
        create: {
          shopId,
          shopifyId: variantShopifyId,
          priceAmount: input.price,
          currency: input.currency ?? "USD",
          inventoryQuantity: input.inventory === undefined ? 10 : input.inventory,
        },
      },
    },
  });
  return { id: product.id, shopifyId, variantShopifyId, title: input.title };
}

/**
 * A product known only from a products CSV (keys `csv:<handle>` and `csv:<handle>/<sku>`), active
 * and published as its file said: not in Shopify, so never shown to buyers or offered.
 */
export async function createCsvOnlyTestProduct(
  shopId: string,
  input: { handle: string; title: string; sku: string; price: number; currency?: string },
): Promise<TestProduct> {
  const shopifyId = `csv:${input.handle}`;
  const variantShopifyId = `${shopifyId}/${input.sku}`;
  const product = await db.product.create({
    data: {
      shopId,
      shopifyId,
      handle: input.handle,
      title: input.title,
      titleFolded: foldForSearch(input.title),
      publishedAt: new Date("2024-01-01T00:00:00Z"),
      variants: { create: { shopId, shopifyId: variantShopifyId, sku: input.sku, priceAmount: input.price, currency: input.currency ?? "USD" } },
    },
  });
  return { id: product.id, shopifyId, variantShopifyId, title: input.title };
}

/** An order containing one unit of each product, placed at the given time. */
export async function createTestOrder(shopId: string, products: TestProduct[], placedAt: Date, shopifyId?: string) {
  const id = shopifyId ?? String(++nextId + process.pid * 100_000);
  return db.order.create({
    data: {
      shopId,
      shopifyId: id,
      name: `#${id}`,
      currency: "USD",
      // What its lines cost: each is one unit at 10.00.
      subtotalAmount: 1000 * products.length,
      totalAmount: 1000 * products.length,
      placedAt,
      lines: {
        create: products.map((product) => ({
          shopId,
          productId: product.id,
          shopifyProductId: product.shopifyId,
          shopifyVariantId: product.variantShopifyId,
          title: product.title,
          quantity: 1,
          unitPriceAmount: 1000,
          currency: "USD",
        })),
      },
    },
  });
}
