import db from "~/db.server";
import type { IncomingOrder, IncomingProduct, IncomingVariant } from "~/services/ingest";
import type { CsvOrderRecord } from "./orders-csv";
import type { CsvProductRecord } from "./products-csv";

/**
 * CSV files carry no Shopify ids, so before ingest their rows are matched to what the shop
 * already has: an import onto a synced (or previously imported) shop updates those rows instead
 * of adding look-alikes next to them.
 */

const IN_LIST = 500;

function chunked<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += IN_LIST) out.push(items.slice(start, start + IN_LIST));
  return out;
}

interface StoredProduct {
  shopifyId: string;
  handle: string;
  publishedAt: Date | null;
  variants: Array<{ shopifyId: string; sku: string | null; title: string }>;
}

async function storedProductsByHandle(shopId: string, handles: string[]): Promise<Map<string, StoredProduct>> {
  const byHandle = new Map<string, StoredProduct>();
  for (const part of chunked(handles)) {
    const rows = await db.product.findMany({
      where: { shopId, handle: { in: part } },
      select: {
        shopifyId: true,
        handle: true,
        publishedAt: true,
        variants: { select: { shopifyId: true, sku: true, title: true }, orderBy: { id: "asc" } },
      },
    });
    for (const row of rows) byHandle.set(row.handle, row);
  }
  return byHandle;
}

/** Each incoming variant takes the id of a stored one with its SKU, else with its option values. */
function matchVariants(incoming: readonly IncomingVariant[], stored: StoredProduct["variants"]): IncomingVariant[] {
  const claimed = new Set<string>();
  const bySku = new Map<string, string>();
  const byTitle = new Map<string, string>();
  for (const variant of stored) {
    if (variant.sku && !bySku.has(variant.sku)) bySku.set(variant.sku, variant.shopifyId);
    if (!byTitle.has(variant.title)) byTitle.set(variant.title, variant.shopifyId);
  }
  const take = (id: string | undefined) => (id !== undefined && !claimed.has(id) ? id : undefined);
  // SKUs first across the whole product, so an option-value match cannot take a variant that a
  // later row names by SKU.
  const ids = incoming.map((variant) => {
    const id = variant.sku ? take(bySku.get(variant.sku)) : undefined;
    if (id) claimed.add(id);
    return id;
  });
  return incoming.map((variant, index) => {
    let id = ids[index];
    if (!id) {
      id = take(byTitle.get(variant.title ?? "Default Title"));
      if (id) claimed.add(id);
    }
    return id ? { ...variant, shopifyId: id } : variant;
  });
}

export interface MatchedProducts {
  products: IncomingProduct[];
  /** How many were already in the catalog. */
  matched: number;
}

/**
 * Products match stored ones by handle (unique in a shop), variants by SKU, then by option
 * values. The file's variants are merged in, never used to delete: a CSV may list part of a
 * catalog. `importedAt` dates products the file publishes that the catalog has no date for.
 */
export async function matchProductsToCatalog(
  shopId: string,
  records: readonly CsvProductRecord[],
  importedAt: Date,
): Promise<MatchedProducts> {
  const stored = await storedProductsByHandle(
    shopId,
    records.map((record) => record.product.handle),
  );
  let matched = 0;
  const products = records.map(({ product, published }): IncomingProduct => {
    const existing = stored.get(product.handle);
    if (existing) matched += 1;
    // The date a product was published is the catalog's; the file only says whether it is.
    const publishedAt =
      published === false ? null : existing?.publishedAt ?? (published || !existing ? importedAt : null);
    return {
      ...product,
      shopifyId: existing?.shopifyId ?? product.shopifyId,
      publishedAt,
      variants: existing ? matchVariants(product.variants, existing.variants) : product.variants,
      partialVariants: true,
    };
  });
  return { products, matched };
}

/**
 * Orders from an export with the `Id` column keep Shopify's id. Without it, an order the shop
 * already has under the same name (from the Admin API or a webhook) keeps that one's id, so the
 * same order is not stored twice.
 */
export async function matchOrdersToHistory(
  shopId: string,
  records: readonly CsvOrderRecord[],
): Promise<IncomingOrder[]> {
  const names = records.filter((record) => !record.hasShopifyId).map((record) => record.order.name);
  const idsByName = new Map<string, string[]>();
  for (const part of chunked(names)) {
    const rows = await db.order.findMany({
      where: { shopId, name: { in: part } },
      select: { shopifyId: true, name: true },
    });
    for (const row of rows) idsByName.set(row.name, [...(idsByName.get(row.name) ?? []), row.shopifyId]);
  }
  return records.map(({ order, hasShopifyId }) => {
    const ids = hasShopifyId ? undefined : idsByName.get(order.name);
    // Two stored orders with one name cannot be told apart; the file's own key is the honest choice.
    return ids?.length === 1 ? { ...order, shopifyId: ids[0] as string } : order;
  });
}

/** Of the given orders' stored line items, how many are linked to a catalog product. */
export async function countMatchedLines(shopId: string, orderShopifyIds: readonly string[]): Promise<number> {
  let matched = 0;
  for (const part of chunked([...new Set(orderShopifyIds)])) {
    const orders = await db.order.findMany({ where: { shopId, shopifyId: { in: part } }, select: { id: true } });
    // By order row id alone (ids the shop-scoped query above returned): with `shopId` in the same
    // WHERE, SQLite's planner picks the (shopId, productId) index and walks every line of the shop.
    const lines = await db.orderLine.findMany({
      where: { orderId: { in: orders.map((order) => order.id) } },
      select: { productId: true },
    });
    matched += lines.filter((line) => line.productId !== null).length;
  }
  return matched;
}
