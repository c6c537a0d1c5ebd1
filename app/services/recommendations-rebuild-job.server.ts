import type { JobHandler } from "./jobs.server";
import { rebuildRecommendations } from "./recommendations.server";

/** Rebuilds and swaps in the shop's ranking model (after imports, backfills, and periodically). */
export const rebuildRecommendationsJob: JobHandler = async (job) => {
  const model = await rebuildRecommendations(job.shopId);
  return { version: model.snapshot.version, orders: model.snapshot.orderCount, products: model.snapshot.productIds.length };
};
