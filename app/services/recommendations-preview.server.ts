/**
 * What each widget would show for a product or a cart, computed exactly as the storefront does:
 * the shop's serving model and `recommend()`, with each placement's settings (on/off, heading,
 * number of items); after checkout, the offer the post-purchase rules pick. Also the product
 * search behind the admin's product pickers.
 */
import { isCsvOnlyKey } from "~/core/catalog-keys";
import { PLACEMENT_KEYS, PLACEMENT_NAMES, type PlacementKey, type ShopSettings } from "~/core/settings";
import db from "~/db.server";
import type { Purchase, Surface } from "~/core/post-purchase";
import { findProductsMatching } from "~/models/product-search.server";
import { CANDIDATE_POOL, findPostPurchaseOffer } from "./post-purchase/find-offer.server";
import { getServingModel, recommend, recommendationCandidates, type ServedRecommendation, type ServingModel } from "./recommendations.server";

/** Which anchors each placement uses: the product page shows one product; the others a basket. */
const CONTEXT_OF: Record<PlacementKey, "product" | "cart" | "order"> = {
  pdp: "product",
  cart: "cart",
  post_purchase: "order",
  thank_you: "order",
};

export interface WidgetPreview {
  placement: PlacementKey;
  name: string;
  enabled: boolean;
  heading: string;
  limit: number;
  context: "product" | "cart" | "order";
  items: ServedRecommendation[];
}

export interface PreviewProduct {
  productId: string;
  title: string;
}

export interface RecommendationsPreview {
  modelVersion: string;
  /** When the serving model was built (ISO): new orders reach it between rebuilds, the rest of a change (an import) only at the next. */
  modelBuiltAt: string;
  modelOrderCount: number;
  learnsFromFeedback: boolean;
  anchors: PreviewProduct[];
  /** Ids asked for that the model does not know (not in this shop, or added since the last build). */
  unknown: string[];
  widgets: WidgetPreview[];
}

export const MAX_PREVIEW_PRODUCTS = 20;

export async function previewRecommendations(shopId: string, productIds: string[], settings: ShopSettings): Promise<RecommendationsPreview> {
  const model = await getServingModel(shopId);
  const wanted = [...new Set(productIds)].slice(0, MAX_PREVIEW_PRODUCTS);
  const anchors = wanted.flatMap((id) => {
    const card = model.cards.get(id);
    return card ? [{ productId: id, title: card.title }] : [];
  });
  const known = anchors.map((anchor) => anchor.productId);
  const first = known[0];
  const now = new Date();
  const widgets = await Promise.all(
    PLACEMENT_KEYS.map(async (placement): Promise<WidgetPreview> => {
      const { enabled, heading, limit } = settings.placements[placement];
      const contextKind = CONTEXT_OF[placement];
      let items: ServedRecommendation[] = [];
      if (contextKind === "product") items = first ? recommend(model, { placement: "pdp", productId: first }, limit) : [];
      else if (contextKind === "cart") items = known.length > 0 ? recommend(model, { placement: "cart", productIds: known }, limit) : [];
      else if (known.length > 0) items = await afterCheckoutOffer(shopId, placement === "thank_you" ? "thank_you" : "post_purchase", model, known, now);
      return { placement, name: PLACEMENT_NAMES[placement], enabled, heading, limit, context: contextKind, items };
    }),
  );
  return {
    modelVersion: model.snapshot.version,
    modelBuiltAt: new Date(model.snapshot.builtAt).toISOString(),
    modelOrderCount: model.snapshot.orderCount,
    learnsFromFeedback: model.settings.learnFromFeedback,
    anchors,
    unknown: wanted.filter((id) => !model.cards.has(id)),
    widgets,
  };
}

/**
 * After checkout a buyer sees the one offer the offer rules pick (in stock, at most the set share
 * of the order, at the set discount), not the top recommendation: the preview asks the same code,
 * for a purchase of one of each chosen product at its price. None when no candidate passes.
 */
async function afterCheckoutOffer(shopId: string, surface: Surface, model: ServingModel, productIds: string[], now: Date): Promise<ServedRecommendation[]> {
  const cards = productIds.flatMap((id) => model.cards.get(id) ?? []);
  const currencies = new Set(cards.map((card) => card.currency));
  const currency = cards[0]?.currency;
  const purchase: Purchase = {
    referenceId: "admin-preview",
    lines: cards.map((card) => ({ productId: card.productId, variantId: card.variantId, quantity: 1 })),
    subtotal: currency && currencies.size === 1 ? { amount: cards.reduce((sum, card) => sum + card.price, 0), currency } : null,
  };
  const found = await findPostPurchaseOffer({ shopId, surface, purchase, now });
  if (!found) return [];
  const { offer } = found;
  // Why it was a candidate: the same pick among every candidate a draw could have offered.
  const pick = recommendationCandidates(model, { placement: "post_purchase", productIds }, CANDIDATE_POOL).find((item) => item.productId === offer.productId);
  if (!pick) return [];
  return [
    {
      ...pick,
      variantId: offer.variantId,
      price: { amount: offer.price, currency: offer.currency },
      compareAtPrice: offer.saving > 0 ? { amount: offer.unitPrice, currency: offer.currency } : null,
    },
  ];
}

export interface ProductSearchResult {
  productId: string;
  title: string;
  handle: string;
  price: { amount: number; currency: string } | null;
  /** Known only from a products CSV: listed so the merchant sees why it cannot be chosen. */
  notInShopify: boolean;
}

/**
 * Products of the shop whose id is the query, or whose title (ignoring case) or handle contains
 * it, best first (findProductsMatching), each with its first variant's price.
 */
export async function searchProducts(shopId: string, query: string, limit = 20): Promise<ProductSearchResult[]> {
  const matches = await findProductsMatching(shopId, query, limit);
  if (matches.length === 0) return [];
  const variants = await db.variant.findMany({
    where: { shopId, productId: { in: matches.map((product) => product.id) } },
    select: { productId: true, priceAmount: true, currency: true },
    orderBy: { id: "asc" },
  });
  const priceOf = new Map<number, { amount: number; currency: string }>();
  for (const variant of variants) if (!priceOf.has(variant.productId)) priceOf.set(variant.productId, { amount: variant.priceAmount, currency: variant.currency });
  return matches.map((product) => ({
    productId: product.shopifyId,
    title: product.title,
    handle: product.handle,
    price: priceOf.get(product.id) ?? null,
    notInShopify: isCsvOnlyKey(product.shopifyId),
  }));
}
