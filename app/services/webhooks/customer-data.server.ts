/**
 * The privacy side of webhooks. Upshelf never stores names, emails, phone numbers or addresses:
 * the only personal links it keeps are Shopify's customer id on orders and, on orders placed during
 * a holdout test, the random browser key the widget script made (and, until processed, the raw
 * webhook payloads, which are emptied once handled).
 */
import db from "~/db.server";
import type { Order, OrderLine } from "~/generated/prisma/sqlite/client";
import { recordCustomerRedaction, REDACTED_ORDER } from "~/models/customer-redaction.server";
import { chunks, IN_LIST_SIZE } from "~/models/in-lists";
import { redactImportFiles } from "~/services/csv-import/redact-kept-files.server";
import { forgetServingModel } from "~/services/recommendations.server";
import { parseJsonKeepingLargeIntegers } from "./json";

export interface CustomerDataExport {
  shop: string;
  customerId: string;
  dataRequestId: string | null;
  generatedAt: string;
  note: string;
  orders: Array<{
    shopifyId: string;
    name: string;
    placedAt: string;
    cancelledAt: string | null;
    currency: string;
    subtotalAmount: number;
    totalAmount: number;
    discountAmount: number;
    refundedAmount: number;
    /** The random key of the browser the order came from, when it was placed during a holdout test. */
    holdoutTestVisitor: string | null;
    lines: Array<{
      title: string;
      sku: string | null;
      shopifyProductId: string | null;
      shopifyVariantId: string | null;
      quantity: number;
      unitPriceAmount: number;
      discountAmount: number;
      refundedAmount: number;
      /** Units refunded; they stay in `quantity`. */
      refundedQuantity: number;
      upshelfOffer: string | null;
      upshelfPlacement: string | null;
    }>;
  }>;
  /** The holdout tests the browsers of those orders were counted in (by the visitor keys above). */
  holdoutTestVisits: Array<{ holdoutTestVisitor: string; test: string; group: string; firstSeenAt: string }>;
  /** Post-purchase offers accepted with those orders (credited to them once their webhook arrived). */
  postPurchaseAcceptances: Array<{ orderShopifyId: string; variantId: string; signedAt: string }>;
}

/**
 * Everything Upshelf holds about one customer of a shop: their orders, by customer id or as
 * requested, oldest placed first (then in the order they were stored), with what goes with them.
 */
export async function exportCustomerData(options: {
  shopId: string;
  customerId: string;
  orderIds?: readonly string[];
  dataRequestId?: string | null;
  now?: Date;
}): Promise<CustomerDataExport> {
  const { shopId, customerId } = options;
  const orders = await ordersToExport(shopId, customerId, options.orderIds ?? []);
  const lines = await linesOf(orders);
  // Read by the export's orders and visitor keys, IN_LIST_SIZE at a time: a large customer's export
  // holds thousands. Sorted here, across the reads.
  const acceptances: Array<{ id: number; orderShopifyId: string | null; variantId: string; signedAt: Date }> = [];
  for (const ids of chunks(orders.map((order) => order.shopifyId), IN_LIST_SIZE)) {
    acceptances.push(
      ...(await db.postPurchaseAcceptance.findMany({
        where: { shopId, orderShopifyId: { in: ids } },
        select: { id: true, orderShopifyId: true, variantId: true, signedAt: true },
      })),
    );
  }
  acceptances.sort((a, b) => a.signedAt.getTime() - b.signedAt.getTime() || a.id - b.id);
  const visitorKeys = [...new Set(orders.flatMap((order) => (order.experimentVisitor ? [order.experimentVisitor] : [])))];
  const visits: Array<{ id: number; visitorKey: string; group: string; firstSeenAt: Date; experiment: { key: string } }> = [];
  for (const keys of chunks(visitorKeys, IN_LIST_SIZE)) {
    visits.push(
      ...(await db.experimentVisitor.findMany({
        where: { shopId, visitorKey: { in: keys } },
        select: { id: true, visitorKey: true, group: true, firstSeenAt: true, experiment: { select: { key: true } } },
      })),
    );
  }
  visits.sort((a, b) => a.firstSeenAt.getTime() - b.firstSeenAt.getTime() || a.id - b.id);
  return {
    shop: shopId,
    customerId,
    dataRequestId: options.dataRequestId ?? null,
    generatedAt: (options.now ?? new Date()).toISOString(),
    note: "Upshelf keeps no names, emails, phone numbers or addresses; only these orders' contents, linked by Shopify's customer id, and for orders placed during a holdout test the random key Upshelf's storefront script kept in the buyer's browser.",
    orders: orders.map((order) => ({
      shopifyId: order.shopifyId,
      name: order.name,
      placedAt: order.placedAt.toISOString(),
      cancelledAt: order.cancelledAt?.toISOString() ?? null,
      currency: order.currency,
      subtotalAmount: order.subtotalAmount,
      totalAmount: order.totalAmount,
      discountAmount: order.discountAmount,
      refundedAmount: order.refundedAmount,
      holdoutTestVisitor: order.experimentVisitor,
      lines: (lines.get(order.id) ?? []).map((line) => ({
        title: line.title,
        sku: line.sku,
        shopifyProductId: line.shopifyProductId,
        shopifyVariantId: line.shopifyVariantId,
        quantity: line.quantity,
        unitPriceAmount: line.unitPriceAmount,
        discountAmount: line.discountAmount,
        refundedAmount: line.refundedAmount,
        refundedQuantity: line.refundedQuantity,
        upshelfOffer: line.upshelfOffer,
        upshelfPlacement: line.upshelfPlacement,
      })),
    })),
    holdoutTestVisits: visits.map((visit) => ({
      holdoutTestVisitor: visit.visitorKey,
      test: visit.experiment.key,
      group: visit.group,
      firstSeenAt: visit.firstSeenAt.toISOString(),
    })),
    postPurchaseAcceptances: acceptances.map((acceptance) => ({
      orderShopifyId: acceptance.orderShopifyId ?? "",
      variantId: acceptance.variantId,
      signedAt: acceptance.signedAt.toISOString(),
    })),
  };
}

/**
 * The customer's orders and the ones named, oldest placed first, each once. One indexed read per
 * kind: as a single OR of the two, SQLite read every order of the shop. The named ones are read
 * IN_LIST_SIZE at a time (a large customer's orders_requested runs to thousands); a named order
 * of the customer's is read twice and kept once.
 */
async function ordersToExport(shopId: string, customerId: string, orderIds: readonly string[]): Promise<Order[]> {
  const byId = new Map<number, Order>();
  for (const order of await db.order.findMany({ where: { shopId, customerId } })) byId.set(order.id, order);
  for (const ids of chunks([...new Set(orderIds)], IN_LIST_SIZE)) {
    for (const order of await db.order.findMany({ where: { shopId, shopifyId: { in: ids } } })) byId.set(order.id, order);
  }
  return [...byId.values()].sort((a, b) => a.placedAt.getTime() - b.placedAt.getTime() || a.id - b.id);
}

/**
 * The orders' lines by order, in the order they were stored; read IN_LIST_SIZE orders at a time.
 * The orders are the shop's (read by shopId), so their row ids scope the read: with shopId in it
 * too, SQLite read every line of the shop through the shopId index instead of the orders' lines.
 */
async function linesOf(orders: readonly Order[]): Promise<Map<number, OrderLine[]>> {
  const byOrder = new Map<number, OrderLine[]>();
  for (const ids of chunks(orders.map((order) => order.id), IN_LIST_SIZE)) {
    for (const line of await db.orderLine.findMany({ where: { orderId: { in: ids } } })) {
      const lines = byOrder.get(line.orderId);
      if (lines) lines.push(line);
      else byOrder.set(line.orderId, [line]);
    }
  }
  for (const lines of byOrder.values()) lines.sort((a, b) => a.id - b.id);
  return byOrder;
}

/** The marker an export stored on its delivery row carries, so a later redact can find it. */
export function exportMarker(customerId: string): string {
  return `"customerId":"${customerId}"`;
}

/** A customer data request Upshelf answered, as the merchant's list shows it. */
export interface CustomerDataExportSummary {
  readonly id: number;
  readonly receivedAt: Date;
  readonly customerId: string;
  readonly dataRequestId: string | null;
  readonly orders: number;
}

const ANSWERED_DATA_REQUEST = { topic: "customers/data_request", status: "done" } as const;

/** Stored exports are our own JSON; anything else on such a row (emptied by a redact) is none. */
function readExport(payload: string): CustomerDataExport | null {
  try {
    const parsed = JSON.parse(payload) as Partial<CustomerDataExport>;
    return typeof parsed.customerId === "string" && Array.isArray(parsed.orders) ? (parsed as CustomerDataExport) : null;
  } catch {
    return null;
  }
}

/**
 * The shop's answered customer data requests, newest first. Shopify expects the merchant to pass
 * the data on to the customer, so the admin lists them for download (the export is the delivery
 * row's payload, kept until customers/redact, shop/redact or the end of its retention:
 * CUSTOMER_DATA_EXPORT_DAYS).
 */
export async function listCustomerDataExports(shopId: string, limit = 20): Promise<CustomerDataExportSummary[]> {
  const rows = await db.webhookDelivery.findMany({
    where: { shopId, ...ANSWERED_DATA_REQUEST },
    orderBy: { id: "desc" },
    take: limit,
    select: { id: true, receivedAt: true, payload: true },
  });
  return rows.flatMap((row) => {
    const data = readExport(row.payload);
    return data ? [{ id: row.id, receivedAt: row.receivedAt, customerId: data.customerId, dataRequestId: data.dataRequestId, orders: data.orders.length }] : [];
  });
}

/** One answered data request of the shop, as stored; null for another shop's or an emptied one. */
export async function findCustomerDataExport(shopId: string, id: number): Promise<CustomerDataExport | null> {
  const row = await db.webhookDelivery.findFirst({ where: { id, shopId, ...ANSWERED_DATA_REQUEST }, select: { payload: true } });
  return row ? readExport(row.payload) : null;
}

/**
 * customers/redact: the customer's orders stay (products bought together are not personal once
 * unlinked, and deleting them would rewrite the merchant's statistics) but lose the customer id
 * and the holdout test's browser key (such an order then counts in neither group), for good: ingest
 * keeps both empty on an order marked redacted.
 * Exports made for this customer are removed, failed payloads naming them are emptied, and
 * deliveries naming them that are still pending are marked so that nothing of them is kept
 * however they end (forgetRedactedDelivery). The redact itself is recorded (ids and time only),
 * so that an order it covers delivered later is stored unlinked too (ingestOrders). A file a
 * cancelled import keeps for a resume that names them (by email, phone or a named order's id) is
 * let go, and an import still to end holding such a file is marked not to keep it (redactImportFiles).
 */
export async function redactCustomer(options: {
  shopId: string;
  customerId: string;
  /** As the payload gives them: they find the customer in a kept import file, and are not stored. */
  email?: string | null;
  phone?: string | null;
  orderIds?: readonly string[];
  now?: Date;
}) {
  const { shopId, customerId } = options;
  // First: a delivery received from here on is processed after this is committed, and its ingest
  // finds it. One received before is either still pending when the deliveries are read below (and
  // is marked) or has stored its order, which the last write unlinks.
  await recordCustomerRedaction({ shopId, customerId, orderIds: options.orderIds ?? [], redactedAt: options.now ?? new Date() });
  // Failed order deliveries keep their payload for investigation; one for this customer (or for
  // an order to redact) is emptied. So is a failed privacy request of theirs (a data request, an
  // earlier redact): its payload names them by email and phone. The text search only narrows:
  // "12" also occurs in "3120".
  // Pending ones (waiting for a retry, or not run yet) still need their payload, so they are
  // marked instead, and their runner empties it when they end.
  // One text condition per id, so IN_LIST_SIZE ids per read: a large customer's orders_to_redact
  // (a thousand orders and more) went over SQLite's bound-parameter limit, and the redact failed
  // on every retry. A delivery naming ids of two reads is found twice, and kept once.
  const redactedOrders = new Set(options.orderIds ?? []);
  const candidates = new Map<number, string>();
  for (const ids of chunks([...new Set([customerId, ...redactedOrders])], IN_LIST_SIZE)) {
    const rows = await db.webhookDelivery.findMany({
      where: {
        shopId,
        status: { in: ["pending", "failed"] },
        AND: [{ OR: [{ topic: { startsWith: "orders/" } }, { topic: { startsWith: "customers/" } }] }, { OR: ids.map((id) => ({ payload: { contains: id } })) }],
      },
      select: { id: true, payload: true },
    });
    for (const row of rows) candidates.set(row.id, row.payload);
  }
  const naming = [...candidates].filter(([, payload]) => namesCustomerOrOrder(payload, customerId, redactedOrders)).map(([id]) => id);
  // The order of these writes closes the races with a delivery being run meanwhile. A delivery can
  // only be marked while pending; one that fails after being read as pending is emptied by the
  // second write; one that finishes before being marked has stored its order before the last
  // write, which unlinks it (the runner unlinks the order of a marked one). Every batch is marked
  // before any is emptied, so each delivery still sees the writes in that order.
  let pendingMarked = 0;
  for (const ids of chunks(naming, IN_LIST_SIZE)) {
    pendingMarked += (await db.webhookDelivery.updateMany({ where: { shopId, id: { in: ids }, status: "pending" }, data: { customerRedacted: true } })).count;
  }
  let payloadsScrubbed = 0;
  for (const ids of chunks(naming, IN_LIST_SIZE)) {
    payloadsScrubbed += (await db.webhookDelivery.updateMany({ where: { shopId, id: { in: ids }, status: "failed" }, data: { payload: "{}" } })).count;
  }
  const exports = await db.webhookDelivery.deleteMany({
    where: { shopId, topic: "customers/data_request", status: "done", payload: { contains: exportMarker(customerId) } },
  });
  // The flag keeps them unlinked when a later webhook for the order (a refund) names them again.
  // One statement per index: as a single OR of the two conditions, SQLite read every order of
  // the shop (about a second at 1M orders). The first sets the flag, so the second does not
  // count an order twice.
  let ordersUnlinked = (await db.order.updateMany({ where: { shopId, customerId, customerRedacted: false }, data: REDACTED_ORDER })).count;
  for (const ids of chunks([...redactedOrders], IN_LIST_SIZE)) {
    ordersUnlinked += (await db.order.updateMany({ where: { shopId, shopifyId: { in: ids }, customerRedacted: false }, data: REDACTED_ORDER })).count;
  }
  // An orders export names buyers by email and phone: one a cancelled import keeps for a resume
  // goes, and one an import still holds is not kept should it be cancelled.
  const importFiles = await redactImportFiles(shopId, { email: options.email, phone: options.phone, orderIds: [...redactedOrders] });
  return { ordersUnlinked, exportsDeleted: exports.count, payloadsScrubbed, pendingMarked, importFilesLetGo: importFiles.letGo, importsMarked: importFiles.marked };
}

/**
 * A delivery customers/redact marked while it waited has just been handled: the order it stored
 * (created, perhaps, after the redact looked for the customer's orders) is unlinked like theirs.
 * Its payload is emptied by the runner.
 */
export async function forgetRedactedDelivery(shopId: string, topic: string, payload: unknown): Promise<void> {
  if (!topic.startsWith("orders/") || payload === null || typeof payload !== "object") return;
  const { id } = payload as { id?: unknown };
  if (id === undefined || id === null) return;
  await db.order.updateMany({ where: { shopId, shopifyId: String(id) }, data: REDACTED_ORDER });
}

function namesCustomerOrOrder(payload: string, customerId: string, orderIds: ReadonlySet<string>): boolean {
  let order: unknown;
  try {
    order = parseJsonKeepingLargeIntegers(payload);
  } catch {
    return true; // Unreadable, so it cannot be shown not to name them: scrub it.
  }
  if (order === null || typeof order !== "object") return true;
  const { id, customer } = order as { id?: unknown; customer?: { id?: unknown } | null };
  return String(customer?.id ?? "") === customerId || orderIds.has(String(id ?? ""));
}

/**
 * shop/redact (48 hours after uninstall): every row of the shop goes, through the schema's
 * cascades. Only a shop that is uninstalled: one that reinstalled since keeps its data.
 */
export async function redactShop(shopId: string) {
  const shop = await db.shop.findUnique({ where: { id: shopId }, select: { uninstalledAt: true } });
  if (!shop?.uninstalledAt) return { shopDeleted: false, sessionsDeleted: 0, installed: shop !== null };
  forgetServingModel(shopId);
  const sessions = await db.session.deleteMany({ where: { shop: shopId } });
  const shops = await db.shop.deleteMany({ where: { id: shopId, uninstalledAt: { not: null } } });
  return { shopDeleted: shops.count > 0, sessionsDeleted: sessions.count, installed: false };
}

/** app/uninstalled: stop serving the shop and forget its access tokens; its data stays until shop/redact. */
export async function markShopUninstalled(shopId: string, now: Date = new Date()) {
  const sessions = await db.session.deleteMany({ where: { shop: shopId } });
  await db.shop.updateMany({ where: { id: shopId, uninstalledAt: null }, data: { uninstalledAt: now } });
  forgetServingModel(shopId);
  return { sessionsDeleted: sessions.count };
}
