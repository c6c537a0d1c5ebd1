import { describe, expect, it } from "vitest";
import { mulberry32 } from "../random";
import type { CatalogProduct, Order } from "../types";
import { evaluateRanking, evaluateRankingSteps } from "./evaluate-ranking";

/**
 * A synthetic shop with planted structure: 60 products in 12 "sets" of 5 that are bought
 * together, plus a few best sellers that go into random baskets. A recommender that learns
 * co-purchase must beat popularity by far on held-out orders.
 */
function syntheticShop(seed: number) {
  const rng = mulberry32(seed);
  const catalog: CatalogProduct[] = Array.from({ length: 60 }, (_, i) => ({ id: `p${i}`, title: `Product ${i}` }));
  const orders: Order[] = [];
  for (let i = 0; i < 1_500; i++) {
    const set = Math.floor(rng() * 12);
    const items = new Set<string>();
    for (let j = 0; j < 5; j++) if (rng() < 0.6) items.add(`p${set * 5 + j}`);
    if (rng() < 0.5) items.add(`p${Math.floor(rng() * 3)}`);
    orders.push({ id: `o${i}`, createdAt: i * 3_600_000, lines: [...items].map((productId) => ({ productId, quantity: 1 })) });
  }
  return { catalog, orders };
}

describe("evaluateRanking", () => {
  const { catalog, orders } = syntheticShop(4);
  const report = evaluateRanking({ train: orders.slice(0, 1_200), test: orders.slice(1_200), catalog, k: 5 });

  it("reports every model on both tasks, with coverage and popular share", () => {
    expect(Object.keys(report.tasks.cart.models).sort()).toEqual(["cooccurrence", "cosine", "jaccard", "popularity", "upshelf"]);
    expect(Object.keys(report.tasks.pdp.models).sort()).toEqual(["cooccurrence", "cosine", "jaccard", "popularity", "upshelf"]);
    expect(report.tasks.cart.queries).toBeGreaterThan(300);
    expect(report.coverage).toBe(1);
    expect(report.popularShare).toBeGreaterThanOrEqual(0);
    expect(report.popularShare).toBeLessThanOrEqual(1);
  });

  it("GIVEN planted co-purchase structure THEN co-purchase models beat popularity by far", () => {
    const cart = report.tasks.cart.models;
    expect(cart.upshelf!.hitRate).toBeGreaterThan(2 * cart.popularity!.hitRate);
    expect(cart.cosine!.hitRate).toBeGreaterThan(2 * cart.popularity!.hitRate);
    expect(report.tasks.pdp.models.upshelf!.recall).toBeGreaterThan(report.tasks.pdp.models.popularity!.recall);
    for (const metrics of Object.values(cart)) {
      expect(metrics.mrr).toBeLessThanOrEqual(metrics.hitRate + 1e-12 + 1 / 6);
      expect(metrics.ndcg).toBeLessThanOrEqual(metrics.hitRate);
    }
  });

  it("states Upshelf's margin over the best other model on each metric, with an interval around it", () => {
    const cart = report.tasks.cart.models;
    const margin = report.margins.cart.hitRate!;
    const best = Object.entries(cart)
      .filter(([name]) => name !== "upshelf")
      .reduce((a, b) => (b[1].hitRate > a[1].hitRate ? b : a));
    expect(margin.baseline).toBe(best[0]);
    expect(margin.relative).toBeCloseTo(cart.upshelf!.hitRate / best[1].hitRate - 1, 10);
    for (const found of [...Object.values(report.margins.cart), ...Object.values(report.margins.pdp)]) {
      expect(found.low).toBeLessThanOrEqual(found.relative);
      expect(found.high).toBeGreaterThanOrEqual(found.relative);
      expect(found.high - found.low).toBeGreaterThan(0);
    }
    expect(Object.keys(report.margins.pdp).sort()).toEqual(["ndcg", "recall"]);
    const alone = evaluateRanking({ train: orders.slice(0, 1_200), test: orders.slice(1_200), catalog, k: 5, baselines: false });
    expect(alone.margins).toEqual({ cart: {}, pdp: {} });
  });

  it("includes extra models and caps queries when asked", () => {
    const constant = {
      name: "constant",
      recommend: (anchors: readonly string[], limit: number) =>
        catalog
          .map((p) => p.id)
          .filter((id) => !anchors.includes(id))
          .slice(0, limit),
    };
    const small = evaluateRanking({
      train: orders.slice(0, 1_200),
      test: orders.slice(1_200),
      catalog,
      k: 5,
      maxQueries: 50,
      baselines: false,
      extraModels: [constant],
    });
    expect(Object.keys(small.tasks.cart.models)).toEqual(["upshelf", "constant"]);
    expect(small.tasks.cart.queries).toBe(50);
  });

  it("rejects a non-positive k", () => {
    expect(() => evaluateRanking({ train: orders, test: orders, catalog, k: 0 })).toThrow(RangeError);
  });
});

describe("evaluateRankingSteps", () => {
  it("yields between pieces of work (building, every model's queries, the resamples) and ends with evaluateRanking's report", () => {
    const { catalog, orders } = syntheticShop(5);
    const options = { train: orders.slice(0, 1_200), test: orders.slice(1_200), catalog, k: 5 };
    const steps = evaluateRankingSteps(options);
    let pauses = 0;
    let step = steps.next();
    while (!step.done) {
      pauses += 1;
      step = steps.next();
    }
    const report = step.value;
    // Five models, each asked every cart and product-page query: a pause per 32 queries at least.
    const queries = report.tasks.cart.queries + report.tasks.pdp.queries;
    expect(pauses).toBeGreaterThan((5 * queries) / 32);
    expect(report).toEqual(evaluateRanking(options));
  });
});
