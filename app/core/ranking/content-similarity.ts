import { priceBand } from "./price-band";
import { facetKey, textTokens } from "./text-tokens";
import { ITEMS_PER_STEP, runToEnd, type Steps } from "./steps";
import type { CatalogProduct } from "./types";

export interface ContentSimilarityOptions {
  /** Similar products kept per product. */
  readonly limit: number;
  /** Relative weights of the feature families; text tokens weigh 1 (title) and 0.5 (description). */
  readonly productTypeWeight: number;
  readonly vendorWeight: number;
  readonly tagWeight: number;
  readonly priceBandWeight: number;
}

export const DEFAULT_CONTENT_SIMILARITY_OPTIONS: ContentSimilarityOptions = {
  limit: 20,
  productTypeWeight: 1.5,
  vendorWeight: 0.5,
  tagWeight: 1,
  priceBandWeight: 0.5,
};

/** Top similar products per catalog position, in compressed-row form (scores in (0, 1]). */
export interface ContentNeighbours {
  readonly offsets: Uint32Array;
  readonly neighbours: Uint32Array;
  readonly scores: Float32Array;
}

// Long descriptions would drown the title, which is what shoppers compare products by.
const MAX_DESCRIPTION_TOKENS = 120;

/**
 * Cosine similarity of TF-IDF vectors over title and description words, product type, vendor,
 * tags and price band. Computed through an inverted index; features shared by more than
 * `maxPostings` products (say "gift" in a gift shop) still count in vector norms but are not
 * used to find candidates, which keeps the cost near-linear in catalog size.
 */
export function contentNeighbours(
  catalog: readonly CatalogProduct[],
  options: Partial<ContentSimilarityOptions> = {}
): ContentNeighbours {
  return runToEnd(contentNeighbourSteps(catalog, options));
}

/** contentNeighbours, yielding between small groups of products (see ./steps). */
export function* contentNeighbourSteps(
  catalog: readonly CatalogProduct[],
  options: Partial<ContentSimilarityOptions> = {}
): Steps<ContentNeighbours> {
  const settings = { ...DEFAULT_CONTENT_SIMILARITY_OPTIONS, ...options };
  const rawVectors = catalog.map((product) => rawFeatures(product, settings));
  const documentFrequency = new Map<string, number>();
  for (const vector of rawVectors) {
    for (const feature of vector.keys()) documentFrequency.set(feature, (documentFrequency.get(feature) ?? 0) + 1);
  }
  const count = catalog.length;
  const featureIds = new Map<string, number>();
  const vectors = rawVectors.map((vector) => weightAndNormalise(vector, documentFrequency, count, featureIds));
  const maxPostings = Math.max(20, Math.min(1000, Math.ceil(count * 0.1)));
  const postings: { product: number; weight: number }[][] = Array.from({ length: featureIds.size }, () => []);
  vectors.forEach((vector, product) => {
    for (const [feature, weight] of vector) postings[feature]?.push({ product, weight });
  });

  const offsets = new Uint32Array(count + 1);
  const neighbours: number[] = [];
  const scores: number[] = [];
  const accumulated = new Float64Array(count);
  const touched: number[] = [];
  yield;
  for (const [product, vector] of vectors.entries()) {
    if (product % ITEMS_PER_STEP === 0) yield;
    for (const [feature, weight] of vector) {
      const list = postings[feature];
      if (!list || list.length > maxPostings) continue;
      for (const other of list) {
        if (other.product === product) continue;
        if (accumulated[other.product] === 0) touched.push(other.product);
        accumulated[other.product] = (accumulated[other.product] ?? 0) + weight * other.weight;
      }
    }
    const best = touched
      .map((other) => ({ other, score: accumulated[other] ?? 0 }))
      .sort((a, b) => b.score - a.score || a.other - b.other)
      .slice(0, settings.limit);
    for (const { other, score } of best) {
      neighbours.push(other);
      scores.push(Math.min(1, score));
    }
    for (const other of touched) accumulated[other] = 0;
    touched.length = 0;
    offsets[product + 1] = neighbours.length;
  }
  return { offsets, neighbours: Uint32Array.from(neighbours), scores: Float32Array.from(scores) };
}

function rawFeatures(product: CatalogProduct, settings: ContentSimilarityOptions): Map<string, number> {
  const termFrequency = new Map<string, number>();
  const add = (token: string, weight: number) => termFrequency.set(token, (termFrequency.get(token) ?? 0) + weight);
  for (const token of textTokens(product.title)) add(token, 1);
  if (product.description) {
    for (const token of textTokens(product.description).slice(0, MAX_DESCRIPTION_TOKENS)) add(token, 0.5);
  }
  const features = new Map<string, number>();
  // Sub-linear term frequency: "heart heart heart" is not three times as much about hearts.
  for (const [token, frequency] of termFrequency) features.set(`w:${token}`, frequency > 1 ? 1 + Math.log(frequency) : frequency);
  const productType = facetKey(product.productType);
  if (productType) features.set(`type:${productType}`, settings.productTypeWeight);
  const vendor = facetKey(product.vendor);
  if (vendor) features.set(`vendor:${vendor}`, settings.vendorWeight);
  for (const tag of product.tags ?? []) {
    const key = facetKey(tag);
    if (key) features.set(`tag:${key}`, settings.tagWeight);
  }
  const band = priceBand(product.price);
  if (band !== undefined) features.set(`band:${band}`, settings.priceBandWeight);
  return features;
}

function weightAndNormalise(
  raw: Map<string, number>,
  documentFrequency: Map<string, number>,
  count: number,
  featureIds: Map<string, number>
): Map<number, number> {
  const weighted = new Map<number, number>();
  let norm = 0;
  for (const [feature, featureWeight] of raw) {
    // Smoothed IDF stays positive even for a feature every product has.
    const weight = featureWeight * Math.log(1 + count / (documentFrequency.get(feature) ?? 1));
    // A family switched off (weight 0) must not make every product a "neighbour" of every other.
    if (!(weight > 0)) continue;
    let id = featureIds.get(feature);
    if (id === undefined) {
      id = featureIds.size;
      featureIds.set(feature, id);
    }
    weighted.set(id, weight);
    norm += weight * weight;
  }
  const length = Math.sqrt(norm);
  if (length > 0) for (const [id, weight] of weighted) weighted.set(id, weight / length);
  return weighted;
}
