/**
 * EXPERIMENT, not used by the engine: does recency *per anchor* close the product-page gap?
 * The engine decays every basket by its age (half-life 90 days), so a best-selling anchor and one
 * sold twice a month are judged over the same calendar window. Here a product page is judged by its
 * anchor's own last N baskets instead, whatever their age: a best seller's page follows its last
 * few weeks, a slow seller's page keeps its whole history. Measured on the three splits
 * (docs/benchmarks-ranking.md, "round 9"):
 *
 * - alone: Σ over the anchor's last N baskets of 1/√(distinct items), divided by pop(b)^β
 *   (decayed orders of the candidate, β damps best sellers as the engine's α does);
 * - blended with the engine: λ · engine rank + (1 − λ) · recent-basket rank over the engine's top 20
 *   and the recent-basket top 20.
 *
 *   npx tsx scripts/experiments/anchor-recent-baskets.ts   # about 2 min
 */
import { MeanAccumulator, ndcgAtK } from "~/core/ranking/evaluation/metrics";
import type { ProductId } from "~/core/ranking/types";
import { readOrderFile } from "~/services/order-files";
import { cooccurrenceNdcg, engineProductPages, productPageSplits, type TrainingBasket } from "./product-page-splits";

const FILE = process.argv[2] ?? "../shared/data/online-retail/online-retail-2010-12_2011-08.csv";
const DAY_MS = 86_400_000;
const K = 10;
const POOL = 20;

const percent = (value: number, base: number) => `${value >= base ? "+" : ""}${((value / base - 1) * 100).toFixed(1)}%`;

type Page = (anchor: ProductId) => readonly ProductId[];

const parsed = await readOrderFile(FILE, { format: "uci" });
for (const split of productPageSplits(parsed)) {
  const { name, train, now, pdp, popularity } = split;
  const baseline = cooccurrenceNdcg(split, K);
  const engineList = engineProductPages(split, POOL);

  // Each product's training baskets, newest first.
  const basketsWith = new Map<ProductId, TrainingBasket[]>();
  const decayedOrders = new Map<ProductId, number>();
  for (const order of train) {
    if (order.cancelled) continue;
    const basket = { time: order.createdAt, items: [...new Set(order.lines.map((line) => line.productId))] };
    const decay = 0.5 ** ((now - basket.time) / (90 * DAY_MS));
    for (const id of basket.items) {
      const list = basketsWith.get(id);
      if (list) list.push(basket);
      else basketsWith.set(id, [basket]);
      decayedOrders.set(id, (decayedOrders.get(id) ?? 0) + decay);
    }
  }
  for (const list of basketsWith.values()) list.sort((a, b) => b.time - a.time);

  const recentBaskets = (lastN: number, beta: number): Page => {
    const cache = new Map<ProductId, readonly ProductId[]>();
    return (anchor) => {
      let page = cache.get(anchor);
      if (page) return page;
      const scores = new Map<ProductId, number>();
      for (const basket of (basketsWith.get(anchor) ?? []).slice(0, lastN)) {
        const weight = 1 / Math.sqrt(basket.items.length);
        for (const id of basket.items) if (id !== anchor) scores.set(id, (scores.get(id) ?? 0) + weight);
      }
      // Ties (and a short list) fall back to the engine's order.
      const engineRank = new Map(engineList(anchor).map((id, rank) => [id, rank]));
      page = [...scores]
        .map(([id, score]) => ({ id, score: score / (decayedOrders.get(id) ?? 1) ** beta, rank: engineRank.get(id) ?? POOL }))
        .sort((a, b) => b.score - a.score || a.rank - b.rank)
        .map(({ id }) => id)
        .slice(0, POOL);
      for (const id of engineList(anchor)) if (page.length < POOL && !page.includes(id)) page = [...page, id];
      cache.set(anchor, page);
      return page;
    };
  };
  const blend = (other: Page, lambda: number): Page => (anchor) => {
    const engineRank = new Map(engineList(anchor).map((id, rank) => [id, rank]));
    const otherRank = new Map(other(anchor).map((id, rank) => [id, rank]));
    return [...new Set([...engineRank.keys(), ...otherRank.keys()])]
      .map((id) => ({ id, combined: lambda * (engineRank.get(id) ?? POOL) + (1 - lambda) * (otherRank.get(id) ?? POOL), rank: engineRank.get(id) ?? POOL }))
      .sort((a, b) => a.combined - b.combined || a.rank - b.rank)
      .map(({ id }) => id);
  };

  const variants: [string, Page][] = [["engine as served", engineList]];
  for (const lastN of [10, 25, 50, 100, 200]) {
    for (const beta of [0, 0.3, 0.5]) {
      const alone = recentBaskets(lastN, beta);
      variants.push([`last ${lastN} baskets, β=${beta}`, alone]);
      for (const lambda of [0.5, 0.7]) variants.push([`  blend λ=${lambda}`, blend(alone, lambda)]);
    }
  }

  const topSellers = [...popularity].sort((a, b) => b[1] - a[1]).map(([id]) => id);
  const best = new Set(topSellers.slice(0, Math.ceil(topSellers.length * 0.01)));
  const lines: string[] = [];
  for (const [label, page] of variants) {
    const mean = new MeanAccumulator();
    for (const query of pdp) mean.add(ndcgAtK(page(query.anchor).slice(0, K), query.targets, K));
    // Best-seller share over every sold product's page, as `eval:ranking` measures it.
    let slots = 0, popular = 0;
    for (const anchor of topSellers) {
      const shown = page(anchor).slice(0, K);
      slots += shown.length;
      popular += shown.filter((id) => best.has(id)).length;
    }
    lines.push(`${label}: ${mean.mean.toFixed(4)} (${percent(mean.mean, baseline)}), best-seller share ${(popular / slots * 100).toFixed(0)}%`);
  }
  console.log(`${name}: raw co-occurrence ${baseline.toFixed(4)}\n  ${lines.join("\n  ")}`);
}
