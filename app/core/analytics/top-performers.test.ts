import { describe, expect, it } from "vitest";
import { rankPerformers } from "./top-performers";

const line = (orderId: number, productId: string, offerId: string | null, unitPriceAmount: number, quantity = 1) => ({
  orderId, productId, offerId, quantity, unitPriceAmount, discountAmount: 0, refundedAmount: 0, refundedQuantity: 0,
});

describe("top performers", () => {
  it("ranks by attributed revenue, counting distinct orders and units", () => {
    const lines = [line(1, "10", "off_a", 500, 2), line(2, "10", "off_a", 500), line(2, "20", null, 3000), line(3, "30", "off_b", 100)];
    const products = rankPerformers(lines, (l) => l.productId, [], 10);
    expect(products.map((p) => [p.key, p.revenue, p.orders, p.units])).toEqual([
      ["20", 3000, 1, 1],
      ["10", 1500, 2, 3],
      ["30", 100, 1, 1],
    ]);
    const offers = rankPerformers(lines, (l) => l.offerId, [], 1);
    expect(offers.map((o) => o.key)).toEqual(["off_a"]);
  });

  it("counts a refunded unit as neither revenue nor a unit sold, and keeps the order it was bought in", () => {
    const returnedOne = { ...line(1, "10", "off_a", 500, 3), refundedAmount: 500, refundedQuantity: 1 };
    const returnedAll = { ...line(2, "20", "off_b", 800, 2), refundedAmount: 1600, refundedQuantity: 2 };
    const [kept, returned] = rankPerformers([returnedOne, returnedAll], (l) => l.productId, [], 10);
    expect([kept?.key, kept?.revenue, kept?.units, kept?.orders]).toEqual(["10", 1000, 2, 1]);
    expect([returned?.key, returned?.revenue, returned?.units, returned?.orders]).toEqual(["20", 0, 0, 1]);
  });

  it("breaks revenue ties with adds to cart and clicks, and drops items nobody reacted to", () => {
    const events = [
      { key: "40", kind: "impression", count: 100 },
      { key: "40", kind: "click", count: 5 },
      { key: "50", kind: "impression", count: 100 },
      { key: "50", kind: "click", count: 2 },
      { key: "50", kind: "add_to_cart", count: 1 },
      { key: "60", kind: "impression", count: 500 },
    ];
    const ranked = rankPerformers([], (l) => l.productId, events, 10);
    expect(ranked.map((p) => p.key)).toEqual(["50", "40"]);
    expect(ranked[1]?.clickThroughRate).toBe(0.05);
  });
});
