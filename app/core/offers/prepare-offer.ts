import { prepareBuyXGetY } from "./buy-x-get-y";
import type { Evaluate, PreparedOffer } from "./evaluation";
import { OffersError } from "./errors";
import { prepareFixedBundle } from "./fixed-bundle";
import { prepareMixAndMatch } from "./mix-and-match";
import type { PricingContext } from "./pricing-context";
import { prepareQuantityBreaks } from "./quantity-breaks";
import { prepareSpendTiers } from "./spend-tiers";
import { discountClassOf, type Offer } from "./types";
import { prepareUpgradeLadder } from "./upgrade-ladder";

function evaluatorFor(offer: Offer, context: PricingContext): Evaluate | null {
  switch (offer.type) {
    case "fixedBundle":
      return prepareFixedBundle(offer, context);
    case "mixAndMatch":
      return prepareMixAndMatch(offer, context);
    case "buyXGetY":
      return prepareBuyXGetY(offer, context);
    case "quantityBreaks":
      return prepareQuantityBreaks(offer, context);
    case "spendTiers":
      return prepareSpendTiers(offer, context);
    case "upgradeLadder":
      return prepareUpgradeLadder(offer, context);
  }
}

/** Higher priority first, then id: one order for precedence everywhere in the engine. */
export function compareByPrecedence(a: Pick<Offer, "priority" | "id">, b: Pick<Offer, "priority" | "id">): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Ranks the offers and binds each to the cart. Offers that cannot be priced in this cart's
 * currency (a foreign cart without a rate) are left out.
 */
export function prepareOffers(offers: readonly Offer[], context: PricingContext): PreparedOffer[] {
  const ids = new Set<string>();
  for (const offer of offers) {
    if (ids.has(offer.id)) throw new OffersError("duplicate-offer-id", `Offer id "${offer.id}" is used twice.`);
    ids.add(offer.id);
  }
  const prepared: PreparedOffer[] = [];
  [...offers].sort(compareByPrecedence).forEach((offer, rank) => {
    const evaluate = evaluatorFor(offer, context);
    if (evaluate) prepared.push({ offer, rank, discountClass: discountClassOf(offer), evaluate });
  });
  return prepared;
}
