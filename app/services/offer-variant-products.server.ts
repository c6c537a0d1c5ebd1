import type { Offer } from "~/core/offers";
import type { ProductOfVariant } from "~/core/offers/shopify-product-ids";
import { mapVariantsToProducts } from "~/models/catalog.server";

const VARIANT_GID = "gid://shopify/ProductVariant/";

/** Every variant GID an offer names: bundle items, eligible variants, ladder steps. */
function variantGidsOf(offer: Offer): readonly string[] {
  switch (offer.type) {
    case "fixedBundle":
      return offer.items.flatMap((item) => ("variantId" in item.ref ? [item.ref.variantId] : []));
    case "quantityBreaks":
    case "mixAndMatch":
      return offer.eligible.variantIds ?? [];
    case "upgradeLadder":
      return offer.steps.flatMap((step) => ("variantId" in step.ref ? [step.ref.variantId] : []));
    default:
      return [];
  }
}

/**
 * The product each variant the offers name belongs to, read from the shop's catalog in one query:
 * what the storefront index and the recommendations' bundle companions list products by.
 */
export async function productsOfOfferVariants(shopId: string, offers: readonly Offer[]): Promise<ProductOfVariant> {
  const numericIds = new Set<string>();
  for (const offer of offers) {
    for (const gid of variantGidsOf(offer)) if (gid.startsWith(VARIANT_GID)) numericIds.add(gid.slice(VARIANT_GID.length));
  }
  const products = numericIds.size > 0 ? await mapVariantsToProducts(shopId, [...numericIds]) : new Map<string, string>();
  return (gid) => (gid.startsWith(VARIANT_GID) ? products.get(gid.slice(VARIANT_GID.length)) : undefined);
}
