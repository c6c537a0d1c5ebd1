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
    expect(offerWarnings(amountOff, catalogOf(amountOff, [3]), "GBP")).toEqual([
      expect.objectContaining({ kind: "bundleHidden" }),
      {
        kind: "amountsUnchecked",
        messages: [
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
    expect(warnings.map((warning) => warning.kind)).toEqual(["upgradesHidden", "amountsUnchecked"]);
    expect(warnings[1]?.messages).toEqual([
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
