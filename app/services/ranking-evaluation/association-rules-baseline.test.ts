import { describe, expect, it } from "vitest";
import type { Order } from "~/core/ranking/types";
import { associationRulesBaseline } from "./association-rules-baseline";

const order = (id: string, products: string[]): Order => ({
  id,
  createdAt: 0,
  lines: products.map((productId) => ({ productId, quantity: 1 })),
});

describe("associationRulesBaseline", () => {
  // "pen" → "ink" holds in 9 of 10 pen orders; "paper" is the best seller but unrelated to pens.
  const train: Order[] = [
    ...Array.from({ length: 9 }, (_, i) => order(`pi${i}`, ["pen", "ink"])),
    order("p", ["pen"]),
    ...Array.from({ length: 30 }, (_, i) => order(`pa${i}`, ["paper"])),
    ...Array.from({ length: 5 }, (_, i) => order(`pe${i}`, ["paper", "envelope"])),
    ...Array.from({ length: 4 }, (_, i) => order(`pie${i}`, ["pen", "ink", "envelope"])),
  ];
  const candidates = ["pen", "ink", "paper", "envelope", "stamp"];

  it("GIVEN a confident rule THEN its consequent ranks first, the rest follow by popularity", async () => {
    const model = await associationRulesBaseline(train, candidates, { minSupport: 0.05, minSupportBaskets: 1 });
    expect(model.name).toBe("fpgrowth");
    const list = model.recommend(["pen"], 5);
    expect(list[0]).toBe("ink");
    expect(list).not.toContain("pen");
    expect(list).toHaveLength(4);
    // No rule reaches paper or stamp from "pen": popularity order decides (paper, then stamp).
    expect(list.indexOf("paper")).toBeLessThan(list.indexOf("stamp"));
  });

  it("uses two-item antecedents when both are in the cart", async () => {
    const model = await associationRulesBaseline(train, candidates, { minSupport: 0.05, minSupportBaskets: 1 });
    // {pen, ink} → envelope has confidence 4/13, more than ink → envelope (4/13 too) or pen → envelope.
    expect(model.recommend(["pen", "ink"], 1)).toEqual(["envelope"]);
  });

  it("GIVEN too many itemsets at the requested support THEN raises the support instead of exhausting memory", async () => {
    // 40 identical 12-item baskets: every one of the 4,095 subsets is frequent at any support.
    const items = Array.from({ length: 12 }, (_, i) => `i${i}`);
    const heavy = Array.from({ length: 40 }, (_, i) => order(`h${i}`, items));
    const model = await associationRulesBaseline([...heavy, ...train], [...items, ...candidates], {
      minSupport: 0.01,
      minSupportBaskets: 1,
      maxItemsets: 1_000,
    });
    // The heavy subsets (support 40/89) only fall below 1,000 itemsets once support passes them.
    expect(model.minSupport).toBeGreaterThan(40 / 89);
    // No rule survives, so popularity decides.
    expect(model.recommend(["pen"], 1)).toEqual(["i0"]);
  });

  it("GIVEN few baskets THEN the support is at least 30 baskets by default", async () => {
    const model = await associationRulesBaseline(train, candidates, { minSupport: 0.01 });
    expect(model.minSupport).toBeCloseTo(30 / train.length, 12);
  });

  it("GIVEN no training orders THEN falls back to candidate order", async () => {
    const model = await associationRulesBaseline([], candidates);
    expect(model.recommend(["pen"], 2)).toEqual(["ink", "paper"]);
  });
});
