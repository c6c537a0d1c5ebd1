import { z } from "zod";
import { csvCustomerMatcher, type CsvCustomerMatcher, type RedactedCustomer } from "~/core/redacted-customer-in-csv";
import db from "~/db.server";
import { abandonedInput, ACTIVE_JOB_STATUSES } from "~/services/jobs.server";
import { readCsvRows } from "./csv-rows";
import { IMPORT_JOB_KINDS, resumedAs } from "./import-jobs.server";
import { isActive, type ImportStatus } from "./report-view";

/**
 * customers/redact and the files cancelled imports keep for a resume (Job.inputKeptUntil, 7 days):
 * an orders export names buyers by email, phone and address. A kept file that names the customer
 * (redacted-customer-in-csv.ts says how) is let go at once, as the sweep lets it go when its time
 * passes: the job keeps its file's name, and its report page then says the file is no longer kept
 * and offers an upload. The file of an import still to end is read too: cancelled after the
 * redact, it would otherwise be kept for a week. Only orders files are read: a products export
 * names no buyer.
 */

/** A kept import's input: the file's text (import-jobs.server.ts's input). */
const keptInputSchema = z.object({ text: z.string() });

/** Rows between pauses, so that reading a big file does not hold the event loop (as countCsvRows). */
const ROWS_PER_YIELD = 5_000;

/**
 * Whether the file names the customer. A file that cannot be read to its end (malformed CSV after
 * the header, or an input that is not a file) cannot be shown not to, so it counts as naming them.
 */
async function fileNamesCustomer(input: string, matcher: CsvCustomerMatcher): Promise<boolean> {
  let text: string;
  try {
    const parsed = keptInputSchema.safeParse(JSON.parse(input));
    if (!parsed.success) return true;
    text = parsed.data.text;
  } catch {
    return true;
  }
  try {
    let rows = 0;
    for await (const result of readCsvRows(text, "orders")) {
      if (result.ok ? matcher.row(result.value.get) : matcher.cells(result.cells)) return true;
      rows += 1;
      if (rows % ROWS_PER_YIELD === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    return false;
  } catch {
    return true;
  }
}

/** What customers/redact did with the shop's import files that name the customer. */
export interface ImportFilesRedacted {
  /** Files kept for a resume, let go at once. */
  readonly letGo: number;
  /** Imports still to end (queued, running, being cancelled) whose file is not to be kept if they are cancelled. */
  readonly marked: number;
}

/**
 * Sees that the shop's import files naming the customer are not kept: a file kept for a resume is
 * let go; an import still to end is marked (Job.inputRedacted), so that cancelled it lets its file
 * go rather than keep it (jobs.server.ts's writeCancelledKeepingInput), and done or failed it
 * forgets it as always. Only this shop's jobs are read.
 */
export async function redactImportFiles(shopId: string, customer: RedactedCustomer): Promise<ImportFilesRedacted> {
  const matcher = csvCustomerMatcher(customer);
  if (!matcher) return { letGo: 0, marked: 0 };
  // Ids first, the files one at a time: each can be 50 MB.
  const holding = await db.job.findMany({
    where: {
      shopId,
      kind: IMPORT_JOB_KINDS.orders,
      OR: [{ status: "cancelled", inputKeptUntil: { not: null } }, { status: { in: [...ACTIVE_JOB_STATUSES] }, inputRedacted: false }],
    },
    orderBy: { id: "asc" },
    select: { id: true },
  });
  let letGo = 0;
  let marked = 0;
  for (const { id } of holding) {
    const row = await db.job.findFirst({ where: { id, shopId }, select: { input: true } });
    if (!row || !(await fileNamesCustomer(row.input, matcher))) continue;
    const done = await notKept(shopId, id, abandonedInput(row.input));
    if (done === "let_go") letGo += 1;
    if (done === "marked") marked += 1;
  }
  return { letGo, marked };
}

/**
 * The file of import `id` names the customer: let it go if kept, or mark its import if still to
 * end. Each write holds only for the status read (the import may be cancelled, claimed or resumed
 * meanwhile), so on a change it reads again; a file a resume took has moved to the import carrying
 * it on, which is followed. Null when the file is no longer held (the import ended and forgot it).
 */
async function notKept(shopId: string, id: number, withoutFile: string): Promise<"let_go" | "marked" | null> {
  let jobId = id;
  for (let pass = 0; pass < 10; pass++) {
    const job = await db.job.findFirst({ where: { id: jobId, shopId }, select: { status: true, inputKeptUntil: true } });
    if (!job) return null;
    if (job.status === "cancelled" && job.inputKeptUntil) {
      // As the sweep lets a file go when its time passes: the job keeps its file's name.
      const { count } = await db.job.updateMany({
        where: { id: jobId, shopId, status: "cancelled", inputKeptUntil: job.inputKeptUntil },
        data: { input: withoutFile, inputKeptUntil: null },
      });
      if (count > 0) return "let_go";
    } else if (isActive(job.status as ImportStatus)) {
      const { count } = await db.job.updateMany({ where: { id: jobId, shopId, status: job.status }, data: { inputRedacted: true } });
      if (count > 0) return "marked";
    } else {
      const next = job.status === "cancelled" ? await resumedAs(shopId, jobId) : null;
      if (next === null) return null;
      jobId = next;
    }
  }
  throw new Error(`Import ${id} kept changing status while customers/redact looked at its file; the redact is retried.`);
}
