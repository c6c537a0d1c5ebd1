import { addOrder, createCoPurchaseStats, forEachPair } from "../co-purchase-stats";
import { topIndices } from "../top-n";
import type { Order, ProductId } from "../types";
import type { EvaluatedModel } from "./evaluated-model";
import { popularityOrder } from "./popularity-order";

/** The similarity functions of Microsoft SAR, plus raw counts. */
export type ItemItemSimilarity = "cooccurrence" | "cosine" | "jaccard";

/** Undecayed, uncapped co-occurrence counts as compressed rows over popularity ranks. */
export interface CooccurrenceMatrix {
  readonly ids: ProductId[];
  readonly rankOf: Map<ProductId, number>;
  readonly itemOrders: Float64Array;
  readonly offsets: Uint32Array;
  readonly neighbours: Uint32Array;
  readonly counts: Uint32Array;
}

/**
 * Counts pairs over whole baskets as the textbook baselines do: no decay, no cap per basket,
 * no weighting by basket size. Built once and shared by the three item-item baselines.
 */
export function buildCooccurrenceMatrix(train: readonly Order[], candidates: readonly ProductId[]): CooccurrenceMatrix {
  const stats = createCoPurchaseStats({
    halfLifeDays: Number.POSITIVE_INFINITY,
    maxPairedItems: Number.MAX_SAFE_INTEGER,
    basketSizeExponent: 0,
  });
  for (const order of train) addOrder(stats, order);
  const { ids, orders } = popularityOrder(train, candidates);
  const rankOf = new Map(ids.map((id, rank) => [id, rank]));
  const statsToRank = stats.products.ids.map((id) => rankOf.get(id) ?? -1);
  const offsets = new Uint32Array(ids.length + 1);
  forEachPair(stats, (a, b) => {
    const ra = statsToRank[a] ?? -1;
    const rb = statsToRank[b] ?? -1;
    if (ra < 0 || rb < 0) return;
    offsets[ra + 1] = (offsets[ra + 1] ?? 0) + 1;
    offsets[rb + 1] = (offsets[rb + 1] ?? 0) + 1;
  });
  for (let r = 0; r < ids.length; r++) offsets[r + 1] = (offsets[r + 1] ?? 0) + (offsets[r] ?? 0);
  const neighbours = new Uint32Array(offsets[ids.length] ?? 0);
  const counts = new Uint32Array(neighbours.length);
  const next = offsets.slice(0, ids.length);
  const put = (from: number, to: number, count: number) => {
    const slot = next[from] ?? 0;
    neighbours[slot] = to;
    counts[slot] = count;
    next[from] = slot + 1;
  };
  forEachPair(stats, (a, b, count) => {
    const ra = statsToRank[a] ?? -1;
    const rb = statsToRank[b] ?? -1;
    if (ra < 0 || rb < 0) return;
    put(ra, rb, count);
    put(rb, ra, count);
  });
  return { ids, rankOf, itemOrders: Float64Array.from(orders), offsets, neighbours, counts };
}

/** Sum over anchors of sim(anchor, candidate); ties (including zero scores) by popularity. */
export function itemItemBaseline(matrix: CooccurrenceMatrix, similarity: ItemItemSimilarity): EvaluatedModel {
  // Similarities are computed once per matrix entry, not per query: the evaluation asks ~70,000 queries.
  const weights = new Float64Array(matrix.counts.length);
  for (let anchor = 0; anchor < matrix.ids.length; anchor++) {
    const anchorOrders = matrix.itemOrders[anchor] ?? 0;
    for (let entry = matrix.offsets[anchor] ?? 0; entry < (matrix.offsets[anchor + 1] ?? 0); entry++) {
      const count = matrix.counts[entry] ?? 0;
      const candidateOrders = matrix.itemOrders[matrix.neighbours[entry] ?? 0] ?? 0;
      weights[entry] =
        similarity === "cooccurrence"
          ? count
          : similarity === "cosine"
          ? count / Math.sqrt(anchorOrders * candidateOrders)
          : count / (anchorOrders + candidateOrders - count);
    }
  }
  const score = new Float64Array(matrix.ids.length);
  const touched: number[] = [];
  return {
    name: similarity,
    recommend(anchors, limit) {
      const anchorRanks: number[] = [];
      for (const id of anchors) {
        const rank = matrix.rankOf.get(id);
        if (rank !== undefined) anchorRanks.push(rank);
      }
      for (const anchor of anchorRanks) {
        for (let entry = matrix.offsets[anchor] ?? 0; entry < (matrix.offsets[anchor + 1] ?? 0); entry++) {
          const candidate = matrix.neighbours[entry] ?? 0;
          if (score[candidate] === 0) touched.push(candidate);
          score[candidate] = (score[candidate] ?? 0) + (weights[entry] ?? 0);
        }
      }
      // Anchors are marked NaN (skipped by topIndices) for this query only.
      for (const anchor of anchorRanks) {
        if (score[anchor] === 0) touched.push(anchor);
        score[anchor] = Number.NaN;
      }
      // Ranks are popularity order and topIndices prefers lower indices on ties.
      const best = topIndices(matrix.ids.length, (rank) => score[rank] ?? 0, limit);
      for (const rank of touched) score[rank] = 0;
      touched.length = 0;
      return best.map((rank) => matrix.ids[rank] ?? "");
    },
  };
}
