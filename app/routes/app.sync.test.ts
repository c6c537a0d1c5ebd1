import { describe, expect, it } from "vitest";
import db from "~/db.server";
import { createTestOffer, spendTiersInput } from "../../tests/factories/offers";
import { createTestShop } from "../../tests/factories/shop";
import { adminRequest, useShopifyAdminMode } from "../../tests/support/admin-session";
import { responseOf } from "../../tests/support/app-proxy";
import { syncShopDiscounts } from "~/services/discount-sync.server";
import { action, loader } from "./app.sync";

useShopifyAdminMode();

async function load(shopId: string) {
  return loader({ request: await adminRequest(shopId, "/app/sync"), params: {}, context: {} });
}

async function post(shopId: string, fields: Record<string, string>) {
  const request = await adminRequest(shopId, "/app/sync", { method: "POST", body: new URLSearchParams(fields) });
  return responseOf(async () => {
    const result = await action({ request, params: {}, context: {} });
    return result instanceof Response ? result : Response.json(result);
  });
}

describe("the Shopify data page", () => {
  it("shows the signed-in shop's sync jobs with progress and reports, and its webhooks without payloads", async () => {
    const shop = await createTestShop();
    const other = await createTestShop();
    await db.job.create({
      data: { shopId: shop.id, kind: "catalog_sync", status: "done", progressDone: 40, progressTotal: 40, result: JSON.stringify({ message: "40 products synced: 40 new, 0 changed, 0 unchanged." }) },
    });
    await db.job.create({ data: { shopId: shop.id, kind: "orders_backfill", status: "running", progressDone: 250, progressTotal: 1000 } });
    await db.job.create({ data: { shopId: shop.id, kind: "import_orders_csv", status: "done" } });
    await db.job.create({ data: { shopId: other.id, kind: "catalog_sync", status: "failed", error: "other shop" } });
    await db.webhookDelivery.create({ data: { shopId: shop.id, webhookId: "w1", topic: "orders/create", payload: '{"email":"buyer@example.com"}' } });

    const data = await load(shop.id);
    expect(data.mode).toBe("shopify");
    expect(data.active).toBe(true);
    expect(data.jobs.map((job) => [job.label, job.status, job.percent, job.message])).toEqual([
      ["Order history", "running", 25, null],
      ["Products and variants", "done", 100, "40 products synced: 40 new, 0 changed, 0 unchanged."],
    ]);
    expect(data.deliveries.map((delivery) => [delivery.topic, delivery.status])).toEqual([["orders/create", "pending"]]);
    expect(JSON.stringify(data)).not.toContain("buyer@example.com");
    expect(data.recordedCalls).toEqual([]);
  });

  it("'Sync now' while a sync is queued answers with that sync instead of starting a second one", async () => {
    const shop = await createTestShop();
    const queued = await db.job.create({ data: { shopId: shop.id, kind: "catalog_sync", status: "queued", input: '{"thenBackfill":true}' } });
    const response = await post(shop.id, { intent: "sync" });
    expect(await response.json()).toEqual({ started: queued.id });
    expect(await db.job.count({ where: { shopId: shop.id } })).toBe(1);
  });

  it("rejects an unknown intent with 400", async () => {
    const shop = await createTestShop();
    const response = await post(shop.id, { intent: "delete-everything" });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "invalid_request", fields: { intent: ['Must be "sync" or "restore-discount".'] } });
    expect(await db.job.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("shows checkout's discount as deleted in Shopify, and 'Restore discount' brings it back and says so", async () => {
    const shop = await createTestShop();
    // Demo-flagged: the restore's Admin API calls are recorded, not sent.
    await db.shop.update({ where: { id: shop.id }, data: { isDemo: true } });
    expect((await load(shop.id)).checkoutDiscount).toMatchObject({ status: "none" });
    await createTestOffer(shop.id, spendTiersInput());
    await syncShopDiscounts(shop.id);
    expect((await load(shop.id)).checkoutDiscount).toMatchObject({ status: "recorded", lastError: null });

    await db.discountSync.updateMany({ where: { shopId: shop.id }, data: { status: "deleted_in_shopify", shopifyDiscountId: null, configHash: null, lastError: "Deleted in Shopify's admin." } });
    expect((await load(shop.id)).checkoutDiscount).toMatchObject({ status: "deleted_in_shopify", lastError: "Deleted in Shopify's admin." });

    const creates = () => db.recordedAdminCall.count({ where: { shopId: shop.id, operation: "UpshelfDiscountCreate" } });
    const before = await creates();
    const response = await post(shop.id, { intent: "restore-discount" });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { discount: { errors: string[]; warnings: string[] } };
    expect(body.discount.errors).toEqual([]);
    expect(body.discount.warnings.join(" ")).toContain("had been deleted in Shopify's admin");
    expect(await creates()).toBe(before + 1);
    expect((await load(shop.id)).checkoutDiscount).toMatchObject({ status: "recorded", lastError: null });
  });
});
