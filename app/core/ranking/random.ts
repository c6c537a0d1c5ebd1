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

/** A source of standard normal deviates. */
export type NormalSampler = () => number;

/**
 * Standard normal deviates by Box–Muller, both values of each pair used (the second is kept
 * for the next call), so sampling costs one logarithm per two deviates.
 */
export function createNormalSampler(rng: Rng): NormalSampler {
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const value = spare;
      spare = undefined;
      return value;
    }
    // 1 - rng() is in (0, 1], so the logarithm is finite.
    const radius = Math.sqrt(-2 * Math.log(1 - rng()));
    const angle = 2 * Math.PI * rng();
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
}

/** Gamma(shape, 1) by Marsaglia & Tsang (2000), with the usual boost for shape < 1. */
export function sampleGamma(shape: number, rng: Rng, normal: NormalSampler = createNormalSampler(rng)): number {
  if (!(shape > 0)) throw new RangeError(`Gamma shape must be positive; got ${shape}.`);
  if (shape < 1) {
    const boost = Math.pow(1 - rng(), 1 / shape);
    return sampleGamma(shape + 1, rng, normal) * boost;
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** Beta(alpha, beta) as a ratio of two gamma deviates. Pass a shared normal sampler when drawing many. */
export function sampleBeta(alpha: number, beta: number, rng: Rng, normal: NormalSampler = createNormalSampler(rng)): number {
  const x = sampleGamma(alpha, rng, normal);
  const y = sampleGamma(beta, rng, normal);
  const sum = x + y;
  // Both deviates can underflow to 0 for tiny shapes; fall back to the mean.
  return sum > 0 ? x / sum : alpha / (alpha + beta);
}
