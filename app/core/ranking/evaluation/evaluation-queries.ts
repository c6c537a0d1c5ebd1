import type { Order, ProductId } from "../types";

/** One item of a test basket hidden; the rest (up to a cap) are the cart. */
export interface CartQuery {
  /** Index of the test order it came from, counting orders that ask anything (for resampling). */
  readonly order: number;
  readonly anchors: readonly ProductId[];
  readonly hidden: ProductId;
}

/** A product page visit: the order's first item is the page, the others are what was bought with it. */
export interface PdpQuery {
  /** As for cart queries: the same order gives the same index in both tasks. */
  readonly order: number;
  readonly anchor: ProductId;
  readonly targets: ReadonlySet<ProductId>;
}

export interface EvaluationQueries {
  readonly cart: CartQuery[];
  readonly pdp: PdpQuery[];
  /** Test orders that gave queries: the range of the queries' `order`. */
  readonly orders: number;
}

/**
 * Queries from test orders. Only products known from training count (nothing can recommend a
 * product it has never seen sold or listed), and an order needs two of them to ask anything.
 */
export function buildEvaluationQueries(
  testOrders: readonly Order[],
  knownProducts: ReadonlySet<ProductId>,
  maxAnchors = 20
): EvaluationQueries {
  const cart: CartQuery[] = [];
  const pdp: PdpQuery[] = [];
  let orders = 0;
  for (const order of testOrders) {
    if (order.cancelled) continue;
    const items: ProductId[] = [];
    for (const line of order.lines) {
      if (knownProducts.has(line.productId) && !items.includes(line.productId)) items.push(line.productId);
    }
    if (items.length < 2) continue;
    const orderIndex = orders;
    orders += 1;
    items.forEach((hidden, index) => {
      const anchors = items.filter((_, other) => other !== index).slice(0, maxAnchors);
      cart.push({ order: orderIndex, anchors, hidden });
    });
    const [anchor, ...targets] = items;
    if (anchor !== undefined) pdp.push({ order: orderIndex, anchor, targets: new Set(targets) });
  }
  return { cart, pdp, orders };
}

/** A deterministic sample of at most `max` items (order kept), for faster runs. */
export function sampleQueries<T>(queries: readonly T[], max: number | undefined, rng: () => number): T[] {
  if (max === undefined || queries.length <= max) return [...queries];
  const indices = queries.map((_, index) => index);
  for (let i = indices.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [indices[i], indices[j]] = [indices[j] ?? 0, indices[i] ?? 0];
  }
  return indices
    .slice(0, max)
    .sort((a, b) => a - b)
    .map((index) => queries[index] as T);
}
