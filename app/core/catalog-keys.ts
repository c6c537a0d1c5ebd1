/**
 * Keys of catalog rows Upshelf knows only from a products CSV: a product is `csv:<handle>`, a
 * variant `csv:<handle>/<SKU or option values>` (services/csv-import/products-csv.ts). Such a
 * product is not in Shopify: a buyer cannot see it nor add it to a cart, and checkout cannot
 * discount it. Upshelf still learns from the orders that bought it, and takes its row over when
 * Shopify's catalog sync sends a product with its handle (services/ingest/upsert-products.server.ts).
 */
export const CSV_KEY_PREFIX = "csv:";

/** Whether a stored product or variant id is a CSV key rather than Shopify's own id. */
export function isCsvOnlyKey(shopifyId: string): boolean {
  return shopifyId.startsWith(CSV_KEY_PREFIX);
}

/** What the admin's pickers say of such a product, which they list but do not let anyone choose. */
export const CSV_ONLY_PRODUCT_NOTE = "Imported from a CSV file and not in Shopify yet: it can be chosen once Shopify's catalog sync brings it in.";
