import { enqueueJob, type JobHandler } from "./jobs.server";
import { rebuildRecommendations } from "./recommendations.server";

/**
 * Queues a rebuild that will see what the caller just changed (imported orders, a new half-life):
 * one waiting to start is reused, but one already running read the data or the settings before the
 * change, so it does not count and another is queued beside it; of two overlapping rebuilds the
 * one started last is served (rebuildRecommendations). Returns the job that will.
 */
export async function requestFreshRebuild(shopId: string, reason: string): Promise<number> {
  const active = await enqueueJob(shopId, "rebuild_recommendations", { reason }, { reuseActive: true });
  if (active.status === "queued") return active.id;
  return (await enqueueJob(shopId, "rebuild_recommendations", { reason })).id;
}

/**
 * Rebuilds running at once in this process. Each holds a shop's whole order history in memory;
 * after a restart, or when many models turn a day old together, every shop would otherwise load
 * its history at the same moment.
 */
export const MAX_CONCURRENT_REBUILDS = 2;
let running = 0;
const waiting: (() => void)[] = [];

export async function withRebuildSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_CONCURRENT_REBUILDS) await new Promise<void>((resolve) => waiting.push(resolve));
  else running += 1;
  try {
    return await work();
  } finally {
    // The slot passes straight to the next waiter, or is given back.
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  }
}

/** Rebuilds and swaps in the shop's ranking model (after imports, backfills, and periodically). */
export const rebuildRecommendationsJob: JobHandler = (job) =>
  withRebuildSlot(async () => {
    const model = await rebuildRecommendations(job.shopId);
    const orders = model.snapshot.orderCount;
    const products = model.snapshot.productIds.length;
    return {
      version: model.snapshot.version,
      orders,
      products,
      // What the "Shopify data" page lists beside the job.
      message: `Learned from ${orders.toLocaleString("en")} ${orders === 1 ? "order" : "orders"}, for ${products.toLocaleString("en")} ${products === 1 ? "product" : "products"}.`,
    };
  });
