import { csvRowIdOf, storefrontIdOf } from "~/core/catalog-keys";
import db from "~/db.server";
import { isVariantAvailable } from "~/models/catalog.server";

/**
 * The demo shop's catalog as its storefront shows it: published products only, every variant with
 * its price in integer minor units. Reads are scoped to the shop like every other query. Ids are
 * the storefront's numeric ones (storefrontIdOf): a product imported from a CSV file has one too.
 */
export interface PreviewVariant {
  id: string;
  productId: string;
  title: string;
  sku: string | null;
  price: number;
  compareAtPrice: number | null;
  currency: string;
  available: boolean;
}

export interface PreviewProduct {
  id: string;
  handle: string;
  title: string;
  description: string;
  vendor: string;
  productType: string;
  tags: string[];
  imageUrl: string | null;
  variants: PreviewVariant[];
}

const productSelect = {
  id: true,
  shopifyId: true,
  handle: true,
  title: true,
  description: true,
  vendor: true,
  productType: true,
  tags: true,
  imageUrl: true,
  variants: {
    select: {
      id: true, shopifyId: true, title: true, sku: true, priceAmount: true, compareAtAmount: true, currency: true,
      inventoryQuantity: true, inventoryPolicy: true,
    },
    orderBy: { id: "asc" as const },
  },
} as const;

type ProductRow = {
  id: number; shopifyId: string; handle: string; title: string; description: string; vendor: string; productType: string;
  tags: string; imageUrl: string | null;
  variants: { id: number; shopifyId: string; title: string; sku: string | null; priceAmount: number; compareAtAmount: number | null;
    currency: string; inventoryQuantity: number | null; inventoryPolicy: string }[];
};

function toPreviewProduct(row: ProductRow): PreviewProduct {
  const productId = storefrontIdOf("product", row);
  return {
    id: productId,
    handle: row.handle,
    title: row.title,
    description: row.description,
    vendor: row.vendor,
    productType: row.productType,
    tags: row.tags ? row.tags.split(",").map((tag) => tag.trim()).filter(Boolean) : [],
    imageUrl: row.imageUrl,
    variants: row.variants.map((variant) => ({
      id: storefrontIdOf("variant", variant),
      productId,
      title: variant.title,
      sku: variant.sku,
      price: variant.priceAmount,
      compareAtPrice: variant.compareAtAmount,
      currency: variant.currency,
      available: isVariantAvailable(variant),
    })),
  };
}

const onSale = { status: "active", publishedAt: { not: null } } as const;

export async function findPreviewProduct(shopId: string, handle: string): Promise<PreviewProduct | null> {
  const row = await db.product.findFirst({ where: { shopId, handle, ...onSale }, select: productSelect });
  return row && row.variants.length > 0 ? toPreviewProduct(row) : null;
}

/** Variant id → its product, for the variants the shop sells; unknown ids are left out. */
export async function findPreviewVariants(shopId: string, variantIds: readonly string[]): Promise<Map<string, PreviewProduct>> {
  const ids = [...new Set(variantIds)];
  if (ids.length === 0) return new Map();
  // A CSV-only variant is named by its row (storefrontIdOf), any other by Shopify's id.
  const rowIds = ids.flatMap((id) => csvRowIdOf("variant", id) ?? []);
  const shopifyIds = ids.filter((id) => csvRowIdOf("variant", id) === null);
  const rows = await db.product.findMany({
    where: { shopId, ...onSale, variants: { some: { shopId, OR: [{ shopifyId: { in: shopifyIds } }, { id: { in: rowIds } }] } } },
    select: productSelect,
  });
  const found = new Map<string, PreviewProduct>();
  for (const product of rows.map(toPreviewProduct)) {
    for (const variant of product.variants) if (ids.includes(variant.id)) found.set(variant.id, product);
  }
  return found;
}

let featuredCache: { shopId: string; products: PreviewProduct[] } | null = null;

/** The shop's best sellers, for the storefront's home page. */
export async function listFeaturedProducts(shopId: string, limit = 12): Promise<PreviewProduct[]> {
  if (featuredCache?.shopId === shopId && featuredCache.products.length >= limit) return featuredCache.products.slice(0, limit);
  const top = await db.orderLine.groupBy({
    by: ["productId"],
    where: { shopId, productId: { not: null } },
    _count: { productId: true },
    orderBy: { _count: { productId: "desc" } },
    take: limit * 2,
  });
  const ids = top.flatMap((row) => (row.productId === null ? [] : [row.productId]));
  const rows = await db.product.findMany({ where: { shopId, id: { in: ids }, ...onSale }, select: productSelect });
  const byId = new Map(rows.map((row) => [row.id, row]));
  const products = ids.flatMap((id) => {
    const row = byId.get(id);
    return row && row.variants.length > 0 ? [toPreviewProduct(row)] : [];
  });
  featuredCache = { shopId, products };
  return products.slice(0, limit);
}
