import db from "~/db.server";

export interface HistoryOrder {
  id: string;
  placedAt: Date;
  cancelled: boolean;
  lines: Array<{ productId: string; quantity: number; unitPrice: number }>;
}

/** Every order of the shop with its catalog-matched lines, oldest first, for model building. */
export async function listOrderHistory(shopId: string): Promise<HistoryOrder[]> {
  const [orders, lines] = await Promise.all([
    db.order.findMany({
      where: { shopId },
      select: { id: true, shopifyId: true, placedAt: true, cancelledAt: true },
      orderBy: { placedAt: "asc" },
    }),
    db.orderLine.findMany({
      where: { shopId, shopifyProductId: { not: null } },
      select: { orderId: true, shopifyProductId: true, quantity: true, unitPriceAmount: true },
    }),
  ]);
  const byOrder = new Map<number, HistoryOrder>();
  const history = orders.map((order) => {
    const entry: HistoryOrder = { id: order.shopifyId, placedAt: order.placedAt, cancelled: order.cancelledAt !== null, lines: [] };
    byOrder.set(order.id, entry);
    return entry;
  });
  for (const line of lines) {
    byOrder.get(line.orderId)?.lines.push({ productId: line.shopifyProductId as string, quantity: line.quantity, unitPrice: line.unitPriceAmount });
  }
  return history;
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
