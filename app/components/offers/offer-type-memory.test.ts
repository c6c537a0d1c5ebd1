import { describe, expect, it } from "vitest";
import type { OfferType } from "~/core/offers";
import { emptyDraft, type OfferDraft } from "./offer-draft";
import { switchOfferType, type OfferTypeMemory } from "./offer-type-memory";
import { pickedProduct as product } from "./draft-test-support";


/** Runs the steps in order: a type is the merchant choosing it in "Offer type", a function their typing. */
function switchThrough(start: OfferDraft, steps: (OfferType | ((draft: OfferDraft) => OfferDraft))[]): OfferDraft {
  let draft = start;
  let memory: OfferTypeMemory = {};
  for (const step of steps) {
    if (typeof step === "string") ({ draft, memory } = switchOfferType(draft, step, memory));
    else draft = step(draft);
  }
  return draft;
}

describe("switchOfferType", () => {
  it("restores the tiers typed for quantity breaks after a detour through spend tiers, and the spend tiers after switching back again", () => {
    const quantity: OfferDraft = {
      ...emptyDraft("quantityBreaks"),
      eligible: [product(1)],
      countPer: "product",
      tierKind: "amountOffEach",
      tiers: [{ threshold: "5", value: "1.50" }],
    };
    let memory: OfferTypeMemory = {};
    let draft = quantity;

    ({ draft, memory } = switchOfferType(draft, "spendTiers", memory));
    // A type not tried yet starts from its own defaults: a quantity is not an amount.
    expect(draft.tiers).toEqual(emptyDraft("spendTiers").tiers);
    expect(draft.tierKind).toBe("percentage");
    draft = { ...draft, tierKind: "amountOff", tiers: [{ threshold: "150.00", value: "20.00" }] };

    ({ draft, memory } = switchOfferType(draft, "quantityBreaks", memory));
    expect(draft).toEqual(quantity);

    ({ draft, memory } = switchOfferType(draft, "spendTiers", memory));
    expect(draft.type).toBe("spendTiers");
    expect(draft.tierKind).toBe("amountOff");
    expect(draft.tiers).toEqual([{ threshold: "150.00", value: "20.00" }]);
  });

  it("carries the fields every type shares across switches, as last typed", () => {
    let memory: OfferTypeMemory = {};
    let draft: OfferDraft = { ...emptyDraft("quantityBreaks"), title: "Buy more", tiers: [{ threshold: "4", value: "12" }] };
    ({ draft, memory } = switchOfferType(draft, "spendTiers", memory));
    draft = { ...draft, title: "Spend more", status: "active", priority: "5", combinesWith: { productDiscounts: true, orderDiscounts: false, shippingDiscounts: true } };
    ({ draft, memory } = switchOfferType(draft, "quantityBreaks", memory));
    expect(draft).toEqual({
      ...emptyDraft("quantityBreaks"),
      title: "Spend more",
      status: "active",
      priority: "5",
      combinesWith: { productDiscounts: true, orderDiscounts: false, shippingDiscounts: true },
      tiers: [{ threshold: "4", value: "12" }],
    });
  });

  it("keeps what carries over between bundle types and restores each type's own section on return", () => {
    const fixed: OfferDraft = { ...emptyDraft("fixedBundle"), items: [{ item: product(1), quantity: "2" }], pricingKind: "fixedPrice", pricingValue: "9.00" };
    const result = switchThrough(fixed, [
      "mixAndMatch",
      (draft) => {
        // The pricing carries over to a type not tried yet.
        expect([draft.pricingKind, draft.pricingValue]).toEqual(["fixedPrice", "9.00"]);
        return { ...draft, eligible: [product(2), product(3)], pricingKind: "percentage", pricingValue: "15" };
      },
      "fixedBundle",
      (draft) => {
        expect(draft).toEqual(fixed);
        return draft;
      },
      "mixAndMatch",
    ]);
    expect(result).toMatchObject({ type: "mixAndMatch", eligible: [product(2), product(3)], pricingKind: "percentage", pricingValue: "15" });
  });

  it("changes nothing when the type is the one already chosen", () => {
    const draft = emptyDraft("spendTiers");
    const memory: OfferTypeMemory = {};
    expect(switchOfferType(draft, "spendTiers", memory)).toEqual({ draft, memory });
  });
});
