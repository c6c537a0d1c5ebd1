/**
 * The parts of Shopify's Discount Function API (cart.lines.discounts.generate.run) this function
 * uses, written by hand so the function imports no generated code. They mirror the input query in
 * cart_lines_discounts_generate_run.graphql and the API's output schema; `shopify app function
 * typegen` would generate equivalent (wider) types into generated/api.ts.
 */

/** Shopify's Decimal scalar: a decimal number serialised as a string ("29.99"). */
export type Decimal = string;

export type DiscountClass = "ORDER" | "PRODUCT" | "SHIPPING";

export interface CollectionMembership {
  readonly collectionId: string;
  readonly isMember: boolean;
}

export type Merchandise =
  | {
      readonly __typename: "ProductVariant";
      readonly id: string;
      readonly product: { readonly id: string; readonly inCollections: readonly CollectionMembership[] };
    }
  | { readonly __typename: "CustomProduct" };

export interface CartLine {
  readonly id: string;
  readonly quantity: number;
  readonly cost: { readonly amountPerQuantity: { readonly amount: Decimal; readonly currencyCode: string } };
  readonly merchandise: Merchandise;
}

export interface CartLinesDiscountsGenerateRunInput {
  readonly cart: { readonly lines: readonly CartLine[] };
  readonly discount: {
    readonly discountClasses: readonly DiscountClass[];
    readonly metafield: { readonly jsonValue?: unknown; readonly value?: string } | null;
  };
  /** Presentment (cart) currency units per shop currency unit. */
  readonly presentmentCurrencyRate: Decimal | number;
  /** `tN` answers "is the shop's local time at or past boundary N?" */
  readonly shop?: { readonly localTime?: Readonly<Record<string, boolean | undefined>> };
}

export interface CartLineTarget {
  readonly cartLine: { readonly id: string; readonly quantity?: number };
}

export interface ProductDiscountCandidate {
  readonly message?: string;
  readonly targets: readonly CartLineTarget[];
  readonly value: { readonly fixedAmount: { readonly amount: Decimal; readonly appliesToEachItem?: boolean } };
}

export interface OrderDiscountCandidate {
  readonly message?: string;
  readonly targets: readonly { readonly orderSubtotal: { readonly excludedCartLineIds: readonly string[] } }[];
  readonly value: { readonly fixedAmount: { readonly amount: Decimal } };
}

export type CartOperation =
  | {
      readonly productDiscountsAdd: {
        readonly candidates: readonly ProductDiscountCandidate[];
        readonly selectionStrategy: "ALL" | "FIRST" | "MAXIMUM";
      };
    }
  | {
      readonly orderDiscountsAdd: {
        readonly candidates: readonly OrderDiscountCandidate[];
        readonly selectionStrategy: "FIRST" | "MAXIMUM";
      };
    };

export interface CartLinesDiscountsGenerateRunResult {
  readonly operations: readonly CartOperation[];
}
