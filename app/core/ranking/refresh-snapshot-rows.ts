import { DEFAULT_SNAPSHOT_OPTIONS, fillCandidateRow, snapshotVersion, type SnapshotOptions } from "./build-snapshot";
import { decayFactorAt, ordersWithBoth, type CoPurchaseStats } from "./co-purchase-stats";
import type { RankingSnapshot } from "./ranking-snapshot";
import { coPurchaseSimilarity } from "./similarity";
import type { ProductId } from "./types";

/**
 * A new snapshot in which the candidate rows of `productIds` are recomputed from `stats` (after
 * `addOrder`), everything else shared with the old one. This is how a new order reaches the
 * serving model without a rebuild: the products of the order get their co-purchase candidates
 * from the updated statistics at once. What it leaves for the next full build is second-order:
 * other products' rows (whose scores for these products moved a little), popularity and the
 * cold-start lists. Costs one pass over the statistics' products per refreshed row.
 *
 * `stats` must be the statistics the snapshot was built from (same options), kept up to date;
 * products not in the snapshot's catalog are ignored (the catalog decides what exists).
 */
export function refreshSnapshotRows(
  snapshot: RankingSnapshot,
  stats: CoPurchaseStats,
  productIds: Iterable<ProductId>,
  options: Partial<SnapshotOptions> & Pick<SnapshotOptions, "now">
): RankingSnapshot {
  const settings: SnapshotOptions = { ...DEFAULT_SNAPSHOT_OPTIONS, ...options };
  const count = snapshot.productIds.length;
  const refreshed = new Set<number>();
  for (const id of productIds) {
    const position = snapshot.positions.get(id);
    if (position !== undefined) refreshed.add(position);
  }
  if (refreshed.size === 0) return snapshot;

  const decay = decayFactorAt(stats, settings.now);
  const allOrders = stats.orderWeight * decay;
  const catalogOf = (statsPosition: number) => snapshot.positions.get(stats.products.ids[statsPosition] ?? "") ?? -1;
  const weightOf = (statsPosition: number) => (stats.itemWeight[statsPosition] ?? 0) * decay;
  const statsOf = (catalogPosition: number) => stats.products.positions.get(snapshot.productIds[catalogPosition] ?? "") ?? -1;
  const limit = Math.min(settings.candidatesPerProduct, Math.max(0, count - 1));

  // A one-row view of the co-purchase candidates, reused for each refreshed product.
  const offsets = new Uint32Array(count + 1);
  const taken = new Uint8Array(count);
  const rows = new Map<
    number,
    {
      candidates: number[];
      scores: number[];
      orders: number[];
      reasons: number[];
    }
  >();
  for (const product of refreshed) {
    const neighbours: number[] = [];
    const scores: number[] = [];
    const own = stats.products.positions.get(snapshot.productIds[product] ?? "");
    if (own !== undefined) {
      const anchorWeight = weightOf(own);
      const visit = (other: number, slot: number) => {
        const orders = stats.pairOrders[slot] ?? 0;
        const candidate = catalogOf(other);
        if (orders < settings.minPairOrders || candidate < 0) return;
        const pair = (stats.pairWeight[slot] ?? 0) * decay;
        neighbours.push(candidate);
        scores.push(
          coPurchaseSimilarity(
            {
              pair,
              anchor: anchorWeight,
              candidate: weightOf(other),
              orders: allOrders,
            },
            settings.similarity
          )
        );
      };
      // Pairs are stored once, under their lower position.
      for (const [other, slot] of stats.pairSlots[own] ?? []) visit(other, slot);
      for (let lower = 0; lower < own; lower++) {
        const slot = stats.pairSlots[lower]?.get(own);
        if (slot !== undefined) visit(lower, slot);
      }
    }
    offsets[product] = 0;
    offsets[product + 1] = neighbours.length;
    const row = {
      candidates: [] as number[],
      scores: [] as number[],
      orders: [] as number[],
      reasons: [] as number[],
    };
    taken[product] = 1;
    fillCandidateRow(
      product,
      {
        coPurchase: {
          offsets,
          neighbours: Uint32Array.from(neighbours),
          scores: Float32Array.from(scores),
        },
        similar: {
          offsets: snapshot.similarOffsets,
          neighbours: snapshot.similar,
          scores: snapshot.similarScores,
        },
        types: {
          typeOf: snapshot.productTypeOf,
          offsets: snapshot.typeOffsets,
          members: snapshot.typeMembers,
        },
        popularity: snapshot.popularity,
        popularOrder: snapshot.popularOrder,
        settings,
        ordersWithBoth: (a, b) => ordersWithBoth(stats, statsOf(a), statsOf(b)),
      },
      (candidate, score, orders, reason) => {
        if (row.candidates.length >= limit || taken[candidate]) return;
        taken[candidate] = 1;
        row.candidates.push(candidate);
        row.scores.push(score);
        row.orders.push(orders);
        row.reasons.push(reason);
      },
      () => row.candidates.length >= limit
    );
    for (const candidate of row.candidates) taken[candidate] = 0;
    taken[product] = 0;
    offsets[product + 1] = 0;
    rows.set(product, row);
  }

  let total = 0;
  for (let product = 0; product < count; product++) {
    const old = snapshot.candidateOffsets;
    total += rows.get(product)?.candidates.length ?? (old[product + 1] ?? 0) - (old[product] ?? 0);
  }
  const candidateOffsets = new Uint32Array(count + 1);
  const candidates = new Uint32Array(total);
  const candidateScores = new Float32Array(total);
  const candidateOrders = new Uint32Array(total);
  const candidateReasons = new Uint8Array(total);
  let filled = 0;
  for (let product = 0; product < count; product++) {
    const row = rows.get(product);
    if (row) {
      candidates.set(row.candidates, filled);
      candidateScores.set(row.scores, filled);
      candidateOrders.set(row.orders, filled);
      candidateReasons.set(row.reasons, filled);
      filled += row.candidates.length;
    } else {
      const start = snapshot.candidateOffsets[product] ?? 0;
      const end = snapshot.candidateOffsets[product + 1] ?? 0;
      candidates.set(snapshot.candidates.subarray(start, end), filled);
      candidateScores.set(snapshot.candidateScores.subarray(start, end), filled);
      candidateOrders.set(snapshot.candidateOrders.subarray(start, end), filled);
      candidateReasons.set(snapshot.candidateReasons.subarray(start, end), filled);
      filled += end - start;
    }
    candidateOffsets[product + 1] = filled;
  }
  const next = {
    ...snapshot,
    orderCount: stats.orderCount,
    candidateOffsets,
    candidates,
    candidateScores,
    candidateOrders,
    candidateReasons,
  };
  return Object.freeze({ ...next, version: snapshotVersion(next) });
}
