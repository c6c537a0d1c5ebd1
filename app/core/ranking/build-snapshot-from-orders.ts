import { buildSnapshotSteps } from "./build-snapshot";
import { addOrder, createCoPurchaseStats } from "./co-purchase-stats";
import type { RankingSnapshot } from "./ranking-snapshot";
import type { RankingEngineOptions } from "./ranking-engine-options";
import { runToEnd, type Steps } from "./steps";
import type { CatalogProduct, Order } from "./types";

export interface BuildSnapshotFromOrdersOptions {
  readonly orders: Iterable<Order>;
  readonly catalog: readonly CatalogProduct[];
  /** Decay reference (epoch ms): typically the build time, or the last order for a backtest. */
  readonly now: number;
  readonly engine?: RankingEngineOptions;
}

/** Full rebuild in one call: fresh statistics from the order history, then a snapshot. */
export function buildSnapshotFromOrders(options: BuildSnapshotFromOrdersOptions): RankingSnapshot {
  return runToEnd(buildSnapshotFromOrdersSteps(options));
}

/** Orders added between two yields of buildSnapshotFromOrdersSteps: a few milliseconds of work. */
const ORDERS_PER_STEP = 64;

/** buildSnapshotFromOrders, yielding between small pieces of work (./steps). */
export function* buildSnapshotFromOrdersSteps(options: BuildSnapshotFromOrdersOptions): Steps<RankingSnapshot> {
  const stats = createCoPurchaseStats(options.engine?.coPurchase);
  let added = 0;
  for (const order of options.orders) {
    addOrder(stats, order);
    added += 1;
    if (added % ORDERS_PER_STEP === 0) yield;
  }
  return yield* buildSnapshotSteps(stats, options.catalog, { ...options.engine?.snapshot, now: options.now });
}
