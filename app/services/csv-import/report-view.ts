import type { CsvFileKind } from "./csv-files";
import type { ImportReport } from "./import-report";

/** Words the import pages use, in one place so the list and the report page agree. */

/** A job's status (jobs.server.ts's JobStatus), as the import pages name it. */
export type ImportStatus = "queued" | "running" | "cancelling" | "done" | "failed" | "cancelled";

export const KIND_LABELS: Record<CsvFileKind, string> = { products: "Products", orders: "Orders" };

export const STATUS_LABELS: Record<ImportStatus, string> = {
  queued: "Waiting to start",
  running: "Importing",
  cancelling: "Cancelling",
  done: "Imported",
  failed: "Failed",
  cancelled: "Cancelled",
};

/** What became of a cancelled import's file (import-jobs.server.ts's ImportResumeState, without its details). */
export type ResumeState = "available" | "resumed" | "unavailable";

/**
 * The list's status for an import: a cancelled one also says whether it can still be resumed or
 * was (the report page says until when, or leads to the import that carries it on).
 */
const CANCELLED_LABELS: Record<ResumeState, string> = {
  available: "Cancelled, can be resumed",
  resumed: "Cancelled, then resumed",
  unavailable: STATUS_LABELS.cancelled,
};

export function importStatusLabel(status: ImportStatus, resume: ResumeState | null | undefined): string {
  return status === "cancelled" && resume ? CANCELLED_LABELS[resume] : STATUS_LABELS[status];
}

/** The list's link from a resumed import to the one that carries it on. */
export const RESUMED_BY_LINK_LABEL = "See the import that carries it on";

/** Still to end: the pages keep watching it. An import being cancelled still writes its last batch. */
export function isActive(status: ImportStatus | null | undefined): boolean {
  return status === "queued" || status === "running" || status === "cancelling";
}

/**
 * How far a cancelled import got, from its last checkpoint: rows read and handled (imported or
 * skipped) out of the file's rows, as in "Cancelled after 1,200 of 5,000 rows."
 */
export function cancelledSummary(rowsDone: number, totalRows: number | null): string {
  if (totalRows === null) return "Cancelled before it started: nothing was imported.";
  const total = totalRows.toLocaleString("en");
  if (rowsDone === 0) return `Cancelled before any of its ${total} rows were imported.`;
  return `Cancelled after ${rowsDone.toLocaleString("en")} of ${total} rows.`;
}

/** 0 to 100, for the progress bar; 0 until the rows are counted. */
export function progressPercent(done: number, total: number | null): number {
  if (!total || total <= 0) return 0;
  return Math.min(100, Math.round((done / total) * 100));
}

export interface ReportFigure {
  readonly id: string;
  readonly label: string;
  readonly value: number;
}

/** The report's figures as the merchant reads them, for the kind of file imported. */
export function reportFigures(report: ImportReport): ReportFigure[] {
  const { kind } = report;
  const figures: ReportFigure[] = [{ id: "rows", label: "Rows read", value: report.rows }];
  if (kind === "products") {
    figures.push(
      { id: "imported", label: "Products imported", value: report.imported },
      { id: "created", label: "New products", value: report.created },
      { id: "updated", label: "Products updated", value: report.updated },
      { id: "unchanged", label: "Products unchanged", value: report.unchanged },
      { id: "matched", label: "Matched to your catalog by handle", value: report.matched },
      { id: "items", label: "Variants", value: report.items },
    );
    if (report.leftToShopify > 0) {
      figures.push({
        id: "leftToShopify",
        label: "Rows whose title, price, stock, status or publication differ from Shopify's (Shopify's kept: change them in Shopify)",
        value: report.leftToShopify,
      });
    }
  } else {
    figures.push(
      { id: "imported", label: "Orders imported", value: report.imported },
      { id: "created", label: "New orders", value: report.created },
      { id: "updated", label: "Orders updated", value: report.updated },
      { id: "unchanged", label: "Orders unchanged", value: report.unchanged },
      { id: "items", label: "Line items", value: report.items },
      { id: "matched", label: "Line items matched to a product", value: report.matched },
      { id: "unmatched", label: "Line items matching no product", value: report.items - report.matched },
    );
    if (report.otherCurrency > 0) {
      figures.push({ id: "otherCurrency", label: "Orders in another currency than the shop's (left out of the dashboard)", value: report.otherCurrency });
    }
  }
  figures.push({ id: "skipped", label: "Rows skipped", value: report.skippedRows });
  return figures;
}

/**
 * Said above a skipped-rows list that stops short of the total: which rows it shows, and how to see
 * the rest. Only the first rows' reasons are kept (SKIPPED_ROWS_LISTED: the report is saved with
 * every batch and read by every poll of the page), and the uploaded file is not kept, so the rest
 * come from importing the file again once these rows are fixed or removed. Null when all are listed.
 */
export function skippedRowsNote(listed: number, total: number): string | null {
  if (total <= listed) return null;
  return (
    `These are the first ${listed.toLocaleString("en")} of the ${total.toLocaleString("en")} skipped rows; Upshelf keeps the reasons for the first ${listed.toLocaleString("en")} only. ` +
    "To see the next ones, fix or remove these rows in the file and import it again: the new report lists the skipped rows that remain."
  );
}
