import { buildSnapshot } from "./build-snapshot";
import { addOrder, createCoPurchaseStats } from "./co-purchase-stats";
import type { RankingSnapshot } from "./ranking-snapshot";
import type { RankingEngineOptions } from "./ranking-engine-options";
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
  const stats = createCoPurchaseStats(options.engine?.coPurchase);
  for (const order of options.orders) addOrder(stats, order);
  return buildSnapshot(stats, options.catalog, { ...options.engine?.snapshot, now: options.now });
}
