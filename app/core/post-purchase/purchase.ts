/**
 * The purchase an offer is made for, as Shopify describes it to the post-purchase extension
 * (`inputData.initialPurchase`) and, reshaped the same way, as the thank-you page's lines. Shopify
 * sends ids as numbers and amounts as decimal strings; here they become numeric-id strings (as
 * the catalog stores them) and integer minor units.
 */
import { z } from "zod";
import type { Money } from "../money";
import { moneyFromShopify, sumMoney } from "./shopify-money";

const shopifyId = z.union([
  z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  z.string().regex(/^(?:gid:\/\/shopify\/\w+\/)?\d{1,20}$/, "must be a Shopify id"),
]);

const moneySchema = z.object({
  amount: z.union([z.string(), z.number()]),
  currencyCode: z.string().regex(/^[A-Z]{3}$/, "must be an ISO 4217 currency code"),
});

const moneyBagSchema = z.object({ shopMoney: moneySchema, presentmentMoney: moneySchema.optional() });

export const initialPurchaseSchema = z.object({
  referenceId: z.string().trim().min(1, "is required").max(200),
  lineItems: z
    .array(
      z.object({
        product: z.object({ id: shopifyId, variant: z.object({ id: shopifyId }) }),
        quantity: z.number().int().positive().max(100_000),
        totalPriceSet: moneyBagSchema.optional(),
      }),
    )
    .max(500, "at most 500 line items"),
  totalPriceSet: moneyBagSchema.optional(),
});

export type InitialPurchaseInput = z.input<typeof initialPurchaseSchema>;

export interface PurchaseLine {
  readonly productId: string;
  readonly variantId: string;
  readonly quantity: number;
}

export interface Purchase {
  readonly referenceId: string;
  readonly lines: readonly PurchaseLine[];
  /**
   * Sum of the line totals (after line discounts) in the currency the buyer paid in, or null when a line has
   * no price or the lines disagree on currency: then no price-share rule can be checked.
   */
  readonly subtotal: Money | null;
}

/** "gid://shopify/Product/123", "123" or 123 -> "123". */
export function numericShopifyId(id: string | number): string {
  return typeof id === "number" ? String(id) : (/(\d+)$/.exec(id)?.[1] ?? id);
}

export function purchaseFromInitialPurchase(input: z.output<typeof initialPurchaseSchema>): Purchase {
  const lines = input.lineItems.map((line) => ({
    productId: numericShopifyId(line.product.id),
    variantId: numericShopifyId(line.product.variant.id),
    quantity: line.quantity,
  }));
  // In the buyer's currency when Shopify gives it: an offer priced in the shop's currency is
  // then skipped for a buyer paying in another (the page would name a price Shopify does not charge).
  const totals = input.lineItems.map((line) =>
    line.totalPriceSet ? moneyFromShopify(line.totalPriceSet.presentmentMoney ?? line.totalPriceSet.shopMoney) : null,
  );
  return { referenceId: input.referenceId, lines, subtotal: sumMoney(totals) };
}
