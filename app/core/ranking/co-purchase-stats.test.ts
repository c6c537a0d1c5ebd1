import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addOrder, createCoPurchaseStats, pairEvidence, productEvidence, removeOrder } from "./co-purchase-stats";
import type { Order } from "./types";

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);

function order(id: string, products: string[], day = 0, extra: Partial<Order> = {}): Order {
  return { id, createdAt: T0 + day * DAY, lines: products.map((productId) => ({ productId, quantity: 1 })), ...extra };
}

describe("co-purchase statistics", () => {
  it("GIVEN orders WHEN added THEN pair and product counts are the orders containing them", () => {
    const stats = createCoPurchaseStats({ halfLifeDays: Number.POSITIVE_INFINITY, basketSizeExponent: 0 });
    addOrder(stats, order("1", ["mug", "tea", "spoon"]));
    addOrder(stats, order("2", ["mug", "tea"]));
    addOrder(stats, order("3", ["mug"]));
    expect(pairEvidence(stats, "mug", "tea", T0)).toEqual({ orders: 2, weight: 2 });
    expect(pairEvidence(stats, "tea", "mug", T0).orders).toBe(2);
    expect(pairEvidence(stats, "tea", "spoon", T0).orders).toBe(1);
    expect(productEvidence(stats, "mug", T0).orders).toBe(3);
    expect(stats.orderCount).toBe(3);
  });

  it("GIVEN a large quantity or a repeated line THEN it counts once", () => {
    const stats = createCoPurchaseStats();
    addOrder(stats, {
      id: "1",
      createdAt: T0,
      lines: [
        { productId: "mug", quantity: 48 },
        { productId: "tea", quantity: 1 },
        { productId: "mug", quantity: 2 },
      ],
    });
    expect(pairEvidence(stats, "mug", "tea", T0).orders).toBe(1);
    expect(productEvidence(stats, "mug", T0).orders).toBe(1);
  });

  it("ignores cancelled orders", () => {
    const stats = createCoPurchaseStats();
    addOrder(stats, order("1", ["mug", "tea"], 0, { cancelled: true }));
    expect(pairEvidence(stats, "mug", "tea", T0).orders).toBe(0);
    expect(stats.orderCount).toBe(0);
  });

  it("GIVEN a half-life of 30 days THEN an order 30 days older weighs half", () => {
    const stats = createCoPurchaseStats({ halfLifeDays: 30, basketSizeExponent: 0 });
    addOrder(stats, order("old", ["a", "b"], 0));
    addOrder(stats, order("new", ["c", "d"], 30));
    const now = T0 + 30 * DAY;
    expect(pairEvidence(stats, "a", "b", now).weight).toBeCloseTo(0.5, 10);
    expect(pairEvidence(stats, "c", "d", now).weight).toBeCloseTo(1, 10);
    // Decaying further halves both: the reference time is an implementation detail.
    expect(pairEvidence(stats, "c", "d", now + 30 * DAY).weight).toBeCloseTo(0.5, 10);
  });

  it("keeps weights right across centuries of orders (the decay reference is moved, not overflowed)", () => {
    const stats = createCoPurchaseStats({ halfLifeDays: 1, basketSizeExponent: 0 });
    addOrder(stats, order("first", ["a", "b"], 0));
    addOrder(stats, order("much later", ["c", "d"], 5_000));
    const now = T0 + 5_000 * DAY;
    expect(pairEvidence(stats, "c", "d", now).weight).toBeCloseTo(1, 10);
    expect(pairEvidence(stats, "a", "b", now).weight).toBe(0);
    expect(pairEvidence(stats, "a", "b", now).orders).toBe(1);
  });

  it("caps pair work per basket: a 500-item basket adds at most maxPairedItems·(maxPairedItems-1)/2 pairs", () => {
    const stats = createCoPurchaseStats({ maxPairedItems: 30 });
    addOrder(
      stats,
      order(
        "wholesale",
        Array.from({ length: 500 }, (_, i) => `p${i}`)
      )
    );
    let pairs = 0;
    for (const slots of stats.pairSlots) pairs += slots.size;
    expect(pairs).toBe((30 * 29) / 2);
    expect(stats.itemOrders.filter((count) => count === 1)).toHaveLength(500);
  });

  it("weighs pairs from big baskets less (basketSizeExponent)", () => {
    const stats = createCoPurchaseStats({ halfLifeDays: Number.POSITIVE_INFINITY, basketSizeExponent: 1 });
    addOrder(stats, order("small", ["a", "b"]));
    addOrder(stats, order("big", ["c", "d", "e", "f"]));
    expect(pairEvidence(stats, "a", "b", T0).weight).toBeCloseTo(0.5, 12);
    expect(pairEvidence(stats, "c", "d", T0).weight).toBeCloseTo(0.25, 12);
  });

  it("PROPERTY: adding then removing orders leaves the statistics of the others", () => {
    const products = fc.constantFrom("a", "b", "c", "d", "e", "f");
    const orderArb = fc.record({
      products: fc.array(products, { minLength: 1, maxLength: 5 }),
      day: fc.integer({ min: 0, max: 400 }),
    });
    fc.assert(
      fc.property(fc.array(orderArb, { maxLength: 8 }), fc.array(orderArb, { minLength: 1, maxLength: 8 }), (kept, removed) => {
        const reference = createCoPurchaseStats({ halfLifeDays: 45 });
        const stats = createCoPurchaseStats({ halfLifeDays: 45 });
        const keptOrders = kept.map((o, i) => order(`k${i}`, o.products, o.day));
        const removedOrders = removed.map((o, i) => order(`r${i}`, o.products, o.day));
        for (const o of keptOrders) addOrder(reference, o);
        for (const o of [...removedOrders, ...keptOrders]) addOrder(stats, o);
        for (const o of removedOrders) removeOrder(stats, o);
        const now = T0 + 400 * DAY;
        for (const a of ["a", "b", "c", "d", "e", "f"]) {
          expect(productEvidence(stats, a, now).orders).toBe(productEvidence(reference, a, now).orders);
          expect(productEvidence(stats, a, now).weight).toBeCloseTo(productEvidence(reference, a, now).weight, 9);
          for (const b of ["a", "b", "c", "d", "e", "f"]) {
            expect(pairEvidence(stats, a, b, now).orders).toBe(pairEvidence(reference, a, b, now).orders);
            expect(pairEvidence(stats, a, b, now).weight).toBeCloseTo(pairEvidence(reference, a, b, now).weight, 9);
          }
        }
        expect(stats.orderCount).toBe(reference.orderCount);
      }),
      { numRuns: 150 }
    );
  });

  it("rejects nonsensical options", () => {
    expect(() => createCoPurchaseStats({ halfLifeDays: 0 })).toThrow(RangeError);
    expect(() => createCoPurchaseStats({ maxPairedItems: 1 })).toThrow(RangeError);
  });
});
