import type { ScoringOptions } from "./candidate-scoring";
import type { CoPurchaseOptions } from "./co-purchase-stats";
import type { SnapshotOptions } from "./build-snapshot";

/** Every tunable of the engine in one place, each part optional (defaults are the measured ones). */
export interface RankingEngineOptions {
  readonly coPurchase?: Partial<CoPurchaseOptions>;
  readonly snapshot?: Partial<Omit<SnapshotOptions, "now">>;
  readonly scoring?: Partial<ScoringOptions>;
}
