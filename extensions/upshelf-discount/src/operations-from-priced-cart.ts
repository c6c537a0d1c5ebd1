import { formatMinorAsDecimal } from "../../../app/core/money";
import { joinMessages, type PricedCart } from "../../../app/core/offers/checkout";
import type { CartOperation, ProductDiscountCandidate } from "./api-types";

/**
 * The engine's result as Shopify operations. Product discounts become one candidate per cart
 * line with a fixed amount, the exact sum of what the engine allocated to that line, so checkout
 * charges to the minor unit what the widget showed (a percentage would be re-rounded by
 * Shopify). One candidate per line because Shopify does not promise to stack two candidates of
 * one discount on the same line. Order discounts become one fixed-amount candidate on the
 * subtotal; Shopify spreads it over the lines itself.
 */
export function operationsFromPricedCart(
  priced: PricedCart,
  classes: { readonly product: boolean; readonly order: boolean },
): CartOperation[] {
  const operations: CartOperation[] = [];
  const currency = priced.currency;

  if (classes.product) {
    const candidates: ProductDiscountCandidate[] = [];
    for (const line of priced.lines) {
      const allocations = priced.applied
        .filter((offer) => offer.discountClass === "product")
        .flatMap((offer) => offer.allocations.filter((allocation) => allocation.lineId === line.lineId));
      const amount = allocations.reduce((sum, allocation) => sum + allocation.amount, 0);
      if (amount <= 0) continue;
      candidates.push({
        message: joinMessages(allocations.map((allocation) => allocation.message)),
        targets: [{ cartLine: { id: line.lineId, quantity: allocations.reduce((sum, a) => sum + a.quantity, 0) } }],
        value: { fixedAmount: { amount: formatMinorAsDecimal(amount, currency) } },
      });
    }
    if (candidates.length > 0) operations.push({ productDiscountsAdd: { candidates, selectionStrategy: "ALL" } });
  }

  if (classes.order) {
    const orderOffers = priced.applied.filter((offer) => offer.discountClass === "order");
    const amount = orderOffers.reduce((sum, offer) => sum + offer.amount, 0);
    if (amount > 0) {
      operations.push({
        orderDiscountsAdd: {
          candidates: [
            {
              message: joinMessages(orderOffers.map((offer) => offer.message)),
              targets: [{ orderSubtotal: { excludedCartLineIds: [] } }],
              value: { fixedAmount: { amount: formatMinorAsDecimal(amount, currency) } },
            },
          ],
          selectionStrategy: "FIRST",
        },
      });
    }
  }
  return operations;
}
