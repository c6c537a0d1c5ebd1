/**
 * What the offer surfaces say, built from the app's offer and (post-purchase) Shopify's own
 * calculation of the changeset. Honest by construction: the saving is stated to the minor unit,
 * the price is the one the changeset charges, nothing is pre-selected and nothing counts down.
 */
import { formatMoney, type Money } from "../money";
import { moneyFromShopify, sumMoney } from "./shopify-money";
import type { WireOffer } from "./wire";

export interface OfferView {
  readonly heading: string;
  readonly title: string;
  readonly image: string | null;
  /** "10.80 GBP" */
  readonly priceText: string;
  /** "12.00 GBP" when discounted, else null (no crossed-out price without a real saving). */
  readonly fullPriceText: string | null;
  /** "You save 1.20 GBP (10% off)" when discounted, else null. */
  readonly savingText: string | null;
  readonly acceptLabel: string;
  readonly declineLabel: string;
}

export function offerView(offer: WireOffer, surface: "post_purchase" | "thank_you"): OfferView {
  const money = (amount: number) => formatMoney({ amount, currency: offer.currency });
  const discounted = offer.saving > 0;
  return {
    heading: offer.heading,
    title: offer.title,
    image: offer.image,
    priceText: money(offer.price),
    fullPriceText: discounted ? money(offer.unitPrice) : null,
    savingText: discounted ? `You save ${money(offer.saving)} (${offer.discountPercent}% off)` : null,
    acceptLabel: surface === "post_purchase" ? `Add to my order for ${money(offer.price)}` : "View in cart",
    declineLabel: surface === "post_purchase" ? "No thanks" : "Dismiss",
  };
}

interface MoneyLike {
  readonly amount: string | number;
  readonly currencyCode: string;
}
interface MoneyBagLike {
  readonly presentmentMoney: MoneyLike;
}

/** The parts of Shopify's `calculateChangeset` result the page shows. */
export interface CalculationLike {
  readonly status: string;
  readonly errors?: readonly { readonly code: string; readonly message: string }[];
  readonly calculatedPurchase?: {
    readonly totalOutstandingSet: MoneyBagLike;
    readonly addedTaxLines?: readonly { readonly priceSet: MoneyBagLike }[];
    readonly addedShippingLines?: readonly { readonly priceSet: MoneyBagLike }[];
    readonly updatedLineItems?: readonly { readonly variantId: number; readonly totalPriceSet: MoneyBagLike }[];
  };
}

export interface CalculatedTotals {
  /** The added item as Shopify prices it, in the buyer's currency. */
  readonly itemText: string;
  readonly taxText: string | null;
  readonly shippingText: string | null;
  /** What the buyer's payment method is charged now. */
  readonly chargedNowText: string;
  /** The accept button once Shopify has calculated: it names what the tap charges, taxes and shipping included. */
  readonly acceptLabel: string;
}

export type CalculatedOutcome =
  | { readonly kind: "confirmed"; readonly totals: CalculatedTotals }
  /** Shopify cannot add it (sold out, payment method, ...) or did not price it. */
  | { readonly kind: "unavailable"; readonly message: string }
  /** Shopify prices the item otherwise than the page states (amount or currency): nothing is offered. */
  | { readonly kind: "price_differs"; readonly message: string };

function sum(bags: readonly { readonly priceSet: MoneyBagLike }[] | undefined): Money | null {
  if (!bags || bags.length === 0) return null;
  return sumMoney(bags.map((bag) => moneyFromShopify(bag.priceSet.presentmentMoney)));
}

/**
 * Shopify's calculation of adding the offer, checked against what the page states. The page names
 * the offer's price, full price and saving, and the accept button a price: all must be what Shopify
 * would charge. So the offer stands only when Shopify prices the added line at exactly the offer's
 * price in the offer's currency; the accept button then names what is charged now, which includes
 * the taxes and shipping Shopify adds.
 */
export function calculatedOffer(calculation: CalculationLike, offer: Pick<WireOffer, "variantId" | "price" | "currency">): CalculatedOutcome {
  const unavailable = { kind: "unavailable", message: "This item can no longer be added to your order." } as const;
  const purchase = calculation.calculatedPurchase;
  if (calculation.status !== "processed" || !purchase) return unavailable;
  const outstanding = moneyFromShopify(purchase.totalOutstandingSet.presentmentMoney);
  const line = purchase.updatedLineItems?.find((item) => String(item.variantId) === offer.variantId);
  const item = line ? moneyFromShopify(line.totalPriceSet.presentmentMoney) : null;
  if (!outstanding || !item) return unavailable;
  if (item.currency !== offer.currency || item.amount !== offer.price) {
    return { kind: "price_differs", message: "Shopify's price for this item differs from the one shown here, so nothing can be added." };
  }
  const tax = sum(purchase.addedTaxLines);
  const shipping = sum(purchase.addedShippingLines);
  const chargedNowText = formatMoney(outstanding);
  return {
    kind: "confirmed",
    totals: {
      itemText: formatMoney(item),
      taxText: tax && tax.amount > 0 ? formatMoney(tax) : null,
      shippingText: shipping && shipping.amount > 0 ? formatMoney(shipping) : null,
      chargedNowText,
      acceptLabel: `Add to my order for ${chargedNowText}`,
    },
  };
}

export type ApplyOutcome =
  | { readonly kind: "added" }
  /** Shopify edited the order but could not charge for it: the item is on the order. */
  | { readonly kind: "added_unpaid"; readonly message: string }
  | { readonly kind: "not_added"; readonly message: string };

/** What `applyChangeset`'s status means for the buyer, said plainly. */
export function applyOutcome(result: { readonly status: string }): ApplyOutcome {
  if (result.status === "processed") return { kind: "added" };
  if (result.status === "partially_processed") {
    return { kind: "added_unpaid", message: "The item was added to your order, but its payment did not go through. The shop will contact you about it." };
  }
  return { kind: "not_added", message: "The item could not be added, and you have not been charged for it." };
}

/** The base URL every extension request goes to, without a trailing slash; throws if unusable. */
export function resolveAppUrl(raw: string | undefined): string {
  const value = (raw ?? "").trim().replace(/\/+$/, "");
  if (!/^https:\/\/[^/\s]+(\/[^\s]*)?$/.test(value) && !/^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?(\/[^\s]*)?$/.test(value)) {
    throw new Error(`The Upshelf app URL "${raw ?? ""}" is not an https URL (set UPSHELF_APP_URL when building the extension).`);
  }
  return value;
}
