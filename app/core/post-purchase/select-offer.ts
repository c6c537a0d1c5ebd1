/**
 * Which one item to offer after a purchase, and at what price. Candidates arrive ranked (best
 * first) by the recommendation engine; the first one that passes the merchant's rules is offered.
 * The price comes from the offers engine, as a one-item percentage discount, so the number the
 * buyer reads is the number the changeset's percentage discount produces.
 */
import { formatBasisPoints, type Money } from "../money";
import { previewAddition, type Offer } from "../offers";
import type { Purchase } from "./purchase";

export interface OfferCandidate {
  readonly productId: string;
  readonly variantId: string;
  readonly handle: string;
  readonly title: string;
  readonly image: string | null;
  readonly unitPrice: Money;
  /** In stock (or not tracked, or sold when out of stock), checked just before offering. */
  readonly available: boolean;
}

export interface PostPurchaseRules {
  /** Percent off the offered item; at most two decimals count (finer digits are dropped). */
  readonly discountPercent: number;
  /** Offer only items costing at most this percent of the purchase subtotal. */
  readonly maxPriceShareOfOrder: number;
}

export interface PricedPostPurchaseOffer {
  readonly productId: string;
  readonly variantId: string;
  readonly handle: string;
  readonly title: string;
  readonly image: string | null;
  readonly currency: string;
  /** Full price of one unit, minor units. */
  readonly unitPrice: number;
  /** What the buyer pays for it, minor units. */
  readonly price: number;
  /** unitPrice - price, exactly. */
  readonly saving: number;
  /** The discount as basis points (1000 = 10%); 0 means full price. */
  readonly discountBasisPoints: number;
}

export type SkipReason = "already_bought" | "unavailable" | "currency_mismatch" | "over_price_share" | "free_item";

/** Whole basis points, dropping any finer digits: a merchant's 12.345% is offered as 12.34%. */
export function discountBasisPoints(percent: number): number {
  if (!Number.isFinite(percent) || percent <= 0) return 0;
  return Math.min(10_000, Math.floor(percent * 100 + 1e-9));
}

/** Why a candidate cannot be offered for this purchase, or null if it can. */
export function skipReason(candidate: OfferCandidate, purchase: Purchase, rules: PostPurchaseRules): SkipReason | null {
  if (purchase.lines.some((line) => line.productId === candidate.productId || line.variantId === candidate.variantId)) {
    return "already_bought";
  }
  if (!candidate.available) return "unavailable";
  if (candidate.unitPrice.amount <= 0) return "free_item";
  const subtotal = purchase.subtotal;
  if (!subtotal || subtotal.currency !== candidate.unitPrice.currency) return "currency_mismatch";
  // price <= subtotal × share / 100, in integers.
  if (candidate.unitPrice.amount * 100 > subtotal.amount * rules.maxPriceShareOfOrder) return "over_price_share";
  return null;
}

const PRODUCT_GID = "gid://shopify/Product/";
const VARIANT_GID = "gid://shopify/ProductVariant/";

/** The post-purchase discount as an offer the engine prices: every unit of this variant, n% off. */
export function postPurchaseDiscountOffer(variantId: string, basisPoints: number): Offer {
  return {
    id: "upshelf-post-purchase",
    title: "Post-purchase offer",
    type: "quantityBreaks",
    status: "active",
    schedule: { startsAt: null, endsAt: null },
    priority: 0,
    combinesWith: { productDiscounts: false, orderDiscounts: false, shippingDiscounts: false },
    eligible: { variantIds: [VARIANT_GID + variantId] },
    countPer: "selection",
    tiers: [{ minQuantity: 1, value: { kind: "percentage", percent: Number(formatBasisPoints(basisPoints)) } }],
  };
}

export function priceCandidate(candidate: OfferCandidate, basisPoints: number, now: Date | number): PricedPostPurchaseOffer {
  const unitPrice = candidate.unitPrice.amount;
  const preview =
    basisPoints > 0
      ? previewAddition({
          cart: { currency: candidate.unitPrice.currency, lines: [] },
          offers: [postPurchaseDiscountOffer(candidate.variantId, basisPoints)],
          now,
          items: [
            {
              variantId: VARIANT_GID + candidate.variantId,
              productId: PRODUCT_GID + candidate.productId,
              collectionIds: [],
              unitPrice,
              quantity: 1,
            },
          ],
        })
      : null;
  const price = preview ? preview.priceAfter : unitPrice;
  return {
    productId: candidate.productId,
    variantId: candidate.variantId,
    handle: candidate.handle,
    title: candidate.title,
    image: candidate.image,
    currency: candidate.unitPrice.currency,
    unitPrice,
    price,
    saving: unitPrice - price,
    discountBasisPoints: basisPoints,
  };
}

/** The first ranked candidate the rules allow, priced; null when nothing fits. */
export function selectPostPurchaseOffer(options: {
  readonly candidates: readonly OfferCandidate[];
  readonly purchase: Purchase;
  readonly rules: PostPurchaseRules;
  readonly now: Date | number;
}): PricedPostPurchaseOffer | null {
  const chosen = options.candidates.find((candidate) => skipReason(candidate, options.purchase, options.rules) === null);
  return chosen ? priceCandidate(chosen, discountBasisPoints(options.rules.discountPercent), options.now) : null;
}
