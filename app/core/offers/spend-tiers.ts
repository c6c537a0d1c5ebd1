import { percentageOfMinor } from "../money";
import { allocateOverLines } from "./allocate-over-lines";
import type { Evaluate } from "./evaluation";
import { spendTierMessage, type ResolvedValue } from "./messages";
import { resolveAmount, type AmountContext, type PricingContext } from "./pricing-context";
import type { SpendTiersOffer } from "./types";
import { resolveOrderDiscount } from "./unit-discount";

export interface ResolvedSpendTier {
  /** Threshold in the cart currency. */
  readonly minSubtotal: number;
  readonly value: ResolvedValue;
  readonly message: string;
}

/**
 * Tiers in the cart's currency, or null when a threshold or amount cannot be converted, or when
 * an amount off would reach its threshold there (a market's pinned threshold below the converted
 * amount, say): the order would be free, so the offer does not apply in that currency at all.
 */
export function resolveSpendTiers(offer: SpendTiersOffer, context: AmountContext): ResolvedSpendTier[] | null {
  const tiers: ResolvedSpendTier[] = [];
  for (const tier of offer.tiers) {
    const minSubtotal = resolveAmount(tier.minSubtotal, context);
    const value = resolveOrderDiscount(tier.value, context);
    if (minSubtotal === null || !value) return null;
    if (value.kind === "amountOff" && value.value >= minSubtotal) return null;
    tiers.push({ minSubtotal, value, message: spendTierMessage(minSubtotal, value, context.currency) });
  }
  return tiers;
}

/**
 * Spend tiers, an order discount. The threshold is met by what the buyer pays for the goods:
 * the subtotal after the product discounts of the same combination (a bundle saving does not
 * count as spending). The discount is taken off what is left after product discounts and any
 * order discount applied before it, and spread over the lines in proportion to that.
 */
export function prepareSpendTiers(offer: SpendTiersOffer, context: PricingContext): Evaluate | null {
  const tiers = resolveSpendTiers(offer, context);
  if (!tiers) return null;

  return (state) => {
    let spend = 0;
    const left = context.lines.map((line) => {
      const afterProducts = line.subtotal - (state.productDiscount[line.index] ?? 0);
      spend += afterProducts;
      return afterProducts - (state.orderDiscount[line.index] ?? 0);
    });
    const tier = [...tiers].reverse().find((candidate) => spend >= candidate.minSubtotal);
    if (!tier) return null;
    const base = left.reduce((sum, amount) => sum + amount, 0);
    const total =
      tier.value.kind === "percentage" ? percentageOfMinor(base, tier.value.value) : Math.min(tier.value.value, base);
    if (total <= 0) return null;
    // Capped by what earlier order discounts left: the message states the amount taken, not the tier's.
    const capped = tier.value.kind !== "percentage" && total < tier.value.value;
    return {
      total,
      message: capped ? spendTierMessage(tier.minSubtotal, { ...tier.value, value: total }, context.currency) : tier.message,
      amounts: allocateOverLines(context, total, left, left),
      units: context.lines.map((line) => line.quantity),
      claimed: context.lines.map(() => 0),
    };
  };
}
