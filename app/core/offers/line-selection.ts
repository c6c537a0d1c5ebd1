import type { CanonicalLine } from "./pricing-context";
import type { ItemRef, ItemSelector } from "./types";

export function lineMatchesRef(line: CanonicalLine, ref: ItemRef): boolean {
  return "variantId" in ref ? line.variantId === ref.variantId : line.productId === ref.productId;
}

export function lineMatchesSelector(line: CanonicalLine, selector: ItemSelector): boolean {
  if (selector.variantIds?.includes(line.variantId)) return true;
  if (selector.productIds?.includes(line.productId)) return true;
  return selector.collectionIds?.some((id) => line.collectionIds.has(id)) ?? false;
}

/**
 * Indices of matching lines, cheapest unit first or dearest unit first. Lines are canonical
 * (sorted by variant id), so equal prices fall back to that order in both directions.
 */
export function orderLines(
  lines: readonly CanonicalLine[],
  matches: (line: CanonicalLine) => boolean,
  direction: "cheapestFirst" | "dearestFirst",
): number[] {
  const indices = lines.filter(matches).map((line) => line.index);
  const sign = direction === "cheapestFirst" ? 1 : -1;
  return indices.sort((a, b) => {
    const priceA = lines[a]?.unitPrice ?? 0;
    const priceB = lines[b]?.unitPrice ?? 0;
    return priceA !== priceB ? sign * (priceA - priceB) : a - b;
  });
}

/**
 * Takes up to `count` units from `available` walking `order`, recording them in `taken`.
 * Returns how many were taken.
 */
export function takeUnits(
  order: readonly number[],
  available: number[],
  count: number,
  taken: number[],
): number {
  let left = count;
  for (const index of order) {
    if (left === 0) break;
    const here = Math.min(available[index] ?? 0, left);
    if (here === 0) continue;
    available[index] = (available[index] ?? 0) - here;
    taken[index] = (taken[index] ?? 0) + here;
    left -= here;
  }
  return count - left;
}

export function sumUnits(order: readonly number[], available: readonly number[]): number {
  let total = 0;
  for (const index of order) total += available[index] ?? 0;
  return total;
}

/** Price of the units in `taken` (per line index). */
export function valueOf(taken: readonly number[], lines: readonly CanonicalLine[]): number {
  let total = 0;
  taken.forEach((units, index) => {
    total += units * (lines[index]?.unitPrice ?? 0);
  });
  return total;
}
