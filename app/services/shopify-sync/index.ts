/**
 * Bringing a shop's Shopify data in: catalog sync, then order backfill, then a model rebuild,
 * each a background job (app/services/jobs.server.ts) that survives restarts.
 */
import db from "~/db.server";
import { enqueueJob, type JobView } from "~/services/jobs.server";

export { runCatalogSync, type CatalogSyncReport } from "./catalog-sync.server";
export { runOrdersBackfill, type OrdersBackfillReport, type OrdersBackfillInput } from "./orders-backfill.server";

export const SYNC_JOB_KINDS = ["catalog_sync", "orders_backfill", "rebuild_recommendations"] as const;

/** "Sync now" and install: the catalog first (orders link to it), then the order history. */
export function startShopifySync(shopId: string): Promise<JobView> {
  return enqueueJob(shopId, "catalog_sync", { thenBackfill: true }, { reuseActive: true });
}

/**
 * Call once the install is recorded: starts the first sync of a shop that has never had one, and
 * a fresh one after a reinstall (webhooks were not delivered while the app was uninstalled).
 */
export async function syncShopOnInstall(shopId: string, options: { reinstalled?: boolean } = {}): Promise<JobView | null> {
  const previous = await db.job.findFirst({ where: { shopId, kind: "catalog_sync" }, select: { id: true } });
  if (previous && !options.reinstalled) return null;
  return startShopifySync(shopId);
}

export interface SyncJobRow {
  id: number;
  kind: string;
  status: string;
  progressDone: number;
  progressTotal: number | null;
  message: string | null;
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

/** The shop's latest sync jobs, newest first, for the "Shopify data" page. */
export async function listSyncJobs(shopId: string, limit = 10): Promise<SyncJobRow[]> {
  const rows = await db.job.findMany({
    where: { shopId, kind: { in: [...SYNC_JOB_KINDS] } },
    orderBy: { id: "desc" },
    take: limit,
  });
  return rows.map((row) => {
    let message: string | null = null;
    try {
      const result = row.result ? (JSON.parse(row.result) as { message?: unknown }) : null;
      if (typeof result?.message === "string") message = result.message;
    } catch {
      message = null;
    }
    return {
      id: row.id,
      kind: row.kind,
      status: row.status,
      progressDone: row.progressDone,
      progressTotal: row.progressTotal,
      message,
      error: row.error,
      createdAt: row.createdAt,
      finishedAt: row.finishedAt,
    };
  });
}
