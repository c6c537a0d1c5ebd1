/**
 * Order backfill: the shop's order history through one bulk operation. Shopify runs the query
 * and writes a JSONL file (one order per line, each line item on its own line with `__parentId`);
 * we stream it, group line items into their orders and ingest in batches. The job's checkpoint
 * holds the bulk operation id and the number of lines fully stored, so a restart neither starts
 * a second bulk operation nor re-reads what is already in. Before the operation is started, the
 * checkpoint says what is being started, so a run cut off between Shopify accepting it and its
 * id being saved finds it again (startBulkOperation).
 */
import { z } from "zod";
import { parseDecimalToMinor } from "~/core/money";
import db from "~/db.server";
import { refreshPlannerStatistics } from "~/models/planner-statistics.server";
import { adminApiForShop, type AdminApi } from "~/services/admin-api.server";
import { ingestOrders, OFFER_PROPERTY, PLACEMENT_PROPERTY, type IncomingOrder, type IncomingOrderLine } from "~/services/ingest";
import { itemsSubtotal } from "~/services/ingest/items-subtotal";
import { experimentOf, thankYouProductOf, withThankYouPlacement } from "~/services/ingest/storefront-marks";
import { enqueueJob, type JobHandler, type RunningJob } from "~/services/jobs.server";
import { callAdmin, legacyId } from "./admin-calls.server";
import { readJsonLines } from "./jsonl.server";
import { BULK_OPERATION_QUERY, bulkOrdersQuery, CURRENT_BULK_OPERATION_QUERY, RUN_BULK_QUERY_MUTATION } from "./queries";

export const ordersBackfillInputSchema = z.object({
  /** Only orders created in the last N days; null for all (history past 60 days needs read_all_orders). */
  sinceDays: z.number().int().positive().nullable().default(null),
  /** How often to ask Shopify whether the bulk operation has finished. */
  pollIntervalMs: z.number().int().positive().default(5_000),
  /** Orders per ingest batch (and per checkpoint). */
  batchSize: z.number().int().positive().max(2_000).default(250),
  /** Give up waiting for the bulk operation after this long. */
  maxWaitMs: z.number().int().positive().default(6 * 60 * 60 * 1_000),
});
export type OrdersBackfillInput = z.input<typeof ordersBackfillInputSchema>;

const countsSchema = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  skipped: z.number().int(),
  invalidRows: z.number().int(),
  orphanLines: z.number().int(),
});
type Counts = z.infer<typeof countsSchema>;

const checkpointSchema = z.object({
  bulkOperationId: z.string(),
  /** Lines 0..lineOffset-1 of the result are stored. */
  lineOffset: z.number().int().nonnegative(),
  counts: countsSchema,
});
type Checkpoint = z.infer<typeof checkpointSchema>;

/** Saved just before the bulk operation is started, until its id is saved instead. */
const startingSchema = z.object({
  /** The bulk query document sent: the one to look for, and to send again. */
  startingQuery: z.string(),
  /** The app's most recent bulk query operation before it was sent, if any: not this run's. */
  startingAfter: z.string().nullable(),
});
type Starting = z.infer<typeof startingSchema>;

const currentBulkOperationAnswer = z.object({
  currentBulkOperation: z.object({ id: z.string(), status: z.string(), query: z.string() }).nullable(),
});

const runAnswer = z.object({
  bulkOperationRunQuery: z.object({
    bulkOperation: z.object({ id: z.string(), status: z.string() }).nullable(),
    userErrors: z.array(z.object({ field: z.array(z.string()).nullable().optional(), message: z.string() })),
  }),
});

const bulkOperationAnswer = z.object({
  node: z
    .object({
      id: z.string(),
      status: z.enum(["CREATED", "RUNNING", "COMPLETED", "CANCELING", "CANCELED", "FAILED", "EXPIRED"]),
      errorCode: z.string().nullable(),
      objectCount: z.union([z.string(), z.number()]).transform(Number),
      url: z.string().nullable(),
      partialDataUrl: z.string().nullable().optional(),
    })
    .nullable(),
});

const shopMoney = z.object({ shopMoney: z.object({ amount: z.union([z.string(), z.number()]).transform(String) }) });
const orderRow = z.object({
  id: z.string().startsWith("gid://shopify/Order/"),
  name: z.string(),
  createdAt: z.string().datetime({ offset: true }),
  processedAt: z.string().datetime({ offset: true }).nullish(),
  /** When Shopify last changed the order; absent from a bulk operation started by an older version. */
  updatedAt: z.string().datetime({ offset: true }).nullish(),
  cancelledAt: z.string().datetime({ offset: true }).nullish(),
  currencyCode: z.string().length(3),
  subtotalPriceSet: shopMoney.nullish(),
  totalPriceSet: shopMoney,
  totalDiscountsSet: shopMoney.nullish(),
  customer: z.object({ id: z.string() }).nullish(),
  /** The cart attributes the order kept (the webhooks' note_attributes). */
  customAttributes: z.array(z.object({ key: z.string(), value: z.string().nullish() })).nullish(),
});
const lineRow = z.object({
  id: z.string(),
  __parentId: z.string(),
  title: z.string(),
  sku: z.string().nullish(),
  quantity: z.number().int(),
  product: z.object({ legacyResourceId: z.string() }).nullish(),
  variant: z.object({ legacyResourceId: z.string() }).nullish(),
  originalUnitPriceSet: shopMoney,
  discountAllocations: z.array(z.object({ allocatedAmountSet: shopMoney })).nullish(),
  customAttributes: z.array(z.object({ key: z.string(), value: z.string().nullish() })).nullish(),
});

function minor(amount: string, currency: string): number {
  return parseDecimalToMinor(amount, currency, { rounding: "half-up" });
}

/** An order of the bulk result, with the product the thank-you block's link added (for its lines, which come after it). */
type BackfilledOrder = IncomingOrder & { thankYouProduct?: string | null };

function toOrder(row: z.infer<typeof orderRow>): BackfilledOrder {
  const currency = row.currencyCode;
  const attributes = row.customAttributes ? new Map(row.customAttributes.map((attribute) => [attribute.key, attribute.value ?? ""])) : null;
  return {
    shopifyId: legacyId(row.id),
    name: row.name,
    currency,
    // Shopify's subtotal is the checkout's; flush() stores the lines' total, as the webhooks do.
    subtotal: row.subtotalPriceSet ? minor(row.subtotalPriceSet.shopMoney.amount, currency) : 0,
    ...(row.subtotalPriceSet ? { checkoutSubtotal: minor(row.subtotalPriceSet.shopMoney.amount, currency) } : {}),
    total: minor(row.totalPriceSet.shopMoney.amount, currency),
    discount: row.totalDiscountsSet ? minor(row.totalDiscountsSet.shopMoney.amount, currency) : 0,
    customerId: row.customer ? legacyId(row.customer.id) : null,
    cancelledAt: row.cancelledAt ? new Date(row.cancelledAt) : null,
    placedAt: new Date(row.processedAt ?? row.createdAt),
    // The result is a snapshot taken when the bulk operation ran, read minutes or hours later: an
    // order a webhook stored since in a newer state (an edit, an accepted post-purchase offer's
    // line) is skipped rather than put back as it was (ingest compares it with sourceUpdatedAt).
    ...(row.updatedAt ? { updatedAt: new Date(row.updatedAt) } : {}),
    // A result without the field (a bulk operation started by an older version) says nothing.
    ...(attributes ? { experiment: experimentOf(attributes), thankYouProduct: thankYouProductOf(attributes) } : {}),
    lines: [],
  };
}

function toLine(row: z.infer<typeof lineRow>, order: BackfilledOrder): IncomingOrderLine {
  const currency = order.currency;
  const properties = Object.fromEntries((row.customAttributes ?? []).map((attribute) => [attribute.key, attribute.value ?? ""]));
  return {
    shopifyProductId: row.product?.legacyResourceId ?? null,
    shopifyVariantId: row.variant?.legacyResourceId ?? null,
    sku: row.sku ?? null,
    title: row.title,
    quantity: row.quantity,
    unitPrice: minor(row.originalUnitPriceSet.shopMoney.amount, currency),
    discount: (row.discountAllocations ?? []).reduce((sum, allocation) => sum + minor(allocation.allocatedAmountSet.shopMoney.amount, currency), 0),
    properties: withThankYouPlacement(properties, row.product?.legacyResourceId ?? null, order.thankYouProduct ?? null),
  };
}

/** An order already stored, rebuilt as ingest input, so a late line item can be added to it. */
async function storedOrderAsIncoming(shopId: string, shopifyId: string): Promise<IncomingOrder | null> {
  const order = await db.order.findUnique({
    where: { shopId_shopifyId: { shopId, shopifyId } },
    include: { lines: { orderBy: { id: "asc" } } },
  });
  if (!order) return null;
  return {
    shopifyId,
    name: order.name,
    currency: order.currency,
    subtotal: order.subtotalAmount,
    total: order.totalAmount,
    discount: order.discountAmount,
    customerId: order.customerId,
    cancelledAt: order.cancelledAt,
    placedAt: order.placedAt,
    lines: order.lines.map((line) => ({
      shopifyProductId: line.shopifyProductId,
      shopifyVariantId: line.shopifyVariantId,
      sku: line.sku,
      title: line.title,
      quantity: line.quantity,
      unitPrice: line.unitPriceAmount,
      discount: line.discountAmount,
      properties: {
        ...(line.upshelfOffer ? { [OFFER_PROPERTY]: line.upshelfOffer } : {}),
        ...(line.upshelfPlacement ? { [PLACEMENT_PROPERTY]: line.upshelfPlacement } : {}),
      },
    })),
  };
}

export interface OrdersBackfillReport extends Counts {
  mode: "live" | "recording";
  bulkOperationId: string | null;
  lines: number;
  message: string;
}

export interface BackfillDependencies {
  admin: AdminApi;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

/** Recently stored orders, kept so a line item that arrives after its order's batch can join it. */
const RECENT_ORDERS_KEPT = 20_000;

/** The backfill itself, with the Admin API passed in (tests pass one aimed at a local stand-in). */
export async function runOrdersBackfill(
  job: Pick<RunningJob, "shopId" | "input" | "checkpoint" | "progress">,
  dependencies: BackfillDependencies,
): Promise<OrdersBackfillReport> {
  const { shopId } = job;
  const { admin } = dependencies;
  const input = ordersBackfillInputSchema.parse(job.input ?? {});
  const sleep = dependencies.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const since = input.sinceDays === null ? null : new Date(Date.now() - input.sinceDays * 86_400_000);

  if (admin.mode === "recording") {
    await admin.request("OrdersBackfill", RUN_BULK_QUERY_MUTATION, { query: bulkOrdersQuery(since) });
    return {
      mode: "recording", bulkOperationId: null, lines: 0, created: 0, updated: 0, skipped: 0, invalidRows: 0, orphanLines: 0,
      message: "Demo shop: no bulk operation was started; the mutation a real shop would get is recorded.",
    };
  }

  const deadline = Date.now() + input.maxWaitMs;
  const resumed = checkpointSchema.safeParse(job.checkpoint);
  let state: Checkpoint;
  if (resumed.success) {
    state = resumed.data;
  } else {
    const starting = startingSchema.safeParse(job.checkpoint);
    const bulkOperationId = await startBulkOperation(job, admin, {
      // A run cut off while starting it: the document it sent (which names a time when sinceDays
      // is set), and the app's bulk query before it.
      query: starting.success ? starting.data.startingQuery : bulkOrdersQuery(since),
      after: starting.success ? starting.data.startingAfter : undefined,
      until: deadline,
      wait: () => sleep(input.pollIntervalMs),
    });
    state = { bulkOperationId, lineOffset: 0, counts: { created: 0, updated: 0, skipped: 0, invalidRows: 0, orphanLines: 0 } };
    await job.progress(0, null, state);
  }

  // Wait for Shopify to finish. The download URL is asked for afresh on every run: it is signed
  // and expires, so a resumed job must not reuse one from its checkpoint.
  let operation: NonNullable<z.infer<typeof bulkOperationAnswer>["node"]>;
  for (;;) {
    const answer = bulkOperationAnswer.parse(await callAdmin(admin, "BulkOperation", BULK_OPERATION_QUERY, { id: state.bulkOperationId }));
    if (!answer.node) throw new Error(`Bulk operation ${state.bulkOperationId} is unknown to Shopify.`);
    operation = answer.node;
    if (operation.status === "COMPLETED") break;
    if (["FAILED", "CANCELED", "CANCELING", "EXPIRED"].includes(operation.status)) {
      throw new Error(`The order backfill's bulk operation ended ${operation.status}${operation.errorCode ? ` (${operation.errorCode})` : ""}.`);
    }
    if (Date.now() > deadline) throw new Error(`The order backfill's bulk operation was still ${operation.status} after ${input.maxWaitMs} ms.`);
    await job.progress(0, null, state);
    await sleep(input.pollIntervalMs);
  }

  const totalLines = operation.objectCount;
  let lines = state.lineOffset;
  if (operation.url) {
    lines = await streamResult(operation.url, state, {
      shopId,
      batchSize: input.batchSize,
      fetch: dependencies.fetch,
      progress: (done, checkpoint) => job.progress(done, Math.max(totalLines, done), checkpoint),
    });
  }
  await job.progress(lines, Math.max(totalLines, lines), { ...state, lineOffset: lines });
  const { counts } = state;
  return {
    mode: "live",
    bulkOperationId: state.bulkOperationId,
    lines,
    ...counts,
    message:
      `${counts.created + counts.updated + counts.skipped} orders read: ${counts.created} new, ${counts.updated} changed, ${counts.skipped} already stored` +
      (counts.invalidRows > 0 ? `; ${counts.invalidRows} unreadable rows skipped` : "") +
      (counts.orphanLines > 0 ? `; ${counts.orphanLines} line items without their order` : "") +
      ".",
  };
}

/** Statuses of a bulk query that still holds its place at Shopify, and of one still working. */
const HOLDING = new Set(["CREATED", "RUNNING", "CANCELING"]);
const WORKING = new Set(["CREATED", "RUNNING"]);

/** Two GraphQL documents alike but for spacing and commas (which GraphQL ignores outside strings). */
function sameDocument(a: string, b: string): boolean {
  const normal = (document: string) =>
    document
      .split(/("(?:[^"\\]|\\.)*")/)
      .map((part, index) => (index % 2 === 1 ? part : part.replace(/[\s,]+/g, " ").replace(/ ?([{}()[\]:!$=@]) ?/g, "$1").trim()))
      .join("");
  return normal(a) === normal(b);
}

/**
 * Starts the backfill's bulk operation and returns its id; or adopts one instead of starting it,
 * since Shopify refuses a bulk query while the app's last one still runs ("already in progress").
 * - A run cut off after Shopify accepted the operation but before its id was saved left the
 *   `starting` checkpoint: the app's current bulk query, if it is not the one named there as
 *   before (`after`) and runs the same document, is that run's, whatever its status (a completed
 *   one is read, a failed one reported as any other).
 * - A bulk query running the same document is adopted: its result is what a new one would give.
 * - Another one still holding the shop's place (a bulk query of another kind, or of another
 *   version) is waited for, then ours is started.
 * Nothing is compared by time: Shopify's clock and ours need not agree.
 */
async function startBulkOperation(
  job: Pick<RunningJob, "progress">,
  admin: AdminApi,
  options: { query: string; after: string | null | undefined; until: number; wait: () => Promise<void> },
): Promise<string> {
  const { query } = options;
  let startingAfter = options.after;
  let refusal: string | null = null;
  for (;;) {
    const { currentBulkOperation: current } = currentBulkOperationAnswer.parse(await callAdmin(admin, "CurrentBulkOperation", CURRENT_BULK_OPERATION_QUERY));
    const same = current !== null && sameDocument(current.query, query);
    if (current && same && (WORKING.has(current.status) || (startingAfter !== undefined && current.id !== startingAfter))) return current.id;
    if (current && HOLDING.has(current.status)) {
      refusal = null;
      if (Date.now() > options.until) throw new Error(`Another bulk query of the app (${current.id}) was still ${current.status}; the order backfill could not start.`);
      await job.progress(0, null);
      await options.wait();
      continue;
    }
    // Nothing holds the place, and still Shopify said no: its reason stands.
    if (refusal !== null) throw new Error(`Shopify refused the order backfill: ${refusal}.`);
    startingAfter = current?.id ?? null;
    await job.progress(0, null, { startingQuery: query, startingAfter } satisfies Starting);
    const answer = runAnswer.parse(await callAdmin(admin, "OrdersBackfill", RUN_BULK_QUERY_MUTATION, { query }));
    const { bulkOperation, userErrors } = answer.bulkOperationRunQuery;
    if (bulkOperation && userErrors.length === 0) return bulkOperation.id;
    // Another bulk query may have started in between: the next look adopts or waits for it.
    refusal = userErrors.map((error) => error.message).join("; ") || "no bulk operation returned";
  }
}

async function streamResult(
  url: string,
  state: Checkpoint,
  options: { shopId: string; batchSize: number; fetch?: typeof fetch; progress: (done: number, checkpoint: Checkpoint) => Promise<void> },
): Promise<number> {
  const { shopId } = options;
  // Orders of the batch being read, in file order; and recently stored ones for late line items.
  const batch = new Map<string, BackfilledOrder>();
  const recent = new Map<string, BackfilledOrder>();
  let linesRead = state.lineOffset;

  const flush = async (nextLineOffset: number) => {
    if (batch.size > 0) {
      // An order edit (an accepted post-purchase offer) adds lines the checkout subtotal lacks.
      const orders = [...batch.values()].map((order) => (order.lines.length > 0 ? { ...order, subtotal: itemsSubtotal(order.lines) } : order));
      const result = await ingestOrders(shopId, orders);
      state.counts.created += result.created;
      state.counts.updated += result.updated;
      state.counts.skipped += result.skipped;
      for (const [gid, order] of batch) {
        recent.delete(gid);
        recent.set(gid, order);
      }
      while (recent.size > RECENT_ORDERS_KEPT) recent.delete(recent.keys().next().value as string);
      batch.clear();
    }
    state.lineOffset = nextLineOffset;
    await options.progress(nextLineOffset, state);
  };

  for await (const { index, text } of readJsonLines(url, { fetch: options.fetch })) {
    linesRead = index + 1;
    if (index < state.lineOffset) continue;
    let row: Record<string, unknown>;
    try {
      row = JSON.parse(text) as Record<string, unknown>;
    } catch {
      state.counts.invalidRows += 1;
      continue;
    }
    if (typeof row.__parentId !== "string") {
      const parsed = orderRow.safeParse(row);
      if (!parsed.success) {
        state.counts.invalidRows += 1;
        continue;
      }
      // A new order starts: everything before this line is complete, a safe place to checkpoint.
      if (batch.size >= options.batchSize) await flush(index);
      batch.set(parsed.data.id, toOrder(parsed.data));
      continue;
    }
    const parsed = lineRow.safeParse(row);
    if (!parsed.success) {
      state.counts.invalidRows += 1;
      continue;
    }
    const parentGid = parsed.data.__parentId;
    let order = batch.get(parentGid);
    if (!order) {
      // Shopify lists children after their parent but not always right after it: the order
      // may be in an earlier batch. It is stored again (lines replaced) with this line added.
      order = recent.get(parentGid) ?? (await storedOrderAsIncoming(shopId, legacyId(parentGid))) ?? undefined;
      if (!order) {
        state.counts.orphanLines += 1;
        continue;
      }
      batch.set(parentGid, order);
    }
    order.lines.push(toLine(parsed.data, order));
  }
  await flush(linesRead);
  return linesRead;
}

export const ordersBackfillJob: JobHandler = async (job) => {
  const report = await runOrdersBackfill(job, { admin: await adminApiForShop(job.shopId) });
  // The model learns the whole history at once, rather than order by order.
  if (report.mode === "live") {
    await refreshPlannerStatistics(["Order", "OrderLine"]);
    await enqueueJob(job.shopId, "rebuild_recommendations", {}, { reuseActive: true });
  }
  return report;
};
