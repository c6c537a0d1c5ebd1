import { describe, expect, it } from "vitest";
import { priceCart } from "./price-cart";
import { cartOf, line, makeOffer, NOW } from "./test-support";

const socks = (pricing: Record<string, unknown>, setSize = 3) =>
  makeOffer({ id: "socks", type: "mixAndMatch", eligible: { collectionIds: ["socks"] }, setSize, pricing });

const sock = (id: string, price: number, quantity = 1) => line(id, price, quantity, { collectionIds: ["socks"] });

describe("mix and match", () => {
  it("GIVEN 4 eligible items WHEN any 3 are 15% off THEN the 3 dearest are discounted", () => {
    const result = priceCart({
      cart: cartOf([sock("a", 1000), sock("b", 800), sock("c", 600), sock("d", 400)]),
      offers: [socks({ kind: "percentage", percent: 15 })],
      now: NOW,
    });
    // 15% of (10 + 8 + 6) = 3.60
    expect(result.totalDiscount).toBe(360);
    expect(result.applied[0]?.message).toBe("Any 3: save 15%");
    expect(result.applied[0]?.allocations.map((a) => a.lineId)).toEqual(["a", "b", "c"]);
  });

  it("GIVEN 'any 3 for 20.00' and 6 items THEN two sets at 20.00 each", () => {
    const result = priceCart({
      cart: cartOf([sock("a", 900, 4), sock("b", 700, 2)]),
      offers: [socks({ kind: "fixedPrice", price: { amount: 2000, currency: "USD" } })],
      now: NOW,
    });
    // Sets: (9+9+9)=27 → 20, (9+7+7)=23 → 20
    expect(result.total).toBe(4000);
    expect(result.applied[0]?.message).toBe("Any 3 for 20.00 USD");
  });

  it("GIVEN a set price above the items' price THEN no set is formed", () => {
    const result = priceCart({
      cart: cartOf([sock("a", 500, 3)]),
      offers: [socks({ kind: "fixedPrice", price: { amount: 2000, currency: "USD" } })],
      now: NOW,
    });
    expect(result.applied).toEqual([]);
  });

  it("GIVEN an amount off above a set's price THEN that set saves its price, and the words state what the sets saved", () => {
    const result = priceCart({
      cart: cartOf([sock("a", 1000, 2), sock("b", 200, 2)]),
      offers: [socks({ kind: "amountOff", amount: { amount: 500, currency: "USD" } }, 2)],
      now: NOW,
    });
    // (10 + 10) saves 5.00; (2 + 2) is free: 4.00.
    expect(result.totalDiscount).toBe(900);
    expect(result.applied[0]?.message).toBe("Any 2: save 9.00 USD on 2 sets");
    const cheap = priceCart({ cart: cartOf([sock("b", 200, 2)]), offers: [socks({ kind: "amountOff", amount: { amount: 500, currency: "USD" } }, 2)], now: NOW });
    expect(cheap.applied[0]).toMatchObject({ amount: 400, message: "Any 2: save 4.00 USD" });
  });

  it("prices a JPY set with an amount off", () => {
    const result = priceCart({
      cart: cartOf([sock("a", 550, 2)], "JPY"),
      offers: [socks({ kind: "amountOff", amount: { amount: 300, currency: "JPY" } }, 2)],
      now: NOW,
    });
    expect(result.totalDiscount).toBe(300);
    expect(result.applied[0]?.message).toBe("Any 2: save 300 JPY");
  });
});
