import { describe, expect, it } from "vitest";
import { createNormalSampler, mulberry32, type NormalSampler, type Rng } from "../ranking/random";
import {
  balancedEquivalentCount,
  compareMeans,
  compareProportions,
  minimumDetectableLift,
  sampleRatioCheck,
  binomialTwoSidedPValue,
  varianceOf,
  type Comparison,
  type SampleMoments,
} from "./comparisons";

const moments = (values: readonly number[]): SampleMoments => ({
  count: values.length,
  sum: values.reduce((sum, value) => sum + value, 0),
  sumOfSquares: values.reduce((sum, value) => sum + value * value, 0),
});

/** The variance by two passes over the values: slow, but immune to cancellation. */
function twoPassVariance(values: readonly number[]): number {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  return values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (values.length - 1);
}

/** Heavy-tailed order values like a real shop's: lognormal in cents, median $40 times `scale`. */
const MEDIAN_ORDER = 4000;
const LOG_SPREAD = 0.8;
function orderMoments(count: number, scale: number, normal: NormalSampler, shift = 0): SampleMoments {
  let sum = 0;
  let sumOfSquares = 0;
  for (let index = 0; index < count; index++) {
    const value = Math.round(scale * MEDIAN_ORDER * Math.exp(LOG_SPREAD * normal()) + shift);
    sum += value;
    sumOfSquares += value * value;
  }
  return { count, sum, sumOfSquares };
}
/** The lognormal's mean: median · e^(σ²/2). */
const trueMeanOrder = (scale: number) => scale * MEDIAN_ORDER * Math.exp((LOG_SPREAD * LOG_SPREAD) / 2);

function binomial(trials: number, p: number, rng: Rng): number {
  let successes = 0;
  for (let trial = 0; trial < trials; trial++) if (rng() < p) successes++;
  return successes;
}

const covers = ([low, high]: readonly [number, number], truth: number) => low <= truth && truth <= high;
const excludesZero = ([low, high]: readonly [number, number]) => low > 0 || high < 0;

describe("the variance from count, sum and sum of squares", () => {
  it("is the unbiased sample variance", () => {
    expect(varianceOf(moments([10, 12, 14, 16]))).toBeCloseTo(20 / 3, 12);
    expect(varianceOf(moments([5, 5, 5]))).toBe(0);
    expect(varianceOf(moments([7]))).toBe(0);
    expect(varianceOf(moments([]))).toBe(0);
  });

  it("stays exact where the textbook Σx² − (Σx)²/n cancels away (sums just under 2^53)", () => {
    // Mean 5e7 + 1/3, deviations −1/3, −1/3, 2/3: variance exactly 1/3. (Σx)² is about 2.25e16,
    // beyond 2^53, and Σx² − (Σx)²/n here comes out as 0 or a multiple of 1, not 2/3.
    const values = [5e7, 5e7, 5e7 + 1];
    const sample = moments(values);
    expect(sample.sumOfSquares).toBeLessThan(Number.MAX_SAFE_INTEGER);
    expect(varianceOf(sample)).toBeCloseTo(1 / 3, 12);
    const textbook = (sample.sumOfSquares - (sample.sum * sample.sum) / sample.count) / (sample.count - 1);
    expect(Math.abs(textbook - 1 / 3)).toBeGreaterThan(0.1);
  });

  it("agrees with two passes over the values for large amounts that vary little", () => {
    const rng = mulberry32(21);
    for (let trial = 0; trial < 20; trial++) {
      // 400 orders of about $40,000.00 ± a few cents: Σx² ≈ 6.4e14.
      const values = Array.from({ length: 400 }, () => 4_000_000 + Math.floor(rng() * 7));
      expect(Math.abs(varianceOf(moments(values)) / twoPassVariance(values) - 1)).toBeLessThan(1e-12);
    }
  });
});

describe("comparing means", () => {
  it("matches a hand computation of Welch's difference and Fieller's relative interval", () => {
    const shown = moments([10, 12, 14, 16]); // mean 13, variance 20/3, variance of the mean 5/3
    const holdout = moments([8, 10, 12]); // mean 10, variance 4, variance of the mean 4/3
    const result = compareMeans(shown, holdout) as Comparison;
    expect(result.difference).toBe(3);
    expect(result.standardError).toBeCloseTo(Math.sqrt(3), 12);
    // 3 ± 1.959964 · √3 (reference values from mpmath).
    expect(result.interval[0]).toBeCloseTo(-0.3947572022285155, 10);
    expect(result.interval[1]).toBeCloseTo(6.394757202228515, 10);
    expect(result.relative).toBeCloseTo(0.3, 12);
    // Roots of (13 − 10r)² = z²(5/3 + r²·4/3), minus 1.
    expect(result.relativeInterval?.[0]).toBeCloseTo(-0.03434413875591359, 10);
    expect(result.relativeInterval?.[1]).toBeCloseTo(0.7747038590126485, 10);
    // A wider confidence level widens both.
    const wider = compareMeans(shown, holdout, 0.99) as Comparison;
    expect(wider.interval[1] - wider.interval[0]).toBeGreaterThan(result.interval[1] - result.interval[0]);
  });

  it("returns null with fewer than 2 values in a group, and no relative lift over a zero mean", () => {
    expect(compareMeans(moments([1]), moments([8, 10, 12]))).toBeNull();
    expect(compareMeans(moments([8, 10, 12]), moments([]))).toBeNull();
    const overZero = compareMeans(moments([1, 3]), moments([0, 0])) as Comparison;
    expect(overZero.difference).toBe(2);
    expect(overZero.relative).toBeNull();
    expect(overZero.relativeInterval).toBeNull();
    // A holdout mean within two standard errors of 0: the ratio is unbounded, so no interval.
    const noisy = compareMeans(moments([5, 6, 7]), moments([-10, 0, 12])) as Comparison;
    expect(noisy.relative).not.toBeNull();
    expect(noisy.relativeInterval).toBeNull();
  });

  it("covers the true difference of heavy-tailed order values about 95% of the time, and finds no lift where there is none about 5%", () => {
    const normal = createNormalSampler(mulberry32(7));
    const runs = 2000;
    const truth = trueMeanOrder(1.1) - trueMeanOrder(1);
    let differenceCovered = 0;
    let relativeCovered = 0;
    let falseAlarms = 0;
    for (let run = 0; run < runs; run++) {
      const lifted = compareMeans(orderMoments(500, 1.1, normal), orderMoments(500, 1, normal)) as Comparison;
      if (covers(lifted.interval, truth)) differenceCovered++;
      if (lifted.relativeInterval && covers(lifted.relativeInterval, 0.1)) relativeCovered++;
      const flat = compareMeans(orderMoments(500, 1, normal), orderMoments(500, 1, normal)) as Comparison;
      if (excludesZero(flat.interval)) falseAlarms++;
    }
    expect(differenceCovered / runs).toBeGreaterThan(0.93);
    expect(differenceCovered / runs).toBeLessThan(0.97);
    expect(relativeCovered / runs).toBeGreaterThan(0.93);
    expect(relativeCovered / runs).toBeLessThan(0.97);
    expect(falseAlarms / runs).toBeGreaterThan(0.03);
    expect(falseAlarms / runs).toBeLessThan(0.07);
  });

  it("keeps the relative interval and the difference's interval in agreement about zero", () => {
    // Unequal groups and skewed values are where a delta-method interval would disagree.
    const rng = mulberry32(17);
    const normal = createNormalSampler(rng);
    let excluded = 0;
    for (let run = 0; run < 400; run++) {
      const result = compareMeans(orderMoments(900, 1 + 0.3 * rng(), normal), orderMoments(100, 1, normal)) as Comparison;
      expect(result.relativeInterval).not.toBeNull();
      expect(excludesZero(result.relativeInterval as readonly [number, number])).toBe(excludesZero(result.interval));
      if (excludesZero(result.interval)) excluded++;
    }
    // Both kinds of case were exercised.
    expect(excluded).toBeGreaterThan(40);
    expect(excluded).toBeLessThan(360);
  });
});

describe("comparing proportions", () => {
  it("matches a hand computation of the Wald difference and Fieller's relative interval", () => {
    const result = compareProportions({ successes: 30, trials: 100 }, { successes: 20, trials: 100 }) as Comparison;
    expect(result.difference).toBeCloseTo(0.1, 12);
    expect(result.standardError).toBeCloseTo(Math.sqrt(0.21 / 100 + 0.16 / 100), 12);
    expect(result.interval[0]).toBeCloseTo(-0.019219954858942404, 10);
    expect(result.interval[1]).toBeCloseTo(0.2192199548589424, 10);
    expect(result.relative).toBeCloseTo(0.5, 12);
    // Skewed like the ratio: further above the estimate than below it.
    expect(result.relativeInterval?.[0]).toBeCloseTo(-0.07675901408683142, 10);
    expect(result.relativeInterval?.[1]).toBeCloseTo(1.62142683236505, 10);
  });

  it("returns null without trials, no relative lift over a zero rate, and rejects impossible counts", () => {
    expect(compareProportions({ successes: 0, trials: 0 }, { successes: 1, trials: 2 })).toBeNull();
    expect(compareProportions({ successes: 1, trials: 2 }, { successes: 0, trials: 0 })).toBeNull();
    const overZero = compareProportions({ successes: 3, trials: 100 }, { successes: 0, trials: 100 }) as Comparison;
    expect(overZero.difference).toBeCloseTo(0.03, 12);
    expect(overZero.relative).toBeNull();
    expect(() => compareProportions({ successes: 5, trials: 4 }, { successes: 1, trials: 2 })).toThrow(RangeError);
    expect(() => compareProportions({ successes: 1, trials: 2 }, { successes: -1, trials: 2 })).toThrow(RangeError);
  });

  it("covers the true difference and lift about 95% of the time, and finds no lift where there is none about 5%", () => {
    const rng = mulberry32(5);
    const runs = 2000;
    let differenceCovered = 0;
    let relativeCovered = 0;
    let falseAlarms = 0;
    for (let run = 0; run < runs; run++) {
      const lifted = compareProportions({ successes: binomial(2000, 0.036, rng), trials: 2000 }, { successes: binomial(2000, 0.03, rng), trials: 2000 });
      if (lifted && covers(lifted.interval, 0.006)) differenceCovered++;
      if (lifted?.relativeInterval && covers(lifted.relativeInterval, 0.2)) relativeCovered++;
      const flat = compareProportions({ successes: binomial(2000, 0.03, rng), trials: 2000 }, { successes: binomial(2000, 0.03, rng), trials: 2000 });
      if (flat && excludesZero(flat.interval)) falseAlarms++;
    }
    expect(differenceCovered / runs).toBeGreaterThan(0.93);
    expect(differenceCovered / runs).toBeLessThan(0.97);
    expect(relativeCovered / runs).toBeGreaterThan(0.93);
    expect(relativeCovered / runs).toBeLessThan(0.97);
    expect(falseAlarms / runs).toBeGreaterThan(0.03);
    expect(falseAlarms / runs).toBeLessThan(0.07);
  });

  it("keeps the relative interval and the difference's interval in agreement about zero, with a small holdout", () => {
    const rng = mulberry32(19);
    let excluded = 0;
    for (let run = 0; run < 1000; run++) {
      const result = compareProportions({ successes: binomial(9000, 0.036, rng), trials: 9000 }, { successes: binomial(1000, 0.03, rng), trials: 1000 });
      if (!result?.relativeInterval) continue;
      expect(excludesZero(result.relativeInterval)).toBe(excludesZero(result.interval));
      if (excludesZero(result.interval)) excluded++;
    }
    expect(excluded).toBeGreaterThan(50);
  });
});

describe("the sample ratio check", () => {
  it("matches a hand computation", () => {
    // 120 held out of 1,000 against 100 expected: (20²/100 + 20²/900) = 4.444, p = 0.0350 (mpmath).
    const check = sampleRatioCheck({ shown: 880, holdout: 120 }, 1000);
    expect(check.expectedHoldoutShare).toBe(0.1);
    expect(check.observedHoldoutShare).toBe(0.12);
    expect(check.pValue).toBeCloseTo(0.03501498101966251, 12);
    expect(check.mismatch).toBe(false);
    const exact = sampleRatioCheck({ shown: 900, holdout: 100 }, 1000);
    expect(exact.pValue).toBe(1);
  });

  it("uses the exact binomial test while a group expects fewer than 5 visitors: one held-out visitor is not a broken split", () => {
    // One visitor, held out at 5%: the chance of that is exactly 5%.
    expect(sampleRatioCheck({ shown: 0, holdout: 1 }, 500)).toMatchObject({ mismatch: false });
    expect(sampleRatioCheck({ shown: 0, holdout: 1 }, 500).pValue).toBeCloseTo(0.05, 12);
    // Two of two held out at 10%: 1%.
    expect(sampleRatioCheck({ shown: 0, holdout: 2 }, 1000).pValue).toBeCloseTo(0.01, 12);
    // Ten of ten at 5% is a broken split: 0.05^10.
    const broken = sampleRatioCheck({ shown: 0, holdout: 10 }, 500);
    expect(broken.mismatch).toBe(true);
    expect(broken.pValue).toBeCloseTo(0.05 ** 10, 20);
    // R: binom.test(3, 20, 0.05)$p.value = 0.07548367
    expect(binomialTwoSidedPValue(3, 20, 0.05)).toBeCloseTo(0.07548367, 7);
    // Large n with a tiny share (Poisson-like, mean 4): the most likely count has p = 1, and
    // nothing underflows; 0 is about as unlikely as 9 or more.
    expect(binomialTwoSidedPValue(4, 40_000, 0.0001)).toBeCloseTo(1, 6);
    expect(binomialTwoSidedPValue(0, 40_000, 0.0001)).toBeCloseTo(0.0397, 3);
    // Early tests flag a fair split about as often as the threshold says (0.1%), not 5% of the time.
    const rng = mulberry32(5);
    let flagged = 0;
    for (let run = 0; run < 4000; run++) {
      const visitors = 1 + Math.floor(rng() * 30);
      const holdout = binomial(visitors, 0.05, rng);
      if (sampleRatioCheck({ shown: visitors - holdout, holdout }, 500).mismatch) flagged++;
    }
    expect(flagged / 4000).toBeLessThan(0.002);
  });

  it("almost never flags a split drawn as configured, with calibrated p-values", () => {
    const rng = mulberry32(3);
    const runs = 2000;
    let flagged = 0;
    let belowFivePercent = 0;
    for (let run = 0; run < runs; run++) {
      const holdout = binomial(5000, 0.1, rng);
      const check = sampleRatioCheck({ shown: 5000 - holdout, holdout }, 1000);
      if (check.mismatch) flagged++;
      if ((check.pValue as number) < 0.05) belowFivePercent++;
    }
    expect(flagged / runs).toBeLessThan(0.01);
    // A fair split gives p < 0.05 about 5% of the time: the test is neither blind nor jumpy.
    expect(belowFivePercent / runs).toBeGreaterThan(0.03);
    expect(belowFivePercent / runs).toBeLessThan(0.07);
  });

  it("flags 12% held out against 10% configured among 20,000 visitors nearly always", () => {
    const rng = mulberry32(4);
    let flagged = 0;
    for (let run = 0; run < 200; run++) {
      const holdout = binomial(20_000, 0.12, rng);
      if (sampleRatioCheck({ shown: 20_000 - holdout, holdout }, 1000).mismatch) flagged++;
    }
    expect(flagged).toBeGreaterThanOrEqual(198);
  });

  it("handles no visitors, shares of 0% and 100%, and rejects impossible shares", () => {
    expect(sampleRatioCheck({ shown: 0, holdout: 0 }, 1000)).toEqual({ expectedHoldoutShare: 0.1, observedHoldoutShare: null, pValue: null, mismatch: false });
    expect(sampleRatioCheck({ shown: 500, holdout: 0 }, 0)).toMatchObject({ mismatch: false, pValue: 1 });
    expect(sampleRatioCheck({ shown: 500, holdout: 1 }, 0)).toMatchObject({ mismatch: true, pValue: 0 });
    expect(sampleRatioCheck({ shown: 0, holdout: 500 }, 10000)).toMatchObject({ mismatch: false });
    expect(sampleRatioCheck({ shown: 2, holdout: 500 }, 10000)).toMatchObject({ mismatch: true });
    expect(() => sampleRatioCheck({ shown: 1, holdout: 1 }, 10001)).toThrow(RangeError);
    expect(() => sampleRatioCheck({ shown: 1, holdout: 1 }, -1)).toThrow(RangeError);
    expect(() => sampleRatioCheck({ shown: -1, holdout: 1 }, 1000)).toThrow(RangeError);
  });
});

describe("the smallest detectable lift", () => {
  const holdout = orderMoments(1000, 1, createNormalSampler(mulberry32(9)));

  it("is (z₀.₉₇₅ + z₀.₈)·σ·√(2/n)/mean, shrinking with the square root of the sample", () => {
    const small = minimumDetectableLift(holdout, 100) as number;
    const mean = holdout.sum / holdout.count;
    expect(small).toBeCloseTo(((1.959964 + 0.841621) * Math.sqrt((2 * varianceOf(holdout)) / 100)) / mean, 5);
    expect(small / (minimumDetectableLift(holdout, 400) as number)).toBeCloseTo(2, 10);
    // More confidence or more power asks for a bigger lift.
    expect(minimumDetectableLift(holdout, 100, { confidence: 0.99 }) as number).toBeGreaterThan(small);
    expect(minimumDetectableLift(holdout, 100, { power: 0.9 }) as number).toBeGreaterThan(small);
    expect(minimumDetectableLift(moments([]), 100)).toBeNull();
    expect(minimumDetectableLift(moments([0, 0, 0]), 100)).toBeNull();
    expect(minimumDetectableLift(holdout, 1)).toBeNull();
    expect(() => minimumDetectableLift(holdout, 100, { power: 1 })).toThrow(RangeError);
  });

  it("is detected about 80% of the time when the lift is that size", () => {
    // Moments with the lognormal's true mean and variance, so the check is of the formula and not
    // of one sample's estimate of the spread (heavy tails make that estimate wander by ±10%).
    const mean = trueMeanOrder(1);
    const variance = mean * mean * (Math.exp(LOG_SPREAD * LOG_SPREAD) - 1);
    const count = 1_000_000;
    const population: SampleMoments = { count, sum: count * mean, sumOfSquares: variance * (count - 1) + count * mean * mean };
    expect(varianceOf(population)).toBeCloseTo(variance, 4);
    // The formula's premise: the lift moves the mean without widening the spread (a shift).
    const normal = createNormalSampler(mulberry32(13));
    const perGroup = 400;
    const lift = minimumDetectableLift(population, perGroup) as number;
    expect(lift).toBeCloseTo((2.801585 * Math.sqrt(2 / perGroup) * Math.sqrt(variance)) / mean, 5);
    const shift = lift * mean;
    const runs = 1000;
    let detected = 0;
    for (let run = 0; run < runs; run++) {
      const result = compareMeans(orderMoments(perGroup, 1, normal, shift), orderMoments(perGroup, 1, normal)) as Comparison;
      if (result.interval[0] > 0) detected++;
    }
    expect(detected / runs).toBeGreaterThan(0.75);
    expect(detected / runs).toBeLessThan(0.85);
  });

  it("counts unequal groups as the equal groups with the same standard error", () => {
    expect(balancedEquivalentCount(900, 100)).toBeCloseTo(180, 10);
    expect(balancedEquivalentCount(500, 500)).toBe(500);
    expect(balancedEquivalentCount(0, 500)).toBe(0);
    // Same standard error: σ²(1/900 + 1/100) = σ²·2/180.
    expect(1 / 900 + 1 / 100).toBeCloseTo(2 / balancedEquivalentCount(900, 100), 15);
  });
});
