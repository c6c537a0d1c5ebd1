/**
 * Merchant pins and exclusions (RecommendationRule rows), always read and written for one shop.
 * `anchorProductId` "" means the rule applies on every product's recommendations.
 */
import db from "~/db.server";

export const RULE_KINDS = ["pin", "exclude"] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

export interface RuleProduct {
  productId: string;
  title: string | null;
}

export interface RecommendationRuleView {
  id: number;
  kind: RuleKind;
  /** null: every product. */
  anchor: RuleProduct | null;
  product: RuleProduct;
  createdAt: Date;
}

export async function listRecommendationRules(shopId: string): Promise<RecommendationRuleView[]> {
  const rows = await db.recommendationRule.findMany({ where: { shopId }, orderBy: { id: "asc" } });
  const ids = [...new Set(rows.flatMap((row) => (row.anchorProductId ? [row.anchorProductId, row.productId] : [row.productId])))];
  const titles = await productTitles(shopId, ids);
  const describe = (productId: string): RuleProduct => ({ productId, title: titles.get(productId) ?? null });
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind as RuleKind,
    anchor: row.anchorProductId === "" ? null : describe(row.anchorProductId),
    product: describe(row.productId),
    createdAt: row.createdAt,
  }));
}

export async function productTitles(shopId: string, shopifyIds: string[]): Promise<Map<string, string>> {
  if (shopifyIds.length === 0) return new Map();
  const products = await db.product.findMany({
    where: { shopId, shopifyId: { in: shopifyIds } },
    select: { shopifyId: true, title: true },
  });
  return new Map(products.map((product) => [product.shopifyId, product.title]));
}

export function findRecommendationRuleFor(shopId: string, rule: { kind: RuleKind; anchorProductId: string; productId: string }) {
  return db.recommendationRule.findUnique({ where: { shopId_kind_anchorProductId_productId: { shopId, ...rule } } });
}

/** Adds a rule; adding one that exists returns it unchanged (a double submit adds one rule). */
export function addRecommendationRule(shopId: string, rule: { kind: RuleKind; anchorProductId: string; productId: string }) {
  return db.recommendationRule.upsert({
    where: { shopId_kind_anchorProductId_productId: { shopId, ...rule } },
    create: { shopId, ...rule },
    update: {},
  });
}

/** Deletes one of the shop's rules; false when the shop has no rule with that id. */
export async function deleteRecommendationRule(shopId: string, id: number): Promise<boolean> {
  const result = await db.recommendationRule.deleteMany({ where: { shopId, id } });
  return result.count > 0;
}
