import { funnelStepOf } from "./widget-metrics";
import { lineRevenue, unitsKept } from "./order-metrics";
import { shareOf } from "./rates";

/**
 * The offers and recommended products that did the most for the shop in a period: ranked by the
 * revenue of the lines they added, then by adds to cart, then by clicks, so a new shop with events
 * but no orders yet still sees what buyers reacted to.
 */
export interface AttributedLineDetail {
  readonly orderId: number;
  readonly productId: string | null;
  readonly offerId: string | null;
  readonly quantity: number;
  readonly unitPriceAmount: number;
  readonly discountAmount: number;
  readonly refundedAmount: number;
  /** Units refunded since; they stay in `quantity`. */
  readonly refundedQuantity: number;
}

export interface KeyedEventCount {
  readonly key: string;
  readonly kind: string;
  readonly count: number;
}

export interface Performer {
  readonly key: string;
  readonly revenue: number;
  readonly orders: number;
  /** Units sold, less those refunded. */
  readonly units: number;
  readonly impressions: number;
  readonly clicks: number;
  readonly addsToCart: number;
  /**
   * Clicks per impression where a buyer could click: a post-purchase offer is seen but accepted or
   * declined, never clicked, so counting its impressions would lower the rate of a product also
   * offered after checkout below what its pages earn.
   */
  readonly clickThroughRate: number | null;
}

/** A performer with the name the merchant knows it by. */
export interface NamedPerformer extends Performer {
  readonly title: string;
}

/**
 * The keys whose event counts are needed to rank the top `limit`, or null when every key's are.
 * Revenue ranks first: when at least `limit` keys earned some, the top is drawn from those earning
 * at least the limit-th highest revenue (their adds and clicks only break ties among them and fill
 * in their counts), so a large shop's dashboard counts the events of a handful of products rather
 * than of every product buyers saw. With fewer earners, keys with no revenue compete on their
 * events alone, and all are needed.
 */
export function keysThatCanRankInTop(
  lines: readonly AttributedLineDetail[],
  keyOf: (line: AttributedLineDetail) => string | null,
  limit: number,
): string[] | null {
  const revenue = new Map<string, number>();
  for (const line of lines) {
    const key = keyOf(line);
    if (key !== null) revenue.set(key, (revenue.get(key) ?? 0) + lineRevenue(line));
  }
  const earning = [...revenue].filter(([, amount]) => amount > 0).sort((a, b) => b[1] - a[1]);
  const threshold = earning[limit - 1]?.[1];
  if (threshold === undefined) return null;
  return earning.filter(([, amount]) => amount >= threshold).map(([key]) => key);
}

/**
 * `impressionsWithoutClicks`: per key, the impressions among `events` in placements with no click
 * step (PLACEMENTS_WITHOUT_CLICKS), left out of the click-through rate.
 */
export function rankPerformers(
  lines: readonly AttributedLineDetail[],
  keyOf: (line: AttributedLineDetail) => string | null,
  events: readonly KeyedEventCount[],
  limit: number,
  impressionsWithoutClicks: readonly { readonly key: string; readonly count: number }[] = [],
): Performer[] {
  const rows = new Map<string, { revenue: number; orders: Set<number>; units: number; impressions: number; clicks: number; addsToCart: number }>();
  const row = (key: string) => {
    let entry = rows.get(key);
    if (!entry) {
      entry = { revenue: 0, orders: new Set(), units: 0, impressions: 0, clicks: 0, addsToCart: 0 };
      rows.set(key, entry);
    }
    return entry;
  };
  for (const line of lines) {
    const key = keyOf(line);
    if (key === null) continue;
    const entry = row(key);
    entry.revenue += lineRevenue(line);
    // As the headline's orders with Upshelf: an order that returned every unit of it kept nothing.
    if (unitsKept(line) > 0) entry.orders.add(line.orderId);
    entry.units += unitsKept(line);
  }
  for (const event of events) {
    const step = funnelStepOf(event.kind);
    if (step) row(event.key)[step] += event.count;
  }
  const unclickable = new Map<string, number>();
  for (const { key, count } of impressionsWithoutClicks) unclickable.set(key, (unclickable.get(key) ?? 0) + count);
  return [...rows]
    .map(([key, entry]) => ({
      key,
      revenue: entry.revenue,
      orders: entry.orders.size,
      units: entry.units,
      impressions: entry.impressions,
      clicks: entry.clicks,
      addsToCart: entry.addsToCart,
      clickThroughRate: shareOf(entry.clicks, Math.max(0, entry.impressions - (unclickable.get(key) ?? 0))),
    }))
    .filter((entry) => entry.revenue > 0 || entry.orders > 0 || entry.addsToCart > 0 || entry.clicks > 0)
    .sort((a, b) => b.revenue - a.revenue || b.addsToCart - a.addsToCart || b.clicks - a.clicks || a.key.localeCompare(b.key))
    .slice(0, limit);
}
