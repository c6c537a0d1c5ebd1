/**
 * What travels between the checkout extensions and the app's /api/post-purchase/* endpoints.
 * One definition for both sides: the endpoints build these bodies, the extensions read them.
 */
import { formatBasisPoints } from "../money";
import type { InitialPurchaseInput } from "./purchase";
import type { PricedPostPurchaseOffer } from "./select-offer";

export const SURFACES = ["post_purchase", "thank_you"] as const;
export type Surface = (typeof SURFACES)[number];

export interface OfferRequestBody {
  readonly surface: Surface;
  readonly referenceId: string;
  readonly initialPurchase: InitialPurchaseInput;
}

export interface SignChangesetRequestBody {
  readonly referenceId: string;
  readonly variantId: string;
  /** The price the page showed (minor units); the app refuses to sign another, or none. */
  readonly price: number;
  readonly initialPurchase: InitialPurchaseInput;
}

/**
 * What the extensions report. The post-purchase page knows when the buyer accepted (Shopify
 * applied the changeset), declined, or tried to accept and nothing was added (Shopify refused the
 * changeset, or the app or Shopify failed); the thank-you page only knows the buyer followed the
 * link to a new checkout (a click) or dismissed the offer.
 */
export const REPORTED_EVENT_KINDS = ["offer_accepted", "offer_declined", "offer_accept_failed", "click"] as const;
export type ReportedEventKind = (typeof REPORTED_EVENT_KINDS)[number];

/**
 * The post-purchase page's reports move the checkout's one answer (./outcome.ts): accepted or
 * declined, never both. On the thank-you page a buyer may dismiss the offer after following its
 * link, so both count.
 */
export const EVENT_KINDS_BY_SURFACE: Readonly<Record<Surface, readonly ReportedEventKind[]>> = {
  post_purchase: ["offer_accepted", "offer_declined", "offer_accept_failed"],
  thank_you: ["click", "offer_declined"],
};

export interface EventRequestBody {
  readonly surface: Surface;
  readonly kind: ReportedEventKind;
  readonly referenceId: string;
  readonly productId: string;
}

export interface WireOffer {
  readonly productId: string;
  readonly variantId: string;
  readonly handle: string;
  readonly title: string;
  readonly image: string | null;
  readonly heading: string;
  readonly currency: string;
  /** Minor units: full price of one unit, what the buyer pays, and the difference. */
  readonly unitPrice: number;
  readonly price: number;
  readonly saving: number;
  /** "10", "12.5"; "0" when offered at full price. */
  readonly discountPercent: string;
  /** Thank-you page only: a cart permalink that starts a new checkout with the item. */
  readonly cartUrl: string | null;
}

export interface OfferResponseBody {
  readonly offer: WireOffer | null;
}

export interface SignChangesetResponseBody {
  readonly token: string;
}

export function toWireOffer(offer: PricedPostPurchaseOffer, extras: { heading: string; cartUrl: string | null }): WireOffer {
  return {
    productId: offer.productId,
    variantId: offer.variantId,
    handle: offer.handle,
    title: offer.title,
    image: offer.image,
    heading: extras.heading,
    currency: offer.currency,
    unitPrice: offer.unitPrice,
    price: offer.price,
    saving: offer.saving,
    discountPercent: formatBasisPoints(offer.discountBasisPoints),
    cartUrl: extras.cartUrl,
  };
}

/**
 * A cart permalink for the thank-you page: one unit of the variant in a new checkout, with a
 * hidden cart attribute naming Upshelf and the surface so the order can be attributed.
 */
export function thankYouCartUrl(shopDomain: string, variantId: string, productId: string): string {
  const params = new URLSearchParams({ "attributes[_upshelf_source]": `thank_you:${productId}` });
  return `https://${shopDomain}/cart/${variantId}:1?${params.toString()}`;
}
