/**
 * Queries whose cost must not grow with the shop's history: each reads an index range, not every
 * row of the shop. The SQL is what Prisma actually sends (captured from its query log), asked of
 * SQLite with EXPLAIN QUERY PLAN. SQLite plans without statistics, so the plan does not depend on
 * how many rows the test wrote.
 */
import { describe, expect, it } from "vitest";
import { createDriverAdapter, databaseProvider, databaseUrl } from "~/db-adapter.server";
import { PrismaClient } from "~/generated/prisma/sqlite/client";

const sqlite = databaseProvider(databaseUrl()) === "sqlite";

// The app's modules use this client (db.server.ts reuses globalThis.upshelfDb), so every query
// they send is logged here. Set before they are imported.
const sent: { query: string; params: unknown[] }[] = [];
if (sqlite) {
  const client = new PrismaClient({ adapter: createDriverAdapter(databaseUrl()) as never, log: [{ emit: "event", level: "query" }] });
  client.$on("query", (event) => sent.push({ query: event.query, params: JSON.parse(event.params) as unknown[] }));
  (globalThis as { upshelfDb?: unknown }).upshelfDb = client;
}

const { default: db } = await import("~/db.server");
const { createTestShop } = await import("../../tests/factories/shop");
const { createTestProduct } = await import("../../tests/factories/catalog");
const { productCardPages } = await import("./catalog.server");
const { orderHistoryPages } = await import("./order-history.server");
const { aggregateRecommendationFeedback, purgeExpiredWidgetEvents, recordWidgetEvents } = await import("./widget-event.server");
const { listWebhookDeliveries } = await import("~/services/webhooks/deliveries.server");
const { pruneWebhookDeliveries } = await import("~/services/webhooks/retention.server");
const { offerPerformance, searchCatalog } = await import("~/services/offer-admin.server");
const { searchProducts } = await import("~/services/recommendations-preview.server");
const { attributedLinesPlacedIn, orderTotalsPerDay } = await import("./order-totals.server");
const { countEventsByKey, countEventsInPlacementsByKey, countEventsPerDay } = await import("./widget-event.server");
const { findProductsMatching } = await import("./product-search.server");
const { exportCustomerData, redactCustomer } = await import("~/services/webhooks/customer-data.server");
const { ingestOrders } = await import("~/services/ingest");
const { followsAnsweredCheckout, recordCheckoutOutcome } = await import("./checkout-outcome.server");

/** The plans of the queries on `table` sent while `run` ran. */
async function plansOf(table: string, run: () => Promise<unknown>): Promise<string[]> {
  sent.length = 0;
  await run();
  const queries = sent.filter((entry) => entry.query.startsWith("SELECT") && entry.query.includes(`FROM \`main\`.\`${table}\``));
  expect(queries.length).toBeGreaterThan(0);
  return Promise.all(
    queries.map(async ({ query, params }) => {
      const rows = await db.$queryRawUnsafe<{ detail: string }[]>(`EXPLAIN QUERY PLAN ${query}`, ...params);
      return rows.map((row) => row.detail).join("\n");
    }),
  );
}

/** The plans of every SELECT sent while `run` ran (raw SQL included), one per statement. */
async function plansOfEverySelect(run: () => Promise<unknown>): Promise<string[]> {
  sent.length = 0;
  await run();
  const queries = sent.filter((entry) => /^\s*SELECT/.test(entry.query));
  expect(queries.length).toBeGreaterThan(0);
  return Promise.all(
    queries.map(async ({ query, params }) =>
      (await db.$queryRawUnsafe<{ detail: string }[]>(`EXPLAIN QUERY PLAN ${query}`, ...params)).map((row) => row.detail).join("\n"),
    ),
  );
}

const DAY = 86_400_000;
const FUNNEL = ["impression", "click", "add_to_cart", "offer_shown", "offer_accepted"];

describe.runIf(sqlite)("query plans on SQLite", () => {
  it("the Shopify data page's latest webhook deliveries: the shop's newest ids, without sorting all its deliveries", async () => {
    const shop = await createTestShop();
    for (const [index, topic] of ["orders/create", "products/update"].entries()) {
      await db.webhookDelivery.create({ data: { shopId: shop.id, webhookId: `wh-${index}`, topic, payload: "{}" } });
    }
    const plans = await plansOf("WebhookDelivery", async () => expect(await listWebhookDeliveries(shop.id, 10)).toHaveLength(2));
    for (const plan of plans) {
      expect(plan).toContain("WebhookDelivery_shopId_id_idx (shopId=?)");
      expect(plan).not.toContain("TEMP B-TREE FOR ORDER BY");
    }
  });

  it("webhook retention reads one shop's expired deliveries of one status from the index range, not the shop's or the table's other rows", async () => {
    const shop = await createTestShop();
    const longAgo = new Date(Date.UTC(2020, 0, 1));
    // Two of each: SQLite plans a delete of several ids differently from a delete of one.
    const kinds = [["done", "orders/create"], ["failed", "orders/create"], ["done", "customers/data_request"], ["pending", "orders/create"]];
    for (const [index, [status, topic]] of [...kinds, ...kinds].entries()) {
      await db.webhookDelivery.create({ data: { shopId: shop.id, webhookId: `old-${index}`, topic: topic!, status: status!, payload: "{}", receivedAt: longAgo } });
    }
    const plans = await plansOf("WebhookDelivery", async () => expect(await pruneWebhookDeliveries({ shopIds: [shop.id] })).toBe(6));
    // One read per rule: processed, answered data requests, failed.
    expect(plans.length).toBeGreaterThanOrEqual(3);
    for (const plan of plans) {
      expect(plan).toContain("WebhookDelivery_status_shopId_receivedAt_idx (status=? AND shopId=? AND receivedAt<?)");
      // A batch is the first rows of the range, not the whole expired range sorted.
      expect(plan).not.toContain("TEMP B-TREE");
    }
    // Each batch is deleted by its ids, not by walking the expired range again.
    const deletes = sent.filter((entry) => entry.query.startsWith("DELETE FROM `main`.`WebhookDelivery`"));
    expect(deletes.length).toBeGreaterThanOrEqual(3);
    for (const { query, params } of deletes) {
      const plan = (await db.$queryRawUnsafe<{ detail: string }[]>(`EXPLAIN QUERY PLAN ${query}`, ...params)).map((row) => row.detail).join("\n");
      expect(plan).toMatch(/INTEGER PRIMARY KEY \(rowid=\?\)|WebhookDelivery_shopId_id_idx \(shopId=\? AND id=\?/);
    }
  });

  it("customers/redact unlinks the customer's orders and the named ones each through its index, not by reading every order of the shop", async () => {
    const shop = await createTestShop();
    sent.length = 0;
    await redactCustomer({ shopId: shop.id, customerId: "7", orderIds: ["1", "2"] });
    const updates = sent.filter((entry) => entry.query.startsWith("UPDATE `main`.`Order`"));
    expect(updates).toHaveLength(2);
    const plans = await Promise.all(
      updates.map(async ({ query, params }) =>
        (await db.$queryRawUnsafe<{ detail: string }[]>(`EXPLAIN QUERY PLAN ${query}`, ...params)).map((row) => row.detail).join("\n"),
      ),
    );
    expect(plans[0]).toContain("Order_shopId_customerId_idx (shopId=? AND customerId=?)");
    expect(plans[1]).toContain("Order_shopId_shopifyId_key (shopId=? AND shopifyId=?)");
    for (const plan of plans) expect(plan).not.toMatch(/SCAN|\(shopId=\?\)/);
  });

  it("customers/data_request reads the customer's orders and the named ones each through its index, and their lines by order, not every order of the shop", async () => {
    const shop = await createTestShop();
    for (const [shopifyId, customerId] of [["1", "7"], ["2", null], ["3", "8"]] as const) {
      await db.order.create({
        data: {
          shopId: shop.id, shopifyId, name: `#${shopifyId}`, customerId, currency: "USD", subtotalAmount: 100, totalAmount: 100, placedAt: new Date(Date.UTC(2020, 0, Number(shopifyId))),
          lines: { create: { shopId: shop.id, title: "Mug", quantity: 1, unitPriceAmount: 100, currency: "USD" } },
        },
      });
    }
    const orders = await plansOf("Order", async () => expect((await exportCustomerData({ shopId: shop.id, customerId: "7", orderIds: ["2"] })).orders.map((order) => order.shopifyId)).toEqual(["1", "2"]));
    expect(orders).toHaveLength(2);
    expect(orders[0]).toContain("Order_shopId_customerId_idx (shopId=? AND customerId=?)");
    expect(orders[1]).toContain("Order_shopId_shopifyId_key (shopId=? AND shopifyId=?)");
    for (const plan of orders) expect(plan).not.toMatch(/SCAN|\(shopId=\?\)/);
    const lines = await plansOf("OrderLine", () => exportCustomerData({ shopId: shop.id, customerId: "7", orderIds: ["2"] }));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/OrderLine_orderId_\w+ \(orderId=\?\)/);
    expect(lines[0]).not.toMatch(/SCAN/);
  });

  it("storing orders looks up the redactions covering them through their indexes, one read per kind for the whole batch", async () => {
    const shop = await createTestShop();
    await redactCustomer({ shopId: shop.id, customerId: "c1", orderIds: ["9"] });
    const orders = ["1", "2", "3"].map((id) => ({ shopifyId: id, name: `#${id}`, currency: "USD", subtotal: 100, total: 100, placedAt: new Date(Date.UTC(2020, 0, 1)), customerId: `c${id}`, lines: [] }));
    sent.length = 0;
    await ingestOrders(shop.id, orders);
    const lookups = sent.filter((entry) => /^SELECT .* FROM `main`.`(RedactedOrder|CustomerRedaction)`/.test(entry.query));
    expect(lookups).toHaveLength(2);
    const plans = await Promise.all(
      lookups.map(async ({ query, params }) =>
        (await db.$queryRawUnsafe<{ detail: string }[]>(`EXPLAIN QUERY PLAN ${query}`, ...params)).map((row) => row.detail).join("\n"),
      ),
    );
    expect(plans[0]).toContain("RedactedOrder_shopId_shopifyId_idx (shopId=? AND shopifyId=?)");
    expect(plans[1]).toContain("COVERING INDEX CustomerRedaction_shopId_customerId_redactedAt_idx (shopId=? AND customerId=?)");
    for (const plan of plans) expect(plan).not.toMatch(/SCAN|TEMP B-TREE/);
    expect((await db.order.findMany({ where: { shopId: shop.id }, orderBy: { shopifyId: "asc" } })).map((order) => order.customerId)).toEqual([null, "c2", "c3"]);
  });

  it("the widget event purge reads one shop's expired events a placement and kind at a time from the index range, oldest first", async () => {
    const shop = await createTestShop();
    const event = { kind: "impression" as const, placement: "pdp" as const, anchorProductId: null, productId: "1", offerId: null, propensity: null, modelVersion: null };
    await recordWidgetEvents(shop.id, [event, event], new Date(Date.UTC(2020, 0, 1)));
    const plans = await plansOf("WidgetEvent", async () => expect(await purgeExpiredWidgetEvents({ shopIds: [shop.id], now: new Date(Date.UTC(2026, 0, 1)) })).toBe(2));
    for (const plan of plans) {
      expect(plan).toContain("WidgetEvent_shopId_placement_kind_occurredAt_keys_idx (shopId=? AND placement=? AND kind=? AND occurredAt<?)");
      expect(plan).not.toContain("TEMP B-TREE");
    }
  });

  it("a thank-you page finds the post-purchase answers of its lines in the last minutes from their index, not by reading the shop's answers", async () => {
    const shop = await createTestShop();
    const now = new Date();
    const lines = [{ variantId: "11", quantity: 2 }, { variantId: "22", quantity: 1 }];
    await recordCheckoutOutcome(shop.id, "post_purchase", "ref-plan", "offer_declined", now, lines);
    const plans = await plansOf("CheckoutOutcome", async () => expect(await followsAnsweredCheckout(shop.id, "gid://shopify/OrderIdentity/1", lines, now, { mayTake: true })).toBe(true));
    expect(plans).toHaveLength(2);
    expect(plans[0]).toContain("CheckoutOutcome_shopId_thankYouReferenceId_key (shopId=? AND thankYouReferenceId=?)");
    expect(plans[1]).toMatch(/CheckoutOutcome_shopId_surface_purchaseDigest_createdAt_idx \(shopId=\? AND surface=\? AND purchaseDigest=\? AND createdAt>\?\)/);
  });

  it("the feedback refresh reads only the events after the ids it already counted", async () => {
    const shop = await createTestShop();
    const event = { kind: "impression" as const, placement: "pdp" as const, anchorProductId: "1", productId: "2", offerId: null, propensity: null, modelVersion: null };
    await recordWidgetEvents(shop.id, [event, event], new Date());
    const first = await aggregateRecommendationFeedback(shop.id, 0);
    await recordWidgetEvents(shop.id, [event], new Date());
    const plans = await plansOf("WidgetEvent", async () => {
      const next = await aggregateRecommendationFeedback(shop.id, first.throughId);
      expect(next.rows.map((row) => row.count)).toEqual([1]);
    });
    expect(plans).toHaveLength(2);
    for (const plan of plans) expect(plan).toMatch(/WidgetEvent_shopId_id_idx \(shopId=\? AND id>\?/);
  });

  it("the catalog's later pages start at the last id read, without sorting the whole catalog", async () => {
    const shop = await createTestShop();
    for (const title of ["A", "B", "C"]) await createTestProduct(shop.id, { title, price: 100 });
    const plans = await plansOf("Product", async () => {
      const pages = [];
      for await (const page of productCardPages(shop.id, 2)) pages.push(page.length);
      expect(pages).toEqual([2, 1]);
    });
    const later = plans.slice(1);
    expect(later.length).toBeGreaterThan(0);
    for (const plan of later) {
      expect(plan).toContain("Product_shopId_id_search_idx (shopId=? AND id>?)");
      expect(plan).not.toContain("TEMP B-TREE");
    }
  });

  it("the order history's later pages start at the last order read, not at the shop's first order", async () => {
    const shop = await createTestShop();
    const placedAt = [1, 2, 2, 3].map((day) => new Date(Date.UTC(2030, 0, day)));
    for (const [index, at] of placedAt.entries()) {
      await db.order.create({ data: { shopId: shop.id, shopifyId: String(index + 1), name: `#${index + 1}`, currency: "USD", subtotalAmount: 100, totalAmount: 100, placedAt: at } });
    }
    const plans = await plansOf("Order", async () => {
      const read: string[] = [];
      // Pages of two: the tie on day 2 falls across the first page's end.
      for await (const page of orderHistoryPages(shop.id, 2)) read.push(...page.map((order) => order.id));
      expect(read).toEqual(["1", "2", "3", "4"]);
    });
    const later = plans.slice(1);
    expect(later.length).toBeGreaterThan(0);
    for (const plan of later) expect(plan).toContain("Order_shopId_placedAt_totals_idx (shopId=? AND placedAt>?)");
  });

  it("an offer list's refund capping finds the refunded orders from the offers' lines, not by reading every order", async () => {
    const shop = await createTestShop();
    const order = await db.order.create({
      data: { shopId: shop.id, shopifyId: "1", name: "#1", currency: "USD", subtotalAmount: 1000, totalAmount: 1000, refundedAmount: 900, placedAt: new Date() },
    });
    await db.orderLine.create({
      data: { shopId: shop.id, orderId: order.id, title: "Mug", quantity: 1, unitPriceAmount: 1000, currency: "USD", upshelfOffer: "off_1" },
    });
    sent.length = 0;
    // The order kept 100 of the line's 1,000: the cap applies.
    expect(await offerPerformance(shop.id, ["off_1"], "USD")).toEqual(new Map([["off_1", { units: 1, revenue: 100 }]]));
    const queries = sent.filter((entry) => entry.query.startsWith("SELECT"));
    const plans = await Promise.all(
      queries.map(async ({ query, params }) =>
        (await db.$queryRawUnsafe<{ detail: string }[]>(`EXPLAIN QUERY PLAN ${query}`, ...params)).map((row) => row.detail).join("\n"),
      ),
    );
    expect(plans.join("\n")).toContain("OrderLine_shopId_upshelfOffer_idx (shopId=? AND upshelfOffer=?)");
    // Orders are only ever looked up by id.
    for (const plan of plans) expect(plan).not.toMatch(/(SCAN|SEARCH) (main\.)?Order (?!USING INTEGER PRIMARY KEY)/);
  });

  it("the dashboard sums each day's orders from the order index alone, one range a day", async () => {
    const shop = await createTestShop();
    const start = Date.UTC(2030, 0, 1);
    const days = [0, 1, 2].map((day) => ({ start: new Date(start + day * DAY), end: new Date(start + (day + 1) * DAY) }));
    const plans = await plansOfEverySelect(async () => expect(await orderTotalsPerDay(shop.id, days, "USD")).toHaveLength(3));
    expect(plans).toHaveLength(1);
    const ranges = plans[0]?.match(/SEARCH Order USING COVERING INDEX Order_shopId_placedAt_totals_idx \(shopId=\? AND placedAt>\? AND placedAt<\?\)/g);
    expect(ranges).toHaveLength(3);
    expect(plans[0]).not.toMatch(/SCAN|TEMP B-TREE/);
  });

  it("the dashboard finds the period's attributed lines through the orders' index, skipping other lines without reading them", async () => {
    const shop = await createTestShop();
    const plans = await plansOfEverySelect(() => attributedLinesPlacedIn(shop.id, { start: new Date(Date.UTC(2030, 0, 1)), end: new Date(Date.UTC(2030, 3, 1)) }, "USD"));
    expect(plans).toHaveLength(1);
    expect(plans[0]).toContain("SEARCH o USING COVERING INDEX Order_shopId_placedAt_totals_idx (shopId=? AND placedAt>? AND placedAt<?)");
    expect(plans[0]).toContain("SEARCH l USING INDEX OrderLine_orderId_upshelfOffer_upshelfPlacement_idx (orderId=?)");
    expect(plans[0]).not.toMatch(/SCAN/);
  });

  it("the dashboard counts each day's events per placement and kind from one index, in group order", async () => {
    const shop = await createTestShop();
    const start = Date.UTC(2030, 0, 1);
    const days = [0, 1].map((day) => ({ start: new Date(start + day * DAY), end: new Date(start + (day + 1) * DAY) }));
    const plans = await plansOfEverySelect(() => countEventsPerDay(shop.id, days, FUNNEL));
    expect(plans).toHaveLength(1);
    const ranges = plans[0]?.match(/SEARCH WidgetEvent USING COVERING INDEX WidgetEvent_shopId_placement_kind_occurredAt_keys_idx \(shopId=\? AND placement=\? AND kind=\? AND occurredAt>\? AND occurredAt<\?\)/g);
    expect(ranges).toHaveLength(2);
    expect(plans[0]).not.toMatch(/SCAN|TEMP B-TREE/);
  });

  it("the dashboard counts the top products' and offers' events one range per key, and every key's over the period only", async () => {
    const shop = await createTestShop();
    const period = { start: new Date(Date.UTC(2030, 0, 1)), end: new Date(Date.UTC(2030, 3, 1)) };
    const products = await plansOfEverySelect(() => countEventsByKey(shop.id, period, "productId", FUNNEL, ["1", "2"]));
    const offers = await plansOfEverySelect(() => countEventsByKey(shop.id, period, "offerId", FUNNEL, ["off_1"]));
    for (const plan of products) expect(plan).toContain("COVERING INDEX WidgetEvent_shopId_productId_kind_occurredAt_idx (shopId=? AND productId=? AND kind=? AND occurredAt>? AND occurredAt<?)");
    for (const plan of offers) expect(plan).toContain("COVERING INDEX WidgetEvent_shopId_offerId_kind_occurredAt_idx (shopId=? AND offerId=? AND kind=? AND occurredAt>? AND occurredAt<?)");
    // Every key's: the period's ranges, not the key's index over the shop's whole history.
    for (const by of ["productId", "offerId"] as const) {
      const plans = await plansOfEverySelect(() => countEventsByKey(shop.id, period, by, FUNNEL, null));
      for (const plan of plans) expect(plan).toContain("COVERING INDEX WidgetEvent_shopId_placement_kind_occurredAt_keys_idx (shopId=? AND placement=? AND kind=? AND occurredAt>? AND occurredAt<?)");
    }
  });

  it("the dashboard counts impressions where buyers cannot click from the period's ranges of those placements, reading no row", async () => {
    const shop = await createTestShop();
    const period = { start: new Date(Date.UTC(2030, 0, 1)), end: new Date(Date.UTC(2030, 3, 1)) };
    for (const by of ["productId", "offerId"] as const) {
      for (const keys of [by === "productId" ? ["1", "2"] : ["off_1"], null]) {
        const plans = await plansOfEverySelect(() => countEventsInPlacementsByKey(shop.id, period, by, ["post_purchase"], ["impression", "offer_shown"], keys));
        expect(plans.length).toBeGreaterThan(0);
        for (const plan of plans) {
          expect(plan).toContain("COVERING INDEX WidgetEvent_shopId_placement_kind_occurredAt_keys_idx (shopId=? AND placement=? AND kind=? AND occurredAt>? AND occurredAt<?)");
          expect(plan).not.toMatch(/SCAN WidgetEvent/);
        }
      }
    }
  });

  it("the product search compares the shop's products in its index alone and returns only the matches asked for", async () => {
    const shop = await createTestShop();
    for (const title of ["Blue Mug", "Red Mug", "Candle"]) await createTestProduct(shop.id, { title, price: 100 });
    const plans = await plansOfEverySelect(async () => expect((await findProductsMatching(shop.id, "mug", 1)).map((row) => row.title)).toEqual(["Blue Mug"]));
    expect(plans).toHaveLength(1);
    expect(plans[0]).toContain("SEARCH Product USING COVERING INDEX Product_shopId_id_search_idx (shopId=?)");
    const sql = sent[0]?.query ?? "";
    expect(sql).toMatch(/LIMIT \?\s*$/);
  });

  it("the product searches price their few products from their own variants, not by reading every variant of the shop", async () => {
    const shop = await createTestShop();
    for (const title of ["Blue Mug", "Red Mug", "Candle"]) await createTestProduct(shop.id, { title, price: 100 });
    const picker = await plansOf("Variant", async () => expect(await searchProducts(shop.id, "mug", 8)).toHaveLength(2));
    const offers = await plansOf("Variant", async () => expect(await searchCatalog(shop.id, "mug", 8)).toHaveLength(2));
    for (const plan of [...picker, ...offers]) expect(plan, plan).toContain("Variant_productId_shopId_idx (productId=?");
    // app.api.products finds its products in the search index too (findProductsMatching), then
    // reads only those rows by their ids; with no query, it lists them from the search index, in
    // id order (in title order its per-product variant lookups jumped about the table and took
    // twice as long).
    // Its SKUs are compared from each product's own variants, by index, never by reading the table.
    const catalog = await plansOfEverySelect(() => searchCatalog(shop.id, "mug", 8));
    const search = catalog.find((plan) => plan.includes("SEARCH Product USING COVERING INDEX Product_shopId_id_search_idx (shopId=?)"));
    expect(search).toContain("SEARCH Variant USING INDEX Variant_productId_shopId_idx (productId=? AND shopId=?)");
    for (const plan of catalog) expect(plan).not.toMatch(/SCAN (main\.)?(Product|Variant)/);
    expect(catalog.filter((plan) => /main\.Product/.test(plan))).toEqual(["SEARCH main.Product USING INTEGER PRIMARY KEY (rowid=?)\nUSE TEMP B-TREE FOR ORDER BY"]);
    for (const plan of await plansOf("Product", () => searchCatalog(shop.id, "", 8))) expect(plan).toContain("COVERING INDEX Product_shopId_id_search_idx (shopId=?)");
  });
  it("a deleted product or variant clears its order lines' link through an index, not by reading every line (shop/redact deletes thousands)", async () => {
    // What SQLite runs for each deleted row (OrderLine's ON DELETE SET NULL): without an index on the
    // column, every deleted product or variant read the whole OrderLine table, and erasing a demo
    // shop held the event loop for minutes.
    for (const column of ["productId", "variantId"]) {
      const rows = await db.$queryRawUnsafe<{ detail: string }[]>(`EXPLAIN QUERY PLAN UPDATE "OrderLine" SET "${column}" = NULL WHERE "${column}" = ?`, 1);
      const plan = rows.map((row) => row.detail).join("\n");
      expect(plan, plan).toMatch(new RegExp(`SEARCH OrderLine USING (COVERING )?INDEX OrderLine_${column}_idx \\(${column}=\\?\\)`));
    }
  });
});
