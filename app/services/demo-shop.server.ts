import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { z } from "zod";
import { foldForSearch } from "~/core/catalog-search";
import { isKnownTimeZone } from "~/core/shop-local-time";
import db from "~/db.server";
import { bulkInsert } from "~/models/bulk-insert.server";
import { refreshPlannerStatistics } from "~/models/planner-statistics.server";
import { PROJECT_ROOT } from "~/project-root.server";

/**
 * Seeds the bundled demo shop (data/demo-shop, derived from the UCI Online Retail dataset) into
 * the database. Idempotent: the whole seed is one transaction, so a shop row exists only for a
 * complete seed, and a shop that exists is left alone.
 */

export const DEMO_DATA_DIR = path.join(PROJECT_ROOT, "data", "demo-shop");

const shopSchema = z.object({
  name: z.string(),
  currency: z.string().length(3),
  timeZone: z.string().refine(isKnownTimeZone, "unknown time zone").default("UTC"),
});

const catalogSchema = z.object({
  shop: shopSchema,
  products: z.array(
    z.object({
      sku: z.string(),
      handle: z.string(),
      title: z.string(),
      productType: z.string(),
      price: z.number().int().positive(),
    }),
  ),
});

const ordersSchema = z.array(
  z.object({
    id: z.string(),
    placedAt: z.string().datetime(),
    customer: z.string().nullable(),
    lines: z.array(z.tuple([z.number().int().nonnegative(), z.number().int().positive(), z.number().int().positive()])),
  }),
);

function readGzipJson(file: string): unknown {
  return JSON.parse(zlib.gunzipSync(fs.readFileSync(file)).toString("utf8"));
}

// Synthetic Shopify ids: stable across seeds, and far from real ones so they are recognisable.
const PRODUCT_ID_BASE = 9_000_000_000;
const VARIANT_ID_BASE = 9_100_000_000;
const ORDER_ID_BASE = 9_200_000_000;
// Rows per INSERT: under SQLite's 32,766 and PostgreSQL's 65,535 bound-parameter limits.
const BATCH = 1_000;

const ORDER_LINE_COLUMNS = [
  "shopId", "orderId", "productId", "variantId", "shopifyProductId", "shopifyVariantId",
  "sku", "title", "quantity", "unitPriceAmount", "currency",
] as const;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export interface SeedResult {
  seeded: boolean;
  products: number;
  orders: number;
}

export async function seedDemoShop(options: {
  shopId: string;
  dataDir?: string;
  /** Seed only the most recent N orders (tests use a slice; the demo uses all). */
  maxOrders?: number;
}): Promise<SeedResult> {
  const { shopId, dataDir = DEMO_DATA_DIR } = options;
  const existing = await db.shop.findUnique({ where: { id: shopId } });
  if (existing) {
    // A demo database seeded before shops had a zone (still the default) gets the data's zone;
    // nobody else sets it, and every other start skips reading the file.
    if (existing.isDemo && existing.timeZone === "UTC") {
      const { timeZone } = z.object({ shop: shopSchema }).parse(readGzipJson(path.join(dataDir, "catalog.json.gz"))).shop;
      if (existing.timeZone !== timeZone) await db.shop.update({ where: { id: shopId }, data: { timeZone } });
    }
    return { seeded: false, ...(await countDemoShop(shopId)) };
  }

  const catalog = catalogSchema.parse(readGzipJson(path.join(dataDir, "catalog.json.gz")));
  let orders = ordersSchema.parse(readGzipJson(path.join(dataDir, "orders.json.gz")));
  if (options.maxOrders !== undefined) orders = orders.slice(-options.maxOrders);

  try {
    await insertDemoShop(shopId, catalog, orders);
  } catch (error) {
    // Another server on the same database (browser tests start several) may be seeding at the same
    // moment: its transaction wins and ours fails on the shop's key or the write lock. Its data
    // appears all at once when it commits, so wait for that rather than fail.
    if (!(await waitForShop(shopId, 300_000))) throw error;
    return { seeded: false, ...(await countDemoShop(shopId)) };
  }
  await refreshPlannerStatistics();

  return { seeded: true, products: catalog.products.length, orders: orders.length };
}

async function countDemoShop(shopId: string) {
  const [products, orders] = await Promise.all([db.product.count({ where: { shopId } }), db.order.count({ where: { shopId } })]);
  return { products, orders };
}

async function waitForShop(shopId: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await db.shop.findUnique({ where: { id: shopId }, select: { id: true } })) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

async function insertDemoShop(
  shopId: string,
  catalog: z.infer<typeof catalogSchema>,
  orders: z.infer<typeof ordersSchema>,
): Promise<void> {
  const { currency } = catalog.shop;
  await db.$transaction(
    async (tx) => {
      await tx.shop.create({ data: { id: shopId, name: catalog.shop.name, currency, timeZone: catalog.shop.timeZone, isDemo: true } });

      const productIds: number[] = [];
      const variantIds: number[] = [];
      for (const batch of chunks(catalog.products.map((product, index) => ({ product, index })), BATCH)) {
        const created = await tx.product.createManyAndReturn({
          data: batch.map(({ product, index }) => ({
            shopId,
            shopifyId: String(PRODUCT_ID_BASE + index),
            handle: product.handle,
            title: product.title,
            titleFolded: foldForSearch(product.title),
            productType: product.productType,
            vendor: catalog.shop.name,
            status: "active",
            publishedAt: new Date("2010-12-01T00:00:00Z"),
          })),
          select: { id: true, shopifyId: true },
        });
        for (const row of created) productIds[Number(row.shopifyId) - PRODUCT_ID_BASE] = row.id;
        const variants = await tx.variant.createManyAndReturn({
          data: batch.map(({ product, index }) => ({
            shopId,
            productId: productIds[index] as number,
            shopifyId: String(VARIANT_ID_BASE + index),
            sku: product.sku,
            priceAmount: product.price,
            currency,
            inventoryQuantity: 100,
          })),
          select: { id: true, shopifyId: true },
        });
        for (const row of variants) variantIds[Number(row.shopifyId) - VARIANT_ID_BASE] = row.id;
      }

      for (const batch of chunks(orders, BATCH)) {
        const created = await tx.order.createManyAndReturn({
          data: batch.map((order) => {
            const subtotal = order.lines.reduce((sum, [, quantity, price]) => sum + quantity * price, 0);
            return {
              shopId,
              shopifyId: String(ORDER_ID_BASE + Number(order.id.replace(/\D/g, ""))),
              name: `#${order.id}`,
              currency,
              subtotalAmount: subtotal,
              totalAmount: subtotal,
              customerId: order.customer,
              placedAt: new Date(order.placedAt),
            };
          }),
          select: { id: true, name: true },
        });
        const orderIdByName = new Map(created.map((row) => [row.name, row.id]));
        const lines = batch.flatMap((order) =>
          order.lines.map(([index, quantity, price]) => {
            const product = catalog.products[index];
            if (!product) throw new Error(`Demo order ${order.id} names unknown product #${index}.`);
            return {
              shopId,
              orderId: orderIdByName.get(`#${order.id}`) as number,
              productId: productIds[index] ?? null,
              variantId: variantIds[index] ?? null,
              shopifyProductId: String(PRODUCT_ID_BASE + index),
              shopifyVariantId: String(VARIANT_ID_BASE + index),
              sku: product.sku,
              title: product.title,
              quantity,
              unitPriceAmount: price,
              currency,
            };
          }),
        );
        await bulkInsert(tx, "OrderLine", ORDER_LINE_COLUMNS, lines);
      }
    },
    { timeout: 300_000, maxWait: 30_000 },
  );
}
