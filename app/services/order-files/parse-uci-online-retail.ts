import { field, readCsvRecords } from "./csv-records";
import { decimalToMinorUnits } from "./minor-units";
import { repairMojibake } from "./mojibake";
import { OrderFileBuilder } from "./order-file-builder";
import type { OrderFileInput, ParsedOrderFile } from "./order-file-types";
import { parseTimestamp, parseUsSlashedTimestamp } from "./timestamps";

const COLUMNS = ["InvoiceNo", "StockCode", "Quantity", "InvoiceDate", "UnitPrice"] as const;

// Postage, discounts, manual adjustments, fees and charity lines: money movements, not products.
// Upper-cased because product ids are upper-cased ("m" is the same manual line as "M").
const NON_PRODUCT_CODES = new Set(["POST", "D", "M", "DOT", "BANK CHARGES", "AMAZONFEE", "CRUK", "S", "PADS", "C2", "B"]);

/**
 * Whether a UCI stock code names a product. Real codes are five digits with an optional letter
 * suffix; every service code listed in the dataset's documentation has no digit at all except
 * "C2" (carriage), and gift vouchers are "GIFT_0001_<value>".
 */
export function isUciProductCode(code: string): boolean {
  const upper = code.toUpperCase();
  if (NON_PRODUCT_CODES.has(upper)) return false;
  if (!/\d/.test(upper)) return false;
  return !upper.startsWith("GIFT_");
}

/**
 * UCI "Online Retail" (Chen 2015): one row per invoice line. Cleaning follows
 * /work/shared/data/README.md: cancellations (invoice "C…"), non-positive quantities or prices
 * and non-product codes are dropped; a basket is an InvoiceNo; prices are GBP.
 */
export async function parseUciOnlineRetail(input: OrderFileInput): Promise<ParsedOrderFile> {
  const currency = "GBP";
  const builder = new OrderFileBuilder();
  for await (const { record } of readCsvRecords(input, COLUMNS)) {
    builder.countRow();
    const invoice = field(record, "InvoiceNo");
    const code = field(record, "StockCode")?.toUpperCase();
    const dateText = field(record, "InvoiceDate") ?? "";
    const createdAt = parseTimestamp(dateText) ?? parseUsSlashedTimestamp(dateText);
    const quantity = Number(field(record, "Quantity"));
    const priceText = field(record, "UnitPrice") ?? "";
    if (!invoice || !code || createdAt === undefined || !Number.isFinite(quantity)) {
      builder.skip("malformed");
      continue;
    }
    if (invoice.toUpperCase().startsWith("C")) {
      builder.skip("cancellation");
      continue;
    }
    if (!isUciProductCode(code)) {
      builder.skip("non_product");
      continue;
    }
    const unitPrice = decimalToMinorUnits(priceText, currency);
    if (unitPrice === undefined) {
      builder.skip("malformed");
      continue;
    }
    // Tested on the source text: "0.001" is a real (if tiny) price even though it rounds to 0 pence.
    if (quantity <= 0 || !(Number(priceText) > 0)) {
      builder.skip("non_positive");
      continue;
    }
    // The source holds a few descriptions whose UTF-8 was once read as Latin-1 ("Â£100.00").
    const description = field(record, "Description");
    const title = description === undefined ? undefined : repairMojibake(description);
    builder.addLine(invoice, createdAt, { productId: code, quantity, unitPrice }, title ? { title } : {});
  }
  return builder.build("uci", currency);
}
