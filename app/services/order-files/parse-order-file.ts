import { open } from "node:fs/promises";
import { parseGenericOrders } from "./parse-generic-orders";
import { parseShopifyOrdersExport } from "./parse-shopify-orders-export";
import { parseUciOnlineRetail } from "./parse-uci-online-retail";
import { OrderFileError, type OrderFileFormat, type OrderFileInput, type ParsedOrderFile } from "./order-file-types";

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

/**
 * Streams a file from disk through the parser for its format. Every problem is an OrderFileError
 * that names the path, since a run usually reads two files (train and test).
 */
export async function readOrderFile(path: string, options: ParseOrderFileOptions): Promise<ParsedOrderFile> {
  const stream = await openForReading(path);
  try {
    return await parseOrderFile(stream, options);
  } catch (error) {
    if (!(error instanceof OrderFileError)) throw error;
    throw new OrderFileError(error.code, `${path}: ${error.message}`, { cause: error });
  }
}

// Opened before streaming so the common mistakes (a directory, a typo in the path) get their
// own message; the stream owns the handle from then on and closes it when done or destroyed.
async function openForReading(path: string): Promise<AsyncIterable<Uint8Array>> {
  const handle = await open(path).catch((error: NodeJS.ErrnoException) => {
    throw new OrderFileError("unreadable", `${path} cannot be read: ${openFailure(error)}.`, { cause: error });
  });
  const stats = await handle.stat();
  if (stats.isDirectory()) {
    await handle.close();
    throw new OrderFileError("unreadable", `${path} is a directory, not a file.`);
  }
  return handle.createReadStream();
}

function openFailure(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case "ENOENT":
      return "there is no such file";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    default:
      return error.message;
  }
}
