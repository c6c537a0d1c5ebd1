import { contentNeighbourSteps, type ContentSimilarityOptions } from "./content-similarity";
import { decayFactorAt, ordersWithBoth, type CoPurchaseStats } from "./co-purchase-stats";
import { CANDIDATE_REASON, PRODUCT_FLAG, SNAPSHOT_FORMAT, type RankingSnapshot } from "./ranking-snapshot";
import { coPurchaseSimilarity, type SimilarityParameters } from "./similarity";
import { ITEMS_PER_STEP, runToEnd, type Steps } from "./steps";
import { facetKey } from "./text-tokens";
import { topIndices } from "./top-n";
import type { CatalogProduct, ProductId } from "./types";

export interface SnapshotOptions {
  /** The time the weights are decayed to (epoch ms); passed in because core has no clock. */
  readonly now: number;
  /** Candidates kept per product. */
  readonly candidatesPerProduct: number;
  readonly similarity: SimilarityParameters;
  /** Pairs seen in fewer orders are noise, not "bought together". */
  readonly minPairOrders: number;
  /** Score of a content-similar fallback per unit of content similarity. */
  readonly contentWeight: number;
  /** Score of a popularity fallback for the best seller (others scale with popularity). */
  readonly popularityFallbackWeight: number;
  /** Content-similar products kept per product for upgrades and cold start. */
  readonly similarPerProduct: number;
  readonly content: Partial<ContentSimilarityOptions>;
}

export const DEFAULT_SNAPSHOT_OPTIONS: Omit<SnapshotOptions, "now"> = {
  candidatesPerProduct: 50,
  similarity: { measure: "asymmetric_cosine", shrink: 0.5, alpha: 0.7 },
  minPairOrders: 1,
  contentWeight: 0.03,
  popularityFallbackWeight: 0.002,
  similarPerProduct: 20,
  content: {},
};

/**
 * Builds the immutable serving snapshot from running statistics and the catalog. Only catalog
 * products are ever recommended (the catalog decides what exists), and every catalog product gets
 * a full candidate list: co-purchase candidates first, then content-similar products, then best
 * sellers of its type, then best sellers overall.
 */
export function buildSnapshot(
  stats: CoPurchaseStats,
  catalog: readonly CatalogProduct[],
  options: Partial<SnapshotOptions> & Pick<SnapshotOptions, "now">
): RankingSnapshot {
  return runToEnd(buildSnapshotSteps(stats, catalog, options));
}

/**
 * buildSnapshot, yielding between small pieces of work (./steps) so a server can answer requests
 * while it builds. The statistics must not change until it ends.
 */
export function* buildSnapshotSteps(
  stats: CoPurchaseStats,
  catalog: readonly CatalogProduct[],
  options: Partial<SnapshotOptions> & Pick<SnapshotOptions, "now">
): Steps<RankingSnapshot> {
  const settings: SnapshotOptions = { ...DEFAULT_SNAPSHOT_OPTIONS, ...options };
  const products = uniqueProducts(catalog);
  const count = products.length;
  const positions = new Map<ProductId, number>();
  products.forEach((product, position) => positions.set(product.id, position));

  const statsToCatalog = new Int32Array(stats.products.ids.length).fill(-1);
  const catalogToStats = new Int32Array(count).fill(-1);
  stats.products.ids.forEach((id, statsPosition) => {
    const position = positions.get(id) ?? -1;
    statsToCatalog[statsPosition] = position;
    if (position >= 0) catalogToStats[position] = statsPosition;
  });
  const decay = decayFactorAt(stats, settings.now);

  const weight = new Float64Array(count);
  const orders = new Float64Array(count);
  statsToCatalog.forEach((position, statsPosition) => {
    if (position < 0) return;
    weight[position] = (stats.itemWeight[statsPosition] ?? 0) * decay;
    orders[position] = stats.itemOrders[statsPosition] ?? 0;
  });
  const popularity = normalisedPopularity(weight);
  const popularOrder = Uint32Array.from(
    products
      .map((_, position) => position)
      .sort((a, b) => (popularity[b] ?? 0) - (popularity[a] ?? 0) || (orders[b] ?? 0) - (orders[a] ?? 0) || a - b)
  );
  const types = productTypeTable(products, popularOrder);

  yield;
  const coPurchase = yield* coPurchaseCandidateSteps(stats, statsToCatalog, weight, decay, settings);
  const similar = yield* contentNeighbourSteps(products, { ...settings.content, limit: settings.similarPerProduct });

  const limit = Math.min(settings.candidatesPerProduct, Math.max(0, count - 1));
  const candidateOffsets = new Uint32Array(count + 1);
  const candidates = new Uint32Array(count * limit);
  const candidateScores = new Float32Array(count * limit);
  const candidateOrders = new Uint32Array(count * limit);
  const candidateReasons = new Uint8Array(count * limit);
  let filled = 0;
  const taken = new Uint8Array(count);
  for (let product = 0; product < count; product++) {
    if (product % ITEMS_PER_STEP === 0) yield;
    const listStart = filled;
    taken[product] = 1;
    const push = (candidate: number, score: number, pairOrders: number, reason: number) => {
      if (filled - listStart >= limit || taken[candidate]) return;
      taken[candidate] = 1;
      candidates[filled] = candidate;
      candidateScores[filled] = score;
      candidateOrders[filled] = pairOrders;
      candidateReasons[filled] = reason;
      filled += 1;
    };
    fillCandidateRow(
      product,
      {
        coPurchase,
        similar,
        types,
        popularity,
        popularOrder,
        settings,
        ordersWithBoth: (a, b) => ordersWithBoth(stats, catalogToStats[a] ?? -1, catalogToStats[b] ?? -1),
      },
      push,
      () => filled - listStart >= limit
    );
    for (let i = listStart; i < filled; i++) taken[candidates[i] ?? 0] = 0;
    taken[product] = 0;
    candidateOffsets[product + 1] = filled;
  }

  const flags = Uint8Array.from(
    products.map(
      (product) =>
        (product.available === false ? 0 : PRODUCT_FLAG.available) | (product.published === false ? 0 : PRODUCT_FLAG.published)
    )
  );
  const snapshot = {
    format: SNAPSHOT_FORMAT,
    version: "",
    builtAt: settings.now,
    orderCount: stats.orderCount,
    productIds: products.map((product) => product.id),
    titles: products.map((product) => product.title),
    productTypes: types.names,
    productTypeOf: types.typeOf,
    prices: Float64Array.from(
      products.map((product) => (product.price !== undefined && product.price >= 0 ? product.price : -1))
    ),
    flags,
    popularity,
    popularOrder,
    typeOffsets: types.offsets,
    typeMembers: types.members,
    candidateOffsets,
    candidates: candidates.slice(0, filled),
    candidateScores: candidateScores.slice(0, filled),
    candidateOrders: candidateOrders.slice(0, filled),
    candidateReasons: candidateReasons.slice(0, filled),
    similarOffsets: similar.offsets,
    similar: similar.neighbours,
    similarScores: similar.scores,
    positions,
  } satisfies RankingSnapshot;
  return Object.freeze({ ...snapshot, version: snapshotVersion(snapshot) });
}

/** Later duplicates of an id are ignored: the first entry is the catalog's own record. */
function uniqueProducts(catalog: readonly CatalogProduct[]): CatalogProduct[] {
  const seen = new Set<ProductId>();
  return catalog.filter((product) => (seen.has(product.id) ? false : (seen.add(product.id), true)));
}

function normalisedPopularity(weight: Float64Array): Float32Array {
  let max = 0;
  for (const value of weight) if (value > max) max = value;
  return Float32Array.from(weight, (value) => (max > 0 ? value / max : 0));
}

function productTypeTable(products: readonly CatalogProduct[], popularOrder: Uint32Array) {
  const names: string[] = [];
  const keys = new Map<string, number>();
  const typeOf = new Int32Array(products.length).fill(-1);
  products.forEach((product, position) => {
    const key = facetKey(product.productType);
    if (!key) return;
    let type = keys.get(key);
    if (type === undefined) {
      type = names.length;
      keys.set(key, type);
      names.push(product.productType?.trim() ?? key);
    }
    typeOf[position] = type;
  });
  const offsets = new Uint32Array(names.length + 1);
  for (const type of typeOf) if (type >= 0) offsets[type + 1] = (offsets[type + 1] ?? 0) + 1;
  for (let type = 0; type < names.length; type++) offsets[type + 1] = (offsets[type + 1] ?? 0) + (offsets[type] ?? 0);
  const members = new Uint32Array(offsets[names.length] ?? 0);
  const next = offsets.slice(0, names.length);
  for (const position of popularOrder) {
    const type = typeOf[position] ?? -1;
    if (type < 0) continue;
    members[next[type] ?? 0] = position;
    next[type] = (next[type] ?? 0) + 1;
  }
  return { names, typeOf, offsets, members };
}

export interface CoPurchaseCandidates {
  readonly offsets: Uint32Array;
  readonly neighbours: Uint32Array;
  readonly scores: Float32Array;
}

/** Every qualifying pair, scored in both directions, as compressed rows per catalog product. */
function* coPurchaseCandidateSteps(
  stats: CoPurchaseStats,
  statsToCatalog: Int32Array,
  weight: Float64Array,
  decay: number,
  settings: SnapshotOptions
): Steps<CoPurchaseCandidates> {
  const count = weight.length;
  const offsets = new Uint32Array(count + 1);
  const qualifies = (a: number, b: number, orders: number) =>
    orders >= settings.minPairOrders && (statsToCatalog[a] ?? -1) >= 0 && (statsToCatalog[b] ?? -1) >= 0;
  for (const [a, slots] of stats.pairSlots.entries()) {
    if (a % ITEMS_PER_STEP === 0) yield;
    for (const [b, slot] of slots) {
      if (!qualifies(a, b, stats.pairOrders[slot] ?? 0)) continue;
      const ca = statsToCatalog[a] ?? 0;
      const cb = statsToCatalog[b] ?? 0;
      offsets[ca + 1] = (offsets[ca + 1] ?? 0) + 1;
      offsets[cb + 1] = (offsets[cb + 1] ?? 0) + 1;
    }
  }
  for (let p = 0; p < count; p++) offsets[p + 1] = (offsets[p + 1] ?? 0) + (offsets[p] ?? 0);
  const total = offsets[count] ?? 0;
  const neighbours = new Uint32Array(total);
  const scores = new Float32Array(total);
  const next = offsets.slice(0, count);
  const allOrders = stats.orderWeight * decay;
  const put = (from: number, to: number, score: number) => {
    const slot = next[from] ?? 0;
    neighbours[slot] = to;
    scores[slot] = score;
    next[from] = slot + 1;
  };
  for (const [a, slots] of stats.pairSlots.entries()) {
    if (a % ITEMS_PER_STEP === 0) yield;
    for (const [b, slot] of slots) {
      const orders = stats.pairOrders[slot] ?? 0;
      if (!qualifies(a, b, orders)) continue;
      const ca = statsToCatalog[a] ?? 0;
      const cb = statsToCatalog[b] ?? 0;
      const pair = (stats.pairWeight[slot] ?? 0) * decay;
      const wa = weight[ca] ?? 0;
      const wb = weight[cb] ?? 0;
      put(ca, cb, coPurchaseSimilarity({ pair, anchor: wa, candidate: wb, orders: allOrders }, settings.similarity));
      put(cb, ca, coPurchaseSimilarity({ pair, anchor: wb, candidate: wa, orders: allOrders }, settings.similarity));
    }
  }
  return { offsets, neighbours, scores };
}

/** FNV-1a over the candidate lists and ids: equal content, equal version. */
export function snapshotVersion(snapshot: Omit<RankingSnapshot, "version">): string {
  let hash = 0x811c9dc5;
  const mix = (value: number) => {
    hash ^= value & 0xffff;
    hash = Math.imul(hash, 0x01000193);
    hash ^= value >>> 16;
    hash = Math.imul(hash, 0x01000193);
  };
  for (const id of snapshot.productIds) for (let i = 0; i < id.length; i++) mix(id.charCodeAt(i));
  for (const value of snapshot.candidates) mix(value);
  const scoreBits = new Uint32Array(
    snapshot.candidateScores.buffer,
    snapshot.candidateScores.byteOffset,
    snapshot.candidateScores.length
  );
  for (const value of scoreBits) mix(value);
  for (const value of snapshot.flags) mix(value);
  return `${snapshot.builtAt.toString(36)}-${(hash >>> 0).toString(36)}`;
}

/** What one product's candidate row is made of (shared by full builds and row refreshes). */
export interface CandidateRowSources {
  readonly coPurchase: CoPurchaseCandidates;
  readonly similar: {
    readonly offsets: Uint32Array;
    readonly neighbours: Uint32Array;
    readonly scores: Float32Array;
  };
  readonly types: {
    readonly typeOf: Int32Array;
    readonly offsets: Uint32Array;
    readonly members: Uint32Array;
  };
  readonly popularity: Float32Array;
  readonly popularOrder: Uint32Array;
  readonly settings: Pick<SnapshotOptions, "contentWeight" | "popularityFallbackWeight" | "candidatesPerProduct">;
  /** Orders holding both products (catalog positions), for "bought together in N orders". */
  readonly ordersWithBoth: (product: number, candidate: number) => number;
}

/**
 * Pushes one product's candidates in rank order: co-purchase candidates with content similarity
 * added, then content-similar products, then best sellers of its type, then of the shop. `push`
 * ignores what is already in the row; `full` says when to stop.
 */
export function fillCandidateRow(
  product: number,
  sources: CandidateRowSources,
  push: (candidate: number, score: number, pairOrders: number, reason: number) => void,
  full: () => boolean
): void {
  const { coPurchase, similar, types, popularity, popularOrder, settings, ordersWithBoth } = sources;
  const limit = settings.candidatesPerProduct;
  const count = popularity.length;
  // Co-purchase candidates, with content similarity added on top: products of one range
  // ("jumbo bag …") are bought together more than their co-purchase counts alone can show.
  const start = coPurchase.offsets[product] ?? 0;
  const end = coPurchase.offsets[product + 1] ?? 0;
  const merged = new Map<number, { score: number; orders: number; reason: number }>();
  for (const i of topIndices(end - start, (i) => coPurchase.scores[start + i] ?? 0, limit)) {
    const candidate = coPurchase.neighbours[start + i] ?? 0;
    merged.set(candidate, {
      score: coPurchase.scores[start + i] ?? 0,
      orders: ordersWithBoth(product, candidate),
      reason: CANDIDATE_REASON.boughtTogether,
    });
  }
  for (let i = similar.offsets[product] ?? 0; i < (similar.offsets[product + 1] ?? 0); i++) {
    const candidate = similar.neighbours[i] ?? 0;
    const contentScore = settings.contentWeight * (similar.scores[i] ?? 0);
    const existing = merged.get(candidate);
    if (existing) existing.score += contentScore;
    else
      merged.set(candidate, {
        score: contentScore,
        orders: 0,
        reason: CANDIDATE_REASON.similar,
      });
  }
  const entries = [...merged].sort((a, b) => b[1].score - a[1].score || a[0] - b[0]);
  for (const [candidate, entry] of entries) push(candidate, entry.score, entry.orders, entry.reason);
  const type = types.typeOf[product] ?? -1;
  if (type >= 0) {
    for (let i = types.offsets[type] ?? 0; i < (types.offsets[type + 1] ?? 0) && !full(); i++) {
      const candidate = types.members[i] ?? 0;
      push(
        candidate,
        settings.popularityFallbackWeight * (0.5 + 0.5 * (popularity[candidate] ?? 0)),
        0,
        CANDIDATE_REASON.popularInType
      );
    }
  }
  for (let i = 0; i < count && !full(); i++) {
    const candidate = popularOrder[i] ?? 0;
    push(candidate, settings.popularityFallbackWeight * 0.5 * (popularity[candidate] ?? 0), 0, CANDIDATE_REASON.popular);
  }
}
