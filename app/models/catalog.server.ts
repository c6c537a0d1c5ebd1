import { CSV_KEY_PREFIX, csvRowIdOf, isCsvOnlyKey, type CatalogRowKind } from "~/core/catalog-keys";
import type { CatalogProduct } from "~/core/ranking";
import db, { type Prisma } from "~/db.server";

/** A product as the storefront widgets show it: its first variant's price, in minor units. */
export interface ProductCard {
  productId: string;
  /** The variant shown and offered: the product's first. */
  variantId: string;
  /** Every variant of the product, so a cart holding any of them names the product. */
  variantIds: string[];
  handle: string;
  title: string;
  productType: string;
  vendor: string;
  tags: string[];
  description: string;
  price: number;
  compareAtPrice: number | null;
  currency: string;
  imageUrl: string | null;
  available: boolean;
  published: boolean;
}

/** Whether a variant can be bought: in stock, untracked (null) or sold when out of stock ("continue"). */
export function isVariantAvailable(variant: { inventoryQuantity: number | null; inventoryPolicy: string }): boolean {
  return variant.inventoryQuantity === null || variant.inventoryQuantity > 0 || variant.inventoryPolicy === "continue";
}

/**
 * Active and published to the online store: buyers can see it. A product known only from a
 * products CSV is not in Shopify's store at all, whatever its file said (core/catalog-keys.ts).
 */
export function isProductPublished(product: { shopifyId: string; status: string; publishedAt: Date | null }): boolean {
  return product.status === "active" && product.publishedAt !== null && !isCsvOnlyKey(product.shopifyId);
}

/**
 * Whether Shopify owns a stored product's values (prices, stock, status, publication, variants):
 * its key is Shopify's id, and the shop is a real one that the catalog sync and product webhooks
 * keep up to date. A `csv:` product is not in Shopify at all, and the demo shop has no Shopify
 * behind it (its catalog is seeded from a file under made-up ids, and nothing syncs it): for
 * those, the file is the catalog.
 */
export function isOwnedByShopify(shop: { isDemo: boolean }, productShopifyId: string): boolean {
  return !shop.isDemo && !isCsvOnlyKey(productShopifyId);
}

/** What decides ownership for all of a shop's products (see isOwnedByShopify). */
export async function catalogOwnerOf(shopId: string): Promise<{ isDemo: boolean }> {
  const shop = await db.shop.findUnique({ where: { id: shopId }, select: { isDemo: true } });
  return { isDemo: shop?.isDemo ?? false };
}

/** A card as the ranking engine reads a product (build, incremental refresh and backtests alike). */
export function rankingCatalogProduct(card: ProductCard): CatalogProduct {
  return {
    id: card.productId,
    title: card.title,
    description: card.description,
    productType: card.productType || undefined,
    vendor: card.vendor || undefined,
    tags: card.tags,
    price: card.price,
    available: card.available,
    published: card.published,
  };
}

/** The shop's product cards; with `productIds`, only those products' (for refreshing a few). */
export async function listProductCards(shopId: string, options: { productIds?: readonly string[] } = {}): Promise<ProductCard[]> {
  if (options.productIds) {
    const owner = await catalogOwnerOf(shopId);
    return cardsOf(await db.product.findMany({ where: { shopId, shopifyId: { in: [...options.productIds] } }, select: CARD_FIELDS, orderBy: { id: "asc" } }), owner);
  }
  const cards: ProductCard[] = [];
  for await (const page of productCardPages(shopId)) cards.push(...page);
  return cards;
}

/** Products read per query by productCardPages. */
export const PRODUCT_CARD_PAGE_SIZE = 100;

/**
 * Every product card of the shop, a page at a time, so a rebuild can let storefront requests run
 * between the queries (on SQLite each holds the process until it returns).
 */
export async function* productCardPages(shopId: string, pageSize = PRODUCT_CARD_PAGE_SIZE): AsyncGenerator<ProductCard[]> {
  const owner = await catalogOwnerOf(shopId);
  let after = 0;
  for (;;) {
    const products = await db.product.findMany({ where: { shopId, id: { gt: after } }, select: CARD_FIELDS, orderBy: { id: "asc" }, take: pageSize });
    if (products.length === 0) return;
    yield cardsOf(products, owner);
    const last = products[products.length - 1];
    if (!last || products.length < pageSize) return;
    after = last.id;
  }
}

const CARD_FIELDS = {
  id: true, shopifyId: true, handle: true, title: true, productType: true, vendor: true, tags: true,
  description: true, status: true, publishedAt: true, imageUrl: true,
  variants: {
    select: { shopifyId: true, priceAmount: true, compareAtAmount: true, currency: true, inventoryQuantity: true, inventoryPolicy: true },
    orderBy: { id: "asc" },
  },
} as const satisfies Prisma.ProductSelect;

type CardProduct = Prisma.ProductGetPayload<{ select: typeof CARD_FIELDS }>;

/**
 * The variants a card may offer and judge stock by. On a product Shopify owns, only Shopify's: a
 * `csv:` variant there (hung on it by an import before imports stopped doing so) cannot be added
 * to a cart, and its file's stock and price are not Shopify's.
 */
function offerableVariants(product: CardProduct, owner: { isDemo: boolean }): CardProduct["variants"] {
  if (!isOwnedByShopify(owner, product.shopifyId)) return product.variants;
  return product.variants.filter((variant) => !isCsvOnlyKey(variant.shopifyId));
}

function cardsOf(products: CardProduct[], owner: { isDemo: boolean }): ProductCard[] {
  const cards: ProductCard[] = [];
  for (const product of products) {
    const variants = offerableVariants(product, owner);
    // The variant a widget offers: the first a buyer can buy (a sold-out first size must not hide
    // the others, nor be offered at its price), else the first.
    const variant = variants.find(isVariantAvailable) ?? variants[0];
    if (!variant) continue;
    cards.push({
      productId: product.shopifyId,
      variantId: variant.shopifyId,
      variantIds: product.variants.map((v) => v.shopifyId),
      handle: product.handle,
      title: product.title,
      productType: product.productType,
      vendor: product.vendor,
      tags: product.tags ? product.tags.split(",").map((tag) => tag.trim()).filter(Boolean) : [],
      description: product.description,
      price: variant.priceAmount,
      compareAtPrice: variant.compareAtAmount,
      currency: variant.currency,
      imageUrl: product.imageUrl,
      available: variants.some(isVariantAvailable),
      published: isProductPublished(product),
    });
  }
  return cards;
}

/** Variant id -> product id, for turning a cart's variants into anchors. */
export async function mapVariantsToProducts(shopId: string, variantIds: string[]): Promise<Map<string, string>> {
  const variants = await db.variant.findMany({
    where: { shopId, shopifyId: { in: variantIds } },
    select: { shopifyId: true, product: { select: { shopifyId: true } } },
  });
  return new Map(variants.map((variant) => [variant.shopifyId, variant.product.shopifyId]));
}

/**
 * Storefront ids of CSV-only rows (core/catalog-keys.ts storefrontIdOf) -> their stored keys, for
 * the ids among `ids` that name such a row of this shop; any other id is left out. Reads nothing
 * when no id is in their range, so Shopify's ids cost no query.
 */
export async function csvKeysOfStorefrontIds(shopId: string, kind: CatalogRowKind, ids: readonly string[]): Promise<Map<string, string>> {
  const byRow = new Map(ids.flatMap((id) => {
    const rowId = csvRowIdOf(kind, id);
    return rowId === null ? [] : [[rowId, id] as const];
  }));
  if (byRow.size === 0) return new Map();
  const where = { shopId, id: { in: [...byRow.keys()] }, shopifyId: { startsWith: CSV_KEY_PREFIX } };
  const select = { id: true, shopifyId: true } as const;
  const rows = kind === "product" ? await db.product.findMany({ where, select }) : await db.variant.findMany({ where, select });
  return new Map(rows.map((row) => [byRow.get(row.id) as string, row.shopifyId]));
}
