import type { RankingEvaluationReport } from "~/core/ranking/evaluation/evaluate-ranking";
import type { CatalogProduct, Order } from "~/core/ranking/types";
import { readOrderFile, type OrderFileFormat } from "~/services/order-files";
import { evaluateOrderHistory, type EvaluateOrderHistoryOptions } from "./evaluate-order-history";

export interface EvaluateOrderFilesOptions extends Omit<EvaluateOrderHistoryOptions, "orders" | "catalog" | "split"> {
  readonly trainFile: string;
  /** When given, every order of trainFile trains and every order of testFile tests. */
  readonly testFile?: string;
  readonly format: OrderFileFormat;
  readonly currency?: string;
  /** Orders from this time on (epoch ms) are ignored, in both files. */
  readonly until?: number;
  readonly split?:
    | { readonly kind: "date"; readonly splitAt: number }
    | { readonly kind: "holdout"; readonly fraction: number; readonly seed: number };
}

/** Reads order files (any supported format) and runs the backtest on them. */
export async function evaluateOrderFiles(options: EvaluateOrderFilesOptions): Promise<RankingEvaluationReport> {
  const parseOptions = { format: options.format, ...(options.currency ? { currency: options.currency } : {}) };
  options.onProgress?.(`reading ${options.trainFile}`);
  const train = await readOrderFile(options.trainFile, parseOptions);
  const inWindow = (orders: Order[]) =>
    options.until === undefined ? orders : orders.filter((order) => order.createdAt < (options.until ?? 0));
  let split: EvaluateOrderHistoryOptions["split"];
  const catalog: CatalogProduct[] = train.catalog;
  if (options.testFile !== undefined) {
    options.onProgress?.(`reading ${options.testFile}`);
    const test = await readOrderFile(options.testFile, parseOptions);
    split = { kind: "given", test: inWindow(test.orders) };
  } else if (options.split) {
    split = options.split;
  } else {
    throw new Error("Give a test file or a split.");
  }
  return evaluateOrderHistory({ ...options, orders: inWindow(train.orders), catalog, split });
}
