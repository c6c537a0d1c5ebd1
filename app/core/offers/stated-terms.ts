/**
 * What the storefront states an offer saves before the buyer has it in the cart (the product
 * page's tiers, bundles and sets): the saving the engine applies to the units the page prices, so
 * the words (messages.ts) never name more than checkout takes off. An amount off each above the
 * item's price takes the price (`appliedToUnit`); an amount off a set cheaper than it takes the
 * set's total (`setDiscount`, `statedSetValue`). Percentages are stated as configured: they are
 * rounded once over what they apply to, and never take more than it costs. A tier that saves no
 * more each than a tier below it is not listed (`tiersNotBeaten`); a mix-and-match offer, whose
 * items the buyer picks, states only what holds for every set (`mixAndMatchStated`).
 */
import { BASIS_POINTS_IN_WHOLE, percentageOfMinor } from "../money";
import type { ResolvedValue } from "./messages";
import type { AmountContext } from "./pricing-context";
import { tierUnitPrice } from "./preview";
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
 * What `quantity` units at `unitPrice` save with a quantity-break tier worth `value` (resolved), the
 * tier alone on one line, as the engine takes it (quantity-breaks.ts): a percentage rounded once
 * over the units, an amount off each capped at the unit's price.
 */
export function tierSavingAlone(value: ResolvedValue, unitPrice: number, quantity: number): number {
  return value.kind === "percentage" ? percentageOfMinor(unitPrice * quantity, value.value) : appliedToUnit(value, unitPrice).value * quantity;
}

/**
 * Which quantity-break tiers a product page lists, for an item at `unitPrice`. Each tier comes with
 * `total`, what its minimum quantity costs with it, in increasing minimum. A tier is listed only if
 * its price each as the page states it (`tierUnitPrice`) is below that of every tier listed before
 * it, and the first one's below the item's price: otherwise its row promises nothing more for
 * buying more ("2+: save ¥120 each" and "3+: save ¥120 each" when both amounts are capped at a ¥120
 * item's price, or two percentages that round to one price each). Leaving it out keeps the rows
 * true: the engine gives the highest tier reached, and a higher tier never saves less than a lower
 * one on the same units (saving requires one kind of discount, increasing), so a buyer who reaches
 * the tier left out gets at least what the row above it states.
 * For each tier: null when listed, else the minimum quantity of the listed tier whose price each it
 * does not beat (1: the item's own price).
 */
export function tiersNotBeaten(tiers: readonly { readonly minQuantity: number; readonly total: number }[], unitPrice: number): (number | null)[] {
  let listed = { minQuantity: 1, each: unitPrice };
  return tiers.map((tier) => {
    const each = tierUnitPrice(tier.total, tier.minQuantity);
    if (each >= listed.each) return listed.minQuantity;
    listed = { minQuantity: tier.minQuantity, each };
    return null;
  });
}

/**
 * Whether a tier's price each holds at every quantity: each unit saves a whole number of minor
 * units. An amount off each does (capped at the price, per unit); a percentage only when it takes
 * a whole number of minor units off the price (15% of £2.00 is 30p). Otherwise checkout, which
 * rounds a percentage once over the line, charges a quantity something no price each says: 15%
 * off four £1.79 items is £6.09 (£7.16 less £1.074 rounded), where "£1.52 each" says £6.08, and
 * seventeen are £25.87, not £25.84.
 */
export function tierHoldsEach(value: ResolvedValue, unitPrice: number): boolean {
  return value.kind !== "percentage" || (BigInt(unitPrice) * BigInt(value.value)) % BigInt(BASIS_POINTS_IN_WHOLE) === 0n;
}

/**
 * How a product page states its quantity-break tiers for an item at `unitPrice`, so that each row
 * is what checkout charges at every quantity it covers (from its minimum to the next tier's).
 * `tiers`: each tier's saving each (`unitSavingApplied`) and `total`, what its minimum quantity
 * costs with it, in increasing minimum.
 * - `each`: every tier's price each holds at every quantity (`tierHoldsEach`): rows state a price
 *   each, and a tier is listed only if it beats the rows above it (`tiersNotBeaten`); one left out
 *   saves exactly what the row above states (a capped amount, the same price each).
 * - Otherwise rows state the percentage, which checkout applies exactly (rounded once over the
 *   line), and every tier is listed but those below the first that saves anything at its minimum:
 *   a row left out in between would make the row above state less than its quantities get.
 * `hidden`: for each tier, null when listed, else the minimum quantity of the listed tier whose
 * price each it does not beat (1: the item's own price).
 */
export function quantityTiersStated(
  tiers: readonly { readonly minQuantity: number; readonly value: ResolvedValue; readonly total: number }[],
  unitPrice: number,
): { each: boolean; hidden: (number | null)[] } {
  if (tiers.every((tier) => tierHoldsEach(tier.value, unitPrice))) return { each: true, hidden: tiersNotBeaten(tiers, unitPrice) };
  let listed = false;
  const hidden = tiers.map((tier) => {
    listed ||= tier.total < unitPrice * tier.minQuantity;
    return listed ? null : 1;
  });
  return { each: false, hidden };
}

/**
 * What one set (a bundle) whose items cost `setTotal` at full price saves.
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

/** The cheapest and dearest unit prices the catalog knows among a mix-and-match offer's items. */
export interface KnownPriceRange {
  readonly cheapest: number;
  readonly dearest: number;
}

/**
 * What a mix-and-match offer states on the page of an item at `viewed` (its unit price; null when
 * unknown) before the buyer picks the set's other items: only what holds for every set of
 * `setSize` that holds this item, judged by the known prices of its items (`prices`, null when
 * none is known). The buyer may pick any of them, so a set of the viewed item alone says nothing
 * of the others; the cheapest such set is this item with the cheapest others.
 * - A percentage is exact as a percentage whatever the set (rounded once over the sets), unless
 *   even a set of the dearest items would round to nothing.
 * - An amount off is exact when no such set is cheaper than it: a cheaper set saves only its total.
 * - A set price is stated (as the price, not a saving, which varies) when every such set costs
 *   more than it: a set that does not is not formed, and its buyer pays the items' own sum, not
 *   the price named. So "any 2 for £12" shows beside a £16 candle, not beside a £4.50 tea.
 * Null: nothing can be stated exactly (or the amount has no value in the currency).
 */
export function mixAndMatchStated(
  pricing: SetPricing,
  setSize: number,
  prices: KnownPriceRange | null,
  viewed: number | null,
  context: AmountContext,
): ResolvedValue | null {
  const value = resolveSetPricing(pricing, context);
  if (!value) return null;
  const cheapestSet = prices === null ? null : (viewed ?? prices.cheapest) + prices.cheapest * (setSize - 1);
  switch (value.kind) {
    case "percentage":
      return prices === null || totalSetDiscount(value, [setDiscount(value, prices.dearest * setSize)]) > 0 ? value : null;
    case "amountOff":
      return cheapestSet !== null && cheapestSet >= value.value ? value : null;
    case "fixedPrice":
      return cheapestSet !== null && cheapestSet > value.value ? value : null;
    case "amountOffEach":
      return null;
  }
}
