import db from "~/db.server";

/** How many built models to keep per shop (the newest serves; the rest allow a rollback). */
const KEEP_PER_SHOP = 2;

export async function saveRankingSnapshot(
  shopId: string,
  snapshot: { version: string; builtAt: Date; orderCount: number; productCount: number; data: string },
): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.rankingSnapshot.create({ data: { shopId, ...snapshot } });
    const stale = await tx.rankingSnapshot.findMany({
      where: { shopId },
      orderBy: [{ builtAt: "desc" }, { id: "desc" }],
      skip: KEEP_PER_SHOP,
      select: { id: true },
    });
    if (stale.length > 0) await tx.rankingSnapshot.deleteMany({ where: { shopId, id: { in: stale.map((row) => row.id) } } });
  });
}

export function findLatestRankingSnapshot(shopId: string) {
  return db.rankingSnapshot.findFirst({ where: { shopId }, orderBy: [{ builtAt: "desc" }, { id: "desc" }] });
}

export async function loadRecommendationRules(shopId: string) {
  return db.recommendationRule.findMany({ where: { shopId }, orderBy: { id: "asc" } });
}
