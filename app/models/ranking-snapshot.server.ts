import db from "~/db.server";

/** How many built models to keep per shop (the newest serves; the rest allow a rollback). */
const KEEP_PER_SHOP = 2;

/**
 * A save that has not completed in this long was abandoned (its process stopped mid-write):
 * the next save removes it. Long enough that a save still running in another process is left be.
 */
const ABANDONED_AFTER_MS = 60 * 60_000;

export interface SnapshotRecord {
  version: string;
  builtAt: Date;
  orderCount: number;
  productCount: number;
}

/**
 * Stores a built model as its serialized text's parts (core/ranking serializeSnapshotSteps),
 * each in its own short statement with `between()` awaited after it, so a server saving a
 * large shop's megabytes keeps answering requests. The snapshot is found by
 * findLatestRankingSnapshot only once its last part is written: a save that fails half-way
 * serves nothing of itself, and the one before keeps serving.
 */
export async function saveRankingSnapshot(
  shopId: string,
  snapshot: SnapshotRecord,
  parts: readonly string[],
  between: () => Promise<void> = async () => {},
): Promise<void> {
  const { id } = await db.rankingSnapshot.create({ data: { shopId, ...snapshot, complete: false }, select: { id: true } });
  try {
    for (const [position, data] of parts.entries()) {
      await db.rankingSnapshotPart.create({ data: { snapshotId: id, position, data }, select: { id: true } });
      await between();
    }
  } catch (failure) {
    await db.rankingSnapshot.deleteMany({ where: { id } }).catch(() => {});
    throw failure;
  }
  await db.$transaction(async (tx) => {
    await tx.rankingSnapshot.update({ where: { id }, data: { complete: true }, select: { id: true } });
    const stale = await tx.rankingSnapshot.findMany({
      where: { shopId, complete: true },
      orderBy: [{ builtAt: "desc" }, { id: "desc" }],
      skip: KEEP_PER_SHOP,
      select: { id: true },
    });
    const abandoned = await tx.rankingSnapshot.findMany({
      where: { shopId, complete: false, createdAt: { lt: new Date(Date.now() - ABANDONED_AFTER_MS) } },
      select: { id: true },
    });
    const remove = [...stale, ...abandoned].map((row) => row.id);
    // The parts go with their snapshot (ON DELETE CASCADE).
    if (remove.length > 0) await tx.rankingSnapshot.deleteMany({ where: { shopId, id: { in: remove } } });
  });
}

/** When the shop's newest completely saved model was built (null: none), without reading its parts. */
export async function latestRankingSnapshotBuiltAt(shopId: string): Promise<Date | null> {
  const latest = await db.rankingSnapshot.findFirst({
    where: { shopId, complete: true },
    orderBy: [{ builtAt: "desc" }, { id: "desc" }],
    select: { builtAt: true },
  });
  return latest?.builtAt ?? null;
}

/** The shop's newest completely saved model with its serialized text, or null. */
export async function findLatestRankingSnapshot(shopId: string): Promise<(SnapshotRecord & { data: string }) | null> {
  for (;;) {
    const latest = await db.rankingSnapshot.findFirst({
      where: { shopId, complete: true },
      orderBy: [{ builtAt: "desc" }, { id: "desc" }],
      select: { id: true, version: true, builtAt: true, orderCount: true, productCount: true },
    });
    if (!latest) return null;
    const parts = await db.rankingSnapshotPart.findMany({ where: { snapshotId: latest.id }, orderBy: { position: "asc" }, select: { data: true } });
    // Parts go only with their snapshot, in one statement: if it is still there, they were all read.
    // Otherwise newer saves removed it between the two reads, and the newest is read instead.
    if ((await db.rankingSnapshot.count({ where: { id: latest.id } })) === 0) continue;
    const { id: _id, ...record } = latest;
    return { ...record, data: parts.map((part) => part.data).join("") };
  }
}

export async function loadRecommendationRules(shopId: string) {
  return db.recommendationRule.findMany({ where: { shopId }, orderBy: { id: "asc" } });
}
