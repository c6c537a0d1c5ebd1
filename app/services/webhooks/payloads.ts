/**
 * Shopify's webhook payloads (REST-shaped JSON) turned into Upshelf's ingest shapes. Only the
 * fields Upshelf uses are read; names, emails and addresses are never copied.
 */
import { z } from "zod";
import { parseDecimalToMinor } from "~/core/money";
import { itemsSubtotal } from "~/services/ingest/items-subtotal";
import { experimentOf, thankYouProductOf, withThankYouPlacement, type OrderAttributes } from "~/services/ingest/storefront-marks";
import type { IncomingOrder, IncomingProduct } from "~/services/ingest/types";

/** Shopify ids arrive as numbers (or, past 2^53, as the digit strings our JSON parser keeps). */
const shopifyId = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/, "must be a numeric id")]).transform(String);
const decimal = z.union([z.string(), z.number()]).transform(String);
const timestamp = z.string().datetime({ offset: true }).transform((value) => new Date(value));

const moneySet = z.object({ shop_money: z.object({ amount: decimal }) }).nullish();

const orderLineSchema = z.object({
  /** The line's own id: refunds name the lines they refund by it. */
  id: shopifyId.nullish(),
  product_id: shopifyId.nullish(),
  variant_id: shopifyId.nullish(),
  sku: z.string().nullish(),
  title: z.string(),
  quantity: z.number().int(),
  /** The quantity after removals: order edits, and refunds that took units back (API 2024-01+). */
  current_quantity: z.number().int().nullish(),
  price: decimal,
  price_set: moneySet,
  total_discount: decimal.nullish(),
  discount_allocations: z.array(z.object({ amount: decimal, amount_set: moneySet })).nullish(),
  properties: z.array(z.object({ name: z.string(), value: z.union([z.string(), z.number(), z.boolean()]).nullish() })).nullish(),
});

const refundSchema = z.object({
  refund_line_items: z
    .array(z.object({ line_item_id: shopifyId, quantity: z.number().int().nullish(), subtotal: decimal.nullish(), subtotal_set: moneySet }))
    .nullish(),
});

export const orderPayloadSchema = z.object({
  id: shopifyId,
  name: z.string(),
  currency: z.string().length(3),
  created_at: timestamp,
  processed_at: timestamp.nullish(),
  updated_at: timestamp.nullish(),
  cancelled_at: timestamp.nullish(),
  /** A test order (Bogus gateway, test mode): not a sale. */
  test: z.boolean().nullish(),
  subtotal_price: decimal,
  total_price: decimal,
  total_discounts: decimal.nullish(),
  customer: z.object({ id: shopifyId }).nullish(),
  note_attributes: z.array(z.object({ name: z.string(), value: z.union([z.string(), z.number(), z.boolean()]).nullish() })).nullish(),
  line_items: z.array(orderLineSchema),
  /** Present on orders/updated (and orders/cancelled) once anything was refunded. */
  refunds: z.array(refundSchema).nullish(),
});

function noteAttributes(payload: z.infer<typeof orderPayloadSchema>): OrderAttributes {
  return new Map((payload.note_attributes ?? []).map((attribute) => [attribute.name, String(attribute.value ?? "")]));
}

const variantSchema = z.object({
  id: shopifyId,
  title: z.string().nullish(),
  sku: z.string().nullish(),
  price: decimal,
  compare_at_price: decimal.nullish(),
  inventory_quantity: z.number().int().nullish(),
  /**
   * API versions before 2024-07: null means Shopify does not track the variant's inventory.
   * Later versions leave the field out; whether a variant is tracked is then asked of the
   * Admin API (`tracking` in productFromPayload).
   */
  inventory_management: z.string().nullish(),
  inventory_policy: z.enum(["deny", "continue"]).nullish(),
});

export const productPayloadSchema = z.object({
  id: shopifyId,
  title: z.string(),
  handle: z.string(),
  body_html: z.string().nullish(),
  vendor: z.string().nullish(),
  product_type: z.string().nullish(),
  tags: z.union([z.string(), z.array(z.string())]).nullish(),
  status: z.enum(["active", "draft", "archived"]).nullish(),
  published_at: timestamp.nullish(),
  updated_at: timestamp.nullish(),
  image: z.object({ src: z.string() }).nullish(),
  images: z.array(z.object({ src: z.string() })).nullish(),
  variants: z.array(variantSchema),
});

export const productDeletePayloadSchema = z.object({ id: shopifyId });

/** shop/update (the REST shop resource): Upshelf keeps only its name, currency and time zone. */
export const shopPayloadSchema = z.object({
  name: z.string().min(1),
  currency: z.string().length(3),
  iana_timezone: z.string().nullish(),
  updated_at: timestamp.nullish(),
});

/** discounts/update: which discount (its Admin API id) and its DiscountStatus (ACTIVE, EXPIRED, SCHEDULED). */
export const discountUpdatePayloadSchema = z.object({
  admin_graphql_api_id: z.string().startsWith("gid://shopify/"),
  status: z.string().min(1),
});

/** discounts/delete: only the id of the discount that is gone. */
export const discountDeletePayloadSchema = z.object({
  admin_graphql_api_id: z.string().startsWith("gid://shopify/"),
});

export const inventoryLevelPayloadSchema = z.object({
  inventory_item_id: shopifyId,
  location_id: shopifyId.nullish(),
  available: z.number().int().nullish(),
});

export const customerDataRequestPayloadSchema = z.object({
  shop_domain: z.string(),
  customer: z.object({ id: shopifyId }),
  orders_requested: z.array(shopifyId).nullish(),
  data_request: z.object({ id: shopifyId }).nullish(),
});

export const customerRedactPayloadSchema = z.object({
  shop_domain: z.string(),
  // Email and phone only find the customer in files that name them so (a kept orders export); never stored.
  customer: z.object({ id: shopifyId, email: z.string().nullish(), phone: z.string().nullish() }),
  orders_to_redact: z.array(shopifyId).nullish(),
});

function minor(value: string, currency: string): number {
  // Shopify writes amounts with the currency's decimals; round rather than lose an order.
  return parseDecimalToMinor(value, currency, { rounding: "half-up" });
}

function lineDiscount(line: z.infer<typeof orderLineSchema>, currency: string): number {
  if (line.discount_allocations && line.discount_allocations.length > 0) {
    return line.discount_allocations.reduce(
      (sum, allocation) => sum + minor(allocation.amount_set?.shop_money.amount ?? allocation.amount, currency),
      0,
    );
  }
  return line.total_discount ? minor(line.total_discount, currency) : 0;
}

/**
 * What was refunded for each line, by line id: the subtotals (after the line's discounts, before
 * tax) of the refund line items naming it. Refunds of shipping alone name no line.
 */
function refundedByLine(payload: z.infer<typeof orderPayloadSchema>): Map<string, { amount: number; units: number }> {
  const refunded = new Map<string, { amount: number; units: number }>();
  for (const refund of payload.refunds ?? []) {
    for (const item of refund.refund_line_items ?? []) {
      const amount = item.subtotal_set?.shop_money.amount ?? item.subtotal;
      const sum = refunded.get(item.line_item_id) ?? { amount: 0, units: 0 };
      refunded.set(item.line_item_id, {
        amount: sum.amount + (amount === null || amount === undefined ? 0 : minor(amount, payload.currency)),
        units: sum.units + (item.quantity ?? 0),
      });
    }
  }
  return refunded;
}

/**
 * The units the buyer paid for: an order edit can remove units (current_quantity falls) without a
 * refund, and those were never bought. Units taken back by a refund stay, as bought and refunded,
 * so the refund is not counted twice (whether or not Shopify lowered current_quantity for it).
 */
function boughtQuantity(line: z.infer<typeof orderLineSchema>, refundedUnits: number): number {
  const removedUnrefunded = Math.max(0, line.quantity - (line.current_quantity ?? line.quantity) - refundedUnits);
  return Math.max(0, line.quantity - removedUnrefunded);
}

export function orderFromPayload(payload: z.infer<typeof orderPayloadSchema>): IncomingOrder {
  const { currency } = payload;
  const attributes = noteAttributes(payload);
  const thankYouProduct = thankYouProductOf(attributes);
  const refunded = refundedByLine(payload);
  // Lines removed by an order edit keep quantity 0 in some payloads; they were not bought.
  // Lines an order edit removed (no unit left, none refunded) were not bought.
  const lines = payload.line_items.flatMap((line) => {
    const refund = (line.id ? refunded.get(line.id) : undefined) ?? { amount: 0, units: 0 };
    const quantity = boughtQuantity(line, refund.units);
    if (quantity === 0) return [];
    // The line's discount covered every unit it had; the removed ones take their share with them.
    const discount = lineDiscount(line, currency);
    return [
      {
        shopifyProductId: line.product_id ?? null,
        shopifyVariantId: line.variant_id ?? null,
        sku: line.sku ?? null,
        title: line.title,
        quantity,
        unitPrice: minor(line.price_set?.shop_money.amount ?? line.price, currency),
        discount: quantity === line.quantity ? discount : Math.round((discount * quantity) / line.quantity),
        refunded: refund.amount,
        refundedUnits: Math.min(quantity, refund.units),
        properties: attributionOf(line, thankYouProduct),
      },
    ];
  });
  return {
    shopifyId: payload.id,
    name: payload.name,
    currency,
    subtotal: subtotalOf(payload, lines),
    total: minor(payload.total_price, currency),
    discount: payload.total_discounts ? minor(payload.total_discounts, currency) : 0,
    // Every webhook payload lists the order's refunds (none yet is none): it always says.
    refunded: lines.reduce((sum, line) => sum + line.refunded, 0),
    customerId: payload.customer?.id ?? null,
    cancelledAt: payload.cancelled_at ?? null,
    placedAt: payload.processed_at ?? payload.created_at,
    ...(payload.updated_at ? { updatedAt: payload.updated_at } : {}),
    checkoutSubtotal: minor(payload.subtotal_price, currency),
    experiment: experimentOf(attributes),
    lines,
  };
}

/** The lines' own total (see itemsSubtotal); an order without lines keeps Shopify's figure. */
function subtotalOf(payload: z.infer<typeof orderPayloadSchema>, lines: ReadonlyArray<{ quantity: number; unitPrice: number; discount: number }>): number {
  return lines.length === 0 ? minor(payload.subtotal_price, payload.currency) : itemsSubtotal(lines);
}

function attributionOf(line: z.infer<typeof orderLineSchema>, thankYouProduct: string | null): Record<string, string> {
  const properties = Object.fromEntries((line.properties ?? []).map((property) => [property.name, String(property.value ?? "")]));
  return withThankYouPlacement(properties, line.product_id ?? null, thankYouProduct);
}

/** Whether the payload leaves out `inventory_management` (API 2024-07 and later), so tracking must be asked. */
export function productPayloadLacksTracking(payload: z.infer<typeof productPayloadSchema>): boolean {
  return payload.variants.some((variant) => !("inventory_management" in variant));
}

/**
 * `currency` is the shop's: product payloads carry prices in it without naming it. `tracking`:
 * for payloads without `inventory_management`, whether Shopify tracks each variant's inventory
 * (by variant id), or "keep" to keep the stock stored for it (tracking could not be read); a
 * variant not named is taken as tracked. An untracked variant's `inventory_quantity` means
 * nothing (often 0): stored as stock, it would mark made-to-order and digital products sold out.
 */
export function productFromPayload(
  payload: z.infer<typeof productPayloadSchema>,
  currency: string,
  tracking: ReadonlyMap<string, boolean | "keep"> = new Map(),
): IncomingProduct {
  const tags = Array.isArray(payload.tags) ? payload.tags : (payload.tags ?? "").split(",");
  return {
    shopifyId: payload.id,
    handle: payload.handle,
    title: payload.title,
    description: payload.body_html ?? "",
    productType: payload.product_type ?? "",
    vendor: payload.vendor ?? "",
    tags: tags.map((tag) => tag.trim()).filter(Boolean),
    status: payload.status ?? "active",
    publishedAt: payload.published_at ?? null,
    imageUrl: payload.image?.src ?? payload.images?.[0]?.src ?? null,
    sourceUpdatedAt: payload.updated_at ?? null,
    variants: payload.variants.map((variant) => ({
      shopifyId: variant.id,
      title: variant.title ?? "Default Title",
      sku: variant.sku ?? null,
      price: minor(variant.price, currency),
      compareAtPrice: variant.compare_at_price ? minor(variant.compare_at_price, currency) : null,
      currency,
      inventoryQuantity: stockOf(variant, tracking),
      inventoryPolicy: variant.inventory_policy ?? undefined,
    })),
  };
}

/** The stock to store: null when untracked, undefined to keep what is stored. */
function stockOf(variant: z.infer<typeof variantSchema>, tracking: ReadonlyMap<string, boolean | "keep">): number | null | undefined {
  const quantity = variant.inventory_quantity ?? undefined;
  if ("inventory_management" in variant) return variant.inventory_management === null ? null : quantity;
  const tracked = tracking.get(variant.id);
  if (tracked === "keep") return undefined;
  // Not answered for (demo mode, past 250 variants): taken as tracked, as before.
  return tracked === false ? null : quantity;
}
