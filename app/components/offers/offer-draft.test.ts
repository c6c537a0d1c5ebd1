import { describe, expect, it } from "vitest";
import { safeParseOffer } from "~/core/offers";
import {
  draftFieldOf,
  draftToOfferInput,
  emptyDraft,
  issuesToDraftErrors,
  offerDraftSchema,
  offerToDraft,
  savedOfferMessage,
  unpricedSteps,
  type OfferDraft,
  type PickedItem,
} from "./offer-draft";
import { previewOffer } from "./offer-preview";
import { NOW, pickedProduct as product } from "./draft-test-support";



function bundleDraft(overrides: Partial<OfferDraft> = {}): OfferDraft {
  return {
    ...emptyDraft("fixedBundle"),
    title: "Tea set",
    items: [
      { item: product(1, 1250, "Teapot"), quantity: "1" },
      { item: product(2, 450, "Cup"), quantity: "2" },
    ],
    pricingKind: "percentage",
    pricingValue: "10",
    ...overrides,
  };
}

describe("draftToOfferInput", () => {
  it("turns typed decimals into minor units of the shop currency, exactly", () => {
    const { input, errors } = draftToOfferInput(bundleDraft({ pricingKind: "fixedPrice", pricingValue: "19.99" }), "GBP");
    expect(errors).toEqual({});
    expect(input.pricing).toEqual({ kind: "fixedPrice", price: { amount: 1999, currency: "GBP" } });
    expect(input.items).toEqual([
      { ref: { productId: "gid://shopify/Product/1" }, quantity: 1 },
      { ref: { productId: "gid://shopify/Product/2" }, quantity: 2 },
    ]);
  });

  it("respects the currency's decimals: yen has none", () => {
    const draft = { ...emptyDraft("spendTiers"), title: "Spend", tiers: [{ threshold: "5000", value: "10" }] };
    expect(draftToOfferInput(draft, "JPY").input.tiers).toEqual([
      { minSubtotal: { amount: 5000, currency: "JPY" }, value: { kind: "percentage", percent: 10 } },
    ]);
    expect(draftToOfferInput({ ...draft, tiers: [{ threshold: "50.5", value: "10" }] }, "JPY").errors).toEqual({
      "tiers.0.threshold": "Enter an amount in JPY, such as 1250.",
    });
  });

  it("names the field of every unreadable value", () => {
    const draft: OfferDraft = {
      ...emptyDraft("quantityBreaks"),
      title: "Breaks",
      priority: "high",
      eligible: [product(1, 500)],
      tiers: [
        { threshold: "two", value: "10" },
        { threshold: "3", value: "15.555" },
      ],
    };
    expect(draftToOfferInput(draft, "USD").errors).toEqual({
      priority: "Enter a whole number, such as 3.",
      "tiers.0.threshold": "Enter a quantity, such as 3.",
      "tiers.1.value": "Enter a percentage such as 10 or 12.5 (at most two decimals).",
    });
  });
});

describe("engine issues map to the form field that caused them", () => {
  it("puts a higher tier that saves less on that tier's value", () => {
    const draft: OfferDraft = {
      ...emptyDraft("quantityBreaks"),
      title: "Breaks",
      eligible: [product(1, 500)],
      tiers: [
        { threshold: "2", value: "15" },
        { threshold: "3", value: "10" },
      ],
    };
    const parsed = safeParseOffer({ ...draftToOfferInput(draft, "USD").input, id: "x" });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(issuesToDraftErrors(parsed.issues)).toEqual({ "tiers.1.value": "A higher tier must save more than the tier below it." });
  });

  it("puts a sixth ladder step on the steps list, in words, after the form has read it", () => {
    const draft: OfferDraft = {
      ...emptyDraft("upgradeLadder"),
      title: "Ladder",
      steps: [1, 2, 3, 4, 5, 6].map((n) => ({ item: product(n, n * 1000), label: "" })),
    };
    expect(offerDraftSchema.safeParse(draft).success).toBe(true);
    const parsed = safeParseOffer({ ...draftToOfferInput(draft, "USD").input, id: "x" });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(issuesToDraftErrors(parsed.issues)).toEqual({ steps: "An upgrade ladder has at most 5 steps." });
  });

  it.each([
    [["schedule", "endsAt"], "endsAt"],
    [["pricing", "price", "amount"], "pricing"],
    [["items", 1, "ref"], "items.1"],
    [["items", 0, "quantity"], "items.0.quantity"],
    [["tiers", 2, "minSubtotal", "amount"], "tiers.2.threshold"],
    [["get", "percent"], "get.percent"],
    [["buy", "items"], "buy.items"],
    [["steps", 1, "ref"], "steps.1"],
    [["maxUsesPerOrder"], "maxPerOrder"],
    [[], "_"],
  ] as const)("%j -> %s", (path, field) => {
    expect(draftFieldOf(path)).toBe(field);
  });
});

describe("offerToDraft", () => {
  it("round-trips every offer type through the form unchanged", () => {
    const items = new Map([1, 2, 3].map((n) => [`gid://shopify/Product/${n}`, product(n, 1000)]));
    const lookup = (id: string) => items.get(id) ?? product(9, null);
    const drafts: OfferDraft[] = [
      bundleDraft({ pricingKind: "amountOff", pricingValue: "3.50", maxPerOrder: "2", startsAt: "2026-04-01T09:00:00.000Z" }),
      { ...emptyDraft("mixAndMatch"), title: "Mix", eligible: [product(1, 1000), product(2, 1000)], setSize: "3" },
      { ...emptyDraft("buyXGetY"), title: "BOGO", buyItems: [product(1, 1000)], getItems: [product(2, 1000)], getPercent: "50" },
      { ...emptyDraft("quantityBreaks"), title: "QB", eligible: [product(3, 1000)], tierKind: "amountOffEach", tiers: [{ threshold: "2", value: "1.00" }] },
      { ...emptyDraft("spendTiers"), title: "Spend", combinesWith: { productDiscounts: true, orderDiscounts: false, shippingDiscounts: true } },
      { ...emptyDraft("upgradeLadder"), title: "Ladder", steps: [{ item: product(1, 1000), label: "Good" }, { item: product(2, 1000), label: "" }], incentiveKind: "percentage", incentiveValue: "5" },
    ];
    for (const draft of drafts) {
      const parsed = safeParseOffer({ ...draftToOfferInput(draft, "USD").input, id: "x" });
      expect(parsed.ok, draft.type).toBe(true);
      if (!parsed.ok) continue;
      const back = offerToDraft(parsed.offer, "USD", lookup);
      expect(draftToOfferInput(back, "USD").input).toEqual(draftToOfferInput(draft, "USD").input);
      expect(offerDraftSchema.safeParse(back).success).toBe(true);
    }
  });
});

describe("previewOffer", () => {
  it("prices a 10% bundle exactly as the engine does: 12.50 + 2 × 4.50 = 21.50, pays 19.35", () => {
    const preview = previewOffer(bundleDraft(), "USD", NOW);
    expect(preview).toMatchObject({ ok: true, rows: [{ before: 2150, after: 1935, saving: 215 }] });
  });

  it("previews a draft offer with a future schedule as if it were running", () => {
    const preview = previewOffer(bundleDraft({ status: "draft", startsAt: "2030-01-01T00:00:00.000Z" }), "USD", NOW);
    expect(preview).toMatchObject({ ok: true, rows: [{ saving: 215 }] });
  });

  it("shows each quantity break's price and the progress message for one unit", () => {
    const draft: OfferDraft = { ...emptyDraft("quantityBreaks"), title: "QB", eligible: [product(1, 999)] };
    const preview = previewOffer(draft, "USD", NOW);
    expect(preview).toMatchObject({
      ok: true,
      rows: [
        { before: 1998, after: 1798, saving: 200 },
        { before: 2997, after: 2547, saving: 450 },
      ],
      progress: "QB: add 1 more to get 10% off",
    });
  });

  it("shows spend tiers on carts at each threshold", () => {
    const preview = previewOffer({ ...emptyDraft("spendTiers"), title: "Spend" }, "GBP", NOW);
    expect(preview).toMatchObject({
      ok: true,
      rows: [
        { label: "A cart of £100.00", before: 10_000, after: 9000, saving: 1000 },
        { label: "A cart of £250.00", before: 25_000, after: 21_250, saving: 3750 },
      ],
      progress: "Add £20.00 more to get 10% off",
    });
  });

  it("shows each upgrade step's price with the incentive, and what it really adds beside the step below", () => {
    const draft: OfferDraft = {
      ...emptyDraft("upgradeLadder"),
      title: "Ladder",
      steps: [
        { item: product(1, 2000, "Small"), label: "" },
        { item: product(2, 3000, "Large"), label: "" },
      ],
      incentiveKind: "percentage",
      incentiveValue: "10",
    };
    expect(previewOffer(draft, "USD", NOW)).toMatchObject({
      ok: true,
      rows: [{ label: "Small → Large", before: 3000, after: 2700, saving: 300, detail: "$7.00 more than Small" }],
    });
  });

  it("says why there is no preview instead of showing a wrong number", () => {
    expect(previewOffer(bundleDraft({ pricingValue: "ten" }), "USD", NOW)).toMatchObject({ ok: false });
    const unknownPrice = bundleDraft({ items: [{ item: product(1, null), quantity: "1" }, { item: product(2, 100), quantity: "1" }] });
    expect(previewOffer(unknownPrice, "USD", NOW)).toEqual({ ok: false, reason: expect.stringContaining("no catalog price") });
  });
});

describe("savedOfferMessage", () => {
  const hour = 3_600_000;
  const at = (offset: number) => new Date(NOW + offset).toISOString();
  it("says what the saved offer does now, by status and schedule", () => {
    expect(savedOfferMessage({ status: "draft", startsAt: "", endsAt: "" }, NOW)).toBe("The offer is saved as draft; buyers do not see it until you activate it.");
    expect(savedOfferMessage({ status: "active", startsAt: "", endsAt: "" }, NOW)).toBe("The offer is active and checkout applies it within its schedule.");
    expect(savedOfferMessage({ status: "active", startsAt: at(-hour), endsAt: at(hour) }, NOW)).toBe("The offer is active and checkout applies it within its schedule.");
    expect(savedOfferMessage({ status: "active", startsAt: "", endsAt: at(-hour) }, NOW)).toMatch(/^The offer is saved as active, but its end date has passed/);
    expect(savedOfferMessage({ status: "active", startsAt: at(hour), endsAt: "" }, NOW)).toMatch(/^The offer is active from its start date/);
    expect(savedOfferMessage({ status: "paused", startsAt: "", endsAt: at(-hour) }, NOW)).toBe("The offer is saved as paused; buyers do not see it until you activate it.");
  });

  it("GIVEN the discount sync left the saved offer out of checkout THEN never says checkout applies it: says why, and what to do, of this offer alone", () => {
    const leftOut = { message: "the shop's offers exceed Shopify's 10000-byte limit …, so it is not applied at checkout. To apply it, raise its priority above theirs, or pause offers you need less." };
    for (const schedule of [{ startsAt: "", endsAt: "" }, { startsAt: at(hour), endsAt: "" }]) {
      const said = savedOfferMessage({ status: "active", ...schedule }, NOW, leftOut);
      expect(said).toBe(`The offer is saved as active, but checkout does not apply it and buyers are not offered it: ${leftOut.message}`);
      expect(said).not.toMatch(/checkout applies it/);
    }
    // Paused or ended, it is not applied anyway: that is what is said.
    expect(savedOfferMessage({ status: "paused", startsAt: "", endsAt: "" }, NOW, leftOut)).toBe("The offer is saved as paused; buyers do not see it until you activate it.");
  });
});

describe("unpricedSteps", () => {
  const ladder = (prices: (number | null)[]): OfferDraft => ({
    ...emptyDraft("upgradeLadder"),
    steps: prices.map((price, index) => ({ item: product(index + 1, price, `Kettle ${index + 1}`), label: "" })),
  });
  const fromDraft = (draft: OfferDraft) => (gid: string): PickedItem | undefined => draft.steps.find((step) => step.item.id === gid)?.item;

  it("names each step without a price and the upgrades the storefront leaves out with it, by its place in the ladder", () => {
    const draft = ladder([null, 2000, null, 4000, null]);
    expect(unpricedSteps(draft, fromDraft(draft), "GBP")).toEqual([
      { step: 0, message: "Step 1 (“Kettle 1”) has no price in GBP in Upshelf's catalog, so the storefront does not offer the upgrade from it to step 2 until it has one." },
      { step: 2, message: "Step 3 (“Kettle 3”) has no price in GBP in Upshelf's catalog, so the storefront does not offer the upgrade from step 2 to it or the upgrade from it to step 4 until it has one." },
      { step: 4, message: "Step 5 (“Kettle 5”) has no price in GBP in Upshelf's catalog, so the storefront does not offer the upgrade from step 4 to it until it has one." },
    ]);
  });

  it("judges by the catalog it is given, not the prices the draft carries: a step the catalog lacks is unpriced", () => {
    const draft = ladder([1000, 2000]);
    const catalog = new Map([[draft.steps[0]!.item.id, draft.steps[0]!.item]]);
    expect(unpricedSteps(draft, (gid) => catalog.get(gid), "GBP").map((entry) => entry.step)).toEqual([1]);
    expect(unpricedSteps(draft, fromDraft(draft), "GBP")).toEqual([]);
  });

  it("says nothing of other offer types, whose items the storefront prices otherwise", () => {
    const draft: OfferDraft = { ...emptyDraft("fixedBundle"), items: [{ item: product(1, null), quantity: "1" }] };
    expect(unpricedSteps(draft, () => undefined, "GBP")).toEqual([]);
  });
});
