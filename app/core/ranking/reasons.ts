import type { ProductId } from "./types";

/** Why a product is recommended, machine-readable so widgets and the admin can phrase it. */
export type RecommendationReason =
  | { readonly kind: "bought_together"; readonly orders: number }
  | { readonly kind: "similar"; readonly toProductId: ProductId; readonly toTitle?: string }
  | { readonly kind: "popular_in_type"; readonly productType: string }
  | { readonly kind: "popular" }
  /**
   * Fillers the model has no sale of (a new shop, a product never sold): of the anchor's type, or
   * anything in the shop. Calling them popular would state sales that never happened.
   */
  | { readonly kind: "same_type"; readonly productType: string }
  | { readonly kind: "from_shop" }
  | { readonly kind: "pinned" }
  /** In a live bundle with the anchor (or an item of the cart), set up by the merchant. */
  | { readonly kind: "bundle" };

/** Placed by the merchant (a pin or a bundle) rather than learned: served first, in a fixed order. */
export function isPlacedByMerchant(reason: RecommendationReason): boolean {
  return reason.kind === "pinned" || reason.kind === "bundle";
}

/** English text for a reason, e.g. "Bought together in 142 orders". */
export function describeReason(reason: RecommendationReason): string {
  switch (reason.kind) {
    case "bought_together":
      return reason.orders === 1 ? "Bought together in 1 order" : `Bought together in ${reason.orders} orders`;
    case "similar":
      return `Similar to ${reason.toTitle ?? reason.toProductId}`;
    case "popular_in_type":
      return `Popular in ${reason.productType}`;
    case "popular":
      return "Popular in this shop";
    case "same_type":
      return `More in ${reason.productType}`;
    case "from_shop":
      return "More from this shop";
    case "pinned":
      return "Pinned by merchant";
    case "bundle":
      return "In a bundle offer";
  }
}
