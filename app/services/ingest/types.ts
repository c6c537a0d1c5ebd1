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
  variants: IncomingVariant[];
}

export interface IncomingOrderLine {
  shopifyProductId?: string | null;
  shopifyVariantId?: string | null;
  sku?: string | null;
  title: string;
  quantity: number;
  unitPrice: number;
  discount?: number;
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
  customerId?: string | null;
  cancelledAt?: Date | null;
  placedAt: Date;
  lines: IncomingOrderLine[];
}
