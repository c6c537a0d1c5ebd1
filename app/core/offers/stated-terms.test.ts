import { describe, expect, it } from "vitest";
import { formatMinorForDisplay } from "../money-display";
import { savingLabel, savingText } from "./messages";
import { priceCart } from "./price-cart";
import { percentageOfMinor } from "../money";
import { tierUnitPrice } from "./preview";
import { mixAndMatchStated, quantityTiersStated, setSavingApplied, tierHoldsEach, tierSavingAlone, tiersNotBeaten, unitSavingApplied } from "./stated-terms";
import { cartOf, line, makeOffer, NOW } from "./test-support";

const jpy = { currency: "JPY", rate: null };
const kwd = { currency: "KWD", rate: null };
const defined = <T>(value: T | null): T => {
  if (value === null) throw new Error("expected a saving");
  return value;
};
const each = (amount: number, currency: string) => ({ kind: "amountOffEach" as const, amount: { amount, currency } });
const percent = (value: number) => ({ kind: "percentage" as const, percent: value });
type TierValue = ReturnType<typeof each> | ReturnType<typeof percent>;

/** Tiers as the product page prices them: each at its minimum quantity, the tier alone. */
function atMinimum(tiers: readonly { minQuantity: number; value: TierValue }[], unitPrice: number) {
  return tiers.map((tier) => {
    const value = defined(unitSavingApplied(tier.value, unitPrice, jpy));
    return { minQuantity: tier.minQuantity, value, total: unitPrice * tier.minQuantity - tierSavingAlone(value, unitPrice, tier.minQuantity) };
  });
}

/** What checkout charges for `quantity` of a `unitPrice` item with these tiers (the engine, as the function runs it). */
function charged(tiers: readonly { minQuantity: number; value: TierValue }[], unitPrice: number, quantity: number) {
  const offer = makeOffer({ id: "breaks", type: "quantityBreaks", eligible: { variantIds: ["tea"] }, tiers });
  return priceCart({ cart: cartOf([line("a", unitPrice, quantity, { variantId: "tea" })], "JPY"), offers: [offer], now: NOW });
}

describe("stated terms: the saving the engine applies, before a cart holds it", () => {
  it("GIVEN an amount off each above the item's price THEN each unit saves the price, as the engine takes it", () => {
    expect(unitSavingApplied(each(150, "JPY"), 120, jpy)).toEqual({ kind: "amountOffEach", value: 120 });
    expect(unitSavingApplied(each(150, "JPY"), 300, jpy)).toEqual({ kind: "amountOffEach", value: 150 });
    // A percentage is stated as configured, in basis points.
    expect(unitSavingApplied({ kind: "percentage", percent: 12.5 }, 120, jpy)).toEqual({ kind: "percentage", value: 1250 });
    // The amount pinned for the currency wins; none in it and no rate: the engine gives nothing, so nothing is stated.
    expect(unitSavingApplied({ kind: "amountOffEach", amount: { amount: 100, currency: "USD", byCurrency: { JPY: 90 } } }, 120, jpy)).toEqual({ kind: "amountOffEach", value: 90 });
    expect(unitSavingApplied(each(100, "USD"), 120, jpy)).toBeNull();

    // The engine's own words for three at 120 JPY are the same saving, and its total three times it.
    const offer = makeOffer({ id: "breaks", type: "quantityBreaks", eligible: { variantIds: ["tea"] }, tiers: [{ minQuantity: 3, value: each(150, "JPY") }] });
    const priced = priceCart({ cart: cartOf([line("a", 120, 3, { variantId: "tea" })], "JPY"), offers: [offer], now: NOW });
    const stated = defined(unitSavingApplied(each(150, "JPY"), 120, jpy));
    expect(priced.applied[0]?.message).toBe(`Buy 3+: ${savingText(stated, "JPY")}`);
    expect(priced.totalDiscount).toBe(3 * 120);
  });

  it("GIVEN a set cheaper than its amount off THEN it saves its total; a set price it does not beat saves nothing", () => {
    const off = { kind: "amountOff" as const, amount: { amount: 5000, currency: "KWD" } };
    expect(setSavingApplied(off, 3500, kwd)).toEqual({ kind: "amountOff", value: 3500 });
    expect(setSavingApplied(off, 5500, kwd)).toEqual({ kind: "amountOff", value: 5000 });
    expect(setSavingApplied({ kind: "percentage", percent: 10 }, 3500, kwd)).toEqual({ kind: "percentage", value: 1000 });
    expect(setSavingApplied({ kind: "fixedPrice", price: { amount: 3000, currency: "KWD" } }, 3500, kwd)).toEqual({ kind: "fixedPrice", value: 3000 });
    expect(setSavingApplied({ kind: "fixedPrice", price: { amount: 3500, currency: "KWD" } }, 3500, kwd)).toBeNull();
    expect(setSavingApplied({ kind: "amountOff", amount: { amount: 5000, currency: "USD" } }, 3500, kwd)).toBeNull();
    // 15% of a ¥3 set rounds to ¥0: the engine takes nothing off, so nothing is stated.
    const jpy = { currency: "JPY", rate: null };
    expect(setSavingApplied({ kind: "percentage", percent: 15 }, 3, jpy)).toBeNull();
    expect(setSavingApplied({ kind: "percentage", percent: 15 }, 7, jpy)).toEqual({ kind: "percentage", value: 1500 });

    // The engine says the same of that bundle.
    const bundle = makeOffer({ id: "bundle", type: "fixedBundle", items: [{ ref: { variantId: "dates" }, quantity: 1 }, { ref: { variantId: "coffee" }, quantity: 1 }], pricing: off });
    const cart = cartOf([line("a", 2000, 1, { variantId: "dates" }), line("b", 1500, 1, { variantId: "coffee" })], "KWD");
    const priced = priceCart({ cart, offers: [bundle], now: NOW });
    const stated = defined(setSavingApplied(off, 3500, kwd));
    expect(priced.applied[0]?.message).toBe(`Bundle: ${savingText(stated, "KWD")}`);
    expect(priced.totalDiscount).toBe(3500);
  });

  it("words a saving with the currency's code by default (checkout) or with its symbol when given the storefront's formatter", () => {
    const capped = { kind: "amountOffEach" as const, value: 120 };
    expect(savingText(capped, "JPY")).toBe("save 120 JPY each");
    expect(savingText(capped, "JPY", formatMinorForDisplay)).toBe("save ¥120 each");
    expect(savingText({ kind: "amountOff", value: 3500 }, "KWD", formatMinorForDisplay)).toBe("save KWD\u00a03.500");
    expect(savingLabel({ kind: "amountOff", value: 3500 }, "KWD", formatMinorForDisplay)).toBe("KWD\u00a03.500 off");
    expect(savingLabel({ kind: "percentage", value: 1250 }, "KWD", formatMinorForDisplay)).toBe("12.5% off");
  });
});

describe("stated terms: a quantity-break tier is listed only if it saves more each than the tiers below it", () => {
  // Saved when the item cost more; the price has since fallen to ¥120, so both amounts are capped at it.
  const capped = [
    { minQuantity: 2, value: each(150, "JPY") },
    { minQuantity: 3, value: each(200, "JPY") },
  ];

  it("GIVEN two amounts off each capped at the item's price THEN the higher tier is not listed, and checkout gives its buyer what the tier below states", () => {
    // Both would read "save ¥120 each": the 3+ row would promise nothing more for the third item.
    expect(tiersNotBeaten(atMinimum(capped, 120), 120)).toEqual([null, 2]);
    // Checkout applies the 3+ tier to three: ¥120 off each, as the 2+ row states ("2+: ¥0 each"), and in those words.
    const three = charged(capped, 120, 3);
    expect(three.totalDiscount).toBe(3 * 120);
    expect(three.applied[0]?.message).toBe(`Buy 3+: ${savingText(defined(unitSavingApplied(capped[0]!.value, 120, jpy)), "JPY")}`);
    // At ¥300 each amount is taken whole and each tier saves more each than the one below.
    expect(tiersNotBeaten(atMinimum(capped, 300), 300)).toEqual([null, null]);
  });

  it("GIVEN percentages that round to one price each THEN the higher tier is not listed; one that saves less than a minor unit each is not either", () => {
    const tiers = [
      { minQuantity: 2, value: percent(10) },
      { minQuantity: 3, value: percent(12) },
    ];
    // Two ¥10 items less 10% are ¥18 (¥9 each); three less 12% are ¥26 (¥30 less ¥3.60 rounded), ¥8.67: stated ¥9 each too.
    expect(atMinimum(tiers, 10).map(({ minQuantity, total }) => ({ minQuantity, total }))).toEqual([
      { minQuantity: 2, total: 18 },
      { minQuantity: 3, total: 26 },
    ]);
    expect(tiersNotBeaten(atMinimum(tiers, 10), 10)).toEqual([null, 2]);
    // Checkout gives three at least the 2+ row's ¥9 each (it charges ¥26), so leaving the row out promises no more than it gives.
    expect(charged(tiers, 10, 3).total).toBeLessThanOrEqual(3 * 9);
    // 3% of three ¥10 items rounds to ¥1: ¥29, stated ¥10 each, the item's own price; against the item alone it is 1.
    expect(tiersNotBeaten(atMinimum([{ minQuantity: 3, value: percent(3) }], 10), 10)).toEqual([1]);
    // At ¥100 each they differ: ¥90 and ¥88 each.
    expect(tiersNotBeaten(atMinimum(tiers, 100), 100)).toEqual([null, null]);
  });

  it("prices a tier alone as the engine does, for the amounts and the percentages", () => {
    for (const [tiers, price, quantity] of [
      [capped, 120, 3],
      [capped, 300, 2],
      [[{ minQuantity: 3, value: percent(12) }], 10, 3],
      [[{ minQuantity: 3, value: percent(12.5) }], 999, 7],
    ] as const) {
      const top = [...tiers].reverse().find((tier) => tier.minQuantity <= quantity)!;
      expect(tierSavingAlone(defined(unitSavingApplied(top.value, price, jpy)), price, quantity)).toBe(charged(tiers, price, quantity).totalDiscount);
    }
  });
});

describe("stated terms: a mix-and-match offer states only what holds whichever items make the set", () => {
  const gbp = { currency: "GBP", rate: null };
  const off = { kind: "amountOff" as const, amount: { amount: 1000, currency: "GBP" } };
  const setPrice = { kind: "fixedPrice" as const, price: { amount: 1200, currency: "GBP" } };
  /** A set of two of these variants, priced by the engine. */
  const pair = (pricing: typeof off | typeof setPrice, first: number, second: number) => {
    const offer = makeOffer({ id: "any2", type: "mixAndMatch", eligible: { variantIds: ["a", "b"] }, setSize: 2, pricing });
    const lines = first === second ? [line("a", first, 2, { variantId: "a" })] : [line("a", first, 1, { variantId: "a" }), line("b", second, 1, { variantId: "b" })];
    return priceCart({ cart: cartOf(lines, "GBP"), offers: [offer], now: NOW });
  };

  it("GIVEN an amount off THEN it is stated only when no set is cheaper than it, since a cheaper set saves only its total", () => {
    // Items from £4.50 to £16.00: two teas (£9.00) save £9.00, two deluxe candles £10.00: no one amount is true of both.
    expect(pair(off, 450, 450).totalDiscount).toBe(900);
    expect(pair(off, 1600, 1600).totalDiscount).toBe(1000);
    expect(mixAndMatchStated(off, 2, { cheapest: 450, dearest: 1600 }, null, gbp)).toBeNull();
    // From £5.00, every set gets £10.00 whole (the cheapest is free), as checkout says.
    expect(mixAndMatchStated(off, 2, { cheapest: 500, dearest: 1600 }, null, gbp)).toEqual({ kind: "amountOff", value: 1000 });
    expect(pair(off, 500, 500).totalDiscount).toBe(1000);
    expect(pair(off, 500, 1600).applied[0]?.message).toBe("Any 2: save 10.00 GBP");
    // No price known: no set can be vouched for.
    expect(mixAndMatchStated(off, 2, null, 1600, gbp)).toBeNull();
  });

  it("GIVEN a set price THEN a page states it only when every set holding its item costs more than it: a set that does not pays its own sum", () => {
    // Two teas cost £9.00: no set is formed, so they do not cost the £12.00 named; not on the tea's page.
    expect(pair(setPrice, 450, 450).total).toBe(900);
    expect(mixAndMatchStated(setPrice, 2, { cheapest: 450, dearest: 1600 }, 450, gbp)).toBeNull();
    expect(mixAndMatchStated(setPrice, 2, { cheapest: 600, dearest: 1600 }, 600, gbp)).toBeNull();
    // Every pair with the £16.00 candle costs £12.00, the tea's too: stated on the candle's page.
    expect(mixAndMatchStated(setPrice, 2, { cheapest: 450, dearest: 1600 }, 1600, gbp)).toEqual({ kind: "fixedPrice", value: 1200 });
    expect([pair(setPrice, 450, 1600).total, pair(setPrice, 1600, 1600).total]).toEqual([1200, 1200]);
    // £7.50 with a £4.50 tea is exactly £12.00: that set is not formed (it saves nothing), so not stated.
    expect(pair(setPrice, 450, 750).total).toBe(1200);
    expect(mixAndMatchStated(setPrice, 2, { cheapest: 450, dearest: 1600 }, 750, gbp)).toBeNull();
    // Where the page's item is unknown, every set must: from £7.00, every one costs £12.00; the price is exact, the saving varies, so only the price is stated.
    expect(mixAndMatchStated(setPrice, 2, { cheapest: 700, dearest: 1600 }, null, gbp)).toEqual({ kind: "fixedPrice", value: 1200 });
    expect([pair(setPrice, 700, 700).total, pair(setPrice, 700, 1600).total]).toEqual([1200, 1200]);
  });

  it("GIVEN a percentage THEN it is stated whatever the prices, unless even a set of the dearest items would round to nothing", () => {
    const jpy = { currency: "JPY", rate: null };
    expect(mixAndMatchStated(percent(15), 2, { cheapest: 1, dearest: 100 }, 1, jpy)).toEqual({ kind: "percentage", value: 1500 });
    expect(mixAndMatchStated(percent(15), 2, null, null, jpy)).toEqual({ kind: "percentage", value: 1500 });
    // 15% of two ¥1 items (¥0.30) rounds to nothing: checkout takes nothing off any set.
    expect(mixAndMatchStated(percent(15), 2, { cheapest: 1, dearest: 1 }, 1, jpy)).toBeNull();
    // An amount without a value in the currency: the engine gives nothing.
    expect(mixAndMatchStated({ kind: "amountOff", amount: { amount: 1000, currency: "USD" } }, 2, { cheapest: 5000, dearest: 5000 }, 5000, gbp)).toBeNull();
  });
});

describe("stated terms: a quantity-break row states what checkout charges at every quantity it covers", () => {
  /** Every quantity from `from` up to (not including) `to`. */
  const quantities = (from: number, to: number) => Array.from({ length: to - from }, (_, index) => from + index);

  it("GIVEN 15% off two or more at 1.79 THEN no price each holds (four cost 6.09, not 4 × 1.52), so the row states 15%, which checkout takes at every quantity", () => {
    const tiers = [{ minQuantity: 2, value: percent(15) }];
    const [tier] = atMinimum(tiers, 179);
    // Two cost 3.04 (3.58 less 0.537 rounded): 1.52 each, as the table used to state it.
    expect(tierUnitPrice(tier!.total, 2)).toBe(152);
    // Four are charged 6.09 and seventeen 25.87: not 4 × 1.52 = 6.08 nor 17 × 1.52 = 25.84.
    expect(charged(tiers, 179, 4).total).toBe(609);
    expect(charged(tiers, 179, 17).total).toBe(2587);
    expect(tierHoldsEach(tier!.value, 179)).toBe(false);
    expect(quantityTiersStated(atMinimum(tiers, 179), 179)).toEqual({ each: false, hidden: [null] });
    // The percentage, rounded once over the line, is what checkout charges at every quantity.
    for (const quantity of quantities(2, 60)) expect(charged(tiers, 179, quantity).total).toBe(179 * quantity - percentageOfMinor(179 * quantity, 1500));
  });

  it("GIVEN prices each that hold at every quantity (amounts off each, a percentage taking whole minor units) THEN rows state them, exact from each tier's minimum to the next's", () => {
    for (const [tiers, price] of [
      [[{ minQuantity: 2, value: percent(15) }, { minQuantity: 5, value: percent(20) }], 200],
      [[{ minQuantity: 2, value: each(25, "JPY") }, { minQuantity: 5, value: each(40, "JPY") }], 179],
    ] as const) {
      const priced = atMinimum(tiers, price);
      expect(quantityTiersStated(priced, price)).toEqual({ each: true, hidden: [null, null] });
      priced.forEach((tier, index) => {
        const stated = tierUnitPrice(tier.total, tier.minQuantity);
        for (const quantity of quantities(tier.minQuantity, priced[index + 1]?.minQuantity ?? 60)) expect(charged(tiers, price, quantity).total).toBe(stated * quantity);
      });
    }
  });

  it("GIVEN percentages stated as such THEN every tier is listed (a row left out would understate the one above), but those below the first that saves anything at its minimum", () => {
    // ¥10: 10% at 2+ is ¥9 each, 12% at 3+ rounds to ¥9 each too: priced each, 3+ was left out and the 2+ row then covered three, which cost ¥26, not ¥27.
    const rounding = [
      { minQuantity: 2, value: percent(10) },
      { minQuantity: 3, value: percent(12) },
    ];
    expect(quantityTiersStated(atMinimum(rounding, 10), 10)).toEqual({ each: false, hidden: [null, null] });
    // ¥2: 10% of two rounds to nothing (¥0.40), 12% of three to ¥1 (¥0.72).
    expect(quantityTiersStated(atMinimum(rounding, 2), 2)).toEqual({ each: false, hidden: [1, null] });
    expect(charged(rounding, 2, 2).totalDiscount).toBe(0);
  });
});
