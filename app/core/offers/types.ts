/**
 * The shapes the offers engine works with. Offers here are already validated (see
 * `parse-offer.ts`); the engine trusts them and spends no time re-checking on checkout's hot path.
 */

/** A product or one of its variants, by the id the cart carries (a Shopify GID in production). */
export type ItemRef = { readonly productId: string } | { readonly variantId: string };

/** Matches a cart line when any of the lists contains the line's product, variant or a collection. */
export interface ItemSelector {
  readonly productIds?: readonly string[];
  readonly variantIds?: readonly string[];
  readonly collectionIds?: readonly string[];
}

/**
 * An amount configured in the shop currency, in minor units. `byCurrency` pins the amount for a
 * presentment currency (a market's own threshold, e.g. 90 EUR rather than 100 USD converted);
 * otherwise the amount is converted at the cart's presentment rate.
 */
export interface ConfigMoney {
  readonly amount: number;
  readonly currency: string;
  readonly byCurrency?: Readonly<Record<string, number>>;
}

/** Mirrors Shopify's `combinesWith` on a discount. */
export interface CombinesWith {
  readonly productDiscounts: boolean;
  readonly orderDiscounts: boolean;
  readonly shippingDiscounts: boolean;
}

export type OfferStatus = "active" | "paused" | "draft";

/** Epoch milliseconds, whole seconds (Shopify schedules discounts to the second). */
export interface OfferSchedule {
  readonly startsAt: number | null;
  readonly endsAt: number | null;
}

/** Shopify's discount classes. Spend tiers are order discounts; every other offer is a product discount. */
export type DiscountClass = "product" | "order";

export type Percentage = { readonly kind: "percentage"; readonly percent: number };
export type AmountOff = { readonly kind: "amountOff"; readonly amount: ConfigMoney };
export type FixedPrice = { readonly kind: "fixedPrice"; readonly price: ConfigMoney };
/** A fixed amount off every discounted unit. */
export type AmountOffEach = { readonly kind: "amountOffEach"; readonly amount: ConfigMoney };

/** How one set of a bundle (or of a mix-and-match group) is priced. */
export type SetPricing = Percentage | AmountOff | FixedPrice;
export type UnitDiscount = Percentage | AmountOffEach;
export type OrderDiscountValue = Percentage | AmountOff;

interface OfferCommon {
  readonly id: string;
  readonly title: string;
  readonly status: OfferStatus;
  readonly schedule: OfferSchedule;
  /** Higher first. Decides which offer claims a contested unit, and breaks ties between equal savings. */
  readonly priority: number;
  readonly combinesWith: CombinesWith;
}

/** Specific products or variants in fixed quantities, sold together. */
export interface FixedBundleOffer extends OfferCommon {
  readonly type: "fixedBundle";
  readonly items: readonly { readonly ref: ItemRef; readonly quantity: number }[];
  readonly pricing: SetPricing;
  /** Complete sets discounted per order; null means every complete set. */
  readonly maxSetsPerOrder: number | null;
}

/** Any `setSize` units from a list of products or collections. */
export interface MixAndMatchOffer extends OfferCommon {
  readonly type: "mixAndMatch";
  readonly eligible: ItemSelector;
  readonly setSize: number;
  readonly pricing: SetPricing;
  readonly maxSetsPerOrder: number | null;
}

/** Buy `buy.quantity` of a set, get `get.quantity` of a set at `get.percent` off (100 = free). */
export interface BuyXGetYOffer extends OfferCommon {
  readonly type: "buyXGetY";
  readonly buy: { readonly items: ItemSelector; readonly quantity: number };
  readonly get: { readonly items: ItemSelector; readonly quantity: number; readonly percent: number };
  readonly maxUsesPerOrder: number | null;
}

/** Quantity breaks such as 2+ = 10%, 3+ = 15%, 5+ = 25%. */
export interface QuantityBreaksOffer extends OfferCommon {
  readonly type: "quantityBreaks";
  readonly eligible: ItemSelector;
  /** "selection": units of all eligible items count together; "product": each product on its own. */
  readonly countPer: "selection" | "product";
  readonly tiers: readonly { readonly minQuantity: number; readonly value: UnitDiscount }[];
}

/** Order discounts by cart subtotal, such as 10% over 100 and 15% over 250. */
export interface SpendTiersOffer extends OfferCommon {
  readonly type: "spendTiers";
  readonly tiers: readonly { readonly minSubtotal: ConfigMoney; readonly value: OrderDiscountValue }[];
}

/** Good / better / best. An optional incentive applies to every unit of a step above the first. */
export interface UpgradeLadderOffer extends OfferCommon {
  readonly type: "upgradeLadder";
  readonly steps: readonly { readonly ref: ItemRef; readonly label?: string }[];
  readonly incentive: UnitDiscount | null;
}

export type Offer =
  | FixedBundleOffer
  | MixAndMatchOffer
  | BuyXGetYOffer
  | QuantityBreaksOffer
  | SpendTiersOffer
  | UpgradeLadderOffer;

export type OfferType = Offer["type"];

export function discountClassOf(offer: Pick<Offer, "type">): DiscountClass {
  return offer.type === "spendTiers" ? "order" : "product";
}

// ---------------------------------------------------------------------------------------------
// Cart and results
// ---------------------------------------------------------------------------------------------

export interface CartLineInput {
  readonly id: string;
  readonly variantId: string;
  readonly productId: string;
  readonly collectionIds: readonly string[];
  readonly quantity: number;
  /** Price of one unit in the cart (presentment) currency's minor units, before discounts. */
  readonly unitPrice: number;
}

export interface CartInput {
  /** The presentment currency: the one the buyer pays in and cart prices are in. */
  readonly currency: string;
  /**
   * Presentment units per shop-currency unit (Shopify's `presentmentCurrencyRate`). Needed to
   * convert amounts configured in the shop currency; omitted when the cart is in the shop currency.
   */
  readonly presentmentRate?: string | number;
  readonly lines: readonly CartLineInput[];
}

/** A share of one offer's discount on one cart line. */
export interface LineAllocation {
  readonly lineId: string;
  /** Minor units of the cart currency. */
  readonly amount: number;
  /** Units of the line the discount applies to (for an order discount: the line's quantity). */
  readonly quantity: number;
  readonly message: string;
}

export interface AppliedOffer {
  readonly offerId: string;
  readonly title: string;
  readonly type: OfferType;
  readonly discountClass: DiscountClass;
  /** Total discount of this offer; equals the sum of its allocations exactly. */
  readonly amount: number;
  readonly message: string;
  readonly allocations: readonly LineAllocation[];
}

export interface PricedLine {
  readonly lineId: string;
  readonly subtotal: number;
  readonly discount: number;
  readonly total: number;
  readonly allocations: readonly { readonly offerId: string; readonly amount: number }[];
}

export interface EligibleOffer {
  readonly offerId: string;
  /** What this offer alone would save on this cart. */
  readonly standaloneSaving: number;
  /** Whether it is part of the best combination. */
  readonly applied: boolean;
}

export interface PricedCart {
  readonly currency: string;
  readonly subtotal: number;
  readonly totalDiscount: number;
  readonly total: number;
  /** The best non-conflicting combination, in the order its discounts were computed. */
  readonly applied: readonly AppliedOffer[];
  /** Every live offer that would save something on its own, applied or not. */
  readonly eligible: readonly EligibleOffer[];
  /** Every cart line, in the order given. */
  readonly lines: readonly PricedLine[];
}
