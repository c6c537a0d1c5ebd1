import { beforeAll, describe, expect, it } from "vitest";
import db from "~/db.server";
import { createTestProduct, type TestProduct } from "../../tests/factories/catalog";
import { createTestShop } from "../../tests/factories/shop";
import { loadDashboard, resolveDashboardPeriod } from "./analytics.server";

const now = new Date("2024-06-30T15:00:00Z");
let nextOrder = 1;

async function order(
  shopId: string,
  placedAt: string,
  lines: { product: TestProduct; price: number; quantity?: number; offer?: string; placement?: string; discount?: number }[],
  options: { currency?: string; cancelled?: boolean; shippingAndTax?: number } = {},
) {
  const total = lines.reduce((sum, line) => sum + line.price * (line.quantity ?? 1) - (line.discount ?? 0), 0);
  const id = `${process.pid}${nextOrder++}`;
  return db.order.create({
    data: {
      shopId,
      shopifyId: id,
      name: `#${id}`,
      currency: options.currency ?? "USD",
      subtotalAmount: total,
      totalAmount: total + (options.shippingAndTax ?? 0),
      placedAt: new Date(placedAt),
      cancelledAt: options.cancelled ? new Date(placedAt) : null,
      lines: {
        create: lines.map((line) => ({
          shopId,
          productId: line.product.id,
          shopifyProductId: line.product.shopifyId,
          shopifyVariantId: line.product.variantShopifyId,
          title: line.product.title,
          quantity: line.quantity ?? 1,
          unitPriceAmount: line.price,
          discountAmount: line.discount ?? 0,
          currency: options.currency ?? "USD",
          upshelfOffer: line.offer ?? null,
          upshelfPlacement: line.placement ?? null,
        })),
      },
    },
  });
}

function events(shopId: string, at: string, placement: string, productId: string, kinds: Record<string, number>, offerId: string | null = null) {
  return db.widgetEvent.createMany({
    data: Object.entries(kinds).flatMap(([kind, count]) =>
      Array.from({ length: count }, () => ({ shopId, kind, placement, productId, offerId, occurredAt: new Date(at) })),
    ),
  });
}

describe("the dashboard's figures", () => {
  let shopId: string;
  let otherShopId: string;
  let mug: TestProduct;
  let tea: TestProduct;
  let spoon: TestProduct;

  beforeAll(async () => {
    shopId = (await createTestShop()).id;
    otherShopId = (await createTestShop()).id;
    mug = await createTestProduct(shopId, { title: "Mug", price: 1200 });
    tea = await createTestProduct(shopId, { title: "Tea", price: 800 });
    spoon = await createTestProduct(shopId, { title: "Spoon", price: 300 });
    await db.offer.create({
      data: { id: "off_tea_bundle_test", shopId, type: "fixedBundle", title: "Tea time bundle", status: "active", config: "{}" },
    });

    // In the 7-day period (24–30 June): three orders, two with Upshelf items. Shipping and tax are
    // not sales: amounts are the orders' subtotals, the basis of the lines' revenue too.
    // The tea came as a plain recommendation, which the widget marks with offer "recommendation".
    const tea1 = { product: tea, price: 800, offer: "recommendation", placement: "pdp" };
    await order(shopId, "2024-06-24T10:00:00Z", [{ product: mug, price: 1200 }, tea1], { shippingAndTax: 650 });
    await order(shopId, "2024-06-24T12:00:00Z", [{ product: mug, price: 1200 }], { shippingAndTax: 390 });
    await order(shopId, "2024-06-29T09:00:00Z", [
      { product: tea, price: 800, quantity: 2, offer: "off_tea_bundle_test", placement: "cart", discount: 160 },
      { product: spoon, price: 300 },
    ]);
    // Outside the period, cancelled, or in another currency: left out of the amounts.
    await order(shopId, "2024-06-23T23:59:59Z", [{ product: tea, price: 800, placement: "pdp" }]);
    await order(shopId, "2024-06-26T10:00:00Z", [{ product: tea, price: 800, placement: "pdp" }], { cancelled: true });
    await order(shopId, "2024-06-27T10:00:00Z", [{ product: tea, price: 800, placement: "pdp" }], { currency: "EUR" });

    await events(shopId, "2024-06-24T09:00:00Z", "pdp", tea.shopifyId, { impression: 40, click: 6, add_to_cart: 2 });
    await events(shopId, "2024-06-29T08:00:00Z", "cart", tea.shopifyId, { impression: 10, click: 1, add_to_cart: 1 }, "off_tea_bundle_test");
    await events(shopId, "2024-06-29T08:30:00Z", "pdp", spoon.shopifyId, { impression: 50, click: 4 });
    await events(shopId, "2024-06-20T08:00:00Z", "pdp", mug.shopifyId, { impression: 999, click: 99 });
    // Another shop's activity must not leak in.
    await events(otherShopId, "2024-06-25T08:00:00Z", "pdp", tea.shopifyId, { impression: 500, click: 500 });
  });

  it("attributes revenue, attach rate and average order values to Upshelf's lines", async () => {
    const dashboard = await loadDashboard(shopId, { days: 7, now });
    expect(dashboard.period).toMatchObject({ days: 7, start: "2024-06-24T00:00:00.000Z", lastDay: "2024-06-30", endsAtLatestOrder: false });
    expect(dashboard.currency).toBe("USD");
    expect(dashboard.ordersInOtherCurrencies).toBe(1);
    const orders = dashboard.orders;
    expect(orders.orders).toBe(3);
    expect(orders.revenue).toBe(2000 + 1200 + (1600 - 160 + 300));
    // Tea on the product page (800) and two teas from the bundle less its discount (1440).
    expect(orders.attributedRevenue).toBe(800 + 1440);
    expect(orders.ordersWithUpshelf).toBe(2);
    expect(orders.attachRate).toBeCloseTo(2 / 3, 10);
    expect(orders.averageOrderValueWithUpshelf).toBe((2000 + 1740) / 2);
    expect(orders.averageOrderValueWithoutUpshelf).toBe(1200);
    expect(orders.daily.find((point) => point.day === "2024-06-29")).toMatchObject({ orders: 1, attributedRevenue: 1440 });
  });

  it("counts impressions, click-through and add-to-cart rates per placement, for this shop only", async () => {
    const dashboard = await loadDashboard(shopId, { days: 7, now });
    const pdp = dashboard.placements.find((placement) => placement.placement === "pdp");
    const cart = dashboard.placements.find((placement) => placement.placement === "cart");
    expect(pdp).toMatchObject({ impressions: 90, clicks: 10, addsToCart: 2 });
    expect(pdp?.clickThroughRate).toBeCloseTo(10 / 90, 10);
    expect(cart).toMatchObject({ impressions: 10, clicks: 1, addsToCart: 1, addToCartRate: 0.1 });
    expect(dashboard.dailyEvents).toHaveLength(7);
    expect(dashboard.dailyEvents.find((point) => point.day === "2024-06-29")).toEqual({ day: "2024-06-29", impressions: 60, clicks: 5, addsToCart: 1 });
    expect(dashboard.dailyEvents.find((point) => point.day === "2024-06-25")).toMatchObject({ impressions: 0 });
  });

  it("names the top offers and recommended products", async () => {
    const dashboard = await loadDashboard(shopId, { days: 7, now });
    // Plain recommendations are no offer: no "Offer recommendation (deleted)" row.
    expect(dashboard.topOffers).toHaveLength(1);
    expect(dashboard.topOffers[0]).toMatchObject({ key: "off_tea_bundle_test", title: "Tea time bundle", revenue: 1440, orders: 1, units: 2, clicks: 1 });
    expect(dashboard.topProducts.map((row) => [row.title, row.revenue])).toEqual([
      ["Tea", 2240],
      ["Spoon", 0],
    ]);
  });

  it("never credits Upshelf with more than the shop kept for an order whose refund is known only as a whole (orders CSV)", async () => {
    const shop = (await createTestShop()).id;
    const [own, upsell] = [await createTestProduct(shop, { title: "Lamp", price: 1000 }), await createTestProduct(shop, { title: "Bulb", price: 3000 })];
    const kept = await order(shop, "2024-06-28T10:00:00Z", [{ product: own, price: 1000 }, { product: upsell, price: 3000, placement: "cart", offer: "recommendation" }]);
    const returned = await order(shop, "2024-06-29T10:00:00Z", [{ product: own, price: 1000 }, { product: upsell, price: 3000, placement: "cart", offer: "recommendation" }]);
    await db.order.update({ where: { id: kept.id }, data: { refundedAmount: 2000 } });
    await db.order.update({ where: { id: returned.id }, data: { refundedAmount: 4000 } });
    const dashboard = await loadDashboard(shop, { days: 7, now });
    expect(dashboard.orders).toMatchObject({ orders: 2, revenue: 2000, attributedRevenue: 2000, ordersWithUpshelf: 1 });
    expect(dashboard.topProducts.map((row) => [row.title, row.revenue, row.units])).toEqual([["Bulb", 2000, 1]]);
  });

  it("widens to 30 days and then counts the earlier activity", async () => {
    const dashboard = await loadDashboard(shopId, { days: 30, now });
    expect(dashboard.orders.orders).toBe(4);
    expect(dashboard.placements.find((placement) => placement.placement === "pdp")?.impressions).toBe(90 + 999);
  });

  it("shows an empty, honest dashboard for a new shop", async () => {
    const dashboard = await loadDashboard((await createTestShop()).id, { days: 30, now });
    expect(dashboard.hasAnyData).toBe(false);
    expect(dashboard.orders).toMatchObject({ orders: 0, revenue: 0, attachRate: null, averageOrderValueWithUpshelf: null });
    expect(dashboard.topOffers).toEqual([]);
    expect(dashboard.dailyEvents).toHaveLength(30);
  });

  it("ends a demo shop's period at its latest order, and a real shop's today", async () => {
    const demo = await db.shop.create({ data: { id: `demo-${process.pid}-${Date.now()}.myshopify.com`, name: "Demo", currency: "GBP", isDemo: true } });
    const card = await createTestProduct(demo.id, { title: "Christmas card", price: 100, currency: "GBP" });
    await order(demo.id, "2011-12-09T12:50:00Z", [{ product: card, price: 100 }], { currency: "GBP" });
    const demoPeriod = await resolveDashboardPeriod(demo.id, { days: 30, now });
    expect(demoPeriod.endsAtLatestOrder).toBe(true);
    expect(demoPeriod.period.dayKeys.at(-1)).toBe("2011-12-09");
    const realPeriod = await resolveDashboardPeriod(shopId, { days: 30, now });
    expect(realPeriod.endsAtLatestOrder).toBe(false);
    expect(realPeriod.period.dayKeys.at(-1)).toBe("2024-06-30");
  });

  it("ends a demo shop's period at its latest order in its own currency: a recent file in another currency does not empty it", async () => {
    // The QA probe: 19 EUR orders from May 2025 imported into the GBP demo shop, whose orders stop in 2011.
    const demo = await db.shop.create({ data: { id: `demo-eur-${process.pid}-${Date.now()}.myshopify.com`, name: "Demo", currency: "GBP", isDemo: true } });
    const card = await createTestProduct(demo.id, { title: "Christmas card", price: 100, currency: "GBP" });
    await order(demo.id, "2011-12-08T10:00:00Z", [{ product: card, price: 100 }], { currency: "GBP" });
    await order(demo.id, "2011-12-09T12:50:00Z", [{ product: card, price: 300 }], { currency: "GBP" });
    for (const day of ["2025-04-20", "2025-05-02", "2025-05-17"]) {
      await order(demo.id, `${day}T09:00:00Z`, [{ product: card, price: 2500 }], { currency: "EUR" });
    }

    const period = await resolveDashboardPeriod(demo.id, { days: 30, now });
    expect(period.endsAtLatestOrder).toBe(true);
    expect(period.period.dayKeys.at(-1)).toBe("2011-12-09");
    const dashboard = await loadDashboard(demo.id, { days: 30, now });
    expect(dashboard.orders).toMatchObject({ orders: 2, revenue: 400 });
    // The EUR orders are still left out of the amounts, and the dashboard says so.
    expect(dashboard.ordersInOtherCurrencies).toBe(0);
    expect(dashboard.laterOrdersInOtherCurrencies).toBe(3);
  });

  it("ends a demo shop with no order in its currency at its latest order, where the orders left out are counted", async () => {
    const demo = await db.shop.create({ data: { id: `demo-only-eur-${process.pid}-${Date.now()}.myshopify.com`, name: "Demo", currency: "GBP", isDemo: true } });
    const card = await createTestProduct(demo.id, { title: "Christmas card", price: 100, currency: "GBP" });
    await order(demo.id, "2025-05-17T09:00:00Z", [{ product: card, price: 2500 }], { currency: "EUR" });
    const dashboard = await loadDashboard(demo.id, { days: 30, now });
    expect(dashboard.period).toMatchObject({ lastDay: "2025-05-17", endsAtLatestOrder: true });
    expect(dashboard.orders.orders).toBe(0);
    expect(dashboard.ordersInOtherCurrencies).toBe(1);
    expect(dashboard.laterOrdersInOtherCurrencies).toBe(0);
  });

  it("ends a real shop's period today even when its latest orders are in another currency, and counts those in it as left out", async () => {
    const shop = await createTestShop({ currency: "GBP" });
    const card = await createTestProduct(shop.id, { title: "Card", price: 100, currency: "GBP" });
    await order(shop.id, "2024-05-01T09:00:00Z", [{ product: card, price: 100 }], { currency: "GBP" });
    await order(shop.id, "2024-06-28T09:00:00Z", [{ product: card, price: 2500 }], { currency: "EUR" });
    const dashboard = await loadDashboard(shop.id, { days: 7, now });
    expect(dashboard.period).toMatchObject({ lastDay: "2024-06-30", endsAtLatestOrder: false });
    expect(dashboard.orders.orders).toBe(0);
    expect(dashboard.ordersInOtherCurrencies).toBe(1);
    expect(dashboard.laterOrdersInOtherCurrencies).toBe(0);
  });

  it("counts the shop's own days: an evening order in Los Angeles is that day's, not the next UTC day's", async () => {
    const shop = await createTestShop();
    await db.shop.update({ where: { id: shop.id }, data: { timeZone: "America/Los_Angeles" } });
    const mugHere = await createTestProduct(shop.id, { title: "Mug", price: 1200, currency: "USD" });
    // 8 pm on 30 June in Los Angeles is 1 July in UTC; 1 am on 1 July in LA is still in the future.
    await order(shop.id, "2024-07-01T03:00:00Z", [{ product: mugHere, price: 1200 }]);
    await order(shop.id, "2024-06-24T06:59:00Z", [{ product: mugHere, price: 500 }]);
    await events(shop.id, "2024-07-01T03:00:00Z", "pdp", mugHere.shopifyId, { impression: 3 });
    const evening = new Date("2024-07-01T05:00:00Z");

    const dashboard = await loadDashboard(shop.id, { days: 7, now: evening });
    expect(dashboard.period).toMatchObject({ firstDay: "2024-06-24", lastDay: "2024-06-30", timeZone: "America/Los_Angeles", start: "2024-06-24T07:00:00.000Z", end: "2024-07-01T07:00:00.000Z" });
    // The order at 23:59 on 23 June (LA) is outside the week; the evening one is on its last day.
    expect(dashboard.orders).toMatchObject({ orders: 1, revenue: 1200 });
    expect(dashboard.orders.daily.at(-1)).toMatchObject({ day: "2024-06-30", orders: 1, revenue: 1200 });
    expect(dashboard.dailyEvents.at(-1)).toMatchObject({ day: "2024-06-30", impressions: 3 });
  });
});
