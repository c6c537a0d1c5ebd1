import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildSnapshotFromOrders } from "./build-snapshot-from-orders";
import { recommendForCart, recommendForProduct } from "./recommend";
import {
  decodeBase64,
  deserializeSnapshot,
  encodeBase64,
  serializeSnapshot,
  SnapshotFormatError,
} from "./snapshot-serialization";
import { SMALL_SHOP_CATALOG, SMALL_SHOP_NOW, smallShopOrders } from "./test-support/small-shop";
import { upgradeCandidates } from "./upgrade-candidates";

const snapshot = buildSnapshotFromOrders({ orders: smallShopOrders(), catalog: SMALL_SHOP_CATALOG, now: SMALL_SHOP_NOW });

describe("snapshot serialisation", () => {
  it("GIVEN a serialised snapshot WHEN loaded THEN it answers every query exactly as the original", () => {
    const loaded = deserializeSnapshot(serializeSnapshot(snapshot));
    expect(loaded.version).toBe(snapshot.version);
    for (const product of SMALL_SHOP_CATALOG) {
      expect(recommendForProduct(loaded, product.id, { limit: 10 })).toEqual(
        recommendForProduct(snapshot, product.id, { limit: 10 })
      );
      expect(upgradeCandidates(loaded, product.id)).toEqual(upgradeCandidates(snapshot, product.id));
    }
    expect(recommendForCart(loaded, ["mug-blue", "spoon"])).toEqual(recommendForCart(snapshot, ["mug-blue", "spoon"]));
    expect(Array.from(loaded.candidateScores)).toEqual(Array.from(snapshot.candidateScores));
  });

  it("produces JSON", () => {
    expect(() => JSON.parse(serializeSnapshot(snapshot))).not.toThrow();
  });

  it("rejects text it did not write", () => {
    expect(() => deserializeSnapshot("not json")).toThrow(SnapshotFormatError);
    expect(() => deserializeSnapshot(JSON.stringify({ format: "something else" }))).toThrow(SnapshotFormatError);
    const data = JSON.parse(serializeSnapshot(snapshot)) as { productIds: string[] };
    data.productIds.pop();
    expect(() => deserializeSnapshot(JSON.stringify(data))).toThrow(/do not agree/);
  });

  it("PROPERTY: base64 round-trips any bytes and matches Node's encoder", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const encoded = encodeBase64(bytes);
        expect(encoded).toBe(Buffer.from(bytes).toString("base64"));
        expect(Array.from(decodeBase64(encoded))).toEqual(Array.from(bytes));
      })
    );
  });
});
