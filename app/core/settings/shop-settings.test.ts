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

  it("explains an invalid colour in words a merchant understands", () => {
    const result = shopSettingsSchema.safeParse({ appearance: { accentColour: "blue" } });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/#1a73e8/);
    expect(result.error?.issues[0]?.path).toEqual(["appearance", "accentColour"]);
  });
});
