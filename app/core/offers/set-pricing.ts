import { percentToBasisPoints, percentageOfMinor } from "../money";
import type { ResolvedValue, UnevenSets } from "./messages";
import { resolveAmount, type AmountContext } from "./pricing-context";
import type { SetPricing } from "./types";

/** A set price in the cart's currency; null when an amount cannot be converted. */
export function resolveSetPricing(pricing: SetPricing, context: AmountContext): ResolvedValue | null {
  switch (pricing.kind) {
    case "percentage":
      return { kind: "percentage", value: percentToBasisPoints(pricing.percent) };
    case "amountOff": {
      const value = resolveAmount(pricing.amount, context);
      return value === null ? null : { kind: "amountOff", value };
    }
    case "fixedPrice": {
      const value = resolveAmount(pricing.price, context);
      return value === null ? null : { kind: "fixedPrice", value };
    }
  }
}

/**
 * What one set saves at full price `setTotal`. Percentages are not computed per set: they are
 * rounded once over all sets (see `totalSetDiscount`), so this returns the set total for them
 * (a positive number meaning "this set counts").
 */
export function setDiscount(value: ResolvedValue, setTotal: number): number {
  switch (value.kind) {
    case "percentage":
      return setTotal;
    case "amountOff":
    case "amountOffEach":
      return Math.min(value.value, setTotal);
    case "fixedPrice":
      return Math.max(0, setTotal - value.value);
  }
}

/** The offer's total discount from the per-set figures `setDiscount` returned. */
export function totalSetDiscount(value: ResolvedValue, perSet: readonly number[]): number {
  const sum = perSet.reduce((total, amount) => total + amount, 0);
  return value.kind === "percentage" ? percentageOfMinor(sum, value.value) : sum;
}

/**
 * What a set offer's message states, from what its sets saved (`setDiscount`'s figures): the
 * configured value, unless an amount off was capped at a set's total. Then what each set saved
 * when they all saved the same, else their total and how many sets: never the amount a set did
 * not get.
 */
export function statedSetValue(value: ResolvedValue, perSet: readonly number[]): ResolvedValue | UnevenSets {
  if (value.kind !== "amountOff" || perSet.every((saving) => saving === value.value)) return value;
  const [first = 0] = perSet;
  if (perSet.every((saving) => saving === first)) return { kind: "amountOff", value: first };
  return { total: perSet.reduce((sum, saving) => sum + saving, 0), sets: perSet.length };
}
