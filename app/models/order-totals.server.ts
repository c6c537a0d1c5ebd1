/**
 * The dashboard's order figures, summed by the database. A large shop places thousands of orders a
 * day: reading each of a period's orders into the app took most of the dashboard's time (1M
 * orders, 90 days: 120,000 rows, docs/benchmarks.md), so only the few orders holding a line
 * Upshelf added are read one by one; every other order is counted and summed per day in SQL.
 * Every query is filtered by shopId. The SQL is the same on SQLite and PostgreSQL.
 */
import type { DayOrderTotals } from "~/core/analytics";
import db from "~/db.server";
import { Prisma } from "~/generated/prisma/sqlite/client";

/** One of a period's days, from its first instant to the first instant after it. */
export interface DayRange {
  readonly start: Date;
  readonly end: Date;
}

/** A day's orders in the shop currency and what the shop kept for them (DayOrderTotals), and the rest. */
export interface DayOrderFigures extends DayOrderTotals {
  /** Orders not cancelled in any other currency, which no amount includes. */
  readonly ordersInOtherCurrencies: number;
}

/** Raw results come back as bigint (PostgreSQL's COUNT and SUM), number or null (a SUM of nothing). */
function toNumber(value: unknown): number {
  return value === null || value === undefined ? 0 : Number(value);
}

/**
 * Each day's order totals, in the order of `days`. One statement with one index range per day,
 * read from Order_shopId_placedAt_totals_idx alone (it holds every column used here), so the
 * work grows with the period's orders but reads no order row. The days are whole ranges because
 * the shop's days (its time zone, 23- or 25-hour days) cannot be computed the same way in
 * SQLite and PostgreSQL.
 */
export async function orderTotalsPerDay(shopId: string, days: readonly DayRange[], currency: string): Promise<DayOrderFigures[]> {
  if (days.length === 0) return [];
  // The day's position is written as a literal: it is our own loop index, never input.
  const perDay = days.map((day, index) => Prisma.sql`
    SELECT ${Prisma.raw(String(index))} AS "day",
      COUNT(CASE WHEN "currency" = ${currency} THEN 1 END) AS "orders",
      SUM(CASE WHEN "currency" = ${currency} AND "subtotalAmount" > "refundedAmount" THEN "subtotalAmount" - "refundedAmount" ELSE 0 END) AS "revenue",
      COUNT(CASE WHEN "currency" <> ${currency} THEN 1 END) AS "ordersInOtherCurrencies"
    FROM "Order"
    WHERE "shopId" = ${shopId} AND "cancelledAt" IS NULL AND "placedAt" >= ${day.start} AND "placedAt" < ${day.end}`);
  const rows = await db.$queryRaw<{ day: unknown; orders: unknown; revenue: unknown; ordersInOtherCurrencies: unknown }[]>(
    Prisma.join(perDay, " UNION ALL "),
  );
  const totals: DayOrderFigures[] = days.map(() => ({ orders: 0, revenue: 0, ordersInOtherCurrencies: 0 }));
  for (const row of rows) {
    totals[toNumber(row.day)] = {
      orders: toNumber(row.orders),
      revenue: toNumber(row.revenue),
      ordersInOtherCurrencies: toNumber(row.ordersInOtherCurrencies),
    };
  }
  return totals;
}

export interface AttributedLineRow {
  readonly orderId: number;
  readonly shopifyProductId: string | null;
  readonly upshelfOffer: string | null;
  readonly quantity: number;
  readonly unitPriceAmount: number;
  readonly discountAmount: number;
  readonly refundedAmount: number;
  readonly refundedQuantity: number;
  /** The line's order: when it was placed, its items subtotal and what was refunded of it. */
  readonly order: { readonly id: number; readonly placedAt: Date; readonly subtotalAmount: number; readonly refundedAmount: number };
}

/**
 * The lines Upshelf added (marked with an offer or a placement) to the period's orders in the
 * shop currency that were not cancelled, each with its order's figures. The orders come from
 * their totals index and each one's lines from (orderId, upshelfOffer, upshelfPlacement), so a
 * line Upshelf did not add is passed over without reading its row.
 */
export async function attributedLinesPlacedIn(shopId: string, period: DayRange, currency: string): Promise<AttributedLineRow[]> {
  const rows = await db.$queryRaw<Record<string, unknown>[]>`
    SELECT l."orderId", l."shopifyProductId", l."upshelfOffer", l."quantity", l."unitPriceAmount", l."discountAmount",
      l."refundedAmount", l."refundedQuantity",
      o."placedAt" AS "orderPlacedAt", o."subtotalAmount" AS "orderSubtotalAmount", o."refundedAmount" AS "orderRefundedAmount"
    FROM "Order" o
    JOIN "OrderLine" l ON l."orderId" = o."id"
    WHERE o."shopId" = ${shopId} AND o."currency" = ${currency} AND o."cancelledAt" IS NULL
      AND o."placedAt" >= ${period.start} AND o."placedAt" < ${period.end}
      AND l."shopId" = ${shopId} AND (l."upshelfOffer" IS NOT NULL OR l."upshelfPlacement" IS NOT NULL)`;
  return rows.map((row) => ({
    orderId: toNumber(row.orderId),
    shopifyProductId: (row.shopifyProductId as string | null) ?? null,
    upshelfOffer: (row.upshelfOffer as string | null) ?? null,
    quantity: toNumber(row.quantity),
    unitPriceAmount: toNumber(row.unitPriceAmount),
    discountAmount: toNumber(row.discountAmount),
    refundedAmount: toNumber(row.refundedAmount),
    refundedQuantity: toNumber(row.refundedQuantity),
    order: {
      id: toNumber(row.orderId),
      // A Date from PostgreSQL; SQLite's stored text (ISO 8601 with its offset) where the driver returns it as such.
      placedAt: new Date(row.orderPlacedAt as Date | string),
      subtotalAmount: toNumber(row.orderSubtotalAmount),
      refundedAmount: toNumber(row.orderRefundedAmount),
    },
  }));
}
