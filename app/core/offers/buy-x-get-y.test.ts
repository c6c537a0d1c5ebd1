import { describe, expect, it } from "vitest";
import { priceCart } from "./price-cart";
import { cartOf, line, makeOffer, NOW } from "./test-support";

const tee = (id: string, price: number, quantity = 1) => line(id, price, quantity, { collectionIds: ["tees"] });

describe("buy X get Y", () => {
  const buy2get1 = makeOffer({
    id: "b2g1",
    type: "buyXGetY",
    buy: { items: { collectionIds: ["tees"] }, quantity: 2 },
    get: { items: { collectionIds: ["tees"] }, quantity: 1, percent: 100 },
  });

  it("GIVEN three tees THEN the cheapest is free", () => {
    const result = priceCart({ cart: cartOf([tee("a", 2500), tee("b", 2000), tee("c", 1500)]), offers: [buy2get1], now: NOW });
    expect(result.totalDiscount).toBe(1500);
    expect(result.applied[0]).toMatchObject({ message: "Buy 2 get 1 free", allocations: [{ lineId: "c", amount: 1500, quantity: 1 }] });
  });

  it("GIVEN six tees THEN the two cheapest are free", () => {
    const result = priceCart({
      cart: cartOf([tee("a", 2500, 2), tee("b", 2000, 2), tee("c", 1500), tee("d", 1000)]),
      offers: [buy2get1],
      now: NOW,
    });
    expect(result.totalDiscount).toBe(2500);
  });

  it("GIVEN two tees THEN nothing is free yet", () => {
    const result = priceCart({ cart: cartOf([tee("a", 2500, 2)]), offers: [buy2get1], now: NOW });
    expect(result.totalDiscount).toBe(0);
  });

  it("BOGO at 50% on one line of three: one use, one unit at half price", () => {
    const bogo = makeOffer({
      id: "bogo",
      type: "buyXGetY",
      buy: { items: { productIds: ["mug"] }, quantity: 1 },
      get: { items: { productIds: ["mug"] }, quantity: 1, percent: 50 },
    });
    const result = priceCart({ cart: cartOf([line("m", 1299, 3, { productId: "mug" })]), offers: [bogo], now: NOW });
    // 50% of 12.99 = 6.495 → 6.50
    expect(result.totalDiscount).toBe(650);
    expect(result.applied[0]).toMatchObject({ message: "Buy 1 get 1 at 50% off", allocations: [{ lineId: "m", quantity: 1 }] });
  });

  it("GIVEN different buy and get sets THEN buys qualify and the cheapest get item is discounted", () => {
    const offer = makeOffer({
      id: "camera-case",
      type: "buyXGetY",
      buy: { items: { productIds: ["camera"] }, quantity: 1 },
      get: { items: { collectionIds: ["cases"] }, quantity: 1, percent: 100 },
    });
    const result = priceCart({
      cart: cartOf([
        line("cam", 49900, 1, { productId: "camera" }),
        line("case1", 3900, 1, { collectionIds: ["cases"] }),
        line("case2", 2900, 1, { collectionIds: ["cases"] }),
      ]),
      offers: [offer],
      now: NOW,
    });
    expect(result.totalDiscount).toBe(2900);
  });

  it("GIVEN a unit in both sets THEN it is used as a buy when the get side has its own units", () => {
    const offer = makeOffer({
      id: "overlap",
      type: "buyXGetY",
      buy: { items: { productIds: ["a"] }, quantity: 1 },
      get: { items: { productIds: ["a", "b"] }, quantity: 1, percent: 100 },
    });
    // The only "a" is cheaper than "b", but "a" must be the buy for the offer to apply at all.
    const result = priceCart({
      cart: cartOf([line("a", 500, 1, { productId: "a" }), line("b", 900, 1, { productId: "b" })]),
      offers: [offer],
      now: NOW,
    });
    expect(result.totalDiscount).toBe(900);
  });

  it("free items in KWD are free to the fils", () => {
    const result = priceCart({ cart: cartOf([tee("a", 7250, 3)], "KWD"), offers: [buy2get1], now: NOW });
    expect(result.totalDiscount).toBe(7250);
  });
});
