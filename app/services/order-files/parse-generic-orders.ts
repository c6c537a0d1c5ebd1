import { assertCurrencyCode } from "~/core/money";
import { field, readCsvRecords } from "./csv-records";
import { decimalToMinorUnits } from "./minor-units";
import { OrderFileBuilder } from "./order-file-builder";
import { OrderFileError, type OrderFileInput, type ParsedOrderFile } from "./order-file-types";
import { parseTimestamp } from "./timestamps";

const COLUMNS = ["order_id", "product_id"] as const;

export interface GenericOrdersOptions {
  /** Currency of the optional `price` column. */
  readonly currency?: string;
}

/**
 * The simplest useful order file: `order_id,product_id` with optional `quantity` (default 1),
 * `price` (decimal, shop currency), `created_at` (ISO 8601; orders without one are dated at
 * epoch 0, so time decay treats them as equally old) and `title`.
 */
export async function parseGenericOrders(input: OrderFileInput, options: GenericOrdersOptions = {}): Promise<ParsedOrderFile> {
  const currency = options.currency ?? "USD";
  assertCurrencyCode(currency);
  const builder = new OrderFileBuilder();
  let row = 1;
  for await (const record of readCsvRecords(input, COLUMNS)) {
    row += 1;
    builder.countRow();
    const orderId = field(record, "order_id");
    const productId = field(record, "product_id");
    if (!orderId || !productId) {
      builder.skip("malformed");
      continue;
    }
    const quantityText = field(record, "quantity");
    const quantity = quantityText === undefined ? 1 : Number(quantityText);
    const createdText = field(record, "created_at");
    const createdAt = createdText === undefined ? 0 : parseTimestamp(createdText);
    if (createdAt === undefined) {
      throw new OrderFileError("bad_value", `Row ${row}: created_at "${createdText ?? ""}" is not an ISO 8601 timestamp.`);
    }
    if (!Number.isFinite(quantity)) {
      builder.skip("malformed");
      continue;
    }
    if (quantity <= 0) {
      builder.skip("non_positive");
      continue;
    }
    const priceText = field(record, "price");
    const unitPrice = priceText === undefined ? undefined : decimalToMinorUnits(priceText, currency);
    const title = field(record, "title");
    builder.addLine(
      orderId,
      createdAt,
      { productId, quantity, ...(unitPrice !== undefined ? { unitPrice } : {}) },
      title ? { title } : {}
    );
  }
  return builder.build("generic", currency);
}
