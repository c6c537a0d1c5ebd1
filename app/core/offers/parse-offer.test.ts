import { describe, expect, it } from "vitest";
import { OffersError } from "./errors";
import { parseOffer, safeParseOffer, uncheckedAmounts } from "./parse-offer";

const base = { id: "o1", title: "Offer", status: "active" };

function issuesOf(input: Record<string, unknown>, options = {}): string[] {
  const result = safeParseOffer({ ...base, ...input }, options);
  return result.ok ? [] : result.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
}

const pct = (percent: number) => ({ kind: "percentage", percent });

describe("parseOffer", () => {
  it("fills safe defaults: draft, no schedule, priority 0, combines with nothing", () => {
    const offer = parseOffer({
      id: "o1",
      title: "Spend more",
      type: "spendTiers",
      tiers: [{ minSubtotal: { amount: 10000, currency: "USD" }, value: pct(10) }],
    });
    expect(offer).toMatchObject({
      status: "draft",
      schedule: { startsAt: null, endsAt: null },
      priority: 0,
      combinesWith: { productDiscounts: false, orderDiscounts: false, shippingDiscounts: false },
    });
  });

  it("refuses dates outside the years 1970 to 9999, which no database or Shopify date can hold", () => {
    const message = "Use a date between the years 1970 and 9999.";
    const scheduled = (schedule: Record<string, unknown>) => ({ type: "spendTiers", tiers: [{ minSubtotal: { amount: 5000, currency: "USD" }, value: pct(10) }], schedule });
    expect(issuesOf(scheduled({ endsAt: "+010000-01-01T00:00:00Z" }))).toEqual([`schedule.endsAt: ${message}`]);
    expect(issuesOf(scheduled({ startsAt: "-000001-01-01T00:00:00Z" }))).toEqual([`schedule.startsAt: ${message}`]);
    expect(issuesOf(scheduled({ endsAt: Date.UTC(10000, 0, 1) }))).toEqual([`schedule.endsAt: ${message}`]);
    expect(issuesOf(scheduled({ startsAt: -1 }))).toEqual([`schedule.startsAt: ${message}`]);
    expect(issuesOf(scheduled({ startsAt: "2026-12-06T10:00:00Z", endsAt: "9999-12-31T23:59:59Z" }))).toEqual([]);
  });

  it("words its limits for the merchant, never in the schema library's phrasing", () => {
    const tiers = { type: "spendTiers", tiers: [{ minSubtotal: { amount: 5000, currency: "USD" }, value: pct(10) }] };
    expect(issuesOf({ ...tiers, priority: 2000 })).toEqual(["priority: Priority goes from -1000 to 1000."]);
    expect(issuesOf({ ...tiers, priority: -1001 })).toEqual(["priority: Priority goes from -1000 to 1000."]);
    const set = { type: "mixAndMatch", eligible: { productIds: ["a"] }, setSize: 2, pricing: pct(10) };
    expect(issuesOf({ ...set, maxSetsPerOrder: 0 })).toEqual(["maxSetsPerOrder: The limit per order is at least 1; leave it empty for no limit."]);
    expect(issuesOf({ ...set, maxSetsPerOrder: 10_001 })).toEqual(["maxSetsPerOrder: The limit per order is at most 10000."]);
    const ladder = { type: "upgradeLadder", steps: [{ ref: { productId: "a" } }, { ref: { productId: "b" }, label: "x".repeat(61) }], incentive: null };
    expect(issuesOf(ladder)).toEqual(["steps.1.label: A step's label is at most 60 characters."]);
  });

  it("normalises ISO and epoch schedules to whole seconds", () => {
    const offer = parseOffer({
      ...base,
      type: "upgradeLadder",
      steps: [{ ref: { variantId: "a" } }, { ref: { variantId: "b" } }],
      schedule: { startsAt: "2025-06-01T00:00:00.750Z", endsAt: Date.parse("2025-07-01T00:00:00Z") + 999 },
    });
    expect(offer.schedule).toEqual({ startsAt: Date.parse("2025-06-01T00:00:00Z"), endsAt: Date.parse("2025-07-01T00:00:00Z") });
  });

  it("throws an OffersError listing every issue", () => {
    try {
      parseOffer({ ...base, type: "mixAndMatch", eligible: {}, setSize: 1, pricing: pct(150) });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(OffersError);
      const offersError = error as OffersError;
      expect(offersError.code).toBe("invalid-offer");
      expect(offersError.issues.map((issue) => issue.path.join("."))).toEqual(["eligible", "setSize", "pricing.percent"]);
    }
  });

  it.each([
    [
      "tier thresholds not increasing",
      {
        type: "spendTiers",
        tiers: [
          { minSubtotal: { amount: 25000, currency: "USD" }, value: pct(10) },
          { minSubtotal: { amount: 10000, currency: "USD" }, value: pct(15) },
        ],
      },
      "tiers.1.minSubtotal: Tier thresholds must increase from one tier to the next.",
    ],
    [
      "quantity tiers not increasing",
      {
        type: "quantityBreaks",
        eligible: { productIds: ["p"] },
        tiers: [
          { minQuantity: 3, value: pct(10) },
          { minQuantity: 3, value: pct(15) },
        ],
      },
      "tiers.1.minQuantity: Tier quantities must increase from one tier to the next.",
    ],
    [
      "a higher tier saving less",
      {
        type: "quantityBreaks",
        eligible: { productIds: ["p"] },
        tiers: [
          { minQuantity: 2, value: pct(15) },
          { minQuantity: 3, value: pct(10) },
        ],
      },
      "tiers.1.value: A higher tier must save more than the tier below it.",
    ],
    [
      "a higher tier saving the same (it would be advertised for a saving the buyer already has)",
      {
        type: "spendTiers",
        tiers: [
          { minSubtotal: { amount: 2000, currency: "USD" }, value: pct(5) },
          { minSubtotal: { amount: 5000, currency: "USD" }, value: pct(5) },
        ],
      },
      "tiers.1.value: A higher tier must save more than the tier below it.",
    ],
    [
      "percentage above 100",
      { type: "buyXGetY", buy: { items: { productIds: ["p"] }, quantity: 1 }, get: { items: { productIds: ["p"] }, quantity: 1, percent: 101 } },
      "get.percent: A percentage cannot be more than 100.",
    ],
    [
      "percentage with three decimals",
      { type: "upgradeLadder", steps: [{ ref: { productId: "a" } }, { ref: { productId: "b" } }], incentive: pct(12.345) },
      "incentive.percent: Use at most two decimals in a percentage.",
    ],
    [
      // Within hasWholeBasisPoints' float tolerance, but 0 basis points: checkout's reader refused
      // the whole configuration for it, so every offer of the shop stopped applying at checkout.
      "a percentage that rounds to no basis point at all",
      { type: "quantityBreaks", eligible: { productIds: ["p"] }, tiers: [{ minQuantity: 2, value: pct(0.000000001) }] },
      "tiers.0.value.percent: Use at most two decimals in a percentage.",
    ],
    [
      // Below 100, but 10,000 basis points as the engine reads it: the set would be free.
      "a percentage just below 100 that rounds to 100",
      { type: "mixAndMatch", eligible: { productIds: ["p"] }, setSize: 2, pricing: pct(99.99999999) },
      "pricing.percent: Use at most two decimals in a percentage.",
    ],
    [
      "an empty product list",
      { type: "mixAndMatch", eligible: { productIds: [] }, setSize: 2, pricing: pct(10) },
      "eligible: Choose at least one product, variant or collection.",
    ],
    [
      "an empty bundle",
      { type: "fixedBundle", items: [], pricing: pct(10) },
      "items: A bundle needs at least one product.",
    ],
    [
      "a bundle of one item",
      { type: "fixedBundle", items: [{ ref: { productId: "a" }, quantity: 1 }], pricing: pct(10) },
      "items: A bundle needs at least two items.",
    ],
    [
      "a product twice in a bundle",
      {
        type: "fixedBundle",
        items: [
          { ref: { productId: "a" }, quantity: 1 },
          { ref: { productId: "a" }, quantity: 1 },
        ],
        pricing: pct(10),
      },
      "items.1.ref: This product is already in the bundle; raise its quantity instead.",
    ],
    [
      "ends before it starts",
      {
        type: "upgradeLadder",
        steps: [{ ref: { productId: "a" } }, { ref: { productId: "b" } }],
        schedule: { startsAt: "2025-06-02T00:00:00Z", endsAt: "2025-06-01T00:00:00Z" },
      },
      "schedule.endsAt: The offer must end after it starts.",
    ],
    [
      "fractional money",
      { type: "spendTiers", tiers: [{ minSubtotal: { amount: 99.5, currency: "USD" }, value: pct(10) }] },
      "tiers.0.minSubtotal.amount: Amounts are whole minor units (cents), not decimals.",
    ],
    [
      "mixed currencies",
      {
        type: "spendTiers",
        tiers: [{ minSubtotal: { amount: 10000, currency: "USD" }, value: { kind: "amountOff", amount: { amount: 500, currency: "EUR" } } }],
      },
      ": Use one currency (the shop's) for every amount; found USD, EUR.",
    ],
    [
      "a market threshold on some tiers only",
      {
        type: "spendTiers",
        tiers: [
          { minSubtotal: { amount: 10000, currency: "USD", byCurrency: { EUR: 9000 } }, value: pct(10) },
          { minSubtotal: { amount: 20000, currency: "USD" }, value: pct(15) },
        ],
      },
      "tiers.1.minSubtotal.byCurrency: Set a EUR threshold on every tier, or on none.",
    ],
    [
      "a market threshold pinned without its own amount off",
      {
        type: "spendTiers",
        tiers: [{ minSubtotal: { amount: 10000, currency: "USD", byCurrency: { EUR: 5000 } }, value: { kind: "amountOff", amount: { amount: 6000, currency: "USD" } } }],
      },
      "tiers.0.value: Set both the EUR threshold and the EUR amount off of this tier, or neither: a converted amount could reach a set threshold.",
    ],
    [
      "a market amount off at or above its own threshold",
      {
        type: "spendTiers",
        tiers: [
          {
            minSubtotal: { amount: 10000, currency: "USD", byCurrency: { EUR: 5000 } },
            value: { kind: "amountOff", amount: { amount: 4000, currency: "USD", byCurrency: { EUR: 5000 } } },
          },
        ],
      },
      "tiers.0.value: The EUR amount off must be below the tier's EUR threshold.",
    ],
    [
      // 3 mugs saved €1.50 each in the EUR market and 4 saved €1.37 (1.50 USD converted), and
      // the bar said "add 1 more to get €1.37 off each".
      "a market amount off each on some quantity tiers only",
      {
        type: "quantityBreaks",
        eligible: { productIds: ["p"] },
        tiers: [
          { minQuantity: 2, value: { kind: "amountOffEach", amount: { amount: 100, currency: "USD", byCurrency: { EUR: 150 } } } },
          { minQuantity: 4, value: { kind: "amountOffEach", amount: { amount: 150, currency: "USD" } } },
        ],
      },
      "tiers.1.value.amount.byCurrency: Set a EUR amount on every tier, or on none.",
    ],
    [
      "a higher quantity tier saving less in a market",
      {
        type: "quantityBreaks",
        eligible: { productIds: ["p"] },
        tiers: [
          { minQuantity: 2, value: { kind: "amountOffEach", amount: { amount: 100, currency: "USD", byCurrency: { EUR: 200 } } } },
          { minQuantity: 4, value: { kind: "amountOffEach", amount: { amount: 150, currency: "USD", byCurrency: { EUR: 200 } } } },
        ],
      },
      "tiers.1.value.amount.byCurrency.EUR: A higher tier must save more than the tier below it, in EUR too.",
    ],
    [
      "a higher spend tier taking less off in a market",
      {
        type: "spendTiers",
        tiers: [
          { minSubtotal: { amount: 10000, currency: "USD", byCurrency: { EUR: 9000 } }, value: { kind: "amountOff", amount: { amount: 1000, currency: "USD", byCurrency: { EUR: 1500 } } } },
          { minSubtotal: { amount: 20000, currency: "USD", byCurrency: { EUR: 18000 } }, value: { kind: "amountOff", amount: { amount: 2500, currency: "USD", byCurrency: { EUR: 1200 } } } },
        ],
      },
      "tiers.1.value.amount.byCurrency.EUR: A higher tier must save more than the tier below it, in EUR too.",
    ],
    [
      "an amount off at or above the tier threshold",
      {
        type: "spendTiers",
        tiers: [{ minSubtotal: { amount: 5000, currency: "USD" }, value: { kind: "amountOff", amount: { amount: 5000, currency: "USD" } } }],
      },
      "tiers.0.value: The amount off must be below the tier's threshold.",
    ],
    [
      "the same step twice in a ladder",
      { type: "upgradeLadder", steps: [{ ref: { variantId: "a" } }, { ref: { variantId: "a" } }] },
      "steps.1.ref: Each step must be a different product or variant.",
    ],
  ])("refuses %s", (_, input, expected) => {
    expect(issuesOf(input)).toContain(expected);
  });

  it("refuses a bundle priced above its items' sum when catalog prices are known", () => {
    const prices: Record<string, number> = { a: 1500, b: 1000 };
    const unitPrice = (ref: { productId: string } | { variantId: string }) =>
      "productId" in ref && prices[ref.productId] !== undefined ? { amount: prices[ref.productId] as number, currency: "USD" } : undefined;
    const bundle = (pricing: Record<string, unknown>) => ({
      type: "fixedBundle",
      items: [
        { ref: { productId: "a" }, quantity: 1 },
        { ref: { productId: "b" }, quantity: 1 },
      ],
      pricing,
    });
    expect(issuesOf(bundle({ kind: "fixedPrice", price: { amount: 2600, currency: "USD" } }), { unitPrice })).toEqual([
      "pricing.price: The bundle price must be below the items' sum, or there is nothing to save.",
    ]);
    expect(issuesOf(bundle({ kind: "amountOff", amount: { amount: 2500, currency: "USD" } }), { unitPrice })).toEqual([
      "pricing.amount: The amount off must be below the items' sum; a bundle cannot be free.",
    ]);
    expect(issuesOf(bundle({ kind: "fixedPrice", price: { amount: 1999, currency: "USD" } }), { unitPrice })).toEqual([]);
  });

  it("refuses an amount off each that would make an item free, when its price is known, so no saving is promised that checkout cannot give", () => {
    const prices: Record<string, number> = { mug: 1000, kettle: 3500, small: 600 };
    const unitPrice = (ref: { productId: string } | { variantId: string }) => {
      const price = "productId" in ref ? prices[ref.productId] : prices[ref.variantId];
      return price === undefined ? undefined : { amount: price, currency: "USD" };
    };
    const breaks = (amounts: number[], eligible: Record<string, string[]> = { productIds: ["mug", "kettle"] }) => ({
      type: "quantityBreaks",
      eligible,
      tiers: amounts.map((amount, index) => ({ minQuantity: index + 2, value: { kind: "amountOffEach", amount: { amount, currency: "USD" } } })),
    });
    const tooMuch = "The amount off each must be below the price of every item it applies to, or it would promise more than checkout takes off.";
    // The mug (10.00) is the cheapest item it applies to.
    expect(issuesOf(breaks([500, 1000]), { unitPrice })).toEqual([`tiers.1.value: ${tooMuch}`]);
    expect(issuesOf(breaks([500, 999]), { unitPrice })).toEqual([]);
    expect(issuesOf(breaks([700], { productIds: ["mug"], variantIds: ["small"] }), { unitPrice })).toEqual([`tiers.0.value: ${tooMuch}`]);
    // Prices unknown (a collection, or no catalog): nothing to check against.
    expect(issuesOf(breaks([5000], { collectionIds: ["gifts"] }), { unitPrice })).toEqual([]);
    expect(issuesOf(breaks([5000]))).toEqual([]);

    const ladder = (amount: number) => ({
      type: "upgradeLadder",
      steps: [{ ref: { productId: "small" } }, { ref: { productId: "mug" } }, { ref: { productId: "kettle" } }],
      incentive: { kind: "amountOffEach", amount: { amount, currency: "USD" } },
    });
    // The first step is never discounted: only the mug and the kettle count.
    expect(issuesOf(ladder(800), { unitPrice })).toEqual([]);
    expect(issuesOf(ladder(1000), { unitPrice })).toEqual([
      "incentive: The incentive must be below the price of every step it applies to, or it would promise more than checkout takes off.",
    ]);
  });

  it("refuses a mix-and-match amount off that would make a set of the cheapest items free", () => {
    const prices: Record<string, number> = { globe: 85, cactus: 39, lamp: 900 };
    const unitPrice = (ref: { productId: string } | { variantId: string }) => {
      const price = "productId" in ref ? prices[ref.productId] : prices[ref.variantId];
      return price === undefined ? undefined : { amount: price, currency: "GBP" };
    };
    const set = (amount: number, eligible: Record<string, string[]> = { productIds: ["globe", "cactus"] }) => ({
      type: "mixAndMatch",
      eligible,
      setSize: 3,
      pricing: { kind: "amountOff", amount: { amount, currency: "GBP" } },
    });
    const tooMuch = "pricing.amount: The amount off must be below the price of a set of the cheapest items, or that set would be free and the saving promised would be more than checkout takes off.";
    // Three cacti (0.39 each) cost 1.17: 5.00 off, or exactly 1.17 off, would make them free.
    expect(issuesOf(set(500), { unitPrice })).toEqual([tooMuch]);
    expect(issuesOf(set(117), { unitPrice })).toEqual([tooMuch]);
    expect(issuesOf(set(116), { unitPrice })).toEqual([]);
    expect(issuesOf(set(500, { productIds: ["globe", "lamp"] }), { unitPrice })).toEqual([tooMuch]);
    expect(issuesOf(set(255, { productIds: ["globe", "lamp"] }), { unitPrice })).toEqual([tooMuch]);
    expect(issuesOf(set(254, { productIds: ["globe", "lamp"] }), { unitPrice })).toEqual([]);
    // Prices unknown (a collection's items, a product without a price, no catalog): nothing to check against.
    expect(issuesOf(set(500, { productIds: ["cactus"], collectionIds: ["gifts"] }), { unitPrice })).toEqual([]);
    expect(issuesOf(set(500, { productIds: ["cactus", "unpriced"] }), { unitPrice })).toEqual([]);
    expect(issuesOf(set(500))).toEqual([]);
    // A percentage cannot promise more than the set costs; 99.99% leaves something to pay, 100% would not.
    expect(issuesOf({ ...set(0), pricing: pct(99.99) }, { unitPrice })).toEqual([]);
    expect(issuesOf({ ...set(0), pricing: pct(100) }, { unitPrice })).toEqual([
      "pricing.percent: A percentage must be below 100: this discount cannot make what the buyer pays for free.",
    ]);
  });

  it("refuses a mix-and-match set price that no set of the eligible items reaches, judged by their dearest variants", () => {
    // A globe's one variant costs 0.85; a vase comes at 10.00 or 50.00; a cactus 0.39.
    const lowest: Record<string, number> = { globe: 85, vase: 1000, cactus: 39 };
    const highest: Record<string, number> = { globe: 85, vase: 5000, cactus: 39 };
    const lookup = (table: Record<string, number>) => (ref: { productId: string } | { variantId: string }) => {
      const price = "productId" in ref ? table[ref.productId] : table[ref.variantId];
      return price === undefined ? undefined : { amount: price, currency: "GBP" };
    };
    const options = { unitPrice: lookup(lowest), dearestUnitPrice: lookup(highest) };
    const set = (price: number, eligible: Record<string, string[]> = { productIds: ["globe", "cactus"] }) => ({
      type: "mixAndMatch",
      eligible,
      setSize: 3,
      pricing: { kind: "fixedPrice", price: { amount: price, currency: "GBP" } },
    });
    const neverCheaper = "pricing.price: The set price must be below the price of a set of the dearest items, or no set would ever cost less.";
    // Three globes, the dearest set, cost 2.55: a set price of 100.00, or exactly 2.55, never saves.
    expect(issuesOf(set(10000), options)).toEqual([neverCheaper]);
    expect(issuesOf(set(255), options)).toEqual([neverCheaper]);
    // Below that some sets save; a set of cheaper items that costs less than the set price is simply paid in full.
    expect(issuesOf(set(254), options)).toEqual([]);
    // Three of the 50.00 vase cost 150.00: 60.00 saves on them, though it is above three of the cheap vase.
    expect(issuesOf(set(6000, { productIds: ["vase"] }), options)).toEqual([]);
    expect(issuesOf(set(15000, { productIds: ["vase"] }), options)).toEqual([neverCheaper]);
    // No dearest prices known (collections, no catalog): nothing to check against.
    expect(issuesOf(set(10000, { productIds: ["globe"], collectionIds: ["gifts"] }), options)).toEqual([]);
    expect(issuesOf(set(10000), { unitPrice: lookup(lowest) })).toEqual([]);
    expect(issuesOf(set(10000))).toEqual([]);
  });

  it("refuses an upgrade ladder whose steps do not get dearer, when their prices are known", () => {
    const prices: Record<string, number> = { good: 1000, better: 2000, best: 3500, same: 2000 };
    const unitPrice = (ref: { productId: string } | { variantId: string }) => {
      const price = "productId" in ref ? prices[ref.productId] : prices[ref.variantId];
      return price === undefined ? undefined : { amount: price, currency: "USD" };
    };
    const ladder = (...ids: string[]) => ({ type: "upgradeLadder", steps: ids.map((productId) => ({ ref: { productId } })), incentive: null });
    const order = "Order the steps from cheapest to dearest: this one costs no more than the step before it.";
    expect(issuesOf(ladder("good", "better", "best"), { unitPrice })).toEqual([]);
    expect(issuesOf(ladder("better", "good"), { unitPrice })).toEqual([`steps.1.ref: ${order}`]);
    expect(issuesOf(ladder("good", "better", "same"), { unitPrice })).toEqual([`steps.2.ref: ${order}`]);
    expect(issuesOf(ladder("good", "best", "better"), { unitPrice })).toEqual([`steps.2.ref: ${order}`]);
    // A step without a known price is skipped: the next is compared with the last known one.
    expect(issuesOf(ladder("good", "unpriced", "better"), { unitPrice })).toEqual([]);
    expect(issuesOf(ladder("better", "unpriced", "good"), { unitPrice })).toEqual([`steps.2.ref: ${order}`]);
    expect(issuesOf(ladder("best", "good"))).toEqual([]);
  });

  it("checks a ladder's order with the prices widgets offer its steps at, when the caller has them", () => {
    // "better" has a cheap small size (8.00), but widgets offer its first variant (20.00).
    const lowest: Record<string, number> = { good: 1000, better: 800 };
    const offered: Record<string, number> = { good: 1000, better: 2000 };
    const priceFrom = (table: Record<string, number>) => (ref: { productId: string } | { variantId: string }) => {
      const price = "productId" in ref ? table[ref.productId] : undefined;
      return price === undefined ? undefined : { amount: price, currency: "USD" };
    };
    const ladder = { type: "upgradeLadder", steps: [{ ref: { productId: "good" } }, { ref: { productId: "better" } }], incentive: null };
    expect(issuesOf(ladder, { unitPrice: priceFrom(lowest), offeredPrice: priceFrom(offered) })).toEqual([]);
    expect(issuesOf(ladder, { unitPrice: priceFrom(lowest) })).toHaveLength(1);
    expect(issuesOf(ladder, { unitPrice: priceFrom(offered), offeredPrice: priceFrom({ good: 1000, better: 900 }) })).toHaveLength(1);
  });
});

describe("uncheckedAmounts", () => {
  // "mug" costs 4.00; "jug" only in euros; "kettle" nowhere in the catalog.
  const prices: Record<string, { amount: number; currency: string }> = { mug: { amount: 400, currency: "GBP" }, jug: { amount: 900, currency: "EUR" } };
  const unitPrice = (ref: { productId: string } | { variantId: string }) => prices["productId" in ref ? ref.productId : ref.variantId];
  const catalog = { unitPrice, dearestUnitPrice: unitPrice };
  const gbp = (amount: number) => ({ amount, currency: "GBP" });
  const unchecked = (input: Record<string, unknown>, options: object = catalog) => uncheckedAmounts(parseOffer({ ...base, ...input }), options);

  it("names each amount the price checks could not judge, and the items whose price they lacked", () => {
    const ladder = { type: "upgradeLadder", steps: ["kettle", "mug", "jug"].map((productId) => ({ ref: { productId } })), incentive: { kind: "amountOffEach", amount: gbp(300) } };
    // The incentive comes off the steps above the first: the kettle at the bottom is not one of them.
    expect(unchecked(ladder)).toEqual([{ path: ["incentive"], unpriced: [{ productId: "jug" }] }]);
    const breaks = {
      type: "quantityBreaks",
      eligible: { productIds: ["mug", "kettle"] },
      tiers: [
        { minQuantity: 2, value: { kind: "amountOffEach", amount: gbp(100) } },
        { minQuantity: 3, value: { kind: "amountOffEach", amount: gbp(200) } },
      ],
    };
    expect(unchecked(breaks)).toEqual([
      { path: ["tiers", 0, "value"], unpriced: [{ productId: "kettle" }] },
      { path: ["tiers", 1, "value"], unpriced: [{ productId: "kettle" }] },
    ]);
    const bundle = { type: "fixedBundle", items: [{ ref: { productId: "mug" }, quantity: 1 }, { ref: { variantId: "kettle" }, quantity: 1 }], pricing: { kind: "fixedPrice", price: gbp(1000) } };
    expect(unchecked(bundle)).toEqual([{ path: ["pricing", "price"], unpriced: [{ variantId: "kettle" }] }]);
    const set = { type: "mixAndMatch", eligible: { productIds: ["mug", "jug"] }, setSize: 2, pricing: { kind: "amountOff", amount: gbp(500) } };
    expect(unchecked(set)).toEqual([{ path: ["pricing", "amount"], unpriced: [{ productId: "jug" }] }]);
    expect(unchecked({ ...set, pricing: { kind: "fixedPrice", price: gbp(500) } })).toEqual([{ path: ["pricing", "price"], unpriced: [{ productId: "jug" }] }]);
  });

  it("says nothing of amounts judged, percentages, or offers checked without a catalog", () => {
    const ladder = { type: "upgradeLadder", steps: [{ ref: { productId: "kettle" } }, { ref: { productId: "mug" } }], incentive: { kind: "amountOffEach", amount: gbp(300) } };
    expect(unchecked(ladder)).toEqual([]);
    expect(unchecked({ ...ladder, steps: [...ladder.steps, { ref: { productId: "jug" } }], incentive: pct(10) })).toEqual([]);
    expect(unchecked({ ...ladder, steps: [...ladder.steps, { ref: { productId: "jug" } }] }, {})).toEqual([]);
    const bundle = { type: "fixedBundle", items: [{ ref: { productId: "mug" }, quantity: 1 }, { ref: { productId: "kettle" }, quantity: 1 }], pricing: pct(10) };
    expect(unchecked(bundle)).toEqual([]);
  });
});
