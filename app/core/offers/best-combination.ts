import {
  applyEvaluation,
  type CombinationState,
  type OfferEvaluation,
  type PreparedOffer,
} from "./evaluation";

/**
 * How many offer evaluations one search may spend. With up to 8 applicable offers (255
 * evaluations at most) every valid combination is tried; beyond that the search stops when
 * the budget is spent and keeps the best combination found so far. The search tries including
 * offers before leaving them out, so its first complete combination is the greedy one (every
 * compatible offer in precedence order) and a cut search is never worse than greedy. The cut
 * is deterministic, and the widget and checkout run the same code, so it never makes them
 * disagree; it only bounds the work inside Shopify's instruction budget.
 */
export const SEARCH_EVALUATION_BUDGET = 255;

export interface ChosenOffer {
  readonly prepared: PreparedOffer;
  readonly evaluation: OfferEvaluation;
}

export interface Combination {
  readonly chosen: readonly ChosenOffer[];
  readonly saving: number;
  readonly state: CombinationState;
}

/** Whether two offers may apply together, by Shopify's rules for discount classes. */
export function canCombine(a: PreparedOffer, b: PreparedOffer): boolean {
  const aWith = a.offer.combinesWith;
  const bWith = b.offer.combinesWith;
  if (a.discountClass === "product" && b.discountClass === "product") {
    return aWith.productDiscounts && bWith.productDiscounts;
  }
  if (a.discountClass === "order" && b.discountClass === "order") {
    return aWith.orderDiscounts && bWith.orderDiscounts;
  }
  const [product, order] = a.discountClass === "product" ? [aWith, bWith] : [bWith, aWith];
  return product.orderDiscounts && order.productDiscounts;
}

/** Larger saving wins; on a tie, the combination whose offers come first by precedence. */
function isBetter(candidate: Combination, incumbent: Combination): boolean {
  if (candidate.saving !== incumbent.saving) return candidate.saving > incumbent.saving;
  const a = candidate.chosen.map((c) => c.prepared.rank).sort((x, y) => x - y);
  const b = incumbent.chosen.map((c) => c.prepared.rank).sort((x, y) => x - y);
  for (let i = 0; i < Math.min(a.length, b.length); i += 1) {
    if (a[i] !== b[i]) return (a[i] ?? 0) < (b[i] ?? 0);
  }
  return a.length < b.length;
}

/**
 * The best set of offers for the buyer. Product offers are evaluated before order offers (an
 * order discount is computed on what product discounts leave), each class in precedence order,
 * so a higher-priority offer claims contested units first. Every subset whose members may all
 * combine is a candidate; the one that saves the most wins.
 */
export function findBestCombination(offers: readonly PreparedOffer[], start: CombinationState): Combination {
  const sequence = [
    ...offers.filter((offer) => offer.discountClass === "product"),
    ...offers.filter((offer) => offer.discountClass === "order"),
  ];
  let best: Combination = { chosen: [], saving: 0, state: start };
  let evaluations = 0;

  const visit = (position: number, current: Combination): void => {
    if (position === sequence.length) {
      if (isBetter(current, best)) best = current;
      return;
    }
    const offer = sequence[position] as PreparedOffer;
    if (current.chosen.every((chosen) => canCombine(chosen.prepared, offer)) && evaluations < SEARCH_EVALUATION_BUDGET) {
      evaluations += 1;
      const evaluation = offer.evaluate(current.state);
      // An offer that saves nothing here is the same combination as leaving it out.
      if (evaluation) {
        visit(position + 1, {
          chosen: [...current.chosen, { prepared: offer, evaluation }],
          saving: current.saving + evaluation.total,
          state: applyEvaluation(current.state, evaluation, offer.discountClass),
        });
        if (evaluations >= SEARCH_EVALUATION_BUDGET) return;
      }
    }
    visit(position + 1, current);
  };
  visit(0, best);
  return best;
}
