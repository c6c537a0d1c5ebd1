import { describe, expect, it } from "vitest";
import { computeOrderMetrics, lineRevenue, orderRevenue, withinOrderRevenue } from "./order-metrics";
import { periodEndingOn } from "./period";

const period = periodEndingOn(new Date("2024-05-03T00:00:00Z"), 3); // 1, 2 and 3 May

describe("order metrics", () => {
  it("splits average order value between orders with and without Upshelf lines", () => {
    const orders = [
      { id: 1, placedAt: new Date("2024-05-01T10:00:00Z"), subtotalAmount: 5000, refundedAmount: 0 },
      { id: 2, placedAt: new Date("2024-05-01T11:00:00Z"), subtotalAmount: 2000, refundedAmount: 0 },
      { id: 3, placedAt: new Date("2024-05-03T23:59:59Z"), subtotalAmount: 3001, refundedAmount: 0 },
      { id: 4, placedAt: new Date("2024-05-02T08:00:00Z"), subtotalAmount: 1000, refundedAmount: 0 },
    ];
    const lines = [
      { orderId: 1, quantity: 2, unitPriceAmount: 1000, discountAmount: 200, refundedAmount: 0, refundedQuantity: 0 },
      { orderId: 1, quantity: 1, unitPriceAmount: 500, discountAmount: 0, refundedAmount: 0, refundedQuantity: 0 },
      { orderId: 3, quantity: 1, unitPriceAmount: 1200, discountAmount: 0, refundedAmount: 0, refundedQuantity: 0 },
    ];
    const metrics = computeOrderMetrics(period, orders, lines);
    expect(metrics.orders).toBe(4);
    expect(metrics.revenue).toBe(11001);
    expect(metrics.ordersWithUpshelf).toBe(2);
    expect(metrics.attributedRevenue).toBe(1800 + 500 + 1200);
    expect(metrics.attachRate).toBe(0.5);
    // (5000 + 3001) / 2 = 4000.5, rounded half up to a whole minor unit.
    expect(metrics.averageOrderValueWithUpshelf).toBe(4001);
    expect(metrics.averageOrderValueWithoutUpshelf).toBe(1500);
    expect(metrics.daily).toEqual([
      { day: "2024-05-01", orders: 2, revenue: 7000, attributedRevenue: 2300, ordersWithUpshelf: 1 },
      { day: "2024-05-02", orders: 1, revenue: 1000, attributedRevenue: 0, ordersWithUpshelf: 0 },
      { day: "2024-05-03", orders: 1, revenue: 3001, attributedRevenue: 1200, ordersWithUpshelf: 1 },
    ]);
  });

  it("ignores orders outside the period and lines of orders it does not know", () => {
    const orders = [
      { id: 1, placedAt: new Date("2024-04-30T23:59:59Z"), subtotalAmount: 9999, refundedAmount: 0 },
      { id: 2, placedAt: new Date("2024-05-04T00:00:00Z"), subtotalAmount: 9999, refundedAmount: 0 },
      { id: 3, placedAt: new Date("2024-05-02T00:00:00Z"), subtotalAmount: 700, refundedAmount: 0 },
    ];
    const lines = [
      { orderId: 1, quantity: 1, unitPriceAmount: 500, discountAmount: 0, refundedAmount: 0, refundedQuantity: 0 },
      { orderId: 42, quantity: 1, unitPriceAmount: 500, discountAmount: 0, refundedAmount: 0, refundedQuantity: 0 },
    ];
    const metrics = computeOrderMetrics(period, orders, lines);
    expect(metrics).toMatchObject({ orders: 1, revenue: 700, attributedRevenue: 0, ordersWithUpshelf: 0, attachRate: 0 });
    expect(metrics.averageOrderValueWithUpshelf).toBeNull();
    expect(metrics.averageOrderValueWithoutUpshelf).toBe(700);
  });

  it("reports nothing rather than zero rates when there are no orders", () => {
    const metrics = computeOrderMetrics(period, [], []);
    expect(metrics.attachRate).toBeNull();
    expect(metrics.averageOrderValueWithoutUpshelf).toBeNull();
    expect(metrics.daily.map((point) => point.orders)).toEqual([0, 0, 0]);
  });

  it("counts what the shop kept: refunds come off the orders and the attributed lines they hit", () => {
    const orders = [
      { id: 1, placedAt: new Date("2024-05-01T10:00:00Z"), subtotalAmount: 5000, refundedAmount: 1500 },
      { id: 2, placedAt: new Date("2024-05-02T10:00:00Z"), subtotalAmount: 2000, refundedAmount: 2000 },
    ];
    const lines = [
      // The upsell was returned in full; the buyer's own item (not listed) was partly refunded.
      { orderId: 1, quantity: 1, unitPriceAmount: 1000, discountAmount: 100, refundedAmount: 900, refundedQuantity: 1 },
      { orderId: 1, quantity: 2, unitPriceAmount: 500, discountAmount: 0, refundedAmount: 0, refundedQuantity: 0 },
    ];
    const metrics = computeOrderMetrics(period, orders, lines);
    expect(metrics.revenue).toBe(3500);
    expect(metrics.attributedRevenue).toBe(1000);
    expect(metrics.averageOrderValueWithUpshelf).toBe(3500);
    // A wholly refunded order still counts as an order, for nothing.
    expect(metrics.averageOrderValueWithoutUpshelf).toBe(0);
    expect(orderRevenue({ subtotalAmount: 1000, refundedAmount: 1200 })).toBe(0);
  });

  it("does not count an order as with Upshelf once the buyer returned every unit Upshelf added", () => {
    const orders = [
      { id: 1, placedAt: new Date("2024-05-01T10:00:00Z"), subtotalAmount: 3000, refundedAmount: 1000 },
      { id: 2, placedAt: new Date("2024-05-01T11:00:00Z"), subtotalAmount: 3000, refundedAmount: 500 },
    ];
    const lines = [
      { orderId: 1, quantity: 1, unitPriceAmount: 1000, discountAmount: 0, refundedAmount: 1000, refundedQuantity: 1 },
      // One of two units returned: the buyer kept one.
      { orderId: 2, quantity: 2, unitPriceAmount: 500, discountAmount: 0, refundedAmount: 500, refundedQuantity: 1 },
    ];
    const metrics = computeOrderMetrics(period, orders, lines);
    expect(metrics).toMatchObject({ ordersWithUpshelf: 1, attachRate: 0.5, attributedRevenue: 500, averageOrderValueWithUpshelf: 2500, averageOrderValueWithoutUpshelf: 2000 });
    expect(metrics.daily[0]).toMatchObject({ ordersWithUpshelf: 1, attributedRevenue: 500 });
  });

  it("never counts a line as negative revenue", () => {
    expect(lineRevenue({ quantity: 1, unitPriceAmount: 500, discountAmount: 800, refundedAmount: 0 })).toBe(0);
    expect(lineRevenue({ quantity: 3, unitPriceAmount: 250, discountAmount: 50, refundedAmount: 0 })).toBe(700);
  });

  it("holds an order's Upshelf revenue to what the shop kept when a refund is known only for the whole order (orders CSV)", () => {
    const orders = [
      // £10 own item + £10 Upshelf item: £15 refunded, lines unknown.
      { id: 1, placedAt: new Date("2024-05-01T10:00:00Z"), subtotalAmount: 2000, refundedAmount: 1500 },
      // £30 Upshelf item + £10 own item: all refunded.
      { id: 2, placedAt: new Date("2024-05-01T11:00:00Z"), subtotalAmount: 4000, refundedAmount: 4000 },
      // £50 with a £5 refund the lines account for.
      { id: 3, placedAt: new Date("2024-05-02T11:00:00Z"), subtotalAmount: 5000, refundedAmount: 500 },
    ];
    const lines = [
      { orderId: 1, quantity: 1, unitPriceAmount: 1000, discountAmount: 0, refundedAmount: 0, refundedQuantity: 0 },
      { orderId: 2, quantity: 1, unitPriceAmount: 3000, discountAmount: 0, refundedAmount: 0, refundedQuantity: 0 },
      { orderId: 3, quantity: 2, unitPriceAmount: 1000, discountAmount: 0, refundedAmount: 500, refundedQuantity: 0 },
    ];
    const metrics = computeOrderMetrics(period, orders, lines);
    expect(metrics.revenue).toBe(500 + 0 + 4500);
    // Order 1 kept £5, so at most £5 of it was Upshelf's; order 2 kept nothing; order 3 as its lines say.
    expect(metrics.attributedRevenue).toBe(500 + 0 + 1500);
    expect(metrics.daily.map((day) => day.attributedRevenue)).toEqual([500, 1500, 0]);
    expect(metrics.daily.map((day) => day.revenue)).toEqual([500, 4500, 0]);
    // The wholly refunded order is not an order with Upshelf.
    expect(metrics.ordersWithUpshelf).toBe(2);
    expect(metrics.averageOrderValueWithUpshelf).toBe(2500);

    const capped = withinOrderRevenue(lines, orders);
    expect(capped.map((line) => [lineRevenue(line), line.refundedQuantity])).toEqual([[500, 0], [0, 1], [1500, 0]]);
    // An order's lines share the cut in proportion, rounded down, never above what it kept.
    const shared = withinOrderRevenue(
      [
        { orderId: 9, quantity: 1, unitPriceAmount: 1000, discountAmount: 0, refundedAmount: 0, refundedQuantity: 0 },
        { orderId: 9, quantity: 1, unitPriceAmount: 2000, discountAmount: 0, refundedAmount: 0, refundedQuantity: 0 },
      ],
      [{ id: 9, subtotalAmount: 3000, refundedAmount: 2000 }],
    );
    expect(shared.map(lineRevenue)).toEqual([333, 666]);
    // A free item (worth 0) in a wholly refunded order was not kept either: no attach.
    const gift = { orderId: 2, quantity: 1, unitPriceAmount: 0, discountAmount: 0, refundedAmount: 0, refundedQuantity: 0 };
    expect(withinOrderRevenue([gift], orders)[0]).toMatchObject({ refundedQuantity: 1 });
    expect(computeOrderMetrics(period, [orders[1]!], [gift]).ordersWithUpshelf).toBe(0);
    // A free order (nothing to refund) keeps its gift: still an attach.
    const freeOrder = { ...orders[1]!, subtotalAmount: 0, refundedAmount: 0 };
    expect(computeOrderMetrics(period, [freeOrder], [gift]).ordersWithUpshelf).toBe(1);
    // Lines within what their order kept, or of orders not given, are returned as they are.
    expect(withinOrderRevenue(lines, [])).toEqual(lines);
    expect(withinOrderRevenue([lines[2]!], [orders[2]!])[0]).toBe(lines[2]);
  });
});
