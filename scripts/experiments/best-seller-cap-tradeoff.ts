/**
 * EXPERIMENT, not used by the engine: how much of the product-page NDCG@10 gap is best-seller
 * share? Ranks each split's product pages with the engine at several best-seller dampings
 * (asymmetric-cosine alpha) and keeps at most m of the top 1% best sellers per page, printing
 * NDCG@10 against raw co-occurrence and the share of slots the best sellers take.
 * Figures: docs/benchmarks-ranking.md ("round 5").
 *
 *   npx tsx scripts/experiments/best-seller-cap-tradeoff.ts
 */
import { buildCooccurrenceMatrix, itemItemBaseline } from "~/core/ranking/evaluation/baseline-item-item";
import { MeanAccumulator, ndcgAtK } from "~/core/ranking/evaluation/metrics";
import { upshelfModel } from "~/core/ranking/evaluation/upshelf-model";
import { readOrderFile } from "~/services/order-files";
import { productPageSplits } from "./product-page-splits";

const FILE = process.argv[2] ?? "../shared/data/online-retail/online-retail-2010-12_2011-08.csv";
const parsed = await readOrderFile(FILE, { format: "uci" });
for (const { name: split, train, now, sold, catalog, pdp, popularity } of productPageSplits(parsed)) {
  const ranked = [...popularity].sort((x, y) => y[1] - x[1]).map(([id]) => id);
  const best = new Set(ranked.slice(0, Math.ceil(ranked.length * 0.01)));
  const cooc = itemItemBaseline(buildCooccurrenceMatrix(train, [...sold]), "cooccurrence");
  const base = new MeanAccumulator();
  for (const q of pdp) base.add(ndcgAtK(cooc.recommend([q.anchor], 10), q.targets, 10));
  const sim = (alpha: number) => ({ snapshot: { similarity: { measure: "asymmetric_cosine" as const, shrink: 0.5, alpha } } });
  const variants = {
    up: upshelfModel(train, catalog, now),
    a1: upshelfModel(train, catalog, now, sim(1)),
    a1nocap60: upshelfModel(train, catalog, now, { ...sim(1), coPurchase: { maxPairedItems: 1e9, halfLifeDays: 60 } }),
    a85: upshelfModel(train, catalog, now, sim(0.85)),
  };
  const out: string[] = [];
  for (const [name, model] of Object.entries(variants)) {
    for (const m of [2, 3, 4, 10]) {
      const mean = new MeanAccumulator();
      for (const q of pdp) {
        const list = model.recommend([q.anchor], 40);
        let used = 0;
        const page = list.filter((id) => !best.has(id) || ++used <= m).slice(0, 10);
        mean.add(ndcgAtK(page, q.targets, 10));
      }
      let slots = 0, popular = 0;
      for (const a of ranked) {
        const list = model.recommend([a], 40);
        let used = 0;
        const page = list.filter((id) => !best.has(id) || ++used <= m).slice(0, 10);
        slots += page.length; popular += page.filter((id) => best.has(id)).length;
      }
      out.push(`${name} cap${m}: ${mean.mean.toFixed(4)} (${((mean.mean / base.mean - 1) * 100).toFixed(1)}%) share ${(popular / slots).toFixed(3)}`);
    }
  }
  console.log(split, "cooc", base.mean.toFixed(4), "\n  " + out.join("\n  "));
}
