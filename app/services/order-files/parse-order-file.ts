import { createReadStream } from "node:fs";
import { parseGenericOrders } from "./parse-generic-orders";
import { parseShopifyOrdersExport } from "./parse-shopify-orders-export";
import { parseUciOnlineRetail } from "./parse-uci-online-retail";
import type { OrderFileFormat, OrderFileInput, ParsedOrderFile } from "./order-file-types";

export interface ParseOrderFileOptions {
  readonly format: OrderFileFormat;
  /** Currency for formats whose files do not say (generic; Shopify exports without a Currency column). */
  readonly currency?: string;
}

export function parseOrderFile(input: OrderFileInput, options: ParseOrderFileOptions): Promise<ParsedOrderFile> {
  const currencyOption = options.currency ? { currency: options.currency } : {};
  switch (options.format) {
    case "uci":
      return parseUciOnlineRetail(input);
    case "shopify-orders":
      return parseShopifyOrdersExport(input, currencyOption);
    case "generic":
      return parseGenericOrders(input, currencyOption);
  }
}

/** Streams a file from disk through the parser for its format. */
export function readOrderFile(path: string, options: ParseOrderFileOptions): Promise<ParsedOrderFile> {
  return parseOrderFile(createReadStream(path), options);
}
