import { describe, expect, it } from "vitest";
import db from "~/db.server";
import { createTestShop } from "../../tests/factories/shop";
import { createTestOrder, createTestProduct } from "../../tests/factories/catalog";
import { enqueueJob, findJob, resumeJobs, runJob, STALE_AFTER_MS, waitForJob } from "./jobs.server";

describe("background jobs", () => {
  it("runs a job to the end and keeps its report", async () => {
    const shop = await createTestShop();
    const a = await createTestProduct(shop.id, { title: "Mug", price: 1200 });
    const b = await createTestProduct(shop.id, { title: "Tea", price: 800 });
    await createTestOrder(shop.id, [a, b], new Date());
    const job = await enqueueJob(shop.id, "rebuild_recommendations");
    const done = await waitForJob(shop.id, job.id);
    expect(done.status).toBe("done");
    expect(done.result).toMatchObject({ orders: 1 });
    expect(await db.rankingSnapshot.count({ where: { shopId: shop.id } })).toBe(1);
  });

  it("reuses the active job instead of starting a second one when asked", async () => {
    const shop = await createTestShop();
    const first = await enqueueJob(shop.id, "rebuild_recommendations", {}, { start: false });
    const second = await enqueueJob(shop.id, "rebuild_recommendations", {}, { reuseActive: true, start: false });
    expect(second.id).toBe(first.id);
    expect(await runJob(first.id)).toBe(true);
    expect(await runJob(first.id)).toBe(false);
  });

  it("resumes a job cut off mid-run once its lease has run out", async () => {
    const shop = await createTestShop();
    const job = await enqueueJob(shop.id, "rebuild_recommendations", {}, { start: false });
    await db.job.update({ where: { id: job.id }, data: { status: "running", attempts: 1, leaseUntil: new Date(Date.now() - 60_000) } });
    await resumeJobs({ shopIds: [shop.id] });
    const done = await waitForJob(shop.id, job.id);
    expect(done.status).toBe("done");
  });

  it("resumes a job claimed by a version before leases once its heartbeat is stale, and not before", async () => {
    const shop = await createTestShop();
    const job = await enqueueJob(shop.id, "rebuild_recommendations", {}, { start: false });
    await db.job.update({ where: { id: job.id }, data: { status: "running", attempts: 1, updatedAt: new Date() } });
    await resumeJobs({ shopIds: [shop.id] });
    expect(await findJob(shop.id, job.id)).toMatchObject({ status: "running" });
    await db.job.update({ where: { id: job.id }, data: { updatedAt: new Date(Date.now() - STALE_AFTER_MS - 1_000) } });
    await resumeJobs({ shopIds: [shop.id] });
    const done = await waitForJob(shop.id, job.id);
    expect(done.status).toBe("done");
  });

  it("never shows one shop another shop's job", async () => {
    const shop = await createTestShop();
    const other = await createTestShop();
    const job = await enqueueJob(shop.id, "rebuild_recommendations", {}, { start: false });
    expect(await findJob(other.id, job.id)).toBeNull();
  });
});
