/**
 * Request bodies the extensions send, built from what Shopify gives each extension. Kept free of
 * the extension APIs' runtime so the shapes are unit-tested here.
 */
import type { InitialPurchaseInput } from "./purchase";
import type { EventRequestBody, OfferRequestBody, ReportedEventKind, SignChangesetRequestBody, Surface } from "./wire";

interface MoneyLike {
  readonly amount: string | number;
  readonly currencyCode: string;
}

/** The parts of the post-purchase `inputData.initialPurchase` the app needs. */
export interface PostPurchaseInitialPurchase {
  readonly referenceId: string;
  readonly lineItems: readonly {
    readonly product: { readonly id: number; readonly variant: { readonly id: number } };
    readonly quantity: number;
    readonly totalPriceSet: { readonly shopMoney: MoneyLike; readonly presentmentMoney?: MoneyLike };
  }[];
  readonly totalPriceSet?: { readonly shopMoney: MoneyLike; readonly presentmentMoney?: MoneyLike };
}

const plainMoney = (money: MoneyLike) => ({ amount: String(money.amount), currencyCode: money.currencyCode });

/** Only ids, quantities and amounts: nothing about the buyer leaves checkout. */
export function trimInitialPurchase(purchase: PostPurchaseInitialPurchase): InitialPurchaseInput {
  return {
    referenceId: purchase.referenceId,
    lineItems: purchase.lineItems.map((line) => ({
      product: { id: line.product.id, variant: { id: line.product.variant.id } },
      quantity: line.quantity,
      totalPriceSet: {
        shopMoney: plainMoney(line.totalPriceSet.shopMoney),
        // What the buyer paid in: the app offers nothing it would price in another currency.
        ...(line.totalPriceSet.presentmentMoney ? { presentmentMoney: plainMoney(line.totalPriceSet.presentmentMoney) } : {}),
      },
    })),
  };
}

export function postPurchaseOfferRequest(purchase: PostPurchaseInitialPurchase): OfferRequestBody {
  return { surface: "post_purchase", referenceId: purchase.referenceId, initialPurchase: trimInitialPurchase(purchase) };
}

export function signChangesetRequest(purchase: PostPurchaseInitialPurchase, offer: { variantId: string; price: number }): SignChangesetRequestBody {
  return { referenceId: purchase.referenceId, variantId: offer.variantId, price: offer.price, initialPurchase: trimInitialPurchase(purchase) };
}

export function eventRequest(surface: Surface, kind: ReportedEventKind, referenceId: string, productId: string): EventRequestBody {
  return { surface, kind, referenceId, productId };
}

/** A thank-you page cart line (checkout UI extensions' `lines`), reduced to what is read here. */
export interface ThankYouLine {
  readonly quantity: number;
  readonly merchandise: { readonly type?: string; readonly id: string; readonly product?: { readonly id: string } };
  readonly cost: { readonly totalAmount: { readonly amount: number | string; readonly currencyCode: string } };
}

/**
 * The thank-you page's order as the same `initialPurchase` shape the post-purchase page sends.
 * Amounts are in the buyer's (presentment) currency here; the app only applies its price-share
 * rule when that is the shop's currency.
 */
export function thankYouOfferRequest(orderId: string, lines: readonly ThankYouLine[]): OfferRequestBody {
  const lineItems = lines
    .filter((line) => line.merchandise.product !== undefined && line.quantity > 0)
    .map((line) => ({
      product: { id: line.merchandise.product?.id ?? "", variant: { id: line.merchandise.id } },
      quantity: line.quantity,
      totalPriceSet: {
        shopMoney: { amount: String(line.cost.totalAmount.amount), currencyCode: line.cost.totalAmount.currencyCode },
      },
    }));
  return { surface: "thank_you", referenceId: orderId, initialPurchase: { referenceId: orderId, lineItems } };
}
