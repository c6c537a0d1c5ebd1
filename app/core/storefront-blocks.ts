/**
 * The theme app extension's blocks as the admin presents them to a merchant, and the theme editor
 * links that place them. Shopify documents two deep links into the theme editor of the shop's live
 * theme: one adds an app block to a template's main section (`addAppBlockId`), the other opens the
 * app embeds with ours switched on (`activateAppId`). Both name the block as
 * `<the app's API key>/<the block's file name>`. Nothing is placed until the merchant saves there.
 */

import type { PlacementKey } from "./settings/shop-settings";

export type StorefrontBlockHandle = "frequently-bought-together" | "upgrade" | "quantity-breaks" | "deals" | "cart-upsell" | "upshelf-embed";

export interface StorefrontBlock {
  /** The block's Liquid file name in extensions/upshelf-widgets/blocks, without `.liquid`. */
  readonly handle: StorefrontBlockHandle;
  /** As the theme editor names it (the extension's English schema locale). */
  readonly name: string;
  /** The theme template the link opens: where the block goes. */
  readonly template: "product" | "cart";
  /** An app block goes in a section; the app embed is switched on once for every page. */
  readonly kind: "block" | "embed";
  /**
   * Where the link puts an app block: the template's main section (a product page's, which themes
   * open to app blocks), or a new Apps section (the cart, whose main sections often take none, as in Dawn).
   */
  readonly target: "mainSection" | "newAppsSection";
  /** What buyers see, in a sentence for the merchant. */
  readonly shows: string;
  /**
   * For a block that shows recommendations: its placement, where the buyer sees it (as the admin
   * names it), and its "Number of items" as it ships (the schema's `items` default). The block asks
   * for its own number and the app serves at most the placement's limit, so a buyer sees the fewer.
   */
  readonly recommends?: { readonly placement: "pdp" | "cart"; readonly where: string; readonly defaultItems: number };
}

export const STOREFRONT_BLOCKS: readonly StorefrontBlock[] = [
  {
    handle: "frequently-bought-together",
    name: "Often bought together",
    template: "product",
    kind: "block",
    target: "mainSection",
    shows: "Items bought with the product, ranked from your orders, with one button to add the ones the buyer ticks.",
    recommends: { placement: "pdp", where: "product page", defaultItems: 2 },
  },
  { handle: "upgrade", name: "Upgrade offer", template: "product", kind: "block", target: "mainSection", shows: "The next step up an upgrade ladder and exactly what it costs more." },
  { handle: "quantity-breaks", name: "Quantity breaks", template: "product", kind: "block", target: "mainSection", shows: "A tier table of your quantity breaks: the price each at every tier." },
  { handle: "deals", name: "Deals: buy X get Y, any N", template: "product", kind: "block", target: "mainSection", shows: "Your buy X get Y and mix-and-match offers on the product, with their exact terms." },
  {
    handle: "cart-upsell",
    name: "Cart upsell",
    template: "cart",
    kind: "block",
    target: "newAppsSection",
    shows: "Items ranked for the whole cart, each one tap to add and one tap to remove.",
    recommends: { placement: "cart", where: "cart page", defaultItems: 3 },
  },
  {
    handle: "upshelf-embed",
    name: "Upshelf cart savings",
    template: "product",
    kind: "embed",
    target: "mainSection",
    shows: "A bar with how far the cart is from its next tier, and an upsell in the cart drawer.",
    recommends: { placement: "cart", where: "cart drawer", defaultItems: 2 },
  },
];

/**
 * What the placement's blocks show by default ("by default the cart page's block shows 3 and the
 * cart drawer's 2"), or null for a placement no theme block shows (the offers after checkout).
 */
export function blockItemsDefaultsText(placement: PlacementKey): string | null {
  const shown = STOREFRONT_BLOCKS.flatMap((block) => (block.recommends?.placement === placement ? [block.recommends] : []));
  if (shown.length === 0) return null;
  const parts = shown.map((block, index) => (index === 0 ? `the ${block.where}'s block shows ${block.defaultItems}` : `the ${block.where}'s ${block.defaultItems}`));
  return `by default ${parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`}`;
}

/** The most items the placement's blocks show by default: its limit's default, so a new shop's admin and storefront agree. */
export function blocksDefaultItems(placement: "pdp" | "cart"): number {
  return Math.max(...STOREFRONT_BLOCKS.flatMap((block) => (block.recommends?.placement === placement ? [block.recommends.defaultItems] : [])));
}

/** A bare host name: the shop's myshopify.com domain, or the custom shop domain an app may be set up with. */
const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+$/;

/** The theme editor link that places `block` on the shop's live theme (`shopDomain`: the session's shop). */
export function themeEditorLink(shopDomain: string, apiKey: string, block: StorefrontBlock): string {
  // Anything but a host name (a path, a query, a port) would make the link go somewhere else.
  if (!SHOP_DOMAIN.test(shopDomain)) throw new Error(`"${shopDomain}" is not a shop domain.`);
  if (!/^[\w-]+$/.test(apiKey)) throw new Error("The app's API key is missing or malformed.");
  const query = new URLSearchParams(
    block.kind === "embed"
      ? { context: "apps", template: block.template, activateAppId: `${apiKey}/${block.handle}` }
      : { template: block.template, addAppBlockId: `${apiKey}/${block.handle}`, target: block.target },
  );
  return `https://${shopDomain}/admin/themes/current/editor?${query}`;
}

/** Where the demo shop's local storefront shows the block (demo mode has no theme editor). */
export function demoStorefrontLink(block: StorefrontBlock): string {
  return block.template === "cart" ? "/preview/cart" : "/preview";
}
