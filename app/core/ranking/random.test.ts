import { describe, expect, it } from "vitest";
import { mulberry32, sampleBeta, sampleGamma } from "./random";

describe("mulberry32", () => {
  it("GIVEN the same seed WHEN drawing THEN the sequences are identical, and differ for another seed", () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const first = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(first);
    expect(Array.from({ length: 5 }, () => c())).not.toEqual(first);
  });

  it("stays in [0, 1) and is roughly uniform", () => {
    const rng = mulberry32(7);
    const buckets = new Array<number>(10).fill(0);
    let min = 1;
    let max = 0;
    for (let i = 0; i < 20_000; i++) {
      const value = rng();
      min = Math.min(min, value);
      max = Math.max(max, value);
      buckets[Math.floor(value * 10)]! += 1;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    for (const count of buckets) expect(count).toBeGreaterThan(1_800);
  });
});

describe("sampleBeta", () => {
  it.each([
    [1, 1],
    [2, 8],
    [0.5, 0.5],
    [30, 10],
  ])("GIVEN Beta(%s, %s) WHEN sampled many times THEN the mean matches alpha/(alpha+beta)", (alpha, beta) => {
    const rng = mulberry32(1);
    let total = 0;
    let outside = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const value = sampleBeta(alpha, beta, rng);
      if (!(value >= 0 && value <= 1)) outside += 1;
      total += value;
    }
    expect(outside).toBe(0);
    expect(total / n).toBeCloseTo(alpha / (alpha + beta), 2);
  });

  it("rejects a non-positive gamma shape", () => {
    expect(() => sampleGamma(0, mulberry32(1))).toThrow(RangeError);
  });
});
