import { describe, expect, it } from "vitest";
import { coPurchaseSimilarity, type SimilarityMeasure } from "./similarity";

const parameters = (measure: SimilarityMeasure, shrink = 0, alpha = 0.5) => ({ measure, shrink, alpha });

describe("coPurchaseSimilarity", () => {
  it("computes the textbook values without shrinkage", () => {
    const weights = { pair: 10, anchor: 20, candidate: 40, orders: 1_000 };
    expect(coPurchaseSimilarity(weights, parameters("cosine"))).toBeCloseTo(10 / Math.sqrt(800), 12);
    expect(coPurchaseSimilarity(weights, parameters("jaccard"))).toBeCloseTo(10 / 50, 12);
    expect(coPurchaseSimilarity(weights, parameters("asymmetric_cosine", 0, 1))).toBeCloseTo(10 / 20, 12);
    expect(coPurchaseSimilarity({ ...weights, pair: 0 }, parameters("cosine"))).toBe(0);
  });

  it("GIVEN shrinkage THEN a pair seen once between two rarities ranks below a pattern seen many times", () => {
    const once = { pair: 1, anchor: 1, candidate: 1, orders: 1_000 };
    const pattern = { pair: 60, anchor: 100, candidate: 100, orders: 1_000 };
    for (const measure of ["cosine", "jaccard", "asymmetric_cosine", "lift"] as const) {
      // Without shrinkage the single coincidence wins: the problem shrinkage exists to fix.
      expect(coPurchaseSimilarity(once, parameters(measure, 0))).toBeGreaterThan(
        coPurchaseSimilarity(pattern, parameters(measure, 0))
      );
      expect(coPurchaseSimilarity(once, parameters(measure, 5))).toBeLessThan(
        coPurchaseSimilarity(pattern, parameters(measure, 5))
      );
    }
  });

  it("GIVEN a best seller and a specific complement with equal co-purchases THEN normalisation prefers the complement", () => {
    const bestSeller = { pair: 30, anchor: 50, candidate: 900, orders: 1_000 };
    const complement = { pair: 30, anchor: 50, candidate: 40, orders: 1_000 };
    for (const measure of ["cosine", "jaccard", "lift"] as const) {
      expect(coPurchaseSimilarity(complement, parameters(measure, 1))).toBeGreaterThan(
        coPurchaseSimilarity(bestSeller, parameters(measure, 1))
      );
    }
    // alpha = 1 is plain confidence P(candidate | anchor): it cannot tell them apart.
    expect(coPurchaseSimilarity(complement, parameters("asymmetric_cosine", 0, 1))).toBe(
      coPurchaseSimilarity(bestSeller, parameters("asymmetric_cosine", 0, 1))
    );
    expect(coPurchaseSimilarity(complement, parameters("asymmetric_cosine", 0, 0.7))).toBeGreaterThan(
      coPurchaseSimilarity(bestSeller, parameters("asymmetric_cosine", 0, 0.7))
    );
  });
});
