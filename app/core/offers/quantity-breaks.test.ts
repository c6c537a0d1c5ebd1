import { describe, expect, it } from "vitest";
import { priceCart } from "./price-cart";
import { cartOf, line, makeOffer, NOW } from "./test-support";

const breaks = (extra: Record<string, unknown> = {}) =>
  makeOffer({
    id: "breaks",
    type: "quantityBreaks",
    eligible: { collectionIds: ["coffee"] },
    tiers: [
      { minQuantity: 2, value: { kind: "percentage", percent: 10 } },
      { minQuantity: 3, value: { kind: "percentage", percent: 15 } },
      { minQuantity: 5, value: { kind: "percentage", percent: 25 } },
    ],
    ...extra,
  });

const bag = (id: string, price: number, quantity: number, productId = `p-${id}`) =>
  line(id, price, quantity, { productId, collectionIds: ["coffee"] });

describe("quantity breaks", () => {
  it.each([
    [1, 0],
    [2, 260],
    [3, 585],
    [4, 780],
    [5, 1625],
  ])("GIVEN %i bags at 13.00 THEN saves %i cents", (quantity, saving) => {
    const result = priceCart({ cart: cartOf([bag("a", 1300, quantity)]), offers: [breaks()], now: NOW });
    expect(result.totalDiscount).toBe(saving);
  });

  it("counts different products of the collection together by default", () => {
    const result = priceCart({ cart: cartOf([bag("a", 1000, 2), bag("b", 1500, 1)]), offers: [breaks()], now: NOW });
    // 3 units → 15% of 35.00
    expect(result.totalDiscount).toBe(525);
    expect(result.applied[0]?.message).toBe("Buy 3+: save 15%");
  });

  it("counts each product on its own when configured per product", () => {
    const result = priceCart({
      cart: cartOf([bag("a", 1000, 2), bag("b", 1500, 1)]),
      offers: [breaks({ countPer: "product" })],
      now: NOW,
    });
    // Only product a reaches a tier: 10% of 20.00
    expect(result.totalDiscount).toBe(200);
    expect(result.applied[0]?.allocations).toEqual([{ lineId: "a", amount: 200, quantity: 2, message: "Buy 2+: save 10%" }]);
  });

  it("prices a very large cart in a currency without decimals exactly (units × price × basis points outgrow a safe number)", () => {
    // 10,000 units at 100,000,000 VND: 10^12 VND, the top tier's 25% off = 2.5 × 10^11, across two lines.
    const result = priceCart({
      cart: cartOf([line("a", 100_000_000, 6_000, { collectionIds: ["coffee"] }), line("b", 100_000_000, 4_000, { collectionIds: ["coffee"] })], "VND"),
      offers: [breaks()],
      now: NOW,
    });
    expect(result.totalDiscount).toBe(250_000_000_000);
    expect(result.lines.map((priced) => priced.discount)).toEqual([150_000_000_000, 100_000_000_000]);
  });

  it("rounds once over the offer, not per line", () => {
    const result = priceCart({
      cart: cartOf([bag("a", 333, 1), bag("b", 333, 1), bag("c", 333, 1)]),
      offers: [breaks()],
      now: NOW,
    });
    // 15% of 9.99 = 1.4985 → 1.50 (per-line rounding would give 3 × 0.50 = 1.50 too, but via 0.4995 each)
    expect(result.totalDiscount).toBe(150);
    expect(result.applied[0]?.allocations.map((a) => a.amount)).toEqual([50, 50, 50]);
  });

  it("applies a fixed amount off each unit, never more than the unit's price, in JPY", () => {
    const offer = makeOffer({
      id: "yen",
      type: "quantityBreaks",
      eligible: { productIds: ["tea"] },
      tiers: [{ minQuantity: 3, value: { kind: "amountOffEach", amount: { amount: 150, currency: "JPY" } } }],
    });
    const result = priceCart({
      cart: cartOf([line("t", 980, 3, { productId: "tea" }), line("u", 120, 1, { productId: "tea" })], "JPY"),
      offers: [offer],
      now: NOW,
    });
    expect(result.totalDiscount).toBe(3 * 150 + 120);
    // The 120 JPY unit saves 120, not the 150 configured: its words say so, and the offer's name
    // what each of its lines saves.
    expect(result.applied[0]?.allocations).toEqual([
      { lineId: "t", amount: 450, quantity: 3, message: "Buy 3+: save 150 JPY each" },
      { lineId: "u", amount: 120, quantity: 1, message: "Buy 3+: save 120 JPY each" },
    ]);
    expect(result.applied[0]?.message).toBe("Buy 3+: save 150 JPY each + Buy 3+: save 120 JPY each");
  });

  it("names each tier its lines reached when products count on their own", () => {
    const result = priceCart({
      cart: cartOf([bag("a", 1000, 3), bag("b", 1500, 2)]),
      offers: [breaks({ countPer: "product" })],
      now: NOW,
    });
    // a: 15% of 30.00; b: 10% of 30.00. "Buy 3+: save 15%" alone would promise b 15% too.
    expect(result.totalDiscount).toBe(750);
    expect(result.applied[0]?.allocations.map((a) => [a.lineId, a.amount, a.message])).toEqual([
      ["a", 450, "Buy 3+: save 15%"],
      ["b", 300, "Buy 2+: save 10%"],
    ]);
    expect(result.applied[0]?.message).toBe("Buy 3+: save 15% + Buy 2+: save 10%");
  });
});
