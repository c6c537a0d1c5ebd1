/**
 * The shop's handled customers/redact requests, kept as ids only (customer id, order ids, time)
 * for as long as the shop: an order delivered after the redact is then stored unlinked
 * (docs/decisions/0007, addendum of session 22). They go with the shop's other rows on
 * shop/redact (the schema cascades from Shop).
 */
import { latestRedactionByCustomer, NO_REDACTIONS, type RedactionsInBatch } from "~/core/customer-redaction";
import db, { type Db } from "~/db.server";
import { chunks, IN_LIST_SIZE } from "./in-lists";

type Client = Pick<Db, "customerRedaction" | "redactedOrder">;

/** What customers/redact leaves on an order it covers: no customer id, no holdout test browser key, for good. */
export const REDACTED_ORDER = { customerId: null, experimentVisitor: null, customerRedacted: true } as const;

/** Records a handled redact: its customer, when, and the orders it named (one row each, repeats dropped). */
export async function recordCustomerRedaction(
  options: { shopId: string; customerId: string; orderIds: readonly string[]; redactedAt: Date },
  client: Client = db,
): Promise<void> {
  const { shopId, customerId, redactedAt } = options;
  const orderIds = [...new Set(options.orderIds)];
  // Not chunked here: Prisma splits the rows' insert into statements within SQLite's
  // bound-parameter limit itself (333 rows a statement), in the create's transaction. A redact
  // naming 1,200 orders is tested in app/routes/webhooks.test.ts.
  await client.customerRedaction.create({
    data: { shopId, customerId, redactedAt, orders: { createMany: { data: orderIds.map((shopifyId) => ({ shopId, shopifyId })) } } },
  });
}

/**
 * The redactions that concern these orders: the ones named, and their customers' redact times.
 * One indexed read per kind (and per IN_LIST_SIZE ids), whatever the number of orders; the
 * customers' read is skipped when no order names a customer.
 */
export async function redactionsForOrders(
  shopId: string,
  orders: ReadonlyArray<{ shopifyId: string; customerId?: string | null }>,
  client: Client = db,
): Promise<RedactionsInBatch> {
  if (orders.length === 0) return NO_REDACTIONS;
  const orderIds = new Set<string>();
  for (const ids of chunks([...new Set(orders.map((order) => order.shopifyId))], IN_LIST_SIZE)) {
    for (const row of await client.redactedOrder.findMany({ where: { shopId, shopifyId: { in: ids } }, select: { shopifyId: true } })) orderIds.add(row.shopifyId);
  }
  const customers = [...new Set(orders.flatMap((order) => (order.customerId ? [order.customerId] : [])))];
  const rows: { customerId: string; redactedAt: Date }[] = [];
  for (const ids of chunks(customers, IN_LIST_SIZE)) {
    rows.push(...(await client.customerRedaction.findMany({ where: { shopId, customerId: { in: ids } }, select: { customerId: true, redactedAt: true } })));
  }
  return { orderIds, redactedAtByCustomer: latestRedactionByCustomer(rows) };
}
