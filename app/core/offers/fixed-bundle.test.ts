import { describe, expect, it } from "vitest";
import { priceCart } from "./price-cart";
import { cartOf, line, makeOffer, NOW } from "./test-support";

const bundle = (pricing: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  makeOffer({
    id: "kit",
    type: "fixedBundle",
    items: [
      { ref: { productId: "shampoo" }, quantity: 1 },
      { ref: { productId: "conditioner" }, quantity: 1 },
    ],
    pricing,
    ...extra,
  });

describe("fixed bundle", () => {
  it("GIVEN both items WHEN priced at 10% off THEN saves 10% of the pair, spread by price", () => {
    const result = priceCart({
      cart: cartOf([line("a", 1299, 1, { productId: "shampoo" }), line("b", 999, 1, { productId: "conditioner" })]),
      offers: [bundle({ kind: "percentage", percent: 10 })],
      now: NOW,
    });
    // 10% of 22.98 = 2.298 → 2.30; split 1299:999 → 1.30 + 1.00
    expect(result.totalDiscount).toBe(230);
    expect(result.applied[0]?.message).toBe("Bundle: save 10%");
    expect(result.applied[0]?.allocations.map((a) => [a.lineId, a.amount])).toEqual([
      ["a", 130],
      ["b", 100],
    ]);
  });

  it("GIVEN one item missing THEN nothing applies", () => {
    const result = priceCart({
      cart: cartOf([line("a", 1299, 3, { productId: "shampoo" })]),
      offers: [bundle({ kind: "percentage", percent: 10 })],
      now: NOW,
    });
    expect(result.totalDiscount).toBe(0);
    expect(result.applied).toEqual([]);
  });

  it("GIVEN two complete sets and a spare unit THEN discounts the two sets only", () => {
    const result = priceCart({
      cart: cartOf([line("a", 1000, 3, { productId: "shampoo" }), line("b", 500, 2, { productId: "conditioner" })]),
      offers: [bundle({ kind: "amountOff", amount: { amount: 300, currency: "USD" } })],
      now: NOW,
    });
    expect(result.totalDiscount).toBe(600);
    expect(result.applied[0]?.allocations).toEqual([
      { lineId: "a", amount: 400, quantity: 2, message: "Bundle: save 3.00 USD" },
      { lineId: "b", amount: 200, quantity: 2, message: "Bundle: save 3.00 USD" },
    ]);
  });

  it("GIVEN an amount off above the set's price THEN the set is free and the words say what it saved", () => {
    // Saved when the items cost more; they are 1.00 and 1.50 now.
    const result = priceCart({
      cart: cartOf([line("a", 100, 1, { productId: "shampoo" }), line("b", 150, 1, { productId: "conditioner" })]),
      offers: [bundle({ kind: "amountOff", amount: { amount: 300, currency: "USD" } })],
      now: NOW,
    });
    expect(result.totalDiscount).toBe(250);
    expect(result.applied[0]?.message).toBe("Bundle: save 2.50 USD");
    expect(result.applied[0]?.allocations.map((a) => a.message)).toEqual(["Bundle: save 2.50 USD", "Bundle: save 2.50 USD"]);
  });

  it("GIVEN two sets of which one is cheaper than the amount off THEN the words state their total", () => {
    // Set 1: 10.00 + 1.00 saves 3.00; set 2 (a cheaper shampoo variant): 1.00 + 1.00 saves 2.00.
    const result = priceCart({
      cart: cartOf([
        line("a", 1000, 1, { productId: "shampoo", variantId: "shampoo-large" }),
        line("s", 100, 1, { productId: "shampoo", variantId: "shampoo-sample" }),
        line("b", 100, 2, { productId: "conditioner" }),
      ]),
      offers: [bundle({ kind: "amountOff", amount: { amount: 300, currency: "USD" } })],
      now: NOW,
    });
    expect(result.totalDiscount).toBe(500);
    expect(result.applied[0]?.message).toBe("Bundle: save 5.00 USD on 2 bundles");
  });

  it("GIVEN a fixed bundle price THEN the set costs exactly that price", () => {
    const result = priceCart({
      cart: cartOf([line("a", 1299, 1, { productId: "shampoo" }), line("b", 999, 1, { productId: "conditioner" })]),
      offers: [bundle({ kind: "fixedPrice", price: { amount: 1999, currency: "USD" } })],
      now: NOW,
    });
    expect(result.total).toBe(1999);
    expect(result.applied[0]?.message).toBe("Bundle price: 19.99 USD");
  });

  it("GIVEN a limit of one set per order THEN a second set pays full price", () => {
    const result = priceCart({
      cart: cartOf([line("a", 1000, 2, { productId: "shampoo" }), line("b", 1000, 2, { productId: "conditioner" })]),
      offers: [bundle({ kind: "percentage", percent: 50 }, { maxSetsPerOrder: 1 })],
      now: NOW,
    });
    expect(result.totalDiscount).toBe(1000);
  });

  it("GIVEN variants of one product at different prices THEN the dearer variant goes in the bundle", () => {
    const result = priceCart({
      cart: cartOf([
        line("small", 800, 1, { productId: "shampoo", variantId: "s" }),
        line("large", 1500, 1, { productId: "shampoo", variantId: "l" }),
        line("b", 1000, 1, { productId: "conditioner" }),
      ]),
      offers: [bundle({ kind: "percentage", percent: 20 })],
      now: NOW,
    });
    expect(result.totalDiscount).toBe(500);
    expect(result.applied[0]?.allocations.map((a) => a.lineId).sort()).toEqual(["b", "large"]);
  });

  it("prices a JPY bundle configured in JPY, rounding to whole yen", () => {
    const result = priceCart({
      cart: cartOf([line("a", 1980, 1, { productId: "shampoo" }), line("b", 1490, 1, { productId: "conditioner" })], "JPY"),
      offers: [bundle({ kind: "percentage", percent: 15 })],
      now: NOW,
    });
    // 15% of ¥3470 = ¥520.5 → ¥521 (half up)
    expect(result.totalDiscount).toBe(521);
    expect(result.applied[0]?.allocations.reduce((sum, a) => sum + a.amount, 0)).toBe(521);
  });

  it("converts a USD amount off into a KWD cart at the presentment rate, to the fils", () => {
    const result = priceCart({
      cart: cartOf([line("a", 4000, 1, { productId: "shampoo" }), line("b", 3000, 1, { productId: "conditioner" })], "KWD", "0.3071"),
      offers: [bundle({ kind: "amountOff", amount: { amount: 500, currency: "USD" } })],
      now: NOW,
    });
    // 5.00 USD × 0.3071 = 1.5355 KWD → 1.536 KWD (1536 fils, half up)
    expect(result.totalDiscount).toBe(1536);
    expect(result.applied[0]?.message).toBe("Bundle: save 1.536 KWD");
  });
});
