import { chiSquareOneDofSurvival, criticalValue, normalQuantile } from "./normal-distribution";

/**
 * Comparing the visitors who saw Upshelf ("shown") with those held out, with intervals that say
 * how sure the difference is. The groups hold hundreds to thousands of orders or visitors, so
 * normal approximations are used throughout (Welch for means, Wald for proportions, the delta
 * method for relative lifts).
 */

/**
 * Count, sum and sum of squares of a sample (amounts in integer minor units). The sums must stay
 * below 2^53 to be exact: a million orders of up to $900 each in cents, squared, is about 8e15,
 * which is at that limit; a shop's holdout test is far below it.
 */
export interface SampleMoments {
  readonly count: number;
  readonly sum: number;
  readonly sumOfSquares: number;
}

export interface Comparison {
  /** shown − holdout. */
  readonly difference: number;
  readonly interval: readonly [number, number];
  /** difference / holdout's value; null when the holdout's value is 0. */
  readonly relative: number | null;
  readonly relativeInterval: readonly [number, number] | null;
  readonly standardError: number;
}

export function meanOf(sample: SampleMoments): number {
  return sample.count > 0 ? sample.sum / sample.count : 0;
}

/** The unbiased sample variance, from the moments: Σ(x − mean)² = Σx² − (Σx)²/n, never below 0. */
export function varianceOf(sample: SampleMoments): number {
  if (sample.count < 2) return 0;
  const squaredDeviations = sample.sumOfSquares - (sample.sum * sample.sum) / sample.count;
  return Math.max(0, squaredDeviations) / (sample.count - 1);
}

/**
 * The relative lift a/b − 1 with a delta-method interval, for two independent estimates with the
 * variances of their estimates: Var(a/b) ≈ Var(a)/b² + a²·Var(b)/b⁴.
 */
function relativeLift(a: number, varianceA: number, b: number, varianceB: number, z: number) {
  if (b === 0) return { relative: null, relativeInterval: null };
  const lift = a / b - 1;
  const standardError = Math.sqrt(varianceA / (b * b) + (a * a * varianceB) / b ** 4);
  return { relative: lift, relativeInterval: [lift - z * standardError, lift + z * standardError] as const };
}

/** Welch's difference of two means (shown − holdout), or null when a group has fewer than 2 values. */
export function compareMeans(shown: SampleMoments, holdout: SampleMoments, confidence = 0.95): Comparison | null {
  if (shown.count < 2 || holdout.count < 2) return null;
  const z = criticalValue(confidence);
  const varianceShown = varianceOf(shown) / shown.count;
  const varianceHoldout = varianceOf(holdout) / holdout.count;
  const difference = meanOf(shown) - meanOf(holdout);
  const standardError = Math.sqrt(varianceShown + varianceHoldout);
  return {
    difference,
    interval: [difference - z * standardError, difference + z * standardError],
    ...relativeLift(meanOf(shown), varianceShown, meanOf(holdout), varianceHoldout, z),
    standardError,
  };
}

export interface Proportion {
  readonly successes: number;
  readonly trials: number;
}

/**
 * The difference of two proportions (shown − holdout) with an unpooled Wald interval, and the
 * relative lift by the delta method on the ratio (as for means: a proportion is a mean of 0s and 1s).
 * null when a group has no trials.
 */
export function compareProportions(shown: Proportion, holdout: Proportion, confidence = 0.95): Comparison | null {
  if (shown.trials < 1 || holdout.trials < 1) return null;
  const z = criticalValue(confidence);
  const p1 = shown.successes / shown.trials;
  const p2 = holdout.successes / holdout.trials;
  const variance1 = (p1 * (1 - p1)) / shown.trials;
  const variance2 = (p2 * (1 - p2)) / holdout.trials;
  const difference = p1 - p2;
  const standardError = Math.sqrt(variance1 + variance2);
  return {
    difference,
    interval: [difference - z * standardError, difference + z * standardError],
    ...relativeLift(p1, variance1, p2, variance2, z),
    standardError,
  };
}

export interface SampleRatioCheck {
  readonly expectedHoldoutShare: number;
  readonly observedHoldoutShare: number | null;
  readonly pValue: number | null;
  /** True when the split is too far from the configured share to be chance. */
  readonly mismatch: boolean;
}

/**
 * Whether visitors are split as configured (a sample ratio mismatch check): a chi-square test of
 * the counts against the configured share. The threshold p < 0.001 is the usual one for this
 * check: it runs on every look at the results, and a real mismatch (a theme caching pages, a bot,
 * a broken beacon) is usually far stronger than that, while chance alone rarely is.
 */
export function sampleRatioCheck(counts: { shown: number; holdout: number }, holdoutBasisPoints: number): SampleRatioCheck {
  const expectedHoldoutShare = holdoutBasisPoints / 10000;
  const total = counts.shown + counts.holdout;
  if (total === 0 || expectedHoldoutShare <= 0 || expectedHoldoutShare >= 1) {
    return { expectedHoldoutShare, observedHoldoutShare: total > 0 ? counts.holdout / total : null, pValue: null, mismatch: false };
  }
  const expectedHoldout = total * expectedHoldoutShare;
  const expectedShown = total - expectedHoldout;
  const statistic = (counts.holdout - expectedHoldout) ** 2 / expectedHoldout + (counts.shown - expectedShown) ** 2 / expectedShown;
  const pValue = chiSquareOneDofSurvival(statistic);
  return { expectedHoldoutShare, observedHoldoutShare: counts.holdout / total, pValue, mismatch: pValue < 0.001 };
}

/**
 * The smallest relative lift in the mean a test with `perGroupCount` values in each group would
 * detect (two-sided, at the confidence level, with the given power), taking the holdout's
 * spread as both groups' spread. null when the holdout has too few values or a zero mean.
 */
export function minimumDetectableLift(
  holdout: SampleMoments,
  perGroupCount: number,
  options: { confidence?: number; power?: number } = {},
): number | null {
  const mean = meanOf(holdout);
  if (holdout.count < 2 || perGroupCount < 2 || mean === 0) return null;
  const z = criticalValue(options.confidence ?? 0.95) + normalQuantile(options.power ?? 0.8);
  return (z * Math.sqrt((2 * varianceOf(holdout)) / perGroupCount)) / Math.abs(mean);
}
