/**
 * The standard normal distribution, written here rather than taken from a library: the holdout
 * test needs its CDF, its inverse and the chi-square tail with one degree of freedom, no more.
 */

// W. J. Cody's rational Chebyshev approximations of Φ (ACM Algorithm 715, as in R's pnorm and
// GSL's gaussian CDF): close to full double precision, in the far tails too, where computing
// 1 − Φ(x) by subtraction would cancel to nothing. That accuracy is also what lets the Halley step
// in normalQuantile improve on Acklam's estimate rather than add the CDF's own error to it.
const CENTRAL_NUMERATOR = [2.2352520354606837, 161.02823106855587, 1067.6894854603709, 18154.98125334356, 0.06568233791820745] as const;
const CENTRAL_DENOMINATOR = [47.202581904688245, 976.0985517377767, 10260.932208618979, 45507.78933502673] as const;
const NEAR_NUMERATOR = [
  0.39894151208813466, 8.883149794388377, 93.50665613217785, 597.2702763948002, 2494.5375852903726, 6848.190450536283,
  11602.65143764735, 9842.714838383978, 1.0765576773720192e-8,
] as const;
const NEAR_DENOMINATOR = [
  22.266688044328117, 235.387901782625, 1519.3775994075547, 6485.558298266761, 18615.571640885097, 34900.95272114598,
  38912.00328609327, 19685.429676859992,
] as const;
const FAR_NUMERATOR = [0.215898534057957, 0.12740116116024736, 0.022235277870649807, 0.0014216191932278934, 0.000029112874951168793, 0.023073441764940174] as const;
const FAR_DENOMINATOR = [1.284260096144911, 0.4682382124808651, 0.06598813786892856, 0.0037823963320275824, 0.00007297515550839662] as const;

const CENTRAL_LIMIT = 0.66291;
const NEAR_LIMIT = Math.sqrt(32);
/** Below −37.519, Φ(x) is under the smallest positive double. */
const UNDERFLOW_LIMIT = 37.519;
const ONE_OVER_SQRT_TWO_PI = 0.3989422804014327;

/** Φ(x) − 1/2 for |x| ≤ 0.66291. */
function centralPart(x: number): number {
  const [a0, a1, a2, a3, a4] = CENTRAL_NUMERATOR;
  const [b0, b1, b2, b3] = CENTRAL_DENOMINATOR;
  const square = x * x;
  const numerator = (((a4 * square + a0) * square + a1) * square + a2) * square + a3;
  const denominator = (((square + b0) * square + b1) * square + b2) * square + b3;
  return (x * numerator) / denominator;
}

/**
 * exp(−y²/2) · factor, with y² split into a part that squares exactly (y rounded down to
 * sixteenths) and a small remainder, so the exponential of a large square loses no digits.
 */
function gaussianTimes(y: number, factor: number): number {
  const rounded = Math.trunc(y * 16) / 16;
  const remainder = (y - rounded) * (y + rounded);
  return Math.exp(-0.5 * rounded * rounded) * Math.exp(-0.5 * remainder) * factor;
}

/** Φ(−y), the lower tail, for y > 0.66291. */
function lowerTail(y: number): number {
  if (y <= NEAR_LIMIT) {
    const [c0, c1, c2, c3, c4, c5, c6, c7, c8] = NEAR_NUMERATOR;
    const [d0, d1, d2, d3, d4, d5, d6, d7] = NEAR_DENOMINATOR;
    const numerator = (((((((c8 * y + c0) * y + c1) * y + c2) * y + c3) * y + c4) * y + c5) * y + c6) * y + c7;
    const denominator = (((((((y + d0) * y + d1) * y + d2) * y + d3) * y + d4) * y + d5) * y + d6) * y + d7;
    return gaussianTimes(y, numerator / denominator);
  }
  if (y >= UNDERFLOW_LIMIT) return 0;
  const [p0, p1, p2, p3, p4, p5] = FAR_NUMERATOR;
  const [q0, q1, q2, q3, q4] = FAR_DENOMINATOR;
  const inverseSquare = 1 / (y * y);
  const numerator = ((((p5 * inverseSquare + p0) * inverseSquare + p1) * inverseSquare + p2) * inverseSquare + p3) * inverseSquare + p4;
  const denominator = ((((inverseSquare + q0) * inverseSquare + q1) * inverseSquare + q2) * inverseSquare + q3) * inverseSquare + q4;
  const asymptotic = (ONE_OVER_SQRT_TWO_PI - (inverseSquare * numerator) / denominator) / y;
  return gaussianTimes(y, asymptotic);
}

/** Φ(x): the probability that a standard normal deviate is at most x. */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const y = Math.abs(x);
  if (y <= CENTRAL_LIMIT) return 0.5 + centralPart(x);
  const tail = lowerTail(y);
  return x < 0 ? tail : 1 - tail;
}

// Acklam's rational approximations of Φ⁻¹ (relative error below 1.15e-9) for the lower tail
// and the central region.
const ACKLAM_CENTRAL_NUMERATOR = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239] as const;
const ACKLAM_CENTRAL_DENOMINATOR = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572] as const;
const ACKLAM_TAIL_NUMERATOR = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783] as const;
const ACKLAM_TAIL_DENOMINATOR = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416] as const;
const ACKLAM_TAIL_LIMIT = 0.02425;

/** Acklam's estimate of Φ⁻¹(p) for 0 < p ≤ 1/2. */
function acklamLowerHalf(p: number): number {
  if (p < ACKLAM_TAIL_LIMIT) {
    const [c0, c1, c2, c3, c4, c5] = ACKLAM_TAIL_NUMERATOR;
    const [d0, d1, d2, d3] = ACKLAM_TAIL_DENOMINATOR;
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) / ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  }
  const [a0, a1, a2, a3, a4, a5] = ACKLAM_CENTRAL_NUMERATOR;
  const [b0, b1, b2, b3, b4] = ACKLAM_CENTRAL_DENOMINATOR;
  const q = p - 0.5;
  const r = q * q;
  return ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) / (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1);
}

/**
 * Φ⁻¹(p) for 0 < p < 1: Acklam's estimate refined by one Halley step, close to full double
 * precision. Upper-half probabilities are answered by symmetry from 1 − p (exact for p ≥ 1/2),
 * so the step compares small tail probabilities directly instead of differences of numbers near 1.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`A probability strictly between 0 and 1 is needed; got ${p}.`);
  if (p > 0.5) return -normalQuantile(1 - p);
  const estimate = acklamLowerHalf(p);
  const error = normalCdf(estimate) - p;
  const step = error * Math.sqrt(2 * Math.PI) * Math.exp((estimate * estimate) / 2);
  return estimate - step / (1 + (estimate * step) / 2);
}

/** P(X ≥ x) for X chi-square with one degree of freedom (the square of a standard normal deviate): 2·Φ(−√x). */
export function chiSquareOneDofSurvival(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x <= 0) return 1;
  return 2 * normalCdf(-Math.sqrt(x));
}

/** The two-sided critical value for a confidence level (0.95 → 1.959964). */
export function criticalValue(confidence: number): number {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`A confidence level strictly between 0 and 1 is needed; got ${confidence}.`);
  return normalQuantile(1 - (1 - confidence) / 2);
}
