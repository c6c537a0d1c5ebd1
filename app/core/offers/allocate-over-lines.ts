import { allocateLargestRemainder } from "../money";
import type { PricingContext } from "./pricing-context";

/**
 * Splits `total` over the cart's lines in proportion to `weights` (per canonical line index),
 * no line above its cap. It splits by variant first, then over each variant's lines: a variant
 * can sit on several lines (checkout keeps lines with different properties apart, the
 * storefront may merge them), and which of those lines gets a rounded-off minor unit depends
 * on their ids. Splitting by variant first keeps what each variant saves the same on both
 * sides whatever the line ids, so the prices the storefront shows per item are the ones
 * checkout charges.
 */
export function allocateOverLines(
  context: PricingContext,
  total: number,
  weights: readonly (number | bigint)[],
  caps: readonly number[],
): number[] {
  const amounts = context.lines.map(() => 0);
  if (total === 0) return amounts;
  // Canonical lines are sorted by variant, so each variant's lines are contiguous.
  const groups: number[][] = [];
  for (const line of context.lines) {
    const last = groups[groups.length - 1];
    const previous = last === undefined ? undefined : context.lines[last[0] ?? 0];
    if (last && previous?.variantId === line.variantId) last.push(line.index);
    else groups.push([line.index]);
  }
  const sumOf = (indices: readonly number[]) =>
    indices.reduce<bigint>((sum, index) => sum + BigInt(weights[index] ?? 0), 0n);
  const capOf = (indices: readonly number[]) => indices.reduce((sum, index) => sum + (caps[index] ?? 0), 0);
  const perVariant = allocateLargestRemainder(total, groups.map(sumOf), groups.map(capOf));
  groups.forEach((indices, group) => {
    const share = perVariant[group] ?? 0;
    if (share === 0) return;
    const lineCaps = indices.map((index) => caps[index] ?? 0);
    // A cap can pass a share on to a variant that weighed nothing; its lines' room decides then.
    const lineWeights = sumOf(indices) > 0n ? indices.map((index) => weights[index] ?? 0) : lineCaps;
    const lineShares = allocateLargestRemainder(share, lineWeights, lineCaps);
    indices.forEach((index, position) => {
      amounts[index] = lineShares[position] ?? 0;
    });
  });
  return amounts;
}
