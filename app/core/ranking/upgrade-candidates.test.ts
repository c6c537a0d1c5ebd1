import { describe, expect, it } from "vitest";
import { buildSnapshotFromOrders } from "./build-snapshot-from-orders";
import { SMALL_SHOP_CATALOG, SMALL_SHOP_NOW, smallShopOrders } from "./test-support/small-shop";
import { upgradeCandidates } from "./upgrade-candidates";

const snapshot = buildSnapshotFromOrders({ orders: smallShopOrders(), catalog: SMALL_SHOP_CATALOG, now: SMALL_SHOP_NOW });

describe("upgradeCandidates", () => {
  it("GIVEN a mug THEN the upgrade is a mug in a higher price band, not a similar-priced one", () => {
    const list = upgradeCandidates(snapshot, "mug-blue");
    expect(list.map((item) => item.productId)).toEqual(["mug-large"]);
    expect(list[0]!.reason).toMatchObject({ kind: "similar", toProductId: "mug-blue" });
  });

  it("respects the maximum price ratio and merchant exclusions", () => {
    expect(upgradeCandidates(snapshot, "mug-blue", { maxPriceRatio: 1.5 })).toEqual([]);
    expect(upgradeCandidates(snapshot, "mug-blue", { rules: { exclusions: { global: ["mug-large"] } } })).toEqual([]);
  });

  it("GIVEN the most expensive product of its type, or an unknown one THEN there is no upgrade", () => {
    expect(upgradeCandidates(snapshot, "mug-large")).toEqual([]);
    expect(upgradeCandidates(snapshot, "nope")).toEqual([]);
  });

  it("GIVEN same-type products with no similar words THEN the type's best sellers are offered (not called popular when nothing sold)", () => {
    const catalog = [
      { id: "a", title: "Alpha", productType: "Boards", price: 10_000 },
      { id: "b", title: "Bravo", productType: "Boards", price: 20_000 },
      { id: "c", title: "Charlie", productType: "Wax", price: 25_000 },
    ];
    const built = buildSnapshotFromOrders({
      orders: [],
      catalog,
      now: 0,
      engine: { snapshot: { content: { productTypeWeight: 0, priceBandWeight: 0 } } },
    });
    expect(upgradeCandidates(built, "a")).toEqual([
      { productId: "b", score: 0, reason: { kind: "same_type", productType: "Boards" } },
    ]);
  });
});
