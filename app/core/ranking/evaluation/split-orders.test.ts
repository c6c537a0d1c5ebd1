import { describe, expect, it } from "vitest";
import { mulberry32 } from "../random";
import type { Order } from "../types";
import { splitOrdersByDate, splitOrdersRandomly } from "./split-orders";

const orders: Order[] = Array.from({ length: 1_000 }, (_, i) => ({
  id: `${i}`,
  createdAt: i * 1_000,
  lines: [{ productId: "a", quantity: 1 }],
}));

describe("order splits", () => {
  it("splits by date: before the cut trains, from it tests", () => {
    const { train, test } = splitOrdersByDate(orders, 500_000);
    expect(train).toHaveLength(500);
    expect(test[0]!.createdAt).toBe(500_000);
  });

  it("holds out about the requested fraction, reproducibly", () => {
    const split = splitOrdersRandomly(orders, 0.2, mulberry32(9));
    expect(split.test.length).toBeGreaterThan(150);
    expect(split.test.length).toBeLessThan(250);
    expect(split.train.length + split.test.length).toBe(1_000);
    expect(splitOrdersRandomly(orders, 0.2, mulberry32(9)).test).toEqual(split.test);
    expect(() => splitOrdersRandomly(orders, 1, mulberry32(9))).toThrow(RangeError);
  });
});
