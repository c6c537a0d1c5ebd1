import { describe, expect, it } from "vitest";
import { basketItems } from "./basket-items";
import type { Order } from "./types";

const order = (lines: [string, number, number?][]): Order => ({
  id: "o",
  createdAt: 0,
  lines: lines.map(([productId, quantity, unitPrice]) => ({
    productId,
    quantity,
    ...(unitPrice !== undefined ? { unitPrice } : {}),
  })),
});

describe("basketItems", () => {
  it("GIVEN a product on two lines THEN it is one basket item", () => {
    const items = basketItems(
      order([
        ["A", 1],
        ["B", 2],
        ["A", 5],
      ]),
      35
    );
    expect(items.distinct).toEqual(["A", "B"]);
    expect(items.paired).toEqual(["A", "B"]);
  });

  it("GIVEN more items than the cap THEN pairs use the highest-spend items, kept in line order", () => {
    const items = basketItems(
      order([
        ["cheap", 1, 100],
        ["big", 10, 500],
        ["mid", 2, 300],
        ["tiny", 1, 50],
      ]),
      2
    );
    expect(items.distinct).toHaveLength(4);
    expect(items.paired).toEqual(["big", "mid"]);
  });

  it("GIVEN an order in another currency THEN the same items are paired: spend only ranks lines within one order", () => {
    // An order's lines share its currency, so any exchange rate scales them all alike.
    const lines: [string, number, number][] = [
      ["cheap", 1, 100],
      ["big", 10, 500],
      ["mid", 2, 300],
      ["tiny", 1, 50],
    ];
    const inShopCurrency = basketItems(order(lines), 2);
    for (const rate of [0.0073, 1.17, 151.4]) {
      const converted = lines.map(([id, quantity, price]): [string, number, number] => [id, quantity, Math.round(price * rate)]);
      expect(basketItems(order(converted), 2)).toEqual(inShopCurrency);
    }
  });
});
