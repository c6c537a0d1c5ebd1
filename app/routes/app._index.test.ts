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

  it("falls back to 30 days for a period it does not offer, and says so; an empty choice is the default, said nothing of", async () => {
    const page = await dashboard(shopA, "?days=8");
    expect(page.dashboard.period.days).toBe(30);
    expect(page.ignoredPeriod).toBe("8");
    const empty = await dashboard(shopA, "?days=");
    expect(empty.dashboard.period.days).toBe(30);
    expect(empty.ignoredPeriod).toBeNull();
  });

  it("ends the demo shop's period at its latest order, counts the widget events since, and ends it today when asked", async () => {
    const demo = await createTestShop({ name: "Demo" });
    await db.shop.update({ where: { id: demo.id }, data: { isDemo: true } });
    const mug = await createTestProduct(demo.id, { title: "Mug", price: 1000 });
    await createTestOrder(demo.id, [mug], new Date("2011-08-31T12:00:00Z"));
    // The preview storefront, used today.
    await db.widgetEvent.createMany({
      data: ["impression", "impression", "click"].map((kind) => ({ shopId: demo.id, kind, placement: "pdp", productId: mug.shopifyId, occurredAt: new Date() })),
    });
    const atOrders = await dashboard(demo.id, "?days=7");
    expect(atOrders.dashboard.period).toMatchObject({ lastDay: "2011-08-31", endsAtLatestOrder: true });
    expect(atOrders.dashboard.demo).toEqual({ latestOrderDay: "2011-08-31", widgetEventsAfterPeriod: 3 });
    expect(atOrders.dashboard.placements.every((placement) => placement.impressions === 0)).toBe(true);

    const today = await dashboard(demo.id, "?days=7&to=today");
    expect(today.dashboard.period.endsAtLatestOrder).toBe(false);
    expect(today.dashboard.period.lastDay > "2026-01-01").toBe(true);
    expect(today.dashboard.demo).toEqual({ latestOrderDay: "2011-08-31", widgetEventsAfterPeriod: 0 });
    expect(today.dashboard.placements.find((placement) => placement.placement === "pdp")).toMatchObject({ impressions: 2, clicks: 1 });
    expect(today.dashboard.orders.orders).toBe(0);
    // A real shop's period ends today whatever is asked; it has no demo facts.
    expect((await dashboard(shopA, "?to=today")).dashboard.demo).toBeNull();
  });
});
