import type { PlacementKey } from "./shop-settings";

/**
 * The theme blocks that show recommendations, with the number of items each shows unless the
 * merchant changes it in the theme editor (its schema's `items` default, in
 * extensions/upshelf-widgets/blocks). A block asks for its own number and the app serves at most
 * the placement's limit, so a buyer sees the fewer of the two: the admin says so with these
 * figures, and its default limits are the largest of them, so a new shop's admin and storefront agree.
 * `block-items.test.ts` in the extension holds the schemas to these numbers.
 */
export interface ThemeBlockItems {
  readonly placement: Extract<PlacementKey, "pdp" | "cart">;
  /** Where the buyer sees it, as the admin names it. */
  readonly where: string;
  /** The block's file in extensions/upshelf-widgets/blocks. */
  readonly file: string;
  readonly defaultItems: number;
}

export const THEME_BLOCK_ITEMS: readonly ThemeBlockItems[] = [
  { placement: "pdp", where: "product page", file: "frequently-bought-together.liquid", defaultItems: 2 },
  { placement: "cart", where: "cart page", file: "cart-upsell.liquid", defaultItems: 3 },
  { placement: "cart", where: "cart drawer", file: "upshelf-embed.liquid", defaultItems: 2 },
];

/** The blocks of one placement (none for the post-purchase and thank-you offers, which are not theme blocks). */
export function themeBlocksOf(placement: PlacementKey): readonly ThemeBlockItems[] {
  return THEME_BLOCK_ITEMS.filter((block) => block.placement === placement);
}

/**
 * "by default the cart page's block shows 3 and the cart drawer's 2", or null for a placement
 * without theme blocks.
 */
export function themeBlockDefaultsText(placement: PlacementKey): string | null {
  const blocks = themeBlocksOf(placement);
  if (blocks.length === 0) return null;
  const parts = blocks.map((block, index) => (index === 0 ? `the ${block.where}'s block shows ${block.defaultItems}` : `the ${block.where}'s ${block.defaultItems}`));
  const listed = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;
  return `by default ${listed}`;
}
