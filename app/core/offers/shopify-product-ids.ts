import type { ItemRef } from "./types";

/** The product (GID or numeric id) a variant GID belongs to; undefined for an unknown variant. */
export type ProductOfVariant = (variantGid: string) => string | undefined;

const PRODUCT_GID = "gid://shopify/Product/";

/**
 * Shopify's numeric product id as a string (what Liquid's `product.id` and the ranking snapshot
 * use), or null for an id that can never name a Shopify product (a CSV-only product's key).
 */
export function numericProductId(id: string | undefined): string | null {
  if (id === undefined) return null;
  const tail = id.startsWith(PRODUCT_GID) ? id.slice(PRODUCT_GID.length) : id;
  return /^\d+$/.test(tail) ? tail : null;
}

/** The numeric id of the product an offer's item names, directly or through one of its variants. */
export function productOfRef(ref: ItemRef, productOfVariant: ProductOfVariant): string | null {
  return "productId" in ref ? numericProductId(ref.productId) : numericProductId(productOfVariant(ref.variantId));
}
