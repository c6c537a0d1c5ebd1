import { spreadProductDiscount, zeros, type Evaluate } from "./evaluation";
import { lineMatchesRef, orderLines } from "./line-selection";
import { bundleMessage } from "./messages";
import type { PricingContext } from "./pricing-context";
import { resolveSetPricing, setDiscount, statedSetValue, totalSetDiscount } from "./set-pricing";
import type { FixedBundleOffer } from "./types";

/**
 * Fixed bundle: as many complete sets as the cart holds (up to the offer's limit). Each
 * component takes the dearest matching units first, which gives the buyer the larger saving;
 * components naming a variant are filled before components naming a whole product, so a broad
 * component cannot take the units a specific one needs.
 */
export function prepareFixedBundle(offer: FixedBundleOffer, context: PricingContext): Evaluate | null {
  const value = resolveSetPricing(offer.pricing, context);
  if (!value) return null;
  const components = [...offer.items]
    .sort((a, b) => Number("productId" in a.ref) - Number("productId" in b.ref))
    .map((item) => ({
      quantity: item.quantity,
      order: orderLines(context.lines, (line) => lineMatchesRef(line, item.ref), "dearestFirst"),
    }));
  const message = bundleMessage(value, context.currency);

  return (state) => {
    const available = state.remaining.slice();
    const claimed = zeros(context);
    const perSet: number[] = [];
    while (offer.maxSetsPerOrder === null || perSet.length < offer.maxSetsPerOrder) {
      const set = new Map<number, number>();
      let complete = true;
      for (const component of components) {
        let needed = component.quantity;
        for (const index of component.order) {
          if (needed === 0) break;
          const here = Math.min(available[index] ?? 0, needed);
          if (here === 0) continue;
          available[index] = (available[index] ?? 0) - here;
          set.set(index, (set.get(index) ?? 0) + here);
          needed -= here;
        }
        if (needed > 0) {
          complete = false;
          break;
        }
      }
      let setTotal = 0;
      for (const [index, units] of set) setTotal += units * (context.lines[index]?.unitPrice ?? 0);
      // Sets come out dearest first, so the first set that saves nothing ends the search.
      const saving = complete ? setDiscount(value, setTotal) : 0;
      if (saving <= 0) break;
      perSet.push(saving);
      for (const [index, units] of set) claimed[index] = (claimed[index] ?? 0) + units;
    }
    // An amount off a set cheaper than it saves the set's total only: say what was saved.
    const stated = statedSetValue(value, perSet);
    return spreadProductDiscount({
      context,
      total: totalSetDiscount(value, perSet),
      discounted: claimed,
      claimed,
      message: stated === value ? message : bundleMessage(stated, context.currency),
    });
  };
}
