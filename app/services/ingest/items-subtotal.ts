import type { IncomingOrderLine } from "./types";

/**
 * The order's items after discounts, before shipping and tax, summed from its lines. Shopify's own
 * subtotal keeps the amount of checkout, while an accepted post-purchase offer (or any order edit)
 * adds a line afterwards; for an order nobody edited the two are the same figure, since Shopify
 * allocates every discount on items to the lines. Every order source stores this one.
 */
export function itemsSubtotal(lines: ReadonlyArray<Pick<IncomingOrderLine, "quantity" | "unitPrice" | "discount">>): number {
  return lines.reduce((sum, line) => sum + Math.max(0, line.quantity * line.unitPrice - (line.discount ?? 0)), 0);
}
