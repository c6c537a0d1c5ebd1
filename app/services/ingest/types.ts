/**
 * Catalog and orders as every source delivers them once normalised: webhooks, the Admin API
 * backfill, and CSV imports all produce these shapes and hand them to ./index (one way in).
 * Money is in integer minor units of `currency`; ids are Shopify's numeric ids as text, or, for
 * CSV rows that carry none, a stable key the importer derives (documented where it is derived).
 */
export interface IncomingVariant {
  shopifyId: string;
  title?: string;
  sku?: string | null;
  price: number;
  compareAtPrice?: number | null;
  currency: string;
  /** null: inventory not tracked. undefined: unknown, keep what is stored. */
  inventoryQuantity?: number | null;
  inventoryPolicy?: "deny" | "continue";
}

export interface IncomingProduct {
  shopifyId: string;
  handle: string;
  title: string;
  description?: string;
  productType?: string;
  vendor?: string;
  tags?: string[];
  status?: "active" | "draft" | "archived";
  publishedAt?: Date | null;
  imageUrl?: string | null;
  /** The source's own last-change time (a webhook's updated_at), kept to recognise late deliveries. */
  sourceUpdatedAt?: Date | null;
  variants: IncomingVariant[];
  /**
   * True when `variants` lists only some of the product's variants (a partial source): variants
   * not listed are then kept. By default the list is complete and unlisted variants are removed.
   */
  partialVariants?: boolean;
  /**
   * True when the source does not own the product (a CSV row for a product Shopify syncs): its
   * title, prices, stock, status and publication stay as stored, its other fields only fill
   * empty ones, and it creates nothing (no variant the product lacks, no product that is not
   * stored). The variant list is then partial too.
   */
  fillEmptyOnly?: boolean;
}

export interface IncomingOrderLine {
  shopifyProductId?: string | null;
  shopifyVariantId?: string | null;
  sku?: string | null;
  title: string;
  quantity: number;
  unitPrice: number;
  discount?: number;
  /**
   * What was refunded for this line (its refund line items' subtotals). undefined: the source
   * does not say (a CSV export, the backfill), so what is stored is kept.
   */
  refunded?: number;
  /** The units those refunds took back, at most `quantity`. Read with `refunded` (kept with it); undefined beside it: none. */
  refundedUnits?: number;
  /** Line item properties; `_upshelf_offer` and `_upshelf_placement` are kept for attribution. */
  properties?: Record<string, string>;
}

export interface IncomingOrder {
  shopifyId: string;
  name: string;
  currency: string;
  subtotal: number;
  total: number;
  discount?: number;
  /** What was refunded for the order's items; undefined: the source does not say, keep what is stored. */
  refunded?: number;
  /**
   * A coarser figure from a source that knows only the money refunded for the whole order (the
   * orders CSV's `Refunded Amount`, which may include shipping and tax, capped at the items'
   * subtotal). Stored when the order has no refund stored yet; a finer stored figure (from
   * Shopify's refund line items) is kept. Ignored beside `refunded`.
   */
  refundedEstimate?: number;
  customerId?: string | null;
  cancelledAt?: Date | null;
  placedAt: Date;
  /**
   * The holdout test and visitor the storefront marked the cart with (`_upshelf_exp`). null: none;
   * undefined: the source cannot say (a CSV export), keep what is stored.
   */
  experiment?: { key: string; visitor: string } | null;
  /**
   * When Shopify last changed the order (webhooks, the backfill); undefined when the source does
   * not say (a CSV export). An order older than the stored one is skipped.
   */
  updatedAt?: Date;
  /**
   * What the items cost at checkout, after discounts (Shopify's subtotal_price, which order edits
   * do not change); undefined when the source does not say. The lines beyond it were added after
   * checkout, which is where a post-purchase offer's line must be.
   */
  checkoutSubtotal?: number;
  lines: IncomingOrderLine[];
}

/** What an ingest of products reports; each product counts once. */
export interface ProductUpsertResult {
  created: number;
  /** The product or any of its variants changed (variants added, changed or removed). */
  updated: number;
  /** Already stored exactly as given: nothing was written. */
  unchanged: number;
  /**
   * Skipped as an older state than the stored one (only with `skipOlderStates`), or a
   * `fillEmptyOnly` product that is no longer stored (deleted since it was matched).
   */
  older: number;
}

/**
 * A newly stored order as the recommendation model learns from it: Shopify ids, lines reduced
 * to the product each names (lines matching no product are left out).
 */
export interface IngestedOrder {
  id: string;
  placedAt: Date;
  cancelled: boolean;
  lines: Array<{ productId: string; quantity: number }>;
}

export interface OrderIngestResult {
  created: number;
  /** Stored before, and something differed: the order row was updated and its lines replaced. */
  updated: number;
  /** Stored before exactly as given (a redelivery or a re-run): nothing was written. */
  skipped: number;
  createdOrders: IngestedOrder[];
}
