import { describe, expect, it, vi } from "vitest";
import db from "~/db.server";
import { databaseNow } from "~/models/database-clock.server";
import { createTestShop } from "../../tests/factories/shop";
import type { RunningJob } from "./jobs.server";

/**
 * Cancelling a job: at once while it is queued, at the handler's next check while it runs, and by
 * the sweep when its process went while it was being cancelled. The backtest kind is replaced by
 * a handler the test steps through: it saves a step, asks whether to stop, then waits for the next;
 * after its third, it waits once more before returning (finishing its work, no more checks).
 */
const steps: { job: RunningJob; release: () => void }[] = [];
vi.mock("./ranking-backtest.server", async () => {
  const { JobCancelledError } = await import("./jobs.server");
  return {
    rankingBacktestJob: async (job: RunningJob) => {
      for (let step = 1; step <= 3; step++) {
        await new Promise<void>((release) => steps.push({ job, release }));
        await job.progress(step, 3, { step });
        if (await job.cancelRequested()) throw new JobCancelledError({ stoppedAfter: step });
      }
      await new Promise<void>((release) => steps.push({ job, release }));
      return { finished: true };
    },
  };
});

const { enqueueJob, findJob, requestJobCancel, resumeJobs, runJob, waitForJob, STALE_AFTER_MS } = await import("./jobs.server");

async function untilStepped(count: number) {
  for (let i = 0; i < 500 && steps.length < count; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  const step = steps[count - 1];
  if (!step) throw new Error("the handler never reached that step");
  return step;
}

const KINDS = ["ranking_backtest"];

describe("cancelling a job", () => {
  it("GIVEN a running job WHEN cancelled THEN it is 'cancelling' until its handler's next check, then 'cancelled' with what the handler reports", async () => {
    const shop = await createTestShop();
    const job = await enqueueJob(shop.id, "ranking_backtest", { file: "x".repeat(1000) }, { start: false });
    const before = steps.length;
    const run = runJob(job.id);
    (await untilStepped(before + 1)).release();
    const second = await untilStepped(before + 2);

    expect(await requestJobCancel(shop.id, job.id, KINDS)).toBe("cancelling");
    expect((await findJob(shop.id, job.id))?.status).toBe("cancelling");
    // Asked again while it finishes its step: still the same answer, nothing else changes.
    expect(await requestJobCancel(shop.id, job.id, KINDS)).toBe("cancelling");
    // A sweep meanwhile (the runner's heartbeat is fresh) leaves it with its runner.
    await resumeJobs({ shopIds: [shop.id] });
    expect((await findJob(shop.id, job.id))?.status).toBe("cancelling");

    second.release();
    expect(await run).toBe(true);
    const ended = await waitForJob(shop.id, job.id);
    expect(ended).toMatchObject({ status: "cancelled", progressDone: 2, result: { stoppedAfter: 2 }, error: null });
    expect(ended.finishedAt).not.toBeNull();
    // It stopped where it was told to: no third step.
    expect(steps.length).toBe(before + 2);
    expect(await requestJobCancel(shop.id, job.id, KINDS)).toBeNull();
  });

  it("GIVEN a queued job WHEN cancelled THEN it never runs, and keeps only what names it", async () => {
    const shop = await createTestShop();
    const job = await enqueueJob(shop.id, "ranking_backtest", { fileName: "orders.csv", text: "a,b\n1,2\n" }, { start: false });
    expect(await requestJobCancel(shop.id, job.id, KINDS)).toBe("cancelled");
    const before = steps.length;
    expect(await runJob(job.id)).toBe(false);
    expect(steps.length).toBe(before);
    const row = await db.job.findUniqueOrThrow({ where: { id: job.id } });
    expect(row).toMatchObject({ status: "cancelled", attempts: 0 });
    expect(row.finishedAt).not.toBeNull();
    expect(JSON.parse(row.input)).toEqual({ fileName: "orders.csv" });
  });

  it("cancels nothing that has ended, is of another kind, or is another shop's", async () => {
    const shop = await createTestShop();
    const other = await createTestShop();
    const done = await db.job.create({ data: { shopId: shop.id, kind: "ranking_backtest", status: "done", updatedAt: new Date() } });
    const otherKind = await db.job.create({ data: { shopId: shop.id, kind: "catalog_sync", status: "running", updatedAt: new Date() } });
    const theirs = await db.job.create({ data: { shopId: other.id, kind: "ranking_backtest", status: "queued", updatedAt: new Date() } });
    expect(await requestJobCancel(shop.id, done.id, KINDS)).toBeNull();
    expect(await requestJobCancel(shop.id, otherKind.id, KINDS)).toBeNull();
    expect(await requestJobCancel(shop.id, theirs.id, KINDS)).toBeNull();
    expect((await db.job.findMany({ where: { id: { in: [done.id, otherKind.id, theirs.id] } }, orderBy: { id: "asc" } })).map((row) => row.status)).toEqual([
      "done",
      "running",
      "queued",
    ]);
  });

  it("GIVEN a job whose process went while it was being cancelled THEN the sweep ends it cancelled instead of running it again", async () => {
    const shop = await createTestShop();
    const input = JSON.stringify({ fileName: "orders.csv", text: "x".repeat(10_000) });
    const job = await db.job.create({
      data: { shopId: shop.id, kind: "ranking_backtest", status: "cancelling", attempts: 1, input, progressDone: 5, updatedAt: new Date(Date.now() - STALE_AFTER_MS - 1000) },
    });
    const before = steps.length;
    await resumeJobs({ shopIds: [shop.id] });
    const row = await db.job.findUniqueOrThrow({ where: { id: job.id } });
    expect(row).toMatchObject({ status: "cancelled", progressDone: 5, attempts: 1 });
    expect(JSON.parse(row.input)).toEqual({ fileName: "orders.csv" });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(steps.length).toBe(before);
  });

  it("GIVEN a job being cancelled WHEN its lease is live by the database's clock THEN the sweep leaves it, whatever this host's clock says; once the lease ran out it ends cancelled", async () => {
    const shop = await createTestShop();
    // Written by a runner whose clock runs ten minutes behind, with a lease the database gave it.
    const job = await db.job.create({
      data: {
        shopId: shop.id,
        kind: "ranking_backtest",
        status: "cancelling",
        attempts: 1,
        input: "{}",
        updatedAt: new Date(Date.now() - 10 * 60_000),
        leaseUntil: new Date((await databaseNow()).getTime() + STALE_AFTER_MS),
      },
    });
    await resumeJobs({ shopIds: [shop.id] });
    expect((await db.job.findUniqueOrThrow({ where: { id: job.id } })).status).toBe("cancelling");

    await db.job.update({ where: { id: job.id }, data: { leaseUntil: new Date((await databaseNow()).getTime() - 1000), updatedAt: new Date() } });
    await resumeJobs({ shopIds: [shop.id] });
    expect((await db.job.findUniqueOrThrow({ where: { id: job.id } })).status).toBe("cancelled");
  });

  it("GIVEN a cancel that reads the job running just before a sweep queues it again THEN the cancel is not lost: the queued job is cancelled", async () => {
    const shop = await createTestShop();
    // Running, its runner gone (lease out): the next sweep queues it again.
    const job = await db.job.create({
      data: { shopId: shop.id, kind: "ranking_backtest", status: "running", attempts: 1, input: "{}", leaseUntil: new Date((await databaseNow()).getTime() - 1000), updatedAt: new Date() },
    });
    // The sweep runs between the cancel's read of the status and its write, in the same milliseconds.
    // (Prisma's model object takes no vi.spyOn: its methods are assigned over and put back.)
    const model = db.job as unknown as { findFirst: typeof db.job.findFirst };
    const read = db.job.findFirst.bind(db.job);
    let raced = false;
    model.findFirst = (async (args: Parameters<typeof read>[0]) => {
      const row = await read(args);
      if (!raced) {
        raced = true;
        await db.job.updateMany({ where: { id: job.id, status: "running" }, data: { status: "queued", leaseUntil: null } });
      }
      return row;
    }) as typeof db.job.findFirst;
    try {
      expect(await requestJobCancel(shop.id, job.id, KINDS)).toBe("cancelled");
    } finally {
      model.findFirst = read as typeof db.job.findFirst;
    }
    expect(raced).toBe(true);
    const before = steps.length;
    // Nothing runs it again: the next sweep and a runner's claim both find it cancelled.
    await resumeJobs({ shopIds: [shop.id] });
    expect(await runJob(job.id)).toBe(false);
    expect(steps.length).toBe(before);
    expect((await db.job.findUniqueOrThrow({ where: { id: job.id } })).status).toBe("cancelled");
  });

  it("GIVEN a cancel that comes after the handler's last check THEN the job ends done: it finished", async () => {
    const shop = await createTestShop();
    const job = await enqueueJob(shop.id, "ranking_backtest", {}, { start: false });
    const before = steps.length;
    const run = runJob(job.id);
    for (let step = 1; step <= 3; step++) (await untilStepped(before + step)).release();
    // Past its last check, finishing: the cancel comes too late to stop anything.
    const finishing = await untilStepped(before + 4);
    expect(await requestJobCancel(shop.id, job.id, KINDS)).toBe("cancelling");
    finishing.release();
    await run;
    expect(await findJob(shop.id, job.id)).toMatchObject({ status: "done", progressDone: 3, result: { finished: true } });
  });
});
