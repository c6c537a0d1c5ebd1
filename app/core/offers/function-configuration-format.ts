/**
 * The compact JSON the app writes to the discount's metafield and the checkout function reads.
 * Shopify caps the metafield at 10,000 bytes, so keys are one or two letters, titles stay out
 * (checkout messages do not use them) and Shopify GIDs lose their common prefix. The same JSON
 * doubles as the function's input-query variables: `collectionIds` feeds `inCollections`, and
 * `t0`…`t7` are the schedule boundaries the function's clock is asked about.
 *
 * Version 1 layout:
 *   { v: 1, c: "USD", collectionIds: [gid…], t0…t7: "YYYY-MM-DDTHH:MM:SS", o: [offer…] }
 *   offer:    { k: kind, i: id, p: priority, c: combine bits, w?: [startSlot, endSlot], …kind fields }
 *   kinds:    fb fixed bundle { it: [["p"|"v", id, qty]…], v, m? }
 *             mm mix and match { s, n, v, m? }
 *             bx buy X get Y { b, x, g, y, d: basis points, m? }
 *             qb quantity breaks { s, e: 1 when counted per product, r: [[minQuantity, v]…] }
 *             st spend tiers { r: [[money, v]…] }
 *             ul upgrade ladder { s: [["p"|"v", id]…], v }
 *   v (value): ["%", basis points] | ["-", money] | ["=", money] | ["e", money] (off each unit)
 *   money:    amount | [amount, { CUR: amount }]
 *   selector: { p?: [id…], v?: [id…], c?: [index into collectionIds…] }
 */

export const FUNCTION_CONFIGURATION_VERSION = 1;
export const FUNCTION_CONFIGURATION_NAMESPACE = "$app:upshelf-discount";
export const FUNCTION_CONFIGURATION_KEY = "function-configuration";
/** Shopify's limit for a function-owner metafield value, in bytes. */
export const FUNCTION_CONFIGURATION_MAX_BYTES = 10_000;
/** How many schedule boundaries the input query asks the function's clock about (t0…t7). */
export const SCHEDULE_SLOTS = 8;
/** Value for unused slots: a boundary that is never reached. */
export const UNUSED_SLOT = "2999-12-31T23:59:59";

export const COMBINES_PRODUCT = 1;
export const COMBINES_ORDER = 2;
export const COMBINES_SHIPPING = 4;

export const PRODUCT_GID_PREFIX = "gid://shopify/Product/";
export const VARIANT_GID_PREFIX = "gid://shopify/ProductVariant/";

/**
 * "gid://shopify/Product/123" → "123". Other ids are kept whole, escaped with "#" when they
 * could be mistaken for a compacted one (all digits, as in the demo shop) or start with "#".
 */
export function compactId(id: string, prefix: string): string {
  if (id.startsWith(prefix)) {
    const rest = id.slice(prefix.length);
    if (/^\d+$/.test(rest)) return rest;
  }
  return /^\d+$/.test(id) || id.startsWith("#") ? `#${id}` : id;
}

export function expandId(id: string, prefix: string): string {
  if (/^\d+$/.test(id)) return prefix + id;
  return id.startsWith("#") ? id.slice(1) : id;
}

export function slotName(index: number): string {
  return `t${index}`;
}

/** UTF-8 length without TextEncoder, which the function runtime need not have. */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4;
      i += 1;
    } else bytes += 3;
  }
  return bytes;
}
