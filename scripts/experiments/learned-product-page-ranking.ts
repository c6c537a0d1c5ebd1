/**
 * EXPERIMENT, not used by the engine: can a per-shop learned scorer close the product-page gap
 * (#3 asks for NDCG@10 +10% over raw co-occurrence)? For each temporal split it
 *   1. holds out the last `--validation-days` of the training orders,
 *   2. computes pair features from the orders before that and product-page queries from the held-out days,
 *   3. fits a linear scorer (softmax warm start, then LambdaRank on NDCG@10),
 *   4. recomputes the features from all training orders and ranks the test queries with the fitted weights.
 * Only training orders are ever read to fit or to compute features; the test window is only scored.
 * Figures and what they mean: docs/benchmarks-ranking.md ("round 4").
 *
 * `--export DIR` also writes each split's fit and test queries (one CSV row per candidate: query,
 * relevant, min(10, targets), candidate, the features below, then the engine's rank and score for
 * the candidate) and the split's figures, for fitting other rankers outside Node
 * (`scripts/experiments/gbdt_product_page.py`, round 6).
 *
 *   npx tsx scripts/experiments/learned-product-page-ranking.ts [--file CSV] [--splits 2011-07-01:2099-01-01,...] [--validation-days 60] [--export DIR]
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { buildCooccurrenceMatrix, itemItemBaseline } from "~/core/ranking/evaluation/baseline-item-item";
import { buildEvaluationQueries, type PdpQuery } from "~/core/ranking/evaluation/evaluation-queries";
import { MeanAccumulator, ndcgAtK } from "~/core/ranking/evaluation/metrics";
import { upshelfModel } from "~/core/ranking/evaluation/upshelf-model";
import { recommendForCart } from "~/core/ranking/recommend";
import type { EvaluatedModel } from "~/core/ranking/evaluation/evaluated-model";
import { textTokens } from "~/core/ranking/text-tokens";
import type { CatalogProduct, Order, ProductId } from "~/core/ranking/types";
import { readOrderFile } from "~/services/order-files";
import { productPageSplits, SPLITS } from "./product-page-splits";

const DAY_MS = 86_400_000;
const K = 10;

const { values } = parseArgs({
  options: {
    file: { type: "string", default: "../shared/data/online-retail/online-retail-2010-12_2011-08.csv" },
    splits: { type: "string", default: SPLITS.join(",") },
    "validation-days": { type: "string", default: "60" },
    export: { type: "string" },
  },
});

/** Per-product and per-pair counts of one order history, indexed by catalog position. */
interface History {
  readonly orders: Float64Array;
  /** Orders decayed with a 60-day half-life. */
  readonly decayed: Float64Array;
  readonly last30Days: Float64Array;
  readonly last7Days: Float64Array;
  /** Mean of log(distinct items) over the product's orders: how wholesale its baskets are. */
  readonly meanLogBasket: Float64Array;
  readonly pairOrders: Map<number, number>[];
  /** Decayed, 1/√n per basket of n, first 35 items: the engine's kind of evidence. */
  readonly pairWeight: Map<number, number>[];
  /** Orders whose first line is a and that also hold b. */
  readonly firstLine: Map<number, number>[];
}

function readHistory(orders: readonly Order[], positions: ReadonlyMap<ProductId, number>, now: number): History {
  const size = positions.size;
  const history: History = {
    orders: new Float64Array(size),
    decayed: new Float64Array(size),
    last30Days: new Float64Array(size),
    last7Days: new Float64Array(size),
    meanLogBasket: new Float64Array(size),
    pairOrders: Array.from({ length: size }, () => new Map()),
    pairWeight: Array.from({ length: size }, () => new Map()),
    firstLine: Array.from({ length: size }, () => new Map()),
  };
  const add = (map: Map<number, number> | undefined, key: number, value: number) => map?.set(key, (map.get(key) ?? 0) + value);
  for (const order of orders) {
    if (order.cancelled) continue;
    const items = [...new Set(order.lines.map((line) => positions.get(line.productId)))].filter((p): p is number => p !== undefined);
    if (items.length === 0) continue;
    const age = now - order.createdAt;
    const weight = Math.pow(0.5, age / (60 * DAY_MS));
    for (const p of items) {
      history.orders[p] = (history.orders[p] ?? 0) + 1;
      history.decayed[p] = (history.decayed[p] ?? 0) + weight;
      if (age < 30 * DAY_MS) history.last30Days[p] = (history.last30Days[p] ?? 0) + 1;
      if (age < 7 * DAY_MS) history.last7Days[p] = (history.last7Days[p] ?? 0) + 1;
      history.meanLogBasket[p] = (history.meanLogBasket[p] ?? 0) + Math.log(items.length);
    }
    const [first = -1, ...rest] = items;
    for (const b of rest) add(history.firstLine[first], b, 1);
    const pairWeight = weight / Math.sqrt(Math.min(items.length, 35));
    items.forEach((a, x) => {
      for (let y = x + 1; y < items.length; y++) {
        const b = items[y] ?? -1;
        add(history.pairOrders[a], b, 1);
        add(history.pairOrders[b], a, 1);
        if (y < 35) {
          add(history.pairWeight[a], b, pairWeight);
          add(history.pairWeight[b], a, pairWeight);
        }
      }
    });
  }
  history.meanLogBasket.forEach((sum, p) => {
    history.meanLogBasket[p] = sum / Math.max(1, history.orders[p] ?? 0);
  });
  return history;
}

/** TF-IDF cosine of title words, and each product's 30 most similar titles. */
class TitleSimilarity {
  private readonly tokens: Set<string>[];
  private readonly idf = new Map<string, number>();
  private readonly norms: number[];
  readonly nearest: number[][];

  constructor(titles: readonly string[]) {
    this.tokens = titles.map((title) => new Set(textTokens(title)));
    const postings = new Map<string, number[]>();
    this.tokens.forEach((set, p) => {
      for (const token of set) postings.set(token, [...(postings.get(token) ?? []), p]);
    });
    for (const [token, list] of postings) this.idf.set(token, Math.log(titles.length / list.length));
    this.norms = this.tokens.map((set) => Math.sqrt([...set].reduce((sum, t) => sum + (this.idf.get(t) ?? 0) ** 2, 0)) || 1);
    this.nearest = this.tokens.map((set, p) => {
      const scores = new Map<number, number>();
      for (const token of set) {
        const list = postings.get(token) ?? [];
        if (list.length > 300) continue; // "set", "red": too common to find neighbours by
        for (const q of list) if (q !== p) scores.set(q, (scores.get(q) ?? 0) + (this.idf.get(token) ?? 0) ** 2);
      }
      return [...scores].sort((x, y) => y[1] - x[1]).slice(0, 30).map(([q]) => q);
    });
  }

  cosine(a: number, b: number): number {
    let dot = 0;
    const other = this.tokens[b] ?? new Set<string>();
    for (const token of this.tokens[a] ?? []) if (other.has(token)) dot += (this.idf.get(token) ?? 0) ** 2;
    return dot / ((this.norms[a] ?? 1) * (this.norms[b] ?? 1));
  }

  jaccard(a: number, b: number): number {
    const x = this.tokens[a] ?? new Set<string>();
    const y = this.tokens[b] ?? new Set<string>();
    let shared = 0;
    for (const token of x) if (y.has(token)) shared += 1;
    return shared / Math.max(1, x.size + y.size - shared);
  }
}

const FEATURE_NAMES = [
  "log pair orders", "log orders(b)", "log pair weight", "log decayed orders(b)", "log orders(b) last 30 d",
  "never together", "title jaccard", "log orders(b) last 7 d", "log first-line pairs", "log asymmetric cosine",
  "title cosine", "log orders(a)·log pair orders", "log orders(a)·title cosine", "log orders(a)·log orders(b)",
  "log pair orders / log orders(a)", "meanLogBasket(a)·log orders(b)", "meanLogBasket(a)·log pair orders",
  "meanLogBasket(a)·title cosine",
] as const;

function features(h: History, titles: TitleSimilarity, a: number, b: number): number[] {
  const pair = h.pairOrders[a]?.get(b) ?? 0;
  const weight = h.pairWeight[a]?.get(b) ?? 0;
  const ordersA = Math.log1p(h.orders[a] ?? 0);
  const ordersB = Math.log1p(h.orders[b] ?? 0);
  const logPair = Math.log1p(pair);
  const cosine = titles.cosine(a, b);
  const basket = h.meanLogBasket[a] ?? 0;
  const asymmetric = weight / (Math.pow(h.decayed[a] ?? 0, 0.7) * Math.pow(h.decayed[b] ?? 0, 0.3) + 0.5);
  return [
    logPair, ordersB, Math.log1p(weight * 100), Math.log1p(h.decayed[b] ?? 0), Math.log1p(h.last30Days[b] ?? 0),
    pair === 0 ? 1 : 0, titles.jaccard(a, b), Math.log1p(h.last7Days[b] ?? 0), Math.log1p(h.firstLine[a]?.get(b) ?? 0),
    Math.log1p(asymmetric * 100), cosine, (ordersA * logPair) / 5, (ordersA * cosine) / 5, (ordersA * ordersB) / 5,
    ordersA > 0 ? logPair / ordersA : 0, (basket * ordersB) / 5, (basket * logPair) / 5, basket * cosine,
  ];
}

interface Query {
  readonly candidates: number[];
  /** Row-major, FEATURE_NAMES.length per candidate. */
  readonly x: Float64Array;
  readonly relevant: Uint8Array;
  readonly idealDcg: number;
}

const dimensions = FEATURE_NAMES.length;

/** Candidates: 100 strongest co-purchases, 30 most similar titles, 50 best and 30 recent best sellers. */
function buildQuery(h: History, titles: TitleSimilarity, byOrders: number[], byRecent: number[], anchor: number, targets: ReadonlySet<number>): Query {
  const pool = new Set<number>();
  const row = [...(h.pairOrders[anchor] ?? new Map<number, number>())].sort(
    (x, y) => y[1] - x[1] || (h.orders[y[0]] ?? 0) - (h.orders[x[0]] ?? 0)
  );
  for (const [b] of row.slice(0, 100)) pool.add(b);
  for (const b of titles.nearest[anchor] ?? []) if ((h.orders[b] ?? 0) > 0) pool.add(b);
  for (const b of byOrders.slice(0, 50)) pool.add(b);
  for (const b of byRecent.slice(0, 30)) pool.add(b);
  pool.delete(anchor);
  const candidates = [...pool];
  const x = new Float64Array(candidates.length * dimensions);
  candidates.forEach((b, i) => x.set(features(h, titles, anchor, b), i * dimensions));
  let idealDcg = 0;
  for (let i = 0; i < Math.min(K, targets.size); i++) idealDcg += 1 / Math.log2(i + 2);
  return { candidates, x, relevant: Uint8Array.from(candidates, (b) => (targets.has(b) ? 1 : 0)), idealDcg };
}

function scores(query: Query, w: readonly number[]): Float64Array {
  const out = new Float64Array(query.candidates.length);
  for (let i = 0; i < out.length; i++) {
    let s = 0;
    for (let j = 0; j < dimensions; j++) s += (query.x[i * dimensions + j] ?? 0) * (w[j] ?? 0);
    out[i] = s;
  }
  return out;
}

/** Adam on a per-query gradient function; returns the weights. */
function descend(
  queries: readonly Query[],
  start: readonly number[],
  iterations: number,
  rate: number,
  gradient: (query: Query, s: Float64Array, g: Float64Array) => void
): number[] {
  const w = [...start];
  const m = new Float64Array(dimensions);
  const v = new Float64Array(dimensions);
  for (let t = 1; t <= iterations; t++) {
    const g = new Float64Array(dimensions);
    let used = 0;
    for (const query of queries) {
      if (!query.relevant.includes(1)) continue;
      used += 1;
      gradient(query, scores(query, w), g);
    }
    for (let j = 0; j < dimensions; j++) {
      const gj = (g[j] ?? 0) / Math.max(1, used);
      m[j] = 0.9 * (m[j] ?? 0) + 0.1 * gj;
      v[j] = 0.999 * (v[j] ?? 0) + 0.001 * gj * gj;
      w[j] = (w[j] ?? 0) - (rate * ((m[j] ?? 0) / (1 - 0.9 ** t))) / (Math.sqrt((v[j] ?? 0) / (1 - 0.999 ** t)) + 1e-8);
    }
  }
  return w;
}

function addRow(g: Float64Array, query: Query, row: number, coefficient: number): void {
  for (let j = 0; j < dimensions; j++) g[j] = (g[j] ?? 0) + coefficient * (query.x[row * dimensions + j] ?? 0);
}

/** Softmax cross-entropy against a uniform distribution over the relevant candidates. */
function softmaxGradient(query: Query, s: Float64Array, g: Float64Array): void {
  const max = Math.max(...s);
  const e = s.map((value) => Math.exp(value - max));
  const total = e.reduce((sum, value) => sum + value, 0);
  const relevantCount = query.relevant.reduce((sum, r) => sum + r, 0);
  for (let i = 0; i < s.length; i++) addRow(g, query, i, (e[i] ?? 0) / total - (query.relevant[i] ? 1 / relevantCount : 0));
}

/** LambdaRank: pairwise logistic gradients weighted by the NDCG@10 change of swapping the pair (top 40 only). */
function lambdaGradient(query: Query, s: Float64Array, g: Float64Array): void {
  const order = Array.from(s.keys()).sort((x, y) => (s[y] ?? 0) - (s[x] ?? 0));
  const rank = new Int32Array(s.length);
  order.forEach((row, r) => (rank[row] = r));
  const gain = (r: number) => (r < K ? 1 / Math.log2(r + 2) : 0);
  const top = order.slice(0, 40);
  for (const i of top) {
    if (!query.relevant[i]) continue;
    for (const j of top) {
      if (query.relevant[j]) continue;
      const delta = Math.abs(gain(rank[i] ?? 0) - gain(rank[j] ?? 0)) / query.idealDcg;
      if (delta === 0) continue;
      const rho = delta / (1 + Math.exp((s[i] ?? 0) - (s[j] ?? 0)));
      addRow(g, query, i, -rho);
      addRow(g, query, j, rho);
    }
  }
}

function rankBy(query: Query, w: readonly number[]): number[] {
  const s = scores(query, w);
  return Array.from(s.keys()).sort((x, y) => (s[y] ?? 0) - (s[x] ?? 0)).map((row) => query.candidates[row] ?? -1);
}

function setting(orders: readonly Order[], catalog: readonly CatalogProduct[], now: number) {
  const positions = new Map(catalog.map((product, p) => [product.id, p]));
  const history = readHistory(orders, positions, now);
  const known = catalog.map((_, p) => p).filter((p) => (history.orders[p] ?? 0) > 0);
  const byOrders = [...known].sort((x, y) => (history.orders[y] ?? 0) - (history.orders[x] ?? 0) || x - y);
  const byRecent = [...byOrders].sort((x, y) => (history.last30Days[y] ?? 0) - (history.last30Days[x] ?? 0));
  return { positions, history, byOrders, byRecent };
}

function toQueries(
  pdp: readonly PdpQuery[],
  context: ReturnType<typeof setting>,
  titles: TitleSimilarity
): { query: Query; targets: Set<ProductId> }[] {
  return pdp.map((q) => {
    const anchor = context.positions.get(q.anchor) ?? -1;
    const targets = new Set([...q.targets].map((id) => context.positions.get(id) ?? -1));
    return { query: buildQuery(context.history, titles, context.byOrders, context.byRecent, anchor, targets), targets: new Set(q.targets) };
  });
}

function meanNdcg(pdp: readonly PdpQuery[], rank: (q: PdpQuery, i: number) => readonly ProductId[]): number {
  const mean = new MeanAccumulator();
  pdp.forEach((q, i) => mean.add(ndcgAtK(rank(q, i), q.targets, K)));
  return mean.mean;
}

/** The engine's rank (150 when outside its top 100) and score for each candidate of each query. */
function engineColumns(model: ReturnType<typeof upshelfModel>, pdp: readonly PdpQuery[], positions: ReadonlyMap<ProductId, number>) {
  return pdp.map((q) => {
    const ranked = new Map<number, [number, number]>();
    recommendForCart(model.snapshot, [q.anchor], { limit: 100, maxAnchors: 1 }).forEach((item, rank) =>
      ranked.set(positions.get(item.productId) ?? -1, [rank, item.score])
    );
    return (b: number) => ranked.get(b) ?? [150, 0];
  });
}

function writeQueries(path: string, entries: readonly { query: Query }[], engine: ReturnType<typeof engineColumns>, targetCounts: readonly number[]) {
  const lines: string[] = [];
  entries.forEach(({ query }, q) => {
    query.candidates.forEach((b, i) => {
      const row = [q, query.relevant[i] ?? 0, Math.min(K, targetCounts[q] ?? 0), b, ...query.x.subarray(i * dimensions, (i + 1) * dimensions), ...(engine[q]?.(b) ?? [])];
      lines.push(row.map((v) => (Number.isInteger(v) ? String(v) : v.toFixed(5))).join(","));
    });
  });
  writeFileSync(path, `${lines.join("\n")}\n`);
}

const parsed = await readOrderFile(values.file, { format: "uci" });
const validationDays = Number(values["validation-days"]);
let splitIndex = 0;
for (const { name: split, train, now, sold: soldIds, catalog, pdp: testPdp } of productPageSplits(parsed, values.splits.split(","))) {
  const titles = new TitleSimilarity(catalog.map((product) => product.title));

  const cut = now - validationDays * DAY_MS;
  const inner = train.filter((order) => order.createdAt < cut);
  const innerContext = setting(inner, catalog, inner.at(-1)?.createdAt ?? cut);
  const innerKnown = new Set(catalog.map((p) => p.id).filter((id) => (innerContext.history.orders[innerContext.positions.get(id) ?? -1] ?? 0) > 0));
  const validation = buildEvaluationQueries(train.filter((order) => order.createdAt >= cut), innerKnown).pdp;
  const fitEntries = toQueries(validation, innerContext, titles);
  const fitQueries = fitEntries.map((entry) => entry.query);
  const started = performance.now();
  const warm = descend(fitQueries, [1, ...new Array<number>(dimensions - 1).fill(0)], 300, 0.05, softmaxGradient);
  const weights = descend(fitQueries, warm, 150, 0.02, lambdaGradient);
  const fitSeconds = (performance.now() - started) / 1000;

  const context = setting(train, catalog, now);
  const testQueries = toQueries(testPdp, context, titles);
  const cooccurrence: EvaluatedModel = itemItemBaseline(buildCooccurrenceMatrix(train, [...soldIds]), "cooccurrence");
  const upshelf = upshelfModel(train, catalog, now);
  const base = meanNdcg(testPdp, (q) => cooccurrence.recommend([q.anchor], K));
  const engine = meanNdcg(testPdp, (q) => upshelf.recommend([q.anchor], K));
  const learned = meanNdcg(testPdp, (_, i) => {
    const entry = testQueries[i];
    return entry ? rankBy(entry.query, weights).slice(0, K).map((p) => catalog[p]?.id ?? "") : [];
  });

  // Popular share: slots of every sold product's page taken by the 1% best sellers.
  const best = new Set(context.byOrders.slice(0, Math.ceil(context.byOrders.length * 0.01)));
  let slots = 0;
  let popular = 0;
  for (const anchor of context.byOrders) {
    const page = rankBy(buildQuery(context.history, titles, context.byOrders, context.byRecent, anchor, new Set()), weights).slice(0, K);
    slots += page.length;
    popular += page.filter((p) => best.has(p)).length;
  }
  if (values.export) {
    const dir = join(values.export, `split-${splitIndex}`);
    mkdirSync(dir, { recursive: true });
    const innerCatalog = catalog.filter((product) => innerKnown.has(product.id));
    const innerEngine = upshelfModel(inner, innerCatalog, inner.at(-1)?.createdAt ?? cut);
    writeQueries(join(dir, "fit.csv"), fitEntries, engineColumns(innerEngine, validation, innerContext.positions), validation.map((q) => q.targets.size));
    writeQueries(join(dir, "test.csv"), testQueries, engineColumns(upshelf, testPdp, context.positions), testPdp.map((q) => q.targets.size));
    const pages = context.byOrders.map((anchor) => ({ query: buildQuery(context.history, titles, context.byOrders, context.byRecent, anchor, new Set()) }));
    const pageQueries = context.byOrders.map((p, order) => ({ order, anchor: catalog[p]?.id ?? "", targets: new Set<ProductId>() }));
    writeQueries(join(dir, "pages.csv"), pages, engineColumns(upshelf, pageQueries, context.positions), pages.map(() => 0));
    const figures = { split, cooccurrence: base, upshelf: engine, linear: learned, testQueries: testPdp.length, bestSellers: [...best] };
    writeFileSync(join(dir, "figures.json"), JSON.stringify(figures));
  }
  splitIndex += 1;
  const vs = (value: number) => `${value.toFixed(4)} (${value >= base ? "+" : ""}${((value / base - 1) * 100).toFixed(1)}%)`;
  console.log(
    `${split}: ${testPdp.length} product-page queries, ${validation.length} to fit on (${fitSeconds.toFixed(1)} s)\n` +
      `  NDCG@${K}: co-occurrence ${base.toFixed(4)}, upshelf ${vs(engine)}, learned ${vs(learned)}; learned popular share ${(popular / slots).toFixed(3)}\n` +
      `  weights: ${FEATURE_NAMES.map((name, j) => `${name} ${(weights[j] ?? 0).toFixed(2)}`).join("; ")}`
  );
}
