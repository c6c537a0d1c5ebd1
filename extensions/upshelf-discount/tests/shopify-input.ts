/**
 * Builds the input Shopify would send the function for a cart, from the engine's cart and the
 * encoded configuration, and reads the discount back out of the function's operations. Shared
 * by the agreement tests (the lead extends them to the storefront API and the admin preview).
 */
import { formatMinorAsDecimal, parseDecimalToMinor } from "../../../app/core/money";
import type { CartInput } from "../../../app/core/offers/checkout";
import type { CartLinesDiscountsGenerateRunInput, CartLinesDiscountsGenerateRunResult, DiscountClass } from "../src/api-types";

export function shopifyInputFor(options: {
  readonly cart: CartInput;
  /** The metafield value written by `encodeFunctionConfiguration`. */
  readonly configuration: string;
  readonly discountClasses: readonly DiscountClass[];
  /** The instant checkout runs at; the shop is in UTC here. */
  readonly now: number;
}): CartLinesDiscountsGenerateRunInput {
  const document = JSON.parse(options.configuration) as Record<string, unknown>;
  const collectionIds = (document.collectionIds as string[] | undefined) ?? [];
  const localTime: Record<string, boolean> = {};
  for (let slot = 0; slot < 8; slot += 1) {
    localTime[`t${slot}`] = options.now >= Date.parse(`${String(document[`t${slot}`])}Z`);
  }
  return {
    cart: {
      lines: options.cart.lines.map((line) => ({
        id: line.id,
        quantity: line.quantity,
        cost: { amountPerQuantity: { amount: formatMinorAsDecimal(line.unitPrice, options.cart.currency), currencyCode: options.cart.currency } },
        merchandise: {
          __typename: "ProductVariant" as const,
          id: line.variantId,
          product: {
            id: line.productId,
            inCollections: collectionIds.map((collectionId) => ({ collectionId, isMember: line.collectionIds.includes(collectionId) })),
          },
        },
      })),
    },
    discount: { discountClasses: options.discountClasses, metafield: { jsonValue: document } },
    presentmentCurrencyRate: String(options.cart.presentmentRate ?? "1.0"),
    shop: { localTime },
  };
}

export interface FunctionDiscount {
  /** Product discount per cart line id, minor units. */
  readonly productByLine: ReadonlyMap<string, { amount: number; quantity: number; message: string }>;
  readonly order: { amount: number; message: string } | null;
}

export function discountOf(result: CartLinesDiscountsGenerateRunResult, currency: string): FunctionDiscount {
  const productByLine = new Map<string, { amount: number; quantity: number; message: string }>();
  let order: FunctionDiscount["order"] = null;
  for (const operation of result.operations) {
    if ("productDiscountsAdd" in operation) {
      for (const candidate of operation.productDiscountsAdd.candidates) {
        const target = candidate.targets[0]?.cartLine;
        if (!target || candidate.targets.length !== 1) throw new Error("one target per candidate expected");
        if (productByLine.has(target.id)) throw new Error(`two candidates for ${target.id}`);
        productByLine.set(target.id, {
          amount: parseDecimalToMinor(candidate.value.fixedAmount.amount, currency),
          quantity: target.quantity ?? 0,
          message: candidate.message ?? "",
        });
      }
    } else {
      const [candidate, ...others] = operation.orderDiscountsAdd.candidates;
      if (!candidate || others.length > 0 || order) throw new Error("one order candidate expected");
      order = { amount: parseDecimalToMinor(candidate.value.fixedAmount.amount, currency), message: candidate.message ?? "" };
    }
  }
  return { productByLine, order };
}
