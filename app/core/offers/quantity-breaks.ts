import { BASIS_POINTS_IN_WHOLE, divideRoundHalfUp } from "../money";
import { allocateOverLines } from "./allocate-over-lines";
import { zeros, type Evaluate } from "./evaluation";
import { lineMatchesSelector, orderLines } from "./line-selection";
import { joinMessages, quantityBreakMessage, type ResolvedValue } from "./messages";
import type { PricingContext } from "./pricing-context";
import type { QuantityBreaksOffer } from "./types";
import { appliedToUnit, resolveUnitDiscount } from "./unit-discount";

interface ResolvedTier {
  readonly minQuantity: number;
  readonly value: ResolvedValue;
  readonly message: string;
}

/**
 * Quantity breaks: the highest tier reached by the eligible units still free in the cart
 * applies to all of them. Percentages are rounded once over the whole offer and then spread
 * (largest remainder); fixed amounts are per unit and capped at the unit price.
 */
export function prepareQuantityBreaks(offer: QuantityBreaksOffer, context: PricingContext): Evaluate | null {
  const tiers: ResolvedTier[] = [];
  for (const tier of offer.tiers) {
    const value = resolveUnitDiscount(tier.value, context);
    if (!value) return null;
    tiers.push({ minQuantity: tier.minQuantity, value, message: quantityBreakMessage(tier.minQuantity, value, context.currency) });
  }
  const eligible = orderLines(context.lines, (line) => lineMatchesSelector(line, offer.eligible), "dearestFirst");
  // Groups of lines that count together: all eligible lines, or the lines of each product.
  const groups = new Map<string, number[]>();
  for (const index of eligible) {
    const key = offer.countPer === "product" ? (context.lines[index]?.productId ?? "") : "";
    groups.set(key, [...(groups.get(key) ?? []), index]);
  }

  return (state) => {
    const units = zeros(context);
    const tierOfLine: (ResolvedTier | undefined)[] = context.lines.map(() => undefined);
    let reached = false;
    for (const indices of groups.values()) {
      const count = indices.reduce((sum, index) => sum + (state.remaining[index] ?? 0), 0);
      const tier = [...tiers].reverse().find((candidate) => count >= candidate.minQuantity);
      if (!tier) continue;
      reached = true;
      for (const index of indices) {
        units[index] = state.remaining[index] ?? 0;
        tierOfLine[index] = tier;
      }
    }
    if (!reached) return null;

    // Percentage lines: one rounding over the exact sum, spread by each line's exact share. The
    // shares are units × price × basis points, which outgrow a safe number on big carts in
    // currencies without decimals, so they are bigints.
    const percentWeights = context.lines.map((line) => {
      const tier = tierOfLine[line.index];
      return tier?.value.kind === "percentage" ? BigInt((units[line.index] ?? 0) * line.unitPrice) * BigInt(tier.value.value) : 0n;
    });
    const percentCaps = context.lines.map((line) =>
      tierOfLine[line.index]?.value.kind === "percentage" ? (units[line.index] ?? 0) * line.unitPrice : 0,
    );
    const percentTotal = divideRoundHalfUp(percentWeights.reduce((sum, weight) => sum + weight, 0n), BigInt(BASIS_POINTS_IN_WHOLE));
    const amounts = percentTotal > 0 ? allocateOverLines(context, percentTotal, percentWeights, percentCaps) : zeros(context);
    context.lines.forEach((line) => {
      const tier = tierOfLine[line.index];
      if (tier?.value.kind === "amountOffEach") amounts[line.index] = appliedToUnit(tier.value, line.unitPrice).value * (units[line.index] ?? 0);
    });
    const total = amounts.reduce((sum, amount) => sum + amount, 0);
    if (total <= 0) return null;
    // Each line says what its units get (an amount off each is capped at a cheaper unit's price);
    // the offer, what its discounted lines say, each distinct message once.
    const lineMessages = context.lines.map((line) => {
      const tier = tierOfLine[line.index];
      if (!tier) return undefined;
      const applied = appliedToUnit(tier.value, line.unitPrice);
      return applied === tier.value ? tier.message : quantityBreakMessage(tier.minQuantity, applied, context.currency);
    });
    return {
      total,
      message: joinMessages(lineMessages.filter((message, index): message is string => message !== undefined && (amounts[index] ?? 0) > 0)),
      amounts,
      units,
      claimed: units.slice(),
      lineMessages,
    };
  };
}
