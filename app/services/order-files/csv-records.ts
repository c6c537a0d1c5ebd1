import { Readable } from "node:stream";
import { parse } from "csv-parse";
import { OrderFileError, type OrderFileInput } from "./order-file-types";

export type CsvRecord = Record<string, string | undefined>;

/**
 * Streams an RFC 4180 CSV file as header-keyed records, so a large export never has to be
 * held as rows in memory twice. Header names are trimmed; a UTF-8 BOM is ignored.
 */
export async function* readCsvRecords(input: OrderFileInput, requiredColumns: readonly string[]): AsyncGenerator<CsvRecord> {
  const source = typeof input === "string" ? Readable.from([input]) : Readable.from(input);
  const parser = source.pipe(
    parse({
      bom: true,
      columns: (header: string[]) => {
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
      skip_empty_lines: true,
    })
  );
  // csv-parse reports header problems as its own error wrapping ours; unwrap so callers see the code.
  try {
    for await (const record of parser as AsyncIterable<CsvRecord>) yield record;
  } catch (error) {
    if (error instanceof OrderFileError) throw error;
    const cause = (error as { cause?: unknown }).cause;
    if (cause instanceof OrderFileError) throw cause;
    throw new OrderFileError("bad_value", `The file is not valid CSV: ${(error as Error).message}`);
  }
}

/** Trimmed field value, or undefined when empty. */
export function field(record: CsvRecord, column: string): string | undefined {
  const value = record[column]?.trim();
  return value ? value : undefined;
}
