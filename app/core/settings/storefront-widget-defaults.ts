import { DEFAULT_SHOP_SETTINGS, type ShopSettings } from "./shop-settings";

/**
 * What the Settings page decides for the theme's widgets, as the theme app extension reads it (an
 * app-data metafield, `app.metafields.upshelf.widgets.value`). A block's own setting in the theme
 * editor still wins; these fill in what the block leaves empty.
 *
 * A heading is sent only when the merchant changed it from Upshelf's default: the default stays the
 * extension's translated text, so a French storefront keeps its French heading.
 */
export interface StorefrontWidgetDefaults {
  readonly headings: { readonly pdp?: string; readonly cart?: string };
  /** "#1a73e8"; absent: the theme's own colours. */
  readonly accent?: string;
  /** False hides compare-at prices in every widget, whatever the blocks say. */
  readonly compare_at: boolean;
}

export function storefrontWidgetDefaults(settings: ShopSettings): StorefrontWidgetDefaults {
  const headings: { pdp?: string; cart?: string } = {};
  for (const key of ["pdp", "cart"] as const) {
    const heading = settings.placements[key].heading;
    if (heading !== DEFAULT_SHOP_SETTINGS.placements[key].heading) headings[key] = heading;
  }
  return {
    headings,
    ...(settings.appearance.accentColour ? { accent: settings.appearance.accentColour } : {}),
    compare_at: settings.appearance.showCompareAtPrice,
  };
}
