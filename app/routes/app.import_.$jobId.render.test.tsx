import { describe, expect, it } from "vitest";
import { renderAdminPage } from "../../tests/support/render-admin-page";
import { emptyReport, type ImportReport } from "~/services/csv-import/import-report";
import ImportReportPage, { type loader, type ResumeRefusal } from "./app.import_.$jobId";

type LoaderData = Awaited<ReturnType<typeof loader>>;

/** An import's report page as the merchant reads it (text only), rendered from loader data. */
async function renderText(data: LoaderData, answered?: ResumeRefusal): Promise<string> {
  // With an answer, the page as it stands after the merchant's tap (its action answered that).
  const page = await renderAdminPage({ path: "/app/import/:jobId", url: `http://localhost/app/import/${data.id}`, data, Component: ImportReportPage, answered });
  return page.text;
}

function ordersReport(overrides: Partial<ImportReport> = {}): ImportReport {
  return { ...emptyReport("orders", "orders_export.csv", 5000), ...overrides };
}

function page(overrides: Partial<LoaderData>): LoaderData {
  return {
    id: 7,
    kind: "orders",
    fileName: "orders_export.csv",
    status: "done",
    progressDone: 5000,
    progressTotal: 5000,
    report: ordersReport(),
    error: null,
    createdAt: "2026-12-07T10:00:00.000Z",
    timeZone: "UTC",
    rebuildStatus: null,
    resume: null,
    resumedFrom: null,
    ...overrides,
  };
}

describe("an import's report page", () => {
  it("offers to cancel a running import, and says what cancelling does while it stops", async () => {
    const running = await renderText(page({ status: "running", progressDone: 1200, report: ordersReport({ imported: 600, created: 600 }) }));
    expect(running).toContain("Importing");
    expect(running).toContain("1,200 of 5,000 rows read (24%).");
    expect(running).toContain("Cancel import");

    const cancelling = await renderText(page({ status: "cancelling", progressDone: 1200, report: ordersReport({ imported: 600, created: 600 }) }));
    expect(cancelling).toContain("Cancelling");
    expect(cancelling).toContain("The import stops once the batch it is writing is saved; everything imported until then is kept.");
    expect(cancelling).not.toContain("Cancel import");
  });

  it("says how far a cancelled import got, that what it imported is kept, and how to import the rest", async () => {
    const text = await renderText(page({ status: "cancelled", progressDone: 1200, report: ordersReport({ imported: 600, created: 600, items: 1200, matched: 1200 }), rebuildStatus: "done" }));
    expect(text).toContain("The import was cancelled");
    expect(text).toContain("Cancelled after 1,200 of 5,000 rows.");
    expect(text).toContain("The 600 orders imported before it stopped are kept, each whole.");
    expect(text).toContain("To import the rest, upload the same file again: what was already imported comes back unchanged, not twice.");
    expect(text).toContain("Recommendations rebuilt");
    expect(text).toContain("Until it was cancelled");
    expect(text).not.toContain("Cancel import");

    // None of its line items matched a product: it says so, not that the recommendations learned from it.
    const unmatched = await renderText(page({ status: "cancelled", progressDone: 1200, report: ordersReport({ imported: 600, created: 600, items: 1200 }), rebuildStatus: "done" }));
    expect(unmatched).toContain("The import was cancelled");
    expect(unmatched).toContain("No line item matched a product");
    expect(unmatched).not.toContain("Recommendations rebuilt");
    expect(unmatched).not.toContain("Nothing new to learn");

    const beforeStarting = await renderText(page({ status: "cancelled", progressDone: 0, progressTotal: null, report: null }));
    expect(beforeStarting).toContain("Cancelled before it started: nothing was imported.");
    expect(beforeStarting).not.toContain("Nothing new to learn");
  });

  it("GIVEN a cancelled import whose file is kept THEN offers to resume it in one tap, saying until when; once resumed, leads to the import that carries on; without the file, to an upload", async () => {
    const cancelled = { status: "cancelled", progressDone: 1200, report: ordersReport({ imported: 600, created: 600 }) } as const;
    const kept = await renderText(page({ ...cancelled, resume: { state: "available", until: "2026-12-14T10:00:00.000Z" }, timeZone: "Europe/Paris" }));
    expect(kept).toContain("Cancelled after 1,200 of 5,000 rows.");
    expect(kept).toContain(
      "Upshelf keeps the file until 14 Dec 2026, 11:00 so you can resume: the import carries on from where it stopped, and what it already imported is not read again.",
    );
    expect(kept).toContain("Resume import");
    expect(kept).not.toContain("upload the same file again");

    // Refused (another tab resumed it meanwhile, say): the reason is said beside the button.
    const refusal = "Only a cancelled import can be resumed, and this one is not.";
    expect(kept).not.toContain(refusal);
    expect(await renderText(page({ ...cancelled, resume: { state: "available", until: "2026-12-14T10:00:00.000Z" } }), { ok: false, message: refusal })).toContain(refusal);

    const resumed = await renderText(page({ ...cancelled, resume: { state: "resumed", jobId: 8 } }));
    expect(resumed).toContain("This import was resumed: the rest of the file is imported by the import that carries it on.");
    expect(resumed).toContain("View the resumed import");
    expect(resumed).not.toContain("Resume import");

    const gone = await renderText(page({ ...cancelled, resume: { state: "unavailable" } }));
    expect(gone).toContain("The file is no longer kept, so this import cannot be resumed. To import the rest, upload the same file again");
    expect(gone).toContain("Upload the file again");
    expect(gone).not.toContain("Resume import");

    // The import that carries on says so, and its figures are the whole file's.
    const next = await renderText(page({ id: 8, status: "running", progressDone: 2400, resumedFrom: 7, report: ordersReport({ imported: 1200, created: 1200 }) }));
    expect(next).toContain("This import resumes a cancelled one from where it stopped, with the same file: its progress and figures are the whole file's.");
    expect(next).toContain("2,400 of 5,000 rows read (48%).");
  });

  it("GIVEN more skipped rows than are listed THEN says above the list which ones it shows, how many there are, and how to see the rest", async () => {
    const skipped = Array.from({ length: 200 }, (_, index) => ({ row: index + 2, reason: `Order #${index + 1}: Lineitem price "abc" is not an amount.` }));
    const text = await renderText(page({ report: ordersReport({ imported: 3000, skippedRows: 5432, skipped }) }));
    expect(text).toContain(
      "These are the first 200 of the 5,432 skipped rows; Upshelf keeps the reasons for the first 200 only. To see the next ones, fix or remove these rows in the file and import it again: the new report lists the skipped rows that remain.",
    );
    expect(text).toContain("5,232 more skipped rows are not listed (see above for how to see them).");

    // All of them listed: nothing more to say.
    const few = await renderText(page({ report: ordersReport({ imported: 3000, skippedRows: 2, skipped: skipped.slice(0, 2) }) }));
    expect(few).toContain("Skipped rows");
    expect(few).not.toContain("These are the first");
    expect(few).not.toContain("not listed");
  });

  it("GIVEN a file whose every row was skipped THEN says nothing could be imported and what to do, not that it held nothing new", async () => {
    const skipped = [
      { row: 2, reason: 'Vase A: Variant Price "£3.50" is not an amount.' },
      { row: 3, reason: "Vase B: Variant Price -2 is below zero." },
    ];
    const text = await renderText(page({ kind: "products", fileName: "products.csv", report: { ...emptyReport("products", "products.csv", 2), skippedRows: 2, skipped } }));
    expect(text).toContain("No rows could be imported");
    expect(text).toContain("Uploaded 7 Dec 2026, 10:00 · Nothing imported: all rows skipped");
    expect(text).toContain("Fix the rows listed below and upload the file again. All 2 rows of the file were skipped, so nothing was imported");
    expect(text).toContain("Vase B: Variant Price -2 is below zero.");
    expect(text).not.toContain("Nothing new to learn");
    expect(text).not.toContain("held nothing");
  });

  it("GIVEN orders none of whose line items matched a product THEN says so and what to do, and not that the recommendations learned from them", async () => {
    const report = ordersReport({ rows: 40, imported: 19, created: 19, items: 40, matched: 0, rebuildJobId: 12 });
    const text = await renderText(page({ report, rebuildStatus: "done" }));
    expect(text).toContain("No line item matched a product");
    expect(text).toContain(
      "The 19 orders are saved, but none of their 40 line items matched a product in your catalog (by SKU, then by name), so Upshelf learned nothing from them about which products sell together. Import your products export first, or sync your catalog (Shopify data › Sync now), then upload this orders file again",
    );
    expect(text).not.toContain("Recommendations rebuilt");
    expect(text).not.toContain("recommend from what this import added");
    // While the rebuild every import starts runs, the page says why it keeps refreshing, not that it learns from these orders.
    const rebuilding = await renderText(page({ report, rebuildStatus: "running" }));
    expect(rebuilding).toContain("Rebuilding recommendations");
    expect(rebuilding).toContain("with none of these orders' line items matched to a product, they will not change from them.");
    expect(rebuilding).not.toContain("Upshelf is learning from this import");

    // Some matched: the recommendations did learn from those, and the rest are counted.
    const some = await renderText(page({ report: { ...report, matched: 28 }, rebuildStatus: "done" }));
    expect(some).toContain("12 of the 40 line items matched no product");
    expect(some).toContain("Upshelf learns which products sell together from the 28 that matched.");
    expect(some).toContain("Recommendations rebuilt");
    expect(some).not.toContain("No line item matched a product");
  });

  it("GIVEN a file Upshelf already had THEN says nothing new was in it; a file with no rows says that instead", async () => {
    const again = await renderText(page({ report: ordersReport({ rows: 40, imported: 19, unchanged: 19, items: 40, matched: 40 }) }));
    expect(again).toContain("Nothing new to learn");
    expect(again).toContain("The 19 orders in this file were already in Upshelf exactly as they are, so nothing was written and the recommendations were left as they were.");
    expect(again).not.toContain("No rows could be imported");
    expect(again).not.toContain("matched no product");

    const empty = await renderText(page({ report: ordersReport({ rows: 0 }) }));
    expect(empty).toContain("The file has no rows");
    expect(empty).not.toContain("Nothing new to learn");
  });
});
