import { describe, expect, it } from "vitest";
import { DEFAULT_SHOP_SETTINGS, shopSettingsSchema } from "./shop-settings";
import { storefrontWidgetDefaults } from "./storefront-widget-defaults";

describe("storefrontWidgetDefaults", () => {
  it("sends nothing of the defaults but compare-at prices, so the extension's translated headings stay", () => {
    expect(storefrontWidgetDefaults(DEFAULT_SHOP_SETTINGS)).toEqual({ headings: {}, compare_at: true });
  });

  it("sends the headings the merchant changed, the accent colour, and compare-at prices turned off", () => {
    const settings = shopSettingsSchema.parse({
      placements: { cart: { heading: "Complete the set" }, thank_you: { heading: "Before you go" } },
      appearance: { accentColour: "#0a7c42", showCompareAtPrice: false },
    });
    expect(storefrontWidgetDefaults(settings)).toEqual({ headings: { cart: "Complete the set" }, accent: "#0a7c42", compare_at: false });
  });
});
