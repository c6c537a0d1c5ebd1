import { describe, expect, it } from "vitest";
import { mulberry32 } from "../random";
import type { Recommendation } from "../recommend";
import { createFeedbackStore, recordFeedback } from "./feedback-counts";
import { drawThompsonSlatePool, estimateThompsonPropensities, rerankWithThompsonSampling } from "./thompson-reranker";

const candidate = (productId: string, score: number): Recommendation => ({
  productId,
  score,
  reason: { kind: "bought_together", orders: 3 },
});

describe("rerankWithThompsonSampling", () => {
  const candidates = [candidate("a", 1), candidate("b", 0.8), candidate("c", 0.6), candidate("d", 0.4)];

  it("is deterministic for a given rng seed", () => {
    const feedback = createFeedbackStore();
    const run = (seed: number) =>
      rerankWithThompsonSampling(candidates, {
        anchorKey: "x",
        placement: "pdp",
        feedback,
        rng: mulberry32(seed),
        slots: 3,
      });
    expect(run(5)).toEqual(run(5));
  });

  it("logs a propensity in (0, 1] for every shown item and keeps pinned items first", () => {
    const pinned: Recommendation = {
      productId: "p",
      score: 1,
      reason: { kind: "pinned" },
    };
    const result = rerankWithThompsonSampling([pinned, ...candidates], {
      anchorKey: "x",
      placement: "cart",
      feedback: createFeedbackStore(),
      rng: mulberry32(1),
      slots: 3,
    });
    expect(result).toHaveLength(3);
    expect(result[0]).toMatchObject({ productId: "p", propensity: 1 });
    for (const item of result) {
      expect(item.propensity).toBeGreaterThan(0);
      expect(item.propensity).toBeLessThanOrEqual(1);
      expect(item.slatePropensity).toBeGreaterThanOrEqual(item.propensity);
    }
  });

  it("GIVEN strong evidence that an item is clicked THEN it is almost always shown first, with a high propensity", () => {
    const feedback = createFeedbackStore();
    recordFeedback(feedback, {
      anchorKey: "x",
      productId: "d",
      placement: "pdp",
      kind: "impression",
      count: 2_000,
    });
    recordFeedback(feedback, {
      anchorKey: "x",
      productId: "d",
      placement: "pdp",
      kind: "click",
      count: 600,
    });
    for (const id of ["a", "b", "c"])
      recordFeedback(feedback, {
        anchorKey: "x",
        productId: id,
        placement: "pdp",
        kind: "impression",
        count: 2_000,
      });
    const result = rerankWithThompsonSampling(candidates, {
      anchorKey: "x",
      placement: "pdp",
      feedback,
      rng: mulberry32(3),
      slots: 1,
    });
    expect(result[0]).toMatchObject({ productId: "d" });
    expect(result[0]!.propensity).toBeGreaterThan(0.95);
    // Feedback is per placement: the cart widget has learned nothing yet.
    const cart = rerankWithThompsonSampling(candidates, {
      anchorKey: "x",
      placement: "cart",
      feedback,
      rng: mulberry32(3),
      slots: 1,
    });
    expect(cart[0]!.propensity).toBeLessThan(0.95);
  });

  it("GIVEN a simulated shop where the static ranking puts a low-CTR item first THEN Thompson sampling earns more clicks", () => {
    // True click rates; the static scores rank "weak" first and the best item third.
    const truth = new Map([
      ["weak", 0.02],
      ["fair", 0.05],
      ["best", 0.12],
      ["okay", 0.07],
      ["poor", 0.03],
    ]);
    const ranked = [
      candidate("weak", 1),
      candidate("fair", 0.9),
      candidate("best", 0.8),
      candidate("okay", 0.7),
      candidate("poor", 0.6),
    ];
    const positionWeight = [1, 0.6, 0.4];
    const rounds = 4_000;
    const userRng = mulberry32(11);
    const click = (id: string, position: number) => userRng() < (truth.get(id) ?? 0) * (positionWeight[position] ?? 0);

    let staticClicks = 0;
    for (let round = 0; round < rounds; round++) {
      ranked.slice(0, 3).forEach((item, position) => {
        if (click(item.productId, position)) staticClicks += 1;
      });
    }

    const feedback = createFeedbackStore();
    const policyRng = mulberry32(12);
    let banditClicks = 0;
    for (let round = 0; round < rounds; round++) {
      const shown = rerankWithThompsonSampling(ranked, {
        anchorKey: "mug",
        placement: "pdp",
        feedback,
        rng: policyRng,
        slots: 3,
        propensitySamples: 0,
      });
      shown.forEach((item, position) => {
        recordFeedback(feedback, {
          anchorKey: "mug",
          productId: item.productId,
          placement: "pdp",
          kind: "impression",
        });
        if (click(item.productId, position)) {
          banditClicks += 1;
          recordFeedback(feedback, {
            anchorKey: "mug",
            productId: item.productId,
            placement: "pdp",
            kind: "click",
          });
        }
      });
    }
    expect(banditClicks).toBeGreaterThan(staticClicks * 1.4);
  });
});

describe("estimateThompsonPropensities", () => {
  const candidates = [candidate("a", 1), candidate("b", 0.8), candidate("c", 0.6), candidate("d", 0.4), candidate("e", 0.2)];

  it("gives, for each position, probabilities over the candidates that sum to one", () => {
    const table = estimateThompsonPropensities(candidates, {
      anchorKey: "x",
      placement: "pdp",
      feedback: createFeedbackStore(),
      rng: mulberry32(4),
      slots: 3,
      samples: 400,
    });
    for (let position = 0; position < 3; position++) {
      let sum = 0;
      for (let index = 0; index < candidates.length; index++) sum += table.atPosition[index * 3 + position] ?? 0;
      expect(sum).toBeCloseTo(1, 9);
    }
    expect(table.inSlate.reduce((sum, value) => sum + value, 0)).toBeCloseTo(3, 9);
  });

  it("GIVEN a cached table THEN re-ranking logs its propensities and agrees with a fresh estimate", () => {
    const feedback = createFeedbackStore();
    recordFeedback(feedback, {
      anchorKey: "x",
      productId: "c",
      placement: "pdp",
      kind: "impression",
      count: 500,
    });
    recordFeedback(feedback, {
      anchorKey: "x",
      productId: "c",
      placement: "pdp",
      kind: "click",
      count: 100,
    });
    const options = {
      anchorKey: "x",
      placement: "pdp" as const,
      feedback,
      slots: 2,
    };
    const table = estimateThompsonPropensities(candidates, {
      ...options,
      rng: mulberry32(8),
      samples: 2_000,
    });
    const cached = rerankWithThompsonSampling(candidates, {
      ...options,
      rng: mulberry32(9),
      propensities: table,
    });
    const fresh = rerankWithThompsonSampling(candidates, {
      ...options,
      rng: mulberry32(9),
      propensitySamples: 2_000,
    });
    expect(cached.map((item) => item.productId)).toEqual(fresh.map((item) => item.productId));
    cached.forEach((item, position) => {
      const index = candidates.findIndex((c) => c.productId === item.productId);
      expect(item.propensity).toBe(Math.max(table.floor, table.atPosition[index * 2 + position] ?? 0));
      expect(item.propensity).toBeCloseTo(fresh[position]?.propensity ?? -1, 1);
    });
    // The clicked item leads most draws.
    expect(table.atPosition[2 * 2]).toBeGreaterThan(0.9);
  });
});

describe("drawThompsonSlatePool", () => {
  const candidates = [candidate("a", 1), candidate("b", 0.8), candidate("c", 0.6), candidate("d", 0.4)];
  const pinned: Recommendation = { productId: "p", score: 1, reason: { kind: "pinned" } };

  it("logs each item's exact frequency at its position in the pool, pinned items first with 1", () => {
    const options = { anchorKey: "x", placement: "pdp" as const, feedback: createFeedbackStore(), rng: mulberry32(3), slots: 3 };
    const pool = drawThompsonSlatePool([pinned, ...candidates], options, 16);
    expect(pool).toHaveLength(16);
    for (const slate of pool) {
      expect(slate[0]).toMatchObject({ productId: "p", propensity: 1 });
      slate.slice(1).forEach((item, offset) => {
        const position = offset + 1;
        const observed = pool.filter((other) => other[position]?.productId === item.productId).length / 16;
        expect(item.propensity).toBeCloseTo(observed, 10);
      });
    }
    // Over the distinct items seen at a position, the frequencies make up the whole pool.
    const firstOpen = new Map(pool.map((slate) => [slate[1]!.productId, slate[1]!.propensity]));
    expect([...firstOpen.values()].reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 10);
  });

  it("is deterministic for a seed and follows strong feedback", () => {
    const feedback = createFeedbackStore();
    for (let n = 0; n < 500; n++) recordFeedback(feedback, { anchorKey: "x", productId: "d", placement: "pdp", kind: "impression" });
    for (let n = 0; n < 200; n++) recordFeedback(feedback, { anchorKey: "x", productId: "d", placement: "pdp", kind: "click" });
    const draw = (seed: number) =>
      drawThompsonSlatePool(candidates, { anchorKey: "x", placement: "pdp", feedback, rng: mulberry32(seed), slots: 2 }, 16);
    expect(draw(9)).toEqual(draw(9));
    expect(draw(9).every((slate) => slate[0]?.productId === "d")).toBe(true);
  });
});
