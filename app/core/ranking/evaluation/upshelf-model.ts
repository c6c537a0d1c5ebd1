import { buildSnapshotFromOrdersSteps } from "../build-snapshot-from-orders";
import type { RankingSnapshot } from "../ranking-snapshot";
import type { RankingEngineOptions } from "../ranking-engine-options";
import { recommendForCart } from "../recommend";
import { runToEnd, type Steps } from "../steps";
import type { CatalogProduct, Order } from "../types";
import type { EvaluatedModel } from "./evaluated-model";

/** The engine as served: snapshot from training orders, cart recommendations without merchant rules. */
export function upshelfModel(
  train: readonly Order[],
  catalog: readonly CatalogProduct[],
  now: number,
  engine: RankingEngineOptions = {}
): EvaluatedModel & { readonly snapshot: RankingSnapshot } {
  return runToEnd(upshelfModelSteps(train, catalog, now, engine));
}

/** upshelfModel, yielding while it builds (../steps). */
export function* upshelfModelSteps(
  train: readonly Order[],
  catalog: readonly CatalogProduct[],
  now: number,
  engine: RankingEngineOptions = {}
): Steps<EvaluatedModel & { readonly snapshot: RankingSnapshot }> {
  const snapshot = yield* buildSnapshotFromOrdersSteps({ orders: train, catalog, now, engine });
  const scoring = engine.scoring ?? {};
  return {
    name: "upshelf",
    snapshot,
    recommend(anchors, limit) {
      return recommendForCart(snapshot, anchors, { limit, maxAnchors: anchors.length, scoring }).map((item) => item.productId);
    },
  };
}
