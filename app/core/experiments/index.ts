// Holdout tests: who is held out, and what the difference between the groups shows.
export { assignmentBucket, groupFor } from "./assignment";
export type { ExperimentGroup } from "./assignment";
export {
  SAMPLE_RATIO_MISMATCH_P_VALUE,
  balancedEquivalentCount,
  compareMeans,
  compareProportions,
  meanOf,
  minimumDetectableLift,
  sampleRatioCheck,
  varianceOf,
} from "./comparisons";
export type { Comparison, DetectableLiftOptions, Proportion, SampleMoments, SampleRatioCheck } from "./comparisons";
export { DEFAULT_MINIMUM_ORDERS_PER_GROUP, describeExperiment, summarizeExperiment } from "./experiment-summary";
export type { ExperimentInput, ExperimentSummary, ExperimentVerdict, GroupFigures } from "./experiment-summary";
export { chiSquareOneDofSurvival, criticalValue, normalCdf, normalQuantile } from "./statistics";
