import { describe, expect, it } from "vitest";
import { emptyDraft, type OfferDraft, type PickedItem } from "./offer-draft";
import { pickedProduct as product } from "./draft-test-support";
import { mergeOfferWarnings, offerWarnings, offerWarningTitle } from "./offer-warnings";

/** The catalog as saving reads it: the draft's items, with these ids' prices unknown. */
function catalogOf(draft: OfferDraft, unpriced: readonly number[] = [], partlyPriced: readonly number[] = []) {
  const items = new Map<string, PickedItem>();
  for (const row of [...draft.items.map((entry) => entry.item), ...draft.eligible, ...draft.steps.map((step) => step.item)]) {
    const n = Number(row.id.split("/").pop());
    if (unpriced.includes(n)) items.set(row.id, { ...row, price: null, lowestPrice: null, highestPrice: null });
    // A product whose first variant is priced and another is not.
    else if (partlyPriced.includes(n)) items.set(row.id, { ...row, lowestPrice: null, highestPrice: null });
    else items.set(row.id, { ...row, highestPrice: row.lowestPrice });
  }
  return (gid: string) => items.get(gid);
}

const bundle = (overrides: Partial<OfferDraft> = {}): OfferDraft => ({
  ...emptyDraft("fixedBundle"),
  title: "Tea set",
  items: [
    { item: product(1, 1250, "Teapot"), quantity: "1" },
    { item: product(2, 450, "Cup"), quantity: "2" },
    { item: product(3, 300, "Saucer"), quantity: "2" },
  ],
  ...overrides,
});

describe("offerWarnings", () => {
  it("names a fixed bundle's items the catalog has no price for, and says the storefront leaves the bundle out", () => {
    const draft = bundle();
    expect(offerWarnings(draft, catalogOf(draft, [2]), "GBP")).toEqual([
      { kind: "bundleHidden", messages: ["“Cup” has no price in GBP in Upshelf's catalog, so the storefront shows this bundle on none of its products' pages until it has one."] },
    ]);
    expect(offerWarnings(draft, catalogOf(draft, [2, 3]), "GBP")[0]?.messages).toEqual([
      "“Cup” and “Saucer” have no price in GBP in Upshelf's catalog, so the storefront shows this bundle on none of its products' pages until they have one.",
    ]);
    // Judged by the catalog, not the draft's prices: an item the catalog lacks is named by the draft's title.
    expect(offerWarnings(draft, (gid) => (gid.endsWith("/1") ? undefined : catalogOf(draft)(gid)), "GBP")[0]?.messages[0]).toMatch(/^“Teapot” has no price/);
    expect(offerWarnings(draft, catalogOf(draft), "GBP")).toEqual([]);
  });

  it("says which amount of a bundle could not be checked against its items' sum, and what it risks", () => {
    const amountOff = bundle({ pricingKind: "amountOff", pricingValue: "5.00" });
    // Left out for the same missing price: one banner, the bundle's, says both.
    expect(offerWarnings(amountOff, catalogOf(amountOff, [3]), "GBP")).toEqual([
      {
        kind: "bundleHidden",
        messages: [
          "“Saucer” has no price in GBP in Upshelf's catalog, so the storefront shows this bundle on none of its products' pages until it has one.",
          "The amount off (£5.00) is not checked against the items' sum: “Saucer” has no price in GBP in Upshelf's catalog. If the bundle costs £5.00 or less, buyers are promised more than checkout takes off.",
        ],
      },
    ]);
    // Its first variant priced, so the storefront shows the bundle, but not every variant: the check needed them all.
    const fixedPrice = bundle({ pricingKind: "fixedPrice", pricingValue: "20.00" });
    expect(offerWarnings(fixedPrice, catalogOf(fixedPrice, [], [3]), "GBP")).toEqual([
      {
        kind: "amountsUnchecked",
        messages: [
          "The bundle price (£20.00) is not checked against the items' sum: a variant of “Saucer” has no price in GBP in Upshelf's catalog. If the items cost £20.00 or less together, the bundle saves nothing.",
        ],
      },
    ]);
    // A percentage cannot be worth more than the items.
    expect(offerWarnings(bundle(), catalogOf(bundle(), [], [3]), "GBP")).toEqual([]);
  });

  it("says a ladder's amount-off incentive is not checked against a step without a price, beside the upgrades left out", () => {
    const draft: OfferDraft = {
      ...emptyDraft("upgradeLadder"),
      title: "Kettles",
      steps: [1000, 2000, 3000].map((price, index) => ({ item: product(index + 1, price, `Kettle ${index + 1}`), label: "" })),
      incentiveKind: "amountOffEach",
      incentiveValue: "3.00",
    };
    const warnings = offerWarnings(draft, catalogOf(draft, [3]), "GBP");
    // Unchecked for want of the price that hides the upgrade: one banner, the upgrades', says both.
    expect(warnings.map((warning) => warning.kind)).toEqual(["upgradesHidden"]);
    expect(warnings[0]?.messages).toEqual([
      expect.stringMatching(/^Step 3 \(“Kettle 3”\) has no price in GBP/),
      "The incentive (£3.00 off) is not checked against the steps' prices: step 3 (“Kettle 3”) has no price in GBP in Upshelf's catalog. If it costs £3.00 or less, buyers are promised more than checkout takes off.",
    ]);
    // The incentive comes off the steps above the first only: an unpriced first step hides an upgrade, risks no amount.
    expect(offerWarnings(draft, catalogOf(draft, [1]), "GBP").map((warning) => warning.kind)).toEqual(["upgradesHidden"]);
    expect(offerWarnings({ ...draft, incentiveKind: "percentage", incentiveValue: "10" }, catalogOf(draft, [3]), "GBP").map((warning) => warning.kind)).toEqual(["upgradesHidden"]);
  });

  it("says once which of a quantity break's amounts off each are not checked, and against which items", () => {
    const draft: OfferDraft = {
      ...emptyDraft("quantityBreaks"),
      title: "Kitchen",
      eligible: [product(1, 1000, "Mug"), product(2, 900, "Jug"), product(3, 800, "Bowl")],
      tierKind: "amountOffEach",
      tiers: [
        { threshold: "2", value: "1.00" },
        { threshold: "4", value: "2.50" },
      ],
    };
    expect(offerWarnings(draft, catalogOf(draft, [2, 3]), "GBP")).toEqual([
      {
        kind: "amountsUnchecked",
        messages: [
          "The amount off each (£1.00 at 2+, £2.50 at 4+) is not checked against the items' prices: “Jug” and “Bowl” have no price in GBP in Upshelf's catalog. If one costs £2.50 or less, buyers are promised more than checkout takes off.",
        ],
      },
    ]);
    expect(offerWarnings({ ...draft, tierKind: "percentage", tiers: [{ threshold: "2", value: "10" }] }, catalogOf(draft, [2, 3]), "GBP")).toEqual([]);
  });

  it("names a quantity break's tiers that save no more each than a tier below them at an item's price, which the storefront does not list", () => {
    const draft = (tiers: [string, string][], tierKind: OfferDraft["tierKind"] = "percentage"): OfferDraft => ({
      ...emptyDraft("quantityBreaks"),
      title: "Tea multibuy",
      eligible: [product(1, 10, "Hojicha"), product(2, 300, "Sencha")],
      tierKind,
      tiers: tiers.map(([threshold, value]) => ({ threshold, value })),
    });
    // ¥10: 12% is no whole number of yen off each, so the storefront states every tier as its
    // percentage ("12% off", exact at every quantity), not as a price each that would round
    // together with the 2+ tier's: nothing is left out.
    const rounding = draft([["2", "10"], ["3", "12"], ["4", "20"]]);
    expect(offerWarnings(rounding, catalogOf(rounding), "JPY")).toEqual([]);
    // 10% of two ¥2 items rounds to nothing (¥0.40): the tier saves nothing at its minimum, and is not listed.
    const tiny = { ...draft([["2", "10"]]), eligible: [product(4, 2, "Bancha")] };
    expect(offerWarnings(tiny, catalogOf(tiny), "JPY")[0]?.messages).toEqual([
      "The 2+ tier (10% off) saves less than ¥1 each on “Bancha” at ¥2, so the storefront does not list it on that item's page.",
    ]);
    // Amounts off each capped at a ¥120 variant's price, where saving could not refuse them (another variant has no price): both save ¥120 each.
    const capped = { ...draft([["2", "150"], ["3", "200"]], "amountOffEach"), eligible: [product(3, 120, "Gyokuro")] };
    const warnings = offerWarnings(capped, catalogOf(capped, [], [3]), "JPY");
    expect(warnings.map((warning) => warning.kind)).toEqual(["tiersHidden", "amountsUnchecked"]);
    expect(warnings[0]?.messages).toEqual([
      "The 3+ tier (¥200 off each) saves no more each than the 2+ tier on “Gyokuro” at ¥120, so the storefront does not list it on that item's page.",
    ]);
    // Without a catalog price there is nothing to judge; at prices where every tier saves more each, nothing to say.
    expect(offerWarnings(rounding, catalogOf(rounding, [1]), "JPY")).toEqual([]);
    const apart = draft([["2", "10"], ["3", "20"]]);
    expect(offerWarnings(apart, catalogOf(apart), "JPY")).toEqual([]);
    expect(offerWarningTitle("tiersHidden", "Activated")).toBe("Activated, but buyers will not see every tier");
  });

  it("names the items on whose pages a mix-and-match set price is not stated: a set of one with the cheapest items does not beat it", () => {
    const draft = (price: string): OfferDraft => ({
      ...emptyDraft("mixAndMatch"),
      title: "Any two",
      eligible: [product(1, 450, "Tea"), product(2, 1600, "Candle")],
      setSize: "2",
      pricingKind: "fixedPrice",
      pricingValue: price,
    });
    expect(offerWarnings(draft("12.00"), catalogOf(draft("12.00")), "GBP")).toEqual([
      {
        kind: "dealHidden",
        messages: [
          "A set of 2 with that item and the cheapest (“Tea”, £4.50 each) costs no more than the set price (£12.00): such a set costs its own sum, not the price named, so the page of “Tea” does not state this deal.",
        ],
      },
    ]);
    expect(offerWarnings(draft("8.50"), catalogOf(draft("8.50")), "GBP")).toEqual([]);
    // Saving refuses a set price no set beats; one that only the dearest pair beats is stated on the candle's page alone.
    const pricey = { ...draft("21.00"), eligible: [product(1, 450, "Tea"), product(2, 1600, "Candle"), product(3, 1700, "Lamp")] };
    expect(offerWarnings(pricey, catalogOf(pricey), "GBP")).toEqual([
      {
        kind: "dealHidden",
        messages: [
          "A set of 2 with one of those items and the cheapest (“Tea”, £4.50 each) costs no more than the set price (£21.00): such a set costs its own sum, not the price named, so the pages of “Tea” and “Candle” do not state this deal.",
        ],
      },
    ]);
    // A percentage holds whatever the set.
    const percent = { ...draft("12.00"), pricingKind: "percentage" as const, pricingValue: "10" };
    expect(offerWarnings(percent, catalogOf(percent), "GBP")).toEqual([]);
    expect(offerWarningTitle("dealHidden", "Saved")).toBe("Saved, but buyers will not see this deal on every page");
  });

  it("says nothing of amounts when saving would refuse the draft anyway", () => {
    const draft = bundle({ pricingKind: "amountOff", pricingValue: "not an amount" });
    expect(offerWarnings(draft, catalogOf(draft, [3], []), "GBP").map((warning) => warning.kind)).toEqual(["bundleHidden"]);
  });
});

describe("warnings of several offers", () => {
  it("lists each kind once, each message under its offer's title, with a title that fits the offer type and the action", () => {
    const merged = mergeOfferWarnings([
      { offerId: "a", title: "Tea set", warnings: [{ kind: "bundleHidden", messages: ["One."] }, { kind: "amountsUnchecked", messages: ["Two."] }] },
      { offerId: "b", title: "Mugs", warnings: [{ kind: "bundleHidden", messages: ["Three."] }] },
    ]);
    expect(merged).toEqual([
      { kind: "bundleHidden", messages: ["“Tea set”: One.", "“Mugs”: Three."], offers: 2 },
      { kind: "amountsUnchecked", messages: ["“Tea set”: Two."], offers: 1 },
    ]);
    expect(offerWarningTitle("bundleHidden", "Activated", 2)).toBe("Activated, but buyers will not see these bundles");
    expect(offerWarningTitle("bundleHidden", "Saved")).toBe("Saved, but buyers will not see this bundle");
    expect(offerWarningTitle("upgradesHidden", "Saved")).toBe("Saved, but buyers will not see every upgrade");
  });
});
