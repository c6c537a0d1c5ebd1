import { findBestCombination, type Combination } from "./best-combination";
import { initialState } from "./evaluation";
import { createPricingContext, type PricingContext } from "./pricing-context";
import { prepareOffers } from "./prepare-offer";
import { isOfferLive, type Now } from "./schedule";
import type { AppliedOffer, CartInput, EligibleOffer, LineAllocation, Offer, PricedCart, PricedLine } from "./types";

export interface PriceCartOptions {
  readonly cart: CartInput;
  readonly offers: readonly Offer[];
  readonly now: Now;
}

/**
 * Prices a cart: which live offers apply, the best combination of them for the buyer, and each
 * discount spread over the cart lines to the minor unit. The widget, the admin preview and the
 * checkout function all call this, so they cannot disagree.
 */
export function priceCart(options: PriceCartOptions): PricedCart {
  return priceCartWithClaims(options).priced;
}

/**
 * priceCart, and the units each applied offer claimed per cart line id: bought or discounted (a
 * buy-x-get-y's bought units too), so no other product discount may count them. Tier progress
 * needs them; the priced cart itself shows only the discounted units.
 */
export function priceCartWithClaims({ cart, offers, now }: PriceCartOptions): { priced: PricedCart; claimed: ReadonlyMap<string, ReadonlyMap<string, number>> } {
  const context = createPricingContext(cart);
  const live = offers.filter((offer) => isOfferLive(offer, now));
  const prepared = prepareOffers(live, context);
  const start = initialState(context.lines);

  const standalone = prepared
    .map((offer) => ({ offer, evaluation: offer.evaluate(start) }))
    .filter((entry) => entry.evaluation !== null);
  const combination = findBestCombination(
    standalone.map((entry) => entry.offer),
    start,
  );
  const appliedIds = new Set(combination.chosen.map((chosen) => chosen.prepared.offer.id));
  const eligible: EligibleOffer[] = standalone.map((entry) => ({
    offerId: entry.offer.offer.id,
    standaloneSaving: entry.evaluation?.total ?? 0,
    applied: appliedIds.has(entry.offer.offer.id),
  }));
  const claimed = new Map<string, Map<string, number>>();
  for (const { prepared: chosen, evaluation } of combination.chosen) {
    const units = new Map<string, number>();
    for (const line of context.lines) if ((evaluation.claimed[line.index] ?? 0) > 0) units.set(line.id, evaluation.claimed[line.index] ?? 0);
    claimed.set(chosen.offer.id, units);
  }
  return { priced: describeCombination(cart, context, combination, eligible), claimed };
}

function describeCombination(
  cart: CartInput,
  context: PricingContext,
  combination: Combination,
  eligible: readonly EligibleOffer[],
): PricedCart {
  const applied: AppliedOffer[] = combination.chosen.map(({ prepared, evaluation }) => {
    const allocations: LineAllocation[] = [];
    for (const line of context.lines) {
      const amount = evaluation.amounts[line.index] ?? 0;
      if (amount <= 0) continue;
      allocations.push({
        lineId: line.id,
        amount,
        quantity: evaluation.units[line.index] ?? 0,
        message: evaluation.lineMessages?.[line.index] ?? evaluation.message,
      });
    }
    return {
      offerId: prepared.offer.id,
      title: prepared.offer.title,
      type: prepared.offer.type,
      discountClass: prepared.discountClass,
      amount: evaluation.total,
      message: evaluation.message,
      allocations,
    };
  });

  const byLine = new Map<string, { offerId: string; amount: number }[]>();
  for (const offer of applied) {
    for (const allocation of offer.allocations) {
      byLine.set(allocation.lineId, [...(byLine.get(allocation.lineId) ?? []), { offerId: offer.offerId, amount: allocation.amount }]);
    }
  }
  const lines: PricedLine[] = cart.lines.map((line) => {
    const allocations = byLine.get(line.id) ?? [];
    const subtotal = line.unitPrice * line.quantity;
    const discount = allocations.reduce((sum, allocation) => sum + allocation.amount, 0);
    return { lineId: line.id, subtotal, discount, total: subtotal - discount, allocations };
  });
  const subtotal = context.lines.reduce((sum, line) => sum + line.subtotal, 0);
  return {
    currency: context.currency,
    subtotal,
    totalDiscount: combination.saving,
    total: subtotal - combination.saving,
    applied,
    eligible,
    lines,
  };
}
