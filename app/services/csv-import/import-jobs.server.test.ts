import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_SHOP_SETTINGS } from "~/core/settings";
import db from "~/db.server";
import { listProductCards } from "~/models/catalog.server";
import { saveShopSettings } from "~/models/shop-settings.server";
import { loader as recommendationsLoader } from "~/routes/proxy.recommendations";
import { JobCancelledError, resumeJobs, runJob, waitForJob, type RunningJob } from "~/services/jobs.server";
import { createTestOrder, createTestProduct } from "../../../tests/factories/catalog";
import { createTestShop } from "../../../tests/factories/shop";
import { appProxyRequest, responseOf } from "../../../tests/support/app-proxy";
import { cancelCsvImport, findCsvImport, importOrdersCsvJob, listCsvImports, resumeCsvImport, startCsvImport } from "./import-jobs.server";
import { importOutcome, importTaughtRecommendations, outcomeBadge, reportFigures, reportNotices } from "./report-view";
import { emptyReport, importReportSchema, type ImportReport } from "./import-report";
import { ORDERS_EXPORT, PRODUCTS_EXPORT, SNOWBOARDS_PRODUCTS } from "../../../tests/fixtures/csv/paths";


async function runImport(shopId: string, kind: "products" | "orders", file: string): Promise<ImportReport> {
  const job = await startCsvImport(shopId, kind, { fileName: path.basename(file), text: await readFile(file, "utf8") }, { start: false });
  // Another test file's start-up resume may claim a queued job first; either way it runs once.
  await runJob(job.id);
  await waitForJob(shopId, job.id);
  const done = await findCsvImport(shopId, job.id);
  expect(done?.error ?? null).toBeNull();
  expect(done?.status).toBe("done");
  expect(done?.progressDone).toBe(done?.progressTotal);
  return importReportSchema.parse(done?.report);
}

/** Imports CSV text the way an upload does, and waits for the import to end. */
async function runImportText(shopId: string, kind: "products" | "orders", text: string): Promise<ImportReport> {
  const job = await startCsvImport(shopId, kind, { fileName: `${kind}.csv`, text }, { start: false });
  await runJob(job.id);
  await waitForJob(shopId, job.id);
  const done = await findCsvImport(shopId, job.id);
  expect(done?.error ?? null).toBeNull();
  expect(done?.status).toBe("done");
  return importReportSchema.parse(done?.report);
}

/** The columns of Shopify's products export these tests fill in. */
const PRODUCTS_HEADER =
  "Handle,Title,Body (HTML),Vendor,Type,Tags,Published,Option1 Name,Option1 Value,Variant SKU,Variant Inventory Tracker,Variant Inventory Qty,Variant Inventory Policy,Variant Price,Variant Compare At Price,Image Src,Status";

async function handleOf(shopId: string, shopifyId: string): Promise<string> {
  return (await db.product.findUniqueOrThrow({ where: { shopId_shopifyId: { shopId, shopifyId } }, select: { handle: true } })).handle;
}

/** Everything stored for the shop's catalog and orders, to prove a re-import wrote nothing. */
async function storedRows(shopId: string) {
  const [products, variants, orders, lines] = await Promise.all([
    db.product.findMany({ where: { shopId }, orderBy: { id: "asc" } }),
    db.variant.findMany({ where: { shopId }, orderBy: { id: "asc" } }),
    db.order.findMany({ where: { shopId }, orderBy: { id: "asc" } }),
    db.orderLine.findMany({ where: { shopId }, orderBy: { id: "asc" } }),
  ]);
  return { products, variants, orders, lines };
}

async function waitForRebuild(shopId: string, report: ImportReport) {
  expect(report.rebuildJobId).not.toBeNull();
  const rebuild = await waitForJob(shopId, report.rebuildJobId as number);
  expect(rebuild.status).toBe("done");
  return rebuild;
}

/** An orders export of `count` two-line orders with Shopify ids from `firstId` + 1. */
function ordersCsv(count: number, firstId: number): string {
  const rows = ["Name,Id,Currency,Subtotal,Total,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku"];
  for (let order = 1; order <= count; order += 1) {
    const placed = new Date(Date.UTC(2025, 0, 1) + order * 60_000).toISOString();
    rows.push(`#${order},${firstId + order},USD,15.00,15.00,${placed},1,Mug,10.00,MUG`);
    rows.push(`#${order},,,,,${placed},1,Tea,5.00,TEA`);
  }
  return rows.join("\n");
}

/** The fixture's apron as a shop has it: one product, three variants (one without a SKU). */
async function createSyncedApron(shopId: string) {
  await db.product.create({
    data: {
      shopId,
      shopifyId: "7001",
      handle: "linen-apron",
      title: "Old apron title",
      titleFolded: "old apron title",
      publishedAt: new Date("2024-03-01T00:00:00Z"),
      variants: {
        create: [
          { shopId, shopifyId: "8001", title: "Natural / S", sku: "APR_NAT_S", priceAmount: 2000, currency: "USD" },
          // No SKU in the shop yet: found by its option values.
          { shopId, shopifyId: "8002", title: "Natural / M", sku: null, priceAmount: 3200, currency: "USD" },
          // Not in the file: a CSV may list part of a catalog, so it stays.
          { shopId, shopifyId: "8003", title: "Orange / XL", sku: "SRT_ORANGE", priceAmount: 2500, currency: "USD" },
        ],
      },
    },
  });
}

describe("CSV import jobs", () => {
  it("GIVEN a products export THEN creates its products once; a re-import writes nothing", async () => {
    const shop = await createTestShop({ currency: "USD" });
    const first = await runImport(shop.id, "products", PRODUCTS_EXPORT);
    expect(first).toMatchObject({
      kind: "products",
      fileName: "products-export.csv",
      rows: 17,
      imported: 3,
      created: 3,
      updated: 0,
      unchanged: 0,
      matched: 0,
      items: 16,
      skippedRows: 0,
      skipped: [],
    });
    await waitForRebuild(shop.id, first);
    const apron = await db.product.findFirstOrThrow({ where: { shopId: shop.id, handle: "linen-apron" }, include: { variants: true } });
    expect(apron).toMatchObject({ shopifyId: "csv:linen-apron", title: "Linen Apron", tags: "Handmade, Kitchen", status: "active" });
    // Published: TRUE, so it is dated (with the upload time); the jeans say FALSE.
    expect(apron.publishedAt).not.toBeNull();
    expect((await db.product.findFirstOrThrow({ where: { shopId: shop.id, handle: "canvas-trousers" } })).publishedAt).toBeNull();
    expect(apron.variants.find((variant) => variant.sku === "APR_SLT_M")).toMatchObject({ title: "Slate / M", priceAmount: 3200, currency: "USD" });

    const before = await storedRows(shop.id);
    const snapshots = await db.rankingSnapshot.count({ where: { shopId: shop.id } });
    const again = await runImport(shop.id, "products", PRODUCTS_EXPORT);
    expect(again).toMatchObject({ rows: 17, imported: 3, created: 0, updated: 0, unchanged: 3, matched: 3, items: 16, skippedRows: 0 });
    // Nothing changed, so nothing was rebuilt either.
    expect(again.rebuildJobId).toBeNull();
    expect(await storedRows(shop.id)).toEqual(before);
    expect(await db.rankingSnapshot.count({ where: { shopId: shop.id } })).toBe(snapshots);
  });

  it("GIVEN a catalog and an orders export THEN links 38 of 40 line items; a re-import writes nothing", async () => {
    const shop = await createTestShop({ currency: "EUR" });
    const products = await runImport(shop.id, "products", SNOWBOARDS_PRODUCTS);
    expect(products).toMatchObject({ rows: 15, imported: 8, created: 8, items: 15, skippedRows: 0 });
    await waitForRebuild(shop.id, products);

    const orders = await runImport(shop.id, "orders", ORDERS_EXPORT);
    expect(orders).toMatchObject({
      kind: "orders",
      rows: 40,
      imported: 19,
      created: 19,
      updated: 0,
      unchanged: 0,
      items: 40,
      // Every line but the two of "The Videographer Snowboard", which the catalog does not have.
      matched: 38,
      skippedRows: 0,
    });
    const rebuild = await waitForRebuild(shop.id, orders);
    expect(rebuild.result).toMatchObject({ orders: 19 });

    const stored = await storedRows(shop.id);
    expect(stored.orders).toHaveLength(19);
    expect(stored.lines).toHaveLength(40);
    expect(stored.lines.filter((line) => line.productId !== null)).toHaveLength(38);
    expect(stored.lines.filter((line) => line.productId === null).map((line) => line.title)).toEqual([
      "The Videographer Snowboard",
      "The Videographer Snowboard",
    ]);
    // Matched by SKU alone: the catalog titles it differently.
    const untracked = await db.product.findFirstOrThrow({ where: { shopId: shop.id, handle: "untracked-snowboard" } });
    expect(stored.lines.filter((line) => line.productId === untracked.id)).toHaveLength(2);
    // "Product - Variant" names match the variant.
    const ice = await db.variant.findFirstOrThrow({ where: { shopId: shop.id, title: "Ice" } });
    expect(stored.lines.find((line) => line.title === "The Complete Snowboard - Ice")?.variantId).toBe(ice.id);
    expect(stored.orders.find((order) => order.name === "#1001")).toMatchObject({
      shopifyId: "6634244374859",
      currency: "EUR",
      totalAmount: 165995,
      placedAt: new Date(Date.UTC(2025, 4, 11, 13, 55, 16)),
    });

    const again = await runImport(shop.id, "orders", ORDERS_EXPORT);
    expect(again).toMatchObject({ rows: 40, imported: 19, created: 0, updated: 0, unchanged: 19, items: 40, matched: 38 });
    expect(again.rebuildJobId).toBeNull();
    expect(await storedRows(shop.id)).toEqual(stored);
  });

  it("runs a shop's imports in upload order, so orders uploaded right after products see them", async () => {
    const shop = await createTestShop({ currency: "EUR" });
    const products = await startCsvImport(shop.id, "products", { fileName: "p.csv", text: await readFile(SNOWBOARDS_PRODUCTS, "utf8") }, { start: false });
    const orders = await startCsvImport(shop.id, "orders", { fileName: "o.csv", text: await readFile(ORDERS_EXPORT, "utf8") });
    await new Promise((resolve) => setTimeout(resolve, 400));
    // Started, but waiting for the products import queued before it.
    expect(await findCsvImport(shop.id, orders.id)).toMatchObject({ status: "running", progressTotal: null });
    expect(await db.order.count({ where: { shopId: shop.id } })).toBe(0);

    await runJob(products.id);
    const productsDone = await findCsvImport(shop.id, products.id);
    const done = await waitForJob(shop.id, orders.id);
    expect(done.result).toMatchObject({ imported: 19, matched: 38 });
    await waitForRebuild(shop.id, importReportSchema.parse(done.result));
    await waitForRebuild(shop.id, importReportSchema.parse(productsDone?.report));
  });

  it("matches a synced catalog instead of duplicating it (products by handle, variants by SKU then options), and leaves Shopify's values to Shopify", async () => {
    const shop = await createTestShop({ currency: "USD" });
    await createSyncedApron(shop.id);
    const report = await runImport(shop.id, "products", PRODUCTS_EXPORT);
    // Rows 4 to 13: sizes Shopify does not have (see the next tests). Row 2: a price other than Shopify's.
    expect(report).toMatchObject({ imported: 3, created: 2, updated: 1, matched: 1, items: 6, skippedRows: 10, leftToShopify: 1 });
    expect(report.skipped[0]).toEqual({
      row: 4,
      reason:
        'Variant "Natural / L" (SKU APR_NAT_L) is not a variant of "linen-apron" in Shopify, so this row was not imported. Add it in Shopify: the next catalog sync brings it in.',
    });
    expect(reportFigures(report).find((figure) => figure.id === "leftToShopify")).toEqual({
      id: "leftToShopify",
      label: "Rows whose title, price, stock, status or publication differ from Shopify's (Shopify's kept: change them in Shopify)",
      value: 1,
    });
    await waitForRebuild(shop.id, report);

    const aprons = await db.product.findMany({ where: { shopId: shop.id, handle: "linen-apron" }, include: { variants: true } });
    expect(aprons).toHaveLength(1);
    const apron = aprons[0]!;
    // Shopify's title stays; what Shopify left empty is filled from the file.
    expect(apron).toMatchObject({ shopifyId: "7001", title: "Old apron title", vendor: "Fernhill Workshop", tags: "Handmade, Kitchen", status: "active" });
    expect(apron.description).toMatch(/^This apron is cut from heavy washed linen/);
    expect(apron.publishedAt).toEqual(new Date("2024-03-01T00:00:00Z"));
    const bySku = new Map(apron.variants.map((variant) => [variant.sku, variant]));
    expect([...bySku.keys()].sort()).toEqual(["APR_NAT_M", "APR_NAT_S", "SRT_ORANGE"]);
    expect(bySku.get("APR_NAT_S")).toMatchObject({ shopifyId: "8001", priceAmount: 2000 });
    // Found by its option values; its empty SKU is filled.
    expect(bySku.get("APR_NAT_M")).toMatchObject({ shopifyId: "8002", title: "Natural / M" });
    expect(bySku.get("SRT_ORANGE")).toMatchObject({ shopifyId: "8003" });
  });

  it("GIVEN the demo shop, whose catalog is a file with made-up ids THEN an import updates it as the file says and adds its variants", async () => {
    const shop = await createTestShop({ currency: "USD" });
    await db.shop.update({ where: { id: shop.id }, data: { isDemo: true } });
    await createSyncedApron(shop.id);
    const report = await runImport(shop.id, "products", PRODUCTS_EXPORT);
    expect(report).toMatchObject({ imported: 3, created: 2, updated: 1, matched: 1, skippedRows: 0, leftToShopify: 0 });
    await waitForRebuild(shop.id, report);

    const apron = await db.product.findFirstOrThrow({ where: { shopId: shop.id, handle: "linen-apron" }, include: { variants: true } });
    expect(apron).toMatchObject({ shopifyId: "7001", title: "Linen Apron" });
    // The catalog's publication date is kept; the file only says the product is published.
    expect(apron.publishedAt).toEqual(new Date("2024-03-01T00:00:00Z"));
    expect(apron.variants).toHaveLength(13);
    const bySku = new Map(apron.variants.map((variant) => [variant.sku, variant]));
    expect(bySku.get("APR_NAT_S")).toMatchObject({ shopifyId: "8001", priceAmount: 3200 });
    expect(bySku.get("APR_NAT_M")).toMatchObject({ shopifyId: "8002", title: "Natural / M" });
    expect(bySku.get("SRT_ORANGE")).toMatchObject({ shopifyId: "8003" });
    expect(bySku.get("APR_NAT_L")?.shopifyId).toBe("csv:linen-apron/APR_NAT_L");
  });

  it("GIVEN a product synced from Shopify WHEN a row names a SKU Shopify does not have THEN the row is reported, and the storefront never offers a variant Shopify does not know", async () => {
    const shop = await createTestShop({ currency: "USD" });
    await saveShopSettings(shop.id, { ...DEFAULT_SHOP_SETTINGS, recommendations: { ...DEFAULT_SHOP_SETTINGS.recommendations, learnFromFeedback: false } });
    // Sold out in Shopify, in its only size.
    const mug = await createTestProduct(shop.id, { title: "Blue Mug", price: 1200, inventory: 0 });
    await db.variant.updateMany({ where: { shopId: shop.id, shopifyId: mug.variantShopifyId }, data: { sku: "MUG-S", title: "Small" } });
    const tea = await createTestProduct(shop.id, { title: "Tea", price: 500 });
    const coaster = await createTestProduct(shop.id, { title: "Coaster", price: 400 });
    for (let day = 1; day <= 3; day++) await createTestOrder(shop.id, [mug, tea], new Date(Date.UTC(2026, 0, day)));
    await createTestOrder(shop.id, [tea, coaster], new Date(Date.UTC(2026, 0, 4)));
    const handle = await handleOf(shop.id, mug.shopifyId);

    // A size the file has in stock and Shopify does not have at all.
    const text = [PRODUCTS_HEADER, `${handle},Blue Mug,<p>Glazed.</p>,Acme,Mug,,TRUE,Size,Large,MUG-L,shopify,7,deny,15.00,,,active`].join("\n");
    const report = await runImportText(shop.id, "products", text);
    expect(report).toMatchObject({ imported: 1, matched: 1, created: 0, items: 0, skippedRows: 1 });
    expect(report.skipped).toEqual([
      {
        row: 2,
        reason: `Variant "Large" (SKU MUG-L) is not a variant of "${handle}" in Shopify, so this row was not imported. Add it in Shopify: the next catalog sync brings it in.`,
      },
    ]);
    const variants = await db.variant.findMany({ where: { shopId: shop.id, product: { shopifyId: mug.shopifyId } } });
    expect(variants.map((variant) => variant.shopifyId)).toEqual([mug.variantShopifyId]);
    if (report.rebuildJobId !== null) await waitForRebuild(shop.id, report);

    const request = appProxyRequest("/recommendations", { shop: shop.id, query: { placement: "pdp", product_id: tea.shopifyId, limit: "5" } });
    const response = await responseOf(() => recommendationsLoader({ request, params: {}, context: {} }));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { recommendations: Array<{ productId: string; variantId: string }> };
    // The mug is sold out in Shopify: not offered, whatever the file said of a size Shopify lacks.
    expect(body.recommendations.map((entry) => entry.productId)).toEqual([coaster.shopifyId]);
    expect(body.recommendations.map((entry) => entry.variantId)).toEqual([coaster.variantShopifyId]);
  });

  it("GIVEN an older export WHEN imported onto a product synced from Shopify THEN its price, stock, status and publication stay Shopify's, and the report says so", async () => {
    const shop = await createTestShop({ currency: "USD" });
    const mug = await createTestProduct(shop.id, { title: "Blue Mug", price: 1200, inventory: 10 });
    await db.variant.updateMany({ where: { shopId: shop.id, shopifyId: mug.variantShopifyId }, data: { sku: "MUG", title: "Default Title" } });
    const handle = await handleOf(shop.id, mug.shopifyId);
    const before = await db.product.findUniqueOrThrow({ where: { shopId_shopifyId: { shopId: shop.id, shopifyId: mug.shopifyId } }, include: { variants: true } });

    // The export from when the mug was a 9.00 draft, out of stock, with a 11.00 compare-at price.
    const text = [PRODUCTS_HEADER, `${handle},Old Mug,<p>Enamel.</p>,Acme,Mug,"gift, enamel",FALSE,Title,Default Title,MUG,shopify,0,continue,9.00,11.00,https://img.example/mug.png,draft`].join("\n");
    const report = await runImportText(shop.id, "products", text);
    expect(report).toMatchObject({ imported: 1, matched: 1, updated: 1, items: 1, skippedRows: 0, leftToShopify: 1 });

    const after = await db.product.findUniqueOrThrow({ where: { shopId_shopifyId: { shopId: shop.id, shopifyId: mug.shopifyId } }, include: { variants: true } });
    expect(after).toMatchObject({ title: "Blue Mug", status: "active", publishedAt: before.publishedAt });
    // Empty in the catalog, so the file fills them.
    expect(after).toMatchObject({ description: "Enamel.", vendor: "Acme", productType: "Mug", tags: "gift, enamel", imageUrl: "https://img.example/mug.png" });
    expect(after.variants).toEqual([
      expect.objectContaining({ shopifyId: mug.variantShopifyId, priceAmount: 1200, compareAtAmount: null, inventoryQuantity: 10, inventoryPolicy: "deny" }),
    ]);
    const [card] = await listProductCards(shop.id);
    expect(card).toMatchObject({ variantId: mug.variantShopifyId, price: 1200, available: true, published: true });
    if (report.rebuildJobId !== null) await waitForRebuild(shop.id, report);

    // Imported again, nothing is written: Shopify's values were never the file's to change.
    const again = await runImportText(shop.id, "products", text);
    expect(again).toMatchObject({ updated: 0, unchanged: 1, leftToShopify: 1, rebuildJobId: null });

    // A file that differs from Shopify only in the title is counted too, and the title stays Shopify's.
    const current = [PRODUCTS_HEADER, `${handle},Old Mug,<p>Enamel.</p>,Acme,Mug,"gift, enamel",TRUE,Title,Default Title,MUG,shopify,10,deny,12.00,,https://img.example/mug.png,active`].join("\n");
    expect(await runImportText(shop.id, "products", current)).toMatchObject({ unchanged: 1, leftToShopify: 1 });
    expect((await db.product.findUniqueOrThrow({ where: { shopId_shopifyId: { shopId: shop.id, shopifyId: mug.shopifyId } } })).title).toBe("Blue Mug");
    const same = current.replace(",Old Mug,", ",Blue Mug,");
    expect(await runImportText(shop.id, "products", same)).toMatchObject({ unchanged: 1, leftToShopify: 0 });
  });

  it("GIVEN an import cut off after its first batch THEN the restarted job resumes from the checkpoint", async () => {
    const shop = await createTestShop({ currency: "USD" });
    const text = [ordersCsv(600, 900_000), "#601,900601,USD,1.00,1.00,not a date,1,Mug,1.00,MUG"].join("\n");
    const queued = await startCsvImport(shop.id, "orders", { fileName: "big.csv", text }, { start: false });
    const stored = await db.job.findUniqueOrThrow({ where: { id: queued.id } });

    // The first run "crashes" right after saving the checkpoint of its first written batch.
    let checkpoint: unknown = null;
    const crashing: RunningJob = {
      id: queued.id,
      shopId: shop.id,
      kind: "import_orders_csv",
      input: JSON.parse(stored.input) as unknown,
      checkpoint: null,
      attempt: stored.attempts,
      async progress(_done, _total, saved) {
        checkpoint = saved;
        const progress = saved as { eventsDone: number };
        if (progress.eventsDone > 0) throw new Error("simulated crash");
      },
      cancelRequested: async () => false,
    };
    await expect(importOrdersCsvJob(crashing)).rejects.toThrow("simulated crash");
    expect(await db.order.count({ where: { shopId: shop.id } })).toBe(250);
    expect(checkpoint).toMatchObject({ eventsDone: 250, rowsDone: 501, totalRows: 1201, report: { created: 250 } });

    // What the server finds at start-up: the job still running, its file and last checkpoint saved.
    await db.job.update({
      where: { id: queued.id },
      data: { status: "queued", input: stored.input, checkpoint: JSON.stringify(checkpoint), attempts: 1 },
    });
    await runJob(queued.id);
    await waitForJob(shop.id, queued.id);
    const done = await findCsvImport(shop.id, queued.id);
    expect(done?.status).toBe("done");
    // Resumed, not restarted: the first 250 orders were not written (or counted) a second time.
    expect(done?.report).toMatchObject({
      rows: 1201,
      imported: 600,
      created: 600,
      unchanged: 0,
      items: 1200,
      skippedRows: 1,
      skipped: [{ row: 1202, reason: 'Order #601: Created at "not a date" is not a date and time.' }],
    });
    expect(await db.order.count({ where: { shopId: shop.id } })).toBe(600);
    expect(await db.orderLine.count({ where: { shopId: shop.id } })).toBe(1200);
    // The file is not kept once the import has ended.
    expect(JSON.parse((await db.job.findUniqueOrThrow({ where: { id: queued.id } })).input)).toEqual({ fileName: "big.csv" });
    await waitForRebuild(shop.id, done!.report!);
  });

  it("GIVEN an orders import cancelled while it runs THEN it stops after the batch it is writing, keeps whole orders, and the same file imported again adds the rest", async () => {
    const shop = await createTestShop({ currency: "USD" });
    const text = ordersCsv(600, 800_000);
    const queued = await startCsvImport(shop.id, "orders", { fileName: "long.csv", text }, { start: false });
    // Claimed as runJob claims it; the merchant presses Cancel as the first batch is saved.
    const stored = await db.job.update({ where: { id: queued.id }, data: { status: "running", attempts: 1 } });
    const checkpoints: { eventsDone: number; rowsDone: number }[] = [];
    const cancelling: RunningJob = {
      id: queued.id,
      shopId: shop.id,
      kind: "import_orders_csv",
      input: JSON.parse(stored.input) as unknown,
      checkpoint: null,
      attempt: stored.attempts,
      async progress(_done, _total, saved) {
        checkpoints.push(saved as { eventsDone: number; rowsDone: number });
        // The first checkpoint is the row count's; the second, the first batch's.
        if (checkpoints.length === 2) expect(await cancelCsvImport(shop.id, queued.id)).toBe("cancelling");
      },
      cancelRequested: async () => (await db.job.findUniqueOrThrow({ where: { id: queued.id } })).status === "cancelling",
    };
    const stopped = await importOrdersCsvJob(cancelling).then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(stopped).toBeInstanceOf(JobCancelledError);
    const report = importReportSchema.parse((stopped as JobCancelledError).result);
    // One batch of 250 two-line orders, each with both its lines (rows 2 to 501; the 251st order's
    // first row was read to see the 250th had ended, so 501 of the file's 1,200 data rows are read).
    expect(checkpoints.at(-1)).toMatchObject({ eventsDone: 250, rowsDone: 501 });
    expect(report).toMatchObject({ rows: 1200, imported: 250, created: 250, items: 500, skippedRows: 0 });
    expect(await db.order.count({ where: { shopId: shop.id } })).toBe(250);
    expect(await db.orderLine.count({ where: { shopId: shop.id } })).toBe(500);
    // What it imported is learned from, as after any import; the file is kept for a resume.
    await waitForRebuild(shop.id, report);
    // What runJob records for a handler that stopped so.
    await db.job.update({ where: { id: queued.id }, data: { status: "cancelled", result: JSON.stringify(report) } });
    expect(JSON.parse((await db.job.findUniqueOrThrow({ where: { id: queued.id } })).input)).toMatchObject({ fileName: "long.csv", text });

    // Started again with the same file: the 250 come back unchanged, the rest are added.
    const again = await runImportText(shop.id, "orders", text);
    expect(again).toMatchObject({ imported: 600, created: 350, unchanged: 250 });
    expect(await db.orderLine.count({ where: { shopId: shop.id } })).toBe(1200);
    await waitForRebuild(shop.id, again);
  });

  it("GIVEN an orders import cancelled while it runs WHEN resumed THEN a job linked to it imports the rest of the same file, nothing twice, and reports the whole file", async () => {
    const shop = await createTestShop({ currency: "USD" });
    const other = await createTestShop({ currency: "USD" });
    const text = ordersCsv(2000, 600_000);
    const queued = await startCsvImport(shop.id, "orders", { fileName: "long.csv", text }, { start: false });
    const run = runJob(queued.id);
    // Cancelled once its first batch is saved, as the merchant would from the report page.
    for (let i = 0; i < 2000 && ((await findCsvImport(shop.id, queued.id))?.progressDone ?? 0) === 0; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await cancelCsvImport(shop.id, queued.id)).toBe("cancelling");
    await run;
    const cancelled = await findCsvImport(shop.id, queued.id);
    expect(cancelled?.status).toBe("cancelled");
    expect(cancelled!.progressDone).toBeLessThan(4000);
    const firstPart = cancelled!.report!.created;
    expect(firstPart).toBeGreaterThan(0);
    expect(await db.order.count({ where: { shopId: shop.id } })).toBe(firstPart);
    // The file is kept for a week, as the page says.
    expect(cancelled?.resume?.state).toBe("available");
    const until = (cancelled?.resume as { until: Date }).until.getTime();
    expect(Math.abs(until - (Date.now() + 7 * 86_400_000))).toBeLessThan(60_000);

    // Another shop's guess resumes nothing.
    expect(await resumeCsvImport(other.id, queued.id)).toEqual({ resumed: false, reason: "not_cancelled" });
    const resumed = await resumeCsvImport(shop.id, queued.id, { start: false });
    expect(resumed).toMatchObject({ resumed: true });
    const nextId = (resumed as { jobId: number }).jobId;
    expect(nextId).not.toBe(queued.id);
    // A second tap lands on the same job.
    expect(await resumeCsvImport(shop.id, queued.id, { start: false })).toEqual({ resumed: true, jobId: nextId });
    expect((await findCsvImport(shop.id, queued.id))?.resume).toEqual({ state: "resumed", jobId: nextId });
    // The new job starts where the cancelled one stopped.
    expect(await findCsvImport(shop.id, nextId)).toMatchObject({ status: "queued", resumedFrom: queued.id, progressDone: cancelled!.progressDone, progressTotal: 4000 });

    await runJob(nextId);
    await waitForJob(shop.id, nextId);
    const done = await findCsvImport(shop.id, nextId);
    expect(done?.status).toBe("done");
    // The whole file's report: the orders imported before the cancel are counted once, not read again.
    expect(done?.report).toMatchObject({ rows: 4000, imported: 2000, created: 2000, unchanged: 0, items: 4000, skippedRows: 0 });
    expect(await db.order.count({ where: { shopId: shop.id } })).toBe(2000);
    expect(await db.orderLine.count({ where: { shopId: shop.id } })).toBe(4000);
    // The file is now held by neither job.
    const rows = await db.job.findMany({ where: { id: { in: [queued.id, nextId] } }, orderBy: { id: "asc" } });
    expect(rows.map((row) => JSON.parse(row.input) as unknown)).toEqual([{ fileName: "long.csv", resumedAs: nextId }, { fileName: "long.csv" }]);
    await waitForRebuild(shop.id, done!.report!);
  });

  it("GIVEN a cancelled import's file past its week THEN it cannot be resumed, and the sweep lets the file go", async () => {
    const shop = await createTestShop({ currency: "USD" });
    const text = ordersCsv(300, 500_000);
    const queued = await startCsvImport(shop.id, "orders", { fileName: "waiting.csv", text }, { start: false });
    // Cancelled before it started: its file is kept as well, and a resume would start it.
    expect(await cancelCsvImport(shop.id, queued.id)).toBe("cancelled");
    expect(await findCsvImport(shop.id, queued.id)).toMatchObject({ fileName: "waiting.csv", resume: { state: "available" } });
    expect(JSON.parse((await db.job.findUniqueOrThrow({ where: { id: queued.id } })).input)).toMatchObject({ text });

    await db.job.update({ where: { id: queued.id }, data: { inputKeptUntil: new Date(Date.now() - 1000) } });
    expect((await findCsvImport(shop.id, queued.id))?.resume).toEqual({ state: "unavailable" });
    expect(await resumeCsvImport(shop.id, queued.id)).toEqual({ resumed: false, reason: "file_gone" });
    await resumeJobs({ shopIds: [shop.id] });
    const row = await db.job.findUniqueOrThrow({ where: { id: queued.id } });
    expect(row.inputKeptUntil).toBeNull();
    expect(JSON.parse(row.input)).toEqual({ fileName: "waiting.csv", uploadedAt: expect.any(String) as unknown });
    expect(await findCsvImport(shop.id, queued.id)).toMatchObject({ fileName: "waiting.csv", resume: { state: "unavailable" } });
    expect(await db.job.count({ where: { shopId: shop.id, kind: "import_orders_csv" } })).toBe(1);
  });

  it("GIVEN an import whose process went while it was being cancelled THEN the sweep's cancel rebuilds the recommendations from what it imported, and keeps the file for a resume", async () => {
    const shop = await createTestShop({ currency: "USD" });
    const text = ordersCsv(600, 400_000);
    // What its first batch wrote (the same orders written as an import writes them).
    await runImportText(shop.id, "orders", ordersCsv(250, 400_000));
    const queued = await startCsvImport(shop.id, "orders", { fileName: "gone.csv", text }, { start: false });
    // Its first batch written and saved, then its process went; the merchant had pressed Cancel.
    const report = { ...emptyReport("orders", "gone.csv", 1200), imported: 250, unchanged: 250, items: 500 };
    await db.job.update({
      where: { id: queued.id },
      data: { status: "cancelling", attempts: 1, leaseUntil: new Date(Date.now() - 60_000), progressDone: 501, progressTotal: 1200, checkpoint: JSON.stringify({ eventsDone: 250, rowsDone: 501, totalRows: 1200, report }) },
    });
    await resumeJobs({ shopIds: [shop.id] });
    const cancelled = await findCsvImport(shop.id, queued.id);
    expect(cancelled).toMatchObject({ status: "cancelled", progressDone: 501, report: { imported: 250 }, resume: { state: "available" } });
    await waitForRebuild(shop.id, cancelled!.report!);
  });

  it("GIVEN an import cancelled while it counts its rows THEN it stops before its first batch", async () => {
    const shop = await createTestShop({ currency: "USD" });
    const queued = await startCsvImport(shop.id, "orders", { fileName: "long.csv", text: ordersCsv(300, 700_000) }, { start: false });
    const stored = await db.job.update({ where: { id: queued.id }, data: { status: "cancelling", attempts: 1 } });
    const saved: unknown[] = [];
    const stopped = await importOrdersCsvJob({
      id: queued.id,
      shopId: shop.id,
      kind: "import_orders_csv",
      input: JSON.parse(stored.input) as unknown,
      checkpoint: null,
      attempt: stored.attempts,
      async progress(_done, _total, checkpoint) {
        saved.push(checkpoint);
      },
      // Pressed while the rows were being counted.
      cancelRequested: async () => saved.length > 0,
    }).then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect((stopped as JobCancelledError).result).toMatchObject({ rows: 600, imported: 0, rebuildJobId: null });
    expect(saved).toEqual([expect.objectContaining({ eventsDone: 0, rowsDone: 0, totalRows: 600 })]);
    expect(await db.order.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("GIVEN an import waiting for an earlier one WHEN cancelled THEN it ends cancelled at once, having written nothing, and the earlier one is untouched", async () => {
    const shop = await createTestShop({ currency: "EUR" });
    const products = await startCsvImport(shop.id, "products", { fileName: "p.csv", text: await readFile(SNOWBOARDS_PRODUCTS, "utf8") }, { start: false });
    const orders = await startCsvImport(shop.id, "orders", { fileName: "o.csv", text: await readFile(ORDERS_EXPORT, "utf8") });
    for (let i = 0; i < 200 && (await findCsvImport(shop.id, orders.id))?.status !== "running"; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await cancelCsvImport(shop.id, orders.id)).toBe("cancelling");
    const ended = await waitForJob(shop.id, orders.id, 10_000);
    expect(ended).toMatchObject({ status: "cancelled", progressDone: 0, progressTotal: null, result: null });
    expect(await db.order.count({ where: { shopId: shop.id } })).toBe(0);
    expect(await findCsvImport(shop.id, orders.id)).toMatchObject({ status: "cancelled", fileName: "o.csv", report: null });
    // The earlier import is not the cancelled one's to stop.
    expect((await findCsvImport(shop.id, products.id))?.status).toBe("queued");
    expect(await cancelCsvImport(shop.id, products.id)).toBe("cancelled");
    expect(await cancelCsvImport(shop.id, products.id)).toBeNull();
  });

  it("lets the rest of the server run between batches (the progress page is served meanwhile)", async () => {
    const shop = await createTestShop({ currency: "USD" });
    const queued = await startCsvImport(shop.id, "orders", { fileName: "o.csv", text: ordersCsv(800, 950_000) }, { start: false });
    const stored = await db.job.findUniqueOrThrow({ where: { id: queued.id } });
    // Counts turns of the event loop; a job that only ever awaited settled promises would starve it.
    let turns = 0;
    let running = true;
    const turn = () => {
      turns += 1;
      if (running) setImmediate(turn);
    };
    setImmediate(turn);
    const turnsAtCheckpoints: number[] = [];
    await importOrdersCsvJob({
      id: queued.id,
      shopId: shop.id,
      kind: "import_orders_csv",
      input: JSON.parse(stored.input) as unknown,
      checkpoint: null,
      attempt: stored.attempts,
      async progress() {
        turnsAtCheckpoints.push(turns);
      },
      cancelRequested: async () => false,
    });
    running = false;
    // One checkpoint after counting, one per full batch of 250 orders (3), one at the end.
    expect(turnsAtCheckpoints).toHaveLength(5);
    for (let index = 1; index < turnsAtCheckpoints.length; index += 1) {
      expect(turnsAtCheckpoints[index]).toBeGreaterThan(turnsAtCheckpoints[index - 1] as number);
    }
    const rebuild = await db.job.findFirst({ where: { shopId: shop.id, kind: "rebuild_recommendations" } });
    if (rebuild) await waitForJob(shop.id, rebuild.id);
  });

  it("reads order times written without an offset in the shop's time zone", async () => {
    const shop = await createTestShop();
    await db.shop.update({ where: { id: shop.id }, data: { timeZone: "America/Los_Angeles" } });
    const text = ["Name,Currency,Created at,Lineitem quantity,Lineitem name,Lineitem price", "#1,USD,2025-07-01 20:00:00,1,Mug,10.00"].join("\n");
    const job = await startCsvImport(shop.id, "orders", { fileName: "hand-made.csv", text }, { start: false });
    await runJob(job.id);
    await waitForJob(shop.id, job.id);
    expect((await findCsvImport(shop.id, job.id))?.status).toBe("done");
    // 8 pm in Los Angeles (PDT) is 3 am the next day in UTC.
    expect((await db.order.findFirstOrThrow({ where: { shopId: shop.id } })).placedAt.toISOString()).toBe("2025-07-02T03:00:00.000Z");
  });

  it("says how many orders are in another currency than the shop's, which the dashboard leaves out", async () => {
    const shop = await createTestShop({ currency: "GBP" });
    const text = [
      "Name,Currency,Created at,Lineitem quantity,Lineitem name,Lineitem price",
      "#1,GBP,2025-07-01 20:00:00 +0000,1,Mug,10.00",
      "#2,EUR,2025-07-01 21:00:00 +0000,1,Mug,12.00",
      "#3,EUR,2025-07-01 22:00:00 +0000,2,Mug,12.00",
    ].join("\n");
    const job = await startCsvImport(shop.id, "orders", { fileName: "mixed.csv", text }, { start: false });
    await runJob(job.id);
    await waitForJob(shop.id, job.id);
    const report = (await findCsvImport(shop.id, job.id))?.report;
    expect(report).toMatchObject({ imported: 3, otherCurrency: 2 });
    expect(reportFigures(report as ImportReport).find((figure) => figure.id === "otherCurrency")).toEqual({
      id: "otherCurrency",
      label: "Orders in another currency than the shop's (left out of the dashboard)",
      value: 2,
    });
  });

  it("GIVEN a file whose every row is skipped THEN its report reads as nothing imported, not as a file Upshelf already had", async () => {
    const shop = await createTestShop({ currency: "GBP" });
    const report = await runImportText(shop.id, "products", "Handle,Title,Variant Price\nvase-a,Vase A,£3.50\nvase-b,Vase B,-2\n");
    expect(report).toMatchObject({ rows: 2, imported: 0, unchanged: 0, skippedRows: 2, rebuildJobId: null });
    expect(importOutcome(report)).toBe("nothing_imported");
    expect(reportNotices(report).map((notice) => [notice.tone, notice.title])).toEqual([["critical", "No rows could be imported"]]);
    expect(outcomeBadge(importOutcome(report))).toEqual({ label: "Nothing imported: all rows skipped", tone: "critical" });
  });

  it("GIVEN orders whose line items match no product THEN the report says so and what to do; once the products are imported, the same orders file links them", async () => {
    const shop = await createTestShop({ currency: "EUR" });
    const alone = await runImport(shop.id, "orders", ORDERS_EXPORT);
    expect(alone).toMatchObject({ imported: 19, created: 19, items: 40, matched: 0, skippedRows: 0 });
    expect(reportNotices(alone).map((notice) => notice.outcome)).toEqual(["no_item_matched"]);
    expect(reportNotices(alone)[0]?.body).toContain("Import your products export first, or sync your catalog (Shopify data › Sync now), then upload this orders file again");
    expect(importTaughtRecommendations(alone)).toBe(false);
    await waitForRebuild(shop.id, alone);

    // Uploaded again as it is: still nothing matched, and nothing new either; both are said.
    const again = await runImport(shop.id, "orders", ORDERS_EXPORT);
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 19, matched: 0 });
    expect(reportNotices(again).map((notice) => notice.outcome)).toEqual(["no_item_matched", "already_had"]);

    // As the report advises: the products first, then the same orders file, whose lines now link.
    await waitForRebuild(shop.id, await runImport(shop.id, "products", SNOWBOARDS_PRODUCTS));
    const linked = await runImport(shop.id, "orders", ORDERS_EXPORT);
    expect(linked).toMatchObject({ created: 0, updated: 19, items: 40, matched: 38 });
    expect(reportNotices(linked).map((notice) => [notice.outcome, notice.title])).toEqual([["some_items_unmatched", "2 of the 40 line items matched no product"]]);
    expect(importTaughtRecommendations(linked)).toBe(true);
    await waitForRebuild(shop.id, linked);
  });

  it("fails a malformed file before writing anything, with the reason", async () => {
    const shop = await createTestShop();
    const text = 'Handle,Title,Variant Price\nmug,Mug,1.00\ncup,"Cup,2.00\n';
    const job = await startCsvImport(shop.id, "products", { fileName: "broken.csv", text }, { start: false });
    await runJob(job.id);
    await waitForJob(shop.id, job.id);
    const failed = await findCsvImport(shop.id, job.id);
    expect(failed?.status).toBe("failed");
    expect(failed?.error).toMatch(/^Line 3: a quoted field is never closed/);
    expect(failed?.fileName).toBe("broken.csv");
    expect(await db.product.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("lists and finds only the shop's own imports", async () => {
    const shop = await createTestShop();
    const other = await createTestShop();
    const text = await readFile(PRODUCTS_EXPORT, "utf8");
    const mine = await startCsvImport(shop.id, "products", { fileName: "a.csv", text }, { start: false });
    const theirs = await startCsvImport(other.id, "products", { fileName: "b.csv", text }, { start: false });
    expect((await listCsvImports(shop.id)).map((job) => job.id)).toEqual([mine.id]);
    expect(await findCsvImport(shop.id, theirs.id)).toBeNull();
    expect(await findCsvImport(shop.id, mine.id)).toMatchObject({ kind: "products", status: "queued" });
  });
});
