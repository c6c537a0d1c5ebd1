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
      { anchors: ["b", "c"], hidden: "a" },
      { anchors: ["a", "c"], hidden: "b" },
      { anchors: ["a", "b"], hidden: "c" },
    ]);
    expect(pdp).toEqual([{ anchor: "a", targets: new Set(["b", "c"]) }]);
  });

  it("skips orders with fewer than two known products, and cancelled orders", () => {
    const known = new Set(["a", "b"]);
    const queries = buildEvaluationQueries([order("1", ["a", "x"]), order("2", ["a", "b"], true)], known);
    expect(queries).toEqual({ cart: [], pdp: [] });
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
