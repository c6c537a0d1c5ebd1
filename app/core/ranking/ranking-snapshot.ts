import type { ProductId } from "./types";

/** Reason codes stored per candidate; see reasons.ts for the values served to callers. */
export const CANDIDATE_REASON = {
  boughtTogether: 0,
  similar: 1,
  popularInType: 2,
  popular: 3,
} as const;
export type CandidateReasonCode = (typeof CANDIDATE_REASON)[keyof typeof CANDIDATE_REASON];

export const PRODUCT_FLAG = { available: 1, published: 2 } as const;

export const SNAPSHOT_FORMAT = "upshelf-ranking-snapshot/1";

/**
 * Everything needed to serve recommendations for one shop, as an immutable value: built by
 * buildSnapshot, swapped atomically by the service layer, never mutated. Per-product data is
 * indexed by position (0..productIds.length-1); lists are compressed rows (`offsets[p]` to
 * `offsets[p + 1]`) in typed arrays, so a 50,000-product shop is a few compact buffers.
 */
export interface RankingSnapshot {
  readonly format: typeof SNAPSHOT_FORMAT;
  /** Changes whenever the content changes; for caches and event logs. */
  readonly version: string;
  readonly builtAt: number;
  readonly orderCount: number;

  readonly productIds: readonly ProductId[];
  readonly titles: readonly string[];
  /** Display names of product types; `productTypeOf[p]` indexes it, -1 when none. */
  readonly productTypes: readonly string[];
  readonly productTypeOf: Int32Array;
  /** Minor units; -1 when unknown. */
  readonly prices: Float64Array;
  /** PRODUCT_FLAG bits as known at build time (serving can override with live inventory). */
  readonly flags: Uint8Array;
  /** Decayed order share, scaled so the best seller is 1. */
  readonly popularity: Float32Array;
  /** Every product by popularity, best first. */
  readonly popularOrder: Uint32Array;
  /** Products grouped by type (type t at typeOffsets[t]..typeOffsets[t+1]), by popularity. */
  readonly typeOffsets: Uint32Array;
  readonly typeMembers: Uint32Array;

  /** Ranked candidates per product: co-purchase first, then the cold-start fallbacks. */
  readonly candidateOffsets: Uint32Array;
  readonly candidates: Uint32Array;
  readonly candidateScores: Float32Array;
  /** Orders containing both products (undecayed), for "bought together in N orders". */
  readonly candidateOrders: Uint32Array;
  readonly candidateReasons: Uint8Array;

  /** Content-similar products per product (substitutes), for upgrades and "similar" reasons. */
  readonly similarOffsets: Uint32Array;
  readonly similar: Uint32Array;
  readonly similarScores: Float32Array;

  /** Derived lookup (not serialised): product id → position. */
  readonly positions: ReadonlyMap<ProductId, number>;
}
