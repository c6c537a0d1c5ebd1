/**
 * The merchant's backtest: the ranking engine judged on the shop's own orders. The last weeks of
 * orders are hidden, the engine learns from everything before, and we count how often its top
 * picks were what buyers then bought together, next to simply showing the best-sellers. It runs
 * as a background job (kind `ranking_backtest`) so it survives the page being closed.
 *
 * The FP-growth baseline is never requested: it needs node-fpgrowth, a development dependency.
 */
import { z } from "zod";
import type { BacktestFigures, LiftInterval } from "~/core/analytics";
import { evaluateRankingSteps, splitOrdersByDate, type CatalogProduct, type Order, type RankingEvaluationReport, type Steps } from "~/core/ranking";
import { popularityBaseline } from "~/core/ranking/evaluation/baseline-popularity";
import type { Margin } from "~/core/ranking/evaluation/evaluate-ranking";
import { productCardPages, rankingCatalogProduct } from "~/models/catalog.server";
import { orderHistoryPages, type HistoryOrder } from "~/models/order-history.server";
import { findShop } from "~/models/shop.server";
import type { JobHandler } from "./jobs.server";
import { timeSlicer } from "./time-slices.server";

const DAY_MS = 24 * 60 * 60 * 1000;

export const backtestInputSchema = z.object({
  /** Length of the hidden window at the end of the history, in days. */
  testDays: z.number().int().min(7).max(90).default(28),
  /** How many picks count ("top k"): about what a widget shows. */
  k: z.number().int().min(1).max(20).default(5),
  /** Queries per task, sampled with a fixed seed, so a big shop's backtest stays quick. */
  maxQueries: z.number().int().min(100).max(50_000).default(4_000),
});
export type BacktestInput = z.infer<typeof backtestInputSchema>;

/** Fewer than this many orders before the window cannot teach anything worth measuring. */
export const MIN_TRAINING_ORDERS = 50;

export type BacktestResult =
  | ({ status: "done" } & BacktestFigures)
  | { status: "not_enough_data"; reason: string };

export async function runRankingBacktest(
  shopId: string,
  input: Partial<BacktestInput> = {},
  onStep: (done: number, total: number) => Promise<void> = async () => {},
): Promise<BacktestResult> {
  const { testDays, k, maxQueries } = backtestInputSchema.parse(input);
  const steps = 3;
  await onStep(0, steps);
  // A background job in the process that serves the storefront: it works in slices (as rebuilds do).
  const slicer = timeSlicer();
  const shop = await findShop(shopId);
  const history = await slicer.collect(orderHistoryPages(shopId));
  const cards = await slicer.collect(productCardPages(shopId));
  await onStep(1, steps);

  if (history.length === 0) return { status: "not_enough_data", reason: "The shop has no orders yet." };
  const { orders, latest, testFrom, leftOut } = backtestWindow(history, shop?.currency ?? null, testDays);
  const leftOutNote = leftOut > 0 ? ` ${leftOutSentence(leftOut, shop?.currency ?? "")}` : "";
  const trainOrders = orders.filter((order) => order.createdAt < testFrom).length;
  if (trainOrders < MIN_TRAINING_ORDERS) {
    return {
      status: "not_enough_data",
      reason: `Only ${trainOrders} orders were placed before the last ${testDays} days; the backtest needs at least ${MIN_TRAINING_ORDERS}.${leftOutNote}`,
    };
  }
  const catalog: CatalogProduct[] = cards.map(rankingCatalogProduct);

  const report = await slicer.run(evaluateAgainstBestSellers(orders, catalog, testFrom, k, maxQueries));
  await onStep(2, steps);
  const { cart, pdp } = report.tasks;
  if (cart.queries === 0 && pdp.queries === 0) {
    return {
      status: "not_enough_data",
      reason: `None of the ${report.testOrders} orders of the last ${testDays} days had two or more products the engine knew, so there was nothing to predict.${leftOutNote}`,
    };
  }
  await onStep(steps, steps);
  return {
    status: "done",
    k,
    testFrom,
    testUntil: latest,
    testDays,
    trainOrders: report.trainOrders,
    testOrders: report.testOrders,
    cart: {
      queries: cart.queries,
      upshelf: cart.models.upshelf?.hitRate ?? 0,
      bestSellers: cart.models.popularity?.hitRate ?? 0,
      ...intervalOf(report.margins.cart.hitRate),
    },
    pdp: {
      queries: pdp.queries,
      upshelf: pdp.models.upshelf?.recall ?? 0,
      bestSellers: pdp.models.popularity?.recall ?? 0,
      ...intervalOf(report.margins.pdp.recall),
    },
  };
}

const count = (value: number) => value.toLocaleString("en");

/** Why the newest orders are not in the backtest (see backtestWindow). */
function leftOutSentence(leftOut: number, currency: string): string {
  const orders = leftOut === 1 ? "1 order" : `${count(leftOut)} orders`;
  return `(${orders} in another currency, placed after the shop's latest ${currency} order, ${leftOut === 1 ? "is" : "are"} left out.)`;
}

/**
 * The backtest's orders and its hidden window, which ends at the shop's latest order in its own
 * currency. Orders in another currency are baskets like any (the engine learns from them, so the
 * backtest keeps those placed up to then), but they must not date the window: a sample from
 * another shop, imported into this one, is often newer than the shop's own history, and the window
 * would then hold that sample alone. The orders placed after it, all in another currency, are left
 * out and counted. A shop with no order in its currency (or none known) has its window dated by
 * all its orders: there is no other history to judge the engine on.
 */
export function backtestWindow<T extends HistoryOrder>(
  history: readonly T[],
  shopCurrency: string | null,
  testDays: number,
): { orders: T[]; latest: number; testFrom: number; leftOut: number } {
  const inShopCurrency = history.filter((order) => order.currency === shopCurrency);
  const own = inShopCurrency.length > 0 ? inShopCurrency : history;
  const latest = own.reduce((max, order) => Math.max(max, order.createdAt), 0);
  const orders = history.filter((order) => order.createdAt <= latest);
  return { orders, latest, testFrom: latest - testDays * DAY_MS, leftOut: history.length - orders.length };
}

/**
 * The margin's interval, when the evaluation could state one (best-sellers is the only other model).
 * The job result is stored as JSON, which has no Infinity: an unbounded upper end (best-sellers
 * never hit in some resamples) is stored as an explicit null, which the summary reads as "no upper
 * bound", rather than left for JSON.stringify to turn into a null that looks like a missing value.
 */
function intervalOf(margin: Margin | undefined): { interval?: LiftInterval } {
  if (!margin) return {};
  return { interval: { low: margin.low, high: margin.high === Infinity ? null : margin.high } };
}

/**
 * The evaluation of app/services/ranking-evaluation restricted to the two models the merchant
 * sees (Upshelf and best-sellers): the other baselines would triple the time for nothing shown.
 * As there, the candidates are the products sold before the split, so nothing leaks from the test.
 */
function evaluateAgainstBestSellers(
  orders: readonly Order[],
  catalog: readonly CatalogProduct[],
  testFrom: number,
  k: number,
  maxQueries: number,
): Steps<RankingEvaluationReport> {
  const { train, test } = splitOrdersByDate(orders, testFrom);
  const sold = new Set<string>();
  for (const order of train) if (!order.cancelled) for (const line of order.lines) sold.add(line.productId);
  const known = catalog.filter((product) => sold.has(product.id));
  return evaluateRankingSteps({
    train,
    test,
    catalog: known,
    k,
    maxQueries,
    seed: 1,
    baselines: false,
    extraModels: [popularityBaseline(train, known.map((product) => product.id))],
  });
}

export const rankingBacktestJob: JobHandler = async (job) => {
  const input = backtestInputSchema.parse(job.input ?? {});
  return runRankingBacktest(job.shopId, input, (done, total) => job.progress(done, total));
};
