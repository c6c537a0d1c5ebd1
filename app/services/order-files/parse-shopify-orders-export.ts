import { assertCurrencyCode } from "~/core/money";
import { field, readCsvRecords } from "./csv-records";
import { decimalToMinorUnits } from "./minor-units";
import { OrderFileBuilder } from "./order-file-builder";
import { OrderFileError, type OrderFileInput, type ParsedOrderFile } from "./order-file-types";
import { parseTimestamp } from "./timestamps";

const COLUMNS = ["Name", "Created at", "Lineitem quantity", "Lineitem name"] as const;

export interface ShopifyOrdersExportOptions {
  /** Used when the export has no Currency column. */
  readonly currency?: string;
}

/**
 * Shopify admin "Export orders" CSV: one row per line item; order-level fields (Currency,
 * Cancelled at, totals) are filled on the order's first row only, so they are carried over
 * to the following rows of the same `Name`. The product key is the line's SKU, or its name
 * ("Product - Variant") when the SKU is empty.
 */
export async function parseShopifyOrdersExport(
  input: OrderFileInput,
  options: ShopifyOrdersExportOptions = {}
): Promise<ParsedOrderFile> {
  const builder = new OrderFileBuilder();
  let currency: string | undefined;
  let currentName: string | undefined;
  let currentCreatedAt: number | undefined;
  for await (const record of readCsvRecords(input, COLUMNS)) {
    builder.countRow();
    const name = field(record, "Name");
    if (!name) {
      builder.skip("malformed");
      continue;
    }
    if (name !== currentName) {
      currentName = name;
      const createdText = field(record, "Created at");
      currentCreatedAt = createdText === undefined ? undefined : parseTimestamp(createdText);
      if (currentCreatedAt === undefined) {
        throw new OrderFileError(
          "bad_value",
          `Order ${name}: "Created at" is missing or not a timestamp ("${createdText ?? ""}").`
        );
      }
      const order = builder.order(name, currentCreatedAt);
      if (field(record, "Cancelled at")) order.cancelled = true;
      const orderCurrency = field(record, "Currency");
      if (orderCurrency) {
        assertCurrencyCode(orderCurrency);
        if (currency !== undefined && currency !== orderCurrency) {
          throw new OrderFileError(
            "mixed_currency",
            `Order ${name} is in ${orderCurrency} but earlier orders are in ${currency}.`
          );
        }
        currency = orderCurrency;
      }
    }
    const quantity = Number(field(record, "Lineitem quantity"));
    const title = field(record, "Lineitem name");
    const productId = field(record, "Lineitem sku") ?? title;
    if (!productId || !Number.isFinite(quantity) || currentCreatedAt === undefined) {
      builder.skip("malformed");
      continue;
    }
    if (quantity <= 0) {
      builder.skip("non_positive");
      continue;
    }
    const lineCurrency = currency ?? options.currency ?? "USD";
    const priceText = field(record, "Lineitem price");
    const unitPrice = priceText === undefined ? undefined : decimalToMinorUnits(priceText, lineCurrency);
    const vendor = field(record, "Vendor");
    builder.addLine(
      name,
      currentCreatedAt,
      { productId, quantity, ...(unitPrice !== undefined ? { unitPrice } : {}) },
      { ...(title ? { title } : {}), ...(vendor ? { vendor } : {}) }
    );
  }
  return builder.build("shopify-orders", currency ?? options.currency ?? "USD");
}
