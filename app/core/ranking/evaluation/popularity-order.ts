import type { Order, ProductId } from "../types";

/**
 * Candidate products ordered by training popularity (orders containing them, undecayed), most
 * popular first; ties keep candidate order. Baselines rank by this index so that equal scores
 * fall back to popularity, the usual and strongest tie-breaker.
 */
export function popularityOrder(
  train: readonly Order[],
  candidates: readonly ProductId[]
): { ids: ProductId[]; orders: number[] } {
  const counts = new Map<ProductId, number>();
  for (const order of train) {
    if (order.cancelled) continue;
    for (const id of new Set(order.lines.map((line) => line.productId))) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  const ids = [...new Set(candidates)]
    .map((id, index) => ({ id, index, orders: counts.get(id) ?? 0 }))
    .sort((a, b) => b.orders - a.orders || a.index - b.index);
  return { ids: ids.map((entry) => entry.id), orders: ids.map((entry) => entry.orders) };
}
