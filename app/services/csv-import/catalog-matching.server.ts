import db from "~/db.server";
import { catalogOwnerOf, isOwnedByShopify } from "~/models/catalog.server";
import type { IncomingOrder, IncomingProduct, IncomingVariant } from "~/services/ingest";
import { chunks, IN_LIST_SIZE } from "~/models/in-lists";
import type { SkippedRow } from "./import-report";
import type { CsvOrderRecord } from "./orders-csv";
import type { CsvProductRecord } from "./products-csv";

/**
 * CSV files carry no Shopify ids, so before ingest their rows are matched to what the shop
 * already has: an import onto a synced (or previously imported) shop updates those rows instead
 * of adding look-alikes next to them.
 */

const STORED_VARIANT_SELECT = {
  shopifyId: true, sku: true, title: true, priceAmount: true, compareAtAmount: true, inventoryQuantity: true, inventoryPolicy: true,
} as const;

interface StoredVariant {
  shopifyId: string;
  sku: string | null;
  title: string;
  priceAmount: number;
  compareAtAmount: number | null;
  inventoryQuantity: number | null;
  inventoryPolicy: string;
}

interface StoredProduct {
  shopifyId: string;
  handle: string;
  title: string;
  status: string;
  publishedAt: Date | null;
  variants: StoredVariant[];
}

async function storedProductsByHandle(shopId: string, handles: string[]): Promise<Map<string, StoredProduct>> {
  const byHandle = new Map<string, StoredProduct>();
  for (const part of chunks(handles, IN_LIST_SIZE)) {
    const rows = await db.product.findMany({
      where: { shopId, handle: { in: part } },
      select: {
        shopifyId: true,
        handle: true,
        title: true,
        status: true,
        publishedAt: true,
        variants: { select: STORED_VARIANT_SELECT, orderBy: { id: "asc" } },
      },
    });
    for (const row of rows) byHandle.set(row.handle, row);
  }
  return byHandle;
}

/** Each incoming variant takes the id of a stored one with its SKU, else with its option values. */
function matchVariants(incoming: readonly IncomingVariant[], stored: readonly StoredVariant[]): IncomingVariant[] {
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
  /** Rows not imported: variants a product synced from Shopify does not have. */
  skipped: SkippedRow[];
  /**
   * Rows for products synced from Shopify whose price, compare-at price, stock, status or
   * publication (or the product's title) differ from Shopify's: Shopify's values are kept.
   */
  leftToShopify: number;
}

function describeVariant(variant: IncomingVariant): string {
  const title = variant.title ?? "Default Title";
  return variant.sku ? `Variant "${title}" (SKU ${variant.sku})` : `Variant "${title}"`;
}

/** Whether the file says something else than Shopify about what Shopify owns of this variant. */
function variantDiffers(variant: IncomingVariant, stored: StoredVariant): boolean {
  return (
    variant.price !== stored.priceAmount ||
    (variant.compareAtPrice !== undefined && variant.compareAtPrice !== stored.compareAtAmount) ||
    (variant.inventoryQuantity !== undefined && variant.inventoryQuantity !== stored.inventoryQuantity) ||
    (variant.inventoryPolicy !== undefined && variant.inventoryPolicy !== stored.inventoryPolicy)
  );
}

/**
 * A row for a product synced from Shopify: Shopify's catalog sync and product webhooks keep it
 * up to date, and an export is a snapshot that may be older. So the file only fills what Shopify
 * left empty (ingest's `fillEmptyOnly`), and a variant Shopify does not have is reported rather
 * than added: it could never be added to a cart, and the storefront would offer it.
 */
function fillFromFile(record: CsvProductRecord, existing: StoredProduct, matchedVariants: IncomingVariant[]) {
  const storedById = new Map(existing.variants.map((variant) => [variant.shopifyId, variant]));
  const skipped: SkippedRow[] = [];
  const variants: IncomingVariant[] = [];
  const differing = new Set<number>();
  const { product, published } = record;
  if (
    (product.title !== "" && product.title !== existing.title) ||
    (product.status !== undefined && product.status !== existing.status) ||
    (published !== undefined && published !== (existing.publishedAt !== null))
  ) {
    differing.add(record.firstRow);
  }
  matchedVariants.forEach((variant, index) => {
    const row = record.variantRows[index] ?? record.firstRow;
    const stored = storedById.get(variant.shopifyId);
    if (!stored) {
      skipped.push({
        row,
        reason: `${describeVariant(variant)} is not a variant of "${product.handle}" in Shopify, so this row was not imported. Add it in Shopify: the next catalog sync brings it in.`,
      });
      return;
    }
    if (variantDiffers(variant, stored)) differing.add(row);
    variants.push(variant);
  });
  return { variants, skipped, leftToShopify: differing.size };
}

/**
 * Products match stored ones by handle (unique in a shop), variants by SKU, then by option
 * values. The file's variants are merged in, never used to delete: a CSV may list part of a
 * catalog. `importedAt` dates products the file publishes that the catalog has no date for.
 * A product Shopify owns (isOwnedByShopify) is only filled in, never overwritten: see fillFromFile.
 */
export async function matchProductsToCatalog(
  shopId: string,
  records: readonly CsvProductRecord[],
  importedAt: Date,
): Promise<MatchedProducts> {
  const [stored, owner] = await Promise.all([
    storedProductsByHandle(
      shopId,
      records.map((record) => record.product.handle),
    ),
    catalogOwnerOf(shopId),
  ]);
  let matched = 0;
  let leftToShopify = 0;
  const skipped: SkippedRow[] = [];
  const products = records.map((record): IncomingProduct => {
    const { product, published } = record;
    const existing = stored.get(product.handle);
    if (existing) matched += 1;
    const variants = existing ? matchVariants(product.variants, existing.variants) : product.variants;
    if (existing && isOwnedByShopify(owner, existing.shopifyId)) {
      const filled = fillFromFile(record, existing, variants);
      skipped.push(...filled.skipped);
      leftToShopify += filled.leftToShopify;
      return { ...product, shopifyId: existing.shopifyId, variants: filled.variants, partialVariants: true, fillEmptyOnly: true };
    }
    // The date a product was published is the catalog's; the file only says whether it is.
    const publishedAt =
      published === false ? null : existing?.publishedAt ?? (published || !existing ? importedAt : null);
    return {
      ...product,
      shopifyId: existing?.shopifyId ?? product.shopifyId,
      publishedAt,
      variants,
      partialVariants: true,
    };
  });
  return { products, matched, skipped, leftToShopify };
}

/** Of the products only filled in (Shopify's), those no longer stored: deleted in Shopify meanwhile. */
export async function deletedSinceMatching(shopId: string, products: readonly IncomingProduct[]): Promise<Set<string>> {
  const filled = products.filter((product) => product.fillEmptyOnly).map((product) => product.shopifyId);
  const gone = new Set(filled);
  for (const part of chunks(filled, IN_LIST_SIZE)) {
    const rows = await db.product.findMany({ where: { shopId, shopifyId: { in: part } }, select: { shopifyId: true } });
    for (const row of rows) gone.delete(row.shopifyId);
  }
  return gone;
}

/** The rows of a product deleted in Shopify during the import, except those already reported. */
export function rowsOfDeletedProduct(record: CsvProductRecord, alreadySkipped: readonly SkippedRow[]): SkippedRow[] {
  const reported = new Set(alreadySkipped.map((skipped) => skipped.row));
  const rows = [...new Set([record.firstRow, ...record.variantRows])].filter((row) => !reported.has(row));
  const reason = `Product "${record.product.handle}" was deleted in Shopify while this file was importing, so this row was not imported.`;
  return rows.map((row) => ({ row, reason }));
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
  for (const part of chunks(names, IN_LIST_SIZE)) {
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
  for (const part of chunks([...new Set(orderShopifyIds)], IN_LIST_SIZE)) {
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
