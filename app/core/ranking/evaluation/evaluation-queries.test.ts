import { describe, expect, it } from "vitest";
import { mulberry32 } from "../random";
import type { Order } from "../types";
import { buildEvaluationQueries, sampleQueries } from "./evaluation-queries";

const order = (id: string, products: string[], cancelled = false): Order => ({
  id,
  createdAt: 0,
  lines: products.map((productId) => ({ productId, quantity: 1 })),
  ...(cancelled ? { cancelled } : {}),
});

describe("buildEvaluationQueries", () => {
  it("GIVEN a test basket THEN each known item is hidden once and the first is the product page", () => {
    const known = new Set(["a", "b", "c"]);
    const { cart, pdp } = buildEvaluationQueries([order("1", ["a", "new", "b", "c", "a"])], known);
    expect(cart).toEqual([
      { order: 0, anchors: ["b", "c"], hidden: "a" },
      { order: 0, anchors: ["a", "c"], hidden: "b" },
      { order: 0, anchors: ["a", "b"], hidden: "c" },
    ]);
    expect(pdp).toEqual([{ order: 0, anchor: "a", targets: new Set(["b", "c"]) }]);
  });

  it("numbers the orders that ask something, the same in both tasks", () => {
    const known = new Set(["a", "b", "c"]);
    const queries = buildEvaluationQueries([order("1", ["a", "b"]), order("2", ["a"]), order("3", ["c", "b", "a"])], known);
    expect(queries.orders).toBe(2);
    expect(queries.cart.map((query) => query.order)).toEqual([0, 0, 1, 1, 1]);
    expect(queries.pdp.map((query) => [query.order, query.anchor])).toEqual([
      [0, "a"],
      [1, "c"],
    ]);
  });

  it("skips orders with fewer than two known products, and cancelled orders", () => {
    const known = new Set(["a", "b"]);
    const queries = buildEvaluationQueries([order("1", ["a", "x"]), order("2", ["a", "b"], true)], known);
    expect(queries).toEqual({ cart: [], pdp: [], orders: 0 });
  });

  it("caps the anchors of a cart query", () => {
    const products = Array.from({ length: 30 }, (_, i) => `p${i}`);
    const { cart } = buildEvaluationQueries([order("1", products)], new Set(products), 20);
    expect(cart[0]!.anchors).toHaveLength(20);
  });
});

describe("sampleQueries", () => {
  it("keeps everything under the cap, else a seeded subset in the original order", () => {
    const items = Array.from({ length: 100 }, (_, i) => i);
    expect(sampleQueries(items, undefined, mulberry32(1))).toEqual(items);
    const sample = sampleQueries(items, 10, mulberry32(1));
    expect(sample).toHaveLength(10);
    expect([...sample].sort((a, b) => a - b)).toEqual(sample);
    expect(sampleQueries(items, 10, mulberry32(1))).toEqual(sample);
  });
});
