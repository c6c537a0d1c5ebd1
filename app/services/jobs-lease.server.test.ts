import { describe, expect, it, vi } from "vitest";
import db from "~/db.server";
import { createTestShop } from "../../tests/factories/shop";
import type { RunningJob } from "./jobs.server";

/**
 * Jobs shared by several app processes: a run's heartbeat, the sweep that takes over a job whose
 * process is gone, and the fence that stops the old run from writing over the new one. The
 * backtest kind is replaced by a handler the test steps through.
 */
const steps: { job: RunningJob; release: () => void }[] = [];
vi.mock("./ranking-backtest.server", () => ({
  rankingBacktestJob: async (job: RunningJob) => {
    await new Promise<void>((release) => steps.push({ job, release }));
    await job.progress(1, 2, { step: 1 });
    return { ranBy: job.id };
  },
}));

const { enqueueJob, findJob, resumeJobs, runJob, STALE_AFTER_MS } = await import("./jobs.server");

async function untilStepped(count: number) {
  for (let i = 0; i < 200 && steps.length < count; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  const step = steps[count - 1];
  if (!step) throw new Error("the handler never started");
  return step;
}

describe("jobs shared by several processes", () => {
  it("leaves a running job with a fresh heartbeat alone, and takes over one whose heartbeat went stale", async () => {
    const shop = await createTestShop();
    const job = await enqueueJob(shop.id, "ranking_backtest", {}, { start: false });
    const before = steps.length;
    const first = runJob(job.id);
    const run = await untilStepped(before + 1);
    const row = await db.job.findUniqueOrThrow({ where: { id: job.id } });
    expect(row).toMatchObject({ status: "running", attempts: 1 });
    // Leased for STALE_AFTER_MS from the claim, by the database's clock (SQLite's has whole seconds).
    const leaseMs = row.leaseUntil!.getTime() - Date.now();
    expect(leaseMs).toBeGreaterThan(STALE_AFTER_MS - 2_000);
    expect(leaseMs).toBeLessThanOrEqual(STALE_AFTER_MS);

    // Another process sweeping now sees a live job: it stays with its runner.
    await resumeJobs({ shopIds: [shop.id] });
    expect(await db.job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ status: "running", attempts: 1 });

    // Later, with no heartbeat since (a frozen or dead process), its lease has run out: a sweep queues it again and a new run claims it.
    await db.job.update({ where: { id: job.id }, data: { leaseUntil: new Date(Date.now() - 60_000) } });
    await resumeJobs({ shopIds: [shop.id] });
    const second = await untilStepped(before + 2);
    expect((await db.job.findUniqueOrThrow({ where: { id: job.id } })).attempts).toBe(2);

    // The old run wakes up: its progress is refused and it writes nothing more.
    run.release();
    expect(await first).toBe(true);
    expect(await db.job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ status: "running", progressDone: 0 });

    // The new run finishes the job.
    second.release();
    for (let i = 0; i < 200 && (await findJob(shop.id, job.id))?.status !== "done"; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await findJob(shop.id, job.id)).toMatchObject({ status: "done", progressDone: 1, result: { ranBy: job.id } });
  });

  it("judges a job's lease by the database's clock: a sweeping host whose clock runs ahead leaves a live job alone", async () => {
    const shop = await createTestShop();
    const job = await enqueueJob(shop.id, "ranking_backtest", {}, { start: false });
    const before = steps.length;
    const first = runJob(job.id);
    const run = await untilStepped(before + 1);

    // Another host, its clock ten minutes ahead, sweeps while the job's heartbeat is fresh.
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 10 * 60_000 });
    try {
      await resumeJobs({ shopIds: [shop.id] });
    } finally {
      vi.useRealTimers();
    }
    expect(await db.job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ status: "running", attempts: 1 });
    expect(steps).toHaveLength(before + 1);

    run.release();
    expect(await first).toBe(true);
    expect(await findJob(shop.id, job.id)).toMatchObject({ status: "done", progressDone: 1 });
  });

  it("judges a job's lease by the database's clock: a runner whose clock runs behind keeps its job", async () => {
    const shop = await createTestShop();
    const job = await enqueueJob(shop.id, "ranking_backtest", {}, { start: false });
    const before = steps.length;
    // The host that claims and runs the job has a clock ten minutes slow.
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() - 10 * 60_000 });
    let first: Promise<boolean>;
    let run: Awaited<ReturnType<typeof untilStepped>>;
    try {
      first = runJob(job.id);
      run = await untilStepped(before + 1);
    } finally {
      vi.useRealTimers();
    }
    // A host with the right time sweeps.
    await resumeJobs({ shopIds: [shop.id] });
    expect(await db.job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ status: "running", attempts: 1 });
    expect(steps).toHaveLength(before + 1);

    run.release();
    expect(await first).toBe(true);
    expect(await findJob(shop.id, job.id)).toMatchObject({ status: "done", progressDone: 1 });
  });

  it("GIVEN a job queued again after its lease ran out WHEN a version before leases claims it (a rolling deploy) THEN it is judged by its heartbeat, not by the old lease", async () => {
    const shop = await createTestShop();
    // Claimed by this version, whose process went: its lease ran out.
    const job = await db.job.create({
      data: { shopId: shop.id, kind: "ranking_backtest", status: "running", attempts: 1, updatedAt: new Date(Date.now() - 10 * 60_000), leaseUntil: new Date(Date.now() - 5 * 60_000) },
    });
    // This process has a run of it in flight, so the sweep queues it again without starting it here.
    let done!: () => void;
    globalThis.upshelfJobRuns?.set(job.id, new Promise<void>((resolve) => (done = resolve)));
    try {
      await resumeJobs({ shopIds: [shop.id] });
      expect(await db.job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ status: "queued" });
      // A process of the version before leases claims it as that version did: no lease written.
      await db.job.updateMany({ where: { id: job.id, status: "queued" }, data: { status: "running", startedAt: new Date(), attempts: { increment: 1 }, updatedAt: new Date() } });
      // Its heartbeat is fresh: a sweep leaves the job with it.
      await resumeJobs({ shopIds: [shop.id] });
      expect(await db.job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ status: "running", attempts: 2 });
    } finally {
      globalThis.upshelfJobRuns?.delete(job.id);
      done();
      await db.job.update({ where: { id: job.id }, data: { status: "done" } });
    }
  });

  it("fails a job cut off three times, keeping its name but not its megabytes", async () => {
    const shop = await createTestShop();
    const input = JSON.stringify({ fileName: "orders.csv", text: "x".repeat(100_000) });
    const job = await db.job.create({ data: { shopId: shop.id, kind: "import_orders_csv", status: "running", attempts: 3, input, updatedAt: new Date(0) } });
    await resumeJobs({ shopIds: [shop.id] });
    const row = await db.job.findUniqueOrThrow({ where: { id: job.id } });
    expect(row).toMatchObject({ status: "failed", error: "Stopped 3 times before finishing." });
    expect(JSON.parse(row.input)).toEqual({ fileName: "orders.csv" });
  });

  it("fails a job cut off three times without keeping a small file either: its rows name buyers (email, address)", async () => {
    const shop = await createTestShop();
    const text = "Name,Email,Created at,Currency,Lineitem quantity,Lineitem name,Lineitem price,Billing Name,Billing Address1\n" +
      "#1001,jane@example.com,2025-01-01 10:00:00 +0000,USD,1,Mug,10.00,Jane Doe,1 Main Street\n";
    const input = JSON.stringify({ fileName: "orders.csv", text, uploadedAt: "2025-01-02T00:00:00.000Z" });
    const job = await db.job.create({ data: { shopId: shop.id, kind: "import_orders_csv", status: "running", attempts: 3, input, updatedAt: new Date(0) } });
    await resumeJobs({ shopIds: [shop.id] });
    const row = await db.job.findUniqueOrThrow({ where: { id: job.id } });
    expect(row).toMatchObject({ status: "failed", error: "Stopped 3 times before finishing." });
    expect(JSON.parse(row.input)).toEqual({ fileName: "orders.csv", uploadedAt: "2025-01-02T00:00:00.000Z" });
  });
});
