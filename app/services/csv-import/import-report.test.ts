import { describe, expect, it } from "vitest";
import { emptyReport, recordSkippedRow, SKIPPED_ROWS_LISTED } from "./import-report";

describe("the import report's skipped rows", () => {
  it("lists the file's first skipped rows, however late a row is found, and counts them all", () => {
    const report = emptyReport("products", "catalog.csv", 1000);
    // Rows refused while parsing, in file order, until the list is full...
    for (let row = 100; row < 100 + SKIPPED_ROWS_LISTED + 50; row++) recordSkippedRow(report, { row, reason: `parse ${row}` });
    // ...then rows refused when written, earlier in the file.
    recordSkippedRow(report, { row: 7, reason: "write 7" });
    recordSkippedRow(report, { row: 9000, reason: "write 9000" });
    expect(report.skippedRows).toBe(SKIPPED_ROWS_LISTED + 52);
    expect(report.skipped).toHaveLength(SKIPPED_ROWS_LISTED);
    const rows = report.skipped.map((skipped) => skipped.row).sort((a, b) => a - b);
    expect(rows[0]).toBe(7);
    expect(rows.at(-1)).toBe(100 + SKIPPED_ROWS_LISTED - 2);
    expect(rows).not.toContain(9000);
  });
});
