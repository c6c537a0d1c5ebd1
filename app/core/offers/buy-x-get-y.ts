import { percentToBasisPoints, percentageOfMinor } from "../money";
import { spreadProductDiscount, zeros, type Evaluate } from "./evaluation";
import { lineMatchesSelector, orderLines, sumUnits, takeUnits } from "./line-selection";
import { buyXGetYMessage } from "./messages";
import type { PricingContext } from "./pricing-context";
import type { BuyXGetYOffer } from "./types";

/**
 * Buy X get Y. The "get" units are the cheapest eligible units, as buyers expect from
 * "buy 2 get 1 free". The number of uses is the largest k for which k·X "buy" units and
 * k·Y "get" units can be found without using a unit twice; units eligible for both sides are
 * shared out so that exactly that k works. Buy units are claimed too (they cannot qualify
 * another offer); the cheapest qualifying ones are used, so dearer units stay free for others.
 */
export function prepareBuyXGetY(offer: BuyXGetYOffer, context: PricingContext): Evaluate {
  const x = offer.buy.quantity;
  const y = offer.get.quantity;
  const basisPoints = percentToBasisPoints(offer.get.percent);
  const inBuy = context.lines.map((line) => lineMatchesSelector(line, offer.buy.items));
  const inGet = context.lines.map((line) => lineMatchesSelector(line, offer.get.items));
  const buyOnly = orderLines(context.lines, (line) => inBuy[line.index] === true && !inGet[line.index], "cheapestFirst");
  const getOnly = orderLines(context.lines, (line) => inGet[line.index] === true && !inBuy[line.index], "cheapestFirst");
  const both = orderLines(context.lines, (line) => inBuy[line.index] === true && inGet[line.index] === true, "cheapestFirst");
  const getCheapestFirst = orderLines(context.lines, (line) => inGet[line.index] === true, "cheapestFirst");
  const message = buyXGetYMessage(x, y, basisPoints);

  return (state) => {
    const available = state.remaining.slice();
    const nBuyOnly = sumUnits(buyOnly, available);
    const nGetOnly = sumUnits(getOnly, available);
    const nBoth = sumUnits(both, available);
    let uses = Math.min(
      Math.floor((nGetOnly + nBoth) / y),
      Math.floor((nBuyOnly + nBoth) / x),
      Math.floor((nBuyOnly + nGetOnly + nBoth) / (x + y)),
    );
    if (offer.maxUsesPerOrder !== null) uses = Math.min(uses, offer.maxUsesPerOrder);
    if (uses <= 0) return null;

    // Shared units the buy side cannot do without are off limits to the get side.
    let sharedForGets = nBoth - Math.max(0, uses * x - nBuyOnly);
    const gets = zeros(context);
    let needed = uses * y;
    for (const index of getCheapestFirst) {
      if (needed === 0) break;
      const shared = inBuy[index] === true;
      let here = Math.min(available[index] ?? 0, needed);
      if (shared) here = Math.min(here, sharedForGets);
      if (here === 0) continue;
      available[index] = (available[index] ?? 0) - here;
      gets[index] = here;
      needed -= here;
      if (shared) sharedForGets -= here;
    }

    const claimed = gets.slice();
    const buysNeeded = uses * x;
    const tookOnly = takeUnits(buyOnly, available, buysNeeded, claimed);
    takeUnits(both, available, buysNeeded - tookOnly, claimed);

    let getValue = 0;
    gets.forEach((units, index) => {
      getValue += units * (context.lines[index]?.unitPrice ?? 0);
    });
    return spreadProductDiscount({
      context,
      total: percentageOfMinor(getValue, basisPoints),
      discounted: gets,
      claimed,
      message,
    });
  };
}
