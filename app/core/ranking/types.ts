/** A shop's product id as the shop knows it (Shopify product id, SKU or stock code). */
export type ProductId = string;

export interface OrderLine {
  readonly productId: ProductId;
  readonly quantity: number;
  /** Price of one unit in the shop currency's minor units, when known. */
  readonly unitPrice?: number;
}

export interface Order {
  readonly id: string;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  readonly lines: readonly OrderLine[];
  readonly cancelled?: boolean;
}

/** What the engine may know about a product; only `id` and `title` are required. */
export interface CatalogProduct {
  readonly id: ProductId;
  readonly title: string;
  readonly description?: string;
  readonly productType?: string;
  readonly vendor?: string;
  readonly tags?: readonly string[];
  /** Minor units of the shop currency. */
  readonly price?: number;
  /** In stock (or sold when out of stock). Missing means available. */
  readonly available?: boolean;
  /** Published to the online store. Missing means published. */
  readonly published?: boolean;
}

/** Where a recommendation is shown; feedback is learned per placement. */
export type Placement = "pdp" | "cart" | "post_purchase" | "upgrade";
