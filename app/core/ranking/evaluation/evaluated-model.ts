import type { ProductId } from "../types";

/**
 * A recommender under evaluation: given anchor products, the best `limit` other products,
 * best first, never an anchor. Upshelf and every baseline are wrapped in this shape.
 */
export interface EvaluatedModel {
  readonly name: string;
  recommend(anchors: readonly ProductId[], limit: number): readonly ProductId[];
}
