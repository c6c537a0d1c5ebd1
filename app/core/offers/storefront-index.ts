import { isOfferLive } from "./schedule";
import type { ItemRef, Offer } from "./types";

/**
 * Which products have a quantity-breaks table or an upgrade to show. The theme app extension reads
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
}

export interface StorefrontIndexOptions {
  /** Offers live at this time, or scheduled to start after it, are listed. */
  readonly now: number;
  /** The product (GID or numeric id) a variant GID belongs to; undefined for an unknown variant. */
  readonly productOfVariant: (variantGid: string) => string | undefined;
}

const PRODUCT_GID = "gid://shopify/Product/";

/** Numeric product id, or null for an id Liquid's `product.id` can never equal. */
function numericProductId(id: string | undefined): string | null {
  if (id === undefined) return null;
  const tail = id.startsWith(PRODUCT_GID) ? id.slice(PRODUCT_GID.length) : id;
  return /^\d+$/.test(tail) ? tail : null;
}

function productOfRef(ref: ItemRef, options: StorefrontIndexOptions): string | null {
  return "productId" in ref ? numericProductId(ref.productId) : numericProductId(options.productOfVariant(ref.variantId));
}

/** Numeric order (shorter first), so the stored JSON reads naturally and is stable between syncs. */
function sortedIds(ids: Set<string>): string[] {
  return [...ids].sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
}

export function storefrontOfferIndex(offers: readonly Offer[], options: StorefrontIndexOptions): StorefrontOfferIndex {
  const quantityBreaks = new Set<string>();
  const upgrades = new Set<string>();
  const add = (set: Set<string>, id: string | null) => {
    if (id !== null) set.add(id);
  };
  for (const offer of offers) {
    // An offer scheduled to start later is listed already: the index is only rewritten when offers
    // change, and a block shown a little early is the old empty box, while one left out would stay
    // hidden after the offer starts.
    if (!isOfferLive(offer, Math.max(options.now, offer.schedule.startsAt ?? options.now))) continue;
    if (offer.type === "quantityBreaks") {
      for (const productId of offer.eligible.productIds ?? []) add(quantityBreaks, numericProductId(productId));
      for (const variantId of offer.eligible.variantIds ?? []) add(quantityBreaks, productOfRef({ variantId }, options));
    } else if (offer.type === "upgradeLadder") {
      // The top step has nothing to upgrade to.
      for (const step of offer.steps.slice(0, -1)) add(upgrades, productOfRef(step.ref, options));
    }
  }
  return { quantity_breaks: sortedIds(quantityBreaks), upgrades: sortedIds(upgrades) };
}
