import { describe, expect, it } from "vitest";
import { DEFAULT_SHOP_SETTINGS, readShopSettings, shopSettingsSchema } from "./shop-settings";

describe("shop settings", () => {
  it("fills every missing field with its default", () => {
    const settings = readShopSettings({ placements: { cart: { limit: 6 } } });
    expect(settings.placements.cart.limit).toBe(6);
    expect(settings.placements.cart.heading).toBe(DEFAULT_SHOP_SETTINGS.placements.cart.heading);
    expect(settings.placements.pdp).toEqual(DEFAULT_SHOP_SETTINGS.placements.pdp);
  });

  it("falls back to defaults when what is stored is no longer valid", () => {
    expect(readShopSettings({ placements: { pdp: { limit: 500 } } })).toEqual(DEFAULT_SHOP_SETTINGS);
    expect(readShopSettings("not an object")).toEqual(DEFAULT_SHOP_SETTINGS);
  });

  it("resets only the field a newer rule refuses, keeping the merchant's other choices", () => {
    const stored = { placements: { pdp: { limit: 500, heading: "Goes well with" }, cart: { enabled: false } }, appearance: { accentColour: "blue" } };
    const settings = readShopSettings(stored);
    expect(settings.placements.pdp.limit).toBe(DEFAULT_SHOP_SETTINGS.placements.pdp.limit);
    expect(settings.placements.pdp.heading).toBe("Goes well with");
    expect(settings.placements.cart.enabled).toBe(false);
    expect(settings.appearance.accentColour).toBe(DEFAULT_SHOP_SETTINGS.appearance.accentColour);
    // What is stored is not changed by reading it.
    expect(stored.placements.pdp.limit).toBe(500);
  });

  it("reads a post-purchase discount saved with more than two decimals as what checkout took off", () => {
    const settings = readShopSettings({ postPurchase: { discountPercent: 12.345, maxPriceShareOfOrder: 40 }, placements: { cart: { enabled: false } } });
    expect(settings.postPurchase).toEqual({ discountPercent: 12.34, maxPriceShareOfOrder: 40 });
    expect(settings.placements.cart.enabled).toBe(false);
    expect(readShopSettings({ postPurchase: { discountPercent: 15.5 } }).postPurchase.discountPercent).toBe(15.5);
  });

  it("reads a share of the order saved above 100% (once taken, up to 1000%) as 100%, the most a share can be, keeping the rest", () => {
    const settings = readShopSettings({ postPurchase: { discountPercent: 15, maxPriceShareOfOrder: 1000 } });
    expect(settings.postPurchase).toEqual({ discountPercent: 15, maxPriceShareOfOrder: 100 });
    expect(readShopSettings({ postPurchase: { maxPriceShareOfOrder: 100 } }).postPurchase.maxPriceShareOfOrder).toBe(100);
    expect(shopSettingsSchema.safeParse({ postPurchase: { maxPriceShareOfOrder: 101 } }).success).toBe(false);
  });

  it("has no recommendations price range by default, and takes either end alone", () => {
    expect(DEFAULT_SHOP_SETTINGS.recommendations.priceRange).toEqual({ min: null, max: null });
    const range = (priceRange: unknown) => shopSettingsSchema.safeParse({ recommendations: { priceRange } });
    expect(range({ min: 500 }).data?.recommendations.priceRange).toEqual({ min: 500, max: null });
    expect(range({ max: 2500 }).data?.recommendations.priceRange).toEqual({ min: null, max: 2500 });
    // Inclusive: one price exactly is a valid range, and so is "free items only".
    expect(range({ min: 1000, max: 1000 }).success).toBe(true);
    expect(range({ min: 0, max: 0 }).success).toBe(true);
  });

  it("refuses a negative or fractional price bound, and a highest price below the lowest, at the field concerned", () => {
    const issues = (priceRange: unknown) =>
      shopSettingsSchema.safeParse({ recommendations: { priceRange } }).error?.issues.map((issue) => [issue.path.join("."), issue.message]);
    expect(issues({ min: -1 })).toEqual([["recommendations.priceRange.min", "A price cannot be negative."]]);
    expect(issues({ max: 12.5 })).toEqual([["recommendations.priceRange.max", "Use a whole number of the currency's minor unit."]]);
    expect(issues({ min: 2000, max: 1999 })).toEqual([["recommendations.priceRange.max", "The highest price must be at least the lowest price."]]);
  });

  it("reads a stored price range whose highest end is below its lowest as having no highest end", () => {
    const settings = readShopSettings({ recommendations: { maxPerProductType: 3, priceRange: { min: 2000, max: 1000 } } });
    expect(settings.recommendations.priceRange).toEqual({ min: 2000, max: null });
    expect(settings.recommendations.maxPerProductType).toBe(3);
  });

  it("explains an invalid colour in words a merchant understands", () => {
    const result = shopSettingsSchema.safeParse({ appearance: { accentColour: "blue" } });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/#1a73e8/);
    expect(result.error?.issues[0]?.path).toEqual(["appearance", "accentColour"]);
  });
});
