import { parseDecimalToMinor } from "../../../app/core/money";
import type { CartInput, CartLineInput } from "../../../app/core/offers/checkout";
import type { CartLinesDiscountsGenerateRunInput } from "./api-types";

/**
 * Shopify's cart input as the offers engine's cart. Prices stay in the presentment currency
 * the buyer pays in; amounts configured in the shop currency are converted by the engine at
 * `presentmentCurrencyRate`. Returns null for a cart the function cannot price (no lines, or
 * lines in different currencies, which Shopify never sends).
 */
export function cartFromInput(input: CartLinesDiscountsGenerateRunInput): CartInput | null {
  const lines = input.cart.lines;
  const currency = lines[0]?.cost.amountPerQuantity.currencyCode;
  if (!currency) return null;
  const cartLines: CartLineInput[] = [];
  for (const line of lines) {
    const price = line.cost.amountPerQuantity;
    if (price.currencyCode !== currency) return null;
    const merchandise = line.merchandise;
    const variant = merchandise.__typename === "ProductVariant" ? merchandise : null;
    cartLines.push({
      id: line.id,
      quantity: line.quantity,
      // A per-unit cost can carry more digits than the currency has; checkout shows the nearest.
      unitPrice: parseDecimalToMinor(price.amount, currency, { rounding: "half-up" }),
      // Custom products match no offer but still count towards the subtotal for spend tiers.
      variantId: variant?.id ?? "",
      productId: variant?.product.id ?? "",
      collectionIds: variant ? variant.product.inCollections.filter((c) => c.isMember).map((c) => c.collectionId) : [],
    });
  }
  const rate = input.presentmentCurrencyRate;
  return rate === undefined || rate === null
    ? { currency, lines: cartLines }
    : { currency, presentmentRate: String(rate), lines: cartLines };
}
