import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "~/db.server";
import { DEMO_SHOP_DOMAIN } from "~/env.server";
import { startBuiltAppServer, type RunningServer } from "../support/app-server";
import { launchChromium } from "../support/browser";
import { ORDERS_EXPORT, PRODUCTS_EXPORT } from "../fixtures/csv/paths";

const root = path.resolve(import.meta.dirname, "../..");

/**
 * Importing changes the demo shop, and other browser tests read the demo shop on the run's
 * shared database; so this file runs its own server on a database of its own, which the server
 * migrates and seeds at start-up exactly as `npm start` does on a fresh clone.
 */
describe("importing products and orders CSVs in the demo admin", () => {
  const file = path.join(root, "tmp", "test", `upshelf-import-browser-${Date.now()}-${process.pid}.sqlite`);
  const databaseUrl = `file:${path.relative(root, file)}`;
  let server: RunningServer;
  let browser: Browser;
  let db: Db;

  beforeAll(async () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    server = await startBuiltAppServer({ DATABASE_URL: databaseUrl }, 170_000);
    browser = await launchChromium();
    db = createDb(databaseUrl);
  }, 300_000);

  afterAll(async () => {
    await db?.$disconnect();
    await browser?.close();
    await server?.stop();
    for (const suffix of ["", "-wal", "-shm", "-journal"]) fs.rmSync(file + suffix, { force: true });
  });

  /** Errors the page threw, to name the cause when it never became interactive. */
  const pageErrors = new WeakMap<Page, string[]>();

  async function openImportPage(): Promise<Page> {
    const page = await browser.newPage();
    const errors: string[] = [];
    pageErrors.set(page, errors);
    page.on("pageerror", (error) => errors.push(error.message));
    const response = await page.goto(`${server.url}/app/import`, { waitUntil: "networkidle", timeout: 90_000 });
    expect(response?.status()).toBe(200);
    // Locators wait: a fresh clone's first load may reload once while Vite optimises dependencies.
    await page.getByRole("heading", { name: "Import", level: 1 }).waitFor({ state: "visible" });
    return page;
  }

  async function upload(page: Page, kind: "products" | "orders", csv: string): Promise<void> {
    const chosen = page.locator(`#import-${kind}-chosen`).getByText(path.basename(csv), { exact: true });
    // Until React has hydrated the page, choosing a file reaches no handler; choose again then.
    for (let attempt = 1; ; attempt += 1) {
      await page.locator(`#import-${kind}-file`).setInputFiles(csv);
      try {
        await chosen.waitFor({ state: "visible", timeout: 2_000 });
        break;
      } catch (error) {
        if (attempt < 10) continue;
        const errors = pageErrors.get(page) ?? [];
        if (errors.length > 0) throw new Error(`The import page never became interactive; it threw: ${errors.join(" | ")}`);
        throw error;
      }
    }
    await page.getByRole("button", { name: `Import ${kind}` }).click();
  }

  async function figure(page: Page, id: string): Promise<string> {
    return page.locator(`#import-${id}`).innerText();
  }

  it("refuses an orders export dropped on the products card, saying which columns it needs", async () => {
    const page = await openImportPage();
    await upload(page, "products", ORDERS_EXPORT);
    const error = page.locator("#import-products-error");
    await error.waitFor({ state: "visible" });
    expect(await error.innerText()).toContain('A Shopify products CSV needs the columns "Handle", "Title", "Variant Price".');
    expect(page.url()).toBe(`${server.url}/app/import`);
    expect(await db.job.count({ where: { shopId: DEMO_SHOP_DOMAIN, kind: "import_products_csv" } })).toBe(0);

    // The error was about that file: choosing another one clears it, before anything is sent.
    await page.locator("#import-products-file").setInputFiles(PRODUCTS_EXPORT);
    await page.locator("#import-products-chosen").getByText(path.basename(PRODUCTS_EXPORT), { exact: true }).waitFor({ state: "visible" });
    await error.waitFor({ state: "detached" });
    expect(await page.getByRole("button", { name: "Import products" }).isEnabled()).toBe(true);
    await page.close();
  }, 120_000);

  it("imports a products export, then the orders export, and shows each report", async () => {
    const productsBefore = await db.product.count({ where: { shopId: DEMO_SHOP_DOMAIN } });
    const page = await openImportPage();
    await upload(page, "products", PRODUCTS_EXPORT);
    await page.waitForURL(/\/app\/import\/\d+$/);
    await page.getByRole("heading", { name: "Products import: products-export.csv", level: 1 }).waitFor({ state: "visible" });
    await page.getByRole("heading", { name: "Report" }).waitFor({ state: "visible", timeout: 60_000 });
    expect(await figure(page, "rows")).toBe("17");
    expect(await figure(page, "imported")).toBe("3");
    expect(await figure(page, "created")).toBe("3");
    expect(await figure(page, "items")).toBe("16");
    expect(await figure(page, "skipped")).toBe("0");
    expect(await db.product.count({ where: { shopId: DEMO_SHOP_DOMAIN } })).toBe(productsBefore + 3);
    // The page watches the rebuild the import started until the new model is in place.
    await page.getByText("Recommendations rebuilt").waitFor({ state: "visible", timeout: 90_000 });

    await page.getByRole("link", { name: "Import", exact: true }).first().click();
    await page.waitForURL(`${server.url}/app/import`);
    await upload(page, "orders", ORDERS_EXPORT);
    await page.getByRole("heading", { name: "Orders import: orders-export.csv", level: 1 }).waitFor({ state: "visible" });
    await page.getByRole("heading", { name: "Report" }).waitFor({ state: "visible", timeout: 60_000 });
    expect(await figure(page, "rows")).toBe("40");
    expect(await figure(page, "imported")).toBe("19");
    expect(await figure(page, "items")).toBe("40");
    // The demo catalog has none of the export's snowboards: every line is reported as unmatched.
    expect(await figure(page, "matched")).toBe("0");
    expect(await figure(page, "unmatched")).toBe("40");
    // So the report says so, and what to do, rather than that the recommendations learned from them.
    await page.getByText("No line item matched a product").waitFor({ state: "visible" });
    expect(await page.locator("#import-outcome-no_item_matched").innerText()).toContain("Import your products export first, or sync your catalog");
    const ordersJobId = Number(new URL(page.url()).pathname.split("/").pop());
    const ordersJob = await db.job.findUniqueOrThrow({ where: { id: ordersJobId } });
    const rebuildJobId = (JSON.parse(ordersJob.result ?? "{}") as { rebuildJobId?: number }).rebuildJobId;
    expect(rebuildJobId).toEqual(expect.any(Number));
    await expect.poll(async () => (await db.job.findUniqueOrThrow({ where: { id: rebuildJobId } })).status, { timeout: 90_000 }).toBe("done");
    await page.reload();
    await page.getByText("No line item matched a product").waitFor({ state: "visible" });
    expect(await page.getByText("Recommendations rebuilt").count()).toBe(0);
    await page.close();
  }, 240_000);

  it("lists the imports, and a second import of the same file changes nothing", async () => {
    const page = await openImportPage();
    const rows = page.locator("tbody tr");
    await rows.first().waitFor({ state: "visible" });
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(0).innerText()).toContain("orders-export.csv");
    expect(await rows.nth(0).innerText()).toContain("Imported, no item matched a product");
    expect(await rows.nth(1).innerText()).toContain("products-export.csv");

    const ordersBefore = await db.order.count({ where: { shopId: DEMO_SHOP_DOMAIN } });
    await upload(page, "orders", ORDERS_EXPORT);
    await page.getByRole("heading", { name: "Report" }).waitFor({ state: "visible", timeout: 60_000 });
    expect(await figure(page, "created")).toBe("0");
    expect(await figure(page, "unchanged")).toBe("19");
    await page.getByText("Nothing new to learn").waitFor({ state: "visible" });
    expect(await db.order.count({ where: { shopId: DEMO_SHOP_DOMAIN } })).toBe(ordersBefore);
    await page.close();
  }, 120_000);

  it("says a file with only its header row has no rows, rather than that it held nothing new", async () => {
    const headerOnly = path.join(path.dirname(file), `header-only-${process.pid}.csv`);
    fs.writeFileSync(headerOnly, `${fs.readFileSync(PRODUCTS_EXPORT, "utf8").split("\n")[0]}\n`);
    try {
      const page = await openImportPage();
      await upload(page, "products", headerOnly);
      await page.getByRole("heading", { name: "Report" }).waitFor({ state: "visible", timeout: 60_000 });
      expect(await figure(page, "rows")).toBe("0");
      await page.getByText("The file has no rows").waitFor({ state: "visible" });
      expect(await page.getByText("Nothing new to learn").count()).toBe(0);
      await page.close();
    } finally {
      fs.rmSync(headerOnly, { force: true });
    }
  }, 120_000);

  it("GIVEN a products file still uploading WHEN the merchant turns to the orders card THEN its Import waits: a second upload would cancel the first, and the products would silently not be imported", async () => {
    const page = await openImportPage();
    // A big file on a slow connection: the products upload is held until the test lets it through.
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(`${server.url}/app/import*`, async (route) => {
      if (route.request().method() === "POST" && (route.request().postData() ?? "").includes('name="kind"\r\n\r\nproducts')) await held;
      await route.continue();
    });
    await page.locator("#import-orders-file").setInputFiles(ORDERS_EXPORT);
    await page.locator("#import-orders-chosen").waitFor({ state: "visible" });
    await upload(page, "products", PRODUCTS_EXPORT);
    const wait = page.locator("#import-orders-wait");
    await wait.waitFor({ state: "visible" });
    expect(await wait.innerText()).toBe("Wait until the products file has uploaded.");
    expect(await page.getByRole("button", { name: "Import orders" }).isDisabled()).toBe(true);
    release();
    await page.getByRole("heading", { name: "Products import: products-export.csv", level: 1 }).waitFor({ state: "visible" });
    await page.close();
  }, 120_000);

  it("cancels a long orders import from its report, saying how far it got, keeps what it imported, and imports the rest when resumed in one tap, even while the page refreshes itself", async () => {
    // A long export: 20,000 two-line orders the demo shop does not have.
    const orders = 20_000;
    const csv = path.join(path.dirname(file), `long-orders-${process.pid}.csv`);
    const rows = ["Name,Id,Currency,Subtotal,Total,Created at,Lineitem quantity,Lineitem name,Lineitem price"];
    for (let order = 1; order <= orders; order += 1) {
      const placed = new Date(Date.UTC(2024, 0, 1) + order * 60_000).toISOString();
      rows.push(`#L${order},${7_000_000_000 + order},GBP,15.00,15.00,${placed},1,Mug,10.00`, `#L${order},,,,,${placed},1,Tea,5.00`);
    }
    fs.writeFileSync(csv, `${rows.join("\n")}\n`);
    const imported = () => db.order.count({ where: { shopId: DEMO_SHOP_DOMAIN, shopifyId: { gte: "7000000001", lte: "7000020000" } } });
    try {
      const page = await openImportPage();
      await upload(page, "orders", csv);
      await page.waitForURL(/\/app\/import\/\d+$/);
      await page.getByRole("button", { name: "Cancel import" }).click();
      const said = page.locator("#import-cancelled");
      await said.waitFor({ state: "visible", timeout: 60_000 });
      const sentence = await said.innerText();
      expect(sentence).toMatch(/^Cancelled (after [\d,]+ of 40,000 rows|before any of its 40,000 rows were imported)\.$/);
      // Stopped between batches: every order it kept is whole, and fewer than the file holds.
      const kept = await imported();
      expect(kept).toBeLessThan(orders);
      expect(await db.orderLine.count({ where: { shopId: DEMO_SHOP_DOMAIN, order: { shopifyId: { gte: "7000000001", lte: "7000020000" } } } })).toBe(2 * kept);
      expect(await page.getByRole("button", { name: "Cancel import" }).count()).toBe(0);

      // Resumed in one tap, with the file Upshelf kept, while the page still refreshes itself
      // because the rebuild the cancel started has not ended (as on a busy server). The rebuild is
      // marked running again for that, and the resume request is held past a refresh: a refresh
      // during the request used to swallow the move to the new import, leaving the merchant here.
      const cancelledId = Number(new URL(page.url()).pathname.split("/").pop());
      const cancelled = await db.job.findUniqueOrThrow({ where: { id: cancelledId } });
      const rebuildJobId = (JSON.parse(cancelled.result ?? "{}") as { rebuildJobId?: number }).rebuildJobId;
      expect(rebuildJobId).toEqual(expect.any(Number));
      await expect.poll(async () => (await db.job.findUniqueOrThrow({ where: { id: rebuildJobId } })).status, { timeout: 120_000 }).toBe("done");
      const leaseUntil = new Date(Date.now() + 10 * 60_000);
      await db.job.update({ where: { id: rebuildJobId }, data: { status: "running", leaseUntil } });
      try {
        await page.reload();
        await page.getByText("Rebuilding recommendations").waitFor({ state: "visible" });
        await page.route(`${server.url}/app/import/${cancelledId}*`, async (route) => {
          if (route.request().method() === "POST") await new Promise((resolve) => setTimeout(resolve, 2_500));
          await route.continue();
        });
        await page.getByRole("button", { name: "Resume import" }).click();
        await page.waitForURL((url) => /\/app\/import\/\d+$/.test(url.pathname) && url.pathname !== `/app/import/${cancelledId}`, { timeout: 30_000 });
      } finally {
        await db.job.update({ where: { id: rebuildJobId }, data: { status: "done", leaseUntil: null } });
      }
      // The import that carries on reads only the rest, and its report is the whole file's (the
      // orders kept before the cancel are not read again).
      await page.locator("#import-resumed-from").waitFor({ state: "visible" });
      await page.getByRole("heading", { name: "Report" }).waitFor({ state: "visible", timeout: 180_000 });
      expect(await figure(page, "created")).toBe(orders.toLocaleString("en"));
      expect(await figure(page, "unchanged")).toBe("0");
      expect(await imported()).toBe(orders);
      await page.close();
    } finally {
      fs.rmSync(csv, { force: true });
    }
  }, 300_000);
});
