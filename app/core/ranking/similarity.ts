/**
 * Item-to-item co-purchase similarity. All inputs are decayed weights: `pair` for orders with
 * both products, `anchor` and `candidate` for orders with each, `orders` for all orders.
 * `shrink` is added to the denominator (or pulls lift towards zero) so that two products seen
 * together once, each sold once, do not outrank a pattern seen in hundreds of orders.
 * See docs/decisions/0004-ranking-similarity.md for the measurements behind the default.
 */
export type SimilarityMeasure = "cosine" | "jaccard" | "lift" | "asymmetric_cosine";

export interface PairWeights {
  readonly pair: number;
  readonly anchor: number;
  readonly candidate: number;
  readonly orders: number;
}

export interface SimilarityParameters {
  readonly measure: SimilarityMeasure;
  readonly shrink: number;
  /**
   * Asymmetric cosine only: pair / (anchor^alpha · candidate^(1-alpha)). Alpha above 0.5
   * divides less by the candidate's popularity, alpha below 0.5 more: it is the
   * best-seller damping knob.
   */
  readonly alpha: number;
}

export function coPurchaseSimilarity(weights: PairWeights, parameters: SimilarityParameters): number {
  const { pair, anchor, candidate, orders } = weights;
  if (!(pair > 0)) return 0;
  const { shrink } = parameters;
  switch (parameters.measure) {
    case "cosine":
      return pair / (Math.sqrt(anchor * candidate) + shrink);
    case "asymmetric_cosine":
      return pair / (Math.pow(anchor, parameters.alpha) * Math.pow(candidate, 1 - parameters.alpha) + shrink);
    case "jaccard":
      return pair / (anchor + candidate - pair + shrink);
    case "lift": {
      // Lift alone adores pairs of rarities; damping by support/(support+shrink) restores evidence.
      const lift = (pair * orders) / (anchor * candidate);
      return Math.log1p(lift) * (pair / (pair + shrink));
    }
  }
}
