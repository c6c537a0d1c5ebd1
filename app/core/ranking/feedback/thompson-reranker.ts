import { createNormalSampler, sampleBeta, type Rng } from "../random";
import type { Recommendation } from "../recommend";
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
  const pinned = candidates.filter((item) => item.reason.kind === "pinned");
  const open = candidates.filter((item) => item.reason.kind !== "pinned");
  const slots = Math.min(options.slots ?? candidates.length, candidates.length);
  const openSlots = Math.max(0, slots - pinned.length);
  const posteriors = posteriorsFor(open, options);
  const normal = createNormalSampler(options.rng);
  const values = new Float64Array(open.length);
  const slate = new Int32Array(openSlots);
  const draw = (): Int32Array => {
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
  const chosen = Array.from(draw());

  const samples = options.propensitySamples ?? 100;
  // atPosition[index * openSlots + position]: how often a draw put candidate `index` at `position`.
  const atPosition = new Uint32Array(open.length * openSlots);
  const inSlate = new Uint32Array(open.length);
  for (let s = 0; s < samples; s++) {
    draw().forEach((index, position) => {
      atPosition[index * openSlots + position] = (atPosition[index * openSlots + position] ?? 0) + 1;
      inSlate[index] = (inSlate[index] ?? 0) + 1;
    });
  }
  // The draw actually served is itself a sample, so no shown item gets a zero propensity.
  const estimate = (count: number) => (count + 1) / (samples + 1);

  const result: RerankedRecommendation[] = pinned.slice(0, slots).map((item) => ({ ...item, propensity: 1, slatePropensity: 1 }));
  chosen.forEach((index, position) => {
    const item = open[index];
    if (!item) return;
    result.push({
      ...item,
      propensity: estimate(atPosition[index * openSlots + position] ?? 0),
      slatePropensity: estimate(inSlate[index] ?? 0),
    });
  });
  return result;
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
