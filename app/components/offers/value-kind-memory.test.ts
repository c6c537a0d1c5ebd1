import { describe, expect, it } from "vitest";
import { emptyDraft, type OfferDraft } from "./offer-draft";
import { previewOffer } from "./offer-preview";
import { switchIncentiveKind, switchPricingKind, switchTierKind, type ValueKindMemory } from "./value-kind-memory";
import { NOW, pickedProduct as product } from "./draft-test-support";

const ladder: OfferDraft = {
  ...emptyDraft("upgradeLadder"),
  title: "Kettles",
  steps: [
    { item: product(1, 12_500, "Steel kettle"), label: "" },
    { item: product(2, 16_500, "Copper kettle"), label: "" },
  ],
  incentiveKind: "percentage",
  incentiveValue: "10",
};

describe("switching the kind of a discount value never changes what a typed number means", () => {
  it("GIVEN a ladder with 10% typed WHEN the incentive becomes an amount off THEN it is not 10.00 off: the field is empty and the preview asks for an amount", () => {
    const { patch } = switchIncentiveKind(ladder, "amountOffEach", {});
    const draft = { ...ladder, ...patch };
    expect(draft.incentiveValue).toBe("");
    expect(previewOffer(draft, "GBP", NOW)).toEqual({ ok: false, reason: expect.stringContaining("Incentive: Enter an amount in GBP") });
  });

  it("restores what was typed for a kind on switching back, through 'None' too", () => {
    let memory: ValueKindMemory = {};
    let draft = ladder;
    const to = (kind: OfferDraft["incentiveKind"]) => {
      const switched = switchIncentiveKind(draft, kind, memory);
      memory = switched.memory;
      draft = { ...draft, ...switched.patch };
    };
    to("amountOffEach");
    draft = { ...draft, incentiveValue: "2.50" };
    to("percentage");
    expect(draft.incentiveValue).toBe("10");
    to("none");
    to("percentage");
    expect(draft.incentiveValue).toBe("10");
    to("none");
    to("amountOffEach");
    expect(draft.incentiveValue).toBe("2.50");
  });

  it("GIVEN quantity breaks of 10% and 15% WHEN switched to an amount off each THEN the tiers keep their quantities and ask for amounts; switching back restores the percentages", () => {
    const breaks: OfferDraft = { ...emptyDraft("quantityBreaks"), title: "Mugs", eligible: [product(1, 5_000, "Mug")] };
    const toAmount = switchTierKind(breaks, "amountOffEach", {});
    const amounts = { ...breaks, ...toAmount.patch };
    expect(amounts.tiers).toEqual([
      { threshold: "2", value: "" },
      { threshold: "3", value: "" },
    ]);
    expect(previewOffer(amounts, "GBP", NOW)).toMatchObject({ ok: false });
    const back = switchTierKind({ ...amounts, tiers: [{ threshold: "2", value: "1.00" }, { threshold: "3", value: "2.00" }] }, "percentage", toAmount.memory);
    expect(back.patch.tiers).toEqual(breaks.tiers);
    expect(switchTierKind({ ...breaks, ...back.patch, tierKind: "percentage" }, "amountOffEach", back.memory).patch.tiers?.map((tier) => tier.value)).toEqual(["1.00", "2.00"]);
  });

  it("does not turn a bundle's 10% into 10.00 off, nor an amount off into a price", () => {
    const bundle: OfferDraft = { ...emptyDraft("fixedBundle"), pricingKind: "amountOff", pricingValue: "5.00" };
    const price = switchPricingKind(bundle, "fixedPrice", {});
    expect(price.patch).toEqual({ pricingKind: "fixedPrice", pricingValue: "" });
    expect(switchPricingKind({ ...bundle, ...price.patch }, "amountOff", price.memory).patch).toEqual({ pricingKind: "amountOff", pricingValue: "5.00" });
    expect(switchPricingKind(bundle, "amountOff", {}).patch).toEqual({});
  });
});
