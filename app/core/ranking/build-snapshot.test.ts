import { describe, expect, it } from "vitest";
import { buildSnapshot, buildSnapshotSteps } from "./build-snapshot";
import { buildSnapshotFromOrders } from "./build-snapshot-from-orders";
import { addOrder, createCoPurchaseStats, pairEvidence, removeOrder } from "./co-purchase-stats";
import { refreshSnapshotRows } from "./refresh-snapshot-rows";
import { CANDIDATE_REASON } from "./ranking-snapshot";
import { SMALL_SHOP_CATALOG, SMALL_SHOP_NOW, smallShopOrders } from "./test-support/small-shop";

function candidatesOf(snapshot: ReturnType<typeof buildSnapshot>, id: string) {
  const position = snapshot.positions.get(id) ?? -1;
  const result: { id: string; score: number; orders: number; reason: number }[] = [];
  for (let entry = snapshot.candidateOffsets[position] ?? 0; entry < (snapshot.candidateOffsets[position + 1] ?? 0); entry++) {
    result.push({
      id: snapshot.productIds[snapshot.candidates[entry] ?? 0] ?? "",
      score: snapshot.candidateScores[entry] ?? 0,
      orders: snapshot.candidateOrders[entry] ?? 0,
      reason: snapshot.candidateReasons[entry] ?? -1,
    });
  }
  return result;
}

describe("buildSnapshot", () => {
  const snapshot = buildSnapshotFromOrders({ orders: smallShopOrders(), catalog: SMALL_SHOP_CATALOG, now: SMALL_SHOP_NOW });

  it("GIVEN a best seller in more of the product's orders THEN the specific complement still ranks first", () => {
    const list = candidatesOf(snapshot, "mug-blue");
    // The bag shares 25 orders with the blue mug, Earl Grey 20; raw counts would put the bag first.
    expect(list.find((c) => c.id === "bag")?.orders).toBe(25);
    expect(list[0]).toMatchObject({ id: "tea-earl", orders: 20, reason: CANDIDATE_REASON.boughtTogether });
  });

  it("gives every catalog product a full candidate list, including products never sold (coverage 100%)", () => {
    for (const product of SMALL_SHOP_CATALOG) {
      const list = candidatesOf(snapshot, product.id);
      expect(list).toHaveLength(SMALL_SHOP_CATALOG.length - 1);
      expect(new Set(list.map((c) => c.id)).size).toBe(list.length);
      expect(list.map((c) => c.id)).not.toContain(product.id);
    }
  });

  it("GIVEN a product with no orders THEN its first candidates are content-similar products", () => {
    const list = candidatesOf(snapshot, "candle");
    expect(list[0]).toMatchObject({ id: "candle-tall", reason: CANDIDATE_REASON.similar, orders: 0 });
  });

  it("GIVEN no content match THEN the type's best sellers come before the shop's", () => {
    const catalog = [
      { id: "a", title: "Alpha", productType: "Mugs" },
      { id: "b", title: "Bravo", productType: "Mugs" },
      { id: "c", title: "Charlie", productType: "Tea" },
    ];
    const stats = createCoPurchaseStats();
    for (let i = 0; i < 5; i++)
      addOrder(stats, { id: `c${i}`, createdAt: SMALL_SHOP_NOW, lines: [{ productId: "c", quantity: 1 }] });
    addOrder(stats, { id: "b", createdAt: SMALL_SHOP_NOW, lines: [{ productId: "b", quantity: 1 }] });
    const built = buildSnapshot(stats, catalog, { now: SMALL_SHOP_NOW, content: { productTypeWeight: 0, priceBandWeight: 0 } });
    expect(candidatesOf(built, "a").map((c) => [c.id, c.reason])).toEqual([
      ["b", CANDIDATE_REASON.popularInType],
      ["c", CANDIDATE_REASON.popular],
    ]);
  });

  it("only recommends catalog products, and ignores duplicate catalog entries", () => {
    const stats = createCoPurchaseStats();
    addOrder(stats, {
      id: "1",
      createdAt: SMALL_SHOP_NOW,
      lines: [
        { productId: "x", quantity: 1 },
        { productId: "deleted", quantity: 1 },
      ],
    });
    const built = buildSnapshot(
      stats,
      [
        { id: "x", title: "X" },
        { id: "y", title: "Y" },
        { id: "x", title: "X again" },
      ],
      { now: SMALL_SHOP_NOW }
    );
    expect(built.productIds).toEqual(["x", "y"]);
    expect(candidatesOf(built, "x").map((c) => c.id)).toEqual(["y"]);
  });

  it("has a version that depends on the content only", () => {
    const again = buildSnapshotFromOrders({ orders: smallShopOrders(), catalog: SMALL_SHOP_CATALOG, now: SMALL_SHOP_NOW });
    expect(again.version).toBe(snapshot.version);
    const more = buildSnapshotFromOrders({
      orders: [
        ...smallShopOrders(),
        {
          id: "extra",
          createdAt: SMALL_SHOP_NOW,
          lines: [
            { productId: "candle", quantity: 1 },
            { productId: "spoon", quantity: 1 },
          ],
        },
      ],
      catalog: SMALL_SHOP_CATALOG,
      now: SMALL_SHOP_NOW,
    });
    expect(more.version).not.toBe(snapshot.version);
  });

  it("is frozen", () => {
    expect(Object.isFrozen(snapshot)).toBe(true);
  });
});

describe("buildSnapshotSteps", () => {
  it("yields between pieces of work and ends with the snapshot buildSnapshot gives", () => {
    const stats = createCoPurchaseStats();
    for (const order of smallShopOrders()) addOrder(stats, order);
    // Enough products that every loop yields more than once.
    const catalog = [...SMALL_SHOP_CATALOG, ...Array.from({ length: 200 }, (_, n) => ({ id: `filler-${n}`, title: `Filler ${n % 7} tin` }))];
    const steps = buildSnapshotSteps(stats, catalog, { now: SMALL_SHOP_NOW });
    let pauses = 0;
    let step = steps.next();
    while (!step.done) {
      pauses += 1;
      step = steps.next();
    }
    expect(pauses).toBeGreaterThan(2 * Math.ceil(catalog.length / 32));
    const atOnce = buildSnapshot(stats, catalog, { now: SMALL_SHOP_NOW });
    expect(step.value.version).toBe(atOnce.version);
    expect(step.value).toEqual(atOnce);
  });
});

describe("bought together in N orders", () => {
  // Pairs are counted among a basket's top items by spend only (maxPairedItems); the count shown
  // to buyers must still be every order holding both.
  const day = 86_400_000;
  const line = (productId: string, unitPrice: number) => ({ productId, quantity: 1, unitPrice });
  const small = (id: string) => ({ id, createdAt: 10 * day, lines: [line("a", 100), line("b", 100)] });
  // a and b are this basket's cheapest lines: past the cap of 3, their pair is not counted here.
  const big = (id: string) => ({
    id,
    createdAt: 11 * day,
    lines: [line("a", 100), line("b", 100), line("x", 900), line("y", 800), line("z", 700)],
  });
  const catalog = ["a", "b", "x", "y", "z"].map((id) => ({ id, title: id }));
  const ordersShown = (snapshot: ReturnType<typeof buildSnapshot>, from: string, to: string) => {
    const position = snapshot.positions.get(from) ?? -1;
    for (let entry = snapshot.candidateOffsets[position] ?? 0; entry < (snapshot.candidateOffsets[position + 1] ?? 0); entry++) {
      if (snapshot.productIds[snapshot.candidates[entry] ?? 0] === to) {
        return { orders: snapshot.candidateOrders[entry], reason: snapshot.candidateReasons[entry] };
      }
    }
    return undefined;
  };

  it("counts every order holding both products, big baskets past the pair cap included, in builds, row refreshes and removals", () => {
    const stats = createCoPurchaseStats({ maxPairedItems: 3 });
    addOrder(stats, small("1"));
    addOrder(stats, big("2"));
    addOrder(stats, big("3"));
    const snapshot = buildSnapshot(stats, catalog, { now: 12 * day });
    expect(ordersShown(snapshot, "a", "b")).toEqual({ orders: 3, reason: CANDIDATE_REASON.boughtTogether });
    expect(ordersShown(snapshot, "b", "a")?.orders).toBe(3);
    expect(pairEvidence(stats, "a", "b", 12 * day).orders).toBe(3);

    addOrder(stats, big("4"));
    expect(ordersShown(refreshSnapshotRows(snapshot, stats, ["a"], { now: 12 * day }), "a", "b")?.orders).toBe(4);

    removeOrder(stats, big("2"));
    removeOrder(stats, big("never-added"));
    expect(pairEvidence(stats, "a", "b", 12 * day).orders).toBe(3);
    expect(ordersShown(buildSnapshot(stats, catalog, { now: 12 * day }), "a", "b")?.orders).toBe(3);
  });
});
