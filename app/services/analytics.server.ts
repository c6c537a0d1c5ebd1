/**
 * The dashboard's figures for one shop and period. Everything per day, placement, product and
 * offer is counted and summed by the database from indexes; only the lines Upshelf added (with
 * their orders) are read as rows, since an order's Upshelf revenue depends on all its lines. A
 * large shop's 90 days (120,000 orders, 740,000 widget events) thus read about 16,000 rows.
 * Every query is filtered by shopId.
 */
import {
  computeDailyEvents,
  computePlacementFunnels,
  dayKeyOf,
  FUNNEL_KINDS,
  IMPRESSION_KINDS,
  PLACEMENTS_WITHOUT_CLICKS,
  keysThatCanRankInTop,
  orderMetricsFromDayTotals,
  periodEndingOn,
  rankPerformers,
  withinOrderRevenue,
  type AttributedLineDetail,
  type DailyEventPoint,
  type DayOrderTotals,
  type OrderMetrics,
  type PeriodLength,
  type NamedPerformer,
  type PlacementFunnel,
  type ReportingPeriod,
} from "~/core/analytics";
import db from "~/db.server";
import { attributedLinesPlacedIn, orderTotalsPerDay, type DayRange } from "~/models/order-totals.server";
import { countEventsByKey, countEventsInPlacementsByKey, countEventsPerDay, countEventsSince } from "~/models/widget-event.server";
import { RECOMMENDATION_OFFER_MARKER } from "~/services/ingest";

export const TOP_PERFORMERS_LIMIT = 10;

export interface DashboardPeriod {
  readonly days: PeriodLength;
  /** Instants (ISO): the shop's midnight starting the first day, and the one after the last. */
  readonly start: string;
  readonly end: string;
  /** The first and last of the shop's days (YYYY-MM-DD), for labels. */
  readonly firstDay: string;
  readonly lastDay: string;
  /** The shop's IANA zone the days are counted in. */
  readonly timeZone: string;
  /**
   * True when the period ends at the shop's latest order in its currency rather than today (the
   * demo shop).
   */
  readonly endsAtLatestOrder: boolean;
}

/** The demo shop's own facts, for the page to explain its period; null for a real shop. */
export interface DemoPeriodFacts {
  /** The shop's day (YYYY-MM-DD) of its latest order the figures count; null with no orders. */
  readonly latestOrderDay: string | null;
  /** Widget events after the period (the preview storefront used since its orders stopped). */
  readonly widgetEventsAfterPeriod: number;
}

export interface DashboardData {
  readonly currency: string;
  readonly period: DashboardPeriod;
  readonly orders: OrderMetrics;
  /** Orders in the period in another currency than the shop's, left out of every amount. */
  readonly ordersInOtherCurrencies: number;
  /**
   * When the period ends at the latest order in the shop's currency: the orders in other
   * currencies placed after it, which no period shows. 0 otherwise.
   */
  readonly laterOrdersInOtherCurrencies: number;
  readonly demo: DemoPeriodFacts | null;
  readonly placements: readonly PlacementFunnel[];
  readonly dailyEvents: readonly DailyEventPoint[];
  readonly topOffers: readonly NamedPerformer[];
  readonly topProducts: readonly NamedPerformer[];
  /** Whether the shop has any order or widget event at all (for the empty state). */
  readonly hasAnyData: boolean;
}

export interface DashboardQuery {
  readonly days: PeriodLength;
  /** The reference "today"; defaults to now. */
  readonly now?: Date;
  /**
   * The demo shop only: end the period today rather than at its latest order, to see what
   * buyers did with the preview storefront's widgets since (its orders stop in 2011).
   */
  readonly endToday?: boolean;
}

/**
 * The period to show: the last `days` days up to today, except for the demo shop, whose orders
 * stopped in 2011: there the period ends at its latest order in the shop's currency so the
 * figures are not all empty.
 */
export async function resolveDashboardPeriod(shopId: string, query: DashboardQuery): Promise<DashboardPeriodChoice> {
  return periodForShop(shopId, await readDashboardShop(shopId), query);
}

interface DashboardPeriodChoice {
  readonly period: ReportingPeriod;
  readonly endsAtLatestOrder: boolean;
  /** The demo shop's latest order the period would end at (also when asked to end today). */
  readonly latestOrder?: Date;
}

type DashboardShop = Awaited<ReturnType<typeof readDashboardShop>>;

/** Everything the dashboard needs from the shop row, read once per page. */
function readDashboardShop(shopId: string) {
  return db.shop.findUnique({ where: { id: shopId }, select: { isDemo: true, timeZone: true, currency: true } });
}

/**
 * A real shop's period ends today, whatever its orders: the latest order does not move it. An
 * order's amounts and currency are the shop's own (Shopify's shop_money and the order's shop
 * currency, from webhooks and the backfill alike), whatever currency the buyer paid in, so orders
 * in another currency are only those imported from a file in one, or placed before the shop changed
 * its currency; the figures leave them out and the dashboard says how many.
 *
 * The demo shop's period ends at its latest order that the figures can count: in the shop's
 * currency. Ending it at a later order in another currency (a merchant's recent export imported
 * into the 2011 demo shop) would show days where every order is left out. Only when the shop has no
 * order in its currency does it end at the latest order of any, whose leaving out is then explained.
 */
async function periodForShop(shopId: string, shop: DashboardShop, query: DashboardQuery): Promise<DashboardPeriodChoice> {
  const now = query.now ?? new Date();
  const timeZone = shop?.timeZone ?? "UTC";
  const today = periodEndingOn(now, query.days, timeZone);
  if (shop?.isDemo) {
    const latest = (await latestOrderAt(shopId, shop.currency)) ?? (await latestOrderAt(shopId));
    // An order from today (an export just imported) ends the period today like any shop's.
    if (latest && !query.endToday && dayKeyOf(latest, timeZone) !== today.dayKeys.at(-1)) {
      return { period: periodEndingOn(latest, query.days, timeZone), endsAtLatestOrder: true, latestOrder: latest };
    }
    return { period: today, endsAtLatestOrder: false, ...(latest ? { latestOrder: latest } : {}) };
  }
  return { period: today, endsAtLatestOrder: false };
}

async function latestOrderAt(shopId: string, currency?: string): Promise<Date | undefined> {
  const latest = await db.order.findFirst({
    where: { shopId, ...(currency === undefined ? {} : { currency }) },
    orderBy: { placedAt: "desc" },
    select: { placedAt: true },
  });
  return latest?.placedAt;
}

export async function loadDashboard(shopId: string, query: DashboardQuery): Promise<DashboardData> {
  const shop = await readDashboardShop(shopId);
  const { period, endsAtLatestOrder, latestOrder } = await periodForShop(shopId, shop, query);
  const currency = shop?.currency ?? "USD";
  const whole: DayRange = { start: period.start, end: period.end };
  const days = dayRangesOf(period);

  const [orderTotals, laterOrdersInOtherCurrencies, widgetEventsAfterPeriod, attributedLines, eventsPerDay, anyOrder, anyEvent] = await Promise.all([
    orderTotalsPerDay(shopId, days, currency),
    endsAtLatestOrder
      ? db.order.count({ where: { shopId, cancelledAt: null, placedAt: { gte: period.end }, currency: { not: currency } } })
      : 0,
    endsAtLatestOrder ? countEventsSince(shopId, period.end) : 0,
    attributedLinesPlacedIn(shopId, whole, currency),
    countEventsPerDay(shopId, days, FUNNEL_KINDS),
    db.order.findFirst({ where: { shopId }, select: { id: true } }),
    db.widgetEvent.findFirst({ where: { shopId }, select: { id: true } }),
  ]);

  // Only orders holding an attributed line are read one by one; their figures come with the lines.
  const attributedOrders = [...new Map(attributedLines.map((line) => [line.orderId, line.order])).values()];
  // An order's Upshelf revenue never exceeds what the shop kept for it (refunds known only per order).
  const lines: AttributedLineDetail[] = withinOrderRevenue(attributedLines.map((line) => ({
    orderId: line.orderId,
    productId: line.shopifyProductId,
    offerId: line.upshelfOffer,
    quantity: line.quantity,
    unitPriceAmount: line.unitPriceAmount,
    discountAmount: line.discountAmount,
    refundedAmount: line.refundedAmount,
    refundedQuantity: line.refundedQuantity,
  })), attributedOrders);
  const productOf = (line: AttributedLineDetail) => line.productId;
  // A plain recommendation is credited to Upshelf but belongs to no offer.
  const offerOf = (line: AttributedLineDetail) => (line.offerId === RECOMMENDATION_OFFER_MARKER ? null : line.offerId);
  const productKeys = keysThatCanRankInTop(lines, productOf, TOP_PERFORMERS_LIMIT);
  const offerKeys = keysThatCanRankInTop(lines, offerOf, TOP_PERFORMERS_LIMIT);
  // Impressions where buyers cannot click stay out of the click-through rates.
  const unclickable = (by: "productId" | "offerId", keys: string[] | null) =>
    countEventsInPlacementsByKey(shopId, whole, by, PLACEMENTS_WITHOUT_CLICKS, IMPRESSION_KINDS, keys);
  const [productEvents, offerEvents, productUnclickable, offerUnclickable] = await Promise.all([
    countEventsByKey(shopId, whole, "productId", FUNNEL_KINDS, productKeys),
    countEventsByKey(shopId, whole, "offerId", FUNNEL_KINDS, offerKeys),
    unclickable("productId", productKeys),
    unclickable("offerId", offerKeys),
  ]);
  const topProducts = rankPerformers(lines, productOf, productEvents, TOP_PERFORMERS_LIMIT, productUnclickable);
  const topOffers = rankPerformers(lines, offerOf, offerEvents, TOP_PERFORMERS_LIMIT, offerUnclickable);
  const [productTitles, offerTitles] = await Promise.all([
    titlesOfProducts(shopId, topProducts.map((row) => row.key)),
    titlesOfOffers(shopId, topOffers.map((row) => row.key)),
  ]);

  const totalsByDay = new Map<string, DayOrderTotals>(period.dayKeys.map((day, index) => [day, orderTotals[index] ?? { orders: 0, revenue: 0 }]));
  const eventsByDay = new Map(period.dayKeys.map((day) => [day, [] as { kind: string; count: number }[]]));
  for (const row of eventsPerDay) eventsByDay.get(period.dayKeys[row.day] ?? "")?.push({ kind: row.kind, count: row.count });

  return {
    currency,
    period: {
      days: query.days,
      start: period.start.toISOString(),
      end: period.end.toISOString(),
      firstDay: period.dayKeys[0] ?? "",
      lastDay: period.dayKeys.at(-1) ?? "",
      timeZone: period.timeZone,
      endsAtLatestOrder,
    },
    orders: orderMetricsFromDayTotals(period, totalsByDay, attributedOrders, lines),
    ordersInOtherCurrencies: orderTotals.reduce((sum, day) => sum + day.ordersInOtherCurrencies, 0),
    laterOrdersInOtherCurrencies,
    demo: shop?.isDemo ? { latestOrderDay: latestOrder ? dayKeyOf(latestOrder, period.timeZone) : null, widgetEventsAfterPeriod } : null,
    placements: computePlacementFunnels(eventsPerDay),
    dailyEvents: computeDailyEvents(period.dayKeys, eventsByDay),
    topProducts: topProducts.map((row) => ({ ...row, title: productTitles.get(row.key) ?? `Product ${row.key} (no longer in the catalog)` })),
    topOffers: topOffers.map((row) => ({ ...row, title: offerTitles.get(row.key) ?? `Offer ${row.key} (deleted)` })),
    hasAnyData: anyOrder !== null || anyEvent !== null,
  };
}

/** The period's days as instants: the shop's days, 23 or 25 hours where the clocks change. */
function dayRangesOf(period: ReportingPeriod): DayRange[] {
  return period.dayStarts.map((start, index) => ({ start: new Date(start), end: new Date(period.dayStarts[index + 1] ?? period.end.getTime()) }));
}

async function titlesOfProducts(shopId: string, shopifyIds: string[]): Promise<Map<string, string>> {
  if (shopifyIds.length === 0) return new Map();
  const rows = await db.product.findMany({ where: { shopId, shopifyId: { in: shopifyIds } }, select: { shopifyId: true, title: true } });
  return new Map(rows.map((row) => [row.shopifyId, row.title]));
}

async function titlesOfOffers(shopId: string, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.offer.findMany({ where: { shopId, id: { in: ids } }, select: { id: true, title: true } });
  return new Map(rows.map((row) => [row.id, row.title]));
}
