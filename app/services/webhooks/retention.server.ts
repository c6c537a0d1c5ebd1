/**
 * Webhook deliveries are not kept for ever (app/core/webhook-retention.ts says how long, and why).
 * Each shop's expired rows are read a batch of ids at a time through the (status, shopId,
 * receivedAt) index and deleted by id (deleteInBatches says why in batches).
 */
import { CUSTOMER_DATA_EXPORT_DAYS, FAILED_DELIVERY_DAYS, PROCESSED_DELIVERY_DAYS, retentionCutoff } from "~/core/webhook-retention";
import db from "~/db.server";
import { deleteInBatches } from "~/models/batched-delete.server";
import { startPeriodicPass } from "~/services/periodic-pass.server";

const DATA_REQUEST = "customers/data_request";

interface RetentionRule {
  readonly status: "done" | "failed";
  /** Which topics the rule covers (all when absent). */
  readonly topic?: string | { not: string };
  readonly days: number;
}

/** Pending deliveries have no rule: they are work still to do, whatever their age. */
const RULES: readonly RetentionRule[] = [
  { status: "done", topic: { not: DATA_REQUEST }, days: PROCESSED_DELIVERY_DAYS },
  // An answered data request carries the export the merchant downloads.
  { status: "done", topic: DATA_REQUEST, days: CUSTOMER_DATA_EXPORT_DAYS },
  { status: "failed", days: FAILED_DELIVERY_DAYS },
];

/**
 * Rows per statement. Smaller batches hold the process for less at a time and cost little in
 * total (scripts/experiments/webhook-retention-timings.ts, docs/benchmarks.md).
 */
export const RETENTION_BATCH_SIZE = 200;

export interface PruneOptions {
  now?: Date;
  batchSize?: number;
  /** Only these shops (default: every shop in the database). */
  shopIds?: readonly string[];
}

/** Deletes every delivery past its retention, shop by shop. Returns how many went. */
export async function pruneWebhookDeliveries(options: PruneOptions = {}): Promise<number> {
  const now = options.now ?? new Date();
  const batchSize = options.batchSize ?? RETENTION_BATCH_SIZE;
  const shopIds = options.shopIds ?? (await db.shop.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((shop) => shop.id);
  let deleted = 0;
  for (const shopId of shopIds) {
    for (const rule of RULES) deleted += await pruneShopDeliveries(shopId, rule, retentionCutoff(now, rule.days), batchSize);
  }
  return deleted;
}

function pruneShopDeliveries(shopId: string, rule: RetentionRule, before: Date, batchSize: number): Promise<number> {
  const where = { status: rule.status, shopId, receivedAt: { lt: before }, ...(rule.topic === undefined ? {} : { topic: rule.topic }) };
  return deleteInBatches(
    // Oldest first, in the index's own order: without an order Prisma sorts by id, which made
    // SQLite sort the whole expired range to return one batch.
    async (take) => (await db.webhookDelivery.findMany({ where, select: { id: true }, orderBy: { receivedAt: "asc" }, take })).map((row) => row.id),
    // A done or failed delivery never changes status, so the ids read are still expired.
    async (ids) => (await db.webhookDelivery.deleteMany({ where: { shopId, id: { in: ids } } })).count,
    batchSize,
  );
}

export interface RetentionSchedulerOptions {
  /** Only these shops (default: all; a demo server looks after the demo shop only). */
  readonly shopIds?: readonly string[];
  /** Time between passes (default 1 hour: each pass then has about an hour's deliveries to remove). */
  readonly intervalMs?: number;
  readonly onPass?: (deleted: number) => void;
}

/** Starts the periodic pruning (the first pass right away). The timer does not keep the process alive. */
export function startWebhookDeliveryRetention(options: RetentionSchedulerOptions = {}): { stop(): void } {
  return startPeriodicPass(
    () =>
      pruneWebhookDeliveries({ shopIds: options.shopIds })
        .then((deleted) => {
          if (deleted > 0) console.info(`Removed ${deleted} webhook deliveries past their retention.`);
          options.onPass?.(deleted);
        })
        .catch((error: unknown) => console.error("Removing old webhook deliveries failed:", error)),
    options.intervalMs ?? 3_600_000,
  );
}
