import {
  decodeFunctionConfiguration,
  liveDecodedOffers,
  priceCart,
  SCHEDULE_SLOTS,
  slotName,
} from "../../../app/core/offers/checkout";
import type { CartLinesDiscountsGenerateRunInput, CartLinesDiscountsGenerateRunResult } from "./api-types";
import { cartFromInput } from "./cart-from-input";
import { operationsFromPricedCart } from "./operations-from-priced-cart";

const NO_DISCOUNT: CartLinesDiscountsGenerateRunResult = { operations: [] };

/**
 * Entry point for cart.lines.discounts.generate.run: a pure function from Shopify's input to
 * discount operations. Anything unexpected (missing or malformed configuration, an unpriceable
 * cart, a bug) yields no discount rather than a failed checkout.
 */
export function cartLinesDiscountsGenerateRun(input: CartLinesDiscountsGenerateRunInput): CartLinesDiscountsGenerateRunResult {
  try {
    return run(input);
  } catch {
    return NO_DISCOUNT;
  }
}

function run(input: CartLinesDiscountsGenerateRunInput): CartLinesDiscountsGenerateRunResult {
  const classes = {
    product: input.discount.discountClasses.includes("PRODUCT"),
    order: input.discount.discountClasses.includes("ORDER"),
  };
  if (!classes.product && !classes.order) return NO_DISCOUNT;

  const metafield = input.discount.metafield;
  const configuration = decodeFunctionConfiguration(metafield?.jsonValue ?? metafield?.value ?? null);
  if (!configuration) return NO_DISCOUNT;
  const cart = cartFromInput(input);
  if (!cart) return NO_DISCOUNT;

  const clock = input.shop?.localTime ?? {};
  const after = Array.from({ length: SCHEDULE_SLOTS }, (_, slot) => clock[slotName(slot)] === true);
  // Offers of a class this discount does not carry are left out before choosing the best
  // combination, so the choice is the one among offers checkout can actually apply.
  const offers = liveDecodedOffers(configuration, after).filter((offer) =>
    offer.type === "spendTiers" ? classes.order : classes.product,
  );
  if (offers.length === 0) return NO_DISCOUNT;

  // The decoded offers carry no schedule (liveness was decided above), so any instant will do.
  const priced = priceCart({ cart, offers, now: 0 });
  return { operations: operationsFromPricedCart(priced, classes) };
}
