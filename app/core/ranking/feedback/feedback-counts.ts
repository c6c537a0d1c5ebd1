import type { Placement, ProductId } from "../types";

export type FeedbackKind = "impression" | "click" | "add_to_cart";

export interface FeedbackEvent {
  /** What the widget was anchored on: the product for pdp, a caller-chosen key for carts. */
  readonly anchorKey: string;
  readonly productId: ProductId;
  readonly placement: Placement;
  readonly kind: FeedbackKind;
  /** Events arrive in batches; a count saves repeating identical events. Default 1. */
  readonly count?: number;
}

export interface FeedbackCounts {
  impressions: number;
  clicks: number;
  addToCarts: number;
}

/** Counts per (anchor, candidate, placement). Mutable accumulator, like the co-purchase stats. */
export type FeedbackStore = Map<string, FeedbackCounts>;

export function createFeedbackStore(): FeedbackStore {
  return new Map();
}

export function feedbackKey(anchorKey: string, productId: ProductId, placement: Placement): string {
  // JSON keeps keys unambiguous whatever characters product ids contain.
  return JSON.stringify([anchorKey, productId, placement]);
}

export function recordFeedback(store: FeedbackStore, event: FeedbackEvent): void {
  const count = event.count ?? 1;
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`Feedback counts are non-negative integers; got ${count}.`);
  const key = feedbackKey(event.anchorKey, event.productId, event.placement);
  let counts = store.get(key);
  if (!counts) {
    counts = { impressions: 0, clicks: 0, addToCarts: 0 };
    store.set(key, counts);
  }
  if (event.kind === "impression") counts.impressions += count;
  else if (event.kind === "click") counts.clicks += count;
  else counts.addToCarts += count;
}

export function feedbackFor(store: FeedbackStore, anchorKey: string, productId: ProductId, placement: Placement): FeedbackCounts {
  return store.get(feedbackKey(anchorKey, productId, placement)) ?? { impressions: 0, clicks: 0, addToCarts: 0 };
}

/**
 * Successes for the Beta posterior: a click or an add-to-cart (widgets let buyers add without
 * clicking through), never more than the impressions, so the posterior stays a proper Beta.
 */
export function engagements(counts: FeedbackCounts): number {
  return Math.min(counts.impressions, counts.clicks + counts.addToCarts);
}
