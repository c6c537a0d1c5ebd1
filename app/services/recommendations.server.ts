import {
  buildSnapshotFromOrders,
  deserializeSnapshot,
  describeReason,
  recommendForCart,
  recommendForOrder,
  recommendForProduct,
  serializeSnapshot,
  type MerchantRules,
  type RankingSnapshot,
  type Recommendation,
  type RecommendationReason,
} from "~/core/ranking";
import { listProductCards, type ProductCard } from "~/models/catalog.server";
import { listOrderHistory } from "~/models/order-history.server";
import { findLatestRankingSnapshot, loadRecommendationRules, saveRankingSnapshot } from "~/models/ranking-snapshot.server";

/**
 * Serving recommendations for a shop from memory. A shop's model is its ranking snapshot plus the
 * product cards widgets display; both are replaced together in one assignment, so a request sees
 * either the old model or the new one, never half of each. Rebuilds happen after imports and
 * backfills, and the newest snapshot is persisted so a restart serves at once.
 */
export interface ServingModel {
  snapshot: RankingSnapshot;
  cards: Map<string, ProductCard>;
  variantToProduct: Map<string, string>;
  rules: MerchantRules;
}

const models = new Map<string, ServingModel>();
const loading = new Map<string, Promise<ServingModel>>();

function indexCards(cards: ProductCard[]) {
  return {
    cards: new Map(cards.map((card) => [card.productId, card])),
    variantToProduct: new Map(cards.map((card) => [card.variantId, card.productId])),
  };
}

async function merchantRules(shopId: string): Promise<MerchantRules> {
  const rows = await loadRecommendationRules(shopId);
  const collect = (kind: string) => {
    const global: string[] = [];
    const byProduct: Record<string, string[]> = {};
    for (const row of rows.filter((rule) => rule.kind === kind)) {
      if (row.anchorProductId === "") global.push(row.productId);
      else (byProduct[row.anchorProductId] ??= []).push(row.productId);
    }
    return { global, byProduct };
  };
  return { pins: collect("pin"), exclusions: collect("exclude"), maxPerProductType: 2 };
}

/** Builds a fresh model from the shop's orders and catalog, persists it and starts serving it. */
export async function rebuildRecommendations(shopId: string, now: Date = new Date()): Promise<ServingModel> {
  const [cards, history, rules] = await Promise.all([listProductCards(shopId), listOrderHistory(shopId), merchantRules(shopId)]);
  const snapshot = buildSnapshotFromOrders({
    now: now.getTime(),
    catalog: cards.map((card) => ({
      id: card.productId,
      title: card.title,
      description: card.description,
      productType: card.productType || undefined,
      vendor: card.vendor || undefined,
      tags: card.tags,
      price: card.price,
      available: card.available,
      published: card.published,
    })),
    orders: history.map((order) => ({
      id: order.id,
      createdAt: order.placedAt.getTime(),
      cancelled: order.cancelled,
      lines: order.lines,
    })),
  });
  await saveRankingSnapshot(shopId, {
    version: snapshot.version,
    builtAt: now,
    orderCount: snapshot.orderCount,
    productCount: snapshot.productIds.length,
    data: serializeSnapshot(snapshot),
  });
  const model: ServingModel = { snapshot, rules, ...indexCards(cards) };
  models.set(shopId, model);
  return model;
}

/** The model serving this shop: in memory, else the last persisted one, else built now. */
export function getServingModel(shopId: string): Promise<ServingModel> {
  const ready = models.get(shopId);
  if (ready) return Promise.resolve(ready);
  let pending = loading.get(shopId);
  if (!pending) {
    pending = (async () => {
      const saved = await findLatestRankingSnapshot(shopId);
      if (!saved) return rebuildRecommendations(shopId);
      const [cards, rules] = await Promise.all([listProductCards(shopId), merchantRules(shopId)]);
      const model: ServingModel = { snapshot: deserializeSnapshot(saved.data), rules, ...indexCards(cards) };
      models.set(shopId, model);
      return model;
    })().finally(() => loading.delete(shopId));
    loading.set(shopId, pending);
  }
  return pending;
}

/** Drops a shop's model from memory (uninstall, shop/redact, rules changed). */
export function forgetServingModel(shopId: string): void {
  models.delete(shopId);
}

export type RecommendationContext =
  | { placement: "pdp"; productId: string }
  | { placement: "cart" | "post_purchase"; productIds: string[] };

export interface ServedRecommendation {
  productId: string;
  variantId: string;
  handle: string;
  title: string;
  price: { amount: number; currency: string };
  compareAtPrice: { amount: number; currency: string } | null;
  image: string | null;
  score: number;
  reason: RecommendationReason;
  reasonText: string;
}

export function recommend(model: ServingModel, context: RecommendationContext, limit: number): ServedRecommendation[] {
  const options = {
    limit,
    rules: model.rules,
    isAvailable: (productId: string) => model.cards.get(productId)?.available ?? false,
  };
  let picks: Recommendation[];
  if (context.placement === "pdp") picks = recommendForProduct(model.snapshot, context.productId, options);
  else if (context.placement === "cart") picks = recommendForCart(model.snapshot, context.productIds, options);
  else picks = recommendForOrder(model.snapshot, context.productIds, options);

  const served: ServedRecommendation[] = [];
  for (const pick of picks) {
    const card = model.cards.get(pick.productId);
    if (!card) continue;
    served.push({
      productId: card.productId,
      variantId: card.variantId,
      handle: card.handle,
      title: card.title,
      price: { amount: card.price, currency: card.currency },
      compareAtPrice: card.compareAtPrice !== null ? { amount: card.compareAtPrice, currency: card.currency } : null,
      image: card.imageUrl,
      score: Math.round(pick.score * 1e6) / 1e6,
      reason: pick.reason,
      reasonText: describeReason(pick.reason),
    });
  }
  return served;
}
