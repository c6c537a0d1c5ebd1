import { basketItems } from "./basket-items";
import { createProductIndex, internProduct, type ProductIndex } from "./product-index";
import { growthSinceReference, halfLivesBetween } from "./time-decay";
import type { Order, ProductId } from "./types";

export interface CoPurchaseOptions {
  /** Days after which an order counts half as much. Infinity disables decay. */
  readonly halfLifeDays: number;
  /** Pair counting looks at no more than this many distinct products per order. */
  readonly maxPairedItems: number;
  /**
   * Each pair in a basket of n paired items weighs 1 / n^exponent. Big baskets are less
   * specific evidence that two products go together (every item co-occurs with everything).
   */
  readonly basketSizeExponent: number;
}

export const DEFAULT_CO_PURCHASE_OPTIONS: CoPurchaseOptions = {
  halfLifeDays: 90,
  maxPairedItems: 35,
  basketSizeExponent: 0.5,
};

/**
 * Running co-purchase statistics of one shop. Mutable by design (addOrder/removeOrder update it
 * in place, like an accumulator); snapshots built from it are immutable values.
 *
 * Weights are stored as growth factors relative to `referenceTime` (see time-decay.ts), so
 * decayed values for any `now` are the stored value times one common factor.
 */
export interface CoPurchaseStats {
  readonly options: CoPurchaseOptions;
  readonly products: ProductIndex;
  referenceTime: number | undefined;
  orderCount: number;
  orderWeight: number;
  latestOrderAt: number | undefined;
  /** Orders containing the product (undecayed), by product position. */
  readonly itemOrders: number[];
  /** Decayed orders containing the product. */
  readonly itemWeight: number[];
  /** For product a, pairs with every product b > a: b → slot in pairOrders/pairWeight. */
  readonly pairSlots: Map<number, number>[];
  pairOrders: Uint32Array;
  pairWeight: Float64Array;
  pairSlotCount: number;
  /** Slots of pairs whose count fell to zero, reused before growing the arrays. */
  readonly freeSlots: number[];
  /**
   * For each product position, the ordinals of the orders containing it, ascending. Pair counts
   * above leave out products past a big basket's cap; these count every order, so "bought
   * together in N orders" can state N exactly (ordersWithBoth).
   */
  readonly productOrders: number[][];
  /** Ordinals given to each order id as it was added (a stack: an order added twice has two). */
  readonly orderOrdinals: Map<string, number[]>;
  nextOrdinal: number;
}

// Rebase well before 2^x overflows a double (x ≈ 1024) or loses precision against old weights.
const MAX_HALF_LIVES_FROM_REFERENCE = 200;

export function createCoPurchaseStats(options: Partial<CoPurchaseOptions> = {}): CoPurchaseStats {
  const merged = { ...DEFAULT_CO_PURCHASE_OPTIONS, ...options };
  if (!(merged.halfLifeDays > 0)) throw new RangeError("halfLifeDays must be positive.");
  if (!Number.isInteger(merged.maxPairedItems) || merged.maxPairedItems < 2) {
    throw new RangeError("maxPairedItems must be an integer of at least 2.");
  }
  return {
    options: merged,
    products: createProductIndex(),
    referenceTime: undefined,
    orderCount: 0,
    orderWeight: 0,
    latestOrderAt: undefined,
    itemOrders: [],
    itemWeight: [],
    pairSlots: [],
    pairOrders: new Uint32Array(1024),
    pairWeight: new Float64Array(1024),
    pairSlotCount: 0,
    freeSlots: [],
    productOrders: [],
    orderOrdinals: new Map(),
    nextOrdinal: 0,
  };
}

/** Adds one order's evidence. Cancelled orders and orders with no product are ignored. */
export function addOrder(stats: CoPurchaseStats, order: Order): void {
  applyOrder(stats, order, 1);
}

/**
 * Subtracts an order added earlier (a refund or a cancellation arriving after the order).
 * Pass the same order value that was added: the effect is computed from it, not remembered.
 */
export function removeOrder(stats: CoPurchaseStats, order: Order): void {
  applyOrder(stats, order, -1);
}

function applyOrder(stats: CoPurchaseStats, order: Order, sign: 1 | -1): void {
  if (order.cancelled) return;
  const { distinct, paired } = basketItems(order, stats.options.maxPairedItems);
  if (distinct.length === 0) return;
  const { halfLifeDays } = stats.options;
  if (stats.referenceTime === undefined) stats.referenceTime = order.createdAt;
  if (Math.abs(halfLivesBetween(stats.referenceTime, order.createdAt, halfLifeDays)) > MAX_HALF_LIVES_FROM_REFERENCE) {
    rebase(stats, order.createdAt);
  }
  const weight = sign * growthSinceReference(order.createdAt, stats.referenceTime, halfLifeDays);
  stats.orderCount += sign;
  stats.orderWeight = stats.orderCount > 0 ? stats.orderWeight + weight : 0;
  if (sign > 0 && (stats.latestOrderAt === undefined || order.createdAt > stats.latestOrderAt)) {
    stats.latestOrderAt = order.createdAt;
  }
  const ordinal = sign > 0 ? newOrdinal(stats, order.id) : stats.orderOrdinals.get(order.id)?.pop();
  for (const productId of distinct) {
    const position = internProduct(stats.products, productId);
    if (position === stats.itemOrders.length) {
      stats.itemOrders.push(0);
      stats.itemWeight.push(0);
      stats.pairSlots.push(new Map());
      stats.productOrders.push([]);
    }
    if (ordinal !== undefined) recordMembership(stats.productOrders[position] ?? [], ordinal, sign);
    const orders = (stats.itemOrders[position] ?? 0) + sign;
    stats.itemOrders[position] = Math.max(0, orders);
    // Exact zero once the last order goes, not a floating-point crumb of the subtraction.
    stats.itemWeight[position] = orders > 0 ? (stats.itemWeight[position] ?? 0) + weight : 0;
  }
  if (paired.length < 2) return;
  const pairWeight = weight / Math.pow(paired.length, stats.options.basketSizeExponent);
  const positions = paired.map((productId) => stats.products.positions.get(productId) ?? -1);
  for (let x = 0; x < positions.length; x++) {
    for (let y = x + 1; y < positions.length; y++) {
      const a = positions[x] ?? -1;
      const b = positions[y] ?? -1;
      updatePair(stats, Math.min(a, b), Math.max(a, b), sign, pairWeight);
    }
  }
}

function newOrdinal(stats: CoPurchaseStats, orderId: string): number {
  const ordinal = stats.nextOrdinal;
  stats.nextOrdinal += 1;
  const ordinals = stats.orderOrdinals.get(orderId);
  if (ordinals) ordinals.push(ordinal);
  else stats.orderOrdinals.set(orderId, [ordinal]);
  return ordinal;
}

/** Adds an ordinal (always the largest yet) or removes one, keeping the list ascending. */
function recordMembership(ordinals: number[], ordinal: number, sign: 1 | -1): void {
  if (sign > 0) {
    ordinals.push(ordinal);
    return;
  }
  const at = lowerBound(ordinals, ordinal);
  if (ordinals[at] === ordinal) ordinals.splice(at, 1);
}

function lowerBound(values: readonly number[], target: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((values[middle] ?? 0) < target) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Orders (not cancelled, not removed) containing both products, by their positions: exact, whatever the basket's size. */
export function ordersWithBoth(stats: CoPurchaseStats, a: number, b: number): number {
  const first = stats.productOrders[a];
  const second = stats.productOrders[b];
  if (!first || !second || a === b) return 0;
  let count = 0;
  let i = 0;
  let j = 0;
  while (i < first.length && j < second.length) {
    const x = first[i] ?? 0;
    const y = second[j] ?? 0;
    if (x === y) {
      count += 1;
      i += 1;
      j += 1;
    } else if (x < y) i += 1;
    else j += 1;
  }
  return count;
}

function updatePair(stats: CoPurchaseStats, low: number, high: number, sign: 1 | -1, weight: number): void {
  const slots = stats.pairSlots[low];
  if (!slots) return;
  let slot = slots.get(high);
  if (slot === undefined) {
    // Removing a pair never added (a different order value than the one added) is a no-op.
    if (sign < 0) return;
    slot = allocateSlot(stats);
    slots.set(high, slot);
  }
  const orders = (stats.pairOrders[slot] ?? 0) + sign;
  if (orders <= 0) {
    slots.delete(high);
    stats.pairOrders[slot] = 0;
    stats.pairWeight[slot] = 0;
    stats.freeSlots.push(slot);
    return;
  }
  stats.pairOrders[slot] = orders;
  stats.pairWeight[slot] = (stats.pairWeight[slot] ?? 0) + weight;
}

function allocateSlot(stats: CoPurchaseStats): number {
  const reused = stats.freeSlots.pop();
  if (reused !== undefined) return reused;
  if (stats.pairSlotCount === stats.pairOrders.length) {
    const orders = new Uint32Array(stats.pairOrders.length * 2);
    orders.set(stats.pairOrders);
    const weights = new Float64Array(stats.pairWeight.length * 2);
    weights.set(stats.pairWeight);
    stats.pairOrders = orders;
    stats.pairWeight = weights;
  }
  const slot = stats.pairSlotCount;
  stats.pairSlotCount += 1;
  return slot;
}

/** Moves the decay reference to `time`, rescaling every stored weight by the same factor. */
function rebase(stats: CoPurchaseStats, time: number): void {
  const reference = stats.referenceTime ?? time;
  const factor = growthSinceReference(reference, time, stats.options.halfLifeDays);
  stats.referenceTime = time;
  stats.orderWeight *= factor;
  for (let i = 0; i < stats.itemWeight.length; i++) stats.itemWeight[i] = (stats.itemWeight[i] ?? 0) * factor;
  for (let slot = 0; slot < stats.pairSlotCount; slot++) stats.pairWeight[slot] = (stats.pairWeight[slot] ?? 0) * factor;
}

/** Multiplier turning stored weights into weights decayed to `now`. */
export function decayFactorAt(stats: CoPurchaseStats, now: number): number {
  if (stats.referenceTime === undefined) return 1;
  return growthSinceReference(stats.referenceTime, now, stats.options.halfLifeDays);
}

/** Visits every pair with positive count: (a, b, orders, stored weight). */
export function forEachPair(stats: CoPurchaseStats, visit: (a: number, b: number, orders: number, weight: number) => void): void {
  stats.pairSlots.forEach((slots, a) => {
    for (const [b, slot] of slots) visit(a, b, stats.pairOrders[slot] ?? 0, stats.pairWeight[slot] ?? 0);
  });
}

/**
 * Orders containing both products (every order, however big) and their pair's decayed weight at
 * `now` (0 when the pair was never counted: never together, or only past a big basket's cap).
 */
export function pairEvidence(
  stats: CoPurchaseStats,
  a: ProductId,
  b: ProductId,
  now: number
): { readonly orders: number; readonly weight: number } {
  const pa = stats.products.positions.get(a);
  const pb = stats.products.positions.get(b);
  if (pa === undefined || pb === undefined || pa === pb) return { orders: 0, weight: 0 };
  const slot = stats.pairSlots[Math.min(pa, pb)]?.get(Math.max(pa, pb));
  const weight = slot === undefined ? 0 : (stats.pairWeight[slot] ?? 0) * decayFactorAt(stats, now);
  return { orders: ordersWithBoth(stats, pa, pb), weight };
}

/** Orders containing the product and their decayed weight at `now`. */
export function productEvidence(
  stats: CoPurchaseStats,
  id: ProductId,
  now: number
): { readonly orders: number; readonly weight: number } {
  const position = stats.products.positions.get(id);
  if (position === undefined) return { orders: 0, weight: 0 };
  return { orders: stats.itemOrders[position] ?? 0, weight: (stats.itemWeight[position] ?? 0) * decayFactorAt(stats, now) };
}
