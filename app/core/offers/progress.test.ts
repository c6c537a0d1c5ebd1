import { describe, expect, it } from "vitest";
import { priceCart } from "./price-cart";
import { describeProgress, priceCartWithProgress } from "./progress";
import { cartOf, combinesWithAll, line, makeOffer, NOW } from "./test-support";
import type { Offer } from "./types";

const spend = (combinesWith = combinesWithAll) =>
  makeOffer({
    id: "spend",
    type: "spendTiers",
    tiers: [
      { minSubtotal: { amount: 10000, currency: "USD" }, value: { kind: "percentage", percent: 10 } },
      { minSubtotal: { amount: 25000, currency: "USD" }, value: { kind: "percentage", percent: 15 } },
    ],
    combinesWith,
  });

const breaks = makeOffer({
  id: "breaks",
  type: "quantityBreaks",
  eligible: { productIds: ["coffee"] },
  tiers: [
    { minQuantity: 2, value: { kind: "percentage", percent: 10 } },
    { minQuantity: 3, value: { kind: "percentage", percent: 15 } },
    { minQuantity: 5, value: { kind: "percentage", percent: 25 } },
  ],
});

/** The same tiers, combining with other discounts (a bundle's, a buy-one-get-one's). */
const combiningBreaks = makeOffer({ ...breaks, combinesWith: combinesWithAll });

describe("describeProgress", () => {
  it("GIVEN 237.60 in the cart THEN 12.40 more unlocks 15%", () => {
    const [progress] = describeProgress({ cart: cartOf([line("a", 23760)]), offers: [spend()], now: NOW });
    expect(progress).toEqual({
      offerId: "spend",
      kind: "spend",
      current: 23760,
      currency: "USD",
      reached: { threshold: 10000, reward: "10% off" },
      next: { threshold: 25000, reward: "15% off" },
      remaining: 1240,
      fraction: 23760 / 25000,
      // The storefront's English wording, which the admin preview shows too.
      message: "Add $12.40 more to get 15% off",
    });
  });

  it("GIVEN a stored offer whose higher tier saves the same THEN that tier is not advertised", () => {
    // Saving refuses such tiers now; offers saved before keep being served.
    const valid = makeOffer({
      id: "same",
      type: "quantityBreaks",
      eligible: { productIds: ["coffee"] },
      tiers: [
        { minQuantity: 3, value: { kind: "percentage", percent: 12.5 } },
        { minQuantity: 7, value: { kind: "percentage", percent: 15 } },
      ],
    });
    if (valid.type !== "quantityBreaks") throw new Error("not quantity breaks");
    const stored: Offer = { ...valid, tiers: [valid.tiers[0]!, { minQuantity: 7, value: { kind: "percentage", percent: 12.5 } }] };
    const [progress] = describeProgress({ cart: cartOf([line("a", 1000, 3, { productId: "coffee" })]), offers: [stored], now: NOW });
    expect(progress).toMatchObject({ next: null, message: "You're getting 12.5% off" });
  });

  it("GIVEN every tier reached THEN nothing is left to unlock", () => {
    const [progress] = describeProgress({ cart: cartOf([line("a", 30000)]), offers: [spend()], now: NOW });
    expect(progress).toMatchObject({ next: null, remaining: 0, fraction: 1, message: "You're getting 15% off", reached: { threshold: 25000 } });
  });

  it("counts spend after the product discounts the tier combines with", () => {
    const bundle = makeOffer({
      id: "bundle",
      type: "quantityBreaks",
      eligible: { productIds: ["coffee"] },
      tiers: [{ minQuantity: 1, value: { kind: "percentage", percent: 20 } }],
      combinesWith: combinesWithAll,
    });
    const cart = cartOf([line("a", 5000, 2, { productId: "coffee" })]);
    const combining = describeProgress({ cart, offers: [bundle, spend()], now: NOW }).find((p) => p.offerId === "spend");
    expect(combining).toMatchObject({ current: 8000, remaining: 2000, message: "Add $20.00 more to get 10% off" });
    const exclusive = describeProgress({ cart, offers: [bundle, spend({ productDiscounts: false, orderDiscounts: false, shippingDiscounts: false })], now: NOW }).find(
      (p) => p.offerId === "spend",
    );
    expect(exclusive).toMatchObject({ current: 10000, next: { threshold: 25000 } });
  });

  it("GIVEN one bag THEN one more bag saves 10%; in JPY the amounts are whole yen", () => {
    const [progress] = describeProgress({ cart: cartOf([line("a", 1200, 1, { productId: "coffee" })], "JPY"), offers: [breaks], now: NOW });
    expect(progress).toMatchObject({ kind: "quantity", current: 1, remaining: 1, message: `${breaks.title}: add 1 more to get 10% off`, reached: null });
  });

  it("converts spend thresholds for the buyer's currency (KWD)", () => {
    const [progress] = describeProgress({ cart: cartOf([line("a", 20000)], "KWD", "0.3071"), offers: [spend()], now: NOW });
    // 100 USD → 30.710 KWD; 250 USD → 76.775 KWD
    expect(progress).toMatchObject({ current: 20000, next: { threshold: 30710 }, message: "Add KWD\u00a010.710 more to get 10% off" });
  });

  it("leaves out offers that are paused or not started", () => {
    const tiers = [{ minSubtotal: { amount: 100, currency: "USD" }, value: { kind: "percentage", percent: 5 } }];
    const paused = makeOffer({ id: "paused", type: "spendTiers", status: "paused", tiers });
    const later = makeOffer({ id: "later", type: "spendTiers", tiers, schedule: { startsAt: NOW + 1000 } });
    expect(describeProgress({ cart: cartOf([line("a", 50)]), offers: [paused, later], now: NOW })).toEqual([]);
    expect(describeProgress({ cart: cartOf([line("a", 50)]), offers: [paused, later], now: NOW + 1000 }).map((p) => p.offerId)).toEqual(["later"]);
  });

  it("GIVEN a met threshold that loses to a discount it does not combine with THEN the bar claims no tier", () => {
    const exclusive = { productDiscounts: false, orderDiscounts: false, shippingDiscounts: false };
    const bigBundle = makeOffer({
      id: "bundle",
      type: "quantityBreaks",
      eligible: { productIds: ["coffee"] },
      tiers: [{ minQuantity: 1, value: { kind: "percentage", percent: 40 } }],
      combinesWith: exclusive,
    });
    // 120.00 of coffee: spend's 10% (12.00) loses to the bundle's 40% (48.00).
    const cart = cartOf([line("a", 6000, 2, { productId: "coffee" })]);
    const progress = describeProgress({ cart, offers: [bigBundle, spend(exclusive)], now: NOW }).find((p) => p.offerId === "spend");
    // 250.00 would get 15% (37.50), still less than the bundle's 48.00: nothing to promise.
    expect(progress).toMatchObject({ current: 12000, reached: null, next: null, message: null });
    // Alone, the same cart does get the tier.
    expect(describeProgress({ cart, offers: [spend(exclusive)], now: NOW })[0]).toMatchObject({ reached: { threshold: 10000 } });
  });

  it("promises only a spend tier checkout would apply: the first that beats what it does not combine with", () => {
    const exclusive = { productDiscounts: false, orderDiscounts: false, shippingDiscounts: false };
    const bundle = makeOffer({
      id: "bundle",
      type: "quantityBreaks",
      eligible: { productIds: ["coffee"] },
      tiers: [{ minQuantity: 1, value: { kind: "amountOffEach", amount: { amount: 1000, currency: "USD" } } }],
      combinesWith: exclusive,
    });
    const tiers = makeOffer({
      id: "spend",
      type: "spendTiers",
      tiers: [
        { minSubtotal: { amount: 10000, currency: "USD" }, value: { kind: "percentage", percent: 10 } },
        { minSubtotal: { amount: 20000, currency: "USD" }, value: { kind: "percentage", percent: 20 } },
      ],
      combinesWith: exclusive,
    });
    // Three bags at 30.00 save 30.00. At 100.00, 10% (10.00) would lose to that; at 200.00, 20% (40.00) wins.
    const cart = cartOf([line("a", 3000, 3, { productId: "coffee" })]);
    const progress = describeProgress({ cart, offers: [bundle, tiers], now: NOW }).find((p) => p.offerId === "spend");
    expect(progress).toMatchObject({ current: 9000, reached: null, next: { threshold: 20000 }, remaining: 11000 });
    expect(progress?.message).toBe("Add $110.00 more to get 20% off");
  });

  it("promises no quantity tier that a bigger discount it does not combine with would beat", () => {
    const exclusive = { productDiscounts: false, orderDiscounts: false, shippingDiscounts: false };
    const teaDeal = makeOffer({ id: "tea", type: "quantityBreaks", priority: 5, eligible: { productIds: ["tea"] }, tiers: [{ minQuantity: 1, value: { kind: "percentage", percent: 50 } }], combinesWith: exclusive });
    // Four teas save 20.00; one more coffee (two: 10% of 20.00) or three (15% of 30.00) would
    // save less, five (25% of 50.00 = 12.50) too: nothing to promise.
    const cart = cartOf([line("t", 1000, 4, { productId: "tea" }), line("c", 1000, 1, { productId: "coffee" })]);
    expect(describeProgress({ cart, offers: [teaDeal, breaks], now: NOW }).find((p) => p.offerId === "breaks")).toMatchObject({ next: null, message: null });
    // With one tea (5.00 saved), two coffees (2.00) and three (4.50) would still lose; five win (12.50).
    const fewer = cartOf([line("t", 1000, 1, { productId: "tea" }), line("c", 1000, 1, { productId: "coffee" })]);
    expect(describeProgress({ cart: fewer, offers: [teaDeal, breaks], now: NOW }).find((p) => p.offerId === "breaks")).toMatchObject({ next: { threshold: 5 }, remaining: 4 });
  });

  it("counts only units no applied bundle has taken, as checkout does", () => {
    const kit = makeOffer({
      id: "kit",
      type: "fixedBundle",
      items: [
        { ref: { productId: "coffee" }, quantity: 1 },
        { ref: { productId: "mug" }, quantity: 1 },
      ],
      pricing: { kind: "percentage", percent: 50 },
      combinesWith: combinesWithAll,
    });
    // Two bags and a mug: the kit takes one bag, so one bag is free for the breaks (tier at 2).
    const cart = cartOf([line("a", 1000, 2, { productId: "coffee" }), line("b", 1000, 1, { productId: "mug" })]);
    const progress = describeProgress({ cart, offers: [kit, combiningBreaks], now: NOW }).find((p) => p.offerId === "breaks");
    // Checkout keeps the kit (10.00) over 10% or 15% on the bags; from five bags on, 25% wins.
    expect(progress).toMatchObject({ current: 1, reached: null, next: { threshold: 5 } });
  });

  it("does not count the units a buy-one-get-one needs bought, as checkout does not", () => {
    const halfOffSecond = makeOffer({
      id: "bogo",
      type: "buyXGetY",
      priority: 10,
      maxUsesPerOrder: 1,
      buy: { items: { productIds: ["coffee"] }, quantity: 1 },
      get: { items: { productIds: ["coffee"] }, quantity: 1, percent: 50 },
      combinesWith: combinesWithAll,
    });
    // Four bags: one bought and one half price for the offer, two left for the breaks (10% at 2,
    // 15% at 3). The bar must not claim 15% for four bags.
    const cart = cartOf([line("a", 1000, 4, { productId: "coffee" })]);
    const progress = describeProgress({ cart, offers: [halfOffSecond, combiningBreaks], now: NOW }).find((p) => p.offerId === "breaks");
    expect(progress).toMatchObject({ current: 2, reached: { threshold: 2 }, next: { threshold: 3 }, remaining: 1 });
  });

  it("promises no spend tier that checkout would give only a lower tier of once the buyer adds the amount", () => {
    const exclusive = { productDiscounts: false, orderDiscounts: false, shippingDiscounts: false };
    // 12.00 off each coffee, combining with nothing; 9.00 off each, combining with order discounts.
    const big = makeOffer({ id: "big", type: "quantityBreaks", priority: 5, eligible: { productIds: ["coffee"] }, tiers: [{ minQuantity: 1, value: { kind: "amountOffEach", amount: { amount: 1200, currency: "USD" } } }], combinesWith: exclusive });
    const small = makeOffer({ id: "small", type: "quantityBreaks", eligible: { productIds: ["coffee"] }, tiers: [{ minQuantity: 1, value: { kind: "amountOffEach", amount: { amount: 900, currency: "USD" } } }], combinesWith: { ...exclusive, orderDiscounts: true } });
    const tiers = makeOffer({
      id: "spend",
      type: "spendTiers",
      tiers: [
        { minSubtotal: { amount: 10000, currency: "USD" }, value: { kind: "amountOff", amount: { amount: 500, currency: "USD" } } },
        { minSubtotal: { amount: 20000, currency: "USD" }, value: { kind: "amountOff", amount: { amount: 1000, currency: "USD" } } },
      ],
      combinesWith: { ...exclusive, productDiscounts: true },
    });
    const offers = [big, small, tiers];
    // One coffee at 105.00: the 12.00 wins. At 200.00, checkout takes 9.00 + 5.00 (191.00 spent),
    // more than 10.00 alone or 12.00: the 10.00 tier named for adding 95.00 is not given.
    const cart = cartOf([line("c", 10500, 1, { productId: "coffee" })]);
    const progress = describeProgress({ cart, offers, now: NOW }).find((p) => p.offerId === "spend");
    const withAdded = priceCart({ cart: cartOf([...cart.lines, line("x", 9500)]), offers, now: NOW });
    expect(withAdded.applied.find((applied) => applied.offerId === "spend")?.amount).toBe(500);
    expect(progress).toMatchObject({ current: 10500, reached: null, next: null, message: null });
  });

  it("promises no quantity tier that checkout would give only a lower tier of once the buyer adds the units", () => {
    const twoHalfPrice = makeOffer({
      id: "bogo",
      type: "buyXGetY",
      priority: 10,
      maxUsesPerOrder: 2,
      buy: { items: { productIds: ["coffee"] }, quantity: 1 },
      get: { items: { productIds: ["coffee"] }, quantity: 1, percent: 50 },
      combinesWith: combinesWithAll,
    });
    const fewTiers = makeOffer({
      id: "breaks",
      type: "quantityBreaks",
      eligible: { productIds: ["coffee"] },
      tiers: [
        { minQuantity: 3, value: { kind: "percentage", percent: 5 } },
        { minQuantity: 6, value: { kind: "percentage", percent: 12.5 } },
      ],
      combinesWith: combinesWithAll,
    });
    const offers = [twoHalfPrice, fewTiers];
    // Two bags, both in the buy-one-get-one. With six more (eight), it keeps four and the breaks
    // count four: 5%, not the 12.5% that "add 6 more" would name.
    const cart = cartOf([line("a", 1000, 2, { productId: "coffee" })]);
    const withAdded = priceCart({ cart: cartOf([line("a", 1000, 8, { productId: "coffee" })]), offers, now: NOW });
    expect(withAdded.applied.find((applied) => applied.offerId === "breaks")?.message).toBe("Buy 3+: save 5%");
    const progress = describeProgress({ cart, offers, now: NOW }).find((p) => p.offerId === "breaks");
    expect(progress).toMatchObject({ current: 0, reached: null, next: null, message: null });
  });

  it("GIVEN one of any three at 12.5% off THEN two more of it get 12.5% off; with three, the set is reached; a set price gets no bar", () => {
    const set = makeOffer({
      id: "set",
      title: "Party pieces",
      type: "mixAndMatch",
      eligible: { productIds: ["cup", "plate"] },
      setSize: 3,
      pricing: { kind: "percentage", percent: 12.5 },
      maxSetsPerOrder: null,
    });
    const one = describeProgress({ cart: cartOf([line("c", 1000, 1, { productId: "cup" }), line("x", 500, 1, { productId: "other" })]), offers: [set], now: NOW });
    expect(one).toEqual([
      {
        offerId: "set",
        kind: "quantity",
        current: 1,
        currency: "USD",
        reached: null,
        next: { threshold: 3, reward: "12.5% off" },
        remaining: 2,
        fraction: 1 / 3,
        message: "Party pieces: add 2 more to get 12.5% off",
      },
    ]);
    const three = describeProgress({ cart: cartOf([line("c", 1000, 2, { productId: "cup" }), line("p", 800, 1, { productId: "plate" })]), offers: [set], now: NOW });
    // A set complete: nothing more to say (a fourth cup would get nothing; "You're getting 12.5% off" would mislead).
    expect(three).toMatchObject([{ current: 3, reached: null, next: null, message: null }]);
    const priced = makeOffer({ ...set, pricing: { kind: "fixedPrice", price: { amount: 2000, currency: "USD" } } });
    expect(describeProgress({ cart: cartOf([line("c", 1000, 1, { productId: "cup" })]), offers: [priced], now: NOW })).toEqual([]);
    // Nothing of the offer in the cart: "add 3 more" would not say what to add.
    expect(describeProgress({ cart: cartOf([line("x", 500, 1, { productId: "other" })]), offers: [set], now: NOW })).toEqual([]);
  });

  it("promises an amount off a set only if the set gives it whole", () => {
    const pair = makeOffer({ id: "pair", type: "mixAndMatch", eligible: { productIds: ["sticker"] }, setSize: 2, pricing: { kind: "amountOff", amount: { amount: 500, currency: "USD" } }, maxSetsPerOrder: null });
    // Two 2.00 stickers cost 4.00: the set would save 4.00, not the 5.00 the bar would name.
    expect(describeProgress({ cart: cartOf([line("s", 200, 1, { productId: "sticker" })]), offers: [pair], now: NOW })).toMatchObject([{ next: null, message: null }]);
    expect(describeProgress({ cart: cartOf([line("s", 300, 1, { productId: "sticker" })]), offers: [pair], now: NOW })).toMatchObject([
      { next: { threshold: 2, reward: "$5.00 off" }, message: "pair: add 1 more to get $5.00 off" },
    ]);
  });

  it("promises an amount off each only where every unit counted gets it whole", () => {
    const each = (tiers: { minQuantity: number; amount: number }[]) =>
      makeOffer({
        id: "each",
        title: "Coffee multibuy",
        type: "quantityBreaks",
        eligible: { productIds: ["coffee"] },
        tiers: tiers.map(({ minQuantity, amount }) => ({ minQuantity, value: { kind: "amountOffEach", amount: { amount, currency: "USD" } } })),
      });
    const bags = cartOf([line("a", 250, 2, { productId: "coffee" })]);
    // Bags at 2.50: 1.00 off each is whole; 3.00 off each would take 2.50 off each, not 3.00.
    expect(describeProgress({ cart: bags, offers: [each([{ minQuantity: 2, amount: 100 }, { minQuantity: 4, amount: 300 }])], now: NOW })).toMatchObject([
      { reached: { threshold: 2, reward: "$1.00 off each" }, next: null, message: "You're getting $1.00 off each" },
    ]);
    expect(describeProgress({ cart: bags, offers: [each([{ minQuantity: 2, amount: 100 }, { minQuantity: 4, amount: 200 }])], now: NOW })).toMatchObject([
      { next: { threshold: 4, reward: "$2.00 off each" }, message: "Coffee multibuy: add 2 more to get $2.00 off each" },
    ]);
    // Reached, but capped: the bar does not say "You're getting $3.00 off each".
    expect(describeProgress({ cart: bags, offers: [each([{ minQuantity: 2, amount: 300 }])], now: NOW })).toMatchObject([{ reached: null, next: null, message: null }]);
  });

  it("promises a spend tier's amount off only where an earlier order discount leaves room for all of it", () => {
    const half = makeOffer({ id: "a-half", priority: 5, type: "spendTiers", combinesWith: combinesWithAll, tiers: [{ minSubtotal: { amount: 10000, currency: "USD" }, value: { kind: "percentage", percent: 50 } }] });
    const sixty = makeOffer({ id: "b-sixty", type: "spendTiers", combinesWith: combinesWithAll, tiers: [{ minSubtotal: { amount: 10000, currency: "USD" }, value: { kind: "amountOff", amount: { amount: 6000, currency: "USD" } } }] });
    // At 100.00, half comes off first and leaves 50.00: the tier takes 50.00, not 60.00.
    const full = describeProgress({ cart: cartOf([line("a", 10000)]), offers: [half, sixty], now: NOW }).find((p) => p.offerId === "b-sixty");
    expect(full).toMatchObject({ reached: null, next: null, message: null });
    // At 90.00, adding 10.00 reaches it, but with the same 50.00 left: no "add $10.00 more to get $60.00 off".
    const short = describeProgress({ cart: cartOf([line("a", 9000)]), offers: [half, sixty], now: NOW }).find((p) => p.offerId === "b-sixty");
    expect(short).toMatchObject({ next: null, message: null });
    // With room for all of it, it is named.
    const room = describeProgress({ cart: cartOf([line("a", 20000)]), offers: [half, sixty], now: NOW }).find((p) => p.offerId === "b-sixty");
    expect(room).toMatchObject({ reached: { reward: "$60.00 off" }, message: "You're getting $60.00 off" });
  });

  it("promises no set that a bigger discount it does not combine with would beat", () => {
    const exclusive = { productDiscounts: false, orderDiscounts: false, shippingDiscounts: false };
    const halfCups = makeOffer({ id: "half", type: "quantityBreaks", priority: 5, eligible: { productIds: ["cup"] }, tiers: [{ minQuantity: 1, value: { kind: "percentage", percent: 50 } }], combinesWith: exclusive });
    const set = makeOffer({ id: "set", type: "mixAndMatch", eligible: { productIds: ["cup"] }, setSize: 2, pricing: { kind: "amountOff", amount: { amount: 100, currency: "USD" } }, maxSetsPerOrder: null });
    // Half price on every cup beats 1.00 off a pair: adding a cup would not get the set's saving.
    const progress = describeProgress({ cart: cartOf([line("c", 1000, 1, { productId: "cup" })]), offers: [halfCups, set], now: NOW }).find((p) => p.offerId === "set");
    expect(progress).toMatchObject({ next: null, message: null });
  });

  it("GIVEN two mugs of buy 2 get 1 free THEN one more gets 1 free; a deal whose sides differ gets no bar", () => {
    const mugs = makeOffer({
      id: "mugs",
      title: "Third mug on us",
      type: "buyXGetY",
      buy: { items: { productIds: ["mug"] }, quantity: 2 },
      get: { items: { productIds: ["mug"] }, quantity: 1, percent: 100 },
      maxUsesPerOrder: null,
    });
    expect(describeProgress({ cart: cartOf([line("m", 800, 2, { productId: "mug" })]), offers: [mugs], now: NOW })).toEqual([
      {
        offerId: "mugs",
        kind: "quantity",
        current: 2,
        currency: "USD",
        reached: null,
        next: { threshold: 3, reward: "1 free" },
        remaining: 1,
        fraction: 2 / 3,
        message: "Third mug on us: add 1 more to get 1 free",
      },
    ]);
    // Reached: nothing more to say (with six, checkout gives two free; "You're getting 1 free" would be wrong).
    expect(describeProgress({ cart: cartOf([line("m", 800, 3, { productId: "mug" })]), offers: [mugs], now: NOW })).toMatchObject([
      { reached: null, next: null, message: null },
    ]);
    const half = makeOffer({ ...mugs, get: { items: { productIds: ["mug"] }, quantity: 1, percent: 50 } });
    expect(describeProgress({ cart: cartOf([line("m", 800, 1, { productId: "mug" })]), offers: [half], now: NOW })).toMatchObject([
      { next: { reward: "1 at 50% off" }, remaining: 2 },
    ]);
    // Buy mugs, get a tea: with two mugs in the cart, "add 1 more" would mean a mug, which gets nothing.
    const tea = makeOffer({ ...mugs, id: "tea", get: { items: { productIds: ["tea"] }, quantity: 1, percent: 100 } });
    expect(describeProgress({ cart: cartOf([line("m", 800, 2, { productId: "mug" })]), offers: [tea], now: NOW })).toEqual([]);
  });

  it("leaves out quantity breaks on products the cart does not hold", () => {
    expect(describeProgress({ cart: cartOf([line("a", 1000, 3, { productId: "tea" })]), offers: [breaks], now: NOW })).toEqual([]);
  });
});

describe("priceCartWithProgress", () => {
  it("gives what priceCart and describeProgress give, pricing the cart once for both", () => {
    const ended = makeOffer({ ...spend(), id: "ended", schedule: { startsAt: NOW - 7_200_000, endsAt: NOW - 3_600_000 } });
    const options = {
      cart: cartOf([line("c", 1200, 2, { productId: "coffee" }), line("a", 23760)]),
      offers: [spend(), combiningBreaks, ended],
      now: NOW,
    };
    const both = priceCartWithProgress(options);
    expect(both.priced.totalDiscount).toBeGreaterThan(0);
    expect(both.progress.map((progress) => progress.offerId).sort()).toEqual(["breaks", "spend"]);
    expect(both).toEqual({ priced: priceCart(options), progress: describeProgress(options) });
  });
});
