import { describe, expect, it } from "vitest";
import { priceCart } from "./price-cart";
import { cartOf, combinesWithAll, line, makeOffer, NOW } from "./test-support";

const tiers = makeOffer({
  id: "spend",
  type: "spendTiers",
  tiers: [
    { minSubtotal: { amount: 10000, currency: "USD", byCurrency: { EUR: 9000 } }, value: { kind: "percentage", percent: 10 } },
    { minSubtotal: { amount: 25000, currency: "USD", byCurrency: { EUR: 23000 } }, value: { kind: "percentage", percent: 15 } },
  ],
  combinesWith: combinesWithAll,
});

describe("spend tiers", () => {
  it("GIVEN a subtotal under the first tier THEN no discount", () => {
    expect(priceCart({ cart: cartOf([line("a", 9999)]), offers: [tiers], now: NOW }).totalDiscount).toBe(0);
  });

  it("GIVEN 100.00 exactly THEN 10% off the order, as an order discount", () => {
    const result = priceCart({ cart: cartOf([line("a", 6000), line("b", 4000)]), offers: [tiers], now: NOW });
    expect(result.totalDiscount).toBe(1000);
    expect(result.applied[0]).toMatchObject({ discountClass: "order", message: "Spend 100.00 USD: save 10%" });
    expect(result.applied[0]?.allocations.map((a) => a.amount)).toEqual([600, 400]);
  });

  it("GIVEN 250.00 THEN the higher tier", () => {
    const result = priceCart({ cart: cartOf([line("a", 12500, 2)]), offers: [tiers], now: NOW });
    expect(result.totalDiscount).toBe(3750);
  });

  it("uses the market's own EUR threshold instead of a converted one", () => {
    // 90.00 EUR reaches the first tier even though 100 USD × 1.1 would be 110 EUR.
    const result = priceCart({ cart: cartOf([line("a", 9000)], "EUR", "1.1"), offers: [tiers], now: NOW });
    expect(result.totalDiscount).toBe(900);
    expect(result.applied[0]?.message).toBe("Spend 90.00 EUR: save 10%");
  });

  it("converts thresholds for a market without its own (JPY), rounding half up", () => {
    // 100.00 USD × 151.37 = ¥15137
    const below = priceCart({ cart: cartOf([line("a", 15136)], "JPY", "151.37"), offers: [tiers], now: NOW });
    const at = priceCart({ cart: cartOf([line("a", 15137)], "JPY", "151.37"), offers: [tiers], now: NOW });
    expect(below.totalDiscount).toBe(0);
    expect(at.totalDiscount).toBe(1514);
    expect(at.applied[0]?.message).toBe("Spend 15137 JPY: save 10%");
  });

  it("does not apply in a market where its amount off would reach the threshold (stored before that was refused)", () => {
    const valid = makeOffer({
      id: "fixed",
      type: "spendTiers",
      tiers: [{ minSubtotal: { amount: 10000, currency: "USD" }, value: { kind: "amountOff", amount: { amount: 6000, currency: "USD" } } }],
    });
    if (valid.type !== "spendTiers") throw new Error("spend tiers expected");
    // 50.00 EUR pinned, the 60.00 USD off converted at 0.92 (55.20 EUR): the whole order would be free.
    const tier = valid.tiers[0]!;
    const stored = { ...valid, tiers: [{ ...tier, minSubtotal: { ...tier.minSubtotal, byCurrency: { EUR: 5000 } } }] };
    expect(priceCart({ cart: cartOf([line("a", 5000)], "EUR", "0.92"), offers: [stored], now: NOW }).totalDiscount).toBe(0);
    // In the shop currency it still applies.
    expect(priceCart({ cart: cartOf([line("a", 10000)]), offers: [stored], now: NOW }).totalDiscount).toBe(6000);
  });

  it("does not apply to a foreign-currency cart without a rate rather than guess", () => {
    expect(priceCart({ cart: cartOf([line("a", 50000)], "GBP"), offers: [tiers], now: NOW }).totalDiscount).toBe(0);
  });

  it("takes a fixed amount off in KWD, converted to the fils", () => {
    const fixed = makeOffer({
      id: "fixed",
      type: "spendTiers",
      tiers: [{ minSubtotal: { amount: 5000, currency: "USD" }, value: { kind: "amountOff", amount: { amount: 1000, currency: "USD" } } }],
    });
    // Threshold 50 USD × 0.3071 = 15.355 KWD; 10 USD → 3.071 KWD
    const result = priceCart({ cart: cartOf([line("a", 15355)], "KWD", "0.3071"), offers: [fixed], now: NOW });
    expect(result.totalDiscount).toBe(3071);
  });

  it("states what it takes off when an order discount before it leaves less than its amount (never more than checkout takes)", () => {
    const half = makeOffer({ id: "a-half", priority: 5, type: "spendTiers", combinesWith: combinesWithAll, tiers: [{ minSubtotal: { amount: 10000, currency: "USD" }, value: { kind: "percentage", percent: 50 } }] });
    const sixty = makeOffer({ id: "b-sixty", type: "spendTiers", combinesWith: combinesWithAll, tiers: [{ minSubtotal: { amount: 10000, currency: "USD" }, value: { kind: "amountOff", amount: { amount: 6000, currency: "USD" } } }] });
    const priced = priceCart({ cart: cartOf([line("a", 10000)]), offers: [half, sixty], now: NOW });
    expect(priced.applied.map((applied) => [applied.offerId, applied.amount, applied.message])).toEqual([
      ["a-half", 5000, "Spend 100.00 USD: save 50%"],
      ["b-sixty", 5000, "Spend 100.00 USD: save 50.00 USD"],
    ]);
    // With room for all of it, the tier says its own amount.
    const room = priceCart({ cart: cartOf([line("a", 20000)]), offers: [half, sixty], now: NOW });
    expect(room.applied.find((applied) => applied.offerId === "b-sixty")).toMatchObject({ amount: 6000, message: "Spend 100.00 USD: save 60.00 USD" });
  });

  it("counts spend after the product discounts it combines with", () => {
    const bundle = makeOffer({
      id: "bundle",
      type: "mixAndMatch",
      eligible: { productIds: ["p"] },
      setSize: 2,
      pricing: { kind: "percentage", percent: 10 },
      combinesWith: combinesWithAll,
    });
    // 2 × 55.00 = 110.00, bundle saves 11.00 → 99.00 spent: below the 100.00 tier.
    const result = priceCart({ cart: cartOf([line("a", 5500, 2, { productId: "p" })]), offers: [bundle, tiers], now: NOW });
    // Best for the buyer: the tier alone (11.00) ties the bundle alone (11.00); both together are not possible.
    expect(result.totalDiscount).toBe(1100);
    // On a tie, precedence decides: equal priority, so the lower id ("bundle").
    expect(result.applied.map((offer) => offer.offerId)).toEqual(["bundle"]);
  });
});
