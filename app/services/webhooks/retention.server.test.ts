import { randomUUID } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { CUSTOMER_DATA_EXPORT_DAYS, DAY_MS, FAILED_DELIVERY_DAYS, PROCESSED_DELIVERY_DAYS } from "~/core/webhook-retention";
import db from "~/db.server";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { createTestShop } from "../../../tests/factories/shop";
import { signedWebhookRequest, webhookFixture } from "../../../tests/fixtures/webhooks/signed-request";
import { responseOf } from "../../../tests/support/app-proxy";
import { settleWebhookDeliveries } from "./deliveries.server";
import { pruneWebhookDeliveries, startWebhookDeliveryRetention } from "./retention.server";

const NOW = new Date("2031-01-01T00:00:00Z");
const HOUR = 3_600_000;

/** A stored delivery received `ageMs` before `now`. */
async function stored(shopId: string, status: string, ageMs: number, options: { topic?: string; payload?: string; now?: Date } = {}) {
  return db.webhookDelivery.create({
    data: {
      shopId,
      webhookId: randomUUID(),
      topic: options.topic ?? "orders/create",
      status,
      payload: options.payload ?? "{}",
      receivedAt: new Date((options.now ?? NOW).getTime() - ageMs),
    },
  });
}

async function idsLeft(shopIds: string[]): Promise<number[]> {
  return (await db.webhookDelivery.findMany({ where: { shopId: { in: shopIds } }, orderBy: { id: "asc" }, select: { id: true } })).map((row) => row.id);
}

describe("webhook delivery retention", () => {
  it("deletes processed deliveries after their days, failed ones and answered data requests after theirs, pending ones never; only the shops asked, in batches", async () => {
    const [a, b, untouched] = [(await createTestShop()).id, (await createTestShop()).id, (await createTestShop()).id];
    const processedLimit = PROCESSED_DELIVERY_DAYS * DAY_MS;
    const kept = [
      await stored(a, "done", processedLimit - HOUR),
      await stored(a, "failed", FAILED_DELIVERY_DAYS * DAY_MS - HOUR, { payload: '{"email":"buyer@example.com"}' }),
      // Retried for ever is not the point: a pending delivery is work still to do.
      await stored(a, "pending", 400 * DAY_MS, { payload: '{"id":1}' }),
      await stored(a, "done", CUSTOMER_DATA_EXPORT_DAYS * DAY_MS - HOUR, { topic: "customers/data_request", payload: '{"customerId":"1","orders":[]}' }),
      await stored(untouched, "done", 30 * DAY_MS),
    ];
    const gone = [
      await stored(a, "done", processedLimit + HOUR),
      ...(await Promise.all([30, 31, 32].map((days) => stored(a, "done", days * DAY_MS)))),
      await stored(a, "failed", FAILED_DELIVERY_DAYS * DAY_MS + HOUR, { payload: '{"email":"buyer@example.com"}' }),
      await stored(a, "done", CUSTOMER_DATA_EXPORT_DAYS * DAY_MS + HOUR, { topic: "customers/data_request", payload: '{"customerId":"1","orders":[]}' }),
      await stored(b, "done", processedLimit + HOUR),
    ];
    // Batches of two: shop a's four old processed deliveries take three statements.
    expect(await pruneWebhookDeliveries({ now: NOW, batchSize: 2, shopIds: [a, b] })).toBe(gone.length);
    expect(await idsLeft([a, b, untouched])).toEqual(kept.map((row) => row.id).sort((x, y) => x - y));
    // The failed delivery still inside its days keeps its payload for investigation.
    expect((await db.webhookDelivery.findUniqueOrThrow({ where: { id: kept[1]!.id } })).payload).toContain("buyer@example.com");
    // Nothing left to do: a second pass deletes nothing.
    expect(await pruneWebhookDeliveries({ now: NOW, batchSize: 2, shopIds: [a, b] })).toBe(0);
  });

  it("a delivery Shopify sends again within the retention is still recognised and not processed twice", async () => {
    const shop = await createTestShop();
    const webhookId = randomUUID();
    const send = async () => {
      const request = signedWebhookRequest({ path: "/webhooks/orders/create", topic: "orders/create", shop: shop.id, body: webhookFixture("orders-create", shop.id), webhookId });
      const response = await responseOf(() => ordersCreate({ request, params: {}, context: {} }));
      await settleWebhookDeliveries();
      return (await response.json()) as { status: string };
    };
    expect(await send()).toMatchObject({ status: "stored" });
    const first = await db.webhookDelivery.findFirstOrThrow({ where: { shopId: shop.id } });
    expect([first.status, first.payload]).toEqual(["done", "{}"]);

    // Well past Shopify's last retry (4 hours), inside the retention: the row stays, so does the answer.
    const later = new Date(first.receivedAt.getTime() + PROCESSED_DELIVERY_DAYS * DAY_MS - HOUR);
    expect(await pruneWebhookDeliveries({ now: later, shopIds: [shop.id] })).toBe(0);
    expect(await send()).toMatchObject({ status: "duplicate" });
    expect(await db.webhookDelivery.findUniqueOrThrow({ where: { id: first.id } })).toMatchObject({ attempts: 1, status: "done" });
    expect(await db.order.count({ where: { shopId: shop.id } })).toBe(1);

    const past = new Date(first.receivedAt.getTime() + PROCESSED_DELIVERY_DAYS * DAY_MS + HOUR);
    expect(await pruneWebhookDeliveries({ now: past, shopIds: [shop.id] })).toBe(1);
    expect(await idsLeft([shop.id])).toEqual([]);
  });

  it("runs from the background scheduler: a pass at start, then one every interval", async () => {
    const shop = await createTestShop();
    vi.spyOn(console, "info").mockImplementation(() => undefined);
    const expired = () => stored(shop.id, "done", (PROCESSED_DELIVERY_DAYS + 1) * DAY_MS, { now: new Date() });
    await expired();
    const passes: number[] = [];
    const retention = startWebhookDeliveryRetention({ shopIds: [shop.id], intervalMs: 50, onPass: (deleted) => passes.push(deleted) });
    try {
      await expect.poll(() => passes.length, { timeout: 5_000 }).toBeGreaterThan(0);
      expect(passes[0]).toBe(1);
      expect(await idsLeft([shop.id])).toEqual([]);
      await expired();
      // A later pass finds it: the count is reported once its deletes are done.
      await expect.poll(() => passes.filter((deleted) => deleted === 1).length, { timeout: 5_000 }).toBe(2);
      expect(await idsLeft([shop.id])).toEqual([]);
    } finally {
      retention.stop();
    }
  });
});
