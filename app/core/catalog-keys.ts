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

/**
 * The numeric id the demo shop's storefront (the local preview and its app proxy) gives a
 * CSV-only row, as Shopify gives every product and variant one: a base plus the stored row's own
 * id, so it is stable for as long as the row is (importing the file again updates the same row).
 * The bases sit above any id Shopify issues and below 2^53, so the widget's numbers stay exact.
 * Products and variants count from different bases, as their rows do from different tables.
 */
const CSV_STOREFRONT_BASE = { product: 9_000_000_000_000_000, variant: 9_001_000_000_000_000 } as const;
const CSV_STOREFRONT_SPAN = 1_000_000_000_000;

export type CatalogRowKind = keyof typeof CSV_STOREFRONT_BASE;

/** The id a storefront states for a stored row: Shopify's own, or the CSV-only row's numeric id. */
export function storefrontIdOf(kind: CatalogRowKind, row: { id: number; shopifyId: string }): string {
  return isCsvOnlyKey(row.shopifyId) ? String(CSV_STOREFRONT_BASE[kind] + row.id) : row.shopifyId;
}

/** The stored row id a storefront id names when it is a CSV-only row's (storefrontIdOf), else null. */
export function csvRowIdOf(kind: CatalogRowKind, storefrontId: string): number | null {
  if (!/^\d{16}$/.test(storefrontId)) return null;
  const rowId = Number(storefrontId) - CSV_STOREFRONT_BASE[kind];
  return rowId > 0 && rowId < CSV_STOREFRONT_SPAN ? rowId : null;
}
