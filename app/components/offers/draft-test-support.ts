/**
 * Builders for the offer editor's tests. Not imported by production code.
 */
import type { PickedItem } from "./offer-draft";

export const NOW = Date.parse("2026-03-01T10:00:00Z");

/** Product n as the picker hands it to a draft: ids derived from n, a price in minor units (null: unknown). */
export function pickedProduct(n: number, price: number | null = 500, title = `Product ${n}`): PickedItem {
  return { kind: "product", id: `gid://shopify/Product/${n}`, productId: `gid://shopify/Product/${n}`, variantId: `gid://shopify/ProductVariant/${n}1`, title, price };
}
