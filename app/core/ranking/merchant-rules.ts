import { PRODUCT_FLAG, type RankingSnapshot } from "./ranking-snapshot";
import { facetKey } from "./text-tokens";
import type { ProductId } from "./types";

/** Product lists that apply everywhere (`global`) or when a given product is an anchor. */
export interface ProductListRule {
  readonly global?: readonly ProductId[];
  readonly byProduct?: Readonly<Record<ProductId, readonly ProductId[]>>;
}

/**
 * What a merchant (and the live store) decides at serve time, on top of the learned ranking.
 * Pins come first, in the order given, and are not subject to the price range or the
 * diversity rule (the merchant chose them); they still must be published, in stock and not
 * already in the cart.
 */
export interface MerchantRules {
  readonly pins?: ProductListRule;
  /**
   * Per product, the other products of the merchant's live bundles that hold it. They follow the
   * pins and, like pins, skip the price range and the diversity rule (the merchant chose them).
   */
  readonly bundles?: ProductListRule;
  readonly exclusions?: ProductListRule;
  /** Minor units, inclusive. A product with no known price fails a price range. */
  readonly priceRange?: { readonly min?: number; readonly max?: number };
  /** At most this many recommendations of one product type (untyped products are not limited). */
  readonly maxPerProductType?: number;
}

export interface ServeContext {
  readonly rules?: MerchantRules;
  /** Live inventory, when the caller knows better than the snapshot's build-time flags. */
  readonly isAvailable?: (productId: ProductId) => boolean;
  /**
   * Live publication, likewise: a product published (or republished) since the build is served
   * at once, not at the next rebuild.
   */
  readonly isPublished?: (productId: ProductId) => boolean;
  /**
   * Live price in minor units (undefined when unknown), likewise: a price range judges a product
   * by what it costs now, not at the last build.
   */
  readonly priceOf?: (productId: ProductId) => number | undefined;
  /**
   * Live product type ("" when the product has none now; undefined when unknown, which falls
   * back to the snapshot's), likewise: the diversity rule counts a product under the type it has
   * now, so a product moved to another type does not hold back, or crowd, the one it left.
   */
  readonly productTypeOf?: (productId: ProductId) => string | undefined;
}

/** Decisions for one query: which positions may be served, and how diversity is counted. */
export interface RuleFilter {
  readonly pinned: number[];
  /** Bundle companions not already pinned, in order. */
  readonly bundled: number[];
  isEligible(position: number): boolean;
  /** Records a served position; false when its product type is already full. */
  admit(position: number): boolean;
}

export function createRuleFilter(
  snapshot: RankingSnapshot,
  anchorIds: readonly ProductId[],
  blockedPositions: ReadonlySet<number>,
  context: ServeContext
): RuleFilter {
  const rules = context.rules ?? {};
  const excluded = new Set<number>(blockedPositions);
  for (const id of listFor(rules.exclusions, anchorIds)) {
    const position = snapshot.positions.get(id);
    if (position !== undefined) excluded.add(position);
  }
  const isServable = (position: number) => {
    if (excluded.has(position)) return false;
    const flags = snapshot.flags[position] ?? 0;
    const id = snapshot.productIds[position];
    if (id === undefined) return false;
    const published = context.isPublished ? context.isPublished(id) : (flags & PRODUCT_FLAG.published) !== 0;
    return published && (context.isAvailable ? context.isAvailable(id) : (flags & PRODUCT_FLAG.available) !== 0);
  };
  const { min, max } = rules.priceRange ?? {};
  const inPriceRange = (position: number) => {
    if (min === undefined && max === undefined) return true;
    const price = context.priceOf ? (context.priceOf(snapshot.productIds[position] ?? "") ?? -1) : (snapshot.prices[position] ?? -1);
    if (price < 0) return false;
    return (min === undefined || price >= min) && (max === undefined || price <= max);
  };
  // Pinned and bundled positions lead the list; `seenPins` holds both.
  const seenPins = new Set<number>();
  const lead = (rule: ProductListRule | undefined) => {
    const positions: number[] = [];
    for (const id of listFor(rule, anchorIds)) {
      const position = snapshot.positions.get(id);
      if (position === undefined || seenPins.has(position) || !isServable(position)) continue;
      seenPins.add(position);
      positions.push(position);
    }
    return positions;
  };
  const pinned = lead(rules.pins);
  const bundled = lead(rules.bundles);
  // Types are counted by facet key, as the build groups them ("Mugs " and "mugs" are one type),
  // so a live type and a snapshot type of the same name share one count.
  const typeKeyOf = (position: number): string | undefined => {
    const live = context.productTypeOf?.(snapshot.productIds[position] ?? "");
    if (live !== undefined) return facetKey(live);
    const type = snapshot.productTypeOf[position] ?? -1;
    return type >= 0 ? facetKey(snapshot.productTypes[type]) : undefined;
  };
  const perType = new Map<string, number>();
  const typeLimit = rules.maxPerProductType;
  return {
    pinned,
    bundled,
    isEligible: (position) => !seenPins.has(position) && isServable(position) && inPriceRange(position),
    admit: (position) => {
      if (typeLimit === undefined) return true;
      const type = typeKeyOf(position);
      if (type === undefined) return true;
      const used = perType.get(type) ?? 0;
      if (used >= typeLimit && !seenPins.has(position)) return false;
      perType.set(type, used + 1);
      return true;
    },
  };
}

/** Product-specific entries for each anchor (in anchor order), then the global ones. */
function listFor(rule: ProductListRule | undefined, anchorIds: readonly ProductId[]): ProductId[] {
  if (!rule) return [];
  const ids: ProductId[] = [];
  const byProduct = rule.byProduct ?? {};
  // hasOwn: a product id such as "constructor" must not reach Object.prototype.
  for (const anchor of anchorIds) if (Object.hasOwn(byProduct, anchor)) ids.push(...(byProduct[anchor] ?? []));
  ids.push(...(rule.global ?? []));
  return ids;
}
