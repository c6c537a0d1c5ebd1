import type { Order } from "~/core/ranking";
import db from "~/db.server";

/** Orders read per query by orderHistoryPages: tens of milliseconds of work each. */
export const ORDER_HISTORY_PAGE_SIZE = 50;

/**
 * The shop's order history as the ranking engine reads it, oldest first, a page at a time: a rebuild reads it between
 * storefront requests (on SQLite each query holds the process until it returns) and never holds
 * the whole history's rows at once. Pages follow (placedAt, id), so an order placed meanwhile is
 * read once or, if it sorts before the page being read, not at all (the rebuild adds those
 * itself). Lines come in the order they were stored, which is the order's own: ties between
 * equally important lines are broken by it (core/ranking/basket-items).
 */
/**
 * An order as the engine reads it, with its currency: the engine learns from baskets whatever
 * their currency, but the backtest dates its window by the shop's own (ranking-backtest.server).
 */
export interface HistoryOrder extends Order {
  readonly currency: string;
}

export async function* orderHistoryPages(shopId: string, pageSize = ORDER_HISTORY_PAGE_SIZE): AsyncGenerator<HistoryOrder[]> {
  let after: { placedAt: Date; id: number } | undefined;
  for (;;) {
    const orders = await db.order.findMany({
      // `placedAt >= after` bounds the index range (shopId, placedAt) to the orders after the
      // last page; the OR alone is no range, and each page scanned every order before it.
      where: after
        ? { shopId, placedAt: { gte: after.placedAt }, OR: [{ placedAt: { gt: after.placedAt } }, { id: { gt: after.id } }] }
        : { shopId },
      select: {
        id: true,
        shopifyId: true,
        placedAt: true,
        cancelledAt: true,
        currency: true,
        lines: {
          where: { shopifyProductId: { not: null } },
          select: { shopifyProductId: true, quantity: true, unitPriceAmount: true },
          orderBy: { id: "asc" },
        },
      },
      orderBy: [{ placedAt: "asc" }, { id: "asc" }],
      take: pageSize,
    });
    if (orders.length === 0) return;
    yield orders.map((order) => ({
      id: order.shopifyId,
      createdAt: order.placedAt.getTime(),
      cancelled: order.cancelledAt !== null,
      currency: order.currency,
      lines: order.lines.map((line) => ({ productId: line.shopifyProductId as string, quantity: line.quantity, unitPrice: line.unitPriceAmount })),
    }));
    const last = orders[orders.length - 1];
    if (!last || orders.length < pageSize) return;
    after = { placedAt: last.placedAt, id: last.id };
  }
}

/**
 * The product ids of one order of this shop placed by `customerId`, or null when the shop has no
 * such order for that customer (the two look the same, so nobody can probe for orders).
 */
export async function findCustomerOrderProductIds(shopId: string, shopifyOrderId: string, customerId: string): Promise<string[] | null> {
  const order = await db.order.findUnique({
    where: { shopId_shopifyId: { shopId, shopifyId: shopifyOrderId } },
    select: { customerId: true, lines: { select: { shopifyProductId: true } } },
  });
  if (!order || order.customerId !== customerId) return null;
  return order.lines.flatMap((line) => (line.shopifyProductId ? [line.shopifyProductId] : []));
}
