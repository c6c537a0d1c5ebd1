import { describe, expect, it } from "vitest";
import { DEFAULT_SHOP_SETTINGS } from "~/core/settings";
import {
  ALGORITHM_FIELDS,
  APPEARANCE_FIELDS,
  PLACEMENT_LIMIT_FIELDS,
  PLACEMENT_TEXT_FIELDS,
  POST_PURCHASE_FIELDS,
  PRICE_RANGE_FIELDS,
  readSettingsForm,
  settingsToFormValues,
} from "./settings-form";

function form(values: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(values)) data.set(name, value);
  return data;
}

describe("settings forms", () => {
  it("round-trips the current settings unchanged", () => {
    const fields = [...PLACEMENT_TEXT_FIELDS, ...PLACEMENT_LIMIT_FIELDS, ...ALGORITHM_FIELDS, ...APPEARANCE_FIELDS];
    const values = settingsToFormValues(DEFAULT_SHOP_SETTINGS, fields);
    const result = readSettingsForm(form(values), DEFAULT_SHOP_SETTINGS, fields);
    expect(result).toMatchObject({ ok: true, settings: DEFAULT_SHOP_SETTINGS });
  });

  it("changes only the fields it shows; an absent checkbox means off", () => {
    const values = settingsToFormValues(DEFAULT_SHOP_SETTINGS, APPEARANCE_FIELDS);
    delete values["appearance.showCompareAtPrice"];
    const result = readSettingsForm(form({ ...values, "appearance.accentColour": "#112233" }), DEFAULT_SHOP_SETTINGS, APPEARANCE_FIELDS);
    if (!result.ok) throw new Error(JSON.stringify(result.fields));
    expect(result.settings.appearance).toEqual({ accentColour: "#112233", showCompareAtPrice: false });
    expect(result.settings.placements).toEqual(DEFAULT_SHOP_SETTINGS.placements);
  });

  it("names each bad field with a message, and keeps what was typed", () => {
    const values = settingsToFormValues(DEFAULT_SHOP_SETTINGS, [...PLACEMENT_LIMIT_FIELDS, ...ALGORITHM_FIELDS]);
    const result = readSettingsForm(
      form({ ...values, "placements.cart.limit": "40", "placements.pdp.limit": "three", "recommendations.halfLifeDays": "2" }),
      DEFAULT_SHOP_SETTINGS,
      [...PLACEMENT_LIMIT_FIELDS, ...ALGORITHM_FIELDS],
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.fields).toEqual({
      "placements.pdp.limit": ["Enter a whole number."],
      "placements.cart.limit": ["Show at most 12 items."],
      "recommendations.halfLifeDays": ["Use at least 7 days."],
    });
    expect(result.values["placements.pdp.limit"]).toBe("three");
  });

  it("says what is wrong with a number out of range in the merchant's words, not zod's", () => {
    const fields = [...ALGORITHM_FIELDS, ...POST_PURCHASE_FIELDS];
    const values = settingsToFormValues(DEFAULT_SHOP_SETTINGS, fields);
    const read = (changes: Record<string, string>) => {
      const result = readSettingsForm(form({ ...values, ...changes }), DEFAULT_SHOP_SETTINGS, fields);
      return result.ok ? {} : result.fields;
    };
    expect(read({ "recommendations.maxPerProductType": "0", "postPurchase.discountPercent": "-5", "postPurchase.maxPriceShareOfOrder": "0" })).toEqual({
      "recommendations.maxPerProductType": ["Show at least 1 item of a product type."],
      "postPurchase.discountPercent": ["A discount cannot be negative; 0 offers the product at full price."],
      "postPurchase.maxPriceShareOfOrder": ["Use at least 1%."],
    });
    expect(read({ "recommendations.maxPerProductType": "13", "postPurchase.maxPriceShareOfOrder": "101" })).toEqual({
      "recommendations.maxPerProductType": ["Show at most 12 items of a product type."],
      "postPurchase.maxPriceShareOfOrder": ["A share of the order is at most 100%: 100 offers products costing up to what the buyer just spent."],
    });
    expect(read({ "postPurchase.maxPriceShareOfOrder": "100" })).toEqual({});
  });

  describe("the price range, in the shop's currency", () => {
    const MIN = "recommendations.priceRange.min";
    const MAX = "recommendations.priceRange.max";
    const read = (min: string, max: string, currency = "USD") =>
      readSettingsForm(form({ [MIN]: min, [MAX]: max }), DEFAULT_SHOP_SETTINGS, PRICE_RANGE_FIELDS, { currency });

    it("stores decimals as minor units, and an empty field as no bound", () => {
      expect(read("5", "24.9")).toMatchObject({ ok: true, settings: { recommendations: { priceRange: { min: 500, max: 2490 } } } });
      expect(read(" ", "")).toMatchObject({ ok: true, settings: { recommendations: { priceRange: { min: null, max: null } } } });
      expect(read("1500", "", "JPY")).toMatchObject({ ok: true, settings: { recommendations: { priceRange: { min: 1500, max: null } } } });
      expect(read("0.250", "1.5", "KWD")).toMatchObject({ ok: true, settings: { recommendations: { priceRange: { min: 250, max: 1500 } } } });
    });

    it("shows stored minor units as decimals of the currency, and reads them back unchanged", () => {
      const settings = { ...DEFAULT_SHOP_SETTINGS, recommendations: { ...DEFAULT_SHOP_SETTINGS.recommendations, priceRange: { min: 500, max: null } } };
      const values = settingsToFormValues(settings, PRICE_RANGE_FIELDS, { currency: "USD" });
      expect(values).toEqual({ [MIN]: "5.00", [MAX]: "" });
      expect(readSettingsForm(form(values), settings, PRICE_RANGE_FIELDS, { currency: "USD" })).toMatchObject({ ok: true, settings });
      expect(() => settingsToFormValues(settings, PRICE_RANGE_FIELDS)).toThrow(/currency/);
    });

    it("names each bad price with a message a merchant understands, and keeps what was typed", () => {
      const fieldsOf = (result: ReturnType<typeof read>) => (result.ok ? {} : result.fields);
      expect(fieldsOf(read("-1", "12.345"))).toEqual({
        [MIN]: ["Enter 0 or more, or leave it empty for no limit."],
        [MAX]: ["Use at most 2 decimals for USD."],
      });
      expect(fieldsOf(read("$5", "12.5", "JPY"))).toEqual({
        [MIN]: ["Enter an amount in JPY, such as 1250, or leave it empty for no limit."],
        [MAX]: ["JPY amounts have no decimals."],
      });
      expect(fieldsOf(read("99999999999999999", ""))).toEqual({ [MIN]: ["This amount is too large."] });
      const inverted = read("20", "10.00");
      expect(fieldsOf(inverted)).toEqual({ [MAX]: ["The highest price must be at least the lowest price."] });
      expect(inverted.values).toEqual({ [MIN]: "20", [MAX]: "10.00" });
    });

    it("does not also blame the other end when one end cannot be read", () => {
      const stored = { ...DEFAULT_SHOP_SETTINGS, recommendations: { ...DEFAULT_SHOP_SETTINGS.recommendations, priceRange: { min: 5000, max: null } } };
      const result = readSettingsForm(form({ [MIN]: "abc", [MAX]: "10" }), stored, PRICE_RANGE_FIELDS, { currency: "USD" });
      expect(result.ok ? {} : result.fields).toEqual({ [MIN]: ["Enter an amount in USD, such as 12.50, or leave it empty for no limit."] });
    });
  });
});
