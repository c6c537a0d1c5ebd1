import { createRuleFilter, type ServeContext } from "./merchant-rules";
import { priceBand } from "./price-band";
import type { RankingSnapshot } from "./ranking-snapshot";
import { hasSales, type Recommendation } from "./recommend";
import type { ProductId } from "./types";

export interface UpgradeOptions extends ServeContext {
  /** Candidates wanted (default 3). */
  readonly limit?: number;
  /** An upgrade costs at most this multiple of the anchor (default 3): a ladder, not a leap. */
  readonly maxPriceRatio?: number;
}

/**
 * Products to offer instead of `productId` on an upgrade ladder: same product type (any type when
 * the anchor has none), a higher price band, no more than `maxPriceRatio` times the price.
 * Content-similar substitutes come first (a better version of the same thing), then the type's
 * best sellers. Merchant exclusions, inventory and price range apply; pins do not (a ladder is
 * configured separately in core/offers).
 */
export function upgradeCandidates(
  snapshot: RankingSnapshot,
  productId: ProductId,
  options: UpgradeOptions = {}
): Recommendation[] {
  const limit = options.limit ?? 3;
  const anchor = snapshot.positions.get(productId);
  if (anchor === undefined || limit <= 0) return [];
  const anchorPrice = snapshot.prices[anchor] ?? -1;
  const anchorBand = priceBand(anchorPrice);
  if (anchorBand === undefined) return [];
  const maxPrice = anchorPrice * (options.maxPriceRatio ?? 3);
  const anchorType = snapshot.productTypeOf[anchor] ?? -1;
  const { pins: _ignoredPins, ...rules } = options.rules ?? {};
  const filter = createRuleFilter(snapshot, [productId], new Set([anchor]), { ...options, rules });

  const qualifies = (position: number) => {
    if (anchorType >= 0 && snapshot.productTypeOf[position] !== anchorType) return false;
    const price = snapshot.prices[position] ?? -1;
    const band = priceBand(price);
    return band !== undefined && band > anchorBand && price <= maxPrice && filter.isEligible(position);
  };
  const results: Recommendation[] = [];
  const served = new Set<number>();
  const title = snapshot.titles[anchor];
  for (
    let i = snapshot.similarOffsets[anchor] ?? 0;
    i < (snapshot.similarOffsets[anchor + 1] ?? 0) && results.length < limit;
    i++
  ) {
    const position = snapshot.similar[i] ?? 0;
    if (!qualifies(position) || !filter.admit(position)) continue;
    served.add(position);
    results.push({
      productId: snapshot.productIds[position] ?? "",
      score: snapshot.similarScores[i] ?? 0,
      reason: { kind: "similar", toProductId: productId, ...(title !== undefined ? { toTitle: title } : {}) },
    });
  }
  if (anchorType >= 0) {
    const productType = snapshot.productTypes[anchorType] ?? "";
    for (
      let i = snapshot.typeOffsets[anchorType] ?? 0;
      i < (snapshot.typeOffsets[anchorType + 1] ?? 0) && results.length < limit;
      i++
    ) {
      const position = snapshot.typeMembers[i] ?? 0;
      if (served.has(position) || !qualifies(position) || !filter.admit(position)) continue;
      results.push({
        productId: snapshot.productIds[position] ?? "",
        score: snapshot.popularity[position] ?? 0,
        reason: hasSales(snapshot, position) ? { kind: "popular_in_type", productType } : { kind: "same_type", productType },
      });
    }
  }
  return results;
}
