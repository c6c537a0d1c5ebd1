import type { ProductId } from "../types";

/** 1-based rank of `target` in `ranked`, or undefined when absent. */
export function rankOf(ranked: readonly ProductId[], target: ProductId): number | undefined {
  const index = ranked.indexOf(target);
  return index < 0 ? undefined : index + 1;
}

/** Whether the single held-out item is in the top k. */
export function hitAtK(ranked: readonly ProductId[], target: ProductId, k: number): number {
  const rank = rankOf(ranked, target);
  return rank !== undefined && rank <= k ? 1 : 0;
}

/** Reciprocal rank of the held-out item within the list given (0 when absent). */
export function reciprocalRank(ranked: readonly ProductId[], target: ProductId): number {
  const rank = rankOf(ranked, target);
  return rank === undefined ? 0 : 1 / rank;
}

/** Share of the targets found in the top k. */
export function recallAtK(ranked: readonly ProductId[], targets: ReadonlySet<ProductId>, k: number): number {
  if (targets.size === 0) return 0;
  let hits = 0;
  for (const id of ranked.slice(0, k)) if (targets.has(id)) hits += 1;
  return hits / targets.size;
}

/** Binary-relevance NDCG@k: DCG of the list over the DCG of a list with every target on top. */
export function ndcgAtK(ranked: readonly ProductId[], targets: ReadonlySet<ProductId>, k: number): number {
  if (targets.size === 0) return 0;
  let dcg = 0;
  ranked.slice(0, k).forEach((id, index) => {
    if (targets.has(id)) dcg += 1 / Math.log2(index + 2);
  });
  let ideal = 0;
  for (let index = 0; index < Math.min(k, targets.size); index++) ideal += 1 / Math.log2(index + 2);
  return dcg / ideal;
}

/** Running mean without keeping the values. */
export class MeanAccumulator {
  private total = 0;
  private count = 0;
  add(value: number): void {
    this.total += value;
    this.count += 1;
  }
  get mean(): number {
    return this.count === 0 ? 0 : this.total / this.count;
  }
}
