/**
 * A checkout's one answer to its post-purchase offer, as the page's reports move it. One row per
 * checkout holds it (CheckoutOutcome); each report either takes the row when it is empty, replaces
 * one of the states it may replace (one conditional write, so of two reports arriving together one
 * wins), or leaves the row as it stands.
 *
 * - `offer_signed`: Upshelf signed the changeset. Shopify may yet apply it, so a decline is refused
 *   (another tab's, say) unless the page reports that the accept failed.
 * - `offer_accepted`: the page reports Shopify added the item.
 * - `offer_declined`: the buyer said no.
 * - `offer_accept_failed`: the page reports that nothing was added (Shopify refused the changeset,
 *   or the signing or the apply failed). Not an answer: the buyer is still on the page, and the
 *   decline that follows counts as one. Until session 24 a signed accept stood whatever Shopify
 *   did, so a failed add followed by "No thanks" counted as neither.
 */
export const CHECKOUT_OUTCOMES = ["offer_signed", "offer_accepted", "offer_declined", "offer_accept_failed"] as const;
export type CheckoutOutcomeKind = (typeof CHECKOUT_OUTCOMES)[number];

/** What moves the outcome: signing the changeset, or one of the page's reports. */
export type OutcomeReport = "sign" | "offer_accepted" | "offer_declined" | "offer_accept_failed";

export interface OutcomeTransition {
  /** The outcome the report makes, of an empty row or of one in a state it `replaces`. */
  readonly becomes: CheckoutOutcomeKind;
  readonly replaces: readonly CheckoutOutcomeKind[];
  /** Outcomes with which the report is taken (a retry finds its own answer). */
  readonly standsWith: readonly CheckoutOutcomeKind[];
}

export const OUTCOME_TRANSITIONS: Readonly<Record<OutcomeReport, OutcomeTransition>> = {
  // A retried tap after Shopify applied the first token gets that token back, and Shopify refuses
  // it. Nothing is signed once the accept failed: the page no longer offers the tap, and a slow
  // signing that lands after the page gave up must not take back the decline the failure allows.
  sign: { becomes: "offer_signed", replaces: [], standsWith: ["offer_signed", "offer_accepted"] },
  // After a failure, only another tab holding the same token can have added the item: Shopify did.
  offer_accepted: { becomes: "offer_accepted", replaces: ["offer_signed", "offer_accept_failed"], standsWith: ["offer_accepted"] },
  offer_declined: { becomes: "offer_declined", replaces: ["offer_accept_failed"], standsWith: ["offer_declined"] },
  // Reported whatever stands (the event is kept); it changes only a signature Shopify did not apply.
  offer_accept_failed: { becomes: "offer_accept_failed", replaces: ["offer_signed"], standsWith: [...CHECKOUT_OUTCOMES] },
};

/** Whether a report is taken, given the outcome that stands once it was recorded. */
export function reportStands(report: OutcomeReport, standing: CheckoutOutcomeKind): boolean {
  return OUTCOME_TRANSITIONS[report].standsWith.includes(standing);
}

/** Stored values other than these (none are written) read as a signature, the most guarded state. */
export function checkoutOutcomeKind(stored: string): CheckoutOutcomeKind {
  return (CHECKOUT_OUTCOMES as readonly string[]).includes(stored) ? (stored as CheckoutOutcomeKind) : "offer_signed";
}
