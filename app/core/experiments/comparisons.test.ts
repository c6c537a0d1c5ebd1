import { describe, expect, it } from "vitest";
import { createNormalSampler, mulberry32, type Rng } from "../ranking/random";
import { compareMeans, compareProportions, minimumDetectableLift, sampleRatioCheck, varianceOf, type SampleMoments } from "./comparisons";

const moments = (values: readonly number[]): SampleMoments => ({
  count: values.length,
  sum: values.reduce((sum, value) => sum + value, 0),
  sumOfSquares: values.reduce((sum, value) => sum + value * value, 0),
});

/** Heavy-tailed order values like a real shop's: lognormal, median about $40, in cents. */
function orderValues(count: number, scale: number, rng: Rng): number[] {
  const normal = createNormalSampler(rng);
  return Array.from({ length: count }, () => Math.round(scale * 4000 * Math.exp(0.8 * normal())));
}

describe("comparing the two groups", () => {
  it("computes Welch's difference and its interval by hand on a small example", () => {
    const shown = moments([10, 12, 14, 16]); // mean 13, variance 20/3
    const holdout = moments([8, 10, 12]); // mean 10, variance 4
    expect(varianceOf(shown)).toBeCloseTo(20 / 3, 10);
    const result = compareMeans(shown, holdout);
    const se = Math.sqrt(20 / 3 / 4 + 4 / 3);
    expect(result?.difference).toBe(3);
    expect(result?.standardError).toBeCloseTo(se, 10);
    expect(result?.interval[0]).toBeCloseTo(3 - 1.959964 * se, 4);
    expect(result?.relative).toBeCloseTo(0.3, 10);
    // Delta method: Var(a/b) ≈ Var(a)/b² + a²Var(b)/b⁴ with Var(a) = (20/3)/4, Var(b) = 4/3.
    const relativeSe = Math.sqrt(20 / 3 / 4 / 100 + (169 * 4) / 3 / 10_000);
    expect(result?.relativeInterval?.[1]).toBeCloseTo(0.3 + 1.959964 * relativeSe, 4);
    expect(compareMeans(moments([1]), holdout)).toBeNull();
    expect(compareMeans(shown, moments([0, 0]))?.relative).toBeNull();
  });

  it("covers the true difference of mean order values about 95% of the time, and finds no lift where there is none about 5%", () => {
    const rng = mulberry32(7);
    const runs = 2000;
    let covered = 0;
    let falseAlarms = 0;
    const trueShownMean = 1.1 * 4000 * Math.exp(0.32); // lognormal mean: scale · e^(σ²/2)
    const trueHoldoutMean = 4000 * Math.exp(0.32);
    for (let run = 0; run < runs; run++) {
      const lifted = compareMeans(moments(orderValues(500, 1.1, rng)), moments(orderValues(500, 1, rng)));
      const truth = trueShownMean - trueHoldoutMean;
      if (lifted && lifted.interval[0] <= truth && truth <= lifted.interval[1]) covered++;
      const flat = compareMeans(moments(orderValues(500, 1, rng)), moments(orderValues(500, 1, rng)));
      if (flat && (flat.interval[0] > 0 || flat.interval[1] < 0)) falseAlarms++;
    }
    expect(covered / runs).toBeGreaterThan(0.93);
    expect(covered / runs).toBeLessThan(0.97);
    expect(falseAlarms / runs).toBeGreaterThan(0.03);
    expect(falseAlarms / runs).toBeLessThan(0.07);
  });

  it("covers the true relative lift about 95% of the time", () => {
    const rng = mulberry32(11);
    const runs = 2000;
    let covered = 0;
    for (let run = 0; run < runs; run++) {
      const result = compareMeans(moments(orderValues(800, 1.05, rng)), moments(orderValues(800, 1, rng)));
      const interval = result?.relativeInterval;
      if (interval && interval[0] <= 0.05 && 0.05 <= interval[1]) covered++;
    }
    expect(covered / runs).toBeGreaterThan(0.93);
    expect(covered / runs).toBeLessThan(0.97);
  });

  it("compares proportions with intervals that cover about 95% of the time", () => {
    const rng = mulberry32(5);
    const runs = 2000;
    let covered = 0;
    const draw = (trials: number, p: number) => {
      let successes = 0;
      for (let trial = 0; trial < trials; trial++) if (rng() < p) successes++;
      return { successes, trials };
    };
    for (let run = 0; run < runs; run++) {
      const result = compareProportions(draw(2000, 0.035), draw(2000, 0.03));
      if (result && result.interval[0] <= 0.005 && 0.005 <= result.interval[1]) covered++;
    }
    expect(covered / runs).toBeGreaterThan(0.93);
    expect(covered / runs).toBeLessThan(0.97);
    const example = compareProportions({ successes: 30, trials: 100 }, { successes: 20, trials: 100 });
    expect(example?.difference).toBeCloseTo(0.1, 10);
    expect(example?.relative).toBeCloseTo(0.5, 10);
    expect(example?.standardError).toBeCloseTo(Math.sqrt(0.21 / 100 + 0.16 / 100), 10);
    expect(compareProportions({ successes: 0, trials: 0 }, { successes: 1, trials: 2 })).toBeNull();
  });

  it("flags a visitor split far from the configured share, and almost never a fair one", () => {
    const rng = mulberry32(3);
    let fairFlags = 0;
    let skewedFlags = 0;
    const split = (visitors: number, share: number) => {
      let holdout = 0;
      for (let visitor = 0; visitor < visitors; visitor++) if (rng() < share) holdout++;
      return { holdout, shown: visitors - holdout };
    };
    for (let run = 0; run < 300; run++) {
      if (sampleRatioCheck(split(20_000, 0.1), 1000).mismatch) fairFlags++;
      if (sampleRatioCheck(split(20_000, 0.12), 1000).mismatch) skewedFlags++;
    }
    expect(fairFlags / 300).toBeLessThan(0.01);
    expect(skewedFlags / 300).toBeGreaterThan(0.99);
    expect(sampleRatioCheck({ shown: 0, holdout: 0 }, 1000)).toEqual({ expectedHoldoutShare: 0.1, observedHoldoutShare: null, pValue: null, mismatch: false });
    const exact = sampleRatioCheck({ shown: 900, holdout: 100 }, 1000);
    expect(exact.pValue).toBeCloseTo(1, 10);
    expect(exact.observedHoldoutShare).toBe(0.1);
  });

  it("states the smallest detectable lift, shrinking with the square root of the sample", () => {
    const holdout = moments(orderValues(1000, 1, mulberry32(9)));
    const small = minimumDetectableLift(holdout, 100);
    const large = minimumDetectableLift(holdout, 400);
    expect(small).not.toBeNull();
    expect((small as number) / (large as number)).toBeCloseTo(2, 6);
    // (1.96 + 0.84) · √(2σ²/n) / mean, by hand.
    const mean = holdout.sum / holdout.count;
    expect(small).toBeCloseTo(((1.959964 + 0.841621) * Math.sqrt((2 * varianceOf(holdout)) / 100)) / mean, 4);
    expect(minimumDetectableLift(moments([]), 100)).toBeNull();
  });
});
