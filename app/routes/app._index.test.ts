import { beforeAll, describe, expect, it } from "vitest";
import db from "~/db.server";
import { createTestOrder, createTestProduct } from "../../tests/factories/catalog";
import { createTestShop } from "../../tests/factories/shop";
import { adminRequest, useShopifyAdminMode } from "../../tests/support/admin-session";
import { loader } from "./app._index";

useShopifyAdminMode();

async function dashboard(shopId: string, query = "") {
  return loader({ request: await adminRequest(shopId, `/app${query}`), params: {}, context: {} });
}

describe("the dashboard route", () => {
  let shopA: string;
  let shopB: string;
  beforeAll(async () => {
    shopA = (await createTestShop({ name: "Shop A" })).id;
    shopB = (await createTestShop({ name: "Shop B" })).id;
    const mug = await createTestProduct(shopA, { title: "Mug", price: 1000 });
    const order = await createTestOrder(shopA, [mug], new Date(Date.now() - 2 * 24 * 3_600_000));
    await db.order.update({ where: { id: order.id }, data: { totalAmount: 1000 } });
    await db.orderLine.updateMany({ where: { orderId: order.id }, data: { upshelfPlacement: "pdp" } });
    await db.widgetEvent.create({ data: { shopId: shopA, kind: "impression", placement: "pdp", productId: mug.shopifyId, occurredAt: new Date() } });
  });

  it("shows the authenticated shop's figures for the chosen period", async () => {
    const page = await dashboard(shopA, "?days=7");
    expect(page.shopName).toBe("Shop A");
    expect(page.dashboard.period.days).toBe(7);
    expect(page.dashboard.orders).toMatchObject({ orders: 1, attributedRevenue: 1000, attachRate: 1 });
    expect(page.dashboard.placements[0]).toMatchObject({ placement: "pdp", impressions: 1 });
    expect(page.counts).toEqual({ products: 1, orders: 1 });
    expect(page.ignoredPeriod).toBeNull();
  });

  it("says when checkout is not applying the offers' savings, for this shop only", async () => {
    expect((await dashboard(shopA)).checkoutDiscount).toEqual({ status: "none", lastError: null });
    await db.discountSync.create({ data: { shopId: shopB, groupKey: "all-offers", status: "error", lastError: "Shopify answered HTTP 503." } });
    expect((await dashboard(shopB)).checkoutDiscount).toEqual({ status: "error", lastError: "Shopify answered HTTP 503." });
    expect((await dashboard(shopA)).checkoutDiscount.status).toBe("none");
  });

  it("never shows another shop's data", async () => {
    const page = await dashboard(shopB);
    expect(page.dashboard.hasAnyData).toBe(false);
    expect(page.dashboard.orders.orders).toBe(0);
    expect(page.dashboard.placements.every((placement) => placement.impressions === 0)).toBe(true);
  });

  it("falls back to 30 days for a period it does not offer, and says so", async () => {
    const page = await dashboard(shopA, "?days=8");
    expect(page.dashboard.period.days).toBe(30);
    expect(page.ignoredPeriod).toBe("8");
  });
});
