import { encodeFunctionConfiguration } from "~/core/offers";
import { listActiveOffers } from "~/models/offer.server";
import { cartLinesDiscountsGenerateRun } from "../../../extensions/upshelf-discount/src/index";
import type { CartLine } from "./cart-lines";
import { discountFunctionInput, discountsFromResult, type AppliedDiscounts } from "./discount-function-input";
import { findPreviewVariants, type PreviewProduct, type PreviewVariant } from "./preview-catalog.server";
import { cartLineSellingPlanJson } from "./selling-plans";
import { productUrl, toAjaxAmount } from "./storefront-json";

/**
 * The preview cart as Shopify's `/cart.js` reports it, discounts included. The discounts come from
 * running the checkout discount function (extensions/upshelf-discount) on the input Shopify would
 * give it: this cart and the shop's active offers, encoded as the function's configuration.
 */
export interface PricedPreviewLine {
  line: CartLine;
  product: PreviewProduct;
  variant: PreviewVariant;
  /** Minor units. */
  unitPrice: number;
  subtotal: number;
  discount: number;
  discountMessage: string | null;
}

export interface PricedPreviewCart {
  currency: string;
  lines: PricedPreviewLine[];
  subtotal: number;
  lineDiscounts: number;
  orderDiscount: { amount: number; message: string } | null;
  total: number;
}

async function checkoutDiscounts(shopId: string, lines: PricedPreviewLine[], currency: string, now: Date): Promise<AppliedDiscounts> {
  const none: AppliedDiscounts = { byLine: new Map(), order: null };
  if (lines.length === 0) return none;
  const offers = await listActiveOffers(shopId);
  if (offers.length === 0) return none;
  const encoded = encodeFunctionConfiguration(offers, { now, shopCurrency: currency });
  if (encoded.includedOfferIds.length === 0) return none;
  const input = discountFunctionInput({
    lines: lines.map((line) => ({
      id: line.line.key,
      variantId: line.variant.id,
      productId: line.product.id,
      quantity: line.line.quantity,
      unitPrice: line.unitPrice,
    })),
    currency,
    configuration: encoded.value,
    discountClasses: encoded.discount.discountClasses,
    now,
  });
  return discountsFromResult(cartLinesDiscountsGenerateRun(input), currency);
}

export async function priceCartLines(shopId: string, shopCurrency: string, cartLines: readonly CartLine[], now = new Date()): Promise<PricedPreviewCart> {
  const products = await findPreviewVariants(shopId, cartLines.map((line) => line.variantId));
  const lines: PricedPreviewLine[] = [];
  for (const line of cartLines) {
    const product = products.get(line.variantId);
    const variant = product?.variants.find((candidate) => candidate.id === line.variantId);
    // A variant no longer sold drops out of the cart, as on Shopify.
    if (!product || !variant) continue;
    lines.push({ line, product, variant, unitPrice: variant.price, subtotal: variant.price * line.quantity, discount: 0, discountMessage: null });
  }
  const currency = lines[0]?.variant.currency ?? shopCurrency;
  const discounts = await checkoutDiscounts(shopId, lines, currency, now);
  for (const line of lines) {
    const applied = discounts.byLine.get(line.line.key);
    if (applied) Object.assign(line, { discount: applied.amount, discountMessage: applied.message });
  }
  const subtotal = lines.reduce((sum, line) => sum + line.subtotal, 0);
  const lineDiscounts = lines.reduce((sum, line) => sum + line.discount, 0);
  const orderDiscount = discounts.order;
  return { currency, lines, subtotal, lineDiscounts, orderDiscount, total: subtotal - lineDiscounts - (orderDiscount?.amount ?? 0) };
}

export function lineJson(priced: PricedPreviewLine, currency: string) {
  const cents = (minor: number) => toAjaxAmount(minor, currency);
  const { line, product, variant } = priced;
  const finalLine = priced.subtotal - priced.discount;
  return {
    id: Number(variant.id),
    key: line.key,
    properties: line.properties,
    quantity: line.quantity,
    variant_id: Number(variant.id),
    product_id: Number(product.id),
    title: variant.title === "Default Title" ? product.title : `${product.title} - ${variant.title}`,
    product_title: product.title,
    variant_title: variant.title === "Default Title" ? null : variant.title,
    handle: product.handle,
    // (Shopify's names a line's plan too: "?selling_plan=…&variant=…".)
    url: `${productUrl(product.handle)}?${line.sellingPlanId ? `selling_plan=${line.sellingPlanId}&` : ""}variant=${variant.id}`,
    image: product.imageUrl,
    sku: variant.sku,
    price: cents(priced.unitPrice),
    original_price: cents(priced.unitPrice),
    discounted_price: cents(Math.round(finalLine / line.quantity)),
    line_price: cents(finalLine),
    original_line_price: cents(priced.subtotal),
    final_price: cents(Math.round(finalLine / line.quantity)),
    final_line_price: cents(finalLine),
    total_discount: cents(priced.discount),
    discounts: priced.discount > 0 ? [{ amount: cents(priced.discount), title: priced.discountMessage ?? "" }] : [],
    line_level_discount_allocations:
      priced.discount > 0
        ? [{ amount: cents(priced.discount), discount_application: { type: "automatic", title: priced.discountMessage ?? "", value_type: "fixed_amount" } }]
        : [],
    // Only on a line bought with a selling plan, as on Shopify.
    ...(line.sellingPlanId ? { selling_plan_allocation: cartLineSellingPlanJson(cents(priced.unitPrice)) } : {}),
  };
}

export function cartJson(cart: PricedPreviewCart, token: string, attributes: Readonly<Record<string, string>> = {}) {
  const cents = (minor: number) => toAjaxAmount(minor, cart.currency);
  return {
    token,
    note: null,
    attributes: { ...attributes },
    original_total_price: cents(cart.subtotal),
    items_subtotal_price: cents(cart.subtotal - cart.lineDiscounts),
    total_price: cents(cart.total),
    total_discount: cents(cart.lineDiscounts + (cart.orderDiscount?.amount ?? 0)),
    total_weight: 0,
    item_count: cart.lines.reduce((sum, line) => sum + line.line.quantity, 0),
    items: cart.lines.map((line) => lineJson(line, cart.currency)),
    requires_shipping: true,
    currency: cart.currency,
    cart_level_discount_applications: cart.orderDiscount
      ? [{ type: "automatic", key: "upshelf", title: cart.orderDiscount.message, value_type: "fixed_amount", total_allocated_amount: cents(cart.orderDiscount.amount) }]
      : [],
  };
}

export type CartJson = ReturnType<typeof cartJson>;
