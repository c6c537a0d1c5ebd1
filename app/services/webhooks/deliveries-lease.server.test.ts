import { randomUUID } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import db from "~/db.server";
import * as databaseClock from "~/models/database-clock.server";
import { databaseNow, leaseEnd } from "~/models/database-clock.server";
import type { AdminApi } from "~/services/admin-api.server";
import { createTestShop } from "../../../tests/factories/shop";
import { webhookFixture } from "../../../tests/fixtures/webhooks/signed-request";
import type * as Deliveries from "./deliveries.server";
import { processPendingWebhookDeliveries, processWebhookDelivery, startWebhookDeliveryPickup } from "./deliveries.server";

/**
 * Webhook deliveries shared by several app processes: a delivery is leased to the run that claims
 * it, so a process starting meanwhile (which processes what is pending) leaves it alone, and a
 * lease whose process died runs out and is taken over. A second process is this module loaded
 * again with its own runs in flight, over the same database; `stop()` drops the runs it has
 * scheduled, as the process dying would.
 */
async function anotherProcess(): Promise<typeof Deliveries & { stop(): void }> {
  vi.resetModules();
  const runs = globalThis.upshelfWebhookRuns;
  const waits = globalThis.upshelfWebhookRunsWaiting;
  globalThis.upshelfWebhookRuns = undefined;
  globalThis.upshelfWebhookRunsWaiting = undefined;
  try {
    const loaded = await import("./deliveries.server");
    // Set by the module just loaded (TypeScript still sees the undefined written above).
    const scheduled = globalThis.upshelfWebhookRunsWaiting as typeof waits;
    const stop = () => {
      for (const { timer } of scheduled?.values() ?? []) clearTimeout(timer);
      scheduled?.clear();
    };
    return { ...loaded, stop };
  } finally {
    globalThis.upshelfWebhookRuns = runs;
    globalThis.upshelfWebhookRunsWaiting = waits;
  }
}

/** inventory_levels/update asks the Admin API first: this one holds every call until released, and counts them. */
function heldAdminApi() {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const calls: string[] = [];
  const admin: AdminApi = { mode: "live", request: async () => ({ inventoryItem: null }) as never };
  const adminApiFor = async (shopId: string) => {
    calls.push(shopId);
    await gate;
    return admin;
  };
  return { adminApiFor, calls, release };
}

async function until(check: () => boolean | Promise<boolean>, ms = 5_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** An Admin API whose first `failures` calls fail (the Admin API unreachable), then answer; it notes when each call came. */
function flakyAdminApi(failures: number) {
  const calledAt: number[] = [];
  const admin: AdminApi = { mode: "live", request: async () => ({ inventoryItem: null }) as never };
  const adminApiFor = async () => {
    calledAt.push(Date.now());
    if (calledAt.length <= failures) throw new Error("Admin API unreachable");
    return admin;
  };
  return { adminApiFor, calledAt };
}

async function deliveryRow(id: number) {
  return db.webhookDelivery.findUniqueOrThrow({ where: { id } });
}

async function inventoryDelivery(shopId: string, data: { attempts?: number; leaseUntil?: Date } = {}) {
  return db.webhookDelivery.create({
    data: { shopId, webhookId: randomUUID(), topic: "inventory_levels/update", payload: webhookFixture("inventory-levels-update", shopId), ...data },
  });
}

describe("webhook deliveries shared by several processes", () => {
  it("GIVEN a delivery being processed by the process that received it WHEN another process starts THEN that one leaves it alone: it runs once", async () => {
    const shop = await createTestShop();
    const delivery = await inventoryDelivery(shop.id);
    const held = heldAdminApi();
    const receiving = processWebhookDelivery(delivery.id, { adminApiFor: held.adminApiFor });
    await until(() => held.calls.length === 1);

    const starting = await anotherProcess();
    try {
      const startup = starting.processPendingWebhookDeliveries({ adminApiFor: held.adminApiFor, shopIds: [shop.id] });
      const early = await Promise.race([startup, new Promise((resolve) => setTimeout(() => resolve("still running"), 1_000))]);
      expect(held.calls).toHaveLength(1);
      expect(early).toBe(0);
    } finally {
      held.release();
    }
    expect(await receiving).toBe(true);
    await starting.settleWebhookDeliveries();
    expect(held.calls).toHaveLength(1);
    const row = await db.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } });
    expect([row.status, row.attempts, row.leaseUntil]).toEqual(["done", 1, null]);
  });

  it("GIVEN a delivery claimed by a process that died WHEN its lease runs out THEN a process that started meanwhile processes it", async () => {
    const shop = await createTestShop();
    // Claimed (attempts: 1) by a process that died with a lease still running for a moment.
    const delivery = await inventoryDelivery(shop.id, { attempts: 1, leaseUntil: new Date(Date.now() + 1_500) });
    const held = heldAdminApi();
    held.release();
    expect(await processPendingWebhookDeliveries({ adminApiFor: held.adminApiFor, shopIds: [shop.id] })).toBe(0);
    expect(held.calls).toHaveLength(0);
    // It looks again when the lease ends, and takes the delivery over.
    await until(async () => (await db.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).status === "done", 8_000);
    expect(held.calls).toHaveLength(1);
    expect((await db.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).attempts).toBe(2);
  });

  it("GIVEN a run frozen past its lease WHEN another process took the delivery over and finished it THEN the frozen run's failure writes nothing", async () => {
    const shop = await createTestShop();
    const delivery = await inventoryDelivery(shop.id);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const frozen = processWebhookDelivery(delivery.id, {
      adminApiFor: async () => {
        await gate;
        throw new Error("Admin API unreachable");
      },
    });
    await until(async () => (await db.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).attempts === 1);
    // Its lease runs out (the process froze); another process takes the delivery over and finishes it.
    await db.webhookDelivery.update({ where: { id: delivery.id }, data: { leaseUntil: new Date(Date.now() - 60_000) } });
    const other = await anotherProcess();
    const working = heldAdminApi();
    working.release();
    expect(await other.processWebhookDelivery(delivery.id, { adminApiFor: working.adminApiFor })).toBe(true);
    expect(await db.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({ status: "done", attempts: 2 });

    // The frozen run wakes up and fails: the delivery stays done, with no error and no retry.
    release();
    expect(await frozen).toBe(true);
    expect(await db.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({ status: "done", attempts: 2, lastError: null });
  });

  it("GIVEN two running processes picking up WHEN a run in a third dies (its lease ends by the database's clock) THEN one of them processes the delivery, once, with no restart", async () => {
    const shop = await createTestShop();
    const held = heldAdminApi();
    const other = await anotherProcess();
    // Both processes are running (their start-up is long past) before the delivery's run dies.
    const pickup = { adminApiFor: held.adminApiFor, shopIds: [shop.id], intervalMs: 200 };
    const passes = [startWebhookDeliveryPickup(pickup), other.startWebhookDeliveryPickup(pickup)];
    try {
      // Claimed (attempts: 1) by a process that then died; its lease ends in a moment, by the database's clock.
      const delivery = await inventoryDelivery(shop.id, { attempts: 1, leaseUntil: leaseEnd(await databaseNow(), 1_500) });
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(held.calls).toHaveLength(0);
      await until(() => held.calls.length === 1, 8_000);
      // While the new run works, both processes keep picking up: its lease keeps the other one off.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(held.calls).toHaveLength(1);
      held.release();
      await until(async () => (await deliveryRow(delivery.id)).status === "done");
      expect(await deliveryRow(delivery.id)).toMatchObject({ attempts: 2, leaseUntil: null });
      expect(held.calls).toHaveLength(1);
    } finally {
      held.release();
      for (const pass of passes) pass.stop();
      other.stop();
      await other.settleWebhookDeliveries();
    }
  });

  it("GIVEN a delivery whose run died WHEN two processes pick up at the same moment THEN it runs once: the claim decides", async () => {
    const shop = await createTestShop();
    const dead = await inventoryDelivery(shop.id, { attempts: 1, leaseUntil: leaseEnd(await databaseNow(), -60_000) });
    const held = heldAdminApi();
    const [first, second] = [await anotherProcess(), await anotherProcess()];
    try {
      const pickups = [first, second].map((runner) => runner.pickUpDueWebhookDeliveries({ adminApiFor: held.adminApiFor, shopIds: [shop.id] }));
      await until(() => held.calls.length === 1);
      // The process that lost the claim is done with its pass; the winner's run is still held.
      const lost = await Promise.race([...pickups, new Promise((resolve) => setTimeout(() => resolve("both still running"), 2_000))]);
      expect(lost).toBe(0);
      held.release();
      expect((await Promise.all(pickups)).sort()).toEqual([0, 1]);
      expect(held.calls).toHaveLength(1);
      expect(await deliveryRow(dead.id)).toMatchObject({ status: "done", attempts: 2 });
    } finally {
      held.release();
      first.stop();
      second.stop();
    }
  });

  it("GIVEN a failed run waiting for its retry, its process gone WHEN another starts or picks up THEN it is not run before its retry time, and is run after it with no restart", async () => {
    const shop = await createTestShop();
    const delivery = await inventoryDelivery(shop.id);
    const admin = flakyAdminApi(1);
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    // The receiving process's run fails; the process then stops during the retry wait.
    const receiving = await anotherProcess();
    expect(await receiving.processWebhookDelivery(delivery.id, { adminApiFor: admin.adminApiFor })).toBe(true);
    receiving.stop();
    const failed = await deliveryRow(delivery.id);
    expect(failed).toMatchObject({ status: "pending", attempts: 1, lastError: "Admin API unreachable" });
    // The retry time (2 s after the failure, by the database's clock, which SQLite gives in whole seconds) is stored.
    const failedAt = await databaseNow();
    expect(failed.leaseUntil!.getTime() - failedAt.getTime()).toBeGreaterThan(0);
    expect(failed.leaseUntil!.getTime() - failedAt.getTime()).toBeLessThanOrEqual(2_000);
    // Starting a process under load can take longer than those 2 s; a minute's wait (a later
    // attempt's) keeps what follows about the wait, not about how fast this machine is.
    await db.webhookDelivery.update({ where: { id: delivery.id }, data: { leaseUntil: leaseEnd(await databaseNow(), 60_000) } });

    // A process starting now, and one picking up now, leave it waiting.
    const starting = await anotherProcess();
    expect(await starting.processPendingWebhookDeliveries({ adminApiFor: admin.adminApiFor, shopIds: [shop.id] })).toBe(0);
    starting.stop();
    const running = await anotherProcess();
    expect(await running.pickUpDueWebhookDeliveries({ adminApiFor: admin.adminApiFor, shopIds: [shop.id] })).toBe(0);
    expect(admin.calledAt).toHaveLength(1);

    // A running process's periodic pickup runs it once its time has come.
    const retryAt = leaseEnd(await databaseNow(), 1_000);
    await db.webhookDelivery.update({ where: { id: delivery.id }, data: { leaseUntil: retryAt } });
    const pickup = running.startWebhookDeliveryPickup({ adminApiFor: admin.adminApiFor, shopIds: [shop.id], intervalMs: 200 });
    try {
      await until(async () => (await deliveryRow(delivery.id)).status === "done", 8_000);
    } finally {
      pickup.stop();
      running.stop();
    }
    expect(admin.calledAt).toHaveLength(2);
    expect(admin.calledAt[1]!).toBeGreaterThanOrEqual(retryAt.getTime());
    expect(await deliveryRow(delivery.id)).toMatchObject({ attempts: 2, leaseUntil: null, lastError: null });
  });

  it("GIVEN a process waiting minutes to look at another run's lease WHEN it then runs the delivery itself and fails THEN its retry comes after the retry delay, not after that wait", async () => {
    const shop = await createTestShop();
    // Another process's run holds the delivery for a while: this process will look again when that lease ends.
    const delivery = await inventoryDelivery(shop.id, { attempts: 1, leaseUntil: leaseEnd(await databaseNow(), 100_000) });
    const admin = flakyAdminApi(1);
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const runner = await anotherProcess();
    try {
      expect(await runner.processWebhookDelivery(delivery.id, { adminApiFor: admin.adminApiFor })).toBe(false);
      // That run froze past its lease; Shopify redelivers, and this process runs the delivery, which fails.
      await db.webhookDelivery.update({ where: { id: delivery.id }, data: { leaseUntil: leaseEnd(await databaseNow(), -60_000) } });
      expect(await runner.processWebhookDelivery(delivery.id, { adminApiFor: admin.adminApiFor })).toBe(true);
      expect(await deliveryRow(delivery.id)).toMatchObject({ status: "pending", attempts: 2 });
      // The retry after a second attempt, 15 s on, is not held back by the 100 s look.
      await until(async () => (await deliveryRow(delivery.id)).status === "done", 25_000);
      expect(await deliveryRow(delivery.id)).toMatchObject({ attempts: 3 });
    } finally {
      runner.stop();
    }
  }, 40_000);
  it("GIVEN a run renewing its lease WHEN the handler fails while that renewal is still under way THEN the retry time is what stays, not a renewed lease", async () => {
    const shop = await createTestShop();
    const delivery = await inventoryDelivery(shop.id);
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    // Only the run's renewal timer is faked, so the test can fire it at the moment it wants.
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const readClock = databaseClock.databaseNow;
    let renewalUnderWay = false;
    // The renewal's read of the database's clock is slow: its lease would land after the failure's write.
    const clock = vi.spyOn(databaseClock, "databaseNow").mockImplementation(async () => {
      const now = await readClock();
      if (!renewalUnderWay) return now;
      renewalUnderWay = false;
      await new Promise((resolve) => setTimeout(resolve, 300));
      return now;
    });
    const adminApiFor = async (): Promise<AdminApi> => {
      renewalUnderWay = true;
      vi.advanceTimersByTime(30_000);
      throw new Error("Admin API unreachable");
    };
    try {
      expect(await processWebhookDelivery(delivery.id, { adminApiFor })).toBe(true);
      // Whatever was under way has landed by now.
      await new Promise((resolve) => setTimeout(resolve, 600));
    } finally {
      vi.useRealTimers();
      clock.mockRestore();
    }
    // The renewal did run (its clock read was taken).
    expect(renewalUnderWay).toBe(false);
    const row = await deliveryRow(delivery.id);
    expect(row).toMatchObject({ status: "pending", attempts: 1, lastError: "Admin API unreachable" });
    // The first retry is 2 s after the failure; a renewed lease would hold it back two minutes.
    expect(row.leaseUntil!.getTime() - (await databaseNow()).getTime()).toBeLessThanOrEqual(2_000);
    // The retry this process scheduled is not this test's business: drop it, as a process stopping would.
    const retry = globalThis.upshelfWebhookRunsWaiting?.get(delivery.id);
    clearTimeout(retry?.timer);
    globalThis.upshelfWebhookRunsWaiting?.delete(delivery.id);
  });
  it("GIVEN one shop's pending deliveries held up WHEN a process starts THEN another shop's run meanwhile, and each shop's still run oldest first, one at a time", async () => {
    const [slow, other] = [await createTestShop(), await createTestShop()];
    const first = await inventoryDelivery(slow.id);
    const second = await inventoryDelivery(slow.id);
    const others = await inventoryDelivery(other.id);
    const held = heldAdminApi();
    const admin: AdminApi = { mode: "live", request: async () => ({ inventoryItem: null }) as never };
    const calls: string[] = [];
    const adminApiFor = async (shopId: string) => {
      calls.push(shopId);
      return shopId === slow.id ? held.adminApiFor(shopId) : admin;
    };
    const startup = processPendingWebhookDeliveries({ adminApiFor, shopIds: [slow.id, other.id] });
    try {
      await until(async () => (await deliveryRow(others.id)).status === "done");
      // The slow shop's oldest is still running, and its next waits for it.
      expect((await deliveryRow(first.id)).status).toBe("pending");
      expect(calls.filter((shopId) => shopId === slow.id)).toHaveLength(1);
    } finally {
      held.release();
    }
    expect(await startup).toBe(3);
    expect(calls).toEqual(expect.arrayContaining([slow.id, slow.id, other.id]));
    const [a, b] = [await deliveryRow(first.id), await deliveryRow(second.id)];
    expect([a.status, b.status]).toEqual(["done", "done"]);
    expect(a.processedAt!.getTime()).toBeLessThanOrEqual(b.processedAt!.getTime());
  });
});
