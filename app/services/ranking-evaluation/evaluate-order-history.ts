import { evaluateRanking, type RankingEvaluationReport } from "~/core/ranking/evaluation/evaluate-ranking";
import type { EvaluatedModel } from "~/core/ranking/evaluation/evaluated-model";
import { buildEvaluationQueries } from "~/core/ranking/evaluation/evaluation-queries";
import { splitOrdersByDate, splitOrdersRandomly } from "~/core/ranking/evaluation/split-orders";
import { mulberry32 } from "~/core/ranking/random";
import type { RankingEngineOptions } from "~/core/ranking/ranking-engine-options";
import type { CatalogProduct, Order } from "~/core/ranking/types";

export type OrderHistorySplit =
  | { readonly kind: "date"; readonly splitAt: number }
  | { readonly kind: "holdout"; readonly fraction: number; readonly seed: number }
  | { readonly kind: "given"; readonly test: readonly Order[] };

export interface EvaluateOrderHistoryOptions {
  readonly orders: readonly Order[];
  readonly catalog: readonly CatalogProduct[];
  readonly split: OrderHistorySplit;
  readonly k: number;
  readonly maxQueries?: number;
  readonly seed?: number;
  /** Mine association rules as a baseline (slow on big histories; off for quick admin backtests). */
  readonly associationRules?: boolean | { readonly minSupport?: number };
  readonly engine?: RankingEngineOptions;
  readonly onProgress?: (message: string) => void;
}

export class EvaluationInputError extends Error {
  override name = "EvaluationInputError";
}

/**
 * Backtest of the ranking engine on a shop's own orders: split, restrict the catalog to what
 * was known at training time (so nothing from the test period leaks in), then evaluate Upshelf
 * against the baselines. The admin can run it on a shop; the CLI runs it on files.
 */
export async function evaluateOrderHistory(options: EvaluateOrderHistoryOptions): Promise<RankingEvaluationReport> {
  const { train, test } = splitFor(options.orders, options.split);
  if (train.length === 0) throw new EvaluationInputError("There are no training orders (check the split date or the files).");
  if (test.length === 0) throw new EvaluationInputError("There are no test orders (check the split date or the files).");
  const sold = new Set<string>();
  for (const order of train) if (!order.cancelled) for (const line of order.lines) sold.add(line.productId);
  const catalog = options.catalog.filter((product) => sold.has(product.id));
  assertSomethingToPredict(test, catalog);

  const extraModels: EvaluatedModel[] = [];
  if (options.associationRules) {
    options.onProgress?.("mining association rules (FP-growth)");
    const minSupport = typeof options.associationRules === "object" ? options.associationRules.minSupport : undefined;
    // Loaded on demand: node-fpgrowth is a development dependency, absent from production installs.
    const { associationRulesBaseline } = await import("./association-rules-baseline");
    const rules = await associationRulesBaseline(
      train,
      catalog.map((product) => product.id),
      minSupport !== undefined ? { minSupport } : {}
    );
    options.onProgress?.(`association rules mined with minimum support ${rules.minSupport.toFixed(4)}`);
    extraModels.push(rules);
  }
  return evaluateRanking({
    train,
    test,
    catalog,
    k: options.k,
    extraModels,
    ...(options.maxQueries !== undefined ? { maxQueries: options.maxQueries } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.engine ? { engine: options.engine } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
}

/**
 * Fails before any model is built when no test order can ask a question, instead of reporting
 * zero queries and all-zero metrics as if the engine had been measured.
 */
function assertSomethingToPredict(test: readonly Order[], catalog: readonly CatalogProduct[]): void {
  // evaluateRanking's own rule (two known products, cancelled orders aside), so the two agree;
  // one anchor per query is enough to count the orders that ask something.
  const known = new Set(catalog.map((product) => product.id));
  if (buildEvaluationQueries(test, known, 1).orders > 0) return;
  throw new EvaluationInputError(
    `None of the ${test.length} test orders has two or more products that the training orders sold (cancelled orders aside), so there is nothing to predict. Test on orders with several products, or train on more orders.`
  );
}

function splitFor(orders: readonly Order[], split: OrderHistorySplit): { train: readonly Order[]; test: readonly Order[] } {
  switch (split.kind) {
    case "date":
      return splitOrdersByDate(orders, split.splitAt);
    case "holdout":
      return splitOrdersRandomly(orders, split.fraction, mulberry32(split.seed));
    case "given":
      return { train: orders, test: split.test };
  }
}
