import { z } from "zod";
import type { CsvFileKind } from "./csv-files";

/** Rows listed by number in a report; the rest are counted. Enough to see a pattern and fix it. */
export const SKIPPED_ROWS_LISTED = 200;

const skippedRowSchema = z.object({ row: z.number().int(), reason: z.string() });

export const importReportSchema = z.object({
  kind: z.enum(["products", "orders"]),
  fileName: z.string(),
  /** Data rows in the file (the header excluded). */
  rows: z.number().int(),
  /** Products (or orders) read from the file and handed to the catalog (or order history). */
  imported: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  /** Already stored exactly as in the file: nothing written. A re-import is all unchanged. */
  unchanged: z.number().int(),
  /**
   * Products: how many were already in the catalog (matched by handle) rather than new.
   * Orders: how many line items were linked to a catalog product (by SKU, then name).
   */
  matched: z.number().int(),
  /** Products: variants imported. Orders: line items imported. */
  items: z.number().int(),
  /** Rows not imported, all of them; `skipped` lists the first SKIPPED_ROWS_LISTED with the reason. */
  skippedRows: z.number().int(),
  skipped: z.array(skippedRowSchema),
  /**
   * Orders: how many are in a currency other than the shop's. They are stored, but the dashboard,
   * which adds up one currency, leaves them out; the report says so rather than let totals puzzle.
   */
  otherCurrency: z.number().int().default(0),
  /**
   * Products: rows for products synced from Shopify whose price, compare-at price, stock, status
   * or publication differ from Shopify's. Shopify's are kept (its sync and webhooks own them, and
   * an export may be older); the file only fills what Shopify left empty.
   */
  leftToShopify: z.number().int().default(0),
  /** The recommendations rebuild this import started; null when it changed nothing. */
  rebuildJobId: z.number().int().nullable(),
});

export type ImportReport = z.infer<typeof importReportSchema>;
export type SkippedRow = z.infer<typeof skippedRowSchema>;

export function emptyReport(kind: CsvFileKind, fileName: string, rows: number): ImportReport {
  return {
    kind,
    fileName,
    rows,
    imported: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    matched: 0,
    items: 0,
    skippedRows: 0,
    skipped: [],
    otherCurrency: 0,
    leftToShopify: 0,
    rebuildJobId: null,
  };
}

/**
 * Counts a skipped row and keeps it in the list if it is among the file's first SKIPPED_ROWS_LISTED
 * skipped rows: rows refused at write time (a product's variant Shopify lacks) are found after
 * later rows refused while parsing, and must not be dropped for them once the list is full.
 */
export function recordSkippedRow(report: ImportReport, skipped: SkippedRow): void {
  report.skippedRows += 1;
  if (report.skipped.length < SKIPPED_ROWS_LISTED) {
    report.skipped.push(skipped);
    return;
  }
  let latest = 0;
  report.skipped.forEach((listed, index) => {
    if (listed.row > (report.skipped[latest] as SkippedRow).row) latest = index;
  });
  if (skipped.row < (report.skipped[latest] as SkippedRow).row) report.skipped[latest] = skipped;
}

/** Parses a stored report; null for anything that is not one (a job of another kind, a failed job). */
export function readImportReport(value: unknown): ImportReport | null {
  const parsed = importReportSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
