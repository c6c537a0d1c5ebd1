import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildSnapshotFromOrders } from "./build-snapshot-from-orders";
import { recommendForCart, recommendForProduct } from "./recommend";
import {
  decodeBase64,
  deserializeSnapshot,
  encodeBase64,
  serializeSnapshot,
  serializeSnapshotSteps,
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

  it("writes each typed array as the base64 of its bytes beside the plain fields", () => {
    const data = JSON.parse(serializeSnapshot(snapshot)) as Record<string, unknown> & { arrays: Record<string, string> };
    const { format, version, builtAt, orderCount, productIds, titles, productTypes } = snapshot;
    expect(data).toMatchObject({ format, version, builtAt, orderCount, productIds, titles, productTypes });
    const bytesOf = (array: ArrayBufferView) => Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString("base64");
    expect(data.arrays.candidates).toBe(bytesOf(snapshot.candidates));
    expect(data.arrays.prices).toBe(bytesOf(snapshot.prices));
    expect(data.arrays.similarScores).toBe(bytesOf(snapshot.similarScores));
    expect(Object.keys(data.arrays)).toHaveLength(15);
  });

  it("GIVEN any part size THEN the parts are that long (the last no longer) and join into the whole text", () => {
    const whole = serializeSnapshot(snapshot);
    for (const partChars of [1, 4, 7, 64, 1000, whole.length + 1]) {
      const steps = serializeSnapshotSteps(snapshot, partChars);
      let yields = 0;
      let step = steps.next();
      for (; !step.done; step = steps.next()) yields += 1;
      const parts = step.value;
      expect(parts.join("")).toBe(whole);
      expect(parts.slice(0, -1).every((part) => part.length === partChars)).toBe(true);
      expect(parts.at(-1)?.length).toBeLessThanOrEqual(partChars);
      expect(parts.length).toBe(Math.ceil(whole.length / partChars));
      // It hands control back as parts complete; a text that fits one part needs no pause.
      if (partChars <= 64) expect(yields).toBeGreaterThan(10);
      if (partChars > whole.length) expect(yields).toBe(0);
    }
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
