import { currencyDecimals, parseExchangeRate, type ExchangeRate, convertMinorUnits, MoneyError } from "../money";
import { OffersError } from "./errors";
import type { CartInput, ConfigMoney } from "./types";

/** A cart line as the engine sees it: index into the canonical (variant-sorted) line list. */
export interface CanonicalLine {
  readonly index: number;
  readonly id: string;
  readonly variantId: string;
  readonly productId: string;
  readonly collectionIds: ReadonlySet<string>;
  readonly quantity: number;
  readonly unitPrice: number;
  readonly subtotal: number;
}

export interface PricingContext {
  readonly currency: string;
  readonly rate: ExchangeRate | null;
  /**
   * Lines sorted by variant id, then line id. Every choice the engine makes (which unit is
   * cheapest, who gets the last minor unit of an allocation) breaks ties by this order, so the
   * result does not depend on the order the cart lists its lines in, nor on the line ids: the
   * storefront names a line by its variant, checkout by Shopify's cart line id (which follows
   * the order the buyer added things), and both must take the same units.
   */
  readonly lines: readonly CanonicalLine[];
}

/**
 * What resolving a configured amount needs: the cart's currency and rate, not its lines. The
 * storefront states offers' terms (tiers, bundles, sets) with it before any cart holds them.
 */
export type AmountContext = Pick<PricingContext, "currency" | "rate">;

/** Checks the cart and puts its lines in canonical order. Lines with quantity 0 are ignored. */
export function createPricingContext(cart: CartInput): PricingContext {
  try {
    currencyDecimals(cart.currency);
  } catch {
    throw new OffersError("invalid-cart", `Cart currency "${cart.currency}" is not an ISO 4217 code.`);
  }
  let rate: ExchangeRate | null = null;
  if (cart.presentmentRate !== undefined) {
    try {
      rate = parseExchangeRate(cart.presentmentRate);
    } catch {
      throw new OffersError("invalid-cart", `Presentment rate "${cart.presentmentRate}" is not a positive decimal.`);
    }
  }
  const seen = new Set<string>();
  const lines: CanonicalLine[] = [];
  // Every sum the engine takes (a set's price, spend, the subtotal) is at most the cart's total,
  // so a total that is a safe integer keeps them all exact; lines that each fit can still pass it.
  let total = 0;
  for (const line of cart.lines) {
    if (seen.has(line.id)) throw new OffersError("invalid-cart", `Cart line "${line.id}" appears twice.`);
    seen.add(line.id);
    if (!Number.isSafeInteger(line.quantity) || line.quantity < 0) {
      throw new OffersError("invalid-cart", `Cart line "${line.id}" has quantity ${line.quantity}.`);
    }
    if (!Number.isSafeInteger(line.unitPrice) || line.unitPrice < 0) {
      throw new OffersError("invalid-cart", `Cart line "${line.id}" has unit price ${line.unitPrice}; prices are integer minor units.`);
    }
    if (line.quantity === 0) continue;
    const subtotal = line.unitPrice * line.quantity;
    if (!Number.isSafeInteger(subtotal)) throw new OffersError("invalid-cart", `Cart line "${line.id}" is too large.`);
    total += subtotal;
    if (!Number.isSafeInteger(total)) throw new OffersError("invalid-cart", "The cart's total is too large to price exactly.");
    lines.push({
      index: 0,
      id: line.id,
      variantId: line.variantId,
      productId: line.productId,
      collectionIds: new Set(line.collectionIds),
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      subtotal,
    });
  }
  const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  lines.sort((a, b) => byText(a.variantId, b.variantId) || byText(a.id, b.id));
  return { currency: cart.currency, rate, lines: lines.map((line, index) => ({ ...line, index })) };
}

/**
 * An amount configured in the shop currency, in the cart's currency: the market's own amount
 * when the merchant pinned one, else the same amount when the currencies match, else converted at
 * the presentment rate (half up). Null when it cannot be known (no rate for a foreign cart, or a
 * converted amount past exact integers, such as a "never reached" threshold in a currency of many
 * minor units): the offer then does not apply rather than guess, and the others still price.
 */
export function resolveAmount(money: ConfigMoney, context: AmountContext): number | null {
  const pinned = money.byCurrency?.[context.currency];
  if (pinned !== undefined) return pinned;
  if (money.currency === context.currency) return money.amount;
  if (!context.rate) return null;
  try {
    return convertMinorUnits({ amount: money.amount, from: money.currency, to: context.currency, rate: context.rate });
  } catch (error) {
    if (error instanceof MoneyError) return null;
    throw error;
  }
}
