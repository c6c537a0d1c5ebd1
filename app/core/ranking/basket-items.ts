import type { Order, ProductId } from "./types";

export interface BasketItems {
  /** Every distinct product of the order: each counts once towards popularity. */
  readonly distinct: ProductId[];
  /** The products whose pairs are counted: at most `maxPairedItems` of `distinct`. */
  readonly paired: ProductId[];
}

/**
 * Distinct products of an order, and the subset used for pair counting. A wholesale basket of
 * 700 lines would add 245,000 pairs, mostly noise; pair work per basket is capped at
 * maxPairedItems (≈ 600 pairs for 35). The kept items are those the buyer spent most on (a
 * deliberate line rather than a filler), ties in line order, so the choice is a pure function
 * of the order and removing the order later subtracts exactly what adding it added.
 */
export function basketItems(order: Order, maxPairedItems: number): BasketItems {
  const spend = new Map<ProductId, number>();
  for (const line of order.lines) {
    // Quantity is deliberately not a co-occurrence count; it only orders the lines by spend.
    const value = Math.max(0, line.quantity) * (line.unitPrice ?? 1);
    spend.set(line.productId, (spend.get(line.productId) ?? 0) + value);
  }
  const distinct = [...spend.keys()];
  if (distinct.length <= maxPairedItems) return { distinct, paired: distinct };
  const ranked = distinct
    .map((productId, position) => ({ productId, position, value: spend.get(productId) ?? 0 }))
    .sort((a, b) => b.value - a.value || a.position - b.position)
    .slice(0, maxPairedItems)
    .sort((a, b) => a.position - b.position);
  return { distinct, paired: ranked.map((item) => item.productId) };
}
