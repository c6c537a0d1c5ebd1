import { describe, expect, it } from "vitest";
import { formatMinorForDisplay } from "../money-display";
import { savingLabel, savingText } from "./messages";
import { priceCart } from "./price-cart";
import { setSavingApplied, unitSavingApplied } from "./stated-terms";
import { cartOf, line, makeOffer, NOW } from "./test-support";

const jpy = { currency: "JPY", rate: null };
const kwd = { currency: "KWD", rate: null };
const defined = <T>(value: T | null): T => {
  if (value === null) throw new Error("expected a saving");
  return value;
};
const each = (amount: number, currency: string) => ({ kind: "amountOffEach" as const, amount: { amount, currency } });

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
