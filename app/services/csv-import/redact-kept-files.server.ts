import { z } from "zod";
import { csvCustomerMatcher, type CsvCustomerMatcher, type RedactedCustomer } from "~/core/redacted-customer-in-csv";
import db from "~/db.server";
import { abandonedInput } from "~/services/jobs.server";
import { readCsvRows } from "./csv-rows";
import { IMPORT_JOB_KINDS } from "./import-jobs.server";

/**
 * customers/redact and the files cancelled imports keep for a resume (Job.inputKeptUntil, 7 days):
 * an orders export names buyers by email, phone and address. A kept file that names the customer
 * (redacted-customer-in-csv.ts says how) is let go at once, as the sweep lets it go when its time
 * passes: the job keeps its file's name, and its report page then says the file is no longer kept
 * and offers an upload. Only orders files are read: a products export names no buyer.
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

/**
 * Lets go of the shop's kept import files that name the customer; returns how many. Only this
 * shop's jobs are read. A file a resume took meanwhile is no longer kept here: the import that
 * carries it on holds it, as a running import does (decision 7's addendum says what that leaves).
 */
export async function letGoOfKeptFilesNaming(shopId: string, customer: RedactedCustomer): Promise<number> {
  const matcher = csvCustomerMatcher(customer);
  if (!matcher) return 0;
  // Ids first, the files one at a time: each can be 50 MB.
  const kept = await db.job.findMany({
    where: { shopId, kind: IMPORT_JOB_KINDS.orders, status: "cancelled", inputKeptUntil: { not: null } },
    orderBy: { id: "asc" },
    select: { id: true, inputKeptUntil: true },
  });
  let letGo = 0;
  for (const job of kept) {
    const row = await db.job.findFirst({ where: { id: job.id, shopId, inputKeptUntil: job.inputKeptUntil }, select: { input: true } });
    if (!row || !(await fileNamesCustomer(row.input, matcher))) continue;
    // Unless a resume took the file meanwhile (it clears inputKeptUntil as it moves it), as the sweep does.
    const { count } = await db.job.updateMany({
      where: { id: job.id, shopId, status: "cancelled", inputKeptUntil: job.inputKeptUntil },
      data: { input: abandonedInput(row.input), inputKeptUntil: null },
    });
    letGo += count;
  }
  return letGo;
}
