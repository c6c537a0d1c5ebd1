import { z } from "zod";
import db from "~/db.server";
import { Prisma } from "~/generated/prisma/sqlite/client";
import { refreshPlannerStatistics } from "~/models/planner-statistics.server";
import { IngestError, ingestOrders, upsertProducts } from "~/services/ingest";
import type { CancelledBySweep, JobKind } from "~/services/job-kinds.server";
import {
  ACTIVE_JOB_STATUSES,
  enqueueJob,
  JobCancelledError,
  requestJobCancel,
  startJob,
  type JobHandler,
  type JobStatus,
  type RunningJob,
} from "~/services/jobs.server";
import { requestFreshRebuild } from "~/services/recommendations-rebuild-job.server";
import { countMatchedLines, deletedSinceMatching, matchOrdersToHistory, matchProductsToCatalog, rowsOfDeletedProduct } from "./catalog-matching.server";
import type { CsvFileKind } from "./csv-files";
import { countCsvRows } from "./csv-rows";
import { emptyReport, importReportSchema, recordSkippedRow, type ImportReport } from "./import-report";
import { parseOrdersCsv, type CsvOrderRecord } from "./orders-csv";
import { isActive } from "./report-view";
import { parseProductsCsv, type CsvProductRecord } from "./products-csv";

/**
 * CSV imports as background jobs. The uploaded text is the job's input; the job streams it,
 * writes in batches through the ingest module, and saves a checkpoint after each batch: how many
 * parse events are done and the report so far. Parsing is deterministic, so a job resumed after
 * a restart re-reads the file, skips the events it already wrote, and carries on.
 *
 * A merchant may cancel an import (cancelCsvImport). It stops after the batch it is writing: each
 * batch is one ingest transaction of whole products or orders, so what was imported is whole, and
 * the report says how far it got. Its file is kept for a while (INPUT_KEPT_WHEN_CANCELLED_MS) so
 * that it can be resumed (resumeCsvImport): a new job, linked to it, takes the file and the
 * checkpoint and carries on from there. The same file uploaded again imports the rest too: rows
 * already imported come back unchanged.
 */

export const IMPORT_JOB_KINDS = {
  products: "import_products_csv",
  orders: "import_orders_csv",
} as const satisfies Record<CsvFileKind, JobKind>;

const ALL_IMPORT_KINDS: string[] = Object.values(IMPORT_JOB_KINDS);

export function importKindOfJob(jobKind: string): CsvFileKind | null {
  if (jobKind === IMPORT_JOB_KINDS.products) return "products";
  if (jobKind === IMPORT_JOB_KINDS.orders) return "orders";
  return null;
}

const inputSchema = z.object({
  fileName: z.string(),
  text: z.string(),
  /** When the merchant uploaded the file; dates the products it publishes, the same on a resume. */
  uploadedAt: z.string().datetime(),
});
export type ImportJobInput = z.infer<typeof inputSchema>;

const checkpointSchema = z.object({
  eventsDone: z.number().int().nonnegative(),
  rowsDone: z.number().int().nonnegative(),
  totalRows: z.number().int().nonnegative(),
  report: importReportSchema,
  /** The cancelled import this one resumes: its checkpoint is where this one started. */
  resumedFrom: z.number().int().optional(),
});
type Checkpoint = z.infer<typeof checkpointSchema>;

type ImportEvent<T> =
  | {
      readonly type: "skipped";
      readonly row: number;
      readonly reason: string;
      readonly rowsRead: number;
    }
  | { readonly type: "record"; readonly record: T; readonly rowsRead: number };

/** What a file's rows are read against: the shop's currency and time zone. */
interface ImportingShop {
  readonly currency: string;
  readonly timeZone: string;
}

interface ImportPlan<T> {
  readonly kind: CsvFileKind;
  /** Records per write: one ingest transaction each, and a checkpoint after it. */
  readonly batchSize: number;
  events(text: string, shop: ImportingShop, input: ImportJobInput): AsyncIterable<ImportEvent<T>>;
  writeBatch(shopId: string, records: T[], report: ImportReport, input: ImportJobInput, shop: ImportingShop): Promise<void>;
}

/**
 * Parsing, and queries through SQLite's synchronous driver, settle as microtasks: without a
 * deliberate pause an import would hold the event loop until it ends, and the server (the very
 * page polling its progress included) would answer nothing meanwhile.
 */
const EVENTS_PER_YIELD = 500;

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Parse events between checkpoints when a stretch of the file is all skipped rows. */
const EVENTS_PER_CHECKPOINT = 2_000;

function csvImportJob<T>(plan: ImportPlan<T>): JobHandler {
  return async (job: RunningJob) => {
    const parsedInput = inputSchema.safeParse(job.input);
    if (!parsedInput.success)
      throw new Error("The uploaded file is no longer stored with this import; upload it again.");
    const input = parsedInput.data;
    let cancelled = false;
    try {
      return await runImport(plan, job, input);
    } catch (error) {
      // A cancelled one keeps its file for a resume, until the job runner's INPUT_KEPT_WHEN_CANCELLED_MS.
      cancelled = error instanceof JobCancelledError;
      throw error;
    } finally {
      // A failed import is not retried (the merchant fixes the file and uploads it again), and a
      // finished one needs only its report; the file itself can be megabytes.
      if (!cancelled) await forgetUploadedFile(job, input.fileName);
    }
  };
}

/** Longest an import waits for the shop's earlier ones before going ahead regardless. */
const EARLIER_IMPORTS_WAIT_MS = 15 * 60_000;

/**
 * A shop's imports run one at a time, in upload order: orders uploaded right after products
 * must see those products, or their lines would be stored unmatched.
 */
async function waitForEarlierImports(job: RunningJob): Promise<void> {
  const deadline = Date.now() + EARLIER_IMPORTS_WAIT_MS;
  while (Date.now() < deadline) {
    // One being cancelled still writes until its batch ends.
    const earlier = await db.job.count({
      where: { shopId: job.shopId, kind: { in: ALL_IMPORT_KINDS }, id: { lt: job.id }, status: { in: [...ACTIVE_JOB_STATUSES] } },
    });
    if (earlier === 0) return;
    // Cancelled while it waits: stop now, not once the earlier ones are done.
    if (await job.cancelRequested()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function runImport<T>(plan: ImportPlan<T>, job: RunningJob, input: ImportJobInput): Promise<ImportReport> {
  await waitForEarlierImports(job);
  // Cancelled before it wrote anything (this run): what an earlier run's checkpoint says it did, if any.
  if (await job.cancelRequested()) throw new JobCancelledError(checkpointSchema.safeParse(job.checkpoint).data?.report ?? null);
  const shop = await db.shop.findUnique({
    where: { id: job.shopId },
    select: { currency: true, timeZone: true },
  });
  if (!shop) throw new Error(`Shop ${job.shopId} is not installed.`);

  const saved = checkpointSchema.safeParse(job.checkpoint);
  const resumed = saved.success;
  let checkpoint: Checkpoint;
  if (saved.success) {
    checkpoint = saved.data;
  } else {
    // A first pass counts rows for the progress bar and finds malformed CSV before anything is written.
    const totalRows = await countCsvRows(input.text, plan.kind);
    checkpoint = {
      eventsDone: 0,
      rowsDone: 0,
      totalRows,
      report: emptyReport(plan.kind, input.fileName, totalRows),
    };
    await job.progress(0, totalRows, checkpoint);
    // Counting a big file takes a while: a cancel meanwhile stops before the first batch.
    if (await job.cancelRequested()) throw new JobCancelledError(checkpoint.report);
  }
  const { totalRows, report, eventsDone: alreadyDone, resumedFrom } = checkpoint;

  let index = 0;
  let rowsDone = checkpoint.rowsDone;
  let sinceCheckpoint = 0;
  let cancelled = false;
  let batch: T[] = [];
  const save = async () => {
    await yieldToEventLoop();
    if (batch.length > 0) await plan.writeBatch(job.shopId, batch, report, input, shop);
    batch = [];
    sinceCheckpoint = 0;
    await job.progress(rowsDone, totalRows, {
      eventsDone: index,
      rowsDone,
      totalRows,
      report,
      resumedFrom,
    } satisfies Checkpoint);
  };

  for await (const event of plan.events(input.text, shop, input)) {
    index += 1;
    if (index % EVENTS_PER_YIELD === 0) await yieldToEventLoop();
    if (index <= alreadyDone) continue;
    rowsDone = event.rowsRead;
    if (event.type === "skipped") recordSkippedRow(report, { row: event.row, reason: event.reason });
    else batch.push(event.record);
    sinceCheckpoint += 1;
    if (batch.length >= plan.batchSize || sinceCheckpoint >= EVENTS_PER_CHECKPOINT) {
      await save();
      // Between batches, with the checkpoint saved: everything written so far is whole and counted.
      if (await job.cancelRequested()) {
        cancelled = true;
        break;
      }
    }
  }
  if (!cancelled) {
    rowsDone = totalRows;
    await save();
  }

  // A re-import of the same file changes nothing, so it leaves the model alone too. A resumed
  // job cannot know what its interrupted run changed, so it rebuilds to be sure. A cancelled one
  // keeps what it imported, so the model learns from that as from any import.
  if (resumed || report.created + report.updated > 0) {
    await refreshPlannerStatistics();
    report.rebuildJobId = await requestFreshRebuild(job.shopId, "import");
  }
  if (cancelled) throw new JobCancelledError(report);
  return report;
}

/** The file can be megabytes; once imported, the report is what the merchant needs, not the file. */
async function forgetUploadedFile(job: RunningJob, fileName: string): Promise<void> {
  // Only while this run still holds the job: a run that lost it to a sweep must not take the file
  // from the run that resumed it.
  await db.job.updateMany({
    where: { id: job.id, shopId: job.shopId, status: { in: ["running", "cancelling"] }, attempts: job.attempt },
    data: { input: JSON.stringify({ fileName }) },
  });
}

/**
 * Writes a batch; when ingest rejects it, writes its records one by one so that one bad record
 * is reported against its row instead of failing the whole import.
 */
async function writeEachOnRejection<T>(
  records: T[],
  write: (records: T[]) => Promise<void>,
  rowOf: (record: T) => number,
  report: ImportReport,
): Promise<void> {
  try {
    await write(records);
  } catch (error) {
    if (!(error instanceof IngestError) || records.length === 1) {
      if (error instanceof IngestError) {
        recordSkippedRow(report, {
          row: rowOf(records[0] as T),
          reason: error.problems.join("; ") || error.message,
        });
        return;
      }
      throw error;
    }
    for (const record of records) await writeEachOnRejection([record], write, rowOf, report);
  }
}

const productsPlan: ImportPlan<CsvProductRecord> = {
  kind: "products",
  // As many as ingest writes per transaction: its per-batch catalog queries are the cost here.
  batchSize: 250,
  async *events(text, shop) {
    for await (const event of parseProductsCsv(text, { currency: shop.currency })) {
      yield event.type === "product" ? { type: "record", record: event.record, rowsRead: event.rowsRead } : event;
    }
  },
  async writeBatch(shopId, records, report, input) {
    await writeEachOnRejection(
      records,
      async (part) => {
        const { products, matched, skipped, leftToShopify } = await matchProductsToCatalog(shopId, part, new Date(input.uploadedAt));
        const result = await upsertProducts(shopId, products);
        // Products Shopify owns are only filled, never created: one deleted in Shopify between
        // matching and writing was left out by ingest (its `older`), so its rows are reported.
        const gone = result.older > 0 ? await deletedSinceMatching(shopId, products) : new Set<string>();
        const written = products.filter((product) => !gone.has(product.shopifyId));
        const notImported = part.flatMap((record, index) =>
          gone.has(products[index]!.shopifyId) ? rowsOfDeletedProduct(record, skipped) : [],
        );
        for (const row of [...skipped, ...notImported]) recordSkippedRow(report, row);
        // Found after parsing, so listed after rows skipped later in the file: keep the list in row order.
        if (skipped.length + notImported.length > 0) report.skipped.sort((a, b) => a.row - b.row);
        report.leftToShopify += leftToShopify;
        report.imported += written.length;
        report.created += result.created;
        report.updated += result.updated;
        report.unchanged += result.unchanged ?? 0;
        report.matched += matched - gone.size;
        report.items += written.reduce((sum, product) => sum + product.variants.length, 0);
      },
      (record) => record.firstRow,
      report,
    );
  },
};

const ordersPlan: ImportPlan<CsvOrderRecord> = {
  kind: "orders",
  batchSize: 250,
  async *events(text, shop, input) {
    // "Now" is the upload's time, so a resumed import reads the file exactly as the first run did.
    const options = { defaultCurrency: shop.currency, timeZone: shop.timeZone, now: Date.parse(input.uploadedAt) };
    for await (const event of parseOrdersCsv(text, options)) {
      yield event.type === "order" ? { type: "record", record: event.record, rowsRead: event.rowsRead } : event;
    }
  },
  async writeBatch(shopId, records, report, _input, shop) {
    await writeEachOnRejection(
      records,
      async (part) => {
        const orders = await matchOrdersToHistory(shopId, part);
        const result = await ingestOrders(shopId, orders);
        report.otherCurrency += orders.filter((order) => order.currency !== shop.currency).length;
        report.imported += orders.length;
        report.created += result.created;
        report.updated += result.updated;
        report.unchanged += result.skipped;
        report.items += orders.reduce((sum, order) => sum + order.lines.length, 0);
        report.matched += await countMatchedLines(
          shopId,
          orders.map((order) => order.shopifyId),
        );
      },
      (record) => record.firstRow,
      report,
    );
  },
};

export const importProductsCsvJob: JobHandler = csvImportJob(productsPlan);
export const importOrdersCsvJob: JobHandler = csvImportJob(ordersPlan);

/** Queues an import of an uploaded file (already checked with checkCsvHeader). */
export async function startCsvImport(
  shopId: string,
  kind: CsvFileKind,
  file: { fileName: string; text: string },
  options: { start?: boolean; uploadedAt?: Date } = {},
) {
  const input: ImportJobInput = {
    fileName: file.fileName,
    text: file.text,
    uploadedAt: (options.uploadedAt ?? new Date()).toISOString(),
  };
  return enqueueJob(shopId, IMPORT_JOB_KINDS[kind], input, {
    start: options.start ?? true,
  });
}

/**
 * Whether a cancelled import can be resumed: its file is kept until `until`; or it was, by the
 * import `jobId`; or its file is gone (let go after its time, or cancelled before files were kept).
 */
export type ImportResumeState =
  | { readonly state: "available"; readonly until: Date }
  | { readonly state: "resumed"; readonly jobId: number }
  | { readonly state: "unavailable" };

export interface ImportJobSummary {
  id: number;
  kind: CsvFileKind;
  fileName: string;
  status: JobStatus;
  progressDone: number;
  progressTotal: number | null;
  report: ImportReport | null;
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
  /** Null unless the import was cancelled. */
  resume: ImportResumeState | null;
  /** The cancelled import this one resumes, if any. */
  resumedFrom: number | null;
}

// Never the input: it holds the whole file until the import ends, and pages poll this.
const SUMMARY_SELECT = {
  id: true,
  kind: true,
  status: true,
  progressDone: true,
  progressTotal: true,
  checkpoint: true,
  result: true,
  error: true,
  createdAt: true,
  finishedAt: true,
  inputKeptUntil: true,
} as const;

type SummaryRow = Awaited<ReturnType<typeof db.job.findFirstOrThrow<{ select: typeof SUMMARY_SELECT }>>>;

function parseJson(text: string | null): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function resumeStateOf(row: SummaryRow, now: Date): ImportResumeState | null {
  if (row.status !== "cancelled") return null;
  // Past its time the file is as good as gone, whether or not the sweep has let it go yet.
  return row.inputKeptUntil && row.inputKeptUntil > now ? { state: "available", until: row.inputKeptUntil } : { state: "unavailable" };
}

function toSummary(row: SummaryRow, now: Date = new Date()): ImportJobSummary | null {
  const kind = importKindOfJob(row.kind);
  if (!kind) return null;
  // While running, the report so far lives in the checkpoint; at the end, in the result.
  const final = importReportSchema.safeParse(parseJson(row.result));
  const partial = checkpointSchema.safeParse(parseJson(row.checkpoint));
  const report = final.success ? final.data : partial.success ? partial.data.report : null;
  return {
    id: row.id,
    kind,
    fileName: report?.fileName ?? "",
    status: row.status as ImportJobSummary["status"],
    progressDone: row.progressDone,
    progressTotal: row.progressTotal,
    report,
    error: row.error,
    createdAt: row.createdAt,
    finishedAt: row.finishedAt,
    resume: resumeStateOf(row, now),
    resumedFrom: partial.success ? (partial.data.resumedFrom ?? null) : null,
  };
}

/** An input's JSON starts with the file's name (startCsvImport and abandonedInput keep that order). */
const LEADING_FILE_NAME = /^\{"fileName":("(?:[^"\\]|\\.)*")/;

/**
 * An import that ended before its first checkpoint (a malformed file, a cancel while it waited)
 * has no report to name its file; its input does, first. Only the input's first characters are
 * read: a cancelled import keeps its whole file there for a resume.
 */
async function withFileNames(shopId: string, summaries: ImportJobSummary[]): Promise<ImportJobSummary[]> {
  const unnamed = summaries.filter((summary) => !summary.fileName && !isActive(summary.status)).map((summary) => summary.id);
  if (unnamed.length === 0) return summaries;
  const rows = await db.$queryRaw<{ id: number | bigint; head: string }[]>`
    SELECT "id", substr("input", 1, 1000) AS "head" FROM "Job" WHERE "shopId" = ${shopId} AND "id" IN (${Prisma.join(unnamed)})`;
  const names = new Map(
    rows.map((row) => {
      const quoted = LEADING_FILE_NAME.exec(row.head)?.[1];
      const name = quoted ? (parseJson(quoted) as unknown) : null;
      return [Number(row.id), typeof name === "string" ? name : ""];
    }),
  );
  return summaries.map((summary) => (names.get(summary.id) ? { ...summary, fileName: names.get(summary.id) as string } : summary));
}

/** One of the shop's imports; null for another shop's job or a job that is not an import. */
export async function findCsvImport(shopId: string, id: number): Promise<ImportJobSummary | null> {
  const row = await db.job.findFirst({
    where: { id, shopId, kind: { in: ALL_IMPORT_KINDS } },
    select: SUMMARY_SELECT,
  });
  const summary = row ? toSummary(row) : null;
  if (!summary) return null;
  return (await withFileNames(shopId, await withResumes(shopId, [summary])))[0] ?? null;
}

/** A cancelled import no longer keeping its file says so, or names the import that resumed it. */
async function withResumes(shopId: string, summaries: ImportJobSummary[]): Promise<ImportJobSummary[]> {
  const gone = summaries.filter((summary) => summary.resume?.state === "unavailable").map((summary) => summary.id);
  if (gone.length === 0) return summaries;
  const next = await resumedAsOf(shopId, gone);
  return summaries.map((summary) => {
    const jobId = next.get(summary.id);
    return jobId === undefined ? summary : { ...summary, resume: { state: "resumed", jobId } };
  });
}

/** What a resumed import's input becomes once its file went to the job resuming it. */
const resumedInputSchema = z.object({ resumedAs: z.number().int() });

/**
 * The import that resumed this cancelled one, if any. Read only for a cancelled import whose file
 * is no longer kept, whose input is then one short line.
 */
export async function resumedAs(shopId: string, id: number): Promise<number | null> {
  return (await resumedAsOf(shopId, [id])).get(id) ?? null;
}

/** resumedAs for several cancelled imports (a page of the list), in one read. */
async function resumedAsOf(shopId: string, ids: readonly number[]): Promise<Map<number, number>> {
  const rows = await db.job.findMany({ where: { id: { in: [...ids] }, shopId, status: "cancelled", inputKeptUntil: null }, select: { id: true, input: true } });
  const next = new Map<number, number>();
  for (const row of rows) {
    const parsed = resumedInputSchema.safeParse(parseJson(row.input.length < 10_000 ? row.input : null));
    if (parsed.success) next.set(row.id, parsed.data.resumedAs);
  }
  return next;
}

export async function listCsvImports(shopId: string, limit = 20): Promise<ImportJobSummary[]> {
  const rows = await db.job.findMany({
    where: { shopId, kind: { in: ALL_IMPORT_KINDS } },
    orderBy: { id: "desc" },
    take: limit,
    select: SUMMARY_SELECT,
  });
  const summaries = rows.map((row) => toSummary(row)).filter((summary): summary is ImportJobSummary => summary !== null);
  return withFileNames(shopId, await withResumes(shopId, summaries));
}

/**
 * Asks the shop's import to stop (see the top of this file). "cancelled" when it had not started,
 * "cancelling" while it finishes its batch; null when there is no such import still running.
 */
export function cancelCsvImport(shopId: string, id: number): Promise<"cancelled" | "cancelling" | null> {
  return requestJobCancel(shopId, id, ALL_IMPORT_KINDS);
}

/** The status of a job an import started (its recommendations rebuild), shop-scoped. */
export async function findJobStatus(shopId: string, id: number): Promise<ImportJobSummary["status"] | null> {
  const row = await db.job.findFirst({
    where: { id, shopId },
    select: { status: true },
  });
  return row ? (row.status as ImportJobSummary["status"]) : null;
}

/**
 * An import the sweep ended cancelled (its process went while it was being cancelled) learns from
 * what it imported, as one its runner stopped does. Its run went without saying what its last
 * batch changed (written, its checkpoint not yet saved), so once it got past counting its rows it
 * rebuilds whatever its report says, as a resumed import does.
 */
export const importCancelledBySweep: CancelledBySweep = async ({ id, shopId }) => {
  const row = await db.job.findFirst({ where: { id, shopId, status: "cancelled" }, select: { checkpoint: true } });
  const saved = checkpointSchema.safeParse(parseJson(row?.checkpoint ?? null));
  if (!saved.success) return;
  const { report } = saved.data;
  await refreshPlannerStatistics();
  report.rebuildJobId = await requestFreshRebuild(shopId, "import");
  // The report the page shows, with the rebuild it started.
  await db.job.updateMany({ where: { id, shopId, status: "cancelled" }, data: { result: JSON.stringify(report) } });
};

export type ResumeResult = { readonly resumed: true; readonly jobId: number } | { readonly resumed: false; readonly reason: "not_cancelled" | "file_gone" };

class ResumedMeanwhile extends Error {}

/**
 * Resumes the shop's cancelled import: a new import job takes its file and its checkpoint (where
 * it stopped, its report so far) and carries on from there, so nothing imported is read again and
 * the new job's report and progress are the whole file's. The cancelled import keeps its report
 * and names the new one. Asked twice (a double tap), the second answer is the same new job.
 */
export async function resumeCsvImport(shopId: string, id: number, options: { start?: boolean } = {}): Promise<ResumeResult> {
  const row = await db.job.findFirst({
    where: { id, shopId, kind: { in: ALL_IMPORT_KINDS } },
    select: { kind: true, status: true, inputKeptUntil: true, checkpoint: true, progressDone: true, progressTotal: true },
  });
  if (!row || row.status !== "cancelled") return { resumed: false, reason: "not_cancelled" };
  const already = async (): Promise<ResumeResult> => {
    const next = await resumedAs(shopId, id);
    return next === null ? { resumed: false, reason: "file_gone" } : { resumed: true, jobId: next };
  };
  if (!row.inputKeptUntil) return already();
  if (row.inputKeptUntil <= new Date()) return { resumed: false, reason: "file_gone" };
  // The file itself: read once, to hand it on.
  const { input: storedInput } = await db.job.findFirstOrThrow({ where: { id, shopId }, select: { input: true } });
  const input = inputSchema.safeParse(parseJson(storedInput));
  if (!input.success) return { resumed: false, reason: "file_gone" };
  const saved = checkpointSchema.safeParse(parseJson(row.checkpoint));
  let nextId: number;
  try {
    nextId = await db.$transaction(async (tx) => {
      const next = await tx.job.create({
        data: {
          shopId,
          kind: row.kind,
          input: JSON.stringify(input.data),
          // Cancelled before its first checkpoint (while it waited or counted): it starts over, having written nothing.
          checkpoint: saved.success ? JSON.stringify({ ...saved.data, resumedFrom: id } satisfies Checkpoint) : null,
          progressDone: row.progressDone,
          progressTotal: row.progressTotal,
        },
        select: { id: true },
      });
      // The file moves: the cancelled import keeps only its name and where it went.
      const { count } = await tx.job.updateMany({
        where: { id, shopId, status: "cancelled", inputKeptUntil: row.inputKeptUntil },
        data: { input: JSON.stringify({ fileName: input.data.fileName, resumedAs: next.id }), inputKeptUntil: null },
      });
      if (count === 0) throw new ResumedMeanwhile();
      return next.id;
    });
  } catch (error) {
    // Another tap resumed it first, or the sweep let the file go: the new job is not created.
    if (error instanceof ResumedMeanwhile) return already();
    throw error;
  }
  if (options.start !== false) void startJob(nextId);
  return { resumed: true, jobId: nextId };
}
