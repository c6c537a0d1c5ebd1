import type { CsvFileKind } from "./csv-files";
import type { ImportReport } from "./import-report";

/** Words the import pages use, in one place so the list and the report page agree. */

export type ImportStatus = "queued" | "running" | "done" | "failed";

export const KIND_LABELS: Record<CsvFileKind, string> = { products: "Products", orders: "Orders" };

export const STATUS_LABELS: Record<ImportStatus, string> = {
  queued: "Waiting to start",
  running: "Importing",
  done: "Imported",
  failed: "Failed",
};

export function isActive(status: ImportStatus | null | undefined): boolean {
  return status === "queued" || status === "running";
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
