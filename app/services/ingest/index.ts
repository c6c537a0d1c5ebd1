/**
 * The one way catalog and orders enter Upshelf. Webhooks, the Admin API sync and backfill, and
 * CSV imports normalise what they receive into ./types and call these.
 */
export { upsertProducts, deleteProduct, setInventory, type UpsertProductsOptions } from "./upsert-products.server";
export { ingestOrders, OFFER_PROPERTY, PLACEMENT_PROPERTY, POST_PURCHASE_PLACEMENT, RECOMMENDATION_OFFER_MARKER } from "./ingest-orders.server";
export { IngestError } from "./batching";
export type * from "./types";
