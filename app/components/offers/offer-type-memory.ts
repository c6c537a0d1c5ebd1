/**
 * Switching the type of a new offer back and forth without losing what was typed: each type's own
 * fields (its section of the form) are remembered while the page is open, and switching back
 * restores them. Pure: the form page keeps the memory.
 */
import type { OfferType } from "~/core/offers";
import { emptyDraft, type OfferDraft } from "./offer-draft";

/** The fields every type shares (the title, status, schedule and combinations cards): they follow the merchant across types. */
const SHARED_FIELDS = ["type", "title", "status", "startsAt", "endsAt", "priority", "combinesWith"] as const satisfies readonly (keyof OfferDraft)[];
type SharedField = (typeof SHARED_FIELDS)[number];

export type TypeFields = Omit<OfferDraft, SharedField>;

/** What was typed for each type the merchant left, by type. */
export type OfferTypeMemory = Partial<Record<OfferType, TypeFields>>;

function typeFields(draft: OfferDraft): TypeFields {
  const fields: Partial<OfferDraft> = { ...draft };
  for (const key of SHARED_FIELDS) delete fields[key];
  return fields as TypeFields;
}

function isTiered(type: OfferType): boolean {
  return type === "quantityBreaks" || type === "spendTiers";
}

/**
 * The draft after choosing `type`: the shared fields as they are, the type's own fields as they
 * were when the merchant last left that type; a type not tried yet keeps what carries over, with
 * its own tier defaults (a quantity is not an amount).
 */
export function switchOfferType(draft: OfferDraft, type: OfferType, memory: OfferTypeMemory): { draft: OfferDraft; memory: OfferTypeMemory } {
  if (type === draft.type) return { draft, memory };
  const next: OfferTypeMemory = { ...memory, [draft.type]: typeFields(draft) };
  const remembered = memory[type];
  if (remembered) return { draft: { ...draft, ...remembered, type }, memory: next };
  if (isTiered(type)) {
    const fresh = emptyDraft(type);
    return { draft: { ...draft, type, tiers: fresh.tiers, tierKind: fresh.tierKind }, memory: next };
  }
  return { draft: { ...draft, type }, memory: next };
}
