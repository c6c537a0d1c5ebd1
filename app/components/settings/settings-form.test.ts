import { describe, expect, it } from "vitest";
import { DEFAULT_SHOP_SETTINGS } from "~/core/settings";
import { ALGORITHM_FIELDS, APPEARANCE_FIELDS, PLACEMENT_LIMIT_FIELDS, PLACEMENT_TEXT_FIELDS, readSettingsForm, settingsToFormValues } from "./settings-form";

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
    expect(result.settings.appearance).toEqual({ accentColour: "#112233", showCompareAtPrice: false, currencyDisplay: "symbol" });
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
});
