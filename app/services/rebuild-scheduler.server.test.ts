import { describe, expect, it } from "vitest";
import db from "~/db.server";
import { createTestOrder, createTestProduct } from "../../tests/factories/catalog";
import { createTestShop } from "../../tests/factories/shop";
import { startRebuildScheduler } from "./rebuild-scheduler.server";

const HOUR = 3_600_000;
const NOW = new Date("2026-11-02T09:00:00Z");

async function shop(options: { products?: boolean; builtHoursAgo?: number; orderHoursAgo?: number }) {
  const shopId = (await createTestShop()).id;
  if (options.products !== false) {
    const product = await createTestProduct(shopId, {
      title: "Mug",
      price: 900,
    });
    if (options.orderHoursAgo !== undefined) {
      const order = await createTestOrder(shopId, [product], new Date(NOW.getTime() - 48 * HOUR));
      // The order reached us (or last changed: updatedAt) later than it was placed.
      const reached = new Date(NOW.getTime() - options.orderHoursAgo * HOUR);
      await db.order.update({ where: { id: order.id }, data: { createdAt: reached, updatedAt: reached } });
    }
  }
  if (options.builtHoursAgo !== undefined) {
    const builtAt = new Date(NOW.getTime() - options.builtHoursAgo * HOUR);
    await db.rankingSnapshot.create({
      data: {
        shopId,
        version: "v",
        builtAt,
        orderCount: 0,
        productCount: 1,
        complete: true,
      },
    });
  }
  return shopId;
}

describe("startRebuildScheduler", () => {
  it("enqueues one rebuild per shop whose model is missing, too old, or behind new orders, and no duplicates", async () => {
    const missing = await shop({});
    const noCatalog = await shop({ products: false });
    const fresh = await shop({ builtHoursAgo: 1 });
    const old = await shop({ builtHoursAgo: 25 });
    const newOrders = await shop({ builtHoursAgo: 2, orderHoursAgo: 1 });
    const ordersBeforeBuild = await shop({
      builtHoursAgo: 2,
      orderHoursAgo: 3,
    });
    const tooSoon = await shop({ builtHoursAgo: 0.25, orderHoursAgo: 0.1 });
    const shops = [missing, noCatalog, fresh, old, newOrders, ordersBeforeBuild, tooSoon];

    let clock = NOW;
    const scheduler = startRebuildScheduler({
      now: () => clock,
      listShops: async () => shops,
      startJobs: false,
      checkAtStart: false,
    });
    try {
      expect((await scheduler.tick()).sort()).toEqual([missing, old, newOrders].sort());
      const jobs = await db.job.findMany({ where: { shopId: { in: shops } } });
      expect(jobs.map((job) => [job.shopId, job.kind, job.status]).sort()).toEqual(
        [missing, old, newOrders].map((id) => [id, "rebuild_recommendations", "queued"]).sort()
      );
      // Still due a minute later, but the queued jobs are reused, not repeated.
      clock = new Date(NOW.getTime() + 60_000);
      await scheduler.tick();
      expect(await db.job.count({ where: { shopId: { in: shops } } })).toBe(3);
      // A day later every model is too old.
      clock = new Date(NOW.getTime() + 24 * HOUR);
      expect((await scheduler.tick()).sort()).toEqual([missing, fresh, old, newOrders, ordersBeforeBuild, tooSoon].sort());
    } finally {
      scheduler.stop();
    }
  });

  it("GIVEN a shop whose last rebuild failed THEN it is left alone for an hour, then tried again", async () => {
    const failing = await shop({ builtHoursAgo: 30 });
    await db.job.create({
      data: { shopId: failing, kind: "rebuild_recommendations", status: "failed", error: "out of memory", finishedAt: new Date(NOW.getTime() - 10 * 60_000) },
    });
    const scheduler = startRebuildScheduler({ now: () => NOW, listShops: async () => [failing], startJobs: false, checkAtStart: false });
    try {
      expect(await scheduler.tick()).toEqual([]);
      // A later rebuild that succeeded (an import's, say) ends the backoff.
      const done = await db.job.create({
        data: { shopId: failing, kind: "rebuild_recommendations", status: "done", finishedAt: new Date(NOW.getTime() - 5 * 60_000) },
      });
      expect(await scheduler.tick()).toEqual([failing]);
      await db.job.deleteMany({ where: { id: done.id } });
      await db.job.deleteMany({ where: { shopId: failing, status: "queued" } });
    } finally {
      scheduler.stop();
    }
    const later = startRebuildScheduler({ now: () => new Date(NOW.getTime() + HOUR), listShops: async () => [failing], startJobs: false, checkAtStart: false });
    try {
      expect(await later.tick()).toEqual([failing]);
    } finally {
      later.stop();
    }
  });

  it("GIVEN the interval elapses THEN it checks again by itself", async () => {
    const missing = await shop({});
    const ticks: string[][] = [];
    const scheduler = startRebuildScheduler({
      now: () => NOW,
      listShops: async () => [missing],
      startJobs: false,
      intervalMs: 20,
      onTick: (due) => ticks.push(due),
    });
    try {
      // Two ticks, however slow a loaded machine makes each one's queries.
      await expect.poll(() => ticks.length, { timeout: 10_000, interval: 20 }).toBeGreaterThanOrEqual(2);
      expect(ticks[0]).toEqual([missing]);
      expect(await db.job.count({ where: { shopId: missing } })).toBe(1);
    } finally {
      scheduler.stop();
    }
  });
});
