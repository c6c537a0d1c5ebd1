import type { ScoringOptions } from "../candidate-scoring";
import { mulberry32 } from "../random";
import type { RankingSnapshot } from "../ranking-snapshot";
import type { RankingEngineOptions } from "../ranking-engine-options";
import { recommendForProduct } from "../recommend";
import type { CatalogProduct, Order, ProductId } from "../types";
import { buildCooccurrenceMatrix, itemItemBaseline } from "./baseline-item-item";
import { popularityBaseline } from "./baseline-popularity";
import type { EvaluatedModel } from "./evaluated-model";
import { buildEvaluationQueries, sampleQueries } from "./evaluation-queries";
import { hitAtK, ndcgAtK, recallAtK, reciprocalRank } from "./metrics";
import { pairedBootstrapRelativeDifferenceSteps, sum, type RelativeDifference } from "./paired-bootstrap";
import { popularityOrder } from "./popularity-order";
import { ITEMS_PER_STEP, runToEnd, type Steps } from "../steps";
import { upshelfModelSteps } from "./upshelf-model";

export interface EvaluateRankingOptions {
  readonly train: readonly Order[];
  readonly test: readonly Order[];
  /** Candidate products. Pass products known at training time only, or the test leaks in. */
  readonly catalog: readonly CatalogProduct[];
  readonly k: number;
  /** Decay reference; defaults to the latest training order, never a test order. */
  readonly now?: number;
  /** Cap on queries per task (seeded sample), for quick runs. */
  readonly maxQueries?: number;
  readonly seed?: number;
  readonly engine?: RankingEngineOptions;
  /** Skip the built-in baselines (e.g. while tuning the engine). */
  readonly baselines?: boolean;
  /** Further models built by the caller (e.g. association rules, which need a library). */
  readonly extraModels?: readonly EvaluatedModel[];
  /** Bootstrap resamples behind the margins' intervals (seeded by `seed`). */
  readonly resamples?: number;
  /** Progress callback for long runs. */
  readonly onProgress?: (message: string) => void;
}

export interface CartMetrics {
  readonly hitRate: number;
  readonly ndcg: number;
  readonly mrr: number;
}

export interface PdpMetrics {
  readonly recall: number;
  readonly ndcg: number;
}

/** Upshelf against the best other model on one metric, with a 95% interval of the difference. */
export interface Margin extends RelativeDifference {
  readonly baseline: string;
}

export interface RankingEvaluationReport {
  readonly k: number;
  readonly tasks: {
    readonly cart: { readonly queries: number; readonly models: Record<string, CartMetrics> };
    readonly pdp: { readonly queries: number; readonly models: Record<string, PdpMetrics> };
  };
  /** Share of catalog products whose product page gets k recommendations (Upshelf). */
  readonly coverage: number;
  /** Share of Upshelf's product-page slots taken by the 1% best-selling products. */
  readonly popularShare: number;
  /**
   * Upshelf against the best other model on each metric (absent without another model, or when
   * that model scored 0): the relative difference and its 95% paired-bootstrap interval over
   * test orders.
   */
  readonly margins: {
    readonly cart: { readonly hitRate?: Margin; readonly ndcg?: Margin; readonly mrr?: Margin };
    readonly pdp: { readonly recall?: Margin; readonly ndcg?: Margin };
  };
  /** The same share for every model, for comparison (product pages of every catalog product). */
  readonly popularShareByModel: Record<string, number>;
  readonly trainOrders: number;
  readonly testOrders: number;
  readonly catalogSize: number;
}

/** Reciprocal ranks beyond this depth count as 0 (MRR@100): cheap, and 1/100 is noise anyway. */
export const MRR_DEPTH = 100;
const MAX_CART_ANCHORS = 20;

/**
 * Offline evaluation of Upshelf against baselines on held-out orders (see docs/benchmarks-ranking.md):
 * - cart: each item of a test basket hidden in turn, the others (≤ 20) are the cart;
 *   HitRate@k, NDCG@k, MRR.
 * - pdp: the basket's first item is the page; Recall@k and NDCG@k of the other items.
 * Models are built from `train` only.
 */
export function evaluateRanking(options: EvaluateRankingOptions): RankingEvaluationReport {
  return runToEnd(evaluateRankingSteps(options));
}

/** evaluateRanking, yielding between small pieces of work (../steps), for a server's backtest. */
export function* evaluateRankingSteps(options: EvaluateRankingOptions): Steps<RankingEvaluationReport> {
  const { train, test, catalog, k } = options;
  if (!Number.isInteger(k) || k < 1) throw new RangeError("k must be a positive integer.");
  const progress = options.onProgress ?? (() => {});
  const now = options.now ?? train.reduce((latest, order) => Math.max(latest, order.createdAt), 0);
  const candidateIds = [...new Set(catalog.map((product) => product.id))];

  progress("building upshelf");
  const upshelf = yield* upshelfModelSteps(train, catalog, now, options.engine);
  const models: EvaluatedModel[] = [upshelf];
  if (options.baselines !== false) {
    progress("building baselines");
    models.push(popularityBaseline(train, candidateIds));
    const matrix = buildCooccurrenceMatrix(train, candidateIds);
    models.push(
      itemItemBaseline(matrix, "cooccurrence"),
      itemItemBaseline(matrix, "cosine"),
      itemItemBaseline(matrix, "jaccard")
    );
  }
  models.push(...(options.extraModels ?? []));

  const trainedProducts = new Set<ProductId>();
  for (const order of train) if (!order.cancelled) for (const line of order.lines) trainedProducts.add(line.productId);
  const known = new Set(candidateIds.filter((id) => trainedProducts.has(id)));
  const queries = buildEvaluationQueries(test, known, MAX_CART_ANCHORS);
  const rng = mulberry32(options.seed ?? 1);
  const cartQueries = sampleQueries(queries.cart, options.maxQueries, rng);
  const pdpQueries = sampleQueries(queries.pdp, options.maxQueries, rng);

  // Per-order totals of every metric, for the means and for resampling orders.
  const totals = new Map<string, MetricTotals>();
  const depth = Math.max(k, MRR_DEPTH);
  for (const model of models) {
    progress(`evaluating ${model.name}: ${cartQueries.length} cart and ${pdpQueries.length} pdp queries`);
    const perOrder = () => new Float64Array(queries.orders);
    const modelTotals: MetricTotals = { hitRate: perOrder(), ndcg: perOrder(), mrr: perOrder(), recall: perOrder(), pdpNdcg: perOrder() };
    for (const [index, query] of cartQueries.entries()) {
      if (index % ITEMS_PER_STEP === 0) yield;
      const ranked = model.recommend(query.anchors, depth);
      const target = new Set([query.hidden]);
      addTo(modelTotals.hitRate, query.order, hitAtK(ranked, query.hidden, k));
      addTo(modelTotals.ndcg, query.order, ndcgAtK(ranked, target, k));
      addTo(modelTotals.mrr, query.order, reciprocalRank(ranked, query.hidden));
    }
    for (const [index, query] of pdpQueries.entries()) {
      if (index % ITEMS_PER_STEP === 0) yield;
      const ranked = model.recommend([query.anchor], k);
      addTo(modelTotals.recall, query.order, recallAtK(ranked, query.targets, k));
      addTo(modelTotals.pdpNdcg, query.order, ndcgAtK(ranked, query.targets, k));
    }
    totals.set(model.name, modelTotals);
  }
  const mean = (values: Float64Array, count: number) => (count === 0 ? 0 : sum(values) / count);
  const cartModels: Record<string, CartMetrics> = {};
  const pdpModels: Record<string, PdpMetrics> = {};
  for (const [name, t] of totals) {
    cartModels[name] = {
      hitRate: mean(t.hitRate, cartQueries.length),
      ndcg: mean(t.ndcg, cartQueries.length),
      mrr: mean(t.mrr, cartQueries.length),
    };
    pdpModels[name] = { recall: mean(t.recall, pdpQueries.length), ndcg: mean(t.pdpNdcg, pdpQueries.length) };
  }
  const margins = yield* upshelfMarginSteps(upshelf.name, totals, {
    rng: mulberry32((options.seed ?? 1) ^ BOOTSTRAP_SEED_SALT),
    ...(options.resamples !== undefined ? { resamples: options.resamples } : {}),
  });

  const { coverage, popularShare } = yield* catalogCoverageSteps(upshelf.snapshot, options.engine?.scoring ?? {}, train, candidateIds, k);
  const mostPopular = mostPopularProducts(train, candidateIds);
  const popularShareByModel: Record<string, number> = {};
  for (const model of models) {
    let slots = 0;
    let popularSlots = 0;
    for (const [index, id] of candidateIds.entries()) {
      if (index % ITEMS_PER_STEP === 0) yield;
      for (const recommended of model.recommend([id], k)) {
        slots += 1;
        if (mostPopular.has(recommended)) popularSlots += 1;
      }
    }
    popularShareByModel[model.name] = slots === 0 ? 0 : popularSlots / slots;
  }
  return {
    k,
    tasks: {
      cart: { queries: cartQueries.length, models: cartModels },
      pdp: { queries: pdpQueries.length, models: pdpModels },
    },
    margins,
    coverage,
    popularShare,
    popularShareByModel,
    trainOrders: train.length,
    testOrders: test.length,
    catalogSize: candidateIds.length,
  };
}

function addTo(totals: Float64Array, order: number, value: number): void {
  totals[order] = (totals[order] ?? 0) + value;
}

type MetricTotals = Record<"hitRate" | "ndcg" | "mrr" | "recall" | "pdpNdcg", Float64Array>;
// The margins' resampling draws from its own stream, so asking for them never moves the query sample.
const BOOTSTRAP_SEED_SALT = 0x5bd1e995;
const MARGIN_METRICS = [
  { task: "cart", key: "hitRate", totals: "hitRate" },
  { task: "cart", key: "ndcg", totals: "ndcg" },
  { task: "cart", key: "mrr", totals: "mrr" },
  { task: "pdp", key: "recall", totals: "recall" },
  { task: "pdp", key: "ndcg", totals: "pdpNdcg" },
] as const;

/** For each metric, Upshelf against whichever other model scored best on it. */
function* upshelfMarginSteps(
  upshelfName: string,
  totals: ReadonlyMap<string, MetricTotals>,
  bootstrap: { rng: () => number; resamples?: number }
): Steps<RankingEvaluationReport["margins"]> {
  const upshelf = totals.get(upshelfName);
  const others = [...totals].filter(([name]) => name !== upshelfName);
  if (!upshelf || others.length === 0) return { cart: {}, pdp: {} };
  const compared = MARGIN_METRICS.map((metric) => {
    const [baseline, best] = others.reduce((a, b) => (sum(b[1][metric.totals]) > sum(a[1][metric.totals]) ? b : a));
    return { metric, baseline, pair: { candidate: upshelf[metric.totals], baseline: best[metric.totals] } };
  });
  const differences = yield* pairedBootstrapRelativeDifferenceSteps(
    compared.map((entry) => entry.pair),
    bootstrap
  );
  const marginsOf = (task: "cart" | "pdp") =>
    Object.fromEntries(
      compared.flatMap(({ metric, baseline }, index) => {
        const difference = differences[index];
        return metric.task === task && difference ? [[metric.key, { baseline, ...difference }]] : [];
      })
    );
  return { cart: marginsOf("cart"), pdp: marginsOf("pdp") };
}

function* catalogCoverageSteps(
  snapshot: RankingSnapshot,
  scoring: Partial<ScoringOptions>,
  train: readonly Order[],
  candidateIds: readonly ProductId[],
  k: number
): Steps<{ coverage: number; popularShare: number }> {
  const mostPopular = mostPopularProducts(train, candidateIds);
  let covered = 0;
  let slots = 0;
  let popularSlots = 0;
  for (const [index, id] of candidateIds.entries()) {
    if (index % ITEMS_PER_STEP === 0) yield;
    const recommendations = recommendForProduct(snapshot, id, { limit: k, scoring });
    if (recommendations.length >= Math.min(k, candidateIds.length - 1)) covered += 1;
    for (const recommendation of recommendations) {
      slots += 1;
      if (mostPopular.has(recommendation.productId)) popularSlots += 1;
    }
  }
  return {
    coverage: candidateIds.length === 0 ? 0 : covered / candidateIds.length,
    popularShare: slots === 0 ? 0 : popularSlots / slots,
  };
}

/** The 1% best-selling products (at least one) of the training period. */
function mostPopularProducts(train: readonly Order[], candidateIds: readonly ProductId[]): Set<ProductId> {
  const { ids } = popularityOrder(train, candidateIds);
  return new Set(ids.slice(0, Math.max(1, Math.ceil(ids.length * 0.01))));
}
