/**
 * What the storefront states an offer saves before the buyer has it in the cart (the product
 * page's tiers, bundles and sets): the saving the engine applies to the units the page prices, so
 * the words (messages.ts) never name more than checkout takes off. An amount off each above the
 * item's price takes the price (`appliedToUnit`); an amount off a set cheaper than it takes the
 * set's total (`setDiscount`, `statedSetValue`). Percentages are stated as configured: they are
 * rounded once over what they apply to, and never take more than it costs.
 */
import type { ResolvedValue } from "./messages";
import type { AmountContext } from "./pricing-context";
import { resolveSetPricing, setDiscount, statedSetValue, totalSetDiscount } from "./set-pricing";
import type { SetPricing, UnitDiscount } from "./types";
import { appliedToUnit, resolveUnitDiscount } from "./unit-discount";

/**
 * What each unit at `unitPrice` saves with a unit discount (a quantity-break tier, an upgrade's
 * incentive). Null when its amount has no value in the currency: the engine then gives nothing.
 */
export function unitSavingApplied(value: UnitDiscount, unitPrice: number, context: AmountContext): ResolvedValue | null {
  const resolved = resolveUnitDiscount(value, context);
  return resolved && appliedToUnit(resolved, unitPrice);
}

/**
 * What one set (a bundle, a mix-and-match set) whose items cost `setTotal` at full price saves.
 * Null when it saves nothing (a set price not below the set's total: the engine forms no such
 * set) or its amount has no value in the currency.
 */
export function setSavingApplied(pricing: SetPricing, setTotal: number, context: AmountContext): ResolvedValue | null {
  const value = resolveSetPricing(pricing, context);
  if (!value) return null;
  const perSet = [setDiscount(value, setTotal)];
  // A percentage can round to nothing on a cheap set (15% of ¥3 is ¥0): nothing to state.
  if (totalSetDiscount(value, perSet) <= 0) return null;
  const stated = statedSetValue(value, perSet);
  // One set saves one amount, so this is never a total over uneven sets.
  return "sets" in stated ? null : stated;
}
