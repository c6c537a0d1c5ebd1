import { pipeline, Readable } from "node:stream";
import { parse, type CastingContext, type Info, type Parser } from "csv-parse";
import { CsvLineTracker, csvSyntaxProblem } from "~/services/order-files/csv-syntax";
import { checkCsvHeader, type CsvFileKind } from "./csv-files";
import { CsvImportError } from "./import-errors";

/** CSV text, or a stream of chunks (a Node Readable is an AsyncIterable). */
export type CsvInput = string | AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>;

/** One data row. `row` numbers rows as a spreadsheet does: the header is row 1. */
export interface CsvRow {
  readonly row: number;
  /** The trimmed value of a column, "" when the cell is empty or the file has no such column. */
  get(column: string): string;
  has(column: string): boolean;
  /** Every cell as written, in the header's order: two rows copied from one compare equal. */
  readonly cells: readonly string[];
}

export type CsvRowResult =
  | { readonly ok: true; readonly value: CsvRow }
  | {
      readonly ok: false;
      readonly row: number;
      readonly reason: string;
      /** The row's cells as read, which do not line up with the header. */
      readonly cells: readonly string[];
    };

// Big uploads arrive as one string; feeding the parser a bounded slice at a time keeps its output
// buffer (and so memory) bounded by backpressure instead of holding every parsed row at once.
const CHUNK_CHARS = 64 * 1024;

function* sliceText(text: string): Generator<string> {
  for (let start = 0; start < text.length; start += CHUNK_CHARS) yield text.slice(start, start + CHUNK_CHARS);
}

/** `observe` sees each record as the parser reads it, before any later row can fail the parse. */
function parserFor(input: CsvInput, tracker: CsvLineTracker, observe?: (record: string[]) => void): Parser {
  const source = typeof input === "string" ? Readable.from(sliceText(input)) : Readable.from(input);
  const parser = parse({
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    // Each record comes with the parser's counts, from which its row number follows.
    info: true,
    // Records read but not yet taken are dropped when the parser fails; the tracker saw them all.
    on_record: observe
      ? (parsed: ParsedRecord, context: CastingContext) => {
          observe(parsed.record);
          return tracker.onRecord(parsed, context);
        }
      : tracker.onRecord,
  });
  pipeline(source, parser, () => {
    // Errors surface through the parser's async iterator, where the reader handles them.
  });
  return parser;
}

/** A record as the parser emits it with `info`. */
interface ParsedRecord {
  readonly record: string[];
  readonly info: Info;
}

function recordsOf(parser: Parser): AsyncIterable<ParsedRecord> {
  return parser as AsyncIterable<ParsedRecord>;
}

/**
 * The record's row as a spreadsheet numbers it. A blank line is skipped by the parser but is
 * still a row on screen, so it counts; a quoted cell holding line breaks stays on one row, so
 * file line numbers would overshoot.
 */
function spreadsheetRow(info: Info): number {
  return info.records + info.empty_lines;
}

function asImportError(error: unknown, tracker: CsvLineTracker): CsvImportError {
  if (error instanceof CsvImportError) return error;
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof CsvImportError) return cause;
  const syntax = csvSyntaxProblem(error, tracker);
  if (syntax) {
    // The rows the import report numbers are a spreadsheet's; a quoted line break makes the file's
    // lines run ahead of them, and then both are named. The failed record is the next row.
    const { records, empty_lines: emptyLines } = error as Partial<Info>;
    const row = typeof records === "number" && typeof emptyLines === "number" ? records + emptyLines + 1 : syntax.line;
    const where = row === syntax.line ? `Line ${syntax.line}` : `Line ${syntax.line} (row ${row} in a spreadsheet)`;
    return new CsvImportError("not_csv", `${where}: ${syntax.problem}`);
  }
  const lines = (error as { lines?: number }).lines;
  const where = typeof lines === "number" ? ` near line ${lines}` : "";
  return new CsvImportError("not_csv", `The file is not valid CSV${where}: ${(error as Error).message}`);
}

/**
 * The file's first row, trimmed; for checking an upload before it is queued. With `kind`, the row
 * is also checked as that kind's header (checkCsvHeader), and a wrong header is reported before a
 * broken later row: a file saved with semicolons has quoted cells that only look broken read with
 * commas, and "separated by semicolons" is what the merchant needs to hear.
 */
export async function readCsvHeader(input: CsvInput, kind?: CsvFileKind): Promise<string[]> {
  const tracker = new CsvLineTracker();
  // Noted as the parser reads it: the parser can fail on a later row before handing this one over.
  let header: string[] | undefined;
  try {
    // Not limited to the first line: blank lines above the header are skipped, as readCsvRows
    // skips them; the loop stops at the first record.
    for await (const { record } of recordsOf(parserFor(input, tracker, (record) => (header ??= record)))) {
      return kind ? checkCsvHeader(kind, record) : record.map((name) => name.trim());
    }
  } catch (error) {
    if (kind && header && !(error instanceof CsvImportError)) checkCsvHeader(kind, header);
    throw asImportError(error, tracker);
  }
  return kind ? checkCsvHeader(kind, []) : [];
}

/**
 * Streams a CSV file's data rows after checking its header for `kind`. A row whose number of
 * fields differs from the header's is reported, not guessed at: a stray comma shifts every
 * value after it.
 */
export async function* readCsvRows(input: CsvInput, kind: CsvFileKind): AsyncGenerator<CsvRowResult> {
  let columns: Map<string, number> | undefined;
  let width = 0;
  const tracker = new CsvLineTracker();
  try {
    for await (const { record, info } of recordsOf(parserFor(input, tracker))) {
      const row = spreadsheetRow(info);
      if (!columns) {
        const names = checkCsvHeader(kind, record);
        columns = new Map();
        names.forEach((name, index) => {
          const key = name.toLowerCase();
          if (!columns!.has(key)) columns!.set(key, index);
        });
        width = names.length;
        continue;
      }
      if (record.length !== width) {
        yield { ok: false, row, reason: `The row has ${record.length} fields but the header has ${width}.`, cells: record };
        continue;
      }
      const lookup = columns;
      yield {
        ok: true,
        value: {
          row,
          get: (column) => {
            const index = lookup.get(column.toLowerCase());
            return index === undefined ? "" : (record[index] ?? "").trim();
          },
          has: (column) => lookup.has(column.toLowerCase()),
          cells: record,
        },
      };
    }
  } catch (error) {
    throw asImportError(error, tracker);
  }
  if (!columns) checkCsvHeader(kind, []);
}

/**
 * Counts data rows (header excluded) and fails on malformed CSV before anything is written.
 * Pauses every few thousand rows so that counting a big file does not hold the event loop.
 */
export async function countCsvRows(input: CsvInput, kind: CsvFileKind): Promise<number> {
  let rows = 0;
  for await (const _ of readCsvRows(input, kind)) {
    rows += 1;
    if (rows % 5_000 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  return rows;
}
