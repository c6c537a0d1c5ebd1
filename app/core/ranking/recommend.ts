import { DEFAULT_SCORING_OPTIONS, scoreCandidates, type ScoredCandidates, type ScoringOptions } from "./candidate-scoring";
import { createRuleFilter, type ServeContext } from "./merchant-rules";
import { CANDIDATE_REASON, type RankingSnapshot } from "./ranking-snapshot";
import type { RecommendationReason } from "./reasons";
import { topIndices } from "./top-n";
import type { ProductId } from "./types";

export interface Recommendation {
  readonly productId: ProductId;
  /** Relative strength within one answer, non-increasing down the list; not comparable across queries. */
  readonly score: number;
  readonly reason: RecommendationReason;
}

export interface RecommendOptions extends ServeContext {
  /** Recommendations wanted (default 10). */
  readonly limit?: number;
  /** Only the first this many anchors are used (default 20): a wholesale cart stays cheap. */
  readonly maxAnchors?: number;
  readonly scoring?: Partial<ScoringOptions>;
}

const DEFAULT_LIMIT = 10;
const DEFAULT_MAX_ANCHORS = 20;

/** Product page: what goes with this product. */
export function recommendForProduct(
  snapshot: RankingSnapshot,
  productId: ProductId,
  options: RecommendOptions = {}
): Recommendation[] {
  return recommendFromAnchors(snapshot, [productId], options);
}

/** Cart: evidence from every item combined; items already in the cart are never recommended. */
export function recommendForCart(
  snapshot: RankingSnapshot,
  productIds: readonly ProductId[],
  options: RecommendOptions = {}
): Recommendation[] {
  return recommendFromAnchors(snapshot, productIds, options);
}

/** Post-purchase: the order's items are the anchors and are excluded, as in a cart. */
export function recommendForOrder(
  snapshot: RankingSnapshot,
  productIds: readonly ProductId[],
  options: RecommendOptions = {}
): Recommendation[] {
  return recommendFromAnchors(snapshot, productIds, options);
}

function recommendFromAnchors(
  snapshot: RankingSnapshot,
  anchorIds: readonly ProductId[],
  options: RecommendOptions
): Recommendation[] {
  const limit = options.limit ?? DEFAULT_LIMIT;
  if (limit <= 0) return [];
  const blocked = new Set<number>();
  const anchorPositions: number[] = [];
  for (const id of anchorIds) {
    const position = snapshot.positions.get(id);
    if (position === undefined || blocked.has(position)) continue;
    blocked.add(position);
    if (anchorPositions.length < (options.maxAnchors ?? DEFAULT_MAX_ANCHORS)) anchorPositions.push(position);
  }
  const filter = createRuleFilter(snapshot, anchorIds, blocked, options);
  const results: Recommendation[] = [];
  const served = new Set<number>();
  const serve = (position: number, score: number, reason: RecommendationReason) => {
    served.add(position);
    results.push({ productId: snapshot.productIds[position] ?? "", score, reason });
  };
  const pins = [...filter.pinned, ...filter.bundled].slice(0, limit);
  const bundled = new Set(filter.bundled);
  for (const position of pins) {
    filter.admit(position);
    served.add(position);
  }
  const ordinaryLimit = limit - pins.length;

  const scoring = { ...DEFAULT_SCORING_OPTIONS, ...options.scoring };
  const scored = scoreCandidates(snapshot, anchorPositions, scoring);
  const eligible = scored.touched.filter((position) => filter.isEligible(position));
  // Without a diversity rule the first `limit` eligible candidates are the answer. With one, some
  // may be skipped: rank a few times more first, and everything only if that was not enough.
  const diversity = options.rules?.maxPerProductType !== undefined;
  let wanted = diversity ? ordinaryLimit * 4 : ordinaryLimit;
  let considered = 0;
  for (;;) {
    const ranked = topIndices(eligible.length, (i) => scored.score[eligible[i] ?? 0] ?? 0, wanted);
    for (const i of ranked.slice(considered)) {
      if (results.length >= ordinaryLimit) break;
      const position = eligible[i] ?? 0;
      if (!filter.admit(position)) continue;
      serve(position, scored.score[position] ?? 0, reasonFor(snapshot, scored, position));
    }
    considered = ranked.length;
    if (results.length >= ordinaryLimit || considered >= eligible.length || !diversity) break;
    wanted = eligible.length;
  }
  // Thin evidence and strict rules can leave gaps: fill from the best sellers, still by the rules.
  for (let i = 0; i < snapshot.popularOrder.length && results.length < ordinaryLimit; i++) {
    const position = snapshot.popularOrder[i] ?? 0;
    if (served.has(position) || !filter.isEligible(position) || !filter.admit(position)) continue;
    serve(position, 0, popularReason(snapshot, position));
  }
  // Pins, then bundle companions, lead the list; they carry the best learned score so that scores stay finite (JSON-safe)
  // and non-increasing down the list.
  const pinScore = results[0]?.score ?? 0;
  const pinned: Recommendation[] = pins.map((position) => ({
    productId: snapshot.productIds[position] ?? "",
    score: pinScore,
    reason: bundled.has(position) ? { kind: "bundle" } : { kind: "pinned" },
  }));
  return [...pinned, ...results];
}

function reasonFor(snapshot: RankingSnapshot, scored: ScoredCandidates, position: number): RecommendationReason {
  const entry = scored.bestEntry[position] ?? -1;
  if (entry < 0) return popularReason(snapshot, position);
  switch (snapshot.candidateReasons[entry]) {
    case CANDIDATE_REASON.boughtTogether:
      return { kind: "bought_together", orders: snapshot.candidateOrders[entry] ?? 0 };
    case CANDIDATE_REASON.similar: {
      const anchor = ownerOfEntry(snapshot.candidateOffsets, entry);
      return { kind: "similar", toProductId: snapshot.productIds[anchor] ?? "", toTitle: snapshot.titles[anchor] ?? "" };
    }
    case CANDIDATE_REASON.popularInType: {
      const type = snapshot.productTypeOf[position] ?? -1;
      const productType = type >= 0 ? snapshot.productTypes[type] : undefined;
      if (!productType) return popularReason(snapshot, position);
      return hasSales(snapshot, position) ? { kind: "popular_in_type", productType } : { kind: "same_type", productType };
    }
    default:
      return popularReason(snapshot, position);
  }
}

/**
 * Whether the model has any sale of the product. Fillers are ranked by popularity, and in a shop
 * with few or no orders most have none: they are not "popular", they fill the list.
 */
export function hasSales(snapshot: RankingSnapshot, position: number): boolean {
  return (snapshot.popularity[position] ?? 0) > 0;
}

function popularReason(snapshot: RankingSnapshot, position: number): RecommendationReason {
  return hasSales(snapshot, position) ? { kind: "popular" } : { kind: "from_shop" };
}

/** The product whose candidate row contains `entry` (binary search over row offsets). */
export function ownerOfEntry(offsets: Uint32Array, entry: number): number {
  let low = 0;
  let high = offsets.length - 2;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((offsets[middle] ?? 0) <= entry) low = middle;
    else high = middle - 1;
  }
  return low;
}
