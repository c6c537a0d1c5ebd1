/**
 * The import pages' loaders and action, called with real Requests authenticated as Shopify's
 * embedded admin does (a session token per shop), so shop scoping goes through the real auth.
 */
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import db from "~/db.server";
import { startCsvImport } from "~/services/csv-import/import-jobs.server";
import { MAX_UPLOAD_REQUEST_BYTES } from "~/services/csv-import/upload.server";
import { waitForJob } from "~/services/jobs.server";
import { createTestShop } from "../../tests/factories/shop";
import { adminRequest, useShopifyAdminMode } from "../../tests/support/admin-session";
import { responseOf } from "../../tests/support/app-proxy";
import * as importPage from "./app.import";
import * as importJobPage from "./app.import_.$jobId";
import { ORDERS_EXPORT, PRODUCTS_EXPORT } from "../../tests/fixtures/csv/paths";

useShopifyAdminMode();


const args = (request: Request, params: Record<string, string> = {}) => ({ request, params, context: {} });

function uploadForm(kind: string | null, file: File | null): FormData {
  const form = new FormData();
  if (kind !== null) form.append("kind", kind);
  if (file) form.append("file", file);
  return form;
}

async function csvFile(path: string, name: string): Promise<File> {
  return new File([await readFile(path)], name, { type: "text/csv" });
}

async function upload(shopId: string, body: BodyInit, headers: HeadersInit = {}): Promise<Response> {
  const request = await adminRequest(shopId, "/app/import", { method: "POST", body, headers, duplex: "half" } as RequestInit);
  return responseOf(async () => (await importPage.action(args(request))) as Response);
}

async function importJobs(shopId: string) {
  return db.job.count({ where: { shopId, kind: { in: ["import_products_csv", "import_orders_csv"] } } });
}

describe("the import page", () => {
  it("queues an uploaded products CSV and sends the merchant to its report", async () => {
    const shop = await createTestShop();
    const response = await upload(shop.id, uploadForm("products", await csvFile(PRODUCTS_EXPORT, "products_export.csv")));
    expect(response.status).toBe(302);
    const location = response.headers.get("Location") ?? "";
    const jobId = Number(/^\/app\/import\/(\d+)$/.exec(location)?.[1]);
    expect(jobId).toBeGreaterThan(0);
    const job = await waitForJob(shop.id, jobId);
    expect(job.status).toBe("done");

    const report = await importJobPage.loader(args(await adminRequest(shop.id, location), { jobId: String(jobId) }));
    expect(report).toMatchObject({ id: jobId, kind: "products", fileName: "products_export.csv", status: "done" });
    expect(report.report).toMatchObject({ rows: 17, imported: 3, created: 3, skippedRows: 0 });
    if (report.report?.rebuildJobId) await waitForJob(shop.id, report.report.rebuildJobId);

    const list = await importPage.loader(args(await adminRequest(shop.id, "/app/import")));
    expect(list.imports).toEqual([
      expect.objectContaining({ id: jobId, kind: "products", fileName: "products_export.csv", status: "done", rows: 17, imported: 3, outcome: "imported" }),
    ]);
  });

  it("GIVEN an uploaded file whose every row is skipped THEN lists it as nothing imported, not as imported", async () => {
    const shop = await createTestShop({ currency: "GBP" });
    const file = new File(["Handle,Title,Variant Price\nvase-a,Vase A,£3.50\nvase-b,Vase B,-2\n"], "vases.csv", { type: "text/csv" });
    const response = await upload(shop.id, uploadForm("products", file));
    const jobId = Number(/^\/app\/import\/(\d+)$/.exec(response.headers.get("Location") ?? "")?.[1]);
    expect((await waitForJob(shop.id, jobId)).status).toBe("done");

    const list = await importPage.loader(args(await adminRequest(shop.id, "/app/import")));
    expect(list.imports).toEqual([expect.objectContaining({ id: jobId, status: "done", rows: 2, imported: 0, skippedRows: 2, outcome: "nothing_imported" })]);
  });

  it("answers 400 naming the expected columns when an orders export is uploaded as products, and queues nothing", async () => {
    const shop = await createTestShop();
    const response = await upload(shop.id, uploadForm("products", await csvFile(ORDERS_EXPORT, "orders_export.csv")));
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: string; message: string; fields: Record<string, string[]> };
    expect(body.error).toBe("wrong_file");
    expect(body.message).toContain('Upload it as orders instead. A Shopify products CSV needs the columns "Handle", "Title", "Variant Price".');
    // Shown on the card it was dropped on.
    expect(body.fields.products).toEqual([body.message]);
    expect(await importJobs(shop.id)).toBe(0);
  });

  it("answers 400 naming the line where a quote is never closed, in words, and queues nothing", async () => {
    const shop = await createTestShop();
    // The probe's products CSV: line 2 opens a quote that nothing closes.
    const text = ["Handle,Title,Body (HTML),Variant Price", 'h1,"Title with open quote,body,1.00', "h2,Two,body,2.00", ""].join("\n");
    const response = await upload(shop.id, uploadForm("products", new File([text], "products.csv", { type: "text/csv" })));
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: string; message: string; fields: Record<string, string[]> };
    expect(body.error).toBe("not_csv");
    expect(body.message).toBe('Line 2: a quoted field is never closed (a " without its closing "), so the rest of the file cannot be read. Add the closing " or remove the stray one.');
    expect(body.fields.products).toEqual([body.message]);
    expect(await importJobs(shop.id)).toBe(0);
  });

  it("says a products CSV saved with semicolons is separated by semicolons, even when a quoted cell follows the header", async () => {
    const shop = await createTestShop();
    // What a spreadsheet set to a European locale saves: semicolons between cells, and a cell
    // holding a quote (HTML with an attribute) quoted. Read with commas, that quote sits mid-field.
    const text = ["Handle;Title;Body (HTML);Variant Price", 'tee;T-shirt;"<p class=""lead"">Soft</p>";25.00', ""].join("\r\n");
    const response = await upload(shop.id, uploadForm("products", new File([text], "products.csv", { type: "text/csv" })));
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: string; message: string };
    expect(body.error).toBe("missing_columns");
    expect(body.message).toMatch(/^This file's columns are separated by semicolons; Shopify's CSV files use commas\./);
    expect(await importJobs(shop.id)).toBe(0);
  });

  it("answers 400 for an upload without a file, without a kind, of a spreadsheet, or not sent as a form", async () => {
    const shop = await createTestShop();
    const noFile = await upload(shop.id, uploadForm("orders", null));
    expect(noFile.status).toBe(400);
    expect(await noFile.json()).toMatchObject({ error: "no_file", fields: { orders: ["Choose a CSV file to import."] } });

    const noKind = await upload(shop.id, uploadForm(null, await csvFile(PRODUCTS_EXPORT, "p.csv")));
    expect(noKind.status).toBe(400);
    expect(await noKind.json()).toMatchObject({ error: "no_file", fields: { file: [expect.stringContaining("kind")] } });

    const spreadsheet = await upload(shop.id, uploadForm("products", new File(["PK\u0003\u0004"], "products.xlsx")));
    expect(spreadsheet.status).toBe(400);
    expect(await spreadsheet.json()).toMatchObject({ error: "not_csv", message: expect.stringContaining("Save it as CSV") });
    // "Café" in Windows-1252, as older Excel saves a "CSV": refused, not imported as "Caf�".
    const latin1 = Buffer.concat([Buffer.from("Handle,Title\ncafe,Caf"), Buffer.from([0xe9]), Buffer.from("\n")]);
    const notUtf8 = await upload(shop.id, uploadForm("products", new File([latin1], "products.csv")));
    expect(notUtf8.status).toBe(400);
    expect(await notUtf8.json()).toMatchObject({ error: "not_utf8", message: expect.stringContaining("CSV UTF-8") });

    const empty = await upload(shop.id, uploadForm("products", new File([""], "empty.csv", { type: "text/csv" })));
    expect(empty.status).toBe(400);
    expect(await empty.json()).toMatchObject({ error: "empty_file" });

    const notMultipart = await upload(shop.id, new URLSearchParams({ kind: "products" }));
    expect(notMultipart.status).toBe(400);
    expect(await importJobs(shop.id)).toBe(0);
  });

  it("answers 413 for a file over the 50 MB limit, before and while reading it", async () => {
    const shop = await createTestShop();
    const declared = await upload(shop.id, uploadForm("orders", new File(["x"], "big.csv")), {
      "Content-Length": String(60 * 1024 * 1024),
    });
    expect(declared.status).toBe(413);
    // Refused before the body is read, so before the form says which card it came from.
    expect(await declared.json()).toMatchObject({ error: "too_large", fields: { file: [expect.stringContaining("50 MB")] } });

    // No length declared up front (a streamed upload): the limit applies as the file is read.
    const header = "Name,Created at,Lineitem quantity,Lineitem name,Lineitem price\n";
    const huge = new File([header, "x".repeat(50 * 1024 * 1024)], "huge.csv", { type: "text/csv" });
    const streamed = await upload(shop.id, uploadForm("orders", huge));
    expect(streamed.status).toBe(413);
    expect(await streamed.json()).toMatchObject({ error: "too_large", fields: { orders: [expect.any(String)] } });
    expect(await importJobs(shop.id)).toBe(0);
  });

  it("answers 413 for an upload whose parts together pass the limit, each under it, without reading the rest", async () => {
    const shop = await createTestShop();
    // A kind, then 1 MB fields one after another, made as they are read: each is under the 50 MB
    // a part may hold, and the parser keeps every one, so only a limit on the whole body stops it.
    const boundary = "upshelf-test-boundary";
    const encoder = new TextEncoder();
    const field = encoder.encode(`--${boundary}\r\nContent-Disposition: form-data; name="padding"\r\n\r\n${"a".repeat(1024 * 1024)}\r\n`);
    let pulled = 0;
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 1;
        const chunk = sent === 1 ? encoder.encode(`--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\norders\r\n`) : sent <= 120 ? field : encoder.encode(`--${boundary}--\r\n`);
        if (sent > 121) return controller.close();
        pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const response = await upload(shop.id, body, { "Content-Type": `multipart/form-data; boundary=${boundary}` });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: "too_large", fields: { orders: [expect.stringContaining("50 MB")] } });
    expect(pulled).toBeLessThanOrEqual(MAX_UPLOAD_REQUEST_BYTES + 2 * field.byteLength);
    expect(await importJobs(shop.id)).toBe(0);
  });

  it("never shows one shop another shop's import: a guessed job id is 404", async () => {
    const shop = await createTestShop();
    const other = await createTestShop();
    const response = await upload(other.id, uploadForm("products", await csvFile(PRODUCTS_EXPORT, "theirs.csv")));
    const jobId = /(\d+)$/.exec(response.headers.get("Location") ?? "")?.[1] as string;
    const finished = await waitForJob(other.id, Number(jobId));
    const rebuildJobId = (finished.result as { rebuildJobId: number | null }).rebuildJobId;
    if (rebuildJobId) await waitForJob(other.id, rebuildJobId);

    const request = await adminRequest(shop.id, `/app/import/${jobId}`);
    const notFound = await responseOf(async () => {
      await importJobPage.loader(args(request, { jobId }));
      return new Response(null, { status: 200 });
    });
    expect(notFound.status).toBe(404);
    expect((await importPage.loader(args(await adminRequest(shop.id, "/app/import")))).imports).toEqual([]);

    for (const nonsense of ["abc", "99999999999999999999", "2147483648"]) {
      const response = await responseOf(async () => {
        await importJobPage.loader(args(await adminRequest(shop.id, `/app/import/${nonsense}`), { jobId: nonsense }));
        return new Response(null, { status: 200 });
      });
      expect(response.status).toBe(404);
    }
  });

  it("cancels the shop's import from its report page, and says so when it had already ended; another shop's is 404", async () => {
    const shop = await createTestShop();
    const other = await createTestShop();
    const text = await readFile(PRODUCTS_EXPORT, "utf8");
    const cancel = async (shopId: string, jobId: number, intent = "cancel") => {
      const request = await adminRequest(shopId, `/app/import/${jobId}`, { method: "POST", body: new URLSearchParams({ intent }) });
      return responseOf(async () => {
        const outcome = await importJobPage.action(args(request, { jobId: String(jobId) }));
        return outcome instanceof Response ? outcome : Response.json(outcome);
      });
    };

    const waiting = await startCsvImport(shop.id, "products", { fileName: "waiting.csv", text }, { start: false });
    expect((await cancel(other.id, waiting.id)).status).toBe(404);
    const refused = await cancel(shop.id, waiting.id, "delete");
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: "invalid_request", fields: { intent: ['Must be "cancel" or "resume".'] } });

    // Not started yet: cancelled at once (or, if a sweep started it meanwhile, at its first check).
    expect(await (await cancel(shop.id, waiting.id)).json()).toMatchObject({ ok: true });
    expect((await waitForJob(shop.id, waiting.id)).status).toBe("cancelled");
    const page = await importJobPage.loader(args(await adminRequest(shop.id, `/app/import/${waiting.id}`), { jobId: String(waiting.id) }));
    expect(page).toMatchObject({ status: "cancelled", fileName: "waiting.csv" });
    expect((await importPage.loader(args(await adminRequest(shop.id, "/app/import")))).imports).toEqual([
      expect.objectContaining({ id: waiting.id, status: "cancelled" }),
    ]);
    expect(await db.product.count({ where: { shopId: shop.id } })).toBe(0);

    const ended = await cancel(shop.id, waiting.id);
    expect(ended.status).toBe(200);
    expect(await ended.json()).toEqual({ ok: false, message: "This import had already ended, so there was nothing to cancel." });
  });

  it("resumes the shop's cancelled import from its report page in one tap, sending the merchant to the import that carries on; another shop's is 404; a file no longer kept is said so", async () => {
    const shop = await createTestShop();
    const other = await createTestShop();
    const text = await readFile(PRODUCTS_EXPORT, "utf8");
    const post = async (shopId: string, jobId: number, intent: string) => {
      const request = await adminRequest(shopId, `/app/import/${jobId}`, { method: "POST", body: new URLSearchParams({ intent }) });
      return responseOf(async () => {
        const outcome = await importJobPage.action(args(request, { jobId: String(jobId) }));
        return outcome instanceof Response ? outcome : Response.json(outcome);
      });
    };
    const reportPage = async (jobId: number) =>
      importJobPage.loader(args(await adminRequest(shop.id, `/app/import/${jobId}`), { jobId: String(jobId) }));

    const cancelled = await startCsvImport(shop.id, "products", { fileName: "products_export.csv", text }, { start: false });
    expect(await (await post(shop.id, cancelled.id, "cancel")).json()).toMatchObject({ ok: true });
    expect((await waitForJob(shop.id, cancelled.id)).status).toBe("cancelled");
    expect((await reportPage(cancelled.id)).resume).toMatchObject({ state: "available" });
    const listOf = async () => (await importPage.loader(args(await adminRequest(shop.id, "/app/import")))).imports;
    // The list says it can be resumed; until when is on its report page.
    expect(await listOf()).toEqual([expect.objectContaining({ id: cancelled.id, status: "cancelled", resume: "available", resumedBy: null })]);

    // A guessed id of another shop's import is 404, and resumes nothing.
    expect((await post(other.id, cancelled.id, "resume")).status).toBe(404);
    expect(await importJobs(shop.id)).toBe(1);

    const resumed = await post(shop.id, cancelled.id, "resume");
    expect(resumed.status).toBe(302);
    const nextId = Number(/\/app\/import\/(\d+)$/.exec(resumed.headers.get("Location") ?? "")?.[1]);
    expect(nextId).toBeGreaterThan(cancelled.id);
    expect((await waitForJob(shop.id, nextId)).status).toBe("done");
    expect(await reportPage(nextId)).toMatchObject({ status: "done", resumedFrom: null, fileName: "products_export.csv" });
    expect(await db.product.count({ where: { shopId: shop.id } })).toBeGreaterThan(0);
    expect((await reportPage(cancelled.id)).resume).toEqual({ state: "resumed", jobId: nextId });
    // The list too: the cancelled import names the one that carries it on, listed above it.
    expect(await listOf()).toEqual([
      expect.objectContaining({ id: nextId, status: "done", resume: null, resumedBy: null }),
      expect.objectContaining({ id: cancelled.id, status: "cancelled", resume: "resumed", resumedBy: nextId }),
    ]);
    // Tapped again (a second tab): the same import that carries on.
    expect((await post(shop.id, cancelled.id, "resume")).headers.get("Location")).toBe(`/app/import/${nextId}`);
    const rebuildJobId = (await reportPage(nextId)).report?.rebuildJobId;
    if (rebuildJobId) await waitForJob(shop.id, rebuildJobId);

    // Its file's week is over: the page says so, and so does a tap on a page left open.
    const expired = await startCsvImport(shop.id, "products", { fileName: "old.csv", text }, { start: false });
    await post(shop.id, expired.id, "cancel");
    await db.job.update({ where: { id: expired.id }, data: { inputKeptUntil: new Date(Date.now() - 1000) } });
    expect((await reportPage(expired.id)).resume).toEqual({ state: "unavailable" });
    expect((await listOf())[0]).toMatchObject({ id: expired.id, status: "cancelled", resume: "unavailable", resumedBy: null });
    const refused = await post(shop.id, expired.id, "resume");
    expect(refused.status).toBe(200);
    expect(await refused.json()).toEqual({
      ok: false,
      message: "The file is no longer kept, so this import cannot be resumed. Upload the same file again: what was already imported comes back unchanged, not twice.",
    });
  });
});
