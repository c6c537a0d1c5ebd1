import { enqueueJob, type JobHandler } from "./jobs.server";
import { rebuildRecommendations } from "./recommendations.server";

/**
 * Queues a rebuild that will see what the caller just changed (imported orders, a new half-life):
 * one waiting to start is reused, but one already running read the data or the settings before the
 * change, so it does not count and another is queued behind it. Returns the job that will.
 */
export async function requestFreshRebuild(shopId: string, reason: string): Promise<number> {
  const active = await enqueueJob(shopId, "rebuild_recommendations", { reason }, { reuseActive: true });
  if (active.status === "queued") return active.id;
  return (await enqueueJob(shopId, "rebuild_recommendations", { reason })).id;
}

/** Rebuilds and swaps in the shop's ranking model (after imports, backfills, and periodically). */
export const rebuildRecommendationsJob: JobHandler = async (job) => {
  const model = await rebuildRecommendations(job.shopId);
  return { version: model.snapshot.version, orders: model.snapshot.orderCount, products: model.snapshot.productIds.length };
};
