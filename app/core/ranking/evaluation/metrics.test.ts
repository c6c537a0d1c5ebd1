import { describe, expect, it } from "vitest";
import { hitAtK, MeanAccumulator, ndcgAtK, recallAtK, reciprocalRank } from "./metrics";

describe("ranking metrics", () => {
  const ranked = ["a", "b", "c", "d"];

  it("hit and reciprocal rank of a single held-out item", () => {
    expect(hitAtK(ranked, "c", 3)).toBe(1);
    expect(hitAtK(ranked, "d", 3)).toBe(0);
    expect(reciprocalRank(ranked, "b")).toBe(0.5);
    expect(reciprocalRank(ranked, "z")).toBe(0);
  });

  it("recall and NDCG with several targets", () => {
    const targets = new Set(["b", "d", "z"]);
    expect(recallAtK(ranked, targets, 2)).toBeCloseTo(1 / 3, 12);
    expect(recallAtK(ranked, targets, 4)).toBeCloseTo(2 / 3, 12);
    // DCG = 1/log2(3) + 1/log2(5); ideal over min(k, 3) = 3 slots.
    const ideal = 1 + 1 / Math.log2(3) + 1 / Math.log2(4);
    expect(ndcgAtK(ranked, targets, 4)).toBeCloseTo((1 / Math.log2(3) + 1 / Math.log2(5)) / ideal, 12);
    expect(ndcgAtK(["b", "d", "z"], targets, 3)).toBeCloseTo(1, 12);
    expect(ndcgAtK(ranked, new Set(), 3)).toBe(0);
  });

  it("averages", () => {
    const mean = new MeanAccumulator();
    expect(mean.mean).toBe(0);
    mean.add(1);
    mean.add(0);
    expect(mean.mean).toBe(0.5);
  });
});
