import { assertCurrencyCode, MoneyError } from "~/core/money";
import { badCell, field, readCsvRecords } from "./csv-records";
import { priceInCell } from "./minor-units";
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
 * ("Product - Variant") when the SKU is empty. Shopify writes dates, currency codes and prices
 * one way only, so a value that breaks it was edited by hand: an error naming its line and column.
 */
export async function parseShopifyOrdersExport(
  input: OrderFileInput,
  options: ShopifyOrdersExportOptions = {}
): Promise<ParsedOrderFile> {
  const builder = new OrderFileBuilder();
  let currency: string | undefined;
  let currentName: string | undefined;
  let currentCreatedAt: number | undefined;
  for await (const { record, line } of readCsvRecords(input, COLUMNS)) {
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
        throw badCell(line, "Created at", `order ${name} needs a timestamp such as "2025-05-11 09:55:16 -0400"; found "${createdText ?? ""}".`);
      }
      const order = builder.order(name, currentCreatedAt);
      if (field(record, "Cancelled at")) order.cancelled = true;
      const orderCurrency = field(record, "Currency");
      if (orderCurrency) {
        assertCurrencyInCell(orderCurrency, line);
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
    const unitPrice = priceText === undefined ? undefined : priceInCell(priceText, lineCurrency, line, "Lineitem price");
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

function assertCurrencyInCell(currency: string, line: number): void {
  try {
    assertCurrencyCode(currency);
  } catch (error) {
    if (!(error instanceof MoneyError)) throw error;
    // Shopify writes upper case; a lower-case code was edited by hand, so suggest the fix.
    const hint = /^[a-z]{3}$/i.test(currency) ? currency.toUpperCase() : "EUR";
    throw badCell(line, "Currency", `"${currency}" is not an ISO 4217 currency code; write three upper-case letters, such as "${hint}".`);
  }
}
