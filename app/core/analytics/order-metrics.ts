import { dayInPeriod, type ReportingPeriod } from "./period";
import { meanMinor, shareOf } from "./rates";

/**
 * Revenue, average order value and attach rate from orders and the lines Upshelf added to them.
 * A line is Upshelf's when the storefront marked it with `_upshelf_offer` or `_upshelf_placement`
 * (the cart keeps those properties through checkout), or when an accepted post-purchase offer
 * added it; its revenue is what the buyer paid for it, less what was refunded since.
 * All amounts are integer minor units of one currency.
 */
export interface OrderFact {
  readonly id: number;
  readonly placedAt: Date | number;
  /**
   * What the order's items cost after discounts, before shipping, tax and tips (Shopify's
   * `subtotal_price`, with any line added after checkout): the same basis as an attributed
   * line's revenue, and Shopify's own AOV's.
   */
  readonly subtotalAmount: number;
  /** What was refunded for the order's items since: an order counts for what the shop kept. */
  readonly refundedAmount: number;
}

export interface AttributedLineFact {
  readonly orderId: number;
  readonly quantity: number;
  readonly unitPriceAmount: number;
  readonly discountAmount: number;
  readonly refundedAmount: number;
  /** Units refunded since (they stay in `quantity`). */
  readonly refundedQuantity: number;
}

export interface DailyOrderPoint {
  readonly day: string;
  readonly orders: number;
  readonly revenue: number;
  readonly attributedRevenue: number;
  readonly ordersWithUpshelf: number;
}

export interface OrderMetrics {
  readonly orders: number;
  readonly revenue: number;
  readonly attributedRevenue: number;
  readonly ordersWithUpshelf: number;
  /**
   * Orders containing at least one Upshelf-added line the buyer kept (not wholly refunded), over
   * all orders; null with no orders.
   */
  readonly attachRate: number | null;
  readonly averageOrderValueWithUpshelf: number | null;
  readonly averageOrderValueWithoutUpshelf: number | null;
  readonly daily: readonly DailyOrderPoint[];
}

/**
 * What the shop kept for a line: units at their price less the line's discount and what was
 * refunded for it since, never below 0. A returned upsell earned nothing.
 */
export function lineRevenue(line: Omit<AttributedLineFact, "orderId" | "refundedQuantity">): number {
  return Math.max(0, line.quantity * line.unitPriceAmount - line.discountAmount - line.refundedAmount);
}

/** A line's units the buyer kept: those bought less those refunded (they stay in `quantity`). */
export function unitsKept(line: { readonly quantity: number; readonly refundedQuantity: number }): number {
  return Math.max(0, line.quantity - line.refundedQuantity);
}

/** An order's items after discounts and refunds: what the shop kept, never below 0. */
export function orderRevenue(order: Pick<OrderFact, "subtotalAmount" | "refundedAmount">): number {
  return Math.max(0, order.subtotalAmount - order.refundedAmount);
}

/**
 * Attributed lines as far as their orders' kept revenue allows. A refund known only for the
 * whole order (an orders CSV export names the order's refunded money, not which lines) may have
 * been for Upshelf's lines, so an order's Upshelf revenue is held to what the shop kept for it:
 * its lines' revenue is scaled down (rounded down) to fit, and a wholly refunded order kept
 * none of its Upshelf units. Lines of orders not given are returned as they are.
 */
export function withinOrderRevenue<L extends AttributedLineFact>(
  lines: readonly L[],
  orders: readonly Pick<OrderFact, "id" | "subtotalAmount" | "refundedAmount">[],
): L[] {
  const kept = new Map(orders.map((order) => [order.id, orderRevenue(order)]));
  const attributed = new Map<number, number>();
  for (const line of lines) attributed.set(line.orderId, (attributed.get(line.orderId) ?? 0) + lineRevenue(line));
  // Refunded in full: nothing was kept, free items (a gift worth 0) included.
  const whollyRefunded = new Set(orders.filter((order) => order.refundedAmount > 0 && orderRevenue(order) === 0).map((order) => order.id));
  return lines.map((line) => {
    const orderKept = kept.get(line.orderId);
    const total = attributed.get(line.orderId) ?? 0;
    const gross = line.quantity * line.unitPriceAmount - line.discountAmount;
    if (whollyRefunded.has(line.orderId)) return { ...line, refundedAmount: Math.max(line.refundedAmount, gross), refundedQuantity: line.quantity };
    if (orderKept === undefined || total <= orderKept) return line;
    const revenue = Math.floor((lineRevenue(line) * orderKept) / total);
    return { ...line, refundedAmount: gross - revenue };
  });
}

/** A day's orders (in the shop currency, not cancelled) and what the shop kept for them. */
export interface DayOrderTotals {
  readonly orders: number;
  /** The sum of each order's `orderRevenue`. */
  readonly revenue: number;
}

/** Orders placed within the period, from a list that may hold others. */
function ordersInPeriod<O extends OrderFact>(period: ReportingPeriod, orders: readonly O[]): O[] {
  const start = period.start.getTime();
  const end = period.end.getTime();
  return orders.filter((order) => {
    const at = new Date(order.placedAt).getTime();
    return at >= start && at < end;
  });
}

/** The period's metrics from every order, each read one by one. */
export function computeOrderMetrics(
  period: ReportingPeriod,
  orders: readonly OrderFact[],
  attributedLines: readonly AttributedLineFact[],
): OrderMetrics {
  const inPeriod = ordersInPeriod(period, orders);
  const totals = new Map<string, { orders: number; revenue: number }>();
  for (const order of inPeriod) {
    const day = dayInPeriod(period, order.placedAt) ?? "";
    const total = totals.get(day) ?? { orders: 0, revenue: 0 };
    total.orders += 1;
    total.revenue += orderRevenue(order);
    totals.set(day, total);
  }
  return orderMetricsFromDayTotals(period, totals, inPeriod, attributedLines);
}

/**
 * The period's metrics from each day's totals (summed by the database) and, one by one, only the
 * orders that hold an attributed line: the rest need no more than their count and revenue. Lines
 * of orders not given or outside the period (or cancelled, hence absent) do not count.
 */
export function orderMetricsFromDayTotals(
  period: ReportingPeriod,
  dayTotals: ReadonlyMap<string, DayOrderTotals>,
  attributedOrders: readonly OrderFact[],
  attributedLines: readonly AttributedLineFact[],
): OrderMetrics {
  const withLines = ordersInPeriod(period, attributedOrders);
  const known = new Set(withLines.map((order) => order.id));
  const attributedByOrder = new Map<number, number>();
  // An order whose Upshelf lines were all returned did not keep anything Upshelf added.
  const keptUpshelf = new Set<number>();
  for (const line of withinOrderRevenue(attributedLines, withLines)) {
    if (!known.has(line.orderId)) continue;
    attributedByOrder.set(line.orderId, (attributedByOrder.get(line.orderId) ?? 0) + lineRevenue(line));
    if (unitsKept(line) > 0) keptUpshelf.add(line.orderId);
  }

  const daily = new Map<string, { orders: number; revenue: number; attributedRevenue: number; ordersWithUpshelf: number }>(
    period.dayKeys.map((day) => [day, { orders: dayTotals.get(day)?.orders ?? 0, revenue: dayTotals.get(day)?.revenue ?? 0, attributedRevenue: 0, ordersWithUpshelf: 0 }]),
  );
  let orderCount = 0;
  let revenue = 0;
  for (const total of dayTotals.values()) {
    orderCount += total.orders;
    revenue += total.revenue;
  }
  let attributedRevenue = 0;
  let withCount = 0;
  let withTotal = 0;
  for (const order of withLines) {
    const attributed = attributedByOrder.get(order.id);
    if (attributed === undefined) continue;
    const point = daily.get(dayInPeriod(period, order.placedAt) ?? "");
    attributedRevenue += attributed;
    if (point) point.attributedRevenue += attributed;
    if (!keptUpshelf.has(order.id)) continue;
    withCount += 1;
    withTotal += orderRevenue(order);
    if (point) point.ordersWithUpshelf += 1;
  }
  return {
    orders: orderCount,
    revenue,
    attributedRevenue,
    ordersWithUpshelf: withCount,
    attachRate: shareOf(withCount, orderCount),
    averageOrderValueWithUpshelf: meanMinor(withTotal, withCount),
    averageOrderValueWithoutUpshelf: meanMinor(revenue - withTotal, orderCount - withCount),
    daily: [...daily].map(([day, point]) => ({ day, ...point })),
  };
}
