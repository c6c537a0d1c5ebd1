import { describe, expect, it } from "vitest";
import db from "~/db.server";
import { createTestShop } from "../../tests/factories/shop";
import { findLatestRankingSnapshot, saveRankingSnapshot, type SnapshotRecord } from "./ranking-snapshot.server";

const HOUR = 3_600_000;

function record(version: string, builtAt: number): SnapshotRecord {
  return { version, builtAt: new Date(builtAt), orderCount: 3, productCount: 2 };
}

describe("saving a ranking snapshot in parts", () => {
  it("GIVEN a text in parts THEN the newest complete snapshot reads back whole, with a pause after every part", async () => {
    const shop = await createTestShop();
    let pauses = 0;
    await saveRankingSnapshot(shop.id, record("v1", 1_000), ['{"a":', '"bc"', "}"], async () => {
      pauses += 1;
    });
    expect(pauses).toBe(3);
    expect(await findLatestRankingSnapshot(shop.id)).toEqual({ ...record("v1", 1_000), data: '{"a":"bc"}' });
  });

  it("GIVEN a save that fails half-way THEN nothing of it remains and the snapshot before keeps serving", async () => {
    const shop = await createTestShop();
    await saveRankingSnapshot(shop.id, record("old", 1_000), ["old text"]);
    let written = 0;
    const failing = saveRankingSnapshot(shop.id, record("new", 2_000), ["new ", "text"], async () => {
      written += 1;
      // While the new snapshot is half written, the old one is what a load finds.
      expect((await findLatestRankingSnapshot(shop.id))?.data).toBe("old text");
      if (written === 1) throw new Error("the process stopped");
    });
    await expect(failing).rejects.toThrow("the process stopped");
    expect((await findLatestRankingSnapshot(shop.id))?.version).toBe("old");
    expect(await db.rankingSnapshot.count({ where: { shopId: shop.id } })).toBe(1);
    expect(await db.rankingSnapshotPart.count({ where: { snapshot: { shopId: shop.id } } })).toBe(1);
  });

  it("keeps the two newest complete snapshots, drops older ones and saves abandoned an hour ago, with their parts", async () => {
    const shop = await createTestShop();
    const other = await createTestShop();
    await saveRankingSnapshot(other.id, record("other", 500), ["other shop"]);
    // Left incomplete by a process that stopped: one long ago, one that may still be writing.
    const abandoned = await db.rankingSnapshot.create({
      data: { shopId: shop.id, ...record("abandoned", 900), createdAt: new Date(Date.now() - 2 * HOUR), parts: { create: [{ position: 0, data: "half" }] } },
    });
    const writing = await db.rankingSnapshot.create({ data: { shopId: shop.id, ...record("writing", 950), parts: { create: [{ position: 0, data: "still" }] } } });
    for (const [version, builtAt] of [["v1", 1_000], ["v2", 2_000], ["v3", 3_000]] as const) {
      await saveRankingSnapshot(shop.id, record(version, builtAt), [`${version} `, "text"]);
    }
    const left = await db.rankingSnapshot.findMany({ where: { shopId: shop.id }, orderBy: { id: "asc" }, select: { version: true } });
    expect(left.map((row) => row.version)).toEqual(["writing", "v2", "v3"]);
    expect(await db.rankingSnapshotPart.count({ where: { snapshotId: abandoned.id } })).toBe(0);
    expect(await db.rankingSnapshotPart.count({ where: { snapshotId: writing.id } })).toBe(1);
    expect((await findLatestRankingSnapshot(shop.id))?.data).toBe("v3 text");
    expect((await findLatestRankingSnapshot(other.id))?.data).toBe("other shop");
  });

  it("finds nothing for a shop whose only snapshot is still being written", async () => {
    const shop = await createTestShop();
    await db.rankingSnapshot.create({ data: { shopId: shop.id, ...record("writing", 1_000), parts: { create: [{ position: 0, data: "{}" }] } } });
    expect(await findLatestRankingSnapshot(shop.id)).toBeNull();
  });
});
