import type { KeyedEventCount } from "~/core/analytics";
import db from "~/db.server";
import { Prisma } from "~/generated/prisma/sqlite/client";
import type { DayRange } from "./order-totals.server";
import { deleteInBatches } from "./batched-delete.server";
import { chunks, IN_LIST_SIZE } from "./in-lists";
import { isUniqueViolation } from "./unique-violation";

export const WIDGET_EVENT_KINDS = [
  "impression",
  "click",
  "add_to_cart",
  "offer_shown",
  "offer_accepted",
  "offer_declined",
  // The post-purchase page tried to add the item and nothing was added: counted in no funnel step.
  "offer_accept_failed",
] as const;
export const PLACEMENTS = ["pdp", "cart", "post_purchase", "thank_you"] as const;

export type WidgetEventKind = (typeof WIDGET_EVENT_KINDS)[number];
export type Placement = (typeof PLACEMENTS)[number];

export interface NewWidgetEvent {
  kind: WidgetEventKind;
  placement: Placement;
  anchorProductId: string | null;
  productId: string;
  offerId: string | null;
  propensity: number | null;
  modelVersion: string | null;
}

/** Told after events are stored (e.g. so the serving model refreshes its feedback counts soon). */
export type WidgetEventsListener = (shopId: string, events: readonly NewWidgetEvent[]) => void;

declare global {
  // Keyed by name so a module loaded twice in development (server.ts and Vite) replaces, not doubles, its listener.
  var upshelfWidgetEventListeners: Map<string, WidgetEventsListener> | undefined;
}
const listeners: Map<string, WidgetEventsListener> = (globalThis.upshelfWidgetEventListeners ??= new Map());

export function onWidgetEventsRecorded(name: string, listener: WidgetEventsListener): void {
  listeners.set(name, listener);
}

export async function recordWidgetEvents(shopId: string, events: NewWidgetEvent[], occurredAt: Date): Promise<number> {
  if (events.length === 0) return 0;
  const result = await db.widgetEvent.createMany({
    data: events.map((event) => ({ ...event, shopId, occurredAt })),
  });
  notifyListeners(shopId, events);
  return result.count;
}

/**
 * One post-purchase or thank-you event, counted once per checkout (`referenceId`) and kind: the
 * extension may ask again on a reload, or retry a report. False when it was already counted.
 */
export async function recordCheckoutEvent(shopId: string, event: NewWidgetEvent & { referenceId: string }, occurredAt: Date): Promise<boolean> {
  try {
    await db.widgetEvent.create({ data: { ...event, shopId, occurredAt } });
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
  notifyListeners(shopId, [event]);
  return true;
}

/**
 * Records that a checkout was shown an offer. Counted once per checkout, like the other kinds. A
 * checkout is offered the same product again while it qualifies; when it no longer does, a new
 * draw shows another and the record moves to it, so what the buyer then reports is checked against
 * what they last saw (shownCheckoutProduct). Showing the same product again leaves the row as its
 * draw wrote it (time, model version).
 */
export async function recordOfferShown(shopId: string, event: NewWidgetEvent & { kind: "offer_shown"; referenceId: string }, occurredAt: Date): Promise<boolean> {
  if (await recordCheckoutEvent(shopId, event, occurredAt)) return true;
  await db.widgetEvent.updateMany({
    where: { shopId, placement: event.placement, kind: "offer_shown", referenceId: event.referenceId, productId: { not: event.productId } },
    data: { productId: event.productId, anchorProductId: event.anchorProductId, modelVersion: event.modelVersion },
  });
  return false;
}

/** The product last offered to a checkout on a surface, or null when it was offered nothing. */
export async function shownCheckoutProduct(shopId: string, placement: Placement, referenceId: string): Promise<string | null> {
  const shown = await db.widgetEvent.findUnique({
    where: { shopId_placement_kind_referenceId: { shopId, placement, kind: "offer_shown", referenceId } },
    select: { productId: true },
  });
  return shown?.productId ?? null;
}

/** Which of `kinds` this checkout has already reported on `placement`. */
export async function reportedCheckoutKinds(shopId: string, placement: Placement, referenceId: string, kinds: readonly string[]): Promise<string[]> {
  const rows = await db.widgetEvent.findMany({ where: { shopId, placement, referenceId, kind: { in: [...kinds] } }, select: { kind: true } });
  return rows.map((row) => row.kind);
}

function notifyListeners(shopId: string, events: readonly NewWidgetEvent[]): void {
  for (const listener of listeners.values()) {
    try {
      listener(shopId, events);
    } catch (error) {
      // A listener's bug must not lose the buyer's events, which are already stored.
      console.error("A widget event listener failed:", error);
    }
  }
}

export function countWidgetEvents(shopId: string, where: { kind?: WidgetEventKind; placement?: Placement } = {}) {
  return db.widgetEvent.count({ where: { shopId, ...where } });
}

export interface DayEventCount {
  /** The day's position in the list asked for. */
  readonly day: number;
  readonly placement: string;
  readonly kind: string;
  readonly count: number;
}

/**
 * Events of `kinds` per day, placement and kind, in one statement with one index range per day
 * and (placement, kind) pair: counted in WidgetEvent_shopId_placement_kind_occurredAt_keys_idx alone,
 * already in group order, so no row is read and nothing is sorted. Every stored event has one of
 * PLACEMENTS (both writers take only those), so listing them leaves none out.
 */
export async function countEventsPerDay(shopId: string, days: readonly DayRange[], kinds: readonly string[]): Promise<DayEventCount[]> {
  if (days.length === 0 || kinds.length === 0) return [];
  // The day's position is written as a literal: it is our own loop index, never input.
  const perDay = days.map((day, index) => Prisma.sql`
    SELECT ${Prisma.raw(String(index))} AS "day", "placement", "kind", COUNT(*) AS "count"
    FROM "WidgetEvent"
    WHERE "shopId" = ${shopId} AND "placement" IN (${Prisma.join(PLACEMENTS)}) AND "kind" IN (${Prisma.join(kinds)})
      AND "occurredAt" >= ${day.start} AND "occurredAt" < ${day.end}
    GROUP BY "placement", "kind"`);
  const rows = await db.$queryRaw<{ day: unknown; placement: string; kind: string; count: unknown }[]>(Prisma.join(perDay, " UNION ALL "));
  return rows.map((row) => ({ day: Number(row.day), placement: row.placement, kind: row.kind, count: Number(row.count) }));
}

/**
 * The shop's events at or after an instant, of any kind. Counted with one range per placement and
 * kind, every stored event having one of each (both writers take only those).
 */
export function countEventsSince(shopId: string, since: Date): Promise<number> {
  return db.widgetEvent.count({
    where: { shopId, placement: { in: [...PLACEMENTS] }, kind: { in: [...WIDGET_EVENT_KINDS] }, occurredAt: { gte: since } },
  });
}

/**
 * Events of `kinds` in a period per product (or offer) and kind: of the keys given, or of every
 * key when `keys` is null. The keys given are counted with one range per key and kind in
 * (shopId, productId or offerId, kind, occurredAt). Every key's come from the period's ranges per
 * placement and kind in WidgetEvent_shopId_placement_kind_occurredAt_keys_idx, listing the
 * placements (every stored event has one of them) and grouping by placement too: grouped by key
 * alone, SQLite preferred the key's index for its order and read the shop's whole history.
 * Neither reads a row.
 */
export async function countEventsByKey(
  shopId: string,
  period: DayRange,
  by: "productId" | "offerId",
  kinds: readonly string[],
  keys: readonly string[] | null,
): Promise<KeyedEventCount[]> {
  const inPeriod = { shopId, occurredAt: { gte: period.start, lt: period.end }, kind: { in: [...kinds] } };
  if (keys === null) return sumOverPlacements(await countEventsPerPlacement(by, { ...inPeriod, placement: { in: [...PLACEMENTS] } }));
  const counts: KeyedEventCount[] = [];
  for (const some of chunks(keys, IN_LIST_SIZE)) counts.push(...(await countEventsOfKeys(by, inPeriod, some)));
  return counts;
}

/**
 * Per product (or offer), the events of `kinds` in `placements` over a period: of the keys given,
 * or of every key when `keys` is null (the dashboard's impressions where buyers cannot click, for
 * its click-through rates). Ranges per placement and kind in
 * WidgetEvent_shopId_placement_kind_occurredAt_keys_idx, which holds both keys, grouped by
 * placement and kind too (as countEventsByKey does, so SQLite does not pick a key's index for its
 * order and read the shop's whole history): no row is read.
 */
export async function countEventsInPlacementsByKey(
  shopId: string,
  period: DayRange,
  by: "productId" | "offerId",
  placements: readonly string[],
  kinds: readonly string[],
  keys: readonly string[] | null,
): Promise<{ key: string; count: number }[]> {
  if (placements.length === 0 || kinds.length === 0) return [];
  const where = { shopId, placement: { in: [...placements] }, kind: { in: [...kinds] }, occurredAt: { gte: period.start, lt: period.end } };
  const counts: KeyedEventCount[] = [];
  for (const some of keys === null ? [null] : chunks(keys, IN_LIST_SIZE)) {
    const filter = by === "productId" ? (some ? { productId: { in: some } } : {}) : { offerId: some ? { in: some } : { not: null } };
    counts.push(...(await countEventsPerPlacement(by, { ...where, ...filter })));
  }
  const sums = new Map<string, number>();
  for (const { key, count } of counts) sums.set(key, (sums.get(key) ?? 0) + count);
  return [...sums].map(([key, count]) => ({ key, count }));
}

interface EventsInPeriod {
  shopId: string;
  occurredAt: { gte: Date; lt: Date };
  kind: { in: string[] };
}

async function countEventsOfKeys(by: "productId" | "offerId", where: EventsInPeriod, keys: string[]): Promise<KeyedEventCount[]> {
  if (by === "productId") {
    const rows = await db.widgetEvent.groupBy({ by: ["productId", "kind"], where: { ...where, productId: { in: keys } }, _count: { _all: true } });
    return rows.map((row) => ({ key: row.productId, kind: row.kind, count: row._count._all }));
  }
  const rows = await db.widgetEvent.groupBy({ by: ["offerId", "kind"], where: { ...where, offerId: { in: keys } }, _count: { _all: true } });
  return rows.flatMap((row) => (row.offerId === null ? [] : [{ key: row.offerId, kind: row.kind, count: row._count._all }]));
}

async function countEventsPerPlacement(
  by: "productId" | "offerId",
  where: EventsInPeriod & { placement: { in: string[] }; productId?: { in: string[] }; offerId?: { in: string[] } | { not: null } },
): Promise<KeyedEventCount[]> {
  if (by === "productId") {
    const rows = await db.widgetEvent.groupBy({ by: ["placement", "kind", "productId"], where, _count: { _all: true } });
    return rows.map((row) => ({ key: row.productId, kind: row.kind, count: row._count._all }));
  }
  const rows = await db.widgetEvent.groupBy({ by: ["placement", "kind", "offerId"], where: { offerId: { not: null }, ...where }, _count: { _all: true } });
  return rows.flatMap((row) => (row.offerId === null ? [] : [{ key: row.offerId, kind: row.kind, count: row._count._all }]));
}

function sumOverPlacements(counts: readonly KeyedEventCount[]): KeyedEventCount[] {
  const sums = new Map<string, { key: string; kind: string; count: number }>();
  for (const { key, kind, count } of counts) {
    const id = JSON.stringify([key, kind]);
    const sum = sums.get(id);
    if (sum) sum.count += count;
    else sums.set(id, { key, kind, count });
  }
  return [...sums.values()];
}

export interface RecommendationFeedbackRow {
  anchorProductId: string | null;
  productId: string;
  placement: string;
  kind: "impression" | "click" | "add_to_cart";
  count: number;
}

/**
 * Recommendation feedback counted in the database, per (anchor, product, placement, kind), for
 * events with ids in (afterId, throughId]: the first load passes afterId 0, later refreshes
 * only the new ids, so the work is proportional to what arrived, not to the shop's history.
 * `throughId` is the newest event id at the time of the call (null when the shop has none).
 */
export async function aggregateRecommendationFeedback(
  shopId: string,
  afterId: number
): Promise<{ rows: RecommendationFeedbackRow[]; throughId: number }> {
  const kinds = ["impression", "click", "add_to_cart"];
  const newest = await db.widgetEvent.aggregate({
    where: { shopId, id: { gt: afterId } },
    _max: { id: true },
  });
  const throughId = newest._max.id;
  if (throughId === null) return { rows: [], throughId: afterId };
  const groups = await db.widgetEvent.groupBy({
    by: ["anchorProductId", "productId", "placement", "kind"],
    where: { shopId, kind: { in: kinds }, id: { gt: afterId, lte: throughId } },
    _count: { _all: true },
  });
  return {
    rows: groups.map((group) => ({
      anchorProductId: group.anchorProductId,
      productId: group.productId,
      placement: group.placement,
      kind: group.kind as RecommendationFeedbackRow["kind"],
      count: group._count._all,
    })),
    throughId,
  };
}

/** Rows per delete: as many as one statement may bind (IN_LIST_SIZE). */
const WIDGET_EVENT_PURGE_BATCH = 500;

/** Widget events are kept this long: past every dashboard period, and what learning still needs. */
export const WIDGET_EVENT_RETENTION_DAYS = 400;

/**
 * Deletes every shop's widget events older than the retention, shop by shop through
 * WidgetEvent_shopId_placement_kind_occurredAt_keys_idx and in batches (deleteInBatches says
 * why). Returns how many went.
 */
export async function purgeExpiredWidgetEvents(
  options: { now?: Date; batchSize?: number; /** Only these shops (default: all). */ shopIds?: readonly string[] } = {},
): Promise<number> {
  const cutoff = new Date((options.now ?? new Date()).getTime() - WIDGET_EVENT_RETENTION_DAYS * 86_400_000);
  const shopIds = options.shopIds ?? (await db.shop.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((shop) => shop.id);
  let purged = 0;
  // One range per placement and kind, in the index that leads with them: every stored event has
  // one of each (both writers take only those), and a single range keeps the index's own order.
  const ranges = shopIds.flatMap((shopId) => PLACEMENTS.flatMap((placement) => WIDGET_EVENT_KINDS.map((kind) => ({ shopId, placement, kind }))));
  for (const { shopId, placement, kind } of ranges) {
    const where = { shopId, placement, kind, occurredAt: { lt: cutoff } };
    purged += await deleteInBatches(
      async (take) => (await db.widgetEvent.findMany({ where, select: { id: true }, orderBy: { occurredAt: "asc" }, take })).map((row) => row.id),
      async (ids) => (await db.widgetEvent.deleteMany({ where: { shopId, id: { in: ids } } })).count,
      options.batchSize ?? WIDGET_EVENT_PURGE_BATCH,
    );
  }
  return purged;
}
