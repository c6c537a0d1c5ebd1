import type { Order, ProductId } from "../types";
import type { EvaluatedModel } from "./evaluated-model";
import { popularityOrder } from "./popularity-order";

/** Best sellers of the training period, whatever the anchors. */
export function popularityBaseline(train: readonly Order[], candidates: readonly ProductId[]): EvaluatedModel {
  const { ids } = popularityOrder(train, candidates);
  return {
    name: "popularity",
    recommend(anchors, limit) {
      const skip = new Set(anchors);
      const result: ProductId[] = [];
      for (const id of ids) {
        if (result.length >= limit) break;
        if (!skip.has(id)) result.push(id);
      }
      return result;
    },
  };
}
