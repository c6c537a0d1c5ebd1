/**
 * Which orders a handled customers/redact covers (docs/decisions/0007, addendum of session 22).
 * Shopify may deliver an order after the redact was handled (a late orders/create, a retry of
 * orders/updated, a backfill page read before it); such an order is stored unlinked, as the
 * redact left the customer's other orders.
 */

/** The redactions that concern one batch of orders: what ingest looked up for it. */
export interface RedactionsInBatch {
  /** Order ids a redact named (`orders_to_redact`). */
  readonly orderIds: ReadonlySet<string>;
  /** For each redacted customer, when their latest redact was handled. */
  readonly redactedAtByCustomer: ReadonlyMap<string, Date>;
}

export const NO_REDACTIONS: RedactionsInBatch = { orderIds: new Set(), redactedAtByCustomer: new Map() };

/**
 * An order named by a redact is covered whoever its customer and whenever it was placed. An order
 * of a redacted customer is covered when placed at or before the redact; one placed after it is
 * a new relationship the customer started since the redact, stored linked like any other.
 */
export function redactionCovers(order: { shopifyId: string; customerId?: string | null; placedAt: Date }, redactions: RedactionsInBatch): boolean {
  if (redactions.orderIds.has(order.shopifyId)) return true;
  if (!order.customerId) return false;
  const redactedAt = redactions.redactedAtByCustomer.get(order.customerId);
  return redactedAt !== undefined && order.placedAt.getTime() <= redactedAt.getTime();
}

/** The latest redact of each customer, from the rows found for them (a customer may be redacted twice). */
export function latestRedactionByCustomer(rows: ReadonlyArray<{ customerId: string; redactedAt: Date }>): Map<string, Date> {
  const latest = new Map<string, Date>();
  for (const { customerId, redactedAt } of rows) {
    const known = latest.get(customerId);
    if (!known || redactedAt > known) latest.set(customerId, redactedAt);
  }
  return latest;
}
