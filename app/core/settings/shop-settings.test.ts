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

  it("explains an invalid colour in words a merchant understands", () => {
    const result = shopSettingsSchema.safeParse({ appearance: { accentColour: "blue" } });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/#1a73e8/);
    expect(result.error?.issues[0]?.path).toEqual(["appearance", "accentColour"]);
  });
});
