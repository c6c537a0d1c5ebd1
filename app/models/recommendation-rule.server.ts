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

/**
 * Why `rule` would contradict a rule the shop has, or null. An exclusion wins wherever it applies,
 * so a pin on one product's recommendations of a product excluded everywhere would never show
 * while the page said "Pinned."; and the opposite rule at the same place is a contradiction too.
 * (A pin everywhere with an exclusion on one product's recommendations is not: it means "pinned,
 * except there".)
 */
export async function conflictingRuleMessage(shopId: string, rule: { kind: RuleKind; anchorProductId: string; productId: string }): Promise<string | null> {
  const opposite = await findRecommendationRuleFor(shopId, { ...rule, kind: rule.kind === "pin" ? "exclude" : "pin" });
  if (opposite) return `This product is already ${rule.kind === "pin" ? "excluded" : "pinned"} there; remove that rule first.`;
  if (rule.kind === "pin" && rule.anchorProductId !== "") {
    const everywhere = await findRecommendationRuleFor(shopId, { kind: "exclude", anchorProductId: "", productId: rule.productId });
    if (everywhere) return "This product is excluded on every product's recommendations, so a pin here would never show; remove that exclusion first.";
  }
  if (rule.kind === "exclude" && rule.anchorProductId === "") {
    const pins = await db.recommendationRule.count({ where: { shopId, kind: "pin", productId: rule.productId, NOT: { anchorProductId: "" } } });
    if (pins > 0) {
      return `This product is pinned on ${pins === 1 ? "one product's" : `${pins} products'`} recommendations, which an exclusion everywhere would silently undo; remove ${pins === 1 ? "that pin" : "those pins"} first.`;
    }
  }
  return null;
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
