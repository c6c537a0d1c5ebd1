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

  it("a fixed incentive above a step's price saves that price, and says so", () => {
    // Saved while "best" cost more; its price has dropped to 4.00 since.
    const result = priceCart({
      cart: cartOf([line("a", 7900, 1, { variantId: "better" }), line("b", 400, 2, { variantId: "best" })]),
      offers: [ladder({ kind: "amountOffEach", amount: { amount: 500, currency: "USD" } })],
      now: NOW,
    });
    expect(result.totalDiscount).toBe(500 + 2 * 400);
    // Lines in the engine's order (by variant id: "best" before "better").
    expect(result.applied[0]?.allocations).toEqual([
      { lineId: "b", amount: 800, quantity: 2, message: "Upgrade: save 4.00 USD each" },
      { lineId: "a", amount: 500, quantity: 1, message: "Upgrade: save 5.00 USD each" },
    ]);
    expect(result.applied[0]?.message).toBe("Upgrade: save 4.00 USD each + Upgrade: save 5.00 USD each");
  });

  it("a ladder without incentive only recommends", () => {
    const result = priceCart({ cart: cartOf([line("a", 9900, 1, { variantId: "best" })]), offers: [ladder(null)], now: NOW });
    expect(result.applied).toEqual([]);
  });
});
