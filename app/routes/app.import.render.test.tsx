import { describe, expect, it } from "vitest";
import { renderAdminPage } from "../../tests/support/render-admin-page";
import ImportPage, { type loader } from "./app.import";

type LoaderData = Awaited<ReturnType<typeof loader>>;
type ListedImport = LoaderData["imports"][number];

/** The import page as the merchant reads it, rendered from loader data: its text, and its links. */
async function render(data: LoaderData): Promise<{ text: string; html: string }> {
  return renderAdminPage({ path: "/app/import", url: "http://localhost/app/import", data, Component: ImportPage });
}

function listed(overrides: Partial<ListedImport>): ListedImport {
  return {
    id: 7,
    kind: "orders",
    fileName: "orders_export.csv",
    status: "done",
    progress: 100,
    rows: 5000,
    imported: 2500,
    skippedRows: 0,
    outcome: "imported",
    createdAt: "2026-12-07T10:00:00.000Z",
    resume: null,
    resumedBy: null,
    ...overrides,
  };
}

/** The text of the row listing this import (from its link to the next row). */
function rowText(text: string, fileName: string, from = 0): string {
  const start = text.indexOf(fileName, from);
  return start < 0 ? "" : text.slice(start, start + 160);
}

describe("the import page's list of recent imports", () => {
  it("GIVEN a cancelled import that was resumed THEN says so and links to the import that carries it on, above it", async () => {
    const { text, html } = await render({
      currency: "EUR",
      timeZone: "UTC",
      imports: [
        listed({ id: 8, status: "running", progress: 48, rows: null, imported: null, skippedRows: null, createdAt: "2026-12-07T11:00:00.000Z" }),
        listed({ id: 7, status: "cancelled", rows: 5000, imported: 600, resume: "resumed", resumedBy: 8 }),
      ],
    });
    const row = rowText(text, "orders_export.csv", text.indexOf("orders_export.csv") + 1);
    expect(row).toContain("Cancelled, then resumed");
    expect(row).toContain("See the import that carries it on");
    expect(html).toMatch(/<a [^>]*href="\/app\/import\/8"[^>]*id="import-7-resumed-by"|<a [^>]*id="import-7-resumed-by"[^>]*href="\/app\/import\/8"/);
  });

  it("GIVEN a cancelled import whose file is kept THEN says it can be resumed; one whose file is gone, just cancelled", async () => {
    const { text, html } = await render({
      currency: "EUR",
      timeZone: "UTC",
      imports: [
        listed({ id: 9, fileName: "kept.csv", status: "cancelled", resume: "available" }),
        listed({ id: 7, fileName: "gone.csv", status: "cancelled", resume: "unavailable" }),
        listed({ id: 6, fileName: "done.csv", status: "done" }),
      ],
    });
    expect(rowText(text, "kept.csv")).toContain("Cancelled, can be resumed");
    const gone = rowText(text, "gone.csv");
    expect(gone).toContain("Cancelled");
    expect(gone).not.toContain("resumed");
    expect(rowText(text, "done.csv")).toContain("Imported");
    expect(text).not.toContain("See the import that carries it on");
    expect(html).not.toContain("resumed-by");
  });

  it("GIVEN finished imports THEN each badge says what it came to: nothing imported, no item matched, already up to date, or imported", async () => {
    const { text } = await render({
      currency: "GBP",
      timeZone: "UTC",
      imports: [
        listed({ id: 12, fileName: "skipped.csv", kind: "products", rows: 2, imported: 0, skippedRows: 2, outcome: "nothing_imported" }),
        listed({ id: 11, fileName: "unmatched.csv", rows: 40, imported: 19, outcome: "no_item_matched" }),
        listed({ id: 10, fileName: "again.csv", rows: 40, imported: 19, outcome: "already_had" }),
        listed({ id: 9, fileName: "partly.csv", rows: 40, imported: 18, skippedRows: 2, outcome: "some_rows_skipped" }),
        listed({ id: 8, fileName: "fine.csv", outcome: "imported" }),
      ],
    });
    /** A row's text, up to the next row's file. */
    const row = (fileName: string, next: string) => text.slice(text.indexOf(fileName), text.indexOf(next));
    // Each badge is read with its tone (Polaris says it to screen readers): a file that imported
    // nothing is critical and one whose items matched no product a warning, not the green of a success.
    expect(row("skipped.csv", "unmatched.csv")).toContain("Critical Nothing imported: all rows skipped");
    expect(row("unmatched.csv", "again.csv")).toContain("Warning Imported, no item matched a product");
    expect(row("again.csv", "partly.csv")).toContain("Info Already up to date");
    expect(row("partly.csv", "fine.csv")).toContain("Attention Imported, some rows skipped");
    expect(rowText(text, "fine.csv")).toContain("Success Imported");
  });
});
