/**
 * Builders for tests (the engine's and the checkout function's). Not imported by production code.
 */
import { parseOffer } from "./parse-offer";
import type { CartInput, CartLineInput, Offer } from "./types";

export const NOW = Date.parse("2025-06-01T12:00:00Z");

/** Parses an offer the way the admin would, active unless said otherwise. */
export function makeOffer(input: Record<string, unknown>): Offer {
  return parseOffer({ title: String(input.id ?? "offer"), status: "active", ...input });
}

export function line(
  id: string,
  unitPrice: number,
  quantity = 1,
  extra: Partial<Omit<CartLineInput, "id" | "unitPrice" | "quantity">> = {},
): CartLineInput {
  return {
    id,
    unitPrice,
    quantity,
    productId: extra.productId ?? `product-${id}`,
    variantId: extra.variantId ?? `variant-${id}`,
    collectionIds: extra.collectionIds ?? [],
  };
}

export function cartOf(lines: readonly CartLineInput[], currency = "USD", presentmentRate?: string | number): CartInput {
  return presentmentRate === undefined ? { currency, lines } : { currency, lines, presentmentRate };
}

export const combinesWithAll = { productDiscounts: true, orderDiscounts: true, shippingDiscounts: false };
