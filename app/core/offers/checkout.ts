/**
 * What the checkout function needs, without the zod schemas (which would bloat the function
 * bundle: Shopify compiles it to WebAssembly with an instruction budget). The function imports
 * this module; everything else imports `./index`.
 */
export { priceCart, type PriceCartOptions } from "./price-cart";
export { joinMessages } from "./messages";
export {
  decodeFunctionConfiguration,
  liveDecodedOffers,
  type DecodedFunctionConfiguration,
  type DecodedOffer,
} from "./decode-function-configuration";
export {
  FUNCTION_CONFIGURATION_KEY,
  FUNCTION_CONFIGURATION_NAMESPACE,
  SCHEDULE_SLOTS,
  slotName,
} from "./function-configuration-format";
export type * from "./types";
