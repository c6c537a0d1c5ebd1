import type { CatalogProduct, Order } from "~/core/ranking/types";

export type OrderFileFormat = "uci" | "shopify-orders" | "generic";
export const ORDER_FILE_FORMATS: readonly OrderFileFormat[] = ["uci", "shopify-orders", "generic"];

/** CSV text, or a stream of chunks (a Node Readable is an AsyncIterable). */
export type OrderFileInput = string | AsyncIterable<string | Uint8Array>;

export interface ParsedOrderFile {
  readonly format: OrderFileFormat;
  /** Currency of every price in `orders` and `catalog` (minor units). */
  readonly currency: string;
  /** Sorted by createdAt, then id. */
  readonly orders: Order[];
  /** One entry per product key seen in a kept line: title and typical price. */
  readonly catalog: CatalogProduct[];
  /** Data rows read (header excluded) and how many were dropped, by reason. */
  readonly rowsRead: number;
  readonly skippedRows: Readonly<Record<string, number>>;
}

export type OrderFileErrorCode = "missing_column" | "bad_value" | "mixed_currency" | "unreadable";

/** A file the parser cannot make sense of (or read); `code` lets a route map it to a 400. */
export class OrderFileError extends Error {
  override name = "OrderFileError";
  constructor(readonly code: OrderFileErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
  }
}
