/**
 * Every kind of background job and the module that runs it (loaded on first use, so the runner
 * does not import the whole app). Add a kind here when adding a job.
 */
import type { JobHandler } from "./jobs.server";

const DAY_MS = 86_400_000;

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

/**
 * Kinds whose cancelled jobs keep their input for a while so the merchant can resume them, and for
 * how long. An import's input is the uploaded file: up to 50 MB, and an orders export names buyers,
 * so it is kept 7 days (as long as a processed webhook delivery is), then let go by the sweep.
 */
export const INPUT_KEPT_WHEN_CANCELLED_MS: Partial<Record<JobKind, number>> = {
  import_products_csv: 7 * DAY_MS,
  import_orders_csv: 7 * DAY_MS,
};

/** Called once the sweep has ended a job whose process went while it was being cancelled. */
export type CancelledBySweep = (job: { readonly id: number; readonly shopId: string }) => Promise<void>;

/**
 * What a kind still does when its runner could not finish a cancel (the sweep ended the job): an
 * import rebuilds the recommendations from what it imported, as one its runner cancelled does.
 */
export const JOB_CANCELLED_BY_SWEEP: Partial<Record<JobKind, () => Promise<CancelledBySweep>>> = {
  import_products_csv: async () => (await import("./csv-import/import-jobs.server")).importCancelledBySweep,
  import_orders_csv: async () => (await import("./csv-import/import-jobs.server")).importCancelledBySweep,
};
