/** Why an offer configuration or a cart was refused. Routes map `code` to an HTTP status. */
export type OffersErrorCode = "invalid-offer" | "invalid-cart" | "duplicate-offer-id";

export interface OfferIssue {
  /** Where in the offer the problem is, e.g. ["tiers", 1, "minQuantity"]. */
  readonly path: readonly (string | number)[];
  readonly message: string;
}

export class OffersError extends Error {
  override name = "OffersError";
  constructor(
    readonly code: OffersErrorCode,
    message: string,
    readonly issues: readonly OfferIssue[] = [],
  ) {
    super(message);
  }
}
