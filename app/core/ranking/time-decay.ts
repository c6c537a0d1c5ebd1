const MS_PER_DAY = 86_400_000;

/**
 * Exponential decay weight 0.5^(age / halfLife). An infinite half-life means no decay.
 * Orders dated after `now` (clock skew between shops and the app) count as brand new, not more.
 */
export function decayWeight(ageMs: number, halfLifeDays: number): number {
  if (!Number.isFinite(halfLifeDays)) return 1;
  if (ageMs <= 0) return 1;
  return Math.pow(0.5, ageMs / (halfLifeDays * MS_PER_DAY));
}

/**
 * Statistics are stored relative to a fixed reference time, as 2^((t - reference) / halfLife),
 * so adding an order never touches the weights already stored: decaying to any `now` is one
 * multiplication at read time. This is the growth factor of an order at time `t`.
 */
export function growthSinceReference(timeMs: number, referenceMs: number, halfLifeDays: number): number {
  if (!Number.isFinite(halfLifeDays)) return 1;
  return Math.pow(2, (timeMs - referenceMs) / (halfLifeDays * MS_PER_DAY));
}

/** Exponent (in half-lives) of a growth factor; stats rebase before doubles lose range. */
export function halfLivesBetween(fromMs: number, toMs: number, halfLifeDays: number): number {
  if (!Number.isFinite(halfLifeDays)) return 0;
  return (toMs - fromMs) / (halfLifeDays * MS_PER_DAY);
}
