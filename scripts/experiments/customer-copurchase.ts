/**
 * EXPERIMENT, not used by the engine: does "bought by the same customer, in any of their orders"
 * add product-page signal to "bought in the same order"? Reads UCI CustomerID (the engine's orders
 * carry no customer), counts customer-level pairs (1/sqrt(products) per customer with two or more
 * orders) and ranks product pages by basket counts + lambda x customer counts.
 * Figures: docs/benchmarks-ranking.md ("round 5").
 *
 *   npx tsx scripts/experiments/customer-copurchase.ts
 */
import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { buildCooccurrenceMatrix, itemItemBaseline } from "~/core/ranking/evaluation/baseline-item-item";
import type { PdpQuery } from "~/core/ranking/evaluation/evaluation-queries";
import { MeanAccumulator, ndcgAtK } from "~/core/ranking/evaluation/metrics";
import { upshelfModel } from "~/core/ranking/evaluation/upshelf-model";
import type { Order, ProductId } from "~/core/ranking/types";
import { readOrderFile } from "~/services/order-files";
import { productPageSplits } from "./product-page-splits";

const FILE = process.argv[2] ?? "../shared/data/online-retail/online-retail-2010-12_2011-08.csv";
const K = 10;
const rows = parse(readFileSync(FILE), { columns: true }) as Record<string, string>[];
const customerOf = new Map<string, string>();
for (const row of rows) if (row.CustomerID) customerOf.set(row.InvoiceNo ?? "", row.CustomerID);
const parsed = await readOrderFile(FILE, { format: "uci" });
console.log(`orders ${parsed.orders.length}, with customer ${parsed.orders.filter((o) => customerOf.has(o.id)).length}`);

type Pairs = Map<ProductId, Map<ProductId, number>>;
function addPairs(pairs: Pairs, items: readonly ProductId[], w: number) {
  for (const a of items) {
    let row = pairs.get(a);
    if (!row) pairs.set(a, (row = new Map()));
    for (const b of items) if (a !== b) row.set(b, (row.get(b) ?? 0) + w);
  }
}

function meanNdcg(pdp: readonly PdpQuery[], rank: (q: PdpQuery) => readonly ProductId[]): number {
  const mean = new MeanAccumulator();
  for (const q of pdp) mean.add(ndcgAtK(rank(q), q.targets, K));
  return mean.mean;
}

for (const { name: split, train, now, sold, catalog, pdp, popularity } of productPageSplits(parsed)) {
  const basket: Pairs = new Map();
  const byCustomer = new Map<string, Order[]>();
  for (const o of train) {
    addPairs(basket, [...new Set(o.lines.map((l) => l.productId))], 1);
    const c = customerOf.get(o.id);
    if (c) byCustomer.set(c, [...(byCustomer.get(c) ?? []), o]);
  }
  // Customer-level pairs: distinct products over all the customer's orders, pairs not in the same order only.
  const customer: Pairs = new Map();
  let work = 0;
  for (const orders of byCustomer.values()) {
    if (orders.length < 2) continue;
    const all = [...new Set(orders.flatMap((o) => o.lines.map((l) => l.productId)))];
    work += all.length * all.length;
    addPairs(customer, all, 1 / Math.sqrt(all.length));
  }
  const cooc = itemItemBaseline(buildCooccurrenceMatrix(train, [...sold]), "cooccurrence");
  const upshelf = upshelfModel(train, catalog, now);
  const rankWith = (score: (a: ProductId, b: ProductId) => number) => (q: PdpQuery) => {
    const cands = new Set([...(basket.get(q.anchor)?.keys() ?? []), ...(customer.get(q.anchor)?.keys() ?? [])]);
    cands.delete(q.anchor);
    return [...cands]
      .map((b) => [b, score(q.anchor, b)] as const)
      .sort((x, y) => y[1] - x[1] || (popularity.get(y[0]) ?? 0) - (popularity.get(x[0]) ?? 0))
      .slice(0, K)
      .map(([b]) => b);
  };
  const base = meanNdcg(pdp, (q) => cooc.recommend([q.anchor], K));
  const line = (name: string, v: number) => console.log(`  ${name}: ${v.toFixed(4)} (${((v / base - 1) * 100).toFixed(1)}%)`);
  console.log(`${split}: ${pdp.length} queries, customers ${byCustomer.size}, customer pair work ${(work / 1e6).toFixed(1)}M`);
  line("cooccurrence", base);
  line("upshelf", meanNdcg(pdp, (q) => upshelf.recommend([q.anchor], K)));
  line("customer only", meanNdcg(pdp, rankWith((a, b) => customer.get(a)?.get(b) ?? 0)));
  for (const lambda of [0.1, 0.3, 1, 3]) {
    line(`basket + ${lambda}·customer`, meanNdcg(pdp, rankWith((a, b) => (basket.get(a)?.get(b) ?? 0) + lambda * (customer.get(a)?.get(b) ?? 0))));
  }
}
