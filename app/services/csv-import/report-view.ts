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
 * What a finished import came to, beyond "Imported": the report page's banners and the list's
 * badge say it. A file can import nothing (every row skipped), or import orders whose line items
 * match no product, and neither is the same as a file Upshelf already had (a re-import): each is
 * said apart, with what to do. Read from the report's counts alone.
 */
export type ImportOutcome =
  /** A header row and nothing below it. */
  | "empty"
  /** No product or order imported: every row skipped. */
  | "nothing_imported"
  /** Orders imported, but none of their line items matched a product: nothing to learn from. */
  | "no_item_matched"
  /** Imported, but some rows skipped. */
  | "some_rows_skipped"
  /** Orders imported, some of their line items matching no product. */
  | "some_items_unmatched"
  /** Every product or order already stored as the file has it: nothing written. */
  | "already_had"
  | "imported";

export type OutcomeTone = "critical" | "warning" | "info" | "success";

export interface ReportNotice {
  readonly outcome: ImportOutcome;
  readonly tone: OutcomeTone;
  readonly title: string;
  readonly body: string;
}

const count = (value: number) => value.toLocaleString("en");
const plural = (value: number, one: string, many: string) => `${count(value)} ${value === 1 ? one : many}`;

/** Where the merchant gets the catalog in, so that an orders file's line items find their products. */
const GET_THE_CATALOG_IN =
  "Import your products export first, or sync your catalog (Shopify data › Sync now), then upload this orders file again: its orders are updated, not duplicated, and their line items matched to your products.";

/**
 * The notices a finished import's report page shows, the most pressing first (the list's badge
 * is the first one's). Empty for an import that simply imported what it held.
 */
export function reportNotices(report: ImportReport): ReportNotice[] {
  const { kind, rows, imported, skippedRows, items, matched } = report;
  const things = kind === "orders" ? "orders" : "products";
  if (rows === 0) {
    return [
      {
        outcome: "empty",
        tone: "warning",
        title: "The file has no rows",
        body: "It holds a header row and nothing below it. Export the file again from Shopify, with the products or orders in it.",
      },
    ];
  }
  if (imported === 0) {
    return [
      {
        outcome: "nothing_imported",
        tone: "critical",
        title: "No rows could be imported",
        body:
          skippedRows > 0
            ? `Fix the rows listed below and upload the file again. All ${plural(rows, "row", "rows")} of the file were skipped, so nothing was imported and the recommendations were left as they were.`
            : `None of the file's ${plural(rows, "row", "rows")} held ${kind === "orders" ? "an order" : "a product"} Upshelf could read, so nothing was imported. Check that it is Shopify's ${things} export and upload it again.`,
      },
    ];
  }
  const notices: ReportNotice[] = [];
  const unmatched = items - matched;
  if (kind === "orders" && items > 0 && matched === 0) {
    notices.push({
      outcome: "no_item_matched",
      tone: "warning",
      title: "No line item matched a product",
      body: `The ${plural(imported, "order is", "orders are")} saved, but none of their ${plural(items, "line item", "line items")} matched a product in your catalog (by SKU, then by name), so Upshelf learned nothing from them about which products sell together. ${GET_THE_CATALOG_IN}`,
    });
  }
  if (skippedRows > 0) {
    notices.push({
      outcome: "some_rows_skipped",
      tone: "warning",
      title: `${count(skippedRows)} of the file's ${plural(rows, "row was", "rows were")} skipped`,
      body: `The ${plural(imported, kind === "orders" ? "order" : "product", things)} in the other rows ${imported === 1 ? "was" : "were"} imported. Fix the rows listed below and upload the file again: what was imported stays as it is, not duplicated.`,
    });
  }
  if (kind === "orders" && matched > 0 && unmatched > 0) {
    notices.push({
      outcome: "some_items_unmatched",
      tone: "info",
      title: `${count(unmatched)} of the ${plural(items, "line item", "line items")} matched no product`,
      body: `Upshelf learns which products sell together from the ${count(matched)} that matched. Items of products you no longer sell match nothing, as expected. If the others are in your shop: ${GET_THE_CATALOG_IN.charAt(0).toLowerCase()}${GET_THE_CATALOG_IN.slice(1)}`,
    });
  }
  if (report.created + report.updated === 0) {
    notices.push({
      outcome: "already_had",
      tone: "info",
      title: "Nothing new to learn",
      body: `The ${plural(imported, kind === "orders" ? "order" : "product", things)} ${skippedRows > 0 ? "read from" : "in"} this file ${imported === 1 ? "was" : "were"} already in Upshelf exactly as ${imported === 1 ? "it is" : "they are"}, so nothing was written${report.rebuildJobId === null ? " and the recommendations were left as they were" : ""}.`,
    });
  }
  return notices;
}

/** The list's word for an import, and its tone: its status, or for a finished one what it came to. */
export interface ImportBadge {
  readonly label: string;
  readonly tone: "critical" | "warning" | "attention" | "info" | "success";
}

const OUTCOME_BADGES: Record<ImportOutcome, ImportBadge> = {
  empty: { label: "Nothing imported: no rows", tone: "warning" },
  nothing_imported: { label: "Nothing imported: all rows skipped", tone: "critical" },
  no_item_matched: { label: "Imported, no item matched a product", tone: "warning" },
  some_rows_skipped: { label: "Imported, some rows skipped", tone: "attention" },
  some_items_unmatched: { label: "Imported, some items unmatched", tone: "attention" },
  already_had: { label: "Already up to date", tone: "info" },
  imported: { label: STATUS_LABELS.done, tone: "success" },
};

/** What a finished import came to (the first of its notices), or "imported" when nothing is to be said. */
export function importOutcome(report: ImportReport): ImportOutcome {
  return reportNotices(report)[0]?.outcome ?? "imported";
}

export function outcomeBadge(outcome: ImportOutcome): ImportBadge {
  return OUTCOME_BADGES[outcome];
}

/**
 * Whether the page may say the recommendations were rebuilt "from what this import added": not
 * for orders none of whose line items matched a product, which taught the model nothing.
 */
export function importTaughtRecommendations(report: ImportReport | null): boolean {
  return !(report?.kind === "orders" && report.imported > 0 && report.items > 0 && report.matched === 0);
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
