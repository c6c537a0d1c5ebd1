import { describe, expect, it } from "vitest";
import { priceCart } from "./price-cart";
import { cartOf, line, makeOffer, NOW } from "./test-support";

const ladder = (incentive: Record<string, unknown> | null) =>
  makeOffer({
    id: "ladder",
    type: "upgradeLadder",
    steps: [{ ref: { variantId: "good" } }, { ref: { variantId: "better" } }, { ref: { variantId: "best" } }],
    incentive,
  });

describe("upgrade ladder", () => {
  it("GIVEN the lowest step THEN no incentive applies", () => {
    const result = priceCart({ cart: cartOf([line("a", 4900, 1, { variantId: "good" })]), offers: [ladder({ kind: "percentage", percent: 10 })], now: NOW });
    expect(result.totalDiscount).toBe(0);
  });

  it("GIVEN a higher step THEN its incentive applies to every unit", () => {
    const result = priceCart({
      cart: cartOf([line("a", 7900, 2, { variantId: "better" }), line("b", 9900, 1, { variantId: "best" })]),
      offers: [ladder({ kind: "percentage", percent: 10 })],
      now: NOW,
    });
    expect(result.totalDiscount).toBe(2570);
    expect(result.applied[0]?.message).toBe("Upgrade: save 10%");
  });

  it("a fixed incentive is per unit, in KWD", () => {
    const result = priceCart({
      cart: cartOf([line("a", 25500, 2, { variantId: "best" })], "KWD"),
      offers: [ladder({ kind: "amountOffEach", amount: { amount: 1250, currency: "KWD" } })],
      now: NOW,
    });
    expect(result.totalDiscount).toBe(2500);
    expect(result.applied[0]?.message).toBe("Upgrade: save 1.250 KWD each");
  });

  it("a ladder without incentive only recommends", () => {
    const result = priceCart({ cart: cartOf([line("a", 9900, 1, { variantId: "best" })]), offers: [ladder(null)], now: NOW });
    expect(result.applied).toEqual([]);
  });
});
