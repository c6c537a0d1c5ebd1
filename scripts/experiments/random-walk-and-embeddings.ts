/**
 * EXPERIMENT, not used by the engine: two model families the product-page rounds had not tried
 * (docs/benchmarks-ranking.md, "round 10"), each alone and rank-blended with the engine.
 *
 * - RP3beta (Paudel et al. 2017, P^3 of Cooper/Christoffel et al. re-weighted by popularity) on the
 *   bipartite product–basket graph: W(i, j) = Σ over baskets u of P(i→u)^α · P(u→j)^α / pop(j)^β.
 *   Each basket's edges weigh w(u) = 1 or 1/√(distinct items), times the engine's 90-day half-life
 *   decay or not; P(i→u) = w(u) / Σ w over i's baskets, P(u→j) = 1/(distinct items of u), and
 *   pop(j) is j's (decayed, when decay is on) number of baskets, as in the reference
 *   implementation. Grid: α ∈ {0.5, 0.8, 1}, β ∈ {0, 0.2, 0.35, 0.5}. A two-hop smoothed version
 *   keeps each row's 50 strongest entries, normalises them to sum 1 (Wk) and ranks by Wk·Wk, or by
 *   ½ Wk + ½ Wk·Wk.
 * - Low-rank item embeddings: the shifted positive PMI of decayed (90 d) co-purchase weights
 *   (1/√n per basket), max(0, log(C(i,j)·C / (C(i)·C(j))) − log s) with s ∈ {1, 5}, is
 *   factorised by randomized subspace iteration (144 columns, 4 power steps, then a Jacobi eigen
 *   solve of the projected matrix: the SVD of a symmetric matrix); embeddings are U_d·|Σ_d|^½ for
 *   d ∈ {32, 64, 128}, pages rank the catalog by cosine with the anchor. For reference, the
 *   anchor's SPPMI row itself (no factorisation) is ranked too.
 * - Blends: λ · engine rank + (1 − λ) · other rank over the union of both top 20s, λ ∈ {0.3, 0.5, 0.7}.
 *
 * Pages hold 20 products; ties and short lists fall back to the engine's order. The grid is read
 * on the April and May splits only; the settings for July are then picked by fixed rules (printed
 * before July is built): the best RP3beta, the best RP3beta whose best-seller share stays at or
 * below 25% on both splits, the best embedding, the better two-hop form of each picked RP3beta, and
 * each pick's blend at its best λ. Best-seller share: product-page slots, over every sold product's
 * page, taken by the top 1% of sellers (as `eval:ranking` measures it).
 *
 *   npx tsx scripts/experiments/random-walk-and-embeddings.ts [orders.csv]   # about 2 min
 */
import { MeanAccumulator, ndcgAtK } from "~/core/ranking/evaluation/metrics";
import { createNormalSampler, mulberry32 } from "~/core/ranking/random";
import type { ProductId } from "~/core/ranking/types";
import { readOrderFile } from "~/services/order-files";
import { cooccurrenceNdcg, engineProductPages, productPageSplits, SPLITS, type ProductPageSplit } from "./product-page-splits";

const FILE = process.argv[2] ?? "../shared/data/online-retail/online-retail-2010-12_2011-08.csv";
const DAY_MS = 86_400_000;
const HALF_LIFE_DAYS = 90;
const K = 10;
const POOL = 20;
const TWO_HOP_NEIGHBOURS = 50;
const SHARE_CAP = 0.25;
const ALPHAS = [0.5, 0.8, 1] as const;
const BETAS = [0, 0.2, 0.35, 0.5] as const;
const LAMBDAS = [0.3, 0.5, 0.7] as const;
const SHIFTS = [1, 5] as const;
const DIMENSIONS = [32, 64, 128] as const;
const SVD_COLUMNS = 144;
const POWER_STEPS = 4;

const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;
const percent = (value: number, base: number) => `${value >= base ? "+" : ""}${((value / base - 1) * 100).toFixed(1)}%`;

/** Each anchor's page, by product index. */
type Pages = readonly Int32Array[];

interface Context {
  readonly name: string;
  readonly baseline: number;
  readonly ids: readonly ProductId[];
  readonly n: number;
  /** Non-cancelled training baskets: distinct product indices, and the edge weights by setting. */
  readonly basketItems: readonly Int32Array[];
  readonly basketDecay: Float64Array;
  /** Baskets holding each product. */
  readonly basketsOf: readonly Int32Array[];
  readonly orders: Float64Array;
  readonly decayedOrders: Float64Array;
  readonly engine: Pages;
  readonly queries: readonly { readonly anchor: number; readonly targets: ReadonlySet<ProductId> }[];
  readonly best: Uint8Array;
  /** Scratch: engine rank per product for the anchor being ranked (POOL when absent). */
  readonly rank: Int32Array;
  readonly embeddings: Map<number, Float64Array>;
  readonly sppmi: Map<number, SparseRows>;
}

/** A square sparse matrix in compressed rows. */
interface SparseRows {
  readonly offsets: Int32Array;
  readonly columns: Int32Array;
  readonly values: Float64Array;
}

interface Result {
  readonly ndcg: number;
  readonly share: number;
}

interface Rp3Setting {
  readonly weight: "1" | "1/√n";
  readonly decay: boolean;
  readonly alpha: number;
  readonly beta: number;
}

const rp3Label = ({ weight, decay, alpha, beta }: Rp3Setting) => `RP3beta α=${alpha} β=${beta}, w=${weight}, ${decay ? "90 d" : "no decay"}`;

const parsed = await readOrderFile(FILE, { format: "uci" });

function prepare(split: ProductPageSplit): Context {
  const ids = [...split.sold];
  const n = ids.length;
  const index = new Map(ids.map((id, i) => [id, i]));
  const basketItems: Int32Array[] = [];
  const decays: number[] = [];
  const lists: number[][] = ids.map(() => []);
  const orders = new Float64Array(n);
  const decayedOrders = new Float64Array(n);
  for (const order of split.train) {
    if (order.cancelled) continue;
    const items = Int32Array.from(new Set(order.lines.map((line) => index.get(line.productId) ?? -1)));
    const decay = 0.5 ** ((split.now - order.createdAt) / (HALF_LIFE_DAYS * DAY_MS));
    for (const i of items) {
      lists[i]!.push(basketItems.length);
      orders[i]! += 1;
      decayedOrders[i]! += decay;
    }
    basketItems.push(items);
    decays.push(decay);
  }
  const enginePage = engineProductPages(split, POOL);
  const engine = ids.map((id) => Int32Array.from(enginePage(id), (other) => index.get(other) ?? -1).filter((i) => i >= 0));
  // Top 1% by training orders, as the earlier rounds rank them (split.popularity).
  const bySales = [...split.popularity].sort((a, b) => b[1] - a[1]).map(([id]) => id);
  const best = new Uint8Array(n);
  for (const id of bySales.slice(0, Math.ceil(bySales.length * 0.01))) best[index.get(id)!] = 1;
  return {
    name: split.name,
    baseline: cooccurrenceNdcg(split, K),
    ids,
    n,
    basketItems,
    basketDecay: Float64Array.from(decays),
    basketsOf: lists.map((list) => Int32Array.from(list)),
    orders,
    decayedOrders,
    engine,
    queries: split.pdp.map((query) => ({ anchor: index.get(query.anchor)!, targets: query.targets })),
    best,
    rank: new Int32Array(n).fill(POOL),
    embeddings: new Map(),
    sppmi: new Map(),
  };
}

function evaluate(ctx: Context, pages: Pages): Result {
  const mean = new MeanAccumulator();
  for (const { anchor, targets } of ctx.queries) {
    mean.add(ndcgAtK([...pages[anchor]!.subarray(0, K)].map((i) => ctx.ids[i]!), targets, K));
  }
  let slots = 0, popular = 0;
  for (const page of pages) {
    const shown = page.subarray(0, K);
    slots += shown.length;
    for (const i of shown) popular += ctx.best[i]!;
  }
  return { ndcg: mean.mean, share: popular / slots };
}

/**
 * The anchor's page: its `count` candidates in `touched` with a positive score, best first (ties by
 * the engine's rank, then sales, then index), then the engine's own page for what is left.
 */
function topPage(ctx: Context, anchor: number, touched: Int32Array, count: number, score: Float64Array): Int32Array {
  const { rank, orders } = ctx;
  const engine = ctx.engine[anchor]!;
  engine.forEach((i, r) => (rank[i] = r));
  const top = new Int32Array(POOL);
  const topScore = new Float64Array(POOL);
  let size = 0;
  const before = (i: number, s: number, j: number, t: number) =>
    s > t || (s === t && (rank[i]! < rank[j]! || (rank[i] === rank[j] && (orders[i]! > orders[j]! || (orders[i] === orders[j] && i < j)))));
  for (let c = 0; c < count; c++) {
    const i = touched[c]!;
    const s = score[i]!;
    if (i === anchor || !(s > 0)) continue;
    if (size === POOL && !before(i, s, top[POOL - 1]!, topScore[POOL - 1]!)) continue;
    let at = size < POOL ? size++ : POOL - 1;
    while (at > 0 && before(i, s, top[at - 1]!, topScore[at - 1]!)) {
      top[at] = top[at - 1]!;
      topScore[at] = topScore[at - 1]!;
      at--;
    }
    top[at] = i;
    topScore[at] = s;
  }
  const page = [...top.subarray(0, size)];
  for (const i of engine) if (page.length < POOL && i !== anchor && !page.includes(i)) page.push(i);
  engine.forEach((i) => (rank[i] = POOL));
  return Int32Array.from(page);
}

function blend(ctx: Context, other: Pages, lambda: number): Pages {
  return ctx.engine.map((engine, anchor) => {
    const otherRank = new Map([...other[anchor]!].map((i, r) => [i, r]));
    const engineRank = new Map([...engine].map((i, r) => [i, r]));
    return Int32Array.from(
      [...new Set([...engine, ...other[anchor]!])]
        .map((i) => ({ i, combined: lambda * (engineRank.get(i) ?? POOL) + (1 - lambda) * (otherRank.get(i) ?? POOL), rank: engineRank.get(i) ?? POOL }))
        .sort((a, b) => a.combined - b.combined || a.rank - b.rank)
        .slice(0, POOL)
        .map(({ i }) => i)
    );
  });
}

/** W(anchor, ·) of RP3beta without the 1/pop^β, accumulated in `acc`; returns how many entries it touched. */
function rp3Row(ctx: Context, weight: Rp3Setting["weight"], decay: boolean, alpha: number, anchor: number, acc: Float64Array, touched: Int32Array): number {
  const baskets = ctx.basketsOf[anchor]!;
  const edge = (u: number) => (weight === "1" ? 1 : 1 / Math.sqrt(ctx.basketItems[u]!.length)) * (decay ? ctx.basketDecay[u]! : 1);
  let total = 0;
  for (const u of baskets) total += edge(u);
  let count = 0;
  for (const u of baskets) {
    const items = ctx.basketItems[u]!;
    const step = ((edge(u) / total) * (1 / items.length)) ** alpha;
    for (const j of items) {
      if (acc[j] === 0) touched[count++] = j;
      acc[j]! += step;
    }
  }
  return count;
}

const popWeight = (ctx: Context, decay: boolean, beta: number) => (decay ? ctx.decayedOrders : ctx.orders).map((pop) => (pop > 0 ? pop ** -beta : 0));

/** Pages of every β for one (weight, decay, α): one accumulation per anchor. */
function rp3Pages(ctx: Context, weight: Rp3Setting["weight"], decay: boolean, alpha: number, betas: readonly number[]): Pages[] {
  const acc = new Float64Array(ctx.n);
  const score = new Float64Array(ctx.n);
  const touched = new Int32Array(ctx.n);
  const weights = betas.map((beta) => popWeight(ctx, decay, beta));
  const pages: Int32Array[][] = betas.map(() => []);
  for (let anchor = 0; anchor < ctx.n; anchor++) {
    const count = rp3Row(ctx, weight, decay, alpha, anchor, acc, touched);
    weights.forEach((pop, b) => {
      for (let c = 0; c < count; c++) score[touched[c]!] = acc[touched[c]!]! * pop[touched[c]!]!;
      pages[b]!.push(topPage(ctx, anchor, touched, count, score));
    });
    for (let c = 0; c < count; c++) acc[touched[c]!] = 0;
  }
  return pages;
}

/** Two-hop RP3beta: Wk·Wk, or ½ Wk + ½ Wk·Wk, with Wk each row's strongest entries summing to 1. */
function twoHopPages(ctx: Context, { weight, decay, alpha, beta }: Rp3Setting): { twoHop: Pages; mixed: Pages } {
  const acc = new Float64Array(ctx.n);
  const touched = new Int32Array(ctx.n);
  const pop = popWeight(ctx, decay, beta);
  const rows: { idx: Int32Array; val: Float64Array }[] = [];
  for (let anchor = 0; anchor < ctx.n; anchor++) {
    const count = rp3Row(ctx, weight, decay, alpha, anchor, acc, touched);
    const entries: [number, number][] = [];
    for (let c = 0; c < count; c++) {
      const j = touched[c]!;
      if (j !== anchor && acc[j]! * pop[j]! > 0) entries.push([j, acc[j]! * pop[j]!]);
      acc[j] = 0;
    }
    entries.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    const kept = entries.slice(0, TWO_HOP_NEIGHBOURS);
    const sum = kept.reduce((total, [, value]) => total + value, 0);
    rows.push({ idx: Int32Array.from(kept, ([j]) => j), val: Float64Array.from(kept, ([, value]) => value / sum) });
  }
  const score = new Float64Array(ctx.n);
  const twoHop: Int32Array[] = [];
  const mixed: Int32Array[] = [];
  for (let anchor = 0; anchor < ctx.n; anchor++) {
    const { idx, val } = rows[anchor]!;
    let count = 0;
    idx.forEach((m, a) => {
      const next = rows[m]!;
      next.idx.forEach((j, b) => {
        if (acc[j] === 0) touched[count++] = j;
        acc[j]! += val[a]! * next.val[b]!;
      });
    });
    twoHop.push(topPage(ctx, anchor, touched, count, acc));
    idx.forEach((j, a) => {
      if (acc[j] === 0) touched[count++] = j;
      score[j] = 0.5 * val[a]!;
    });
    for (let c = 0; c < count; c++) score[touched[c]!]! += 0.5 * acc[touched[c]!]!;
    mixed.push(topPage(ctx, anchor, touched, count, score));
    for (let c = 0; c < count; c++) acc[touched[c]!] = score[touched[c]!] = 0;
  }
  return { twoHop, mixed };
}

/** Symmetric sparse matrix (compressed rows) times a dense n × cols row-major matrix. */
function multiply(offsets: Int32Array, columns: Int32Array, values: Float64Array, x: Float64Array, cols: number): Float64Array {
  const n = offsets.length - 1;
  const y = new Float64Array(n * cols);
  for (let i = 0; i < n; i++) {
    const row = i * cols;
    for (let p = offsets[i]!; p < offsets[i + 1]!; p++) {
      const v = values[p]!;
      const from = columns[p]! * cols;
      for (let c = 0; c < cols; c++) y[row + c]! += v * x[from + c]!;
    }
  }
  return y;
}

/** Orthonormal columns (modified Gram–Schmidt, twice) of an n × cols row-major matrix, in place. */
function orthonormalise(y: Float64Array, n: number, cols: number): void {
  const columns = Array.from({ length: cols }, (_, c) => Float64Array.from({ length: n }, (_, i) => y[i * cols + c]!));
  columns.forEach((column, c) => {
    for (let pass = 0; pass < 2; pass++) {
      for (let p = 0; p < c; p++) {
        const other = columns[p]!;
        let dot = 0;
        for (let i = 0; i < n; i++) dot += column[i]! * other[i]!;
        for (let i = 0; i < n; i++) column[i]! -= dot * other[i]!;
      }
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += column[i]! * column[i]!;
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < n; i++) y[i * cols + c] = column[i]! /= norm;
  });
}

/** Eigenvalues and eigenvectors (columns of `vectors`, row-major m × m) of a symmetric matrix, cyclic Jacobi. */
function jacobiEigen(matrix: Float64Array, m: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(m * m);
  for (let i = 0; i < m; i++) v[i * m + i] = 1;
  for (let sweep = 0; sweep < 50; sweep++) {
    let off = 0;
    for (let p = 0; p < m; p++) for (let q = p + 1; q < m; q++) off += a[p * m + q]! ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < m; p++) {
      for (let q = p + 1; q < m; q++) {
        const apq = a[p * m + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * m + q]! - a[p * m + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const cos = 1 / Math.sqrt(t * t + 1);
        const sin = t * cos;
        for (let k = 0; k < m; k++) {
          const akp = a[k * m + p]!, akq = a[k * m + q]!;
          a[k * m + p] = cos * akp - sin * akq;
          a[k * m + q] = sin * akp + cos * akq;
        }
        for (let k = 0; k < m; k++) {
          const apk = a[p * m + k]!, aqk = a[q * m + k]!;
          a[p * m + k] = cos * apk - sin * aqk;
          a[q * m + k] = sin * apk + cos * aqk;
        }
        for (let k = 0; k < m; k++) {
          const vkp = v[k * m + p]!, vkq = v[k * m + q]!;
          v[k * m + p] = cos * vkp - sin * vkq;
          v[k * m + q] = sin * vkp + cos * vkq;
        }
      }
    }
  }
  return { values: Float64Array.from({ length: m }, (_, i) => a[i * m + i]!), vectors: v };
}

/** The shifted positive PMI of decayed co-purchase weights (1/√n per basket). */
function sppmi(ctx: Context, shift: number): SparseRows {
  const cached = ctx.sppmi.get(shift);
  if (cached) return cached;
  const { n } = ctx;
  const co = new Float64Array(n * n);
  ctx.basketItems.forEach((items, u) => {
    const w = ctx.basketDecay[u]! / Math.sqrt(items.length);
    for (let a = 0; a < items.length; a++) {
      const i = items[a]! * n;
      for (let b = 0; b < items.length; b++) if (a !== b) co[i + items[b]!]! += w;
    }
  });
  const rowSum = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < n; j++) sum += co[i * n + j]!;
    rowSum[i] = sum;
    total += sum;
  }
  const offsets = new Int32Array(n + 1);
  const cols: number[] = [];
  const vals: number[] = [];
  const logShift = Math.log(shift);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const c = co[i * n + j]!;
      if (c <= 0) continue;
      const pmi = Math.log((c * total) / (rowSum[i]! * rowSum[j]!)) - logShift;
      if (pmi > 0) {
        cols.push(j);
        vals.push(pmi);
      }
    }
    offsets[i + 1] = cols.length;
  }
  const rows = { offsets, columns: Int32Array.from(cols), values: Float64Array.from(vals) };
  ctx.sppmi.set(shift, rows);
  return rows;
}

/** The SPPMI matrix's own rows, unfactorised: what the embeddings approximate. */
function sppmiPages(ctx: Context, shift: number): Pages {
  const { offsets, columns, values } = sppmi(ctx, shift);
  const score = new Float64Array(ctx.n);
  return ctx.engine.map((_, anchor) => {
    const from = offsets[anchor]!, to = offsets[anchor + 1]!;
    for (let p = from; p < to; p++) score[columns[p]!] = values[p]!;
    const page = topPage(ctx, anchor, columns.subarray(from, to), to - from, score);
    for (let p = from; p < to; p++) score[columns[p]!] = 0;
    return page;
  });
}

/** U·|Σ|^½ (n × SVD_COLUMNS, row-major, columns by |σ| descending) of the shifted positive PMI matrix. */
function embed(ctx: Context, shift: number): Float64Array {
  const cached = ctx.embeddings.get(shift);
  if (cached) return cached;
  const { n } = ctx;
  const { offsets, columns, values } = sppmi(ctx, shift);
  const m = SVD_COLUMNS;
  const normal = createNormalSampler(mulberry32(10));
  let q = Float64Array.from({ length: n * m }, () => normal());
  orthonormalise(q, n, m);
  for (let step = 0; step < POWER_STEPS; step++) {
    q = multiply(offsets, columns, values, q, m);
    orthonormalise(q, n, m);
  }
  // T = Qᵀ A Q, whose eigen-decomposition gives A's leading eigenpairs: |λ| are its singular values.
  const aq = multiply(offsets, columns, values, q, m);
  const t = new Float64Array(m * m);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < m; r++) {
      const qr = q[i * m + r]!;
      for (let c = 0; c < m; c++) t[r * m + c]! += qr * aq[i * m + c]!;
    }
  }
  for (let r = 0; r < m; r++) for (let c = r + 1; c < m; c++) t[r * m + c] = t[c * m + r] = (t[r * m + c]! + t[c * m + r]!) / 2;
  const { values: eigen, vectors } = jacobiEigen(t, m);
  const order = [...eigen.keys()].sort((a, b) => Math.abs(eigen[b]!) - Math.abs(eigen[a]!));
  const embedding = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    order.forEach((k, c) => {
      let sum = 0;
      for (let r = 0; r < m; r++) sum += q[i * m + r]! * vectors[r * m + k]!;
      embedding[i * m + c] = sum * Math.sqrt(Math.abs(eigen[k]!));
    });
  }
  console.error(`  ${ctx.name}: SPPMI shift ${shift}, ${values.length} non-zeros, σ ${Math.abs(eigen[order[0]!]!).toFixed(1)} … ${Math.abs(eigen[order[m - 1]!]!).toFixed(2)} (${elapsed()})`);
  ctx.embeddings.set(shift, embedding);
  return embedding;
}

function cosinePages(ctx: Context, shift: number, dimensions: number): Pages {
  const { n } = ctx;
  const full = embed(ctx, shift);
  const unit = new Float64Array(n * dimensions);
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let c = 0; c < dimensions; c++) norm += full[i * SVD_COLUMNS + c]! ** 2;
    norm = Math.sqrt(norm);
    if (norm > 0) for (let c = 0; c < dimensions; c++) unit[i * dimensions + c] = full[i * SVD_COLUMNS + c]! / norm;
  }
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const score = new Float64Array(n);
  const pages: Int32Array[] = [];
  for (let anchor = 0; anchor < n; anchor++) {
    const from = anchor * dimensions;
    for (let j = 0; j < n; j++) {
      let dot = 0;
      const to = j * dimensions;
      for (let c = 0; c < dimensions; c++) dot += unit[from + c]! * unit[to + c]!;
      score[j] = dot;
    }
    pages.push(topPage(ctx, anchor, all, n, score));
  }
  return pages;
}

// ---- Phase 1: the grid, on the April and May splits only ----

type Row = { label: string; results: Map<string, Result> };
const rows = new Map<string, Row>();
const record = (label: string, ctx: Context, pages: Pages) => {
  const row = rows.get(label) ?? { label, results: new Map() };
  row.results.set(ctx.name, evaluate(ctx, pages));
  rows.set(label, row);
};

const tuning: readonly string[] = [SPLITS[0], SPLITS[1]];
const contexts: Context[] = [];
const rp3Settings = new Map<string, Rp3Setting>();
const embeddingSettings = new Map<string, { shift: number; dimensions: number }>();
for (const split of productPageSplits(parsed, tuning)) {
  const ctx = prepare(split);
  contexts.push(ctx);
  console.error(`${ctx.name}: ${ctx.n} products, ${ctx.basketItems.length} baskets, ${ctx.queries.length} product-page queries (${elapsed()})`);
  record("engine as served", ctx, ctx.engine);
  for (const weight of ["1", "1/√n"] as const) {
    for (const decay of [false, true]) {
      for (const alpha of ALPHAS) {
        rp3Pages(ctx, weight, decay, alpha, BETAS).forEach((pages, b) => {
          const setting = { weight, decay, alpha, beta: BETAS[b]! };
          rp3Settings.set(rp3Label(setting), setting);
          record(rp3Label(setting), ctx, pages);
        });
      }
    }
  }
  console.error(`  ${ctx.name}: RP3beta grid done (${elapsed()})`);
  for (const shift of SHIFTS) {
    for (const dimensions of DIMENSIONS) {
      const label = `SPPMI embeddings, shift ${shift}, ${dimensions} dims, cosine`;
      embeddingSettings.set(label, { shift, dimensions });
      record(label, ctx, cosinePages(ctx, shift, dimensions));
    }
    record(`SPPMI shift ${shift} itself, unfactorised (reference)`, ctx, sppmiPages(ctx, shift));
    ctx.embeddings.delete(shift);
    ctx.sppmi.delete(shift);
  }
  console.error(`  ${ctx.name}: embeddings done (${elapsed()})`);
}

const gainOf = (label: string) => {
  const results = [...rows.get(label)!.results].filter(([name]) => tuning.includes(name));
  return results.reduce((sum, [name, { ndcg }]) => sum + ndcg / contexts.find((ctx) => ctx.name === name)!.baseline - 1, 0) / results.length;
};
const shareOf = (label: string) => Math.max(...[...rows.get(label)!.results].filter(([name]) => tuning.includes(name)).map(([, { share }]) => share));
const bestOf = (labels: readonly string[]) => labels.reduce((best, label) => (gainOf(label) > gainOf(best) ? label : best));

const bestRp3 = rp3Settings.get(bestOf([...rp3Settings.keys()]))!;
const cappedRp3 = rp3Settings.get(bestOf([...rp3Settings.keys()].filter((label) => shareOf(label) <= SHARE_CAP)))!;
const bestEmbedding = embeddingSettings.get(bestOf([...embeddingSettings.keys()]))!;
const embeddingLabel = ({ shift, dimensions }: { shift: number; dimensions: number }) => `SPPMI embeddings, shift ${shift}, ${dimensions} dims, cosine`;
const picked = [...new Set([rp3Label(bestRp3), rp3Label(cappedRp3)])];

// ---- Phase 1b: two-hop and blends of the picks, still on April and May ----

const derived = (ctx: Context) => {
  for (const label of picked) {
    const setting = rp3Settings.get(label)!;
    const { twoHop, mixed } = twoHopPages(ctx, setting);
    record(`${label}, two-hop Wk·Wk`, ctx, twoHop);
    record(`${label}, two-hop ½Wk + ½Wk·Wk`, ctx, mixed);
  }
  const others: [string, Pages][] = [];
  for (const label of picked) {
    const { weight, decay, alpha, beta } = rp3Settings.get(label)!;
    others.push([label, rp3Pages(ctx, weight, decay, alpha, [beta])[0]!]);
  }
  others.push([embeddingLabel(bestEmbedding), cosinePages(ctx, bestEmbedding.shift, bestEmbedding.dimensions)]);
  return others;
};
for (const ctx of contexts) {
  for (const [label, pages] of derived(ctx)) for (const lambda of LAMBDAS) record(`blend λ=${lambda}: engine + ${label}`, ctx, blend(ctx, pages, lambda));
  console.error(`  ${ctx.name}: two-hop and blends done (${elapsed()})`);
}

const forJuly = ["engine as served", ...picked, embeddingLabel(bestEmbedding)];
for (const label of picked) forJuly.push(bestOf([`${label}, two-hop Wk·Wk`, `${label}, two-hop ½Wk + ½Wk·Wk`]));
for (const label of [...picked, embeddingLabel(bestEmbedding)]) forJuly.push(bestOf(LAMBDAS.map((lambda) => `blend λ=${lambda}: engine + ${label}`)));

const line = (row: Row, names: readonly string[]) =>
  `${row.label} | ${names.map((name) => {
    const result = row.results.get(name);
    const ctx = contexts.find((c) => c.name === name)!;
    return result ? `${result.ndcg.toFixed(4)} (${percent(result.ndcg, ctx.baseline)}) ${(result.share * 100).toFixed(1)}%` : "–";
  }).join(" | ")}`;

console.log(`Tuning splits (${tuning.join(", ")}); raw co-occurrence ${contexts.map((ctx) => ctx.baseline.toFixed(4)).join(" / ")}`);
console.log("variant | April NDCG@10 (vs co-occurrence) best-seller share | May ...");
for (const row of rows.values()) console.log(line(row, tuning));
console.log(`\nPicked for July before it is built (${elapsed()}):\n  ${forJuly.join("\n  ")}\n`);

// ---- Phase 2: July, for the picks only ----

contexts.length = 0;
for (const split of productPageSplits(parsed, [SPLITS[2]])) {
  const ctx = prepare(split);
  contexts.push(ctx);
  record("engine as served", ctx, ctx.engine);
  for (const label of picked) {
    const setting = rp3Settings.get(label)!;
    const pages = rp3Pages(ctx, setting.weight, setting.decay, setting.alpha, [setting.beta])[0]!;
    record(label, ctx, pages);
    const { twoHop, mixed } = twoHopPages(ctx, setting);
    if (forJuly.includes(`${label}, two-hop Wk·Wk`)) record(`${label}, two-hop Wk·Wk`, ctx, twoHop);
    if (forJuly.includes(`${label}, two-hop ½Wk + ½Wk·Wk`)) record(`${label}, two-hop ½Wk + ½Wk·Wk`, ctx, mixed);
    for (const lambda of LAMBDAS) if (forJuly.includes(`blend λ=${lambda}: engine + ${label}`)) record(`blend λ=${lambda}: engine + ${label}`, ctx, blend(ctx, pages, lambda));
  }
  const label = embeddingLabel(bestEmbedding);
  const pages = cosinePages(ctx, bestEmbedding.shift, bestEmbedding.dimensions);
  record(label, ctx, pages);
  for (const lambda of LAMBDAS) if (forJuly.includes(`blend λ=${lambda}: engine + ${label}`)) record(`blend λ=${lambda}: engine + ${label}`, ctx, blend(ctx, pages, lambda));
  console.log(`July split (${ctx.name}); raw co-occurrence ${ctx.baseline.toFixed(4)}`);
  for (const label of forJuly) console.log(line(rows.get(label)!, [SPLITS[2]]));
}
console.log(`\nTotal ${elapsed()}`);
