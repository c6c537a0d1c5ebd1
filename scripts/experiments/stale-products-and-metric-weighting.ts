/**
 * EXPERIMENT, not used by the engine: two more explanations of the product-page NDCG@10 gap,
 * measured on the three splits (docs/benchmarks-ranking.md, "round 7").
 *
 * 1. Stale products: does the engine spend product-page slots on products that stopped selling
 *    (on a live shop they would be unpublished or out of stock, which the serve-time rules drop)?
 *    Prints the share of targets and of slots not sold in the last D days of training, and
 *    NDCG@10 when such products are moved behind the others.
 * 2. Weighting training baskets for the metric: ranking by the sum over training baskets of
 *    decay / IDCG(min(10, n - 1)) maximises the expected NDCG@10 if the test baskets were drawn
 *    from the training ones. Compared with 1/sqrt(n) and 1 per basket, at several half-lives.
 *
 *   npx tsx scripts/experiments/stale-products-and-metric-weighting.ts   # about 6.5 min
 */
import { buildCooccurrenceMatrix, itemItemBaseline } from "~/core/ranking/evaluation/baseline-item-item";
import { MeanAccumulator, ndcgAtK } from "~/core/ranking/evaluation/metrics";
import { upshelfModel } from "~/core/ranking/evaluation/upshelf-model";
import type { ProductId } from "~/core/ranking/types";
import { readOrderFile } from "~/services/order-files";
import { coPurchaseWeights, productPageSplits } from "./product-page-splits";

const FILE = process.argv[2] ?? "../shared/data/online-retail/online-retail-2010-12_2011-08.csv";
const DAY_MS = 86_400_000;
const K = 10;

function idealDcg(targets: number): number {
  let sum = 0;
  for (let rank = 0; rank < Math.min(K, targets); rank++) sum += 1 / Math.log2(rank + 2);
  return sum;
}

const percent = (value: number, base: number) => `${((value / base - 1) * 100).toFixed(1)}%`;

const parsed = await readOrderFile(FILE, { format: "uci" });
for (const { name, train, now, sold, catalog, pdp, popularity } of productPageSplits(parsed)) {
  const cooccurrence = itemItemBaseline(buildCooccurrenceMatrix(train, [...sold]), "cooccurrence");
  const baseline = new MeanAccumulator();
  for (const query of pdp) baseline.add(ndcgAtK(cooccurrence.recommend([query.anchor], K), query.targets, K));
  const lines: string[] = [];

  // 1. Stale products.
  const lastSold = new Map<ProductId, number>();
  for (const order of train) for (const line of order.lines) lastSold.set(line.productId, Math.max(lastSold.get(line.productId) ?? 0, order.createdAt));
  const engine = upshelfModel(train, catalog, now);
  const lists = pdp.map((query) => engine.recommend([query.anchor], 40));
  for (const days of [14, 30, 60, 90]) {
    const stale = (id: ProductId) => now - (lastSold.get(id) ?? 0) > days * DAY_MS;
    let targets = 0, staleTargets = 0, slots = 0, staleSlots = 0;
    const demoted = new MeanAccumulator();
    pdp.forEach((query, index) => {
      const list = lists[index] ?? [];
      for (const target of query.targets) { targets += 1; if (stale(target)) staleTargets += 1; }
      const page = list.slice(0, K);
      slots += page.length; staleSlots += page.filter(stale).length;
      demoted.add(ndcgAtK([...list.filter((id) => !stale(id)), ...list.filter(stale)].slice(0, K), query.targets, K));
    });
    lines.push(`not sold for ${days} d: ${(staleTargets / targets * 100).toFixed(1)}% of targets, ${(staleSlots / slots * 100).toFixed(1)}% of engine slots; moved behind: ${demoted.mean.toFixed(4)} (${percent(demoted.mean, baseline.mean)})`);
  }

  // 2. Basket weights for the metric (raw confidence: every anchor's weighted counts, no damping).
  const weightsOf = coPurchaseWeights(train);
  const topSellers = [...popularity].sort((a, b) => b[1] - a[1]).map(([id]) => id);
  const best = new Set(topSellers.slice(0, Math.ceil(topSellers.length * 0.01)));
  const maxPopularity = popularity.get(topSellers[0] ?? "") ?? 1;
  const weightings = { "1/IDCG": (n: number) => 1 / idealDcg(n - 1), "1/sqrt(n)": (n: number) => 1 / Math.sqrt(n), "1": () => 1 };
  for (const halfLifeDays of [Infinity, 90, 60, 30]) {
    for (const [label, weight] of Object.entries(weightings)) {
      const rank = (anchor: ProductId) => {
        const scores = weightsOf(anchor, (basket) => {
          const decay = halfLifeDays === Infinity ? 1 : 0.5 ** ((now - basket.time) / (halfLifeDays * DAY_MS));
          return decay * weight(basket.items.length);
        });
        // Ties (and nothing else) go to the better seller, as in the baselines.
        return [...scores].map(([id, score]) => [id, score + (1e-6 * (popularity.get(id) ?? 0)) / maxPopularity] as const)
          .sort((a, b) => b[1] - a[1]).slice(0, K).map(([id]) => id);
      };
      const mean = new MeanAccumulator();
      for (const query of pdp) mean.add(ndcgAtK(rank(query.anchor), query.targets, K));
      // Best-seller share over every sold product's page, as `eval:ranking` measures it.
      let slots = 0, popular = 0;
      for (const anchor of topSellers) { const page = rank(anchor); slots += page.length; popular += page.filter((id) => best.has(id)).length; }
      lines.push(`weight ${label}, half-life ${halfLifeDays} d: ${mean.mean.toFixed(4)} (${percent(mean.mean, baseline.mean)}), best-seller share ${(popular / slots * 100).toFixed(0)}%`);
    }
  }
  console.log(`${name}: raw co-occurrence ${baseline.mean.toFixed(4)}\n  ${lines.join("\n  ")}`);
}
