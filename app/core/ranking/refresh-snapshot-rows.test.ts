import { describe, expect, it } from "vitest";
import { buildSnapshot } from "./build-snapshot";
import { addOrder, createCoPurchaseStats } from "./co-purchase-stats";
import { CANDIDATE_REASON, type RankingSnapshot } from "./ranking-snapshot";
import { refreshSnapshotRows } from "./refresh-snapshot-rows";
import { SMALL_SHOP_CATALOG, SMALL_SHOP_NOW, smallShopOrders } from "./test-support/small-shop";

function row(snapshot: RankingSnapshot, id: string) {
  const position = snapshot.positions.get(id) ?? -1;
  const start = snapshot.candidateOffsets[position] ?? 0;
  const end = snapshot.candidateOffsets[position + 1] ?? 0;
  return Array.from(snapshot.candidates.subarray(start, end), (candidate, i) => ({
    id: snapshot.productIds[candidate],
    score: snapshot.candidateScores[start + i],
    orders: snapshot.candidateOrders[start + i],
    reason: snapshot.candidateReasons[start + i],
  }));
}

function statsOf(orders = smallShopOrders()) {
  const stats = createCoPurchaseStats();
  for (const order of orders) addOrder(stats, order);
  return stats;
}

describe("refreshSnapshotRows", () => {
  it("GIVEN unchanged statistics THEN refreshing every row reproduces the full build exactly", () => {
    const stats = statsOf();
    const built = buildSnapshot(stats, SMALL_SHOP_CATALOG, {
      now: SMALL_SHOP_NOW,
    });
    const refreshed = refreshSnapshotRows(built, stats, built.productIds, {
      now: SMALL_SHOP_NOW,
    });
    expect(Array.from(refreshed.candidateOffsets)).toEqual(Array.from(built.candidateOffsets));
    expect(Array.from(refreshed.candidates)).toEqual(Array.from(built.candidates));
    expect(Array.from(refreshed.candidateScores)).toEqual(Array.from(built.candidateScores));
    expect(Array.from(refreshed.candidateReasons)).toEqual(Array.from(built.candidateReasons));
    expect(refreshed.version).toBe(built.version);
  });

  it("GIVEN new orders pairing two products THEN their rows learn it at once, matching a full rebuild, and other rows stay shared", () => {
    const stats = statsOf();
    const before = buildSnapshot(stats, SMALL_SHOP_CATALOG, {
      now: SMALL_SHOP_NOW,
    });
    expect(row(before, "candle").find((c) => c.id === "candle-tall")?.reason).not.toBe(CANDIDATE_REASON.boughtTogether);
    const newOrders = [1, 2, 3].map((n) => ({
      id: `new-${n}`,
      createdAt: SMALL_SHOP_NOW,
      lines: [
        { productId: "candle", quantity: 1 },
        { productId: "spoon", quantity: 1 },
      ],
    }));
    for (const order of newOrders) addOrder(stats, order);
    const after = refreshSnapshotRows(before, stats, ["candle", "spoon", "not-in-catalog"], { now: SMALL_SHOP_NOW });

    expect(after.version).not.toBe(before.version);
    expect(after.orderCount).toBe(before.orderCount + 3);
    expect(row(after, "candle")[0]).toMatchObject({
      id: "spoon",
      orders: 3,
      reason: CANDIDATE_REASON.boughtTogether,
    });
    expect(row(after, "spoon").find((c) => c.id === "candle")).toMatchObject({
      orders: 3,
      reason: CANDIDATE_REASON.boughtTogether,
    });
    // The co-purchase part of a refreshed row is what a full rebuild computes.
    const rebuilt = buildSnapshot(stats, SMALL_SHOP_CATALOG, {
      now: SMALL_SHOP_NOW,
    });
    const boughtTogether = (snapshot: RankingSnapshot, id: string) =>
      row(snapshot, id).filter((c) => c.reason === CANDIDATE_REASON.boughtTogether);
    expect(boughtTogether(after, "candle")).toEqual(boughtTogether(rebuilt, "candle"));
    expect(boughtTogether(after, "spoon")).toEqual(boughtTogether(rebuilt, "spoon"));
    // Untouched products keep their rows.
    expect(row(after, "mug-blue")).toEqual(row(before, "mug-blue"));
    expect(before.candidates.length).toBeGreaterThan(0);
  });

  it("returns the same snapshot when no refreshed product is in the catalog", () => {
    const stats = statsOf();
    const built = buildSnapshot(stats, SMALL_SHOP_CATALOG, {
      now: SMALL_SHOP_NOW,
    });
    expect(refreshSnapshotRows(built, stats, ["nope"], { now: SMALL_SHOP_NOW })).toBe(built);
  });
});
