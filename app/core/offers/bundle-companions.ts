import { isOfferLive } from "./schedule";
import { productOfRef, type ProductOfVariant } from "./shopify-product-ids";
import type { Offer } from "./types";

/**
 * For each product in a fixed bundle, the bundle's other products: what "frequently bought
 * together" shows first on that product's page (and the cart upsell for a cart holding it), so a
 * bundle the merchant set up is offered where the buyer can complete it. The widget then prices
 * the selection with the cart, and states the bundle's saving only when checkout gives it.
 *
 * Only bundles live at `now` count (the rules are re-read every minute or so and at schedule
 * boundaries); higher priority first, then the bundle's own item order. Ids are
 * Shopify's numeric product ids, as the ranking snapshot keys products. Mix and match and buy X
 * get Y are left out: their items are a choice from a list, not a set to complete.
 */
export function bundleCompanions(
  offers: readonly Offer[],
  options: { readonly now: number; readonly productOfVariant: ProductOfVariant },
): Record<string, string[]> {
  const companions = new Map<string, string[]>();
  const ordered = [...offers].sort((a, b) => b.priority - a.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const offer of ordered) {
    if (offer.type !== "fixedBundle") continue;
    if (!isOfferLive(offer, options.now)) continue;
    const products = [...new Set(offer.items.map((item) => productOfRef(item.ref, options.productOfVariant)))].filter(
      (id): id is string => id !== null,
    );
    for (const product of products) {
      const list = companions.get(product) ?? [];
      for (const other of products) if (other !== product && !list.includes(other)) list.push(other);
      companions.set(product, list);
    }
  }
  return Object.fromEntries([...companions].filter(([, list]) => list.length > 0));
}
