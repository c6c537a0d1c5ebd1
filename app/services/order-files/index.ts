export { ORDER_FILE_FORMATS, OrderFileError } from "./order-file-types";
export type { OrderFileFormat, OrderFileInput, ParsedOrderFile } from "./order-file-types";
export { parseOrderFile, readOrderFile } from "./parse-order-file";
export type { ParseOrderFileOptions } from "./parse-order-file";
export { parseUciOnlineRetail, isUciProductCode } from "./parse-uci-online-retail";
export { parseShopifyOrdersExport } from "./parse-shopify-orders-export";
export { parseGenericOrders } from "./parse-generic-orders";
