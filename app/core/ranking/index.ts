// Public API of the ranking engine. Everything here is pure: time (`now`) and randomness (`rng`)
// are parameters, and no module touches I/O.
export type { CatalogProduct, Order, OrderLine, Placement, ProductId } from "./types";

export {
  addOrder,
  removeOrder,
  createCoPurchaseStats,
  pairEvidence,
  productEvidence,
  DEFAULT_CO_PURCHASE_OPTIONS,
} from "./co-purchase-stats";
export type { CoPurchaseOptions, CoPurchaseStats } from "./co-purchase-stats";

export { buildSnapshot, buildSnapshotSteps, DEFAULT_SNAPSHOT_OPTIONS } from "./build-snapshot";
export { runToEnd, type Steps } from "./steps";
export type { SnapshotOptions } from "./build-snapshot";
export { buildSnapshotFromOrders } from "./build-snapshot-from-orders";
export { refreshSnapshotRows } from "./refresh-snapshot-rows";
export type { BuildSnapshotFromOrdersOptions } from "./build-snapshot-from-orders";
export type { RankingSnapshot } from "./ranking-snapshot";
export type { RankingEngineOptions } from "./ranking-engine-options";
export { serializeSnapshot, serializeSnapshotSteps, deserializeSnapshot, SnapshotFormatError } from "./snapshot-serialization";

export { recommendForProduct, recommendForCart, recommendForOrder } from "./recommend";
export type { Recommendation, RecommendOptions } from "./recommend";
export { upgradeCandidates } from "./upgrade-candidates";
export type { UpgradeOptions } from "./upgrade-candidates";
export type { MerchantRules, ProductListRule, ServeContext } from "./merchant-rules";
export { DEFAULT_SCORING_OPTIONS } from "./candidate-scoring";
export type { ScoringOptions } from "./candidate-scoring";
export type { SimilarityMeasure, SimilarityParameters } from "./similarity";
export type { ContentSimilarityOptions } from "./content-similarity";

export { describeReason, isPlacedByMerchant } from "./reasons";
export type { RecommendationReason } from "./reasons";

export { createFeedbackStore, recordFeedback, feedbackFor } from "./feedback/feedback-counts";
export type { FeedbackCounts, FeedbackEvent, FeedbackKind, FeedbackStore } from "./feedback/feedback-counts";
export { drawThompsonSlatePool, estimateThompsonPropensities, propensityCacheKey, rerankWithThompsonSampling } from "./feedback/thompson-reranker";
export type { RerankedRecommendation, ThompsonOptions, ThompsonPropensities } from "./feedback/thompson-reranker";

export { mulberry32 } from "./random";
export type { Rng } from "./random";

export { evaluateRanking, evaluateRankingSteps } from "./evaluation/evaluate-ranking";
export type { EvaluateRankingOptions, RankingEvaluationReport } from "./evaluation/evaluate-ranking";
export type { EvaluatedModel } from "./evaluation/evaluated-model";
export { splitOrdersByDate, splitOrdersRandomly } from "./evaluation/split-orders";
