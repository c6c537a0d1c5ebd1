import { describe, expect, it } from "vitest";
import { buildSnapshot } from "./build-snapshot";
import { buildSnapshotFromOrders } from "./build-snapshot-from-orders";
import { addOrder, createCoPurchaseStats } from "./co-purchase-stats";
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
