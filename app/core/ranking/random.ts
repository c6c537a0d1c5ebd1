/** A source of uniform numbers in [0, 1). Core code never calls Math.random: callers pass one in. */
export type Rng = () => number;

/**
 * mulberry32: a tiny 32-bit seeded PRNG. Not cryptographic; good enough for Thompson sampling,
 * Monte Carlo propensities and resampling, and identical on every platform for a given seed.
 */
export function mulberry32(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal deviate (Box–Muller); uses two draws and discards the second value for simplicity. */
export function sampleStandardNormal(rng: Rng): number {
  // 1 - rng() is in (0, 1], so the logarithm is finite.
  const u = 1 - rng();
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Gamma(shape, 1) by Marsaglia & Tsang (2000), with the usual boost for shape < 1. */
export function sampleGamma(shape: number, rng: Rng): number {
  if (!(shape > 0)) throw new RangeError(`Gamma shape must be positive; got ${shape}.`);
  if (shape < 1) {
    const boost = Math.pow(1 - rng(), 1 / shape);
    return sampleGamma(shape + 1, rng) * boost;
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = sampleStandardNormal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** Beta(alpha, beta) as a ratio of two gamma deviates. */
export function sampleBeta(alpha: number, beta: number, rng: Rng): number {
  const x = sampleGamma(alpha, rng);
  const y = sampleGamma(beta, rng);
  const sum = x + y;
  // Both deviates can underflow to 0 for tiny shapes; fall back to the mean.
  return sum > 0 ? x / sum : alpha / (alpha + beta);
}
