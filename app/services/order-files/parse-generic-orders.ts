import { assertCurrencyCode } from "~/core/money";
import { badCell, field, readCsvRecords } from "./csv-records";
import { priceInCell } from "./minor-units";
import { OrderFileBuilder } from "./order-file-builder";
import type { OrderFileInput, ParsedOrderFile } from "./order-file-types";
import { parseTimestamp } from "./timestamps";

const COLUMNS = ["order_id", "product_id"] as const;

// Digits only: Number() alone would read "0x10" as 16, "1e3" as 1000 and "1.5" as half an item.
// A sign is allowed so returns ("-1") are skipped as non-positive, as in the other formats.
const WHOLE_NUMBER = /^-?\d+$/;

export interface GenericOrdersOptions {
  /** Currency of the optional `price` column. */
  readonly currency?: string;
}

/**
 * The simplest useful order file: `order_id,product_id` with optional `quantity` (a whole number,
 * default 1), `price` (decimal, shop currency), `created_at` (ISO 8601; orders without one are
 * dated at epoch 0, so time decay treats them as equally old) and `title`. The user writes this
 * file by hand or by script, so an unreadable value is an error naming its line and column
 * rather than a row silently dropped; rows without ids or with non-positive quantities are skipped
 * and counted.
 */
export async function parseGenericOrders(input: OrderFileInput, options: GenericOrdersOptions = {}): Promise<ParsedOrderFile> {
  const currency = options.currency ?? "USD";
  assertCurrencyCode(currency);
  const builder = new OrderFileBuilder();
  for await (const { record, line } of readCsvRecords(input, COLUMNS)) {
    builder.countRow();
    const orderId = field(record, "order_id");
    const productId = field(record, "product_id");
    if (!orderId || !productId) {
      builder.skip("malformed");
      continue;
    }
    const quantityText = field(record, "quantity");
    const quantity = quantityText === undefined ? 1 : quantityInCell(quantityText, line);
    const createdText = field(record, "created_at");
    const createdAt = createdText === undefined ? 0 : parseTimestamp(createdText);
    if (createdAt === undefined) {
      throw badCell(line, "created_at", `"${createdText ?? ""}" is not an ISO 8601 timestamp.`);
    }
    if (quantity <= 0) {
      builder.skip("non_positive");
      continue;
    }
    const priceText = field(record, "price");
    const unitPrice = priceText === undefined ? undefined : priceInCell(priceText, currency, line, "price");
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

function quantityInCell(text: string, line: number): number {
  if (!WHOLE_NUMBER.test(text)) {
    throw badCell(line, "quantity", `"${text}" is not a quantity; write a whole number in digits, such as 2.`);
  }
  const quantity = Number(text);
  if (!Number.isSafeInteger(quantity)) throw badCell(line, "quantity", `"${text}" is too large.`);
  return quantity;
}
