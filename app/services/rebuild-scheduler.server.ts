/**
 * Periodic recommendation rebuilds. Every tick looks at the installed shops and enqueues a
 * `rebuild_recommendations` job (one per shop at a time: reuseActive) for each shop whose model is
 * missing, older than `maxAgeHours`, or older than `minRebuildMinutes` with orders received since
 * it was built. New orders reach the serving model at once through applyNewOrder; the rebuild
 * catches up what that leaves out (other products' rows, popularity, decay) and persists it.
 * A shop whose newest finished rebuild failed waits `failureBackoffMinutes` before the next try.
 */
import db from "~/db.server";
import { enqueueJob } from "./jobs.server";
import { ordersSinceBuild } from "./recommendations.server";

export interface RebuildSchedulerOptions {
  /** Time between ticks (default 10 minutes). */
  readonly intervalMs?: number;
  /** A model this old is rebuilt whatever happened (default 24 hours: decay and catalog changes). */
  readonly maxAgeHours?: number;
  /** A model with new orders is rebuilt once it is this old (default 30 minutes). */
  readonly minRebuildMinutes?: number;
  /** After a failed rebuild, the shop is not tried again for this long (default 60 minutes). */
  readonly failureBackoffMinutes?: number;
  /** The clock (tests inject one). */
  readonly now?: () => Date;
  /** The shops to look at (default: every installed shop). */
  readonly listShops?: () => Promise<string[]>;
  /** Start the jobs it enqueues (default true; tests may run them themselves). */
  readonly startJobs?: boolean;
  /** Check once right away (default true). */
  readonly checkAtStart?: boolean;
  /** Called with the shops a tick enqueued (e.g. for logging). */
  readonly onTick?: (shopIds: string[]) => void;
}

export interface RebuildScheduler {
  /** Runs one check now; resolves to the shops it enqueued a rebuild for. */
  tick(): Promise<string[]>;
  stop(): void;
}

async function installedShops(): Promise<string[]> {
  const shops = await db.shop.findMany({
    where: { uninstalledAt: null },
    select: { id: true },
    orderBy: { id: "asc" },
  });
  return shops.map((shop) => shop.id);
}

/** The shops due for a rebuild at `now`, by the rules above. */
export async function findShopsDueForRebuild(
  shopIds: readonly string[],
  now: Date,
  options: Pick<RebuildSchedulerOptions, "maxAgeHours" | "minRebuildMinutes" | "failureBackoffMinutes"> = {}
): Promise<string[]> {
  if (shopIds.length === 0) return [];
  const maxAgeMs = (options.maxAgeHours ?? 24) * 3_600_000;
  const minAgeMs = (options.minRebuildMinutes ?? 30) * 60_000;
  const backoffMs = (options.failureBackoffMinutes ?? 60) * 60_000;
  const ids = [...shopIds];
  const [snapshots, orders, products, failures] = await Promise.all([
    db.rankingSnapshot.groupBy({
      by: ["shopId"],
      // A save still writing its parts (or abandoned) has not built anything that serves.
      where: { shopId: { in: ids }, complete: true },
      _max: { builtAt: true },
    }),
    // updatedAt is when the order last reached us or changed (webhook, backfill, import, a
    // cancellation): placedAt can be much older.
    db.order.groupBy({
      by: ["shopId"],
      where: { shopId: { in: ids } },
      _max: { updatedAt: true },
    }),
    db.product.groupBy({
      by: ["shopId"],
      where: { shopId: { in: ids } },
      _count: { _all: true },
    }),
    // A rebuild that keeps failing (a corrupt row, a shop too large for memory) would otherwise be
    // retried every tick for ever: a shop whose newest finished rebuild failed within the backoff waits.
    db.job.findMany({
      where: { shopId: { in: ids }, kind: "rebuild_recommendations", status: { in: ["done", "failed"] }, finishedAt: { gt: new Date(now.getTime() - backoffMs) } },
      select: { shopId: true, status: true },
      orderBy: { id: "desc" },
    }),
  ]);
  const newestFinished = new Map<string, string>();
  for (const job of failures) if (!newestFinished.has(job.shopId)) newestFinished.set(job.shopId, job.status);
  const failedRecently = new Set([...newestFinished].filter(([, status]) => status === "failed").map(([shopId]) => shopId));
  const builtAt = new Map(snapshots.map((row) => [row.shopId, row._max.builtAt]));
  const newestOrder = new Map(orders.map((row) => [row.shopId, row._max.updatedAt]));
  const hasProducts = new Set(products.filter((row) => row._count._all > 0).map((row) => row.shopId));
  return ids.filter((shopId) => {
    if (failedRecently.has(shopId)) return false;
    const built = builtAt.get(shopId);
    // A shop without a catalog has nothing to recommend yet; its import job rebuilds when done.
    if (!built) return hasProducts.has(shopId);
    const age = now.getTime() - built.getTime();
    if (age >= maxAgeMs) return true;
    if (age < minAgeMs) return false;
    const newest = newestOrder.get(shopId);
    return (newest !== null && newest !== undefined && newest > built) || ordersSinceBuild(shopId) > 0;
  });
}

/**
 * Starts the periodic check (the first one right away). Call once at server start, after
 * resumeJobs(); the timer does not keep the process alive.
 */
export function startRebuildScheduler(options: RebuildSchedulerOptions = {}): RebuildScheduler {
  const now = options.now ?? (() => new Date());
  const listShops = options.listShops ?? installedShops;
  let running: Promise<string[]> | null = null;
  const tick = (): Promise<string[]> => {
    running ??= (async () => {
      const due = await findShopsDueForRebuild(await listShops(), now(), options);
      for (const shopId of due) {
        await enqueueJob(
          shopId,
          "rebuild_recommendations",
          { reason: "scheduled" },
          { reuseActive: true, start: options.startJobs !== false }
        );
      }
      options.onTick?.(due);
      return due;
    })().finally(() => {
      running = null;
    });
    return running;
  };
  const safeTick = () => {
    tick().catch((error: unknown) => console.error("The recommendation rebuild scheduler failed:", error));
  };
  const timer = setInterval(safeTick, options.intervalMs ?? 10 * 60_000);
  timer.unref();
  const first = options.checkAtStart === false ? undefined : setTimeout(safeTick, 0);
  first?.unref();
  return {
    tick,
    stop() {
      clearInterval(timer);
      clearTimeout(first);
    },
  };
}
