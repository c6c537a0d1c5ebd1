import { Readable } from "node:stream";
import { parse, type Parser } from "csv-parse";
import { CsvLineTracker, csvSyntaxProblem } from "./csv-syntax";
import { OrderFileError, type OrderFileInput } from "./order-file-types";

export type CsvRecord = Record<string, string | undefined>;

export interface CsvRow {
  readonly record: CsvRecord;
  /**
   * 1-based line of the file the record ends on (the header is line 1), so an error can send the
   * user to it. Blank lines count; a record with a quoted line break is named by its last line.
   */
  readonly line: number;
}

/**
 * Streams an RFC 4180 CSV file as header-keyed records, so a large export never has to be
 * held as rows in memory twice. Header names are trimmed; a UTF-8 BOM is ignored.
 */
export async function* readCsvRecords(input: OrderFileInput, requiredColumns: readonly string[]): AsyncGenerator<CsvRow> {
  const source = typeof input === "string" ? Readable.from([input]) : Readable.from(input);
  const tracker = new CsvLineTracker();
  const parser: Parser = source.pipe(
    parse({
      bom: true,
      columns: (header: string[]) => {
        // The header is no record to on_record: note where it ends here.
        tracker.recordRead(parser.info);
        const names = header.map((name) => name.trim());
        const missing = requiredColumns.filter((column) => !names.includes(column));
        if (missing.length > 0) {
          throw new OrderFileError(
            "missing_column",
            `The file has no ${missing.map((name) => `"${name}"`).join(", ")} column; found ${names.join(", ")}.`
          );
        }
        return names;
      },
      info: true,
      skip_empty_lines: true,
      // Records read but not yet taken are dropped when the parser fails; the tracker saw them all.
      on_record: tracker.onRecord,
    })
  );
  // pipe() does not forward a read failure (a directory, a disk error): without this the source
  // emits an unhandled 'error' that kills the process, and the parser waits forever.
  let readError: Error | undefined;
  source.once("error", (error) => {
    readError = error;
    parser.destroy(error);
  });
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: CsvRecord; info: { lines: number } }>) {
      yield { record, line: info.lines };
    }
  } catch (error) {
    throw asOrderFileError(error, readError, tracker);
  } finally {
    // A caller that stops early (a bad value) must not leave the file open.
    source.destroy();
  }
}

function asOrderFileError(error: unknown, readError: Error | undefined, tracker: CsvLineTracker): OrderFileError {
  if (error instanceof OrderFileError) return error;
  if (readError !== undefined) {
    return new OrderFileError("unreadable", `The file could not be read to the end: ${readError.message}`, { cause: readError });
  }
  // csv-parse reports header problems as its own error wrapping ours; unwrap so callers see the code.
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof OrderFileError) return cause;
  const syntax = csvSyntaxProblem(error, tracker);
  if (syntax) return new OrderFileError("bad_value", `Line ${syntax.line}: ${syntax.problem}`, { cause: error });
  return new OrderFileError("bad_value", `The file is not valid CSV: ${(error as Error).message}`, { cause: error });
}

/** Trimmed field value, or undefined when empty. */
export function field(record: CsvRecord, column: string): string | undefined {
  const value = record[column]?.trim();
  return value ? value : undefined;
}

/** A value the user must fix, located the way an editor or spreadsheet finds it. */
export function badCell(line: number, column: string, problem: string): OrderFileError {
  return new OrderFileError("bad_value", `Line ${line}, column "${column}": ${problem}`);
}
