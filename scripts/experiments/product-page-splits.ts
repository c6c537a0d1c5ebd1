/**
 * The three temporal splits the product-page experiments share (April, May and July test
 * windows; docs/benchmarks-ranking.md), each with its training orders, catalog and the product-page
 * queries of its test window, built as `scripts/eval-ranking.ts` builds them.
 */
import { buildCooccurrenceMatrix, itemItemBaseline } from "~/core/ranking/evaluation/baseline-item-item";
import { buildEvaluationQueries, type PdpQuery } from "~/core/ranking/evaluation/evaluation-queries";
import { MeanAccumulator, ndcgAtK } from "~/core/ranking/evaluation/metrics";
import { upshelfModel } from "~/core/ranking/evaluation/upshelf-model";
import type { CatalogProduct, Order, ProductId } from "~/core/ranking/types";
import type { ParsedOrderFile } from "~/services/order-files";

export const SPLITS = ["2011-04-01:2011-06-01", "2011-05-01:2011-07-01", "2011-07-01:2099-01-01"] as const;

export interface ProductPageSplit {
  readonly name: string;
  readonly train: readonly Order[];
  /** The last training order's time: what the engine decays to. */
  readonly now: number;
  /** Products sold in training: the only ones a model can know. */
  readonly sold: ReadonlySet<ProductId>;
  readonly catalog: readonly CatalogProduct[];
  readonly pdp: readonly PdpQuery[];
  /** Training orders per product. */
  readonly popularity: ReadonlyMap<ProductId, number>;
}

/** `splits`: "train-before:test-until" dates, e.g. "2011-07-01:2099-01-01". */
export function* productPageSplits(parsed: ParsedOrderFile, splits: readonly string[] = SPLITS): Generator<ProductPageSplit> {
  for (const name of splits) {
    const [from, until] = name.split(":").map((date) => Date.parse(date));
    if (from === undefined || until === undefined || Number.isNaN(from) || Number.isNaN(until)) throw new Error(`bad split ${name}`);
    const train = parsed.orders.filter((order) => order.createdAt < from);
    const test = parsed.orders.filter((order) => order.createdAt >= from && order.createdAt < until);
    const sold = new Set(train.flatMap((order) => order.lines.map((line) => line.productId)));
    const popularity = new Map<ProductId, number>();
    for (const order of train) for (const id of new Set(order.lines.map((line) => line.productId))) popularity.set(id, (popularity.get(id) ?? 0) + 1);
    yield {
      name,
      train,
      now: train.at(-1)?.createdAt ?? from,
      sold,
      catalog: parsed.catalog.filter((product) => sold.has(product.id)),
      pdp: buildEvaluationQueries(test, sold).pdp,
      popularity,
    };
  }
}

/** A training basket: when it was placed, and its distinct products. */
export interface TrainingBasket {
  readonly time: number;
  readonly items: readonly ProductId[];
}

/**
 * Raw co-purchase weights, the confidence the experiments decay and weight: for a product, the sum
 * over the training baskets (cancelled orders left out) holding it of `weight(basket)`, per other
 * product in them. The baskets are indexed by product once.
 */
export function coPurchaseWeights(train: readonly Order[]): (anchor: ProductId, weight: (basket: TrainingBasket) => number) => Map<ProductId, number> {
  const baskets: TrainingBasket[] = train.filter((order) => !order.cancelled).map((order) => ({ time: order.createdAt, items: [...new Set(order.lines.map((line) => line.productId))] }));
  const basketsWith = new Map<ProductId, TrainingBasket[]>();
  for (const basket of baskets) {
    for (const id of basket.items) {
      const list = basketsWith.get(id);
      if (list) list.push(basket);
      else basketsWith.set(id, [basket]);
    }
  }
  return (anchor, weight) => {
    const scores = new Map<ProductId, number>();
    for (const basket of basketsWith.get(anchor) ?? []) {
      const w = weight(basket);
      for (const id of basket.items) if (id !== anchor) scores.set(id, (scores.get(id) ?? 0) + w);
    }
    return scores;
  };
}

/** Raw co-occurrence's mean product-page NDCG@k on the split: the bar every variant is read against. */
export function cooccurrenceNdcg({ train, sold, pdp }: ProductPageSplit, k: number): number {
  const cooccurrence = itemItemBaseline(buildCooccurrenceMatrix(train, [...sold]), "cooccurrence");
  const mean = new MeanAccumulator();
  for (const query of pdp) mean.add(ndcgAtK(cooccurrence.recommend([query.anchor], k), query.targets, k));
  return mean.mean;
}

/** The engine, as served, trained on the split: each anchor's first `pool` items, ranked once. */
export function engineProductPages({ train, catalog, now }: ProductPageSplit, pool: number): (anchor: ProductId) => readonly ProductId[] {
  const engine = upshelfModel(train, catalog, now);
  const pages = new Map<ProductId, readonly ProductId[]>();
  return (anchor) => {
    let page = pages.get(anchor);
    if (!page) pages.set(anchor, (page = engine.recommend([anchor], pool)));
    return page;
  };
}
