import { priceCart, type PriceCartOptions } from "./price-cart";
import type { CartInput, CartLineInput, Offer, PricedCart } from "./types";

/** An item the buyer might add, priced in the cart's currency (as the storefront shows it). */
export interface PreviewItem {
  readonly variantId: string;
  readonly productId: string;
  readonly collectionIds: readonly string[];
  /** Minor units of the cart currency. */
  readonly unitPrice: number;
  readonly quantity: number;
}

export interface AdditionPreview {
  readonly currency: string;
  /** The added items at full price. */
  readonly priceBefore: number;
  /** What adding them really costs: the cart total after minus the cart total before. */
  readonly priceAfter: number;
  /** priceBefore - priceAfter: the extra saving the whole cart gets from the addition. */
  readonly saving: number;
  /** Messages of the discounts that are new or larger after the addition. */
  readonly messages: readonly string[];
  readonly cartBefore: PricedCart;
  readonly cartAfter: PricedCart;
}

/**
 * Adds items the way the storefront cart does: onto the existing line of the same variant,
 * otherwise as a new line.
 */
function withItems(cart: CartInput, items: readonly PreviewItem[]): CartInput {
  const lines: CartLineInput[] = cart.lines.map((line) => ({ ...line }));
  items.forEach((item, index) => {
    const existing = lines.findIndex((line) => line.variantId === item.variantId && line.unitPrice === item.unitPrice);
    const current = lines[existing];
    if (current) {
      lines[existing] = { ...current, quantity: current.quantity + item.quantity };
    } else {
      lines.push({
        id: `upshelf-preview:${index}:${item.variantId}`,
        variantId: item.variantId,
        productId: item.productId,
        collectionIds: item.collectionIds,
        quantity: item.quantity,
        unitPrice: item.unitPrice,
      });
    }
  });
  return { ...cart, lines };
}

function newOrLargerMessages(before: PricedCart, after: PricedCart): string[] {
  return after.applied
    .filter((offer) => {
      const previous = before.applied.find((candidate) => candidate.offerId === offer.offerId);
      return !previous || offer.amount > previous.amount;
    })
    .map((offer) => offer.message);
}

function compare(options: PriceCartOptions, before: CartInput, after: CartInput, priceBefore: number): AdditionPreview {
  const cartBefore = priceCart({ ...options, cart: before });
  const cartAfter = priceCart({ ...options, cart: after });
  const priceAfter = cartAfter.total - cartBefore.total;
  return {
    currency: cartAfter.currency,
    priceBefore,
    priceAfter,
    saving: priceBefore - priceAfter,
    messages: newOrLargerMessages(cartBefore, cartAfter),
    cartBefore,
    cartAfter,
  };
}

/**
 * What a proposed bundle (or any items) would cost if added to the cart now: exactly what
 * checkout would charge, because it is the same pricing run on the cart with the items in it.
 * With an empty cart this is the product page's "buy together" price.
 */
export function previewAddition(options: PriceCartOptions & { readonly items: readonly PreviewItem[] }): AdditionPreview {
  const priceBefore = options.items.reduce((sum, item) => sum + item.unitPrice * item.quantity, 0);
  return compare(options, options.cart, withItems(options.cart, options.items), priceBefore);
}

export interface UpgradePreview extends AdditionPreview {
  /** Full price of the upgrade: (to - from) × quantity, before any incentive. */
  readonly fullPriceDifference: number;
}

/**
 * Upgrading `quantity` units from one step of a ladder to a higher one. `cart` is the cart
 * without either item. priceBefore is the full price difference between the two, priceAfter
 * what the upgrade really adds to the cart total, and saving the difference between them (the
 * incentive, plus any other offer the upgrade unlocks or loses, stated exactly).
 */
export function previewUpgrade(
  options: PriceCartOptions & { readonly from: PreviewItem; readonly to: PreviewItem },
): UpgradePreview {
  const { from, to } = options;
  const withFrom = withItems(options.cart, [from]);
  const withTo = withItems(options.cart, [to]);
  const fullPriceDifference = to.unitPrice * to.quantity - from.unitPrice * from.quantity;
  const result = compare(options, withFrom, withTo, fullPriceDifference);
  return { ...result, fullPriceDifference };
}

/**
 * What one offer (`offerId`) takes off the cart after the change, less what it took off before:
 * its own part of `saving`. The rest of `saving` is other offers' gain or loss from the change
 * (a spend tier an upgrade's price crosses, a discount it takes units from), which a statement
 * naming that offer must not claim ("save £2.00 on the upgrade" where £1.50 is a spend tier's).
 */
export function offerSavingChange(preview: AdditionPreview, offerId: string): number {
  const taken = (cart: PricedCart) => cart.applied.reduce((sum, applied) => sum + (applied.offerId === offerId ? applied.amount : 0), 0);
  return taken(preview.cartAfter) - taken(preview.cartBefore);
}

/**
 * The saving a ladder (`offerId`) states for an upgrade ("save £1.19 on the upgrade"): its own
 * part of the change (`offerSavingChange`), and never more than the upgrade saves against the two
 * steps' full prices. An upgrade can cost the buyer another discount (the step was in a bundle
 * with an item in the cart): the ladder then gives its part and the buyer still pays more than the
 * price difference, so stating the ladder's part alone would claim a saving the buyer does not get.
 * Zero: nothing is stated.
 */
export function upgradeSavingStated(preview: UpgradePreview, offerId: string): number {
  return Math.max(0, Math.min(offerSavingChange(preview, offerId), preview.saving));
}

/**
 * A quantity-break tier as a table states it: `item` (the tier's minimum) priced with `offer`
 * alone, and whether buying it with the cart gets at least that discount. Another discount in
 * the cart that the offer does not combine with, or one that takes some of the units, can make
 * checkout give less; such a tier is not shown.
 */
/**
 * A tier's price each, as the product page's table states it: the tier's exact total for its
 * minimum quantity, divided and rounded up, so the price shown each is never below what the buyer
 * pays (and the saving each never above it). The cart prices the whole line exactly.
 */
export function tierUnitPrice(total: number, quantity: number): number {
  return Math.ceil(total / quantity);
}

export function previewTier(options: PriceCartOptions & { readonly offer: Offer; readonly item: PreviewItem }): { alone: PricedCart; holds: boolean } {
  const { cart, offer, item, now } = options;
  const alone = priceCart({ cart: withItems({ ...cart, lines: [] }, [item]), offers: [offer], now });
  const withCart = priceCart({ ...options, cart: withItems(cart, [item]) }).applied.find((applied) => applied.offerId === offer.id);
  return { alone, holds: (withCart?.amount ?? 0) >= alone.totalDiscount };
}
