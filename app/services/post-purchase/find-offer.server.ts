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
import { getServingModel, recommend, recommendationCandidates } from "~/services/recommendations.server";

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

/**
 * The offer for a purchase. With `chosenVariantId` (the buyer accepted), that variant is checked
 * against every candidate a draw could have offered and priced again, rather than drawn anew: a
 * second draw of the Thompson sampler may put another candidate first.
 */
export async function findPostPurchaseOffer(options: {
  shopId: string;
  surface: Surface;
  purchase: Purchase;
  now: Date;
  chosenVariantId?: string;
}): Promise<FoundOffer | null> {
  const { shopId, surface, purchase, now, chosenVariantId } = options;
  const settings = await getShopSettings(shopId);
  const placement = settings.placements[surface];
  if (!placement.enabled || purchase.lines.length === 0) return null;

  const model = await getServingModel(shopId);
  const productIds = [...new Set(purchase.lines.map((line) => line.productId))];
  const context = { placement: "post_purchase" as const, productIds };
  const picks =
    chosenVariantId === undefined
      ? recommend(model, context, CANDIDATE_POOL)
      : recommendationCandidates(model, context, CANDIDATE_POOL).filter((pick) => pick.variantId === chosenVariantId);
  const live = await liveVariants(shopId, picks.map((pick) => pick.variantId));
  const candidates: OfferCandidate[] = picks.flatMap((pick) => {
    const variant = live.get(pick.variantId);
    if (!variant) return [];
    return [
      { productId: pick.productId, variantId: pick.variantId, handle: pick.handle, title: pick.title, image: pick.image, unitPrice: variant.price, available: variant.available },
    ];
  });
  const offer = selectPostPurchaseOffer({
    candidates,
    purchase,
    rules: {
      // The thank-you page can only link to a new checkout at the regular price: no discount is promised there.
      discountPercent: surface === "thank_you" ? 0 : settings.postPurchase.discountPercent,
      maxPriceShareOfOrder: settings.postPurchase.maxPriceShareOfOrder,
    },
    now,
  });
  return offer ? { offer, heading: placement.heading, modelVersion: model.snapshot.version } : null;
}
