import type { CatalogProduct, Order, OrderLine } from "~/core/ranking/types";
import type { OrderFileFormat, ParsedOrderFile } from "./order-file-types";

interface DraftOrder {
  readonly id: string;
  createdAt: number;
  cancelled: boolean;
  readonly lines: Map<string, { quantity: number; unitPrice?: number }>;
}

interface DraftProduct {
  readonly titles: Map<string, number>;
  readonly prices: Map<number, number>;
  vendor?: string;
}

/**
 * Collects parsed rows into orders and a catalog. Shared by every format so that all of them
 * merge repeated lines, pick titles and prices, and count skipped rows the same way.
 */
export class OrderFileBuilder {
  private readonly orders = new Map<string, DraftOrder>();
  private readonly products = new Map<string, DraftProduct>();
  private readonly skipped: Record<string, number> = {};
  private rows = 0;

  countRow(): void {
    this.rows += 1;
  }

  skip(reason: string): void {
    this.skipped[reason] = (this.skipped[reason] ?? 0) + 1;
  }

  /** Registers an order even before (or without) kept lines, so cancellation flags have a home. */
  order(id: string, createdAt: number): DraftOrder {
    let order = this.orders.get(id);
    if (!order) {
      order = { id, createdAt, cancelled: false, lines: new Map() };
      this.orders.set(id, order);
    }
    return order;
  }

  addLine(orderId: string, createdAt: number, line: OrderLine, product: { title?: string; vendor?: string }): void {
    const order = this.order(orderId, createdAt);
    const existing = order.lines.get(line.productId);
    if (existing) {
      // The same product twice in one order is one basket item; keep the quantities together.
      existing.quantity += line.quantity;
    } else {
      order.lines.set(line.productId, {
        quantity: line.quantity,
        ...(line.unitPrice !== undefined ? { unitPrice: line.unitPrice } : {}),
      });
    }
    let draft = this.products.get(line.productId);
    if (!draft) {
      draft = { titles: new Map(), prices: new Map() };
      this.products.set(line.productId, draft);
    }
    if (product.title) increment(draft.titles, product.title);
    if (line.unitPrice !== undefined && line.unitPrice > 0) increment(draft.prices, line.unitPrice);
    if (product.vendor) draft.vendor = product.vendor;
  }

  build(format: OrderFileFormat, currency: string): ParsedOrderFile {
    const orders: Order[] = [];
    for (const draft of this.orders.values()) {
      if (draft.lines.size === 0) continue;
      const lines: OrderLine[] = [...draft.lines].map(([productId, line]) => ({ productId, ...line }));
      orders.push({ id: draft.id, createdAt: draft.createdAt, lines, ...(draft.cancelled ? { cancelled: true } : {}) });
    }
    orders.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const catalog: CatalogProduct[] = [];
    for (const [id, draft] of this.products) {
      const price = mostFrequent(draft.prices);
      catalog.push({
        id,
        // Sources disagree over time (typos, "?" notes in UCI); the most used title is the real one.
        title: mostFrequent(draft.titles) ?? id,
        ...(price !== undefined ? { price } : {}),
        ...(draft.vendor ? { vendor: draft.vendor } : {}),
      });
    }
    return { format, currency, orders, catalog, rowsRead: this.rows, skippedRows: { ...this.skipped } };
  }
}

function increment<K>(counts: Map<K, number>, key: K): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

/** The most frequent key; on a tie the key that first appeared latest wins (the newer value). */
function mostFrequent<K>(counts: Map<K, number>): K | undefined {
  let best: K | undefined;
  let bestCount = 0;
  for (const [key, count] of counts) {
    if (count >= bestCount) {
      best = key;
      bestCount = count;
    }
  }
  return best;
}
