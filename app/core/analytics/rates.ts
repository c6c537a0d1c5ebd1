/** A share (0..1) of `part` in `whole`, or null when there is nothing to divide by. */
export function shareOf(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

/** Mean of integer minor-unit amounts, rounded half up to a whole minor unit; null for no items. */
export function meanMinor(total: number, count: number): number | null {
  if (count <= 0) return null;
  return Math.round(total / count);
}
