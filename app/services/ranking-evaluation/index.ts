export { evaluateOrderHistory, EvaluationInputError } from "./evaluate-order-history";
export type { EvaluateOrderHistoryOptions, OrderHistorySplit } from "./evaluate-order-history";
export { evaluateOrderFiles } from "./evaluate-order-files";
export type { EvaluateOrderFilesOptions } from "./evaluate-order-files";
// The association-rules baseline is not re-exported: it loads node-fpgrowth, a development dependency.
export { DEFAULT_ASSOCIATION_RULES_SUPPORT } from "./association-rules-options";
export type { AssociationRulesOptions } from "./association-rules-options";
export { formatEvaluationTable } from "./format-evaluation-table";
export { parseEvalArguments, UsageError, EVAL_USAGE } from "./parse-eval-arguments";
export type { EvalArguments } from "./parse-eval-arguments";
