import { describe, expect, it } from "vitest";
import type { OfferType } from "~/core/offers";
import { priceLabel } from "./item-list";
import { emptyDraft, type OfferDraft } from "./offer-draft";
import { previewOffer, problemText } from "./offer-preview";
import { NOW, pickedProduct as product } from "./draft-test-support";



function ladder(overrides: Partial<OfferDraft> = {}): OfferDraft {
  return {
    ...emptyDraft("upgradeLadder"),
    title: "Kettles",
    steps: [
      { item: product(1, 16_500, "Copper kettle"), label: "" },
      { item: product(2, 12_500, "Steel kettle"), label: "" },
    ],
    incentiveKind: "percentage",
    incentiveValue: "10",
    ...overrides,
  };
}

describe("the preview never prices an offer that saving would refuse", () => {
  it("GIVEN ladder steps out of price order (165.00 then 125.00) WHEN previewed THEN it names the step to fix, with no prices", () => {
    const preview = previewOffer(ladder(), "GBP", NOW);
    expect(preview).toEqual({
      ok: false,
      reason: expect.stringContaining("Step 2 (Steel kettle): Order the steps from cheapest to dearest: this one costs no more than the step before it."),
    });
  });

  it("prices the same ladder once the steps are in order", () => {
    const [dear, cheap] = ladder().steps as [OfferDraft["steps"][number], OfferDraft["steps"][number]];
    expect(previewOffer(ladder({ steps: [cheap, dear], incentiveValue: "10" }), "GBP", NOW)).toMatchObject({
      ok: true,
      rows: [{ label: "Steel kettle → Copper kettle", before: 16_500, saving: 1650, after: 14_850, detail: "£23.50 more than Steel kettle" }],
    });
  });

  it("states an upgrade the incentive makes cheaper than the step below as its price and how much less, never a negative price", () => {
    const [dear, cheap] = ladder().steps as [OfferDraft["steps"][number], OfferDraft["steps"][number]];
    // 30% off the £165.00 kettle is £49.50, more than the £40.00 it costs above the £125.00 one.
    expect(previewOffer(ladder({ steps: [cheap, dear], incentiveValue: "30" }), "GBP", NOW)).toMatchObject({
      ok: true,
      rows: [{ before: 16_500, saving: 4950, after: 11_550, detail: "£9.50 less than Steel kettle" }],
    });
  });

  it("GIVEN a three-step ladder with 0.50 off each upgraded item WHEN previewed THEN the top step is priced as checkout charges it, 0.50 off", () => {
    // Checkout takes the incentive off every unit of every step above the first, so the top step
    // costs £8.15 - £0.50 = £7.65 whichever step the buyer upgrades from; beside the middle step
    // (itself £7.95 - £0.50 = £7.45) that is £0.20 more, as the storefront's upgrade widget says.
    const draft = ladder({
      steps: [
        { item: product(1, 695, "Dairy Maid teapot"), label: "" },
        { item: product(2, 795, "Red Retrospot teapot"), label: "" },
        { item: product(3, 815, "Regency teapot"), label: "" },
      ],
      incentiveKind: "amountOffEach",
      incentiveValue: "0.50",
    });
    const preview = previewOffer(draft, "GBP", NOW);
    if (!preview.ok) throw new Error(preview.reason);
    expect(preview.rows.map(({ label, before, after, saving, detail }) => ({ label, before, after, saving, detail }))).toEqual([
      { label: "Dairy Maid teapot → Red Retrospot teapot", before: 795, after: 745, saving: 50, detail: "£0.50 more than Dairy Maid teapot" },
      { label: "Red Retrospot teapot → Regency teapot", before: 815, after: 765, saving: 50, detail: "£0.20 more than Red Retrospot teapot" },
    ]);
    expect(preview.rows.map((row) => row.message)).toEqual(["Upgrade: save 0.50 GBP each", "Upgrade: save 0.50 GBP each"]);
  });

  it.each<[string, OfferDraft, string]>([
    [
      "a bundle priced at its items' sum",
      { ...emptyDraft("fixedBundle"), items: [{ item: product(1, 1000), quantity: "1" }, { item: product(2, 500), quantity: "1" }], pricingKind: "fixedPrice", pricingValue: "15.00" },
      "The bundle price must be below the items' sum, or there is nothing to save.",
    ],
    [
      "a bundle whose amount off makes it free",
      { ...emptyDraft("fixedBundle"), items: [{ item: product(1, 1000), quantity: "1" }, { item: product(2, 500), quantity: "1" }], pricingKind: "amountOff", pricingValue: "20.00" },
      "The amount off must be below the items' sum; a bundle cannot be free.",
    ],
    [
      "a mix-and-match set whose amount off makes the cheapest set free",
      { ...emptyDraft("mixAndMatch"), eligible: [product(1, 400), product(2, 900)], setSize: "2", pricingKind: "amountOff", pricingValue: "8.00" },
      "The amount off must be below the price of a set of the cheapest items",
    ],
    [
      "a quantity break taking an item's whole price",
      { ...emptyDraft("quantityBreaks"), eligible: [product(1, 500)], tierKind: "amountOffEach", tiers: [{ threshold: "2", value: "5.00" }] },
      "Tier 1: The amount off each must be below the price of every item it applies to",
    ],
    [
      "a ladder incentive taking a step's whole price",
      { ...ladder(), steps: [...ladder().steps].reverse(), incentiveKind: "amountOffEach", incentiveValue: "165.00" },
      "Incentive: The incentive must be below the price of every step it applies to",
    ],
  ])("refuses %s, as saving does", (_name, draft, message) => {
    expect(previewOffer({ ...draft, title: "Offer" }, "GBP", NOW)).toEqual({ ok: false, reason: expect.stringContaining(message) });
  });
});

describe("a preview that cannot be shown says what is missing, true before the first Save too", () => {
  it.each<[OfferType, string]>([
    ["fixedBundle", "A bundle needs at least one product."],
    ["mixAndMatch", "Choose at least one product, variant or collection."],
    ["buyXGetY", "Choose at least one product, variant or collection."],
    ["quantityBreaks", "Choose at least one product, variant or collection."],
    ["upgradeLadder", "An upgrade ladder needs at least two steps."],
  ])("a fresh %s form names what it needs, without speaking of highlighted fields", (type, missing) => {
    const preview = previewOffer(emptyDraft(type), "GBP", NOW);
    expect(preview.ok).toBe(false);
    if (preview.ok) return;
    expect(preview.reason).toContain(missing);
    expect(preview.reason).not.toMatch(/highlighted/i);
  });

  it("names the field of an unreadable value", () => {
    const draft: OfferDraft = { ...emptyDraft("mixAndMatch"), eligible: [product(1, 400), product(2, 900)], setSize: "two" };
    expect(previewOffer(draft, "GBP", NOW)).toEqual({ ok: false, reason: expect.stringContaining("Items per set: Enter a whole number, such as 3.") });
  });
});

describe("the list of problems above a refused form", () => {
  it("says which date a schedule problem is on: both can carry the same message", () => {
    const draft = emptyDraft("spendTiers");
    expect(problemText("startsAt", "Use a date between the years 1970 and 9999.", draft)).toBe("Starts: Use a date between the years 1970 and 9999.");
    expect(problemText("endsAt", "Use a date between the years 1970 and 9999.", draft)).toBe("Ends: Use a date between the years 1970 and 9999.");
  });
});

describe("offer editors show money as the dashboard does", () => {
  it("shows a picked item's price with the currency's symbol and thousands separators", () => {
    expect(priceLabel(product(1, 295), "GBP")).toBe("£2.95");
    expect(priceLabel(product(1, 861_846), "GBP")).toBe("£8,618.46");
    expect(priceLabel(product(1, 125_000), "JPY")).toBe("¥125,000");
    expect(priceLabel(product(1, null), "GBP")).toBe("No catalog price");
  });

  it("labels spend-tier carts the same way", () => {
    const preview = previewOffer({ ...emptyDraft("spendTiers"), tiers: [{ threshold: "1250.00", value: "10" }] }, "GBP", NOW);
    expect(preview).toMatchObject({ ok: true, rows: [{ label: "A cart of £1,250.00" }] });
  });
});

describe("quantity breaks in the preview", () => {
  it("say when the product page's table must round a tier's price each, and what it shows", () => {
    const draft: OfferDraft = {
      ...emptyDraft("quantityBreaks"),
      eligible: [product(1, 415, "Party bunting")],
      tierKind: "percentage",
      tiers: [
        { threshold: "2", value: "7" },
        { threshold: "5", value: "12.5" },
      ],
    };
    const preview = previewOffer(draft, "GBP", NOW);
    if (!preview.ok) throw new Error(preview.reason);
    // 2 × £4.15 = £8.30, 7% off: £7.72, £3.86 each; but 7% of £4.15 is 29.05p, so three cost £11.58, not 3 × £3.86.
    // 5 × £4.15 = £20.75, 12.5% off: £18.16, £3.632 each. The table states both as percentages.
    const detail = (percent: string) => `The product page's table states ${percent} off: no price each is exact at every quantity, as checkout rounds the percentage once over the line`;
    expect(preview.rows.map((row) => [row.after, row.detail])).toEqual([
      [772, detail("7%")],
      [1816, detail("12.5%")],
    ]);
    // At £4.00 both take whole pence off each (28p, 50p): the table's prices each are exact, and nothing is said.
    const whole = previewOffer({ ...draft, eligible: [product(1, 400, "Party bunting")] }, "GBP", NOW);
    if (!whole.ok) throw new Error(whole.reason);
    expect(whole.rows.map((row) => [row.after, row.detail])).toEqual([
      [744, undefined],
      [1750, undefined],
    ]);
  });
});

describe("a picked item without a price", () => {
  it("GIVEN a ladder's middle step with no catalog price in GBP WHEN previewed THEN the reason names that step, not 'a picked item'", () => {
    const draft = ladder({
      steps: [
        { item: product(1, 12_500, "Steel kettle"), label: "" },
        { item: product(2, null, "Glass kettle"), label: "" },
        { item: product(3, 16_500, "Copper kettle"), label: "" },
      ],
    });
    expect(previewOffer(draft, "GBP", NOW)).toEqual({ ok: false, reason: "“Glass kettle” has no catalog price in GBP, so the preview cannot price it." });
  });
});
