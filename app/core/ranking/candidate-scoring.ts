import type { RankingSnapshot } from "./ranking-snapshot";

export interface ScoringOptions {
  /**
   * Added per unit of decayed popularity (best seller = 1). Co-purchase scores are
   * dimensionless (0..1), so this is a fixed share: enough to order thin evidence and to fill
   * lists, not enough to let best sellers crowd out real complements.
   */
  readonly popularityWeight: number;
}

// Measured on the shared UCI data (docs/decisions/0004-ranking-similarity.md): normalising each
// anchor's scores or sharpening them (score^2) before summing both lost 2–50% HitRate@10.
export const DEFAULT_SCORING_OPTIONS: ScoringOptions = {
  popularityWeight: 0.015,
};

/** Candidate scores for a set of anchors; owns reusable buffers sized to one snapshot. */
export interface ScoredCandidates {
  /** Positions with a score, in no particular order. */
  readonly touched: number[];
  readonly score: Float64Array;
  /** Index into the snapshot's candidate arrays of the strongest contribution (for the reason). */
  readonly bestEntry: Int32Array;
  readonly bestContribution: Float64Array;
}

// One scratch area per snapshot: queries allocate nothing proportional to the catalog. JavaScript
// runs one query at a time per isolate, and every query resets what it touched.
const scratchBySnapshot = new WeakMap<RankingSnapshot, ScoredCandidates & { touched: number[] }>();

function scratchFor(snapshot: RankingSnapshot): ScoredCandidates & { touched: number[] } {
  let scratch = scratchBySnapshot.get(snapshot);
  if (!scratch) {
    const count = snapshot.productIds.length;
    scratch = {
      touched: [],
      score: new Float64Array(count),
      bestEntry: new Int32Array(count).fill(-1),
      bestContribution: new Float64Array(count),
    };
    scratchBySnapshot.set(snapshot, scratch);
  }
  return scratch;
}

/**
 * Sums the anchors' candidate scores (an item-based nearest-neighbour vote), adds a popularity
 * prior to each candidate, and remembers which anchor contributed most to each candidate.
 * The result is valid until the next call for the same snapshot.
 */
export function scoreCandidates(
  snapshot: RankingSnapshot,
  anchorPositions: readonly number[],
  options: ScoringOptions
): ScoredCandidates {
  const scratch = scratchFor(snapshot);
  releaseScores(scratch);
  const { touched, score, bestEntry, bestContribution } = scratch;
  for (const anchor of anchorPositions) {
    const start = snapshot.candidateOffsets[anchor] ?? 0;
    const end = snapshot.candidateOffsets[anchor + 1] ?? 0;
    if (start === end) continue;
    for (let entry = start; entry < end; entry++) {
      const candidate = snapshot.candidates[entry] ?? 0;
      const contribution = snapshot.candidateScores[entry] ?? 0;
      if (bestEntry[candidate] === -1) touched.push(candidate);
      score[candidate] = (score[candidate] ?? 0) + contribution;
      if (contribution > (bestContribution[candidate] ?? 0) || bestEntry[candidate] === -1) {
        bestContribution[candidate] = contribution;
        bestEntry[candidate] = entry;
      }
    }
  }
  // The prior only orders products related to the anchors: a best seller with no link to them is
  // not put on every page (it may still fill a list the evidence cannot; see recommend.ts).
  if (options.popularityWeight !== 0) {
    for (const candidate of touched) {
      score[candidate] = (score[candidate] ?? 0) + options.popularityWeight * (snapshot.popularity[candidate] ?? 0);
    }
  }
  return scratch;
}

export function releaseScores(scored: ScoredCandidates & { touched: number[] }): void {
  for (const position of scored.touched) {
    scored.score[position] = 0;
    scored.bestEntry[position] = -1;
    scored.bestContribution[position] = 0;
  }
  scored.touched.length = 0;
}
