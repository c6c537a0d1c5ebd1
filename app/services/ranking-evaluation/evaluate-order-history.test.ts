import { describe, expect, it } from "vitest";
import type { CatalogProduct, Order } from "~/core/ranking/types";
import { evaluateOrderHistory, EvaluationInputError } from "./evaluate-order-history";

const DAY = 86_400_000;
const orders: Order[] = Array.from({ length: 200 }, (_, i) => ({
  id: `o${i}`,
  createdAt: i * DAY,
  lines: [
    { productId: `p${i % 10}`, quantity: 1 },
    { productId: `p${(i % 10) + 10}`, quantity: 1 },
    // Products first sold in the test period must not enter the catalog.
    ...(i >= 150 ? [{ productId: "launched-late", quantity: 1 }] : []),
  ],
}));
const catalog: CatalogProduct[] = [
  ...Array.from({ length: 20 }, (_, i) => ({ id: `p${i}`, title: `P${i}` })),
  { id: "launched-late", title: "New" },
];

describe("evaluateOrderHistory", () => {
  it("GIVEN a date split THEN evaluates on later orders with the catalog known at training time", async () => {
    const report = await evaluateOrderHistory({
      orders,
      catalog,
      split: { kind: "date", splitAt: 150 * DAY },
      k: 3,
      associationRules: { minSupport: 0.05 },
    });
    expect(report.trainOrders).toBe(150);
    expect(report.testOrders).toBe(50);
    expect(report.catalogSize).toBe(20);
    expect(Object.keys(report.tasks.cart.models)).toContain("fpgrowth");
    // Every test pair is a pattern seen in training: pure co-purchase answers are perfect.
    expect(report.tasks.cart.models.upshelf!.hitRate).toBe(1);
  });

  it("GIVEN a split that leaves one side empty THEN says which", async () => {
    await expect(evaluateOrderHistory({ orders, catalog, split: { kind: "date", splitAt: 0 }, k: 3 })).rejects.toThrow(
      EvaluationInputError
    );
    await expect(evaluateOrderHistory({ orders, catalog, split: { kind: "date", splitAt: 10_000 * DAY }, k: 3 })).rejects.toThrow(
      /no test orders/
    );
  });

  it("supports a seeded random holdout", async () => {
    const a = await evaluateOrderHistory({ orders, catalog, split: { kind: "holdout", fraction: 0.25, seed: 3 }, k: 3 });
    const b = await evaluateOrderHistory({ orders, catalog, split: { kind: "holdout", fraction: 0.25, seed: 3 }, k: 3 });
    expect(a).toEqual(b);
    expect(a.testOrders).toBeGreaterThan(20);
  });

  it("GIVEN test orders with fewer than two products known from training THEN says there is nothing to predict", async () => {
    const test: Order[] = [
      { id: "t1", createdAt: 0, lines: [{ productId: "p1", quantity: 3 }] },
      // Only one of these was sold in training: nothing can be hidden and predicted.
      { id: "t2", createdAt: 0, lines: [{ productId: "p2", quantity: 1 }, { productId: "never-sold", quantity: 1 }] },
      // Cancelled orders ask nothing either.
      { id: "t3", createdAt: 0, cancelled: true, lines: [{ productId: "p1", quantity: 1 }, { productId: "p2", quantity: 1 }] },
    ];
    const run = evaluateOrderHistory({ orders, catalog, split: { kind: "given", test }, k: 3 });
    await expect(run).rejects.toThrow(EvaluationInputError);
    await expect(evaluateOrderHistory({ orders, catalog, split: { kind: "given", test }, k: 3 })).rejects.toThrow(
      "None of the 3 test orders has two or more products that the training orders sold (cancelled orders aside), so there is nothing to predict. Test on orders with several products, or train on more orders."
    );
  });
});
