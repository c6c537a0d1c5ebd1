import {
  selectPostPurchaseOffer,
  type OfferCandidate,
  type PricedPostPurchaseOffer,
  type Purchase,
  type Surface,
} from "~/core/post-purchase";
import db from "~/db.server";
import { getShopSettings } from "~/models/shop-settings.server";
import { getServingModel, recommend } from "~/services/recommendations.server";

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

/** Candidates' stock right now: the serving model's copy can be older than the last sale. */
async function availableVariants(shopId: string, variantIds: string[]): Promise<Set<string>> {
  if (variantIds.length === 0) return new Set();
  const variants = await db.variant.findMany({
    where: { shopId, shopifyId: { in: variantIds } },
    select: { shopifyId: true, inventoryQuantity: true, inventoryPolicy: true, product: { select: { status: true } } },
  });
  return new Set(
    variants
      .filter((v) => v.product.status === "active")
      .filter((v) => v.inventoryQuantity === null || v.inventoryQuantity > 0 || v.inventoryPolicy === "continue")
      .map((v) => v.shopifyId),
  );
}

export async function findPostPurchaseOffer(options: {
  shopId: string;
  surface: Surface;
  purchase: Purchase;
  now: Date;
}): Promise<FoundOffer | null> {
  const { shopId, surface, purchase, now } = options;
  const settings = await getShopSettings(shopId);
  const placement = settings.placements[surface];
  if (!placement.enabled || purchase.lines.length === 0) return null;

  const model = await getServingModel(shopId);
  const productIds = [...new Set(purchase.lines.map((line) => line.productId))];
  const picks = recommend(model, { placement: "post_purchase", productIds }, CANDIDATE_POOL);
  const inStock = await availableVariants(shopId, picks.map((pick) => pick.variantId));
  const candidates: OfferCandidate[] = picks.map((pick) => ({
    productId: pick.productId,
    variantId: pick.variantId,
    handle: pick.handle,
    title: pick.title,
    image: pick.image,
    unitPrice: pick.price,
    available: inStock.has(pick.variantId),
  }));
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
