import type { Db } from "~/db.server";
import { chunks, IN_LIST_SIZE } from "~/models/in-lists";
import type { IncomingOrderLine } from "./types";

type Reader = Pick<Db, "variant" | "product">;

export interface CatalogMatch {
  productId: number;
  variantId: number | null;
  shopifyProductId: string;
  shopifyVariantId: string | null;
  sku: string | null;
}

interface VariantRow {
  id: number;
  productId: number;
  shopifyId: string;
  sku: string | null;
  title: string;
  product: { shopifyId: string; title: string };
}

const VARIANT_SELECT = {
  id: true, productId: true, shopifyId: true, sku: true, title: true,
  product: { select: { shopifyId: true, title: true } },
} as const;

// Shopify's orders export names a variant's line "Product title - Variant title".
const VARIANT_TITLE_SEPARATOR = " - ";

function fromVariant(variant: VariantRow): CatalogMatch {
  return {
    productId: variant.productId,
    variantId: variant.id,
    shopifyProductId: variant.product.shopifyId,
    shopifyVariantId: variant.shopifyId,
    sku: variant.sku,
  };
}

/** Adds to a key's list; a key with two different values is ambiguous and matches nothing. */
function addUnique<T extends { id: number }>(map: Map<string, T | null>, key: string, value: T) {
  const existing = map.get(key);
  if (existing === undefined) map.set(key, value);
  else if (existing !== null && existing.id !== value.id) map.set(key, null);
}

/**
 * Resolves order lines to the shop's catalog in a few queries for a whole batch. A line matches by
 * variant id, then SKU, then product id, then exact title; SKUs and titles that more than one
 * product shares are ambiguous and match nothing (a wrong link would teach the model a wrong pair).
 */
export async function loadCatalogMatcher(reader: Reader, shopId: string, lines: readonly IncomingOrderLine[]) {
  const variantIds = new Set<string>();
  const skus = new Set<string>();
  const productIds = new Set<string>();
  const titles = new Set<string>();
  for (const line of lines) {
    if (line.shopifyVariantId) variantIds.add(line.shopifyVariantId);
    if (line.sku?.trim()) skus.add(line.sku.trim());
    if (line.shopifyProductId) productIds.add(line.shopifyProductId);
    const title = line.title.trim();
    if (title) {
      titles.add(title);
      const cut = title.lastIndexOf(VARIANT_TITLE_SEPARATOR);
      if (cut > 0) titles.add(title.slice(0, cut));
    }
  }

  const byVariantId = new Map<string, VariantRow>();
  for (const ids of chunks([...variantIds], IN_LIST_SIZE)) {
    for (const row of await reader.variant.findMany({ where: { shopId, shopifyId: { in: ids } }, select: VARIANT_SELECT })) {
      byVariantId.set(row.shopifyId, row);
    }
  }
  const bySku = new Map<string, VariantRow | null>();
  for (const ids of chunks([...skus], IN_LIST_SIZE)) {
    for (const row of await reader.variant.findMany({ where: { shopId, sku: { in: ids } }, select: VARIANT_SELECT, orderBy: { id: "asc" } })) {
      addUnique(bySku, row.sku as string, row);
    }
  }
  const byProductId = new Map<string, { id: number; shopifyId: string }>();
  for (const ids of chunks([...productIds], IN_LIST_SIZE)) {
    for (const row of await reader.product.findMany({ where: { shopId, shopifyId: { in: ids } }, select: { id: true, shopifyId: true } })) {
      byProductId.set(row.shopifyId, row);
    }
  }
  const byTitle = new Map<string, { id: number; shopifyId: string; variants: Array<{ id: number; shopifyId: string; title: string; sku: string | null }> } | null>();
  for (const ids of chunks([...titles], IN_LIST_SIZE)) {
    const rows = await reader.product.findMany({
      where: { shopId, title: { in: ids } },
      select: { id: true, shopifyId: true, title: true, variants: { select: { id: true, shopifyId: true, title: true, sku: true }, orderBy: { id: "asc" } } },
      orderBy: { id: "asc" },
    });
    for (const row of rows) addUnique(byTitle, row.title, row);
  }

  return function match(line: IncomingOrderLine): CatalogMatch | null {
    const variant = line.shopifyVariantId ? byVariantId.get(line.shopifyVariantId) : undefined;
    if (variant) return fromVariant(variant);
    const sku = line.sku?.trim();
    const bySkuVariant = sku ? bySku.get(sku) : undefined;
    if (bySkuVariant) return fromVariant(bySkuVariant);
    const product = line.shopifyProductId ? byProductId.get(line.shopifyProductId) : undefined;
    if (product) {
      return { productId: product.id, variantId: null, shopifyProductId: product.shopifyId, shopifyVariantId: line.shopifyVariantId ?? null, sku: sku ?? null };
    }
    const title = line.title.trim();
    const exact = byTitle.get(title);
    if (exact) {
      const only = exact.variants.length === 1 ? exact.variants[0] : undefined;
      return {
        productId: exact.id,
        variantId: only?.id ?? null,
        shopifyProductId: exact.shopifyId,
        shopifyVariantId: only?.shopifyId ?? line.shopifyVariantId ?? null,
        sku: sku ?? only?.sku ?? null,
      };
    }
    const cut = title.lastIndexOf(VARIANT_TITLE_SEPARATOR);
    if (cut > 0) {
      const parent = byTitle.get(title.slice(0, cut));
      const variantTitle = title.slice(cut + VARIANT_TITLE_SEPARATOR.length);
      const named = parent?.variants.find((candidate) => candidate.title === variantTitle);
      if (parent && named) {
        return { productId: parent.id, variantId: named.id, shopifyProductId: parent.shopifyId, shopifyVariantId: named.shopifyId, sku: sku ?? named.sku };
      }
    }
    return null;
  };
}
