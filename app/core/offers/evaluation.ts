import { allocateOverLines } from "./allocate-over-lines";
import type { CanonicalLine, PricingContext } from "./pricing-context";
import type { DiscountClass, Offer } from "./types";

/** Where a combination stands while offers are added to it, one per line index. */
export interface CombinationState {
  /** Units not yet claimed by a product offer. A unit takes part in at most one product offer. */
  readonly remaining: readonly number[];
  readonly productDiscount: readonly number[];
  readonly orderDiscount: readonly number[];
}

/** One offer's discount within a combination, per canonical line index. */
export interface OfferEvaluation {
  readonly total: number;
  readonly message: string;
  readonly amounts: readonly number[];
  /** Units of each line the discount is on. */
  readonly units: readonly number[];
  /** Units each line gives up to this offer (bought or discounted); zero for order offers. */
  readonly claimed: readonly number[];
  /** A line-specific message where it differs from `message` (quantity breaks per product). */
  readonly lineMessages?: readonly (string | undefined)[];
}

export type Evaluate = (state: CombinationState) => OfferEvaluation | null;

export interface PreparedOffer {
  readonly offer: Offer;
  readonly discountClass: DiscountClass;
  /** Position by priority (higher first), then id: the engine's one notion of precedence. */
  readonly rank: number;
  readonly evaluate: Evaluate;
}

export function initialState(lines: readonly CanonicalLine[]): CombinationState {
  return {
    remaining: lines.map((line) => line.quantity),
    productDiscount: lines.map(() => 0),
    orderDiscount: lines.map(() => 0),
  };
}

export function applyEvaluation(
  state: CombinationState,
  evaluation: OfferEvaluation,
  discountClass: DiscountClass,
): CombinationState {
  const remaining = state.remaining.map((units, index) => units - (evaluation.claimed[index] ?? 0));
  if (discountClass === "product") {
    return {
      remaining,
      productDiscount: state.productDiscount.map((amount, index) => amount + (evaluation.amounts[index] ?? 0)),
      orderDiscount: state.orderDiscount,
    };
  }
  return {
    remaining,
    productDiscount: state.productDiscount,
    orderDiscount: state.orderDiscount.map((amount, index) => amount + (evaluation.amounts[index] ?? 0)),
  };
}

/**
 * A product discount of `total` spread over the discounted units in proportion to their price
 * (largest remainder), never more on a line than the price of its discounted units.
 */
export function spreadProductDiscount(options: {
  readonly context: PricingContext;
  readonly total: number;
  readonly discounted: readonly number[];
  readonly claimed: readonly number[];
  readonly message: string;
}): OfferEvaluation | null {
  const { context, total, discounted, claimed, message } = options;
  if (total <= 0) return null;
  const weights = context.lines.map((line) => (discounted[line.index] ?? 0) * line.unitPrice);
  const amounts = allocateOverLines(context, total, weights, weights);
  return { total, message, amounts, units: discounted.slice(), claimed: claimed.slice() };
}

export function zeros(context: PricingContext): number[] {
  return context.lines.map(() => 0);
}
