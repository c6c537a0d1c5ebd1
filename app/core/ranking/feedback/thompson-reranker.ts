import { createNormalSampler, sampleBeta, type Rng } from "../random";
import type { Recommendation } from "../recommend";
import { isPlacedByMerchant } from "../reasons";
import type { Placement } from "../types";
import { engagements, feedbackFor, type FeedbackStore } from "./feedback-counts";

export interface ThompsonOptions {
  readonly anchorKey: string;
  readonly placement: Placement;
  readonly feedback: FeedbackStore;
  readonly rng: Rng;
  /** Items returned (default: all given). */
  readonly slots?: number;
  /**
   * Engagement rate the static ranking's best item is assumed to have before any feedback; the
   * weakest candidate is assumed to have half of it. Default 0.05.
   */
  readonly priorRate?: number;
  /** Pseudo-impressions behind the prior: how much feedback it takes to overrule the static order. Default 40. */
  readonly priorStrength?: number;
  /** Monte Carlo draws for the logged propensities (default 100, i.e. about ±0.05; 0 disables). */
  readonly propensitySamples?: number;
  /**
   * Propensities estimated earlier for the same candidates, posteriors and slots (see
   * estimateThompsonPropensities). They depend only on the posteriors, not on the draw served,
   * so a server caches them until the feedback counts change and skips the Monte Carlo here.
   */
  readonly propensities?: ThompsonPropensities;
}

/**
 * How often the policy puts each non-pinned candidate at each open position, estimated from
 * `samples` draws. `atPosition[index * openSlots + position]` and `inSlate[index]` are
 * probabilities; `floor` (half a draw) stands in for "never seen in the sample", so an item
 * actually served never logs a zero propensity.
 */
export interface ThompsonPropensities {
  readonly candidates: number;
  readonly openSlots: number;
  readonly samples: number;
  readonly atPosition: Float64Array;
  readonly inSlate: Float64Array;
  readonly floor: number;
}

export interface RerankedRecommendation extends Recommendation {
  /**
   * Estimated probability that this item is shown at this position under the policy, for
   * off-policy evaluation (inverse propensity weighting) of logged events.
   */
  readonly propensity: number;
  /** Estimated probability that this item is shown at all (in any of the slots). */
  readonly slatePropensity: number;
}

/**
 * Thompson sampling over the top candidates: each candidate's engagement rate has a Beta
 * posterior per (anchor, candidate, placement), whose prior mean comes from the static score,
 * so a new widget starts close to the learned ranking and explores as evidence arrives. Pinned
 * items keep their places at the top. Deterministic for a given rng.
 */
export function rerankWithThompsonSampling(
  candidates: readonly Recommendation[],
  options: ThompsonOptions
): RerankedRecommendation[] {
  const { pinned, open, openSlots, slots } = splitPinned(candidates, options.slots);
  const drawSlate = createSlateSampler(open, openSlots, options);
  const chosen = Array.from(drawSlate());

  let at: (index: number, position: number) => number;
  let anywhere: (index: number) => number;
  if (options.propensities && options.propensities.candidates === open.length && options.propensities.openSlots === openSlots) {
    const table = options.propensities;
    at = (index, position) => Math.max(table.floor, table.atPosition[index * openSlots + position] ?? 0);
    anywhere = (index) => Math.max(table.floor, table.inSlate[index] ?? 0);
  } else {
    const samples = options.propensitySamples ?? 100;
    // atPosition[index * openSlots + position]: how often a draw put candidate `index` at `position`.
    const atPosition = new Uint32Array(open.length * openSlots);
    const inSlate = new Uint32Array(open.length);
    for (let s = 0; s < samples; s++) {
      drawSlate().forEach((index, position) => {
        atPosition[index * openSlots + position] = (atPosition[index * openSlots + position] ?? 0) + 1;
        inSlate[index] = (inSlate[index] ?? 0) + 1;
      });
    }
    // The draw actually served is itself a sample, so no shown item gets a zero propensity.
    const chosenAt = new Map(chosen.map((index, position) => [index, position]));
    at = (index, position) =>
      ((atPosition[index * openSlots + position] ?? 0) + (chosenAt.get(index) === position ? 1 : 0)) / (samples + 1);
    anywhere = (index) => ((inSlate[index] ?? 0) + (chosenAt.has(index) ? 1 : 0)) / (samples + 1);
  }

  const result: RerankedRecommendation[] = pinned.slice(0, slots).map((item) => reranked(item, 1, 1));
  chosen.forEach((index, position) => {
    const item = open[index];
    if (!item) return;
    result.push(reranked(item, at(index, position), anywhere(index)));
  });
  return result;
}

/**
 * `count` independent Thompson draws sharing one set of posteriors (far cheaper than `count`
 * re-ranks). Each pick's propensity is its frequency at that position among the draws, which is
 * the exact probability under a policy that serves one of these slates uniformly at random; a
 * server caches such a pool per context and re-draws it when the feedback changes. Pinned items
 * keep their places with propensity 1. Deterministic for a given rng.
 */
export function drawThompsonSlatePool(
  candidates: readonly Recommendation[],
  options: ThompsonOptions,
  count: number
): RerankedRecommendation[][] {
  const { pinned, open, openSlots, slots } = splitPinned(candidates, options.slots);
  const drawSlate = createSlateSampler(open, openSlots, options);
  const draws = Array.from({ length: Math.max(1, count) }, () => Array.from(drawSlate()));
  const atPosition = new Float64Array(open.length * openSlots);
  const inSlate = new Float64Array(open.length);
  for (const chosen of draws) {
    chosen.forEach((index, position) => {
      atPosition[index * openSlots + position] = (atPosition[index * openSlots + position] ?? 0) + 1 / draws.length;
      inSlate[index] = (inSlate[index] ?? 0) + 1 / draws.length;
    });
  }
  const kept = pinned.slice(0, slots).map((item) => reranked(item, 1, 1));
  return draws.map((chosen) => {
    const slate = kept.slice();
    chosen.forEach((index, position) => {
      const item = open[index];
      if (item) slate.push(reranked(item, atPosition[index * openSlots + position] ?? 0, inSlate[index] ?? 0));
    });
    return slate;
  });
}

/**
 * Monte Carlo estimate of the policy's propensities for these candidates and feedback (the same
 * `options` as the re-rank, with `samples` draws, default 200). Deterministic for a given rng.
 */
export function estimateThompsonPropensities(
  candidates: readonly Recommendation[],
  options: ThompsonOptions & { readonly samples?: number }
): ThompsonPropensities {
  const { open, openSlots } = splitPinned(candidates, options.slots);
  const samples = Math.max(1, options.samples ?? 200);
  const drawSlate = createSlateSampler(open, openSlots, options);
  const atPosition = new Float64Array(open.length * openSlots);
  const inSlate = new Float64Array(open.length);
  for (let s = 0; s < samples; s++) {
    drawSlate().forEach((index, position) => {
      atPosition[index * openSlots + position] = (atPosition[index * openSlots + position] ?? 0) + 1 / samples;
      inSlate[index] = (inSlate[index] ?? 0) + 1 / samples;
    });
  }
  return {
    candidates: open.length,
    openSlots,
    samples,
    atPosition,
    inSlate,
    floor: 0.5 / samples,
  };
}

/**
 * The item with its propensities, built field by field: on Node 20 (V8 11) `{ ...item, more }`
 * takes a slow path costing about 2.5 µs per object, which made a 16-slate pool cost 160 µs.
 */
function reranked(item: Recommendation, propensity: number, slatePropensity: number): RerankedRecommendation {
  return { productId: item.productId, score: item.score, reason: item.reason, propensity, slatePropensity };
}

function splitPinned(candidates: readonly Recommendation[], wanted: number | undefined) {
  const pinned = candidates.filter((item) => isPlacedByMerchant(item.reason));
  const open = candidates.filter((item) => !isPlacedByMerchant(item.reason));
  const slots = Math.min(wanted ?? candidates.length, candidates.length);
  return { pinned, open, slots, openSlots: Math.max(0, slots - pinned.length) };
}

/** One Thompson draw per call: candidate indices for the open slots, best sampled rate first. */
function createSlateSampler(open: readonly Recommendation[], openSlots: number, options: ThompsonOptions): () => Int32Array {
  const posteriors = posteriorsFor(open, options);
  const normal = createNormalSampler(options.rng);
  const values = new Float64Array(open.length);
  const slate = new Int32Array(openSlots);
  return () => {
    posteriors.forEach((posterior, index) => {
      values[index] = sampleBeta(posterior.alpha, posterior.beta, options.rng, normal);
    });
    // Selection of the few best values (slots are few): no sort, no allocation per draw.
    for (let position = 0; position < openSlots; position++) {
      let best = -1;
      for (let index = 0; index < values.length; index++) {
        if (best < 0 || (values[index] as number) > (values[best] as number)) best = index;
      }
      slate[position] = best;
      values[best] = Number.NEGATIVE_INFINITY;
    }
    return slate;
  };
}

interface BetaPosterior {
  readonly alpha: number;
  readonly beta: number;
}

function posteriorsFor(open: readonly Recommendation[], options: ThompsonOptions): BetaPosterior[] {
  const priorRate = options.priorRate ?? 0.05;
  const strength = options.priorStrength ?? 40;
  const scores = open.map((item) => (Number.isFinite(item.score) ? item.score : 0));
  const best = Math.max(0, ...scores);
  return open.map((item, index) => {
    const relative = best > 0 ? Math.max(0, scores[index] ?? 0) / best : 1;
    const mean = priorRate * (0.5 + 0.5 * relative);
    const counts = feedbackFor(options.feedback, options.anchorKey, item.productId, options.placement);
    const successes = engagements(counts);
    return {
      alpha: mean * strength + successes,
      beta: (1 - mean) * strength + (counts.impressions - successes),
    };
  });
}

/**
 * A cache key for estimateThompsonPropensities: the slots and each candidate's Beta posterior,
 * quantised (α to 0.05, β to 0.5, i.e. well inside the Monte Carlo error of the estimate).
 * Propensities depend on nothing else, so carts with different products but the same shape of
 * scores and no feedback share one table.
 */
export function propensityCacheKey(candidates: readonly Recommendation[], options: ThompsonOptions): string {
  const { pinned, open, openSlots } = splitPinned(candidates, options.slots);
  let key = `${pinned.length}/${openSlots}`;
  for (const posterior of posteriorsFor(open, options)) {
    key += `|${Math.round(posterior.alpha * 20)},${Math.round(posterior.beta * 2)}`;
  }
  return key;
}
