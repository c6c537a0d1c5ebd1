/**
 * Switching the kind of a discount value (percentage, amount off, fixed price) without changing
 * the meaning of what was typed: a "10" typed as 10% would otherwise stay in the field and mean
 * 10.00 off (or a price of 10.00) under the new kind. It cannot be converted either (10% of what
 * price?), so the field shows what was last typed for the chosen kind, empty the first time, and
 * switching back restores the earlier value. Pure: the form keeps the memory while it is open.
 */
import type { IncentiveKind, OfferDraft, PricingKind, TierValueKind } from "./offer-draft";

/** What was typed under each kind, by field ("pricing", "tiers", "incentive") and kind. */
export type ValueKindMemory = Partial<Record<string, readonly string[]>>;

function switchValues(
  field: string,
  from: string,
  to: string,
  values: readonly string[],
  memory: ValueKindMemory,
): { values: string[]; memory: ValueKindMemory } {
  // "none" (a ladder without an incentive) has no value of its own: what is typed belongs to a kind.
  const next = from === "none" ? memory : { ...memory, [`${field}:${from}`]: [...values] };
  const remembered = next[`${field}:${to}`] ?? [];
  return { values: values.map((_, index) => (to === "none" ? "" : (remembered[index] ?? ""))), memory: next };
}

export function switchPricingKind(draft: OfferDraft, kind: PricingKind, memory: ValueKindMemory): { patch: Partial<OfferDraft>; memory: ValueKindMemory } {
  if (kind === draft.pricingKind) return { patch: {}, memory };
  const switched = switchValues("pricing", draft.pricingKind, kind, [draft.pricingValue], memory);
  return { patch: { pricingKind: kind, pricingValue: switched.values[0] ?? "" }, memory: switched.memory };
}

/** The tiers keep their thresholds (a quantity or an amount either way); only their values switch. */
export function switchTierKind(draft: OfferDraft, kind: TierValueKind, memory: ValueKindMemory): { patch: Partial<OfferDraft>; memory: ValueKindMemory } {
  if (kind === draft.tierKind) return { patch: {}, memory };
  const switched = switchValues(
    `tiers:${draft.type}`,
    draft.tierKind,
    kind,
    draft.tiers.map((tier) => tier.value),
    memory,
  );
  return {
    patch: { tierKind: kind, tiers: draft.tiers.map((tier, index) => ({ ...tier, value: switched.values[index] ?? "" })) },
    memory: switched.memory,
  };
}

export function switchIncentiveKind(draft: OfferDraft, kind: IncentiveKind, memory: ValueKindMemory): { patch: Partial<OfferDraft>; memory: ValueKindMemory } {
  if (kind === draft.incentiveKind) return { patch: {}, memory };
  const switched = switchValues("incentive", draft.incentiveKind, kind, [draft.incentiveValue], memory);
  return { patch: { incentiveKind: kind, incentiveValue: switched.values[0] ?? "" }, memory: switched.memory };
}
