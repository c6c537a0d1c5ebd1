/**
 * Background jobs: work that must outlive the request that started it (CSV imports, catalog sync,
 * order backfill, recommendation rebuilds). The job row is the source of truth: progress and a
 * checkpoint are saved as the job runs, so the admin can show a progress bar after the page was
 * closed, and a job interrupted by a crash resumes from its checkpoint.
 *
 * Several app processes may share the queue (PostgreSQL): a running job is leased to its runner
 * until `leaseUntil`, which the runner moves STALE_AFTER_MS past the database's time every
 * HEARTBEAT_MS; only a job whose lease has run out (its process is gone) is queued again, by
 * whichever process sweeps first (at start and every SWEEP_MS). Leases are written and judged by
 * the database's clock, not the host's (database-clock.server.ts): hosts' clocks disagree. Each
 * claim counts an attempt, and a runner writes only while the attempt is still its own, so a
 * runner that lost its job to a sweep (a frozen process) cannot overwrite the new run's progress
 * or result.
 *
 * A merchant may cancel a job (CSV imports offer it): a queued one is cancelled at once; a running
 * one is marked "cancelling" and its handler, which asks `cancelRequested()` where stopping leaves
 * its work whole (an import: between batches), ends it by throwing JobCancelledError with its
 * report. The status column holds these two values too; no other column is needed.
 *
 * Handlers live in their own modules and are listed in ./job-kinds.server.ts.
 */
import db from "~/db.server";
import type { Prisma } from "~/generated/prisma/sqlite/client";
import { databaseNow, leaseEnd } from "~/models/database-clock.server";
import { INPUT_KEPT_WHEN_CANCELLED_MS, JOB_CANCELLED_BY_SWEEP, JOB_HANDLERS, type JobKind } from "./job-kinds.server";

export type JobStatus = "queued" | "running" | "cancelling" | "done" | "failed" | "cancelled";

/** A job still to end: queued, running, or running until it reaches a point where it can stop. */
export const ACTIVE_JOB_STATUSES = ["queued", "running", "cancelling"] as const satisfies readonly JobStatus[];

/** Statuses of a claimed job its runner still writes to. */
const RUN_STATUSES = ["running", "cancelling"] as const satisfies readonly JobStatus[];

/** A job as a handler sees it. */
export interface RunningJob {
  readonly id: number;
  readonly shopId: string;
  readonly kind: JobKind;
  readonly input: unknown;
  /** What the last run saved with `progress`, or null on a first run. */
  readonly checkpoint: unknown;
  /** This run's claim (the attempt count it set): a handler's own writes to the job row match it too. */
  readonly attempt: number;
  /** Save progress (and where to resume). Cheap enough to call every few hundred rows. */
  progress(done: number, total?: number | null, checkpoint?: unknown): Promise<void>;
  /** Whether the merchant asked to cancel (one primary-key read): stop there with JobCancelledError. */
  cancelRequested(): Promise<boolean>;
}

/** Returns the report shown when the job ends (stored as JSON). */
export type JobHandler = (job: RunningJob) => Promise<unknown>;

export interface JobView {
  id: number;
  shopId: string;
  kind: string;
  status: JobStatus;
  progressDone: number;
  progressTotal: number | null;
  result: unknown;
  error: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/** A job that was cut off this many times is left failed rather than run again. */
const MAX_ATTEMPTS = 3;
/** How often a running job's lease is renewed. */
export const HEARTBEAT_MS = 30_000;
/** How long a lease lasts past its last renewal: a job not renewed that long belongs to a process that is gone. */
export const STALE_AFTER_MS = 120_000;
/** How often each process looks for stale and waiting jobs. */
export const SWEEP_MS = 30_000;

/**
 * Thrown by a handler that stopped because its job was cancelled; `result` is stored as the job's
 * report (what it did before stopping), and the job ends "cancelled".
 */
export class JobCancelledError extends Error {
  override name = "JobCancelledError";
  constructor(readonly result: unknown) {
    super("The job was cancelled.");
  }
}

/** Until when a job of this kind, cancelled now, keeps its input for a resume; null for kinds that let it go. */
function inputKeptUntil(kind: string, now: Date = new Date()): Date | null {
  const keptFor = INPUT_KEPT_WHEN_CANCELLED_MS[kind as JobKind];
  return keptFor === undefined ? null : new Date(now.getTime() + keptFor);
}

/**
 * Ends a job cancelled (`data`, where `where` still holds) keeping its input for a resume until
 * `keptUntil`, unless customers/redact marked the input (Job.inputRedacted: it names a customer
 * the redact erases, found while the job was still to end): then only what names the job stays, as
 * for kinds that keep nothing. The mark is read by the statement that keeps the input, so a redact
 * marking the job either comes first, or finds the job ended and lets its kept input go itself.
 * Returns the rows written (0 when `where` no longer holds).
 */
async function writeCancelledKeepingInput(where: Prisma.JobWhereInput, data: Prisma.JobUpdateManyMutationInput, keptUntil: Date): Promise<number> {
  const kept = await db.job.updateMany({ where: { ...where, inputRedacted: false }, data: { ...data, inputKeptUntil: keptUntil } });
  if (kept.count > 0) return kept.count;
  const marked = { ...where, inputRedacted: true };
  const row = await db.job.findFirst({ where: marked, select: { input: true } });
  if (!row) return 0;
  return (await db.job.updateMany({ where: marked, data: { ...data, input: abandonedInput(row.input), inputKeptUntil: null } })).count;
}

/**
 * Ends job `id` cancelled (`data`, where `where` still holds): its input kept for a resume until
 * `keptUntil` (as above), or, for kinds that keep nothing, only what names the job. The input (an
 * import's whole file) is read only then, to keep its name. Returns the rows written (0 when
 * `where` no longer holds).
 */
async function writeCancelled(where: Prisma.JobWhereInput, data: Prisma.JobUpdateManyMutationInput, keptUntil: Date | null): Promise<number> {
  if (keptUntil) return writeCancelledKeepingInput(where, data, keptUntil);
  const row = await db.job.findFirst({ where, select: { input: true } });
  if (!row) return 0;
  return (await db.job.updateMany({ where, data: { ...data, input: abandonedInput(row.input) } })).count;
}

/** Thrown into a handler whose job was taken over by another run; nothing more is written. */
class LostJobError extends Error {
  override name = "LostJobError";
}

declare global {
  // Runs in flight, shared between server.ts and the Vite-loaded route modules in development.
  var upshelfJobRuns: Map<number, Promise<void>> | undefined;
}
const inFlight: Map<number, Promise<void>> = (globalThis.upshelfJobRuns ??= new Map());

/**
 * Every column but `input` and `checkpoint`: an import's input is the uploaded file (up to 50 MB),
 * which status polling must not read every 25 ms.
 */
const VIEW_COLUMNS = {
  id: true,
  shopId: true,
  kind: true,
  status: true,
  progressDone: true,
  progressTotal: true,
  result: true,
  error: true,
  createdAt: true,
  startedAt: true,
  finishedAt: true,
} as const;

type JobRow = Awaited<ReturnType<typeof db.job.findFirstOrThrow<{ select: typeof VIEW_COLUMNS }>>>;

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function toView(row: JobRow): JobView {
  return {
    id: row.id,
    shopId: row.shopId,
    kind: row.kind,
    status: row.status as JobStatus,
    progressDone: row.progressDone,
    progressTotal: row.progressTotal,
    result: parseJson(row.result),
    error: row.error,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
  };
}

export interface EnqueueOptions {
  /** Return the shop's queued or running job of this kind instead of starting a second one. */
  readonly reuseActive?: boolean;
  /** Start running now (default). Tests and start-up code may run it themselves. */
  readonly start?: boolean;
}

export async function enqueueJob(
  shopId: string,
  kind: JobKind,
  input: unknown = {},
  options: EnqueueOptions = {},
): Promise<JobView> {
  if (options.reuseActive) {
    // Not a job being cancelled: it will not finish its work, so whoever asks now needs a new one.
    const active = await db.job.findFirst({
      where: { shopId, kind, status: { in: ["queued", "running"] } },
      orderBy: { id: "desc" },
      select: VIEW_COLUMNS,
    });
    if (active) return toView(active);
  }
  const row = await db.job.create({ data: { shopId, kind, input: JSON.stringify(input ?? {}) }, select: VIEW_COLUMNS });
  if (options.start !== false) startJob(row.id);
  return toView(row);
}

/** Runs the job in the background; errors end up on the job row, never as an unhandled rejection. */
export function startJob(id: number): Promise<void> {
  const existing = inFlight.get(id);
  if (existing) return existing;
  const run = new Promise<void>((resolve) => setImmediate(resolve))
    .then(async () => {
      await runJob(id);
    })
    .catch((error: unknown) => console.error(`Job ${id} could not run:`, error))
    .finally(() => inFlight.delete(id));
  inFlight.set(id, run);
  return run;
}

/** Claims a queued job and runs it to the end. Returns false when another runner had claimed it. */
export async function runJob(id: number): Promise<boolean> {
  const claimed = await db.job.updateMany({
    where: { id, status: "queued" },
    data: { status: "running", startedAt: new Date(), attempts: { increment: 1 }, updatedAt: new Date(), leaseUntil: leaseEnd(await databaseNow(), STALE_AFTER_MS) },
  });
  if (claimed.count === 0) return false;
  const row = await db.job.findUniqueOrThrow({ where: { id } });
  // This run's claim: writes that no longer match it (the job was swept and claimed again) change nothing.
  // A job being cancelled is still its runner's until the handler stops.
  const mine = { id, status: { in: [...RUN_STATUSES] }, attempts: row.attempts };
  const write = async (data: Parameters<typeof db.job.updateMany>[0]["data"]) => {
    const { count } = await db.job.updateMany({ where: mine, data: { ...data, updatedAt: new Date() } });
    return count > 0;
  };
  const renew = async () => write({ leaseUntil: leaseEnd(await databaseNow(), STALE_AFTER_MS) });
  const heartbeat = setInterval(() => void renew().catch(() => {}), HEARTBEAT_MS);
  heartbeat.unref();
  const kind = row.kind as JobKind;
  const loadHandler = JOB_HANDLERS[kind];
  try {
    if (!loadHandler) throw new Error(`No handler for job kind "${row.kind}".`);
    const handler = await loadHandler();
    const job: RunningJob = {
      id: row.id,
      shopId: row.shopId,
      kind,
      input: parseJson(row.input),
      checkpoint: parseJson(row.checkpoint),
      attempt: row.attempts,
      async progress(done, total, checkpoint) {
        const kept = await write({
          progressDone: done,
          ...(total !== undefined ? { progressTotal: total } : {}),
          ...(checkpoint !== undefined ? { checkpoint: JSON.stringify(checkpoint) } : {}),
        });
        if (!kept) throw new LostJobError(`Job ${id} was taken over by another run.`);
      },
      async cancelRequested() {
        const current = await db.job.findFirst({ where: { id, attempts: row.attempts }, select: { status: true } });
        return current?.status === "cancelling";
      },
    };
    const result = await handler(job);
    await write({ status: "done", result: JSON.stringify(result ?? null), error: null, finishedAt: new Date() });
  } catch (error) {
    if (error instanceof LostJobError) return true;
    if (error instanceof JobCancelledError) {
      const finishedAt = new Date();
      const keptUntil = inputKeptUntil(kind, finishedAt);
      const cancelled = { status: "cancelled", result: JSON.stringify(error.result ?? null), error: null, finishedAt };
      if (keptUntil) await writeCancelledKeepingInput(mine, { ...cancelled, updatedAt: new Date() }, keptUntil);
      else await write(cancelled);
      return true;
    }
    const message = error instanceof Error ? error.message : String(error);
    await write({ status: "failed", error: message, finishedAt: new Date() });
  } finally {
    clearInterval(heartbeat);
  }
  return true;
}

/**
 * Queues again the jobs whose process is gone (running, lease run out by the database's clock),
 * fails those cut off MAX_ATTEMPTS times, and starts every queued job here (claims are atomic: a
 * job another process starts first is skipped). Runs at start-up and every SWEEP_MS (startJobSweeper).
 */
export async function resumeJobs(options: { /** Only these shops' jobs (tests share one database). */ shopIds?: readonly string[] } = {}): Promise<number> {
  const now = await databaseNow();
  const scope = options.shopIds ? { shopId: { in: [...options.shopIds] } } : {};
  // The runner is gone: its lease ran out by the database's clock.
  const runnerGone = [
    { leaseUntil: { lt: now } },
    // Claimed by a version before leases (a rolling deploy): judged as that version did, by this host's clock.
    { leaseUntil: null, updatedAt: { lt: new Date(Date.now() - STALE_AFTER_MS) } },
  ];
  const stale = { ...scope, status: "running", OR: runnerGone };
  // The lease goes with the run: a version before leases that claims the job next writes none, and
  // must be judged by its heartbeat (updatedAt), not by the ended lease left behind.
  await db.job.updateMany({ where: { ...stale, attempts: { lt: MAX_ATTEMPTS } }, data: { status: "queued", leaseUntil: null } });
  const exhausted = await db.job.findMany({ where: stale, select: { id: true, input: true, attempts: true } });
  for (const job of exhausted) {
    await db.job.updateMany({
      where: { id: job.id, status: "running", attempts: job.attempts },
      data: { status: "failed", error: `Stopped ${MAX_ATTEMPTS} times before finishing.`, finishedAt: new Date(), input: abandonedInput(job.input) },
    });
  }
  // A job whose process went while it was being cancelled is not run again: it ends cancelled,
  // with what its last checkpoint says it did, and its kind does what its runner would have.
  const staleCancelling = await db.job.findMany({
    where: { ...scope, status: "cancelling", OR: runnerGone },
    select: { id: true, shopId: true, kind: true, attempts: true },
  });
  for (const job of staleCancelling) {
    const finishedAt = new Date();
    const keptUntil = inputKeptUntil(job.kind, finishedAt);
    const count = await writeCancelled({ id: job.id, status: "cancelling", attempts: job.attempts }, { status: "cancelled", finishedAt }, keptUntil);
    if (count > 0) await afterCancelledBySweep(job);
  }
  await letGoOfExpiredInputs(scope);
  const queued = await db.job.findMany({ where: { ...scope, status: "queued" }, orderBy: { id: "asc" }, select: { id: true } });
  const waiting = queued.filter(({ id }) => !inFlight.has(id));
  for (const { id } of waiting) void startJob(id);
  return waiting.length;
}

async function inputOf(id: number): Promise<string> {
  return (await db.job.findUniqueOrThrow({ where: { id }, select: { input: true } })).input;
}

async function afterCancelledBySweep(job: { id: number; shopId: string; kind: string }): Promise<void> {
  const load = JOB_CANCELLED_BY_SWEEP[job.kind as JobKind];
  if (!load) return;
  try {
    await (await load())(job);
  } catch (error) {
    // The job has ended cancelled either way; the next sweeps must go on.
    console.error(`Job ${job.id}, cancelled by the sweep, could not finish its cancel:`, error);
  }
}

/** A cancelled job's kept input (INPUT_KEPT_WHEN_CANCELLED_MS) goes once its time is up. */
async function letGoOfExpiredInputs(scope: { shopId?: { in: string[] } }): Promise<void> {
  const expired = await db.job.findMany({
    where: { ...scope, status: "cancelled", inputKeptUntil: { lt: new Date() } },
    select: { id: true, inputKeptUntil: true },
  });
  for (const job of expired) {
    // Unless a resume took it meanwhile (it clears inputKeptUntil as it moves the input).
    await db.job.updateMany({
      where: { id: job.id, status: "cancelled", inputKeptUntil: job.inputKeptUntil },
      data: { input: abandonedInput(await inputOf(job.id)), inputKeptUntil: null },
    });
  }
}

/** Sweeps for stale and waiting jobs every SWEEP_MS; the timer does not keep the process alive. */
export function startJobSweeper(intervalMs = SWEEP_MS): { stop(): void } {
  const timer = setInterval(() => {
    resumeJobs().catch((error: unknown) => console.error("Job sweep failed:", error));
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/**
 * A job that will never run again keeps only what names it (an import's file name), not what it
 * would have worked on: an import's input holds the whole uploaded file, up to 50 MB, which every
 * load of the import pages would otherwise read. A small file goes too: an orders export names
 * buyers (emails, addresses), and customers/redact looks only into the files still held (kept for
 * a resume, or of imports still to end). A name is one short line; a file's rows are lines.
 */
export function abandonedInput(input: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(input);
  } catch {
    return "{}";
  }
  if (parsed === null || typeof parsed !== "object") return "{}";
  const small = (value: unknown) =>
    typeof value === "string" ? value.length <= 200 && !/[\r\n]/.test(value) : typeof value !== "object" || value === null;
  return JSON.stringify(Object.fromEntries(Object.entries(parsed).filter(([, value]) => small(value))));
}

export async function findJob(shopId: string, id: number): Promise<JobView | null> {
  const row = await db.job.findFirst({ where: { id, shopId }, select: VIEW_COLUMNS });
  return row ? toView(row) : null;
}

export async function latestJob(shopId: string, kind: JobKind): Promise<JobView | null> {
  const row = await db.job.findFirst({ where: { shopId, kind }, orderBy: { id: "desc" }, select: VIEW_COLUMNS });
  return row ? toView(row) : null;
}

/**
 * Asks for the shop's job (one of `kinds`) to stop. A queued job is cancelled at once and its input
 * let go, as it will never run (kept for a while instead for kinds that can be resumed); a running
 * one becomes "cancelling" until its handler stops at its next check. Null when the shop has no
 * such job still active: finished already, or another shop's.
 */
export async function requestJobCancel(shopId: string, id: number, kinds: readonly string[]): Promise<"cancelled" | "cancelling" | null> {
  // Each pass changes the status only if it is still the one read. A runner's claim (queued to
  // running) or a sweep (running to queued, when the runner's lease ran out) may come in between:
  // the cancel then applies to the new status on the next pass rather than being lost. Those
  // changes are each a step a job takes rarely, so a few passes always settle it.
  for (let pass = 0; pass < 5; pass++) {
    const row = await db.job.findFirst({ where: { id, shopId, kind: { in: [...kinds] } }, select: { status: true, kind: true } });
    if (!row) return null;
    if (row.status === "cancelling") return "cancelling";
    if (row.status === "queued") {
      const finishedAt = new Date();
      const keptUntil = inputKeptUntil(row.kind, finishedAt);
      const count = await writeCancelled({ id, shopId, status: "queued" }, { status: "cancelled", finishedAt }, keptUntil);
      if (count > 0) return "cancelled";
    } else if (row.status === "running") {
      const { count } = await db.job.updateMany({ where: { id, shopId, status: "running" }, data: { status: "cancelling" } });
      if (count > 0) return "cancelling";
    } else {
      return null;
    }
  }
  throw new Error(`Job ${id} kept changing status while it was being cancelled; try again.`);
}

/** Resolves when the job has ended (done, failed or cancelled); for tests, scripts and start-up code. */
export async function waitForJob(shopId: string, id: number, timeoutMs = 60_000): Promise<JobView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await inFlight.get(id);
    const job = await findJob(shopId, id);
    if (!job) throw new Error(`Job ${id} does not exist for ${shopId}.`);
    if (job.status === "done" || job.status === "failed" || job.status === "cancelled") return job;
    if (Date.now() > deadline) throw new Error(`Job ${id} still ${job.status} after ${timeoutMs} ms.`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
