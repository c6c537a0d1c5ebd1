import { redactionCovers } from "~/core/customer-redaction";
import { matchAcceptedLines } from "~/core/post-purchase";
import { databaseProvider, databaseUrl } from "~/db-adapter.server";
import db, { type Db } from "~/db.server";
import { Prisma } from "~/generated/prisma/sqlite/client";
import { fitsIntColumn, MAX_INT_COLUMN } from "~/models/integer-columns";
import { bulkInsert } from "~/models/bulk-insert.server";
import { REDACTED_ORDER, redactionsForOrders } from "~/models/customer-redaction.server";
import { AcceptanceTakenError, acceptancesForOrdersPlaced, markAcceptancesCredited } from "~/models/post-purchase-acceptance.server";
import { isUniqueViolation } from "~/models/unique-violation";
import { chunks, IN_LIST_SIZE } from "~/models/in-lists";
import { IngestError, lastByKey } from "./batching";
import { loadCatalogMatcher } from "./catalog-matcher.server";
import { NAME_KEY_PREFIX, nameKeyedOrderId } from "./order-keys";
import { OFFER_PROPERTY, PLACEMENT_PROPERTY } from "./storefront-marks";
import type { IncomingOrder, IngestedOrder, OrderIngestResult } from "./types";

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/** The line item properties Upshelf's widgets set, read back for attribution. */
export { OFFER_PROPERTY, PLACEMENT_PROPERTY };
/** The widgets' `_upshelf_offer` for an item added as a plain recommendation: credited, but no offer. */
export const RECOMMENDATION_OFFER_MARKER = "recommendation";
/** The placement credited to a line an accepted post-purchase offer added (it carries no properties). */
export const POST_PURCHASE_PLACEMENT = "post_purchase";

const LINE_COLUMNS = [
  "shopId", "orderId", "productId", "variantId", "shopifyProductId", "shopifyVariantId", "sku", "title",
  "quantity", "unitPriceAmount", "discountAmount", "refundedAmount", "refundedQuantity", "currency", "upshelfOffer", "upshelfPlacement",
] as const;
type LineRow = Record<(typeof LINE_COLUMNS)[number], string | number | null>;
type LineValues = Omit<LineRow, "shopId" | "orderId">;

/** Orders per transaction; a backfill streams thousands through here. */
const ORDERS_PER_BATCH = 500;

const ORDER_SELECT = {
  id: true, shopifyId: true, name: true, currency: true, subtotalAmount: true, totalAmount: true,
  discountAmount: true, refundedAmount: true, customerId: true, cancelledAt: true, placedAt: true,
  experimentKey: true, experimentVisitor: true, customerRedacted: true, sourceUpdatedAt: true,
  lines: {
    select: {
      productId: true, variantId: true, shopifyProductId: true, shopifyVariantId: true, sku: true, title: true,
      quantity: true, unitPriceAmount: true, discountAmount: true, refundedAmount: true, refundedQuantity: true, currency: true,
      upshelfOffer: true, upshelfPlacement: true,
    },
    orderBy: { id: "asc" },
  },
} as const;

// Whole minor units that a column can hold (int4 on PostgreSQL: 21,474,836.47 in a currency with cents).
const isAmount = fitsIntColumn;

function validate(orders: readonly IncomingOrder[]): void {
  const problems: string[] = [];
  for (const [index, order] of orders.entries()) {
    const where = `order ${index + 1} (${order.name || order.shopifyId || "no id"})`;
    if (!order.shopifyId?.trim()) problems.push(`${where}: shopifyId is empty`);
    if (!/^[A-Z]{3}$/.test(order.currency)) problems.push(`${where}: currency "${order.currency}" is not an ISO 4217 code`);
    for (const field of ["subtotal", "total"] as const) {
      if (!isAmount(order[field])) problems.push(`${where}: ${field} ${order[field]} is not a whole amount in minor units of at most ${MAX_INT_COLUMN}`);
    }
    for (const field of ["discount", "refunded", "refundedEstimate"] as const) {
      const amount = order[field];
      if (amount !== undefined && !isAmount(amount)) problems.push(`${where}: ${field} ${amount} is not a whole amount in minor units of at most ${MAX_INT_COLUMN}`);
    }
    if (!(order.placedAt instanceof Date) || Number.isNaN(order.placedAt.getTime())) problems.push(`${where}: placedAt is not a valid date`);
    if (order.cancelledAt && Number.isNaN(order.cancelledAt.getTime())) problems.push(`${where}: cancelledAt is not a valid date`);
    for (const [lineIndex, line] of order.lines.entries()) {
      const lineWhere = `${where} line ${lineIndex + 1}`;
      if (typeof line.title !== "string") problems.push(`${lineWhere}: title is missing`);
      if (!fitsIntColumn(line.quantity) || line.quantity < 1) problems.push(`${lineWhere}: quantity ${line.quantity} is not a whole number from 1 to ${MAX_INT_COLUMN}`);
      if (!isAmount(line.unitPrice) || line.unitPrice < 0) problems.push(`${lineWhere}: unit price ${line.unitPrice} is not a non-negative whole amount in minor units of at most ${MAX_INT_COLUMN}`);
      for (const field of ["discount", "refunded"] as const) {
        const amount = line[field];
        if (amount !== undefined && !isAmount(amount)) problems.push(`${lineWhere}: ${field} ${amount} is not a whole amount in minor units of at most ${MAX_INT_COLUMN}`);
      }
      const units = line.refundedUnits;
      if (units !== undefined && (!Number.isInteger(units) || units < 0 || units > line.quantity)) {
        problems.push(`${lineWhere}: refunded units ${units} is not a whole number from 0 to the line's quantity ${line.quantity}`);
      }
    }
  }
  if (problems.length > 0) throw new IngestError("Orders not stored: fix these and send them again.", problems);
}

function property(properties: Record<string, string> | undefined, name: string): string | null {
  const value = properties?.[name]?.trim();
  return value ? value : null;
}

function orderData(order: IncomingOrder) {
  return {
    name: order.name,
    currency: order.currency,
    subtotalAmount: order.subtotal,
    totalAmount: order.total,
    discountAmount: order.discount ?? 0,
    refundedAmount: order.refunded ?? order.refundedEstimate ?? 0,
    customerId: order.customerId ?? null,
    cancelledAt: order.cancelledAt ?? null,
    placedAt: order.placedAt,
    experimentKey: order.experiment?.key ?? null,
    experimentVisitor: order.experiment?.visitor ?? null,
    customerRedacted: false as boolean,
    sourceUpdatedAt: order.updatedAt ?? null,
  };
}

function sameOrder(next: ReturnType<typeof orderData>, stored: ReturnType<typeof orderData>): boolean {
  return (
    next.name === stored.name &&
    next.currency === stored.currency &&
    next.subtotalAmount === stored.subtotalAmount &&
    next.totalAmount === stored.totalAmount &&
    next.discountAmount === stored.discountAmount &&
    next.refundedAmount === stored.refundedAmount &&
    next.customerId === stored.customerId &&
    (next.cancelledAt?.getTime() ?? null) === (stored.cancelledAt?.getTime() ?? null) &&
    next.experimentKey === stored.experimentKey &&
    next.experimentVisitor === stored.experimentVisitor &&
    next.customerRedacted === stored.customerRedacted &&
    (next.sourceUpdatedAt?.getTime() ?? null) === (stored.sourceUpdatedAt?.getTime() ?? null) &&
    next.placedAt.getTime() === stored.placedAt.getTime()
  );
}

function lineKey(line: LineValues): string {
  return JSON.stringify(LINE_COLUMNS.filter((column) => column !== "shopId" && column !== "orderId").map((column) => line[column as keyof LineValues]));
}

const sameItem = (a: LineValues, b: LineValues) =>
  a.shopifyVariantId !== null ? a.shopifyVariantId === b.shopifyVariantId : a.title === b.title && a.sku === b.sku;

/** Same item, and bought alike: one variant can be on two lines (the buyer's, and a post-purchase unit at a discount). */
const sameLine = (a: LineValues, b: LineValues) =>
  sameItem(a, b) && a.quantity === b.quantity && a.unitPriceAmount === b.unitPriceAmount && a.discountAmount === b.discountAmount;

/**
 * Fills what an incoming line does not know (`lacks`) from a stored line of the same variant (or,
 * without a variant, the same title and SKU) that knows it (`knows`), each stored line once;
 * a stored line bought alike (quantity, price, discount) first.
 */
function fillFromStored(
  lines: LineValues[],
  storedLines: readonly LineValues[],
  lacks: (line: LineValues) => boolean,
  knows: (line: LineValues) => boolean,
  fill: (line: LineValues, stored: LineValues) => LineValues,
): LineValues[] {
  const unused = storedLines.filter(knows);
  const filled = [...lines];
  // Lines bought alike take theirs first, so a looser match cannot take a line another one owns.
  for (const matches of [sameLine, sameItem]) {
    filled.forEach((line, position) => {
      // A line filled by the first pass is a new object.
      if (line !== lines[position] || !lacks(line)) return;
      const index = unused.findIndex((stored) => matches(line, stored));
      if (index < 0) return;
      const [stored] = unused.splice(index, 1) as [LineValues];
      filled[position] = fill(line, stored);
    });
  }
  return filled;
}

const isAttributed = (line: LineValues) => line.upshelfOffer !== null || line.upshelfPlacement !== null;

/**
 * Sources that cannot carry line properties (Shopify's orders CSV export) must not erase the
 * `_upshelf_*` attribution stored from a webhook.
 */
function keepStoredAttribution(lines: LineValues[], storedLines: readonly LineValues[]): LineValues[] {
  return fillFromStored(lines, storedLines, (line) => !isAttributed(line), isAttributed, (line, stored) => ({
    ...line,
    upshelfOffer: stored.upshelfOffer,
    upshelfPlacement: stored.upshelfPlacement,
  }));
}

/**
 * Sources that do not report refunds (the CSV export, the backfill) leave a line's refund null
 * here: it takes the stored line's (amount and units together), or none.
 */
function keepStoredRefunds(lines: LineValues[], storedLines: readonly LineValues[]): LineValues[] {
  const filled = fillFromStored(
    lines,
    storedLines,
    (line) => line.refundedAmount === null,
    (line) => Number(line.refundedAmount) > 0 || Number(line.refundedQuantity) > 0,
    // Never more units back than the line now has (an edit may have removed some since).
    (line, stored) => ({ ...line, refundedAmount: stored.refundedAmount, refundedQuantity: Math.min(Number(stored.refundedQuantity), Number(line.quantity)) }),
  );
  return filled.map((line) => (line.refundedAmount === null ? { ...line, refundedAmount: 0, refundedQuantity: 0 } : line));
}

/**
 * The refund to keep when the source does not report refunds line by line. The backfill reports
 * none: what is stored stays. A CSV export knows only the order's refunded money: it does not
 * replace refunds known per line (webhooks), but it does replace an earlier export's figure when
 * larger (a newer export after another refund). Refunds only grow, so an older export imported
 * again cannot lower it.
 */
function refundWithoutLineDetail(existing: { refundedAmount: number; lines: readonly LineValues[] }, estimate: number | undefined): number {
  const knownPerLine = existing.lines.some((line) => Number(line.refundedAmount) > 0);
  return knownPerLine ? existing.refundedAmount : Math.max(existing.refundedAmount, estimate ?? 0);
}

function toIngested(order: IncomingOrder, lines: LineValues[]): IngestedOrder {
  return {
    id: order.shopifyId,
    placedAt: order.placedAt,
    cancelled: order.cancelledAt != null,
    lines: lines.flatMap((line) =>
      line.shopifyProductId !== null ? [{ productId: String(line.shopifyProductId), quantity: Number(line.quantity) }] : [],
    ),
  };
}

/**
 * Stores orders idempotently by (shop, Shopify id): a new order is created with its lines; an
 * order stored before is left untouched when identical (a webhook redelivery, a re-run backfill)
 * and otherwise updated with its lines replaced. Each line is linked to the catalog (variant id,
 * then SKU, then product id, then exact title) and keeps the `_upshelf_*` attribution properties.
 */
export async function ingestOrders(shopId: string, orders: readonly IncomingOrder[]): Promise<OrderIngestResult> {
  validate(orders);
  if (orders.length > 0 && !(await db.shop.findUnique({ where: { id: shopId }, select: { id: true } }))) {
    throw new IngestError(`Orders not stored: shop ${shopId} is not installed.`);
  }
  const result: OrderIngestResult = { created: 0, updated: 0, skipped: 0, createdOrders: [] };
  for (const batch of chunks(lastByKey(orders, (order) => order.shopifyId), ORDERS_PER_BATCH)) {
    const counts = await ingestBatchWithRetry(shopId, batch);
    result.created += counts.created;
    result.updated += counts.updated;
    result.skipped += counts.skipped;
    result.createdOrders.push(...counts.createdOrders);
  }
  return result;
}

async function ingestBatchWithRetry(shopId: string, batch: IncomingOrder[]): Promise<OrderIngestResult> {
  try {
    return await db.$transaction((tx) => ingestBatch(tx, shopId, batch), { timeout: 120_000, maxWait: 30_000 });
  } catch (error) {
    // A concurrent writer (the orders/create webhook during a backfill) stored one of these
    // orders between our read and our write, or credited an acceptance we matched: read again,
    // and it becomes an update or a skip, or the acceptance stays with the order that has it.
    if (!isUniqueViolation(error) && !(error instanceof AcceptanceTakenError)) throw error;
    return db.$transaction((tx) => ingestBatch(tx, shopId, batch), { timeout: 120_000, maxWait: 30_000 });
  }
}

/**
 * An order first stored under its name (a CSV without ids: see order-keys.ts) takes Shopify's id
 * when it arrives with one (an export with `Id`, a webhook, the backfill), so it is updated
 * rather than stored a second time. If both are stored already, they are left as they are.
 */
async function adoptNameKeyedOrders(tx: Tx, shopId: string, batch: readonly IncomingOrder[]): Promise<void> {
  const idByKey = new Map(batch.filter((order) => !order.shopifyId.startsWith(NAME_KEY_PREFIX)).map((order) => [nameKeyedOrderId(order.name), order.shopifyId]));
  for (const keys of chunks([...idByKey.keys()], IN_LIST_SIZE)) {
    const named = await tx.order.findMany({ where: { shopId, shopifyId: { in: keys } }, select: { id: true, shopifyId: true } });
    if (named.length === 0) continue;
    const ids = named.map((row) => idByKey.get(row.shopifyId) as string);
    const taken = new Set((await tx.order.findMany({ where: { shopId, shopifyId: { in: ids } }, select: { shopifyId: true } })).map((row) => row.shopifyId));
    for (const row of named) {
      const id = idByKey.get(row.shopifyId) as string;
      if (!taken.has(id)) await tx.order.update({ where: { id: row.id }, data: { shopifyId: id } });
    }
  }
}

/**
 * Two changes of one stored order processed at once (orders/updated deliveries a few seconds
 * apart, a webhook during a backfill) must not both compare themselves with the state read before
 * either wrote: on PostgreSQL the older one could commit last and put back older lines, refunds
 * and `sourceUpdatedAt`. So the batch's stored orders are locked before they are read, in id
 * order (two batches then never wait on each other in a circle); the second writer reads what the
 * first committed and skips an older state. SQLite runs one write transaction at a time.
 */
async function lockStoredOrders(tx: Tx, shopId: string, batch: readonly IncomingOrder[]): Promise<void> {
  if (databaseProvider(databaseUrl()) !== "postgresql") return;
  for (const ids of chunks(batch.map((order) => order.shopifyId), IN_LIST_SIZE)) {
    await tx.$queryRaw`SELECT "id" FROM "Order" WHERE "shopId" = ${shopId} AND "shopifyId" IN (${Prisma.join(ids)}) ORDER BY "id" FOR UPDATE`;
  }
}

async function ingestBatch(tx: Tx, shopId: string, batch: IncomingOrder[]): Promise<OrderIngestResult> {
  const result: OrderIngestResult = { created: 0, updated: 0, skipped: 0, createdOrders: [] };
  await adoptNameKeyedOrders(tx, shopId, batch);
  await lockStoredOrders(tx, shopId, batch);
  const stored = new Map<string, Awaited<ReturnType<typeof tx.order.findMany<{ select: typeof ORDER_SELECT }>>>[number]>();
  for (const ids of chunks(batch.map((order) => order.shopifyId), IN_LIST_SIZE)) {
    for (const row of await tx.order.findMany({ where: { shopId, shopifyId: { in: ids } }, select: ORDER_SELECT })) {
      stored.set(row.shopifyId, row);
    }
  }
  // An order a handled customers/redact covers (named by it, or its customer's and placed before
  // it) arriving now, late, is stored unlinked as the redact left the customer's others. A source
  // without the customer (a CSV export) keeps the stored one, so that is the one to look up.
  const customerOf = (order: IncomingOrder) => order.customerId ?? stored.get(order.shopifyId)?.customerId ?? null;
  const redactions = await redactionsForOrders(shopId, batch.map((order) => ({ shopifyId: order.shopifyId, customerId: customerOf(order) })), tx);
  const redacted = (order: IncomingOrder) => redactionCovers({ shopifyId: order.shopifyId, customerId: customerOf(order), placedAt: order.placedAt }, redactions);
  const match = await loadCatalogMatcher(tx, shopId, batch.flatMap((order) => order.lines));
  const resolveLines = (order: IncomingOrder): LineValues[] =>
    order.lines.map((line) => {
      const found = match(line);
      return {
        productId: found?.productId ?? null,
        variantId: found?.variantId ?? null,
        shopifyProductId: found?.shopifyProductId ?? line.shopifyProductId ?? null,
        shopifyVariantId: found?.shopifyVariantId ?? line.shopifyVariantId ?? null,
        sku: line.sku?.trim() || found?.sku || null,
        title: line.title,
        quantity: line.quantity,
        unitPriceAmount: line.unitPrice,
        discountAmount: line.discount ?? 0,
        // null: the source does not say; keepStoredRefunds decides.
        refundedAmount: line.refunded ?? null,
        refundedQuantity: line.refunded === undefined ? null : (line.refundedUnits ?? 0),
        currency: order.currency,
        upshelfOffer: property(line.properties, OFFER_PROPERTY),
        upshelfPlacement: property(line.properties, PLACEMENT_PROPERTY),
      };
    });

  const creditPostPurchase = await postPurchaseCredit(tx, shopId, batch);

  const newOrders: Array<{ order: IncomingOrder; lines: LineValues[] }> = [];
  const replacedLines: LineRow[] = [];
  const replacedOrderIds: number[] = [];
  for (const order of batch) {
    const existing = stored.get(order.shopifyId);
    // A payload older than the stored version (orders/create arriving after orders/updated, a
    // retried delivery) would undo newer lines, refunds and credits: skipped.
    if (existing?.sourceUpdatedAt && order.updatedAt && order.updatedAt < existing.sourceUpdatedAt) {
      result.skipped += 1;
      continue;
    }
    if (!existing) {
      newOrders.push({ order, lines: creditPostPurchase(order, keepStoredRefunds(resolveLines(order), [])) });
      continue;
    }
    // A source that cannot carry line properties at all (the orders CSV export: no line has any)
    // keeps the stored attribution; one that can (webhooks, the backfill) decides it.
    const withoutProperties = order.lines.every((line) => line.properties === undefined);
    const resolved = keepStoredRefunds(resolveLines(order), existing.lines);
    const lines = creditPostPurchase(order, withoutProperties ? keepStoredAttribution(resolved, existing.lines) : resolved);
    const next = {
      ...orderData(order),
      refundedAmount: order.refunded ?? refundWithoutLineDetail(existing, order.refundedEstimate),
      // A source that cannot see cart attributes (a CSV export) keeps the holdout test's mark.
      ...(order.experiment === undefined ? { experimentKey: existing.experimentKey, experimentVisitor: existing.experimentVisitor } : {}),
      // A source that does not know the customer (a CSV export) keeps the one stored.
      customerId: order.customerId ?? existing.customerId,
      // customers/redact unlinked this order for good (or covers an order stored while it ran):
      // no later webhook links it again.
      ...(existing.customerRedacted || redacted(order) ? REDACTED_ORDER : {}),
      // Shopify's cancellations are final: a late or retried orders/create does not undo one.
      cancelledAt: order.cancelledAt ?? existing.cancelledAt,
      sourceUpdatedAt: order.updatedAt ?? existing.sourceUpdatedAt,
    };
    const sameLines =
      existing.lines.length === lines.length && existing.lines.every((line, index) => lineKey(line) === lineKey(lines[index] as LineValues));
    if (sameOrder(next, existing) && sameLines) {
      result.skipped += 1;
      continue;
    }
    if (!sameOrder(next, existing)) await tx.order.update({ where: { id: existing.id }, data: next });
    if (!sameLines) {
      replacedOrderIds.push(existing.id);
      replacedLines.push(...lines.map((line) => ({ shopId, orderId: existing.id, ...line })));
    }
    result.updated += 1;
  }

  for (const ids of chunks(replacedOrderIds, IN_LIST_SIZE)) {
    await tx.orderLine.deleteMany({ where: { shopId, orderId: { in: ids } } });
  }
  if (newOrders.length > 0) {
    const created = await tx.order.createManyAndReturn({
      data: newOrders.map(({ order }) => ({ shopId, shopifyId: order.shopifyId, ...orderData(order), ...(redacted(order) ? REDACTED_ORDER : {}) })),
      select: { id: true, shopifyId: true },
    });
    const rowIdByShopifyId = new Map(created.map((row) => [row.shopifyId, row.id]));
    for (const { order, lines } of newOrders) {
      const orderId = rowIdByShopifyId.get(order.shopifyId) as number;
      replacedLines.push(...lines.map((line) => ({ shopId, orderId, ...line })));
      result.createdOrders.push(toIngested(order, lines));
    }
    result.created += newOrders.length;
  }
  await bulkInsert(tx, "OrderLine", LINE_COLUMNS, replacedLines);
  await creditPostPurchase.save();
  return result;
}

/**
 * Credits the lines accepted post-purchase offers added (the changeset cannot mark them with
 * line properties): an order holding a signed acceptance's whole initial purchase plus a line of
 * the accepted variant gets that line's placement set to post_purchase, unless the storefront
 * already credited it. Every source goes through this, so a re-sent webhook or a re-run backfill
 * credits the same line again. `save` records which order each acceptance was credited to.
 */
/** What a line costs after its discounts, as itemsSubtotal counts it. */
function lineAmount(line: LineValues): number {
  return Math.max(0, Number(line.quantity) * Number(line.unitPriceAmount) - Number(line.discountAmount));
}

async function postPurchaseCredit(tx: Tx, shopId: string, batch: readonly IncomingOrder[]) {
  const times = batch.map((order) => order.placedAt.getTime());
  let acceptances =
    batch.length === 0 ? [] : await acceptancesForOrdersPlaced(shopId, new Date(Math.min(...times)), new Date(Math.max(...times)), tx);
  const credited = new Map<string, number[]>();
  const credit = (order: IncomingOrder, lines: LineValues[]): LineValues[] => {
    if (acceptances.length === 0) return lines;
    const matches = matchAcceptedLines(
      {
        shopifyId: order.shopifyId,
        placedAt: order.placedAt,
        lines: lines.map((line) =>
          line.shopifyVariantId === null ? null : { variantId: String(line.shopifyVariantId), quantity: Number(line.quantity), amount: lineAmount(line) },
        ),
        // Every source that gives a checkout subtotal stores the lines' own total as the subtotal.
        addedAfterCheckout: order.checkoutSubtotal === undefined ? null : order.subtotal - order.checkoutSubtotal,
      },
      acceptances,
    );
    if (matches.length === 0) return lines;
    const ids = new Set(matches.map((match) => match.acceptanceId));
    credited.set(order.shopifyId, [...ids]);
    // Another order of the same batch cannot take them again.
    acceptances = acceptances.map((acceptance) => (ids.has(acceptance.id) ? { ...acceptance, orderShopifyId: order.shopifyId } : acceptance));
    const creditedIndexes = new Set(matches.map((match) => match.lineIndex));
    return lines.map((line, index) =>
      creditedIndexes.has(index) && !isAttributed(line) ? { ...line, upshelfPlacement: POST_PURCHASE_PLACEMENT } : line,
    );
  };
  const save = async () => {
    for (const [orderShopifyId, ids] of credited) await markAcceptancesCredited(shopId, ids, orderShopifyId, tx);
  };
  return Object.assign(credit, { save });
}
