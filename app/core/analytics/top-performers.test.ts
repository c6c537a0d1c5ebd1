import { describe, expect, it } from "vitest";
import { keysThatCanRankInTop, rankPerformers, type KeyedEventCount } from "./top-performers";

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

  it("counts a refunded unit as neither revenue nor a unit sold, and an order that returned every unit as none of its orders", () => {
    const returnedOne = { ...line(1, "10", "off_a", 500, 3), refundedAmount: 500, refundedQuantity: 1 };
    const returnedAll = { ...line(2, "20", "off_b", 800, 2), refundedAmount: 1600, refundedQuantity: 2 };
    const keptElsewhere = line(3, "20", "off_b", 800);
    const [kept, partly] = rankPerformers([returnedOne, returnedAll, keptElsewhere], (l) => l.productId, [], 10);
    expect([kept?.key, kept?.revenue, kept?.units, kept?.orders]).toEqual(["10", 1000, 2, 1]);
    // As the headline's orders with Upshelf count it: order 2 kept nothing of product 20.
    expect([partly?.key, partly?.revenue, partly?.units, partly?.orders]).toEqual(["20", 800, 1, 1]);
    // A product whose only sale came back, and nobody reacted to: not among what earned.
    expect(rankPerformers([returnedAll], (l) => l.productId, [], 10)).toEqual([]);
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

  it("leaves impressions where buyers cannot click (post-purchase offers) out of the click-through rate", () => {
    const events = [
      { key: "70", kind: "impression", count: 100 },
      { key: "70", kind: "offer_shown", count: 900 },
      { key: "70", kind: "click", count: 10 },
      { key: "80", kind: "offer_shown", count: 50 },
      { key: "80", kind: "offer_accepted", count: 5 },
    ];
    const unclickable = [
      { key: "70", count: 900 },
      { key: "80", count: 50 },
    ];
    const ranked = rankPerformers([], (l) => l.productId, events, 10, unclickable);
    // 10 clicks on 100 product-page impressions, not on 1,000; an offer shown only after checkout has no rate.
    expect(ranked.find((p) => p.key === "70")).toMatchObject({ impressions: 1000, clicks: 10, clickThroughRate: 0.1 });
    expect(ranked.find((p) => p.key === "80")).toMatchObject({ clicks: 0, addsToCart: 5, clickThroughRate: null });
    // Without them, the old reading: 1%.
    expect(rankPerformers([], (l) => l.productId, events, 10).find((p) => p.key === "70")?.clickThroughRate).toBe(0.01);
  });

  it("needs the events of only the keys that can reach the top: the ranking is the same as with every key's", () => {
    let state = 3;
    const next = (n: number) => {
      state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
      return Math.floor((state / 2 ** 31) * n);
    };
    let shortcuts = 0;
    for (let round = 0; round < 300; round++) {
      const keys = Array.from({ length: 3 + next(30) }, (_, index) => `p${index}`);
      // Few prices and quantities, so that revenues tie, at the limit too; some lines refunded to nothing.
      const lines = Array.from({ length: next(40) }, (_, index) => ({
        ...line(index, keys[next(keys.length)] ?? "p0", null, [100, 200, 300][next(3)] ?? 100, 1 + next(2)),
        refundedAmount: next(5) === 0 ? 600 : 0,
      }));
      const events: KeyedEventCount[] = Array.from({ length: next(80) }, () => ({
        key: keys[next(keys.length)] ?? "p0",
        kind: ["impression", "click", "add_to_cart", "offer_shown", "offer_accepted", "offer_declined"][next(6)] ?? "click",
        count: 1 + next(3),
      }));
      const limit = 1 + next(12);
      const needed = keysThatCanRankInTop(lines, (l) => l.productId, limit);
      if (needed !== null) shortcuts += 1;
      const someEvents = needed === null ? events : events.filter((event) => needed.includes(event.key));
      expect(rankPerformers(lines, (l) => l.productId, someEvents, limit)).toEqual(rankPerformers(lines, (l) => l.productId, events, limit));
    }
    // Both cases came up: enough earners to skip the others' events, and too few.
    expect(shortcuts).toBeGreaterThan(30);
    expect(shortcuts).toBeLessThan(270);
  });

  it("asks for every key's events when fewer keys earned anything than the list holds", () => {
    const lines = [line(1, "10", null, 500), line(2, "20", null, 0)];
    expect(keysThatCanRankInTop(lines, (l) => l.productId, 2)).toBeNull();
    expect(keysThatCanRankInTop(lines, (l) => l.productId, 1)).toEqual(["10"]);
    // A tie at the last place: both tied keys' events decide between them.
    const tied = [line(1, "10", null, 900), line(2, "20", null, 500), line(3, "30", null, 500), line(4, "40", null, 100)];
    expect(keysThatCanRankInTop(tied, (l) => l.productId, 2)?.sort()).toEqual(["10", "20", "30"]);
  });
});
