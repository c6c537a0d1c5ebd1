/**
 * Every kind of background job and the module that runs it (loaded on first use, so the runner
 * does not import the whole app). Add a kind here when adding a job.
 */
import type { JobHandler } from "./jobs.server";

export const JOB_HANDLERS = {
  rebuild_recommendations: async (): Promise<JobHandler> =>
    (await import("./recommendations-rebuild-job.server")).rebuildRecommendationsJob,
  ranking_backtest: async (): Promise<JobHandler> => (await import("./ranking-backtest.server")).rankingBacktestJob,
  import_products_csv: async (): Promise<JobHandler> => (await import("./csv-import/import-jobs.server")).importProductsCsvJob,
  import_orders_csv: async (): Promise<JobHandler> => (await import("./csv-import/import-jobs.server")).importOrdersCsvJob,
  catalog_sync: async (): Promise<JobHandler> => (await import("./shopify-sync/catalog-sync.server")).catalogSyncJob,
  orders_backfill: async (): Promise<JobHandler> => (await import("./shopify-sync/orders-backfill.server")).ordersBackfillJob,
} satisfies Record<string, () => Promise<JobHandler>>;

export type JobKind = keyof typeof JOB_HANDLERS;
