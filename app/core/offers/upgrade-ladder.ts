import { percentageOfMinor } from "../money";
import { spreadProductDiscount, zeros, type Evaluate } from "./evaluation";
import { lineMatchesRef } from "./line-selection";
import { joinMessages, upgradeMessage } from "./messages";
import type { PricingContext } from "./pricing-context";
import type { UpgradeLadderOffer } from "./types";
import { appliedToUnit, resolveUnitDiscount } from "./unit-discount";

/**
 * Upgrade ladder. Checkout cannot tell an upgrade from a direct purchase, so the incentive
 * applies to every unit of a step above the first: what the widget promised for the upgrade is
 * what checkout gives. A ladder without an incentive is a recommendation only and never
 * discounts anything.
 */
export function prepareUpgradeLadder(offer: UpgradeLadderOffer, context: PricingContext): Evaluate | null {
  if (!offer.incentive) return null;
  const value = resolveUnitDiscount(offer.incentive, context);
  if (!value) return null;
  const upper = offer.steps.slice(1);
  const eligible = context.lines.filter((line) => upper.some((step) => lineMatchesRef(line, step.ref)));
  const message = upgradeMessage(value, context.currency);

  return (state) => {
    const units = zeros(context);
    let fullPrice = 0;
    for (const line of eligible) {
      units[line.index] = state.remaining[line.index] ?? 0;
      fullPrice += (units[line.index] ?? 0) * line.unitPrice;
    }
    if (value.kind === "percentage") {
      return spreadProductDiscount({
        context,
        total: percentageOfMinor(fullPrice, value.value),
        discounted: units,
        claimed: units,
        message,
      });
    }
    // Per unit, never more than the unit costs; a step cheaper than the amount says what it saves.
    const applied = context.lines.map((line) => appliedToUnit(value, line.unitPrice));
    const amounts = context.lines.map((line) => (applied[line.index]?.value ?? 0) * (units[line.index] ?? 0));
    const total = amounts.reduce((sum, amount) => sum + amount, 0);
    if (total <= 0) return null;
    const lineMessages = applied.map((each) => (each === value ? message : upgradeMessage(each, context.currency)));
    return {
      total,
      message: joinMessages(lineMessages.filter((_, index) => (amounts[index] ?? 0) > 0)),
      amounts,
      units,
      claimed: units.slice(),
      lineMessages,
    };
  };
}
