/**
 * Builders for the offer editor's tests. Not imported by production code.
 */
import type { TestProduct } from "../../../tests/factories/catalog";
import type { PickedItem } from "./offer-draft";

export const NOW = Date.parse("2026-03-01T10:00:00Z");

/** Product n as the picker hands it to a draft: ids derived from n, a price in minor units (null: unknown). */
export function pickedProduct(n: number, price: number | null = 500, title = `Product ${n}`): PickedItem {
  return { kind: "product", id: `gid://shopify/Product/${n}`, productId: `gid://shopify/Product/${n}`, variantId: `gid://shopify/ProductVariant/${n}1`, title, price, lowestPrice: price };
}

/** A one-variant test catalog product as the picker hands it to a draft. */
export function pickedTestProduct(product: TestProduct, price: number): PickedItem {
  const id = `gid://shopify/Product/${product.shopifyId}`;
  return { kind: "product", id, productId: id, variantId: `gid://shopify/ProductVariant/${product.variantShopifyId}`, title: product.title, price, lowestPrice: price };
}
