import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import db from "~/db.server";
import { httpAdminApi } from "~/services/admin-api.server";
import { ingestOrders, upsertProducts } from "~/services/ingest";
import { enqueueJob, waitForJob } from "~/services/jobs.server";
import { createTestShop } from "../../../tests/factories/shop";
import { startAdminApiStandIn, type AdminApiStandIn, type ReceivedGraphqlRequest } from "../../../tests/support/admin-api-stand-in";
import { runCatalogSync } from "./catalog-sync.server";
import { runOrdersBackfill } from "./orders-backfill.server";
import { bulkOrdersQuery } from "./queries";
import { listSyncJobs, syncShopOnInstall } from "./index";

const BULK_DIR = path.resolve(import.meta.dirname, "../../../tests/fixtures/bulk");
const fixture = (name: string) => fs.readFileSync(path.join(BULK_DIR, name), "utf8");
const json = (name: string, origin = "") => JSON.parse(fixture(name).replaceAll("{origin}", origin)) as unknown;

const standIns: AdminApiStandIn[] = [];
afterEach(async () => {
  await Promise.all(standIns.splice(0).map((standIn) => standIn.close()));
});

/** A job row the handler runs against, with progress saved the way the job runner saves it. */
async function jobFor(shopId: string, kind: "catalog_sync" | "orders_backfill", input: unknown = {}) {
  const row = await db.job.create({ data: { shopId, kind, status: "running", input: JSON.stringify(input) } });
  return runningJob(row.id);
}

async function runningJob(id: number) {
  const row = await db.job.findUniqueOrThrow({ where: { id } });
  return {
    id,
    shopId: row.shopId,
    input: JSON.parse(row.input) as unknown,
    checkpoint: row.checkpoint ? (JSON.parse(row.checkpoint) as unknown) : null,
    async progress(done: number, total?: number | null, checkpoint?: unknown) {
      await db.job.update({
        where: { id },
        data: {
          progressDone: done,
          ...(total !== undefined ? { progressTotal: total } : {}),
          ...(checkpoint !== undefined ? { checkpoint: JSON.stringify(checkpoint) } : {}),
        },
      });
    },
  };
}

function operationOf(request: ReceivedGraphqlRequest): string {
  return /(?:query|mutation)\s+(\w+)/.exec(request.query)?.[1] ?? "?";
}

/** The bulk query document the backfill sent (its first bulkOperationRunQuery). */
function bulkQuerySent(standIn: AdminApiStandIn): string {
  return String(standIn.requests.find((request) => operationOf(request) === "UpshelfOrdersBackfill")?.variables.query);
}

/**
 * Shopify's Admin API as recorded: catalog pages, a bulk operation that runs once then completes.
 * `current` answers currentBulkOperation (by default: the app has never run a bulk query).
 */
async function shopifyStandIn(options: { bulkRun?: string | ((request: ReceivedGraphqlRequest) => string); shop?: unknown; current?: () => unknown } = {}) {
  let polls = 0;
  let origin = "";
  const standIn = await startAdminApiStandIn((request) => {
    switch (operationOf(request)) {
      case "UpshelfShop":
        return { body: options.shop ?? json("shop.json") };
      case "UpshelfProducts":
        return { body: json(request.variables.after ? "products-page-2.json" : "products-page-1.json") };
      case "UpshelfProductVariants":
        return { body: json("product-variants-101.json") };
      case "UpshelfOrdersBackfill":
        return { body: json((typeof options.bulkRun === "function" ? options.bulkRun(request) : options.bulkRun) ?? "bulk-operation-run.json") };
      case "UpshelfCurrentBulkOperation":
        return { body: { data: { currentBulkOperation: options.current?.() ?? null } } };
      case "UpshelfBulkOperation":
        polls += 1;
        return { body: json(polls === 1 ? "bulk-operation-running.json" : "bulk-operation-completed.json", origin) };
      default:
        return { status: 400, body: { errors: [{ message: `unexpected ${request.query}` }] } };
    }
  });
  origin = standIn.origin;
  standIn.serveFile("/bulk/720918.jsonl", fixture("orders.jsonl"));
  standIns.push(standIn);
  const admin = httpAdminApi({ shop: "stand-in.myshopify.com", accessToken: "shpat_test", endpoint: standIn.endpoint });
  return { standIn, admin };
}

async function catalog(shopId: string) {
  await upsertProducts(shopId, [
    {
      shopifyId: "101",
      handle: "enamel-mug",
      title: "Enamel Mug",
      variants: [
        { shopifyId: "1011", sku: "MUG-BLUE", price: 1200, currency: "USD" },
        { shopifyId: "1012", sku: "MUG-RED", price: 1200, currency: "USD" },
      ],
    },
    { shopifyId: "202", handle: "camp-kettle", title: "Camp Kettle", variants: [{ shopifyId: "2021", sku: "KET-1", price: 3500, currency: "USD" }] },
  ]);
}

describe("catalog sync", () => {
  it("GIVEN two pages of products, one with a second page of variants WHEN synced THEN every product and variant is stored and the shop named", async () => {
    const shop = await createTestShop({ name: "placeholder" });
    const { standIn, admin } = await shopifyStandIn();
    const job = await jobFor(shop.id, "catalog_sync");
    const report = await runCatalogSync(job, admin);

    expect(report).toMatchObject({ mode: "live", products: 2, created: 2, updated: 0, unchanged: 0 });
    expect(standIn.requests.map((r) => [operationOf(r), r.variables.after ?? null])).toEqual([
      ["UpshelfShop", null],
      ["UpshelfProducts", null],
      ["UpshelfProductVariants", "eyJsYXN0X2lkIjoxMDExfQ=="],
      ["UpshelfProducts", "eyJsYXN0X2lkIjoxMDEsImxhc3RfdmFsdWUiOiIxMDEifQ=="],
    ]);
    expect(standIn.requests.every((r) => r.accessToken === "shpat_test")).toBe(true);
    const products = await db.product.findMany({ where: { shopId: shop.id }, include: { variants: { orderBy: { shopifyId: "asc" } } }, orderBy: { shopifyId: "asc" } });
    expect(products.map((p) => [p.shopifyId, p.handle, p.status, p.tags, p.imageUrl])).toEqual([
      ["101", "enamel-mug", "active", "camping, mug", "https://cdn.shopify.com/s/files/1/0000/0001/files/mug.jpg"],
      ["202", "camp-kettle", "draft", "", null],
    ]);
    expect(products.flatMap((p) => p.variants.map((v) => [v.shopifyId, v.priceAmount, v.compareAtAmount, v.inventoryQuantity, v.inventoryPolicy]))).toEqual([
      ["1011", 1200, null, 5, "deny"],
      ["1012", 1200, 1500, 0, "continue"],
      // not tracked: no inventory figure, so it never counts as sold out
      ["2021", 3500, null, null, "deny"],
    ]);
    expect(await db.shop.findUniqueOrThrow({ where: { id: shop.id } })).toMatchObject({ name: "Upshelf Test Outfitters", currency: "USD", timeZone: "America/Denver" });
    expect(await db.job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ progressDone: 2, progressTotal: 2 });

    // A second sync of the same catalog writes nothing.
    const again = await runCatalogSync(await jobFor(shop.id, "catalog_sync"), admin);
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
  });

  it("GIVEN a shop time zone this runtime does not know WHEN synced THEN the zone the shop had is kept", async () => {
    const shop = await createTestShop({ name: "placeholder" });
    await db.shop.update({ where: { id: shop.id }, data: { timeZone: "Europe/Paris" } });
    const answer = { data: { shop: { name: "Renamed Outfitters", currencyCode: "EUR", ianaTimezone: "Mars/Olympus_Mons" }, productsCount: { count: 2 } } };
    const { admin } = await shopifyStandIn({ shop: answer });
    await runCatalogSync(await jobFor(shop.id, "catalog_sync"), admin);
    expect(await db.shop.findUniqueOrThrow({ where: { id: shop.id } })).toMatchObject({ name: "Renamed Outfitters", currency: "EUR", timeZone: "Europe/Paris" });
  });

  it("GIVEN a sync cut off after its first page WHEN resumed THEN it continues from the saved cursor", async () => {
    const shop = await createTestShop();
    const { standIn, admin } = await shopifyStandIn();
    const row = await db.job.create({
      data: {
        shopId: shop.id,
        kind: "catalog_sync",
        status: "running",
        checkpoint: JSON.stringify({ cursor: "eyJsYXN0X2lkIjoxMDEsImxhc3RfdmFsdWUiOiIxMDEifQ==", done: 1, created: 1, updated: 0, unchanged: 0 }),
      },
    });
    const report = await runCatalogSync(await runningJob(row.id), admin);
    expect(standIn.requests.map(operationOf)).toEqual(["UpshelfShop", "UpshelfProducts"]);
    expect(report).toMatchObject({ products: 2, created: 2 });
    expect(await db.product.findMany({ where: { shopId: shop.id }, select: { shopifyId: true } })).toEqual([{ shopifyId: "202" }]);
  });
});

describe("order backfill", () => {
  it("GIVEN a completed bulk operation WHEN its JSONL is streamed THEN orders are grouped with their line items, attributed and stored once", async () => {
    const shop = await createTestShop();
    await catalog(shop.id);
    const { standIn, admin } = await shopifyStandIn();
    const job = await jobFor(shop.id, "orders_backfill", { pollIntervalMs: 1, batchSize: 1 });
    const report = await runOrdersBackfill(job, { admin });

    expect(standIn.requests.map(operationOf)).toEqual(["UpshelfCurrentBulkOperation", "UpshelfOrdersBackfill", "UpshelfBulkOperation", "UpshelfBulkOperation"]);
    const bulkQuery = bulkQuerySent(standIn);
    expect(bulkQuery).toMatch(/lineItems\s*\{\s*edges\s*\{\s*node/);
    expect(bulkQuery).toMatch(/customer \{ id \}\s*customAttributes \{ key value \}/);
    expect(bulkQuery).toContain(`orders(query: "test:false")`); // no date filter: the whole history, test orders left out
    // 5001's kettle line arrives after 5002 started: 5001 is stored again with it (updated: 1).
    expect(report).toMatchObject({ mode: "live", bulkOperationId: "gid://shopify/BulkOperation/720918", lines: 13, created: 5, updated: 1, skipped: 0, invalidRows: 0, orphanLines: 1 });

    const orders = await db.order.findMany({
      where: { shopId: shop.id },
      orderBy: { shopifyId: "asc" },
      include: { lines: { orderBy: { id: "asc" }, include: { variant: true } } },
    });
    expect(orders.map((o) => [o.shopifyId, o.name, o.totalAmount, o.discountAmount, o.customerId, o.cancelledAt !== null])).toEqual([
      ["5001", "#1001", 5200, 0, "9001", false],
      ["5002", "#1002", 3500, 0, null, false],
      ["5003", "#1003", 2160, 240, "9002", true],
      ["5004", "#1004", 2000, 0, "9001", false],
      ["5005", "#1005", 4700, 0, null, false],
    ]);
    expect(orders[0]?.lines.map((l) => [l.variant?.shopifyId, l.upshelfOffer, l.upshelfPlacement])).toEqual([
      ["1011", null, null],
      ["2021", "off_camp_bundle", "cart"],
    ]);
    // The order's own attributes, as the webhooks read them: the holdout test's mark, and the
    // thank-you block's link crediting the product it added.
    expect(orders.map((o) => [o.shopifyId, o.experimentKey, o.experimentVisitor])).toEqual([
      ["5001", "k3yab", "visitor-0001"],
      ["5002", null, null],
      ["5003", null, null],
      ["5004", null, null],
      ["5005", null, null],
    ]);
    expect(orders[1]?.lines.map((l) => [l.variant?.shopifyId, l.upshelfPlacement])).toEqual([["2021", "thank_you"]]);
    // 5005's kettle was added after checkout (an order edit): its subtotal is what its lines cost now.
    expect(orders[4]?.subtotalAmount).toBe(4700);
    expect(orders[2]?.lines.map((l) => [l.variant?.shopifyId, l.quantity, l.discountAmount])).toEqual([["1012", 2, 240]]);
    expect(orders[3]?.lines.map((l) => [l.title, l.productId])).toEqual([["Retired Lantern", null]]);
    expect(await db.job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ progressDone: 13, progressTotal: 13 });

    // Running the backfill again (a new bulk operation, same history) changes nothing.
    const again = await runOrdersBackfill(await jobFor(shop.id, "orders_backfill", { pollIntervalMs: 1 }), { admin });
    expect(again).toMatchObject({ created: 0, updated: 0, skipped: 5 });
    expect(await db.orderLine.count({ where: { shopId: shop.id } })).toBe(7);
  });

  it("GIVEN a download cut off mid-file WHEN the job resumes THEN it reuses the bulk operation and reads on from the checkpoint", async () => {
    const shop = await createTestShop();
    await catalog(shop.id);
    const { standIn, admin } = await shopifyStandIn();
    const job = await jobFor(shop.id, "orders_backfill", { pollIntervalMs: 1, batchSize: 1 });

    // The connection drops after nine lines (0-8): 5004 (line 7) is read but not yet stored.
    const downloads: string[] = [];
    const droppingFetch: typeof fetch = async (url) => {
      downloads.push(String(url));
      const text = await (await fetch(url)).text();
      const head = new TextEncoder().encode(text.split("\n").slice(0, 9).join("\n") + "\n");
      let pulls = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (pulls++ === 0) controller.enqueue(head);
          else controller.error(new Error("socket hang up"));
        },
      });
      return new Response(body, { status: 200 });
    };
    await expect(runOrdersBackfill(job, { admin, fetch: droppingFetch })).rejects.toThrow("socket hang up");

    const saved = await db.job.findUniqueOrThrow({ where: { id: job.id } });
    const checkpoint = JSON.parse(saved.checkpoint ?? "null") as { bulkOperationId: string; lineOffset: number; counts: { created: number } };
    expect(checkpoint).toMatchObject({ bulkOperationId: "gid://shopify/BulkOperation/720918", lineOffset: 7, counts: { created: 3 } });
    expect((await db.order.findMany({ where: { shopId: shop.id }, select: { shopifyId: true }, orderBy: { shopifyId: "asc" } })).map((o) => o.shopifyId)).toEqual(["5001", "5002", "5003"]);

    const requestsBefore = standIn.requests.length;
    const report = await runOrdersBackfill(await runningJob(job.id), { admin, fetch: async (url) => (downloads.push(String(url)), fetch(url)) });
    // No second bulk operation: only the status poll, then the download again.
    expect(standIn.requests.slice(requestsBefore).map(operationOf)).toEqual(["UpshelfBulkOperation"]);
    expect(downloads).toHaveLength(2);
    // Lines before the checkpoint were not ingested again (they would count as skipped).
    expect(report).toMatchObject({ lines: 13, created: 5, updated: 1, skipped: 0, orphanLines: 1 });
    expect(await db.order.count({ where: { shopId: shop.id } })).toBe(5);
    expect(await db.orderLine.count({ where: { shopId: shop.id } })).toBe(7);
  });

  it("GIVEN an order whose line item arrives after a restart WHEN resumed THEN the stored order gets the line", async () => {
    const shop = await createTestShop();
    await catalog(shop.id);
    const { admin } = await shopifyStandIn();
    // Checkpoint at line 4: 5001 was stored with one line; its kettle line (line 4) comes next.
    const first = await jobFor(shop.id, "orders_backfill", { pollIntervalMs: 1, batchSize: 1 });
    const head = fixture("orders.jsonl").split("\n").slice(0, 2).join("\n");
    // Store 5001 with its first line only, as the interrupted run had.
    const onlyFirst: typeof fetch = async () => new Response(head + "\n", { status: 200 });
    await runOrdersBackfill(first, { admin, fetch: onlyFirst });
    expect(await db.orderLine.count({ where: { shopId: shop.id } })).toBe(1);

    const row = await db.job.create({
      data: {
        shopId: shop.id,
        kind: "orders_backfill",
        status: "running",
        input: JSON.stringify({ pollIntervalMs: 1, batchSize: 1 }),
        checkpoint: JSON.stringify({ bulkOperationId: "gid://shopify/BulkOperation/720918", lineOffset: 4, counts: { created: 1, updated: 0, skipped: 0, invalidRows: 0, orphanLines: 0 } }),
      },
    });
    const report = await runOrdersBackfill(await runningJob(row.id), { admin });
    expect(report).toMatchObject({ updated: 1, orphanLines: 1 });
    const order = await db.order.findFirstOrThrow({ where: { shopId: shop.id, shopifyId: "5001" }, include: { lines: { orderBy: { id: "asc" } } } });
    expect(order.lines.map((l) => [l.title, l.upshelfOffer])).toEqual([["Enamel Mug", null], ["Camp Kettle", "off_camp_bundle"]]);
  });

  it("GIVEN an order a webhook stored in a newer state than the bulk operation's snapshot WHEN the backfill reaches it THEN the newer state is kept", async () => {
    const shop = await createTestShop();
    await catalog(shop.id);
    // After the snapshot (5001 updated 10:00), the buyer accepted a post-purchase offer: orders/updated
    // (10:20) stored the order with a third line.
    const line = (shopifyVariantId: string, title: string, unitPrice: number) => ({ shopifyVariantId, title, quantity: 1, unitPrice, refunded: 0, properties: {} });
    await ingestOrders(shop.id, [
      {
        shopifyId: "5001", name: "#1001", currency: "USD", subtotal: 5900, total: 6400, customerId: "9001",
        placedAt: new Date("2024-11-02T10:00:00Z"), updatedAt: new Date("2024-11-02T10:20:00Z"),
        lines: [line("1011", "Enamel Mug", 1200), line("2021", "Camp Kettle", 3500), line("1012", "Enamel Mug", 1200)],
      },
    ]);
    const { standIn, admin } = await shopifyStandIn();
    const report = await runOrdersBackfill(await jobFor(shop.id, "orders_backfill", { pollIntervalMs: 1, batchSize: 1 }), { admin });
    expect(bulkQuerySent(standIn)).toMatch(/processedAt updatedAt/);
    expect(report).toMatchObject({ created: 4, updated: 0 });
    const order = await db.order.findFirstOrThrow({ where: { shopId: shop.id, shopifyId: "5001" }, include: { lines: { orderBy: { id: "asc" } } } });
    expect(order.lines.map((l) => l.shopifyVariantId)).toEqual(["1011", "2021", "1012"]);
    expect(order).toMatchObject({ subtotalAmount: 5900, sourceUpdatedAt: new Date("2024-11-02T10:20:00Z") });
  });

  it("reports Shopify's refusal to start a second bulk operation clearly", async () => {
    const shop = await createTestShop();
    const { admin } = await shopifyStandIn({ bulkRun: "bulk-operation-already-running.json" });
    await expect(runOrdersBackfill(await jobFor(shop.id, "orders_backfill", { pollIntervalMs: 1 }), { admin })).rejects.toThrow(
      "Shopify refused the order backfill: A bulk query operation for this app and shop is already in progress",
    );
  });

  /**
   * Shopify running one bulk query per app and shop: it accepts a bulkOperationRunQuery (as
   * 720918) and refuses another while that one runs; currentBulkOperation answers the app's latest,
   * `earlier` until one is accepted.
   */
  function oneBulkQueryAtATime(earlier: { id: string; status: string; query: string } | null = null) {
    const shopify = { accepted: null as string | null, status: "RUNNING" };
    return {
      shopify,
      bulkRun: (request: ReceivedGraphqlRequest) => {
        if (shopify.accepted !== null && shopify.status === "RUNNING") return "bulk-operation-already-running.json";
        shopify.accepted = String(request.variables.query);
        return "bulk-operation-run.json";
      },
      current: () => (shopify.accepted === null ? earlier : { id: "gid://shopify/BulkOperation/720918", status: shopify.status, query: shopify.accepted }),
    };
  }

  /** The job as seen by a process that dies the moment it would save the bulk operation's id. */
  async function dyingOnceStarted(id: number) {
    const job = await runningJob(id);
    return {
      ...job,
      async progress(done: number, total?: number | null, checkpoint?: unknown) {
        if (typeof checkpoint === "object" && checkpoint !== null && "bulkOperationId" in checkpoint) throw new Error("process killed");
        await job.progress(done, total, checkpoint);
      },
    };
  }

  it("GIVEN a run cut off right after Shopify accepted its bulk operation WHEN the job resumes THEN it adopts that operation instead of being refused", async () => {
    const shop = await createTestShop();
    await catalog(shop.id);
    const shopify = oneBulkQueryAtATime();
    const { standIn, admin } = await shopifyStandIn(shopify);
    // Recent orders only: the document names a time, so the resumed run must send the one it sent before.
    const job = await jobFor(shop.id, "orders_backfill", { pollIntervalMs: 1, batchSize: 1, sinceDays: 3650 });
    await expect(runOrdersBackfill(await dyingOnceStarted(job.id), { admin })).rejects.toThrow("process killed");
    expect(shopify.shopify.accepted).toContain("created_at:>=");

    const before = standIn.requests.length;
    const report = await runOrdersBackfill(await runningJob(job.id), { admin });
    // No second bulkOperationRunQuery, which Shopify would refuse: the accepted one is found and read.
    expect(standIn.requests.slice(before).map(operationOf)).toEqual(["UpshelfCurrentBulkOperation", "UpshelfBulkOperation", "UpshelfBulkOperation"]);
    expect(report).toMatchObject({ bulkOperationId: "gid://shopify/BulkOperation/720918", lines: 13, created: 5, updated: 1 });
    expect(await db.order.count({ where: { shopId: shop.id } })).toBe(5);
  });

  it("GIVEN the accepted operation completed while the app was down WHEN the job resumes THEN it is read, not the earlier backfill's with the same document", async () => {
    const shop = await createTestShop();
    await catalog(shop.id);
    const earlier = { id: "gid://shopify/BulkOperation/700001", status: "COMPLETED", query: bulkOrdersQuery(null) };
    const shopify = oneBulkQueryAtATime(earlier);
    const { standIn, admin } = await shopifyStandIn(shopify);
    const job = await jobFor(shop.id, "orders_backfill", { pollIntervalMs: 1, batchSize: 1 });
    await expect(runOrdersBackfill(await dyingOnceStarted(job.id), { admin })).rejects.toThrow("process killed");
    shopify.shopify.status = "COMPLETED";

    const before = standIn.requests.length;
    const report = await runOrdersBackfill(await runningJob(job.id), { admin });
    expect(standIn.requests.slice(before).map(operationOf)).not.toContain("UpshelfOrdersBackfill");
    expect(report).toMatchObject({ bulkOperationId: "gid://shopify/BulkOperation/720918", created: 5 });
  });

  it("GIVEN a run cut off before its bulkOperationRunQuery reached Shopify WHEN the job resumes THEN it starts one, not adopting the earlier backfill's", async () => {
    const shop = await createTestShop();
    await catalog(shop.id);
    const earlier = { id: "gid://shopify/BulkOperation/700001", status: "COMPLETED", query: bulkOrdersQuery(null) };
    const { standIn, admin } = await shopifyStandIn(oneBulkQueryAtATime(earlier));
    const row = await db.job.create({
      data: {
        shopId: shop.id,
        kind: "orders_backfill",
        status: "running",
        input: JSON.stringify({ pollIntervalMs: 1 }),
        checkpoint: JSON.stringify({ startingQuery: bulkOrdersQuery(null), startingAfter: earlier.id }),
      },
    });
    const report = await runOrdersBackfill(await runningJob(row.id), { admin });
    expect(standIn.requests.map(operationOf)).toEqual(["UpshelfCurrentBulkOperation", "UpshelfOrdersBackfill", "UpshelfBulkOperation", "UpshelfBulkOperation"]);
    expect(report).toMatchObject({ bulkOperationId: "gid://shopify/BulkOperation/720918", created: 5 });
  });

  it("GIVEN a bulk query running the same document WHEN a backfill starts THEN it adopts it; GIVEN another bulk query of the app running THEN it waits for it to end", async () => {
    const shop = await createTestShop();
    await catalog(shop.id);
    // Shopify may give the document back spaced its own way.
    const same = { id: "gid://shopify/BulkOperation/720918", status: "RUNNING", query: bulkOrdersQuery(null).replace(/\s+/g, " ").replaceAll(" {", "{") };
    const adopting = await shopifyStandIn({ current: () => same, bulkRun: "bulk-operation-already-running.json" });
    const adopted = await runOrdersBackfill(await jobFor(shop.id, "orders_backfill", { pollIntervalMs: 1 }), { admin: adopting.admin });
    expect(adopting.standIn.requests.map(operationOf)).toEqual(["UpshelfCurrentBulkOperation", "UpshelfBulkOperation", "UpshelfBulkOperation"]);
    expect(adopted).toMatchObject({ bulkOperationId: same.id, created: 5 });

    let looks = 0;
    const other = (status: string) => ({ id: "gid://shopify/BulkOperation/690000", status, query: "{ products { edges { node { id } } } }" });
    const waiting = await shopifyStandIn({ current: () => other(++looks <= 2 ? "RUNNING" : "COMPLETED") });
    const waits: number[] = [];
    const report = await runOrdersBackfill(await jobFor(shop.id, "orders_backfill", { pollIntervalMs: 7 }), {
      admin: waiting.admin,
      sleep: async (ms) => void waits.push(ms),
    });
    expect(waiting.standIn.requests.map(operationOf)).toEqual([
      "UpshelfCurrentBulkOperation",
      "UpshelfCurrentBulkOperation",
      "UpshelfCurrentBulkOperation",
      "UpshelfOrdersBackfill",
      "UpshelfBulkOperation",
      "UpshelfBulkOperation",
    ]);
    expect(waits).toEqual([7, 7, 7]);
    expect(report).toMatchObject({ bulkOperationId: "gid://shopify/BulkOperation/720918", skipped: 5 });
  });

  it("limits the bulk query to recent orders when asked", async () => {
    const shop = await createTestShop();
    const { standIn, admin } = await shopifyStandIn();
    await runOrdersBackfill(await jobFor(shop.id, "orders_backfill", { pollIntervalMs: 1, sinceDays: 30 }), { admin });
    expect(bulkQuerySent(standIn)).toMatch(/orders\(query: "created_at:>=\d{4}-\d\d-\d\dT[^"]* test:false"\)/);
  });
});

describe("sync jobs through the job runner (demo mode: recorded, not sent)", () => {
  it("GIVEN a newly installed shop WHEN the install sync runs THEN catalog and backfill calls are recorded and listed", async () => {
    const shop = await createTestShop();
    const started = await syncShopOnInstall(shop.id);
    expect(started?.kind).toBe("catalog_sync");
    const catalogJob = await waitForJob(shop.id, started!.id);
    expect(catalogJob).toMatchObject({ status: "done", result: { mode: "recording" } });

    const backfill = await db.job.findFirstOrThrow({ where: { shopId: shop.id, kind: "orders_backfill" } });
    expect(await waitForJob(shop.id, backfill.id)).toMatchObject({ status: "done", result: { mode: "recording" } });
    const calls = await db.recordedAdminCall.findMany({ where: { shopId: shop.id }, orderBy: { id: "asc" } });
    expect(calls.map((call) => call.operation)).toEqual(["Shop", "Products", "OrdersBackfill"]);
    expect(JSON.parse(calls[2]!.variables)).toMatchObject({ query: expect.stringContaining("lineItems") });

    // Installed before: no second automatic sync; a reinstall starts one.
    expect(await syncShopOnInstall(shop.id)).toBeNull();
    const listed = await listSyncJobs(shop.id);
    expect(listed.map((j) => [j.kind, j.status])).toEqual([["orders_backfill", "done"], ["catalog_sync", "done"]]);
    expect(listed[1]?.message).toContain("Demo shop");
    const reinstall = await syncShopOnInstall(shop.id, { reinstalled: true });
    expect(reinstall?.kind).toBe("catalog_sync");
    await waitForJob(shop.id, reinstall!.id);
  });

  it("fails a job whose input is wrong, naming the field, and keeps other shops' jobs apart", async () => {
    const shop = await createTestShop();
    const other = await createTestShop();
    const job = await enqueueJob(shop.id, "catalog_sync", { thenBackfill: "yes" });
    const finished = await waitForJob(shop.id, job.id);
    expect(finished.status).toBe("failed");
    expect(finished.error).toContain("thenBackfill");
    expect(await listSyncJobs(other.id)).toEqual([]);
  });
});
