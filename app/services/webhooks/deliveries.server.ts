/**
 * Webhook deliveries: verified, stored, acknowledged, then processed. The stored row is what
 * makes the work reliable: Shopify gets its 200 only once the delivery is in the database, the
 * work runs right after, and a delivery still pending when the process died is processed at the
 * next start (processPendingWebhookDeliveries). X-Shopify-Webhook-Id is unique per shop, so a
 * redelivery is acknowledged without being processed twice.
 *
 * Several processes may share the deliveries (PostgreSQL): a run claims a delivery with a lease
 * (`leaseUntil`, the database's time: hosts' clocks disagree) and renews it while it works, so a
 * process starting meanwhile leaves the delivery to it, and looks again when the lease would end:
 * a lease whose process died runs out and the delivery is taken over. Each claim counts an
 * attempt, and a run writes its outcome only while the attempt is still its own. A failed run
 * leaves its retry time in `leaseUntil`: no process runs the delivery before it. Every process
 * also picks up, every PICKUP_MS, the pending deliveries whose lease or retry time has passed
 * (startWebhookDeliveryPickup), so one whose run died elsewhere does not wait for a restart.
 */
import db, { type Prisma } from "~/db.server";
import { getEnv } from "~/env.server";
import { databaseNow, leaseEnd } from "~/models/database-clock.server";
import type { AdminApi } from "~/services/admin-api.server";
import { jsonError, readBodyBytes } from "~/services/http.server";
import { startPeriodicPass } from "~/services/periodic-pass.server";
import { isUniqueViolation } from "~/models/unique-violation";
import { defaultAdminApiFor, isWebhookTopic, TOPIC_HANDLERS, type WebhookTopic } from "./handlers.server";
import { forgetRedactedDelivery } from "./customer-data.server";
import { parseJsonKeepingLargeIntegers } from "./json";
import { verifyWebhookSignature } from "./signature.server";

/** After this many failed runs a delivery is left `failed` (with its error) for a person to look at. */
export const MAX_DELIVERY_ATTEMPTS = 5;
/** Waits before retrying a failed run; the retry time is stored, so any process keeps to it. */
const RETRY_DELAYS_MS = [2_000, 15_000, 60_000, 300_000];
/** How long a claim lasts past its last renewal; a run renews it every LEASE_RENEW_MS. */
export const LEASE_MS = 120_000;
const LEASE_RENEW_MS = 30_000;
/**
 * Waited past a lease's end before looking again: SQLite's CURRENT_TIMESTAMP has whole seconds,
 * so the database's time may trail the end by up to one.
 */
const LEASE_MARGIN_MS = 1_000;
/**
 * How often each process looks for deliveries no run holds and none will retry here: a run that
 * died in another process, a retry whose process stopped. As often as the job sweep (SWEEP_MS).
 */
export const PICKUP_MS = 30_000;

export interface ProcessOptions {
  /** How handlers reach the Admin API (tests point it at a local stand-in). */
  adminApiFor?: (shopId: string) => Promise<AdminApi>;
}

declare global {
  // Runs in flight, and deliveries with a later run scheduled (when, and its timer), shared between
  // server.ts and the Vite-loaded route modules in development.
  var upshelfWebhookRuns: Map<number, Promise<boolean>> | undefined;
  var upshelfWebhookRunsWaiting: Map<number, ScheduledRun> | undefined;
}
interface ScheduledRun {
  readonly dueAt: number;
  readonly timer: ReturnType<typeof setTimeout>;
}
const inFlight: Map<number, Promise<boolean>> = (globalThis.upshelfWebhookRuns ??= new Map());
const waiting: Map<number, ScheduledRun> = (globalThis.upshelfWebhookRunsWaiting ??= new Map());

const HEADERS = { "Cache-Control": "no-store" };

/**
 * The largest body read. The signature can only be checked once the whole body is in memory, so
 * without a bound anyone could make the app buffer a body of any size (1.5 GB took 4.8 GB of
 * memory). Shopify documents no maximum; its largest payloads (an order of hundreds of lines, a
 * product of 2,048 variants) are a few megabytes.
 */
export const MAX_WEBHOOK_BODY_BYTES = 20 * 1024 * 1024;

function ok(status: "stored" | "duplicate" | "ignored"): Response {
  return Response.json({ ok: true, status }, { status: 200, headers: HEADERS });
}

/**
 * The whole webhook route: verify, store, answer. `topics` are the ones the route subscribes to
 * (shopify.app.toml); anything else is a misconfiguration answered 400 so it shows up in
 * Shopify's delivery log rather than vanishing.
 */
export async function receiveWebhook(request: Request, topics: readonly WebhookTopic[]): Promise<Response> {
  if (request.method !== "POST") {
    return jsonError(405, "method_not_allowed", "Webhooks are POSTed.", { headers: { ...HEADERS, Allow: "POST" } });
  }
  let body: Uint8Array;
  try {
    body = await readBodyBytes(request, {
      maxBytes: MAX_WEBHOOK_BODY_BYTES,
      tooLarge: () => jsonError(413, "payload_too_large", `Webhook bodies are limited to ${MAX_WEBHOOK_BODY_BYTES} bytes.`, { headers: HEADERS }),
    });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
  if (!verifyWebhookSignature(body, request.headers.get("x-shopify-hmac-sha256"), getEnv().apiSecret)) {
    return jsonError(401, "invalid_hmac", "X-Shopify-Hmac-Sha256 does not match the body signed with the app's secret.", { headers: HEADERS });
  }
  const topic = request.headers.get("x-shopify-topic")?.trim().toLowerCase() ?? "";
  const shopId = request.headers.get("x-shopify-shop-domain")?.trim().toLowerCase() ?? "";
  const webhookId = request.headers.get("x-shopify-webhook-id")?.trim() ?? "";
  const missing = [!topic && "X-Shopify-Topic", !shopId && "X-Shopify-Shop-Domain", !webhookId && "X-Shopify-Webhook-Id"].filter(Boolean);
  if (missing.length > 0) {
    return jsonError(400, "missing_headers", `Missing ${missing.join(", ")}.`, { headers: HEADERS });
  }
  if (!isWebhookTopic(topic) || !topics.includes(topic)) {
    return jsonError(400, "unexpected_topic", `This endpoint handles ${topics.join(", ")}, not "${topic}".`, { headers: HEADERS });
  }
  const text = new TextDecoder("utf-8", { fatal: false }).decode(body);
  let payload: unknown;
  try {
    payload = parseJsonKeepingLargeIntegers(text);
  } catch {
    payload = undefined;
  }
  if (payload === null || typeof payload !== "object" || Array.isArray(payload)) {
    return jsonError(400, "malformed_json", "The body is not a JSON object.", { headers: HEADERS });
  }
  // The signature covers the body, not the headers: where the body names its shop (compliance
  // topics, app/uninstalled, shop/update), a different X-Shopify-Shop-Domain is refused, so a
  // signed body cannot be replayed against another shop.
  const named = shopNamedIn(payload as Record<string, unknown>);
  if (named !== undefined && named !== shopId) {
    return jsonError(400, "shop_mismatch", `The body is for "${named}", but X-Shopify-Shop-Domain says "${shopId}".`, { headers: HEADERS });
  }

  // A shop we do not know (never installed, or already erased by shop/redact) has nothing to
  // update or erase. Answering an error would only make Shopify retry for hours and then flag
  // the endpoint as failing; the signature proved the delivery came from Shopify.
  const shop = await db.shop.findUnique({ where: { id: shopId }, select: { id: true } });
  if (!shop) {
    console.info(`Webhook ${topic} ${webhookId} for unknown shop ${shopId}: acknowledged, nothing to do.`);
    return ok("ignored");
  }

  let deliveryId: number;
  try {
    const row = await db.webhookDelivery.create({ data: { shopId, webhookId, topic, payload: text }, select: { id: true } });
    deliveryId = row.id;
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const existing = await db.webhookDelivery.findUnique({ where: { shopId_webhookId: { shopId, webhookId } }, select: { id: true, status: true } });
    // A redelivery of something still pending (its run died) is a good moment to try again.
    if (existing?.status === "pending") scheduleWebhookDelivery(existing.id);
    return ok("duplicate");
  }
  scheduleWebhookDelivery(deliveryId);
  return ok("stored");
}

function shopNamedIn(payload: Record<string, unknown>): string | undefined {
  const named = payload.shop_domain ?? payload.myshopify_domain;
  return typeof named === "string" ? named.trim().toLowerCase() : undefined;
}

/**
 * Processes a stored delivery soon, outside the request that stored it. A later run (a retry, or a
 * look at another run's lease) is scheduled once per delivery, at the earliest time asked for: a
 * retry asked for after a longer wait (a look at a lease) replaces it rather than waiting behind it,
 * and whatever that earlier run finds (a lease, a failure) schedules the next one.
 */
export function scheduleWebhookDelivery(id: number, delayMs = 0, options: ProcessOptions = {}): void {
  if (delayMs === 0) {
    setTimeout(() => void processWebhookDelivery(id, options), 0);
    return;
  }
  const dueAt = Date.now() + delayMs;
  const scheduled = waiting.get(id);
  if (scheduled && scheduled.dueAt <= dueAt) return;
  if (scheduled) clearTimeout(scheduled.timer);
  const timer = setTimeout(() => {
    waiting.delete(id);
    void processWebhookDelivery(id, options);
  }, delayMs);
  // A pending retry must not keep a stopping process alive; the retry time is stored, and any
  // process's pickup runs it once due.
  timer.unref();
  waiting.set(id, { dueAt, timer });
}

/**
 * Runs one pending delivery's handler. Returns false when there was nothing to do (done, failed,
 * unknown, or claimed by another run, whose lease is looked at again when it would end). Errors
 * never escape: they are stored on the row.
 */
export function processWebhookDelivery(id: number, options: ProcessOptions = {}): Promise<boolean> {
  const existing = inFlight.get(id);
  if (existing) return existing;
  const run = runDelivery(id, options)
    .catch((error: unknown) => {
      console.error(`Webhook delivery ${id} could not be processed:`, error);
      return false;
    })
    .finally(() => inFlight.delete(id));
  inFlight.set(id, run);
  return run;
}

async function runDelivery(id: number, options: ProcessOptions): Promise<boolean> {
  const row = await db.webhookDelivery.findUnique({ where: { id } });
  if (!row || row.status !== "pending") return false;
  const now = await databaseNow();
  // Another run holds it (in this process or another), or it waits for its retry: leave it, and
  // look again when the lease would end, in case that run's process has died by then.
  if (row.leaseUntil && row.leaseUntil >= now) {
    scheduleWebhookDelivery(id, row.leaseUntil.getTime() - now.getTime() + LEASE_MARGIN_MS, options);
    return false;
  }
  // Claim by the attempt count read and a lease that is free: of two runners, only one moves it on.
  const claimed = await db.webhookDelivery.updateMany({
    where: { id, status: "pending", attempts: row.attempts, OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] },
    data: { attempts: { increment: 1 }, leaseUntil: leaseEnd(now, LEASE_MS) },
  });
  if (claimed.count === 0) {
    scheduleWebhookDelivery(id, LEASE_MS + LEASE_MARGIN_MS, options);
    return false;
  }
  const attempt = row.attempts + 1;
  // This run's claim: once another run has taken the delivery over (this one froze past its
  // lease), this run's writes change nothing.
  const mine = { id, status: "pending", attempts: attempt };
  const renew = async () => db.webhookDelivery.updateMany({ where: mine, data: { leaseUntil: leaseEnd(await databaseNow(), LEASE_MS) } });
  let renewing: Promise<unknown> = Promise.resolve();
  const renewal = setInterval(() => {
    renewing = renew().catch(() => {});
  }, LEASE_RENEW_MS);
  renewal.unref();
  try {
    if (!isWebhookTopic(row.topic)) throw new Error(`No handler for topic "${row.topic}".`);
    const payload = parseJsonKeepingLargeIntegers(row.payload);
    const kept = await TOPIC_HANDLERS[row.topic]({ shopId: row.shopId, payload, attempt, adminApiFor: options.adminApiFor ?? defaultAdminApiFor });
    // The payload may hold a buyer's name, email and address; once handled it is not kept.
    // updateMany: shop/redact has just deleted this row along with the rest of the shop.
    const finished = { status: "done", processedAt: new Date(), lastError: null, leaseUntil: null };
    const unmarked = await db.webhookDelivery.updateMany({
      where: { ...mine, customerRedacted: false },
      data: { ...finished, payload: typeof kept === "string" ? kept : "{}" },
    });
    if (unmarked.count === 0 && (await db.webhookDelivery.count({ where: { ...mine, customerRedacted: true } })) > 0) {
      // customers/redact named it while it waited (it marks pending deliveries only, so the write
      // above saw the mark if there is one). The order it stored is unlinked first: should that
      // fail, the delivery is still pending with its payload and is retried. Then nothing of it
      // is kept, not even an export made for them.
      await forgetRedactedDelivery(row.shopId, row.topic, payload);
      await db.webhookDelivery.updateMany({ where: mine, data: { ...finished, payload: "{}" } });
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const giveUp = attempt >= MAX_DELIVERY_ATTEMPTS;
    // The run's lease gives way to the retry time, in the database's time: until then no process
    // (a start-up, a redelivery, a pickup) runs it; after it, whichever comes first claims it anew.
    const retryMs = RETRY_DELAYS_MS[Math.min(attempt, RETRY_DELAYS_MS.length) - 1] ?? 0;
    // A renewal under way would write a lease over the retry time just written (the row is still
    // pending and this run's), holding the retry back up to a whole lease: stop it and let it land first.
    clearInterval(renewal);
    await renewing;
    const outcome = { status: giveUp ? "failed" : "pending", lastError: message.slice(0, 2_000), leaseUntil: giveUp ? null : leaseEnd(await databaseNow(), retryMs) };
    const unmarked = await db.webhookDelivery.updateMany({ where: { ...mine, customerRedacted: false }, data: outcome });
    // A failed delivery keeps its payload for investigation, unless customers/redact named it
    // while it was being retried: then only the error stays.
    const marked = unmarked.count > 0 ? unmarked : await db.webhookDelivery.updateMany({ where: mine, data: { ...outcome, ...(giveUp ? { payload: "{}" } : {}) } });
    // Neither wrote: another run has taken the delivery over (or shop/redact deleted it); it is theirs.
    if (marked.count === 0) return true;
    if (giveUp) console.error(`Webhook ${row.topic} ${row.webhookId} for ${row.shopId} failed ${attempt} times: ${message}`);
    else scheduleWebhookDelivery(id, retryMs + LEASE_MARGIN_MS, options);
  } finally {
    clearInterval(renewal);
  }
  return true;
}

/**
 * At start-up: deliveries stored but not finished (the process stopped between the 200 and the
 * end of the work, or during a retry wait) are processed now, each shop's oldest first; one another run
 * holds is left to it until its lease would end, one waiting for its retry until its retry time.
 * Returns how many ran. server.ts calls this once the database is migrated.
 */
export async function processPendingWebhookDeliveries(
  options: ProcessOptions & { /** Only these shops' deliveries (tests share one database). */ shopIds?: readonly string[] } = {},
): Promise<number> {
  const { shopIds, ...processOptions } = options;
  return runPendingInOrder({ ...(shopIds ? { shopId: { in: [...shopIds] } } : {}) }, processOptions, false);
}

/**
 * How many shops' pending deliveries a pass runs at once. A shop's own run one at a time, oldest
 * first (an order's update after its creation); shops apart, so one shop's backlog after an outage
 * does not hold every other shop's webhooks back behind it.
 */
const SHOPS_AT_ONCE = 4;

/** Runs the pending deliveries `where` selects, each shop's oldest first and one at a time; returns how many ran. */
async function runPendingInOrder(where: Prisma.WebhookDeliveryWhereInput, options: ProcessOptions, skipInFlight: boolean): Promise<number> {
  const pending = await db.webhookDelivery.findMany({ where: { ...where, status: "pending" }, orderBy: { id: "asc" }, select: { id: true, shopId: true } });
  const byShop = new Map<string, number[]>();
  for (const { id, shopId } of pending) {
    const ids = byShop.get(shopId);
    if (ids) ids.push(id);
    else byShop.set(shopId, [id]);
  }
  const shops = [...byShop.values()];
  let processed = 0;
  const runShops = async () => {
    for (let ids = shops.shift(); ids; ids = shops.shift()) {
      for (const id of ids) {
        if (skipInFlight && inFlight.has(id)) continue;
        if (await processWebhookDelivery(id, options)) processed += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(SHOPS_AT_ONCE, shops.length) }, runShops));
  return processed;
}

/**
 * Claims and runs, each shop's oldest first and one at a time, the pending deliveries no run holds and none
 * waits for its retry: never run, left by a run whose lease has ended (its process died), or past
 * their retry time. A delivery running here is skipped; another process's pickup racing this one
 * is settled by the claim (processWebhookDelivery), so each runs once. Returns how many ran.
 */
export async function pickUpDueWebhookDeliveries(
  options: ProcessOptions & { /** Only these shops' deliveries (tests share one database). */ shopIds?: readonly string[] } = {},
): Promise<number> {
  const { shopIds, ...processOptions } = options;
  const now = await databaseNow();
  const due = { OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }], ...(shopIds ? { shopId: { in: [...shopIds] } } : {}) };
  return runPendingInOrder(due, processOptions, true);
}

/**
 * Picks up due deliveries now and every PICKUP_MS in this process (server.ts, after start-up's
 * processPendingWebhookDeliveries); a pass still working is not joined by the next.
 */
export function startWebhookDeliveryPickup(
  options: ProcessOptions & { readonly shopIds?: readonly string[]; readonly intervalMs?: number } = {},
): { stop(): void } {
  const { intervalMs, ...pickUpOptions } = options;
  return startPeriodicPass(
    () =>
      pickUpDueWebhookDeliveries(pickUpOptions)
        .then((processed) => processed > 0 && console.info(`Picked up ${processed} webhook deliveries left pending.`))
        .catch((error: unknown) => console.error("Picking up pending webhook deliveries failed:", error)),
    intervalMs ?? PICKUP_MS,
  );
}

/** Resolves when every delivery run started in this process has finished (tests, shutdown). */
export async function settleWebhookDeliveries(): Promise<void> {
  // Scheduled runs start on the next timer tick.
  await new Promise((resolve) => setTimeout(resolve, 0));
  while (inFlight.size > 0) await Promise.all([...inFlight.values()]);
}

export interface DeliveryRow {
  id: number;
  topic: string;
  status: string;
  attempts: number;
  lastError: string | null;
  receivedAt: Date;
  processedAt: Date | null;
}

/** The shop's latest webhook deliveries (never their payloads), for the "Shopify data" page. */
export async function listWebhookDeliveries(shopId: string, limit = 10): Promise<DeliveryRow[]> {
  return db.webhookDelivery.findMany({
    where: { shopId },
    orderBy: { id: "desc" },
    take: limit,
    select: { id: true, topic: true, status: true, attempts: true, lastError: true, receivedAt: true, processedAt: true },
  });
}
