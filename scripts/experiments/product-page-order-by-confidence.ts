/**
 * EXPERIMENT, not used by the engine: does the product-page gap come from *where* the engine puts
 * its hits rather than *which* products it shows? The engine's Recall@10 beats raw co-occurrence
 * by more than its NDCG@10 does, so its hits may sit low on the page. Measured on the three splits
 * (docs/benchmarks-ranking.md, "round 8"):
 *
 * - oracle: the engine's top 10 (or top 20) with its hits moved first, an upper bound for any
 *   reordering of that list;
 * - the engine's top M (10, 12, 15, 20) sorted by decayed co-purchase confidence with the anchor,
 *   first 10 kept (M = 10 reorders the page without changing what is on it);
 * - a rank blend over the engine's top 20: λ · engine rank + (1 − λ) · confidence rank.
 *
 * Confidence weights each training basket holding the anchor by its decay (half-life 60 or 90 d)
 * times 1/√(distinct items) or 1.
 *
 *   npx tsx scripts/experiments/product-page-order-by-confidence.ts   # about 1 min
 */
import { MeanAccumulator, ndcgAtK } from "~/core/ranking/evaluation/metrics";
import type { ProductId } from "~/core/ranking/types";
import { readOrderFile } from "~/services/order-files";
import { cooccurrenceNdcg, coPurchaseWeights, engineProductPages, productPageSplits } from "./product-page-splits";

const FILE = process.argv[2] ?? "../shared/data/online-retail/online-retail-2010-12_2011-08.csv";
const DAY_MS = 86_400_000;
const K = 10;
const POOL = 20;

const percent = (value: number, base: number) => `${value >= base ? "+" : ""}${((value / base - 1) * 100).toFixed(1)}%`;

type Reorder = (anchor: ProductId, engineList: readonly ProductId[]) => readonly ProductId[];

const parsed = await readOrderFile(FILE, { format: "uci" });
for (const split of productPageSplits(parsed)) {
  const { name, train, now, pdp, popularity } = split;
  const baseline = cooccurrenceNdcg(split, K);
  const engineList = engineProductPages(split, POOL);

  const weightsOf = coPurchaseWeights(train);
  const confidenceFor = (halfLifeDays: number, weight: (n: number) => number) => {
    const cache = new Map<ProductId, Map<ProductId, number>>();
    return (anchor: ProductId) => {
      let scores = cache.get(anchor);
      if (!scores) {
        scores = weightsOf(anchor, (basket) => 0.5 ** ((now - basket.time) / (halfLifeDays * DAY_MS)) * weight(basket.items.length));
        cache.set(anchor, scores);
      }
      return scores;
    };
  };

  // Stable sort by confidence: ties keep the engine's order.
  const byConfidence = (confidence: ReturnType<typeof confidenceFor>, pool: number): Reorder => (anchor, list) => {
    const scores = confidence(anchor);
    return list.slice(0, pool).map((id, rank) => ({ id, rank, score: scores.get(id) ?? 0 }))
      .sort((a, b) => b.score - a.score || a.rank - b.rank).map(({ id }) => id);
  };
  const blend = (confidence: ReturnType<typeof confidenceFor>, lambda: number): Reorder => (anchor, list) => {
    const confidenceRank = new Map(byConfidence(confidence, POOL)(anchor, list).map((id, rank) => [id, rank]));
    return list.map((id, rank) => ({ id, rank, combined: lambda * rank + (1 - lambda) * (confidenceRank.get(id) ?? POOL) }))
      .sort((a, b) => a.combined - b.combined || a.rank - b.rank).map(({ id }) => id);
  };

  const variants: [string, Reorder][] = [["engine as served", (_, list) => list]];
  const weights = { "1/sqrt(n)": (n: number) => 1 / Math.sqrt(n), "1": () => 1 };
  for (const halfLifeDays of [60, 90]) {
    for (const [label, weight] of Object.entries(weights)) {
      if (label === "1" && halfLifeDays !== 90) continue;
      const confidence = confidenceFor(halfLifeDays, weight);
      const tag = `${label}, ${halfLifeDays} d`;
      for (const pool of [10, 12, 15, 20]) variants.push([`top ${pool} by confidence (${tag})`, byConfidence(confidence, pool)]);
      for (const lambda of [0.3, 0.5, 0.7]) variants.push([`blend λ=${lambda} (${tag})`, blend(confidence, lambda)]);
    }
  }

  const topSellers = [...popularity].sort((a, b) => b[1] - a[1]).map(([id]) => id);
  const best = new Set(topSellers.slice(0, Math.ceil(topSellers.length * 0.01)));
  const lines: string[] = [];

  for (const pool of [K, POOL]) {
    const oracle = new MeanAccumulator();
    for (const query of pdp) {
      const list = engineList(query.anchor).slice(0, pool);
      const hits = list.filter((id) => query.targets.has(id));
      oracle.add(ndcgAtK([...hits, ...list.filter((id) => !query.targets.has(id))], query.targets, K));
    }
    lines.push(`oracle, hits of the engine's top ${pool} first: ${oracle.mean.toFixed(4)} (${percent(oracle.mean, baseline)})`);
  }
  for (const [label, reorder] of variants) {
    const mean = new MeanAccumulator();
    for (const query of pdp) mean.add(ndcgAtK(reorder(query.anchor, engineList(query.anchor)).slice(0, K), query.targets, K));
    // Best-seller share over every sold product's page, as `eval:ranking` measures it.
    let slots = 0, popular = 0;
    for (const anchor of topSellers) {
      const page = reorder(anchor, engineList(anchor)).slice(0, K);
      slots += page.length;
      popular += page.filter((id) => best.has(id)).length;
    }
    lines.push(`${label}: ${mean.mean.toFixed(4)} (${percent(mean.mean, baseline)}), best-seller share ${(popular / slots * 100).toFixed(0)}%`);
  }
  console.log(`${name}: raw co-occurrence ${baseline.toFixed(4)}\n  ${lines.join("\n  ")}`);
}
