/**
 * How long a stored webhook delivery is kept (docs/decisions/0007, addendum of session 21). The
 * row's webhook id is what recognises Shopify sending the same delivery again, so no finished
 * row goes before Shopify has stopped retrying it: since September 2024 Shopify retries a
 * delivery 8 times over 4 hours (before that, 19 times over 48 hours). Pending rows are work still
 * to do and are never removed by age.
 */

/**
 * A processed delivery (its payload was emptied when it was handled): 7 days, 42 times Shopify's
 * retry window and more than three times the old 48-hour one, so a change of schedule or a clock
 * that is off cannot make a redelivery look new.
 */
export const PROCESSED_DELIVERY_DAYS = 7;

/**
 * A failed delivery keeps its payload (buyer names, emails, addresses for orders) only so that
 * someone can find out why it failed and replay it by hand: 14 days, two weekly looks at the
 * Shopify data page or the logs, where the failure was reported when it happened.
 */
export const FAILED_DELIVERY_DAYS = 14;

/**
 * An answered customers/data_request keeps its export (the customer's orders, by Shopify's
 * customer id, no contact details) for the merchant to download and pass on: 90 days, the longest
 * the GDPR lets an answer take (one month, extended by two more: art. 12(3)).
 */
export const CUSTOMER_DATA_EXPORT_DAYS = 90;

export const DAY_MS = 86_400_000;

/** The moment before which a delivery received `days` ago or earlier has outlived its retention. */
export function retentionCutoff(now: Date, days: number): Date {
  return new Date(now.getTime() - days * DAY_MS);
}
