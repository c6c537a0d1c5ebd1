/**
 * The dashboard sums orders and counts events in the database (session 21). These tests compare
 * every figure it shows with the way it computed them before: reading each of the period's orders
 * and grouping every event, then totalling in the app. That code is kept below, as it was, as the
 * reference. The shops are random but seeded: refunds per line and per order (more than the
 * order, all of it), cancellations, a second currency, holdout marks, lines Upshelf added through
 * offers, plain recommendations and placements alone, events of every kind and placement, and
 * times on the shop's midnights across a change of the clocks.
 */
import { beforeAll, describe, expect, it } from "vitest";
import {
  computeDailyEvents,
  computePlacementFunnels,
  dayKeyOf,
  lineRevenue,
  meanMinor,
  orderRevenue,
  rankPerformers,
  shareOf,
  unitsKept,
  withinOrderRevenue,
  type AttributedLineDetail,
  type AttributedLineFact,
  type OrderFact,
  type OrderMetrics,
  type PeriodLength,
  type ReportingPeriod,
} from "~/core/analytics";
import db from "~/db.server";
import { RECOMMENDATION_OFFER_MARKER } from "~/services/ingest";
import { createTestProduct, type TestProduct } from "../../tests/factories/catalog";
import { createTestShop } from "../../tests/factories/shop";
import { loadDashboard, resolveDashboardPeriod, TOP_PERFORMERS_LIMIT, type DashboardData } from "./analytics.server";

// 90 days back from here cross the end of daylight saving time in New York (3 November 2024).
const now = new Date("2024-11-20T15:00:00Z");
const DAY = 86_400_000;

function random(seed: number) {
  let state = seed;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T };
}

/**
 * A shop's random orders and events over the 100 days to `now`. `earners` products may carry
 * Upshelf's lines: with fewer than TOP_PERFORMERS_LIMIT of them, products with no revenue rank by
 * their events alone.
 */
async function fillShop(seed: number, options: { earners: number; offers: number }) {
  const rng = random(seed);
  const shop = await createTestShop();
  await db.shop.update({ where: { id: shop.id }, data: { timeZone: "America/New_York" } });
  const products: TestProduct[] = [];
  // Few prices, so that revenues tie, at the tenth place too.
  const prices = [500, 800, 1200];
  for (let index = 0; index < 24; index++) products.push(await createTestProduct(shop.id, { title: `Product ${index}`, price: prices[index % 3] ?? 500 }));
  const offers = Array.from({ length: options.offers }, (_, index) => `off_${seed}_${index}`);
  for (const [index, id] of offers.slice(0, -1).entries()) {
    // The last offer is deleted: its revenue still counts, under its id.
    await db.offer.create({ data: { id, shopId: shop.id, type: "fixedBundle", title: `Offer ${index}`, status: "active", config: "{}" } });
  }
  const period = (await resolveDashboardPeriod(shop.id, { days: 90, now })).period;
  // The shop's midnights, exactly and a millisecond either side, and the period's ends.
  const edges = period.dayStarts.flatMap((start) => [start - 1, start, start + 1]).concat([period.end.getTime() - 1, period.end.getTime()]);
  const someTime = () => (rng.next() < 0.2 ? rng.pick(edges) : now.getTime() - rng.int(100 * DAY));

  for (let index = 0; index < 160; index++) {
    const currency = rng.next() < 0.1 ? "EUR" : "USD";
    const lines = Array.from({ length: 1 + rng.int(4) }, () => {
      const product = rng.pick(products);
      const quantity = 1 + rng.int(3);
      const unitPriceAmount = prices[products.indexOf(product) % 3] ?? 500;
      const discountAmount = rng.next() < 0.3 ? rng.int(unitPriceAmount) : 0;
      const upshelf = products.indexOf(product) < options.earners && rng.next() < 0.5;
      const offer = upshelf ? rng.pick([...offers, RECOMMENDATION_OFFER_MARKER, null]) : null;
      const placement = upshelf ? rng.pick(["pdp", "cart", "post_purchase", "thank_you", offer ? null : "cart"]) : null;
      const refundedQuantity = rng.next() < 0.15 ? 1 + rng.int(quantity) : 0;
      const refundedAmount = refundedQuantity > 0 ? Math.round(((quantity * unitPriceAmount - discountAmount) * refundedQuantity) / quantity) : 0;
      return { product, quantity, unitPriceAmount, discountAmount, offer, placement, refundedQuantity, refundedAmount };
    });
    const subtotal = lines.reduce((sum, line) => sum + line.quantity * line.unitPriceAmount - line.discountAmount, 0);
    const lineRefunds = lines.reduce((sum, line) => sum + line.refundedAmount, 0);
    const refundKind = rng.next();
    // Refunds known per line, for the whole order only (an orders CSV), all of it, or more than the items.
    const refundedAmount = refundKind < 0.1 ? subtotal : refundKind < 0.2 ? Math.floor(subtotal * rng.next()) : refundKind < 0.23 ? subtotal + 500 : lineRefunds;
    const placedAt = new Date(someTime());
    const id = `${seed}-${index}`;
    await db.order.create({
      data: {
        shopId: shop.id,
        shopifyId: id,
        name: `#${id}`,
        currency,
        subtotalAmount: subtotal,
        totalAmount: subtotal + 400,
        refundedAmount,
        placedAt,
        cancelledAt: rng.next() < 0.06 ? new Date(placedAt.getTime() + DAY) : null,
        experimentKey: rng.next() < 0.3 ? "holdout1" : null,
        experimentVisitor: rng.next() < 0.3 ? `visitor-${rng.int(50)}` : null,
        lines: {
          create: lines.map((line) => ({
            shopId: shop.id,
            productId: line.product.id,
            shopifyProductId: line.product.shopifyId,
            shopifyVariantId: line.product.variantShopifyId,
            title: line.product.title,
            quantity: line.quantity,
            unitPriceAmount: line.unitPriceAmount,
            discountAmount: line.discountAmount,
            refundedAmount: line.refundedAmount,
            refundedQuantity: line.refundedQuantity,
            currency,
            upshelfOffer: line.offer,
            upshelfPlacement: line.placement,
          })),
        },
      },
    });
  }

  const kinds = ["impression", "impression", "impression", "click", "add_to_cart", "offer_shown", "offer_accepted", "offer_declined"];
  await db.widgetEvent.createMany({
    data: Array.from({ length: 700 }, () => ({
      shopId: shop.id,
      kind: rng.pick(kinds),
      placement: rng.pick(["pdp", "cart", "post_purchase", "thank_you"]),
      anchorProductId: rng.pick(products).shopifyId,
      // Some events name a product no longer in the catalog.
      productId: rng.next() < 0.05 ? "9999999" : rng.pick(products).shopifyId,
      offerId: rng.pick([...offers, null, null, null]),
      occurredAt: new Date(someTime()),
    })),
  });
  return shop.id;
}

describe("the dashboard's figures, summed by the database, are those it computed from every row", () => {
  let shops: { name: string; id: string }[];

  beforeAll(async () => {
    // Each shop's activity falls on the others' days: none may count another's.
    const [manyEarners, fewEarners, noOffers] = [
      await fillShop(7, { earners: 24, offers: 14 }),
      await fillShop(11, { earners: 3, offers: 4 }),
      await fillShop(13, { earners: 24, offers: 1 }),
    ];
    shops = [
      { name: "more products and offers earning than the top lists hold", id: manyEarners },
      { name: "fewer earners than the top lists hold", id: fewEarners },
      { name: "only deleted offers", id: noOffers },
    ];
  }, 120_000);

  for (const days of [7, 30, 90] as const) {
    it(`over ${days} days`, async () => {
      for (const shop of shops) {
        const summed = await loadDashboard(shop.id, { days, now });
        const reference = await loadDashboardFromEveryRow(shop.id, days);
        expect(summed, shop.name).toEqual(reference);
      }
    });
  }

  it("covers what it claims to: earners on both sides of the top lists' length, orders in each case", async () => {
    const many = await loadDashboard(shops[0]!.id, { days: 90, now });
    const few = await loadDashboard(shops[1]!.id, { days: 90, now });
    expect(many.topProducts.filter((row) => row.revenue > 0)).toHaveLength(TOP_PERFORMERS_LIMIT);
    expect(many.topOffers.filter((row) => row.revenue > 0)).toHaveLength(TOP_PERFORMERS_LIMIT);
    expect(few.topProducts.filter((row) => row.revenue > 0).length).toBeLessThan(TOP_PERFORMERS_LIMIT);
    expect(few.topProducts).toHaveLength(TOP_PERFORMERS_LIMIT);
    expect(many.ordersInOtherCurrencies).toBeGreaterThan(0);
    expect(many.orders.ordersWithUpshelf).toBeGreaterThan(0);
    expect(many.orders.ordersWithUpshelf).toBeLessThan(many.orders.orders);
  });
});

// -------------------------------------------------------------------------------------------------
// The reference: the dashboard's queries and order totals as they were before session 21.
// -------------------------------------------------------------------------------------------------

const FUNNEL_KINDS = ["impression", "click", "add_to_cart", "offer_shown", "offer_accepted"];
const PLACEMENTS_WITHOUT_CLICKS = ["post_purchase"];
const IMPRESSION_KINDS = ["impression", "offer_shown"];

async function loadDashboardFromEveryRow(shopId: string, days: PeriodLength): Promise<DashboardData> {
  const shop = await db.shop.findUnique({ where: { id: shopId }, select: { isDemo: true, currency: true } });
  const { period } = await resolveDashboardPeriod(shopId, { days, now });
  const currency = shop?.currency ?? "USD";
  const inPeriod = { gte: period.start, lt: period.end };
  const orders = await db.order.findMany({
    where: { shopId, currency, cancelledAt: null, placedAt: inPeriod },
    select: { id: true, placedAt: true, subtotalAmount: true, refundedAmount: true },
  });
  const ordersInOtherCurrencies = await db.order.count({ where: { shopId, cancelledAt: null, placedAt: inPeriod, currency: { not: currency } } });
  const attributedLines = await db.orderLine.findMany({
    where: { shopId, OR: [{ upshelfOffer: { not: null } }, { upshelfPlacement: { not: null } }], order: { shopId, currency, cancelledAt: null, placedAt: inPeriod } },
    select: { orderId: true, shopifyProductId: true, upshelfOffer: true, quantity: true, unitPriceAmount: true, discountAmount: true, refundedAmount: true, refundedQuantity: true },
  });
  const placementCounts = await db.widgetEvent.groupBy({ by: ["placement", "kind"], where: { shopId, occurredAt: inPeriod }, _count: { _all: true } });
  const dailyCounts = new Map<string, { kind: string; count: number }[]>();
  for (const [index, start] of period.dayStarts.entries()) {
    const end = period.dayStarts[index + 1] ?? period.end.getTime();
    const rows = await db.widgetEvent.groupBy({ by: ["kind"], where: { shopId, occurredAt: { gte: new Date(start), lt: new Date(end) } }, _count: { _all: true } });
    dailyCounts.set(period.dayKeys[index] ?? "", rows.map((row) => ({ kind: row.kind, count: row._count._all })));
  }
  const productEvents = await db.widgetEvent.groupBy({ by: ["productId", "kind"], where: { shopId, occurredAt: inPeriod, kind: { in: FUNNEL_KINDS } }, _count: { _all: true } });
  const offerEvents = await db.widgetEvent.groupBy({
    by: ["offerId", "kind"],
    where: { shopId, occurredAt: inPeriod, kind: { in: FUNNEL_KINDS }, offerId: { not: null } },
    _count: { _all: true },
  });
  // Impressions where buyers cannot click, which the click-through rates leave out.
  const unclickableWhere = { shopId, occurredAt: inPeriod, placement: { in: [...PLACEMENTS_WITHOUT_CLICKS] }, kind: { in: [...IMPRESSION_KINDS] } };
  const productUnclickable = await db.widgetEvent.groupBy({ by: ["productId"], where: unclickableWhere, _count: { _all: true } });
  const offerUnclickable = await db.widgetEvent.groupBy({ by: ["offerId"], where: { ...unclickableWhere, offerId: { not: null } }, _count: { _all: true } });
  const anyOrder = await db.order.findFirst({ where: { shopId }, select: { id: true } });
  const anyEvent = await db.widgetEvent.findFirst({ where: { shopId }, select: { id: true } });

  const lines: AttributedLineDetail[] = withinOrderRevenue(
    attributedLines.map((line) => ({
      orderId: line.orderId,
      productId: line.shopifyProductId,
      offerId: line.upshelfOffer,
      quantity: line.quantity,
      unitPriceAmount: line.unitPriceAmount,
      discountAmount: line.discountAmount,
      refundedAmount: line.refundedAmount,
      refundedQuantity: line.refundedQuantity,
    })),
    orders,
  );
  const topProducts = rankPerformers(
    lines,
    (line) => line.productId,
    productEvents.map((row) => ({ key: row.productId, kind: row.kind, count: row._count._all })),
    TOP_PERFORMERS_LIMIT,
    productUnclickable.map((row) => ({ key: row.productId, count: row._count._all })),
  );
  const topOffers = rankPerformers(
    lines,
    (line) => (line.offerId === RECOMMENDATION_OFFER_MARKER ? null : line.offerId),
    offerEvents.flatMap((row) => (row.offerId ? [{ key: row.offerId, kind: row.kind, count: row._count._all }] : [])),
    TOP_PERFORMERS_LIMIT,
    offerUnclickable.flatMap((row) => (row.offerId ? [{ key: row.offerId, count: row._count._all }] : [])),
  );
  const productTitles = new Map(
    (await db.product.findMany({ where: { shopId, shopifyId: { in: topProducts.map((row) => row.key) } }, select: { shopifyId: true, title: true } })).map((row) => [row.shopifyId, row.title]),
  );
  const offerTitles = new Map((await db.offer.findMany({ where: { shopId, id: { in: topOffers.map((row) => row.key) } }, select: { id: true, title: true } })).map((row) => [row.id, row.title]));
  return {
    currency,
    period: {
      days,
      start: period.start.toISOString(),
      end: period.end.toISOString(),
      firstDay: period.dayKeys[0] ?? "",
      lastDay: period.dayKeys.at(-1) ?? "",
      timeZone: period.timeZone,
      endsAtLatestOrder: false,
    },
    orders: computeOrderMetricsFromEveryOrder(period, orders, lines),
    ordersInOtherCurrencies,
    laterOrdersInOtherCurrencies: 0,
    demo: shop?.isDemo ? { latestOrderDay: null, widgetEventsAfterPeriod: 0 } : null,
    placements: computePlacementFunnels(placementCounts.map((row) => ({ placement: row.placement, kind: row.kind, count: row._count._all }))),
    dailyEvents: computeDailyEvents(period.dayKeys, dailyCounts),
    topProducts: topProducts.map((row) => ({ ...row, title: productTitles.get(row.key) ?? `Product ${row.key} (no longer in the catalog)` })),
    topOffers: topOffers.map((row) => ({ ...row, title: offerTitles.get(row.key) ?? `Offer ${row.key} (deleted)` })),
    hasAnyData: anyOrder !== null || anyEvent !== null,
  };
}

/** computeOrderMetrics as it was: every order of the period, each placed on its day by dayKeyOf. */
function computeOrderMetricsFromEveryOrder(period: ReportingPeriod, orders: readonly OrderFact[], attributedLines: readonly AttributedLineFact[]): OrderMetrics {
  const start = period.start.getTime();
  const end = period.end.getTime();
  const inPeriod = orders.filter((order) => {
    const at = new Date(order.placedAt).getTime();
    return at >= start && at < end;
  });
  const known = new Set(inPeriod.map((order) => order.id));
  const attributedByOrder = new Map<number, number>();
  const keptUpshelf = new Set<number>();
  for (const line of withinOrderRevenue(attributedLines, inPeriod)) {
    if (!known.has(line.orderId)) continue;
    attributedByOrder.set(line.orderId, (attributedByOrder.get(line.orderId) ?? 0) + lineRevenue(line));
    if (unitsKept(line) > 0) keptUpshelf.add(line.orderId);
  }
  const daily = new Map<string, { orders: number; revenue: number; attributedRevenue: number; ordersWithUpshelf: number }>(
    period.dayKeys.map((day) => [day, { orders: 0, revenue: 0, attributedRevenue: 0, ordersWithUpshelf: 0 }]),
  );
  let revenue = 0;
  let attributedRevenue = 0;
  let withCount = 0;
  let withTotal = 0;
  for (const order of inPeriod) {
    const attributed = attributedByOrder.get(order.id);
    const point = daily.get(dayKeyOf(order.placedAt, period.timeZone));
    const kept = orderRevenue(order);
    revenue += kept;
    if (point) {
      point.orders += 1;
      point.revenue += kept;
    }
    if (attributed === undefined) continue;
    attributedRevenue += attributed;
    if (point) point.attributedRevenue += attributed;
    if (!keptUpshelf.has(order.id)) continue;
    withCount += 1;
    withTotal += kept;
    if (point) point.ordersWithUpshelf += 1;
  }
  return {
    orders: inPeriod.length,
    revenue,
    attributedRevenue,
    ordersWithUpshelf: withCount,
    attachRate: shareOf(withCount, inPeriod.length),
    averageOrderValueWithUpshelf: meanMinor(withTotal, withCount),
    averageOrderValueWithoutUpshelf: meanMinor(revenue - withTotal, inPeriod.length - withCount),
    daily: [...daily].map(([day, point]) => ({ day, ...point })),
  };
}
