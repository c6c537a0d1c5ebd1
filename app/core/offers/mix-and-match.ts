import { spreadProductDiscount, zeros, type Evaluate } from "./evaluation";
import { lineMatchesSelector, orderLines } from "./line-selection";
import { mixAndMatchMessage } from "./messages";
import type { PricingContext } from "./pricing-context";
import { resolveSetPricing, setDiscount, statedSetValue, totalSetDiscount } from "./set-pricing";
import type { MixAndMatchOffer } from "./types";

/**
 * Mix and match: any `setSize` eligible units form a set. Sets are filled with the dearest
 * units first (the larger saving for the buyer); leftover units that do not make a full set
 * stay free for other offers.
 */
export function prepareMixAndMatch(offer: MixAndMatchOffer, context: PricingContext): Evaluate | null {
  const value = resolveSetPricing(offer.pricing, context);
  if (!value) return null;
  const order = orderLines(context.lines, (line) => lineMatchesSelector(line, offer.eligible), "dearestFirst");
  const message = mixAndMatchMessage(offer.setSize, value, context.currency);

  return (state) => {
    const claimed = zeros(context);
    const perSet: number[] = [];
    let setTotal = 0;
    let inSet = 0;
    let pending: [number, number][] = [];
    outer: for (const index of order) {
      let units = state.remaining[index] ?? 0;
      const price = context.lines[index]?.unitPrice ?? 0;
      while (units > 0) {
        const here = Math.min(units, offer.setSize - inSet);
        units -= here;
        inSet += here;
        setTotal += here * price;
        pending.push([index, here]);
        if (inSet === offer.setSize) {
          const saving = setDiscount(value, setTotal);
          if (saving <= 0) break outer;
          perSet.push(saving);
          for (const [line, count] of pending) claimed[line] = (claimed[line] ?? 0) + count;
          pending = [];
          inSet = 0;
          setTotal = 0;
          if (offer.maxSetsPerOrder !== null && perSet.length >= offer.maxSetsPerOrder) break outer;
        }
      }
    }
    // An amount off a set cheaper than it saves the set's total only: say what was saved.
    const stated = statedSetValue(value, perSet);
    return spreadProductDiscount({
      context,
      total: totalSetDiscount(value, perSet),
      discounted: claimed,
      claimed,
      message: stated === value ? message : mixAndMatchMessage(offer.setSize, stated, context.currency),
    });
  };
}
