import { CSV_KEY_PREFIX, isCsvOnlyKey } from "~/core/catalog-keys";
import { foldForSearch } from "~/core/catalog-search";
import db, { type Db } from "~/db.server";
import { fitsIntColumn, MAX_INT_COLUMN } from "~/models/integer-columns";
import { isUniqueViolation } from "~/models/unique-violation";
import { chunks, IN_LIST_SIZE } from "~/models/in-lists";
import { IngestError, lastByKey } from "./batching";
import type { IncomingProduct, IncomingVariant, ProductUpsertResult } from "./types";

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

interface StoredVariant {
  id: number;
  productId: number;
  shopifyId: string;
  title: string;
  sku: string | null;
  priceAmount: number;
  compareAtAmount: number | null;
  currency: string;
  inventoryQuantity: number | null;
  inventoryPolicy: string;
}

interface StoredProduct {
  id: number;
  shopifyId: string;
  handle: string;
  title: string;
  titleFolded: string;
  description: string;
  productType: string;
  vendor: string;
  tags: string;
  status: string;
  publishedAt: Date | null;
  imageUrl: string | null;
  sourceUpdatedAt: Date | null;
}

const PRODUCT_SELECT = {
  id: true, shopifyId: true, handle: true, title: true, titleFolded: true, description: true, productType: true,
  vendor: true, tags: true, status: true, publishedAt: true, imageUrl: true, sourceUpdatedAt: true,
} as const;

const VARIANT_SELECT = {
  id: true, productId: true, shopifyId: true, title: true, sku: true, priceAmount: true,
  compareAtAmount: true, currency: true, inventoryQuantity: true, inventoryPolicy: true,
} as const;

/** Products per transaction: big enough to be fast, small enough to keep locks short. */
const PRODUCTS_PER_BATCH = 250;

function validate(products: readonly IncomingProduct[]): void {
  const problems: string[] = [];
  for (const [index, product] of products.entries()) {
    const where = `product ${index + 1} (${product.shopifyId || product.handle || "no id"})`;
    if (!product.shopifyId?.trim()) problems.push(`${where}: shopifyId is empty`);
    if (!product.handle?.trim()) problems.push(`${where}: handle is empty`);
    if (typeof product.title !== "string" || !product.title.trim()) problems.push(`${where}: title is empty`);
    const seen = new Set<string>();
    for (const variant of product.variants) {
      if (!variant.shopifyId?.trim()) problems.push(`${where}: a variant has no shopifyId`);
      if (seen.has(variant.shopifyId)) problems.push(`${where}: variant ${variant.shopifyId} is listed twice`);
      seen.add(variant.shopifyId);
      if (!fitsIntColumn(variant.price) || variant.price < 0) problems.push(`${where}: variant ${variant.shopifyId} price ${variant.price} is not a non-negative whole amount in minor units of at most ${MAX_INT_COLUMN}`);
      if (variant.compareAtPrice != null && (!fitsIntColumn(variant.compareAtPrice) || variant.compareAtPrice < 0)) problems.push(`${where}: variant ${variant.shopifyId} compare-at price ${variant.compareAtPrice} is not a non-negative whole amount in minor units of at most ${MAX_INT_COLUMN}`);
      if (!/^[A-Z]{3}$/.test(variant.currency)) problems.push(`${where}: variant ${variant.shopifyId} currency "${variant.currency}" is not an ISO 4217 code`);
      if (variant.inventoryQuantity != null && !fitsIntColumn(variant.inventoryQuantity)) problems.push(`${where}: variant ${variant.shopifyId} inventory ${variant.inventoryQuantity} is not a whole number of at most ${MAX_INT_COLUMN} either way`);
    }
  }
  if (problems.length > 0) throw new IngestError("Products not stored: fix these and send them again.", problems);
}

/** The stored product as it should be after applying `incoming` (undefined fields keep what is stored). */
function productData(incoming: IncomingProduct, stored: StoredProduct | undefined) {
  return {
    handle: incoming.handle,
    title: incoming.title,
    titleFolded: foldForSearch(incoming.title),
    description: incoming.description ?? stored?.description ?? "",
    productType: incoming.productType ?? stored?.productType ?? "",
    vendor: incoming.vendor ?? stored?.vendor ?? "",
    tags: incoming.tags !== undefined ? incoming.tags.map((tag) => tag.trim()).filter(Boolean).join(", ") : (stored?.tags ?? ""),
    status: incoming.status ?? stored?.status ?? "active",
    publishedAt: incoming.publishedAt !== undefined ? incoming.publishedAt : (stored?.publishedAt ?? null),
    imageUrl: incoming.imageUrl !== undefined ? incoming.imageUrl : (stored?.imageUrl ?? null),
    sourceUpdatedAt: incoming.sourceUpdatedAt !== undefined ? incoming.sourceUpdatedAt : (stored?.sourceUpdatedAt ?? null),
  };
}

/**
 * The stored product after a source that does not own it (`fillEmptyOnly`): what the owner set
 * stays, and only what the owner left empty takes the source's value. An older file would
 * otherwise undo the owner's newer price, stock or status until its next update arrived.
 */
function filledProductData(incoming: IncomingProduct, stored: StoredProduct): ReturnType<typeof productData> {
  const incomingTags = incoming.tags?.map((tag) => tag.trim()).filter(Boolean).join(", ") ?? "";
  return {
    handle: stored.handle,
    title: stored.title,
    // Folded again: a title stored before titleFolded existed may still wait for it.
    titleFolded: foldForSearch(stored.title),
    description: stored.description || (incoming.description ?? ""),
    productType: stored.productType || (incoming.productType ?? ""),
    vendor: stored.vendor || (incoming.vendor ?? ""),
    tags: stored.tags || incomingTags,
    status: stored.status,
    publishedAt: stored.publishedAt,
    imageUrl: stored.imageUrl || incoming.imageUrl || null,
    sourceUpdatedAt: stored.sourceUpdatedAt,
  };
}

/** A stored variant after a source that does not own it: only an empty SKU is filled. */
function filledVariantData(incoming: IncomingVariant, stored: StoredVariant): ReturnType<typeof variantData> {
  return {
    title: stored.title,
    sku: stored.sku ?? (incoming.sku?.trim() || null),
    priceAmount: stored.priceAmount,
    compareAtAmount: stored.compareAtAmount,
    currency: stored.currency,
    inventoryQuantity: stored.inventoryQuantity,
    inventoryPolicy: stored.inventoryPolicy,
  };
}

function variantData(incoming: IncomingVariant, stored: StoredVariant | undefined) {
  return {
    title: incoming.title ?? stored?.title ?? "Default Title",
    sku: incoming.sku !== undefined ? (incoming.sku?.trim() || null) : (stored?.sku ?? null),
    priceAmount: incoming.price,
    compareAtAmount: incoming.compareAtPrice !== undefined ? incoming.compareAtPrice : (stored?.compareAtAmount ?? null),
    currency: incoming.currency,
    inventoryQuantity: incoming.inventoryQuantity !== undefined ? incoming.inventoryQuantity : (stored?.inventoryQuantity ?? null),
    inventoryPolicy: incoming.inventoryPolicy ?? stored?.inventoryPolicy ?? "deny",
  };
}

function sameValues<T extends object>(next: T, stored: object): boolean {
  for (const [key, value] of Object.entries(next)) {
    const current = (stored as Record<string, unknown>)[key];
    if (value instanceof Date || current instanceof Date) {
      if ((value as Date | null)?.getTime() !== (current as Date | null)?.getTime()) return false;
    } else if (value !== current) {
      return false;
    }
  }
  return true;
}

export interface UpsertProductsOptions {
  /**
   * Skip a product that describes an older state than the stored one: it was deleted (Shopify
   * never reuses its ids), or its `sourceUpdatedAt` is older than the one stored. Webhooks arrive
   * late, out of order and at the same time; applying such a change would undo a newer one.
   */
  skipOlderStates?: boolean;
}

/**
 * Creates or updates products and their variants by (shop, Shopify id). Rows already stored as
 * given are not written at all, so a full catalog re-sync of an unchanged shop only reads. A
 * product's variant list is complete unless marked partial: variants it no longer lists are
 * removed (order lines keep their Shopify ids and lose only the link).
 */
export async function upsertProducts(shopId: string, products: readonly IncomingProduct[], options: UpsertProductsOptions = {}): Promise<ProductUpsertResult> {
  validate(products);
  const result: ProductUpsertResult = { created: 0, updated: 0, unchanged: 0, older: 0 };
  for (const batch of chunks(lastByKey(products, (product) => product.shopifyId), PRODUCTS_PER_BATCH)) {
    const counts = await upsertBatchWithRetry(shopId, batch, options);
    if (options.skipOlderStates && counts.createdIds.length > 0) {
      const deletedMeanwhile = await removeDeletedMeanwhile(shopId, counts.createdIds);
      counts.created -= deletedMeanwhile;
      counts.older += deletedMeanwhile;
    }
    result.created += counts.created;
    result.updated += counts.updated;
    result.unchanged += counts.unchanged;
    result.older += counts.older;
  }
  return result;
}

/** A batch's counts, and the products it created. */
type BatchResult = ProductUpsertResult & { createdIds: string[] };

/**
 * A delete processed at the same moment as a product's first create has no stored row to lock,
 * so each side checks for the other after its own commit: the create looks for a tombstone here,
 * and `deleteProduct` deletes after its tombstone is committed. Whichever commits last sees the
 * other, so the product cannot be left behind. Returns how many were removed.
 */
async function removeDeletedMeanwhile(shopId: string, createdIds: readonly string[]): Promise<number> {
  let removed = 0;
  for (const ids of chunks([...createdIds], IN_LIST_SIZE)) {
    const deleted = await db.deletedProduct.findMany({ where: { shopId, shopifyId: { in: ids } }, select: { shopifyId: true } });
    if (deleted.length === 0) continue;
    removed += (await db.product.deleteMany({ where: { shopId, shopifyId: { in: deleted.map((row) => row.shopifyId) } } })).count;
  }
  return removed;
}

async function upsertBatchWithRetry(shopId: string, batch: IncomingProduct[], options: UpsertProductsOptions): Promise<BatchResult> {
  try {
    return await db.$transaction((tx) => upsertBatch(tx, shopId, batch, options), { timeout: 60_000, maxWait: 30_000 });
  } catch (error) {
    // Another writer (a webhook during a sync) created one of these rows between our read and our
    // write; reading again turns that create into an update.
    if (!isUniqueViolation(error)) throw error;
    return db.$transaction((tx) => upsertBatch(tx, shopId, batch, options), { timeout: 60_000, maxWait: 30_000 });
  }
}

async function upsertBatch(tx: Tx, shopId: string, incoming: IncomingProduct[], options: UpsertProductsOptions): Promise<BatchResult> {
  const result: BatchResult = { created: 0, updated: 0, unchanged: 0, older: 0, createdIds: [] };
  // Claimed before anything is read, so what is read below is the state the claim won over.
  const current = options.skipOlderStates ? await withoutOlderStates(tx, shopId, incoming) : incoming;
  // Only the product's owner hands a CSV-known product over to its Shopify id.
  await adoptCsvProducts(tx, shopId, current.filter((product) => !product.fillEmptyOnly));
  const storedProducts = new Map<string, StoredProduct>();
  for (const ids of chunks(current.map((product) => product.shopifyId), IN_LIST_SIZE)) {
    for (const row of await tx.product.findMany({ where: { shopId, shopifyId: { in: ids } }, select: PRODUCT_SELECT })) {
      storedProducts.set(row.shopifyId, row);
    }
  }
  // A source that only fills never creates: a product of it not stored any more was deleted since.
  const batch = current.filter((product) => !product.fillEmptyOnly || storedProducts.has(product.shopifyId));
  result.older = incoming.length - batch.length;
  // Variants by their own id across the shop, so a variant stored under another product (an
  // earlier import that keyed products differently) is moved rather than duplicated.
  const storedVariants = new Map<string, StoredVariant>();
  const storedByProduct = new Map<number, StoredVariant[]>();
  const productRowIds = [...storedProducts.values()].map((product) => product.id);
  for (const ids of chunks(productRowIds, IN_LIST_SIZE)) {
    for (const row of await tx.variant.findMany({ where: { shopId, productId: { in: ids } }, select: VARIANT_SELECT })) {
      storedVariants.set(row.shopifyId, row);
      const list = storedByProduct.get(row.productId) ?? [];
      list.push(row);
      storedByProduct.set(row.productId, list);
    }
  }
  const variantIds = batch.flatMap((product) => product.variants.map((variant) => variant.shopifyId)).filter((id) => !storedVariants.has(id));
  for (const ids of chunks(variantIds, IN_LIST_SIZE)) {
    for (const row of await tx.variant.findMany({ where: { shopId, shopifyId: { in: ids } }, select: VARIANT_SELECT })) {
      storedVariants.set(row.shopifyId, row);
    }
  }

  // A product that is only filled keeps its handle, so it claims none.
  await freeHandles(tx, shopId, batch.filter((product) => !product.fillEmptyOnly), storedProducts);

  const toCreate = batch.filter((product) => !storedProducts.has(product.shopifyId));
  const productRowIdByShopifyId = new Map<string, number>([...storedProducts.values()].map((row) => [row.shopifyId, row.id]));
  if (toCreate.length > 0) {
    const created = await tx.product.createManyAndReturn({
      data: toCreate.map((product) => ({ shopId, shopifyId: product.shopifyId, ...productData(product, undefined) })),
      select: { id: true, shopifyId: true },
    });
    for (const row of created) productRowIdByShopifyId.set(row.shopifyId, row.id);
    result.created += toCreate.length;
    result.createdIds = toCreate.map((product) => product.shopifyId);
  }

  const variantsToCreate: Array<ReturnType<typeof variantData> & { shopId: string; productId: number; shopifyId: string }> = [];
  const variantIdsToDelete: number[] = [];
  // Only owners move variants between products (see below); a filled product lists none it lacks.
  const listedInBatch = new Set(batch.filter((product) => !product.fillEmptyOnly).flatMap((product) => product.variants.map((variant) => variant.shopifyId)));
  for (const product of batch) {
    const stored = storedProducts.get(product.shopifyId);
    const productId = productRowIdByShopifyId.get(product.shopifyId) as number;
    let changed = false;
    if (stored) {
      const next = product.fillEmptyOnly ? filledProductData(product, stored) : productData(product, stored);
      if (!sameValues(next, stored)) {
        await tx.product.update({ where: { id: stored.id }, data: next });
        changed = true;
      }
    }
    for (const variant of product.variants) {
      const storedVariant = storedVariants.get(variant.shopifyId);
      if (product.fillEmptyOnly) {
        // Only the product's own stored variants are filled; nothing is created or moved.
        if (storedVariant?.productId !== productId) continue;
        const next = filledVariantData(variant, storedVariant);
        if (!sameValues(next, storedVariant)) {
          await tx.variant.update({ where: { id: storedVariant.id }, data: next });
          changed = true;
        }
        continue;
      }
      const next = variantData(variant, storedVariant);
      if (!storedVariant) {
        variantsToCreate.push({ shopId, productId, shopifyId: variant.shopifyId, ...next });
        changed = true;
      } else if (storedVariant.productId !== productId || !sameValues(next, storedVariant)) {
        await tx.variant.update({ where: { id: storedVariant.id }, data: { ...next, productId } });
        changed = true;
      }
    }
    if (stored && !product.partialVariants && !product.fillEmptyOnly) {
      for (const storedVariant of storedByProduct.get(stored.id) ?? []) {
        // A variant another product of this batch now lists has moved there; it is not removed.
        if (!listedInBatch.has(storedVariant.shopifyId)) {
          variantIdsToDelete.push(storedVariant.id);
          changed = true;
        }
      }
    }
    if (stored) {
      if (changed) result.updated += 1;
      else result.unchanged += 1;
    }
  }
  for (const ids of chunks(variantIdsToDelete, IN_LIST_SIZE)) {
    await tx.variant.deleteMany({ where: { shopId, id: { in: ids } } });
  }
  if (variantsToCreate.length > 0) await tx.variant.createMany({ data: variantsToCreate });
  if (toCreate.length > 0 || variantsToCreate.length > 0) {
    await linkUnmatchedOrderLines(tx, shopId, toCreate.map((product) => product.shopifyId), variantsToCreate.map((variant) => variant.shopifyId));
  }
  return result;
}

/**
 * The products of `batch` that are not older than what is stored. Each stored product that stays
 * is claimed first: its `sourceUpdatedAt` is moved on only where the stored one is not newer, in
 * one statement. On PostgreSQL that statement takes the row's lock until commit and re-reads the
 * row if a concurrent change committed first, so of two changes processed at once the older one
 * finds the newer time and is skipped, and the newer one (which reads the row only after its
 * claim) compares itself with what the older one wrote. SQLite runs one write transaction at a
 * time. A product deleted in Shopify is skipped, and a row of it still here (a create that won a
 * race with its delete, then failed before its re-check) is removed.
 */
async function withoutOlderStates(tx: Tx, shopId: string, batch: IncomingProduct[]): Promise<IncomingProduct[]> {
  const deleted = new Set<string>();
  for (const ids of chunks(batch.map((product) => product.shopifyId), IN_LIST_SIZE)) {
    for (const row of await tx.deletedProduct.findMany({ where: { shopId, shopifyId: { in: ids } }, select: { shopifyId: true } })) deleted.add(row.shopifyId);
  }
  for (const ids of chunks([...deleted], IN_LIST_SIZE)) await tx.product.deleteMany({ where: { shopId, shopifyId: { in: ids } } });
  const kept: IncomingProduct[] = [];
  for (const product of batch) {
    if (deleted.has(product.shopifyId)) continue;
    const changedAt = product.sourceUpdatedAt;
    if (changedAt) {
      // Strictly older only: Shopify's times have whole seconds, and two changes within one second
      // carry the same one; the later arrival is then the better guess.
      const claimed = await tx.product.updateMany({
        where: { shopId, shopifyId: product.shopifyId, OR: [{ sourceUpdatedAt: null }, { sourceUpdatedAt: { lte: changedAt } }] },
        data: { sourceUpdatedAt: changedAt },
      });
      // Nothing claimed: either a newer change is stored, or the product is new here.
      const key = { shopId_shopifyId: { shopId, shopifyId: product.shopifyId } };
      if (claimed.count === 0 && (await tx.product.findUnique({ where: key, select: { id: true } }))) continue;
    }
    kept.push(product);
  }
  return kept;
}

/**
 * A product first known from a products CSV (key `csv:<handle>`) is the product Shopify now sends
 * with that handle under its own id. Its row is re-keyed to that id, with its variants (matched
 * by SKU, else by title, as the CSV keyed them) and the order lines that name them, so the orders
 * it was learnt from stay with it, instead of a second product appearing beside a stale one.
 * Not when Shopify's id is stored already: that row is the product, and the CSV row is stale.
 */
async function adoptCsvProducts(tx: Tx, shopId: string, batch: IncomingProduct[]): Promise<void> {
  const shopifyByHandle = new Map(batch.filter((product) => !isCsvOnlyKey(product.shopifyId)).map((product) => [product.handle, product]));
  for (const handles of chunks([...shopifyByHandle.keys()], IN_LIST_SIZE)) {
    const csvRows = await tx.product.findMany({
      where: { shopId, handle: { in: handles }, shopifyId: { startsWith: CSV_KEY_PREFIX } },
      select: { id: true, handle: true, variants: { select: { id: true, sku: true, title: true } } },
    });
    for (const csvRow of csvRows) {
      const product = shopifyByHandle.get(csvRow.handle);
      if (!product) continue;
      const key = { shopId_shopifyId: { shopId, shopifyId: product.shopifyId } };
      if (await tx.product.findUnique({ where: key, select: { id: true } })) continue;
      await tx.product.update({ where: { id: csvRow.id }, data: { shopifyId: product.shopifyId } });
      await tx.orderLine.updateMany({ where: { shopId, productId: csvRow.id }, data: { shopifyProductId: product.shopifyId } });
      const unmatched = [...csvRow.variants];
      for (const variant of product.variants) {
        const sku = variant.sku?.trim();
        const bySku = sku ? unmatched.findIndex((stored) => stored.sku === sku) : -1;
        const index = bySku >= 0 ? bySku : unmatched.findIndex((stored) => stored.title === variant.title);
        if (index < 0) continue;
        const [stored] = unmatched.splice(index, 1);
        if (!stored) continue;
        const taken = await tx.variant.findUnique({ where: { shopId_shopifyId: { shopId, shopifyId: variant.shopifyId } }, select: { id: true } });
        if (taken) continue;
        await tx.variant.update({ where: { id: stored.id }, data: { shopifyId: variant.shopifyId } });
        await tx.orderLine.updateMany({ where: { shopId, variantId: stored.id }, data: { shopifyVariantId: variant.shopifyId } });
      }
    }
  }
}

/**
 * Shopify keeps handles unique per shop, so a stored product holding a handle that another
 * incoming product now has is stale (renamed or deleted while we were not listening). It gets a
 * placeholder handle until its own update arrives, instead of failing the whole batch.
 */
async function freeHandles(tx: Tx, shopId: string, batch: IncomingProduct[], stored: Map<string, StoredProduct>): Promise<void> {
  const ownerByHandle = new Map(batch.map((product) => [product.handle, product.shopifyId]));
  const wanted = [...ownerByHandle.keys()].filter((handle) => {
    const owner = stored.get(ownerByHandle.get(handle) as string);
    return owner?.handle !== handle;
  });
  for (const handles of chunks(wanted, IN_LIST_SIZE)) {
    const holders = await tx.product.findMany({ where: { shopId, handle: { in: handles } }, select: { id: true, shopifyId: true, handle: true } });
    for (const holder of holders) {
      if (ownerByHandle.get(holder.handle) === holder.shopifyId) continue;
      const placeholder = `${holder.handle}--${holder.shopifyId}`;
      await tx.product.update({ where: { id: holder.id }, data: { handle: placeholder } });
      const inBatch = stored.get(holder.shopifyId);
      if (inBatch) inBatch.handle = placeholder;
    }
  }
}

/**
 * Orders can arrive before the catalog (a backfill racing the catalog sync, or an order for a
 * product created a moment ago): lines that named these products or variants by id are linked now.
 */
async function linkUnmatchedOrderLines(tx: Tx, shopId: string, productShopifyIds: string[], variantShopifyIds: string[]) {
  for (const ids of chunks(variantShopifyIds, IN_LIST_SIZE)) {
    const pending = await tx.orderLine.findMany({
      where: { shopId, variantId: null, shopifyVariantId: { in: ids } },
      distinct: ["shopifyVariantId"],
      select: { shopifyVariantId: true },
    });
    if (pending.length === 0) continue;
    const variants = await tx.variant.findMany({
      where: { shopId, shopifyId: { in: pending.map((line) => line.shopifyVariantId as string) } },
      select: { id: true, shopifyId: true, productId: true, product: { select: { shopifyId: true } } },
    });
    for (const variant of variants) {
      await tx.orderLine.updateMany({
        where: { shopId, variantId: null, shopifyVariantId: variant.shopifyId },
        data: { variantId: variant.id, productId: variant.productId, shopifyProductId: variant.product.shopifyId },
      });
    }
  }
  for (const ids of chunks(productShopifyIds, IN_LIST_SIZE)) {
    const pending = await tx.orderLine.findMany({
      where: { shopId, productId: null, shopifyProductId: { in: ids } },
      distinct: ["shopifyProductId"],
      select: { shopifyProductId: true },
    });
    if (pending.length === 0) continue;
    const rows = await tx.product.findMany({
      where: { shopId, shopifyId: { in: pending.map((line) => line.shopifyProductId as string) } },
      select: { id: true, shopifyId: true },
    });
    for (const product of rows) {
      await tx.orderLine.updateMany({ where: { shopId, productId: null, shopifyProductId: product.shopifyId }, data: { productId: product.id } });
    }
  }
}

/**
 * Deletes a product and its variants, and remembers that it is gone (see `skipOlderStates`). Its
 * order lines stay, keeping the Shopify ids they named.
 */
export async function deleteProduct(shopId: string, shopifyId: string): Promise<boolean> {
  // The tombstone is committed first, then the row deleted: see removeDeletedMeanwhile.
  await db.deletedProduct.upsert({ where: { shopId_shopifyId: { shopId, shopifyId } }, create: { shopId, shopifyId }, update: {} });
  const deleted = await db.product.deleteMany({ where: { shopId, shopifyId } });
  return deleted.count > 0;
}

/**
 * Sets a variant's available quantity (null: not tracked). Returns false when the shop has no
 * such variant (an inventory update can precede the product's creation webhook).
 */
export async function setInventory(shopId: string, variantShopifyId: string, quantity: number | null): Promise<boolean> {
  if (quantity !== null && !fitsIntColumn(quantity)) {
    throw new IngestError(`Inventory for variant ${variantShopifyId} must be a whole number of at most ${MAX_INT_COLUMN} either way, got ${quantity}.`);
  }
  const variant = await db.variant.findUnique({
    where: { shopId_shopifyId: { shopId, shopifyId: variantShopifyId } },
    select: { id: true, inventoryQuantity: true },
  });
  if (!variant) return false;
  if (variant.inventoryQuantity !== quantity) {
    await db.variant.update({ where: { id: variant.id }, data: { inventoryQuantity: quantity } });
  }
  return true;
}
