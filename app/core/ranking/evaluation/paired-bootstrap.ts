import type { Rng } from "../random";
import { runToEnd, type Steps } from "../steps";

/** A relative difference (0.1 = 10% better) with the bounds of its bootstrap interval. */
export interface RelativeDifference {
  readonly relative: number;
  readonly low: number;
  readonly high: number;
}

/** Per-order metric totals of the model judged and of the model it is compared with. */
export interface PairedTotals {
  readonly candidate: Float64Array;
  readonly baseline: Float64Array;
}

export interface PairedBootstrapOptions {
  readonly rng: Rng;
  /** Resamples drawn; 1,000 puts a 95% interval's bounds within a few tenths of a point. */
  readonly resamples?: number;
  /** Two-sided coverage of the interval. */
  readonly confidence?: number;
}

/**
 * How sure a "10% better" is: percentile intervals of `sum(candidate) / sum(baseline) - 1` by a
 * paired bootstrap over test orders. Orders, not queries, are resampled, because the queries of
 * one order (each of its items hidden in turn) rise and fall together. Both models are judged on
 * the same resampled orders, which cancels most of the noise the two share, and every pair is
 * judged on the same resamples. Both models see the same queries, so the ratio of totals is the
 * ratio of means.
 *
 * A resample whose baseline total is 0 counts as +Infinity when the candidate's is positive and
 * as 0 when both are 0; a baseline that scored nothing at all gives an undefined entry.
 */
export function pairedBootstrapRelativeDifferences(
  pairs: readonly PairedTotals[],
  options: PairedBootstrapOptions
): (RelativeDifference | undefined)[] {
  return runToEnd(pairedBootstrapRelativeDifferenceSteps(pairs, options));
}

/** Resamples drawn between two yields of pairedBootstrapRelativeDifferenceSteps. */
const RESAMPLES_PER_STEP = 16;

/** pairedBootstrapRelativeDifferences, yielding between small groups of resamples (../steps). */
export function* pairedBootstrapRelativeDifferenceSteps(
  pairs: readonly PairedTotals[],
  options: PairedBootstrapOptions
): Steps<(RelativeDifference | undefined)[]> {
  const resamples = options.resamples ?? 1_000;
  const confidence = options.confidence ?? 0.95;
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError("resamples must be a positive integer.");
  if (!(confidence > 0 && confidence < 1)) throw new RangeError("confidence must be between 0 and 1.");
  const orders = pairs[0]?.candidate.length ?? 0;
  for (const pair of pairs) {
    if (pair.candidate.length !== orders || pair.baseline.length !== orders) {
      throw new RangeError("Every series must hold one total per test order.");
    }
  }

  const draws = pairs.map(() => new Float64Array(resamples));
  const picked = new Int32Array(orders);
  for (let resample = 0; resample < resamples; resample++) {
    if (resample % RESAMPLES_PER_STEP === 0) yield;
    for (let i = 0; i < orders; i++) picked[i] = Math.floor(options.rng() * orders);
    pairs.forEach((pair, index) => {
      let candidate = 0;
      let baseline = 0;
      for (let i = 0; i < orders; i++) {
        const order = picked[i] as number;
        candidate += pair.candidate[order] as number;
        baseline += pair.baseline[order] as number;
      }
      (draws[index] as Float64Array)[resample] = ratioMinusOne(candidate, baseline);
    });
  }

  const tail = (1 - confidence) / 2;
  return pairs.map((pair, index) => {
    const baseline = sum(pair.baseline);
    if (baseline === 0) return undefined;
    const sorted = (draws[index] as Float64Array).sort();
    return {
      relative: sum(pair.candidate) / baseline - 1,
      low: quantile(sorted, tail),
      high: quantile(sorted, 1 - tail),
    };
  });
}

function ratioMinusOne(candidate: number, baseline: number): number {
  if (baseline > 0) return candidate / baseline - 1;
  return candidate > 0 ? Number.POSITIVE_INFINITY : 0;
}

/** The sum of per-order totals (also what the evaluation's means and margins start from). */
export function sum(values: Float64Array): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

/** Linear interpolation between the closest ranks of a sorted sample. */
function quantile(sorted: Float64Array, p: number): number {
  const position = p * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  const lower = sorted[below] as number;
  const upper = sorted[above] as number;
  const fraction = position - below;
  // Also keeps an infinite bound from turning into NaN (Infinity × 0).
  if (fraction === 0 || lower === upper) return lower;
  return lower + (upper - lower) * fraction;
}
