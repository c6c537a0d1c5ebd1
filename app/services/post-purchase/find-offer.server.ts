import {
  selectPostPurchaseOffer,
  type OfferCandidate,
  type PricedPostPurchaseOffer,
  type Purchase,
  type Surface,
} from "~/core/post-purchase";
import type { Money } from "~/core/money";
import db from "~/db.server";
import { isVariantAvailable } from "~/models/catalog.server";
import { getShopSettings } from "~/models/shop-settings.server";
import { getServingModel, recommend, recommendationCandidates, type ServedRecommendation } from "~/services/recommendations.server";

/**
 * The one offer for a purchase: the ranking engine's post-purchase picks for the purchased
 * products, re-checked against live inventory, filtered by the merchant's post-purchase rules and
 * priced by the offers engine. The order need not be in Upshelf's database yet (the post-purchase
 * page shows before the orders/create webhook arrives): the purchase comes with the request.
 */
export const CANDIDATE_POOL = 12;

export interface FoundOffer {
  offer: PricedPostPurchaseOffer;
  heading: string;
  modelVersion: string;
  /**
   * Whether a Thompson draw made now chose the offer. False when it was checked rather than drawn
   * (the product the checkout was already shown, or the variant the buyer accepted): what is
   * logged for it must not describe a draw that did not happen.
   */
  drawn: boolean;
}

/**
 * Candidates' stock and price right now, from the catalog: the serving model's copy can be older
 * than the last sale or price change, and the buyer must read the price Shopify will charge.
 */
async function liveVariants(shopId: string, variantIds: string[]): Promise<Map<string, { available: boolean; price: Money }>> {
  if (variantIds.length === 0) return new Map();
  const variants = await db.variant.findMany({
    where: { shopId, shopifyId: { in: variantIds } },
    select: { shopifyId: true, priceAmount: true, currency: true, inventoryQuantity: true, inventoryPolicy: true, product: { select: { status: true } } },
  });
  return new Map(
    variants.map((v) => [
      v.shopifyId,
      {
        available: v.product.status === "active" && isVariantAvailable(v),
        price: { amount: v.priceAmount, currency: v.currency },
      },
    ]),
  );
}

/** The candidates' live stock and price, in the ranking's order (those the catalog no longer has are dropped). */
async function liveCandidates(shopId: string, picks: ServedRecommendation[]): Promise<OfferCandidate[]> {
  const live = await liveVariants(shopId, picks.map((pick) => pick.variantId));
  return picks.flatMap((pick) => {
    const variant = live.get(pick.variantId);
    if (!variant) return [];
    return [
      { productId: pick.productId, variantId: pick.variantId, handle: pick.handle, title: pick.title, image: pick.image, unitPrice: variant.price, available: variant.available },
    ];
  });
}

/**
 * The offer for a purchase.
 * - With `chosenVariantId` (the buyer accepted), that variant is checked against every candidate a
 *   draw could have offered and priced again, rather than drawn anew: a second draw of the Thompson
 *   sampler may put another candidate first. Nothing else is offered instead.
 * - With `shownProductId` (the product this checkout was already offered on this surface), that
 *   product is offered again, checked the same way, while it still qualifies: a reload or a second
 *   tab then shows the offer the first one shows, and the buyer's answer from either tab counts.
 *   Only when it no longer qualifies (sold out, unpublished, excluded, over the price share) is
 *   the offer drawn again.
 * - A draw whose picks all break the rules (each over the order's price share) falls back to the
 *   first candidate, in the static order, that keeps them: a draw picks from a wider pool than it
 *   returns, so a fitting product may be left out of one draw.
 */
export async function findPostPurchaseOffer(options: {
  shopId: string;
  surface: Surface;
  purchase: Purchase;
  now: Date;
  chosenVariantId?: string;
  shownProductId?: string | null;
}): Promise<FoundOffer | null> {
  const { shopId, surface, purchase, now, chosenVariantId, shownProductId } = options;
  const settings = await getShopSettings(shopId);
  const placement = settings.placements[surface];
  if (!placement.enabled || purchase.lines.length === 0) return null;

  const model = await getServingModel(shopId);
  const productIds = [...new Set(purchase.lines.map((line) => line.productId))];
  const context = { placement: "post_purchase" as const, productIds };
  const rules = {
    // The thank-you page can only link to a new checkout at the regular price: no discount is promised there.
    discountPercent: surface === "thank_you" ? 0 : settings.postPurchase.discountPercent,
    maxPriceShareOfOrder: settings.postPurchase.maxPriceShareOfOrder,
  };
  const offerAmong = async (picks: ServedRecommendation[], drawn: boolean): Promise<FoundOffer | null> => {
    const offer = selectPostPurchaseOffer({ candidates: await liveCandidates(shopId, picks), purchase, rules, now });
    return offer ? { offer, heading: placement.heading, modelVersion: model.snapshot.version, drawn } : null;
  };
  // Every product a draw could offer, in the static order: what a choice made earlier is checked against.
  const undrawn = (matches: (pick: ServedRecommendation) => boolean) =>
    recommendationCandidates(model, context, CANDIDATE_POOL).filter(matches);

  if (chosenVariantId !== undefined) return offerAmong(undrawn((pick) => pick.variantId === chosenVariantId), false);
  if (shownProductId) {
    const kept = await offerAmong(undrawn((pick) => pick.productId === shownProductId), false);
    if (kept) return kept;
  }
  const drawn = await offerAmong(recommend(model, context, CANDIDATE_POOL), true);
  if (drawn) return drawn;
  // Nothing the draw put forward fits (a small order, whose price share rules out its picks): the
  // first candidate in the static order that does, rather than no offer at all.
  return offerAmong(undrawn(() => true), false);
}
