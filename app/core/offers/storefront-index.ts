import { isOfferLive } from "./schedule";
import { numericProductId, productOfRef, type ProductOfVariant } from "./shopify-product-ids";
import type { ItemSelector, Offer } from "./types";

/**
 * Which products have a quantity-breaks table, an upgrade or deals to show. The theme app extension reads
 * this (as an app-data metafield) so the blocks that reserve their height to avoid layout shift
 * render nothing at all on products without such an offer, instead of an empty box.
 *
 * Ids are Shopify's numeric product ids as strings, because Liquid compares them with
 * `product.id | append: ''`. Collections are left out: the block would need the product's
 * collections, and the widget still finds those offers through the app proxy when the block shows.
 */
export interface StorefrontOfferIndex {
  readonly quantity_breaks: string[];
  readonly upgrades: string[];
  /**
   * Products whose quantity-breaks table has more rows than the block reserves by default
   * (QUANTITY_BREAK_ROWS_RESERVED), with their most tiers: the block reserves that many, so the
   * table fills its space without pushing the page down. Left out when there are none.
   */
  readonly quantity_break_rows?: Record<string, number>;
  /**
   * Products a buy X get Y or mix-and-match offer covers (the deals block). Always written, so the
   * block can tell an index from before deals (no key: it renders, as without an index) from a
   * product without deals.
   */
  readonly deals: string[];
  /** Products with more such offers than the deals block reserves rows for by default (one), with their number. */
  readonly deal_rows?: Record<string, number>;
}

/** Tier rows the quantity-breaks block reserves when the index names no other number. */
const QUANTITY_BREAK_ROWS_RESERVED = 3;
/** Deal rows the deals block reserves when the index names no other number. */
const DEAL_ROWS_RESERVED = 1;

export interface StorefrontIndexOptions {
  /** Offers live at this time, or scheduled to start after it, are listed. */
  readonly now: number;
  /** The product (GID or numeric id) a variant GID belongs to; undefined for an unknown variant. */
  readonly productOfVariant: ProductOfVariant;
}

/** Numeric order (shorter first), so the stored JSON reads naturally and is stable between syncs. */
function sortedIds(ids: Set<string>): string[] {
  return [...ids].sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
}

export function storefrontOfferIndex(offers: readonly Offer[], options: StorefrontIndexOptions): StorefrontOfferIndex {
  const quantityBreaks = new Set<string>();
  const upgrades = new Set<string>();
  const rows = new Map<string, number>();
  const dealCounts = new Map<string, number>();
  const add = (set: Set<string>, id: string | null) => {
    if (id !== null) set.add(id);
  };
  for (const offer of offers) {
    // An offer scheduled to start later is listed already: the index is only rewritten when offers
    // change, and a block shown a little early is the old empty box, while one left out would stay
    // hidden after the offer starts.
    if (!isOfferLive(offer, Math.max(options.now, offer.schedule.startsAt ?? options.now))) continue;
    if (offer.type === "quantityBreaks") {
      for (const productId of productsOfSelector(offer.eligible, options.productOfVariant)) {
        add(quantityBreaks, productId);
        if (productId !== null && offer.tiers.length > Math.max(QUANTITY_BREAK_ROWS_RESERVED, rows.get(productId) ?? 0)) rows.set(productId, offer.tiers.length);
      }
    } else if (offer.type === "upgradeLadder") {
      // The top step has nothing to upgrade to.
      for (const step of offer.steps.slice(0, -1)) add(upgrades, productOfRef(step.ref, options.productOfVariant));
    } else if (offer.type === "buyXGetY" || offer.type === "mixAndMatch") {
      // A product on either side of buy X get Y shows the deal: the free item's page names it too.
      const selectors = offer.type === "buyXGetY" ? [offer.buy.items, offer.get.items] : [offer.eligible];
      const products = new Set<string>();
      for (const selector of selectors) for (const productId of productsOfSelector(selector, options.productOfVariant)) add(products, productId);
      for (const productId of products) dealCounts.set(productId, (dealCounts.get(productId) ?? 0) + 1);
    }
  }
  const rowsOf = (counts: Map<string, number>) => Object.fromEntries(sortedIds(new Set(counts.keys())).map((id) => [id, counts.get(id) as number]));
  const dealRows = new Map([...dealCounts].filter(([, count]) => count > DEAL_ROWS_RESERVED));
  return {
    quantity_breaks: sortedIds(quantityBreaks),
    upgrades: sortedIds(upgrades),
    ...(rows.size > 0 ? { quantity_break_rows: rowsOf(rows) } : {}),
    deals: sortedIds(new Set(dealCounts.keys())),
    ...(dealRows.size > 0 ? { deal_rows: rowsOf(dealRows) } : {}),
  };
}

/** The numeric product ids a selector names, directly or through its variants (collections cannot be listed). */
function productsOfSelector(selector: ItemSelector, productOfVariant: ProductOfVariant): (string | null)[] {
  return [
    ...(selector.productIds ?? []).map((productId) => numericProductId(productId)),
    ...(selector.variantIds ?? []).map((variantId) => productOfRef({ variantId }, productOfVariant)),
  ];
}
