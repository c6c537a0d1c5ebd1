/**
 * Conflicts a merchant should hear about before saving: another live (or scheduled) offer that
 * discounts the same products and is not allowed to combine with this one. The engine still
 * prices such carts correctly (the buyer gets whichever combination saves more), but the merchant
 * may expect both discounts to stack, so the admin says plainly that only one will apply.
 */
import { toEpochMilliseconds, type Now } from "./schedule";
import { discountClassOf, type ItemRef, type ItemSelector, type Offer } from "./types";

export interface OfferConflict {
  readonly offerId: string;
  /** The other offer's type, so the admin can link to it (titles need not be unique). */
  readonly offerType: Offer["type"];
  readonly title: string;
  /** Product / variant ids both offers can discount; empty when `wholeCart`. */
  readonly sharedIds: readonly string[];
  /** One of the two is an order discount (spend tiers), which touches every product. */
  readonly wholeCart: boolean;
  readonly message: string;
}

export interface FindOfferConflictsOptions {
  /** The offer being edited, as it would be saved. */
  readonly candidate: Offer;
  /** The shop's other offers (the candidate's own stored copy is skipped by id). */
  readonly others: readonly Offer[];
  readonly now: Now;
  /**
   * The product a variant belongs to, when known: an offer on a variant then overlaps an offer on
   * its product. Without it only identical ids overlap.
   */
  readonly productOfVariant?: (variantId: string) => string | undefined;
}

/** Whether two offers may apply to the same cart together, by Shopify's `combinesWith` rules. */
export function offersCanCombine(a: Offer, b: Offer): boolean {
  const aClass = discountClassOf(a);
  const bClass = discountClassOf(b);
  if (aClass === "product" && bClass === "product") {
    return a.combinesWith.productDiscounts && b.combinesWith.productDiscounts;
  }
  if (aClass === "order" && bClass === "order") {
    return a.combinesWith.orderDiscounts && b.combinesWith.orderDiscounts;
  }
  const [product, order] = aClass === "product" ? [a, b] : [b, a];
  return product.combinesWith.orderDiscounts && order.combinesWith.productDiscounts;
}

type Scope = { readonly kind: "wholeCart" } | { readonly kind: "items"; readonly ids: ReadonlySet<string> } | { readonly kind: "none" };

function addRef(ids: Set<string>, ref: ItemRef): void {
  ids.add("variantId" in ref ? ref.variantId : ref.productId);
}

function addSelector(ids: Set<string>, selector: ItemSelector): void {
  for (const id of selector.productIds ?? []) ids.add(id);
  for (const id of selector.variantIds ?? []) ids.add(id);
  // Collection membership is not known here, so two offers only overlap on the same collection.
  for (const id of selector.collectionIds ?? []) ids.add(id);
}

/** What an offer can discount. */
function scopeOf(offer: Offer): Scope {
  const ids = new Set<string>();
  switch (offer.type) {
    case "spendTiers":
      return { kind: "wholeCart" };
    case "fixedBundle":
      offer.items.forEach((item) => addRef(ids, item.ref));
      break;
    case "mixAndMatch":
    case "quantityBreaks":
      addSelector(ids, offer.eligible);
      break;
    case "buyXGetY":
      // Only the "get" items are discounted, but the "buy" items are consumed by the offer: a
      // unit bought to qualify cannot also count towards a bundle that does not combine.
      addSelector(ids, offer.buy.items);
      addSelector(ids, offer.get.items);
      break;
    case "upgradeLadder":
      // A ladder without an incentive discounts nothing, so it cannot conflict.
      if (offer.incentive === null) return { kind: "none" };
      offer.steps.forEach((step) => addRef(ids, step.ref));
      break;
  }
  return { kind: "items", ids };
}

function sharedIds(a: ReadonlySet<string>, b: ReadonlySet<string>, productOfVariant: (id: string) => string | undefined): string[] {
  const shared = new Set<string>();
  for (const id of a) {
    if (b.has(id)) shared.add(id);
    const product = productOfVariant(id);
    if (product !== undefined && b.has(product)) shared.add(product);
  }
  for (const id of b) {
    const product = productOfVariant(id);
    if (product !== undefined && a.has(product)) shared.add(product);
  }
  return [...shared].sort();
}

/** [start, end) intervals, open ends as ±infinity; the candidate cannot matter before `now`. */
function schedulesOverlap(candidate: Offer, other: Offer, now: number): boolean {
  const start = Math.max(candidate.schedule.startsAt ?? -Infinity, now);
  const end = candidate.schedule.endsAt ?? Infinity;
  const otherStart = other.schedule.startsAt ?? -Infinity;
  const otherEnd = other.schedule.endsAt ?? Infinity;
  return start < otherEnd && otherStart < end && start < end;
}

/**
 * Active offers that overlap the candidate in products and in time but cannot combine with it.
 * The candidate's own status is ignored: a draft is checked as if the merchant activated it.
 */
export function findOfferConflicts(options: FindOfferConflictsOptions): OfferConflict[] {
  const { candidate, others } = options;
  const now = toEpochMilliseconds(options.now);
  const productOfVariant = options.productOfVariant ?? (() => undefined);
  const candidateScope = scopeOf(candidate);
  if (candidateScope.kind === "none") return [];

  const conflicts: OfferConflict[] = [];
  for (const other of others) {
    if (other.id === candidate.id || other.status !== "active") continue;
    if (!schedulesOverlap(candidate, other, now)) continue;
    if (offersCanCombine(candidate, other)) continue;
    const otherScope = scopeOf(other);
    if (otherScope.kind === "none") continue;

    const wholeCart = candidateScope.kind === "wholeCart" || otherScope.kind === "wholeCart";
    const shared =
      candidateScope.kind === "items" && otherScope.kind === "items"
        ? sharedIds(candidateScope.ids, otherScope.ids, productOfVariant)
        : [];
    if (!wholeCart && shared.length === 0) continue;

    const where = wholeCart
      ? "applies to the same carts"
      : `also discounts ${shared.length === 1 ? "a product" : `${shared.length} products`} in this offer`;
    conflicts.push({
      offerId: other.id,
      offerType: other.type,
      title: other.title,
      sharedIds: shared,
      wholeCart,
      message: `"${other.title}" ${where} and the two cannot combine: a buyer gets only the one that saves more.`,
    });
  }
  return conflicts;
}
