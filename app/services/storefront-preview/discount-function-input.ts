import { formatMinorAsDecimal, parseDecimalToMinor } from "~/core/money";
import {
  PRODUCT_GID_PREFIX,
  SCHEDULE_SLOTS,
  slotName,
  VARIANT_GID_PREFIX,
} from "~/core/offers/function-configuration-format";
import type {
  CartLinesDiscountsGenerateRunInput,
  CartLinesDiscountsGenerateRunResult,
  DiscountClass,
} from "../../../extensions/upshelf-discount/src/api-types";

/**
 * What Shopify would send the checkout discount function for a storefront cart, and what the
 * function's answer means for that cart. The preview cart runs the real function with this input,
 * so it shows what checkout would charge.
 */
export interface FunctionCartLine {
  /** The cart line's id (the line key). */
  readonly id: string;
  readonly variantId: string;
  readonly productId: string;
  readonly quantity: number;
  /** Minor units of `currency`, per unit. */
  readonly unitPrice: number;
}

export function discountFunctionInput(options: {
  readonly lines: readonly FunctionCartLine[];
  readonly currency: string;
  /** The metafield value written by encodeFunctionConfiguration. */
  readonly configuration: string;
  readonly discountClasses: readonly DiscountClass[];
  /** Checkout's instant; the demo shop keeps UTC, the time zone the configuration was encoded in. */
  readonly now: Date;
}): CartLinesDiscountsGenerateRunInput {
  const document = JSON.parse(options.configuration) as Record<string, unknown>;
  const collectionIds = Array.isArray(document.collectionIds) ? (document.collectionIds as string[]) : [];
  const localTime: Record<string, boolean> = {};
  for (let slot = 0; slot < SCHEDULE_SLOTS; slot += 1) {
    const boundary = document[slotName(slot)];
    localTime[slotName(slot)] = typeof boundary === "string" && options.now.getTime() >= Date.parse(`${boundary}Z`);
  }
  return {
    cart: {
      lines: options.lines.map((line) => ({
        id: line.id,
        quantity: line.quantity,
        cost: { amountPerQuantity: { amount: formatMinorAsDecimal(line.unitPrice, options.currency), currencyCode: options.currency } },
        merchandise: {
          __typename: "ProductVariant" as const,
          id: VARIANT_GID_PREFIX + line.variantId,
          // The demo catalog has no collections, so no line is a member of any.
          product: { id: PRODUCT_GID_PREFIX + line.productId, inCollections: collectionIds.map((collectionId) => ({ collectionId, isMember: false })) },
        },
      })),
    },
    discount: { discountClasses: options.discountClasses, metafield: { jsonValue: document } },
    presentmentCurrencyRate: "1.0",
    shop: { localTime },
  };
}

export interface AppliedDiscounts {
  /** Product discount per line id, minor units, with checkout's message. */
  readonly byLine: ReadonlyMap<string, { amount: number; message: string }>;
  readonly order: { amount: number; message: string } | null;
}

export function discountsFromResult(result: CartLinesDiscountsGenerateRunResult, currency: string): AppliedDiscounts {
  const byLine = new Map<string, { amount: number; message: string }>();
  let order = null as { amount: number; message: string } | null;
  for (const operation of result.operations) {
    if ("productDiscountsAdd" in operation) {
      for (const candidate of operation.productDiscountsAdd.candidates) {
        const amount = parseDecimalToMinor(candidate.value.fixedAmount.amount, currency);
        for (const target of candidate.targets) {
          const previous = byLine.get(target.cartLine.id);
          byLine.set(target.cartLine.id, {
            amount: (previous?.amount ?? 0) + amount,
            message: previous ? `${previous.message} + ${candidate.message ?? ""}` : (candidate.message ?? ""),
          });
        }
      }
    } else {
      for (const candidate of operation.orderDiscountsAdd.candidates) {
        const amount = parseDecimalToMinor(candidate.value.fixedAmount.amount, currency);
        order = { amount: (order?.amount ?? 0) + amount, message: order ? `${order.message} + ${candidate.message ?? ""}` : (candidate.message ?? "") };
      }
    }
  }
  return { byLine, order };
}
