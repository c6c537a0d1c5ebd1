import type { ExperimentGroup } from "./assignment";
import {
  balancedEquivalentCount,
  compareMeans,
  compareProportions,
  meanOf,
  minimumDetectableLift,
  sampleRatioCheck,
  type Comparison,
  type SampleMoments,
  type SampleRatioCheck,
} from "./comparisons";

/**
 * What a holdout test shows, in figures and in sentences a merchant can read. Revenue per visitor
 * is the metric the verdict rests on (see summarizeExperiment); average order value and
 * conversion are there to explain it.
 */
export type ExperimentVerdict = "lift" | "drop" | "uncertain" | "too_early" | "split_mismatch";

export const DEFAULT_MINIMUM_ORDERS_PER_GROUP = 100;

export interface ExperimentInput {
  readonly holdoutBasisPoints: number;
  readonly visitors: Readonly<Record<ExperimentGroup, number>>;
  /** Visitors with at least one order. */
  readonly buyers: Readonly<Record<ExperimentGroup, number>>;
  /** One value per order (minor units). */
  readonly orderValues: Readonly<Record<ExperimentGroup, SampleMoments>>;
  /** One value per visitor, 0 for visitors who bought nothing (minor units). */
  readonly revenuePerVisitor: Readonly<Record<ExperimentGroup, SampleMoments>>;
  readonly minimumOrdersPerGroup?: number;
}

export interface GroupFigures {
  readonly visitors: number;
  readonly buyers: number;
  readonly orders: number;
  /** Minor units, after discounts and refunds. */
  readonly revenue: number;
  /** Buyers over visitors. */
  readonly conversionRate: number | null;
  readonly averageOrderValue: number | null;
  /** Minor units, rounded. */
  readonly revenuePerVisitor: number | null;
}

export interface ExperimentSummary {
  readonly holdoutBasisPoints: number;
  readonly groups: Readonly<Record<ExperimentGroup, GroupFigures>>;
  readonly revenuePerVisitor: Comparison | null;
  readonly averageOrderValue: Comparison | null;
  readonly conversion: Comparison | null;
  readonly sampleRatio: SampleRatioCheck;
  readonly verdict: ExperimentVerdict;
  readonly minimumOrdersPerGroup: number;
  /**
   * The smallest relative lift in average order value the test would detect 4 times in 5 (95%
   * confidence, 80% power) at its current numbers of orders, unequal groups counted as the equal
   * groups with the same standard error (see balancedEquivalentCount).
   */
  readonly minimumDetectableOrderValueLift: number | null;
}

function figures(input: ExperimentInput, group: ExperimentGroup): GroupFigures {
  const orders = input.orderValues[group];
  const perVisitor = input.revenuePerVisitor[group];
  const visitors = input.visitors[group];
  return {
    visitors,
    buyers: input.buyers[group],
    orders: orders.count,
    revenue: orders.sum,
    conversionRate: visitors > 0 ? input.buyers[group] / visitors : null,
    averageOrderValue: orders.count > 0 ? Math.round(meanOf(orders)) : null,
    revenuePerVisitor: perVisitor.count > 0 ? Math.round(meanOf(perVisitor)) : null,
  };
}

/** Split first (nothing else can be trusted without it), then enough orders, then the interval. */
function verdictOf(primary: Comparison | null, enoughOrders: boolean, sampleRatio: SampleRatioCheck): ExperimentVerdict {
  if (sampleRatio.mismatch) return "split_mismatch";
  if (!enoughOrders || primary === null) return "too_early";
  if (primary.interval[0] > 0) return "lift";
  if (primary.interval[1] < 0) return "drop";
  return "uncertain";
}

/**
 * Revenue per visitor decides the verdict: it moves when Upshelf brings more orders and when it
 * brings bigger ones, and it cannot be flattered the way average order value can (a widget that
 * put off small buyers would raise the average while costing sales).
 */
export function summarizeExperiment(input: ExperimentInput): ExperimentSummary {
  const minimumOrdersPerGroup = input.minimumOrdersPerGroup ?? DEFAULT_MINIMUM_ORDERS_PER_GROUP;
  const sampleRatio = sampleRatioCheck(input.visitors, input.holdoutBasisPoints);
  const revenuePerVisitor = compareMeans(input.revenuePerVisitor.shown, input.revenuePerVisitor.holdout);
  const enoughOrders = input.orderValues.shown.count >= minimumOrdersPerGroup && input.orderValues.holdout.count >= minimumOrdersPerGroup;
  return {
    holdoutBasisPoints: input.holdoutBasisPoints,
    groups: { shown: figures(input, "shown"), holdout: figures(input, "holdout") },
    revenuePerVisitor,
    averageOrderValue: compareMeans(input.orderValues.shown, input.orderValues.holdout),
    conversion: compareProportions(
      { successes: input.buyers.shown, trials: input.visitors.shown },
      { successes: input.buyers.holdout, trials: input.visitors.holdout },
    ),
    sampleRatio,
    verdict: verdictOf(revenuePerVisitor, enoughOrders, sampleRatio),
    minimumOrdersPerGroup,
    minimumDetectableOrderValueLift: minimumDetectableLift(
      input.orderValues.holdout,
      balancedEquivalentCount(input.orderValues.shown.count, input.orderValues.holdout.count),
    ),
  };
}

const percent = (share: number, digits = 1) => `${(share * 100).toFixed(digits)}%`;
/** A sign for what is printed, not for what was computed: a figure that rounds to zero gets none. */
function signed(value: number, printed: string, printedZero: string): string {
  if (printed === printedZero) return printed;
  return `${value < 0 ? "−" : "+"}${printed}`;
}
const signedPercent = (share: number) => signed(share, percent(Math.abs(share)), percent(0));
const signedPoints = (share: number) => signed(share, (Math.abs(share) * 100).toFixed(2), (0).toFixed(2));
const count = (value: number) => value.toLocaleString("en");

/**
 * Plain sentences for the merchant, honest about uncertainty: a lift is claimed only when the
 * whole 95% interval is above zero, and every difference is given with its interval. `money`
 * formats a whole number of minor units; amounts are rounded to one before it sees them.
 */
export function describeExperiment(summary: ExperimentSummary, money: (minor: number) => string, options: { readonly ended?: boolean } = {}): string[] {
  const { shown, holdout } = summary.groups;
  const signedMoney = (minor: number) => signed(minor, money(Math.abs(Math.round(minor))), money(0));
  if (summary.verdict === "split_mismatch") {
    const observed = summary.sampleRatio.observedHoldoutShare ?? 0;
    const expected = summary.sampleRatio.expectedHoldoutShare;
    // With millions of visitors a significant skew can be a few hundredths of a point: print enough
    // digits that the two shares differ, never "10.0% … not the 10.0% configured".
    let digits = 1;
    while (digits < 4 && percent(observed, digits) === percent(expected, digits)) digits += 1;
    return [
      `The split is off: ${percent(observed, digits)} of ${count(shown.visitors + holdout.visitors)} visitors were held out, not the ${percent(expected, digits)} configured.`,
      options.ended
        ? "Visitors were not assigned as configured (a cache serving one page to everyone, or a script blocked for some visitors), so these figures cannot be trusted."
        : "Visitors are not being assigned as configured (a cache serving one page to everyone, or a script blocked for some visitors), so these figures cannot be trusted.",
    ];
  }
  if (summary.verdict === "too_early") {
    const orders = `${count(shown.orders)} from visitors who saw Upshelf and ${count(holdout.orders)} from held-out visitors`;
    // A stopped test gets no more orders: "yet" would promise a result that never comes.
    return options.ended
      ? [
          `This test ended with too few orders to compare: ${orders}.`,
          `A comparison needs at least ${count(summary.minimumOrdersPerGroup)} orders in each group; a new test that runs longer, or holds out a larger share, can get there.`,
        ]
      : [`Not enough orders yet: ${orders}.`, `The comparison is made once each group has at least ${count(summary.minimumOrdersPerGroup)} orders.`];
  }
  const sentences: string[] = [];
  const rpv = summary.revenuePerVisitor;
  if (rpv && shown.revenuePerVisitor !== null && holdout.revenuePerVisitor !== null) {
    const relative = rpv.relative === null ? "" : ` (${signedPercent(rpv.relative)})`;
    sentences.push(
      `Visitors who saw Upshelf spent ${money(shown.revenuePerVisitor)} per visitor; held-out visitors ${money(holdout.revenuePerVisitor)}: ${signedMoney(rpv.difference)}${relative}.`,
    );
    const range = rpv.relativeInterval ? ` (${signedPercent(rpv.relativeInterval[0])} to ${signedPercent(rpv.relativeInterval[1])})` : "";
    sentences.push(`95% interval for the difference: ${signedMoney(rpv.interval[0])} to ${signedMoney(rpv.interval[1])} per visitor${range}.`);
  }
  sentences.push(
    summary.verdict === "lift"
      ? "The whole interval is above zero: showing Upshelf raised what visitors spend."
      : summary.verdict === "drop"
        ? "The whole interval is below zero: visitors who saw Upshelf spent less."
        : `The interval includes zero: the difference cannot${options.ended ? "" : " yet"} be told from chance.`,
  );
  const aov = summary.averageOrderValue;
  if (aov && shown.averageOrderValue !== null && holdout.averageOrderValue !== null) {
    const range = aov.relativeInterval ? `; 95% interval ${signedPercent(aov.relativeInterval[0])} to ${signedPercent(aov.relativeInterval[1])}` : "";
    const relative = aov.relative === null ? "" : ` (${signedPercent(aov.relative)}${range})`;
    sentences.push(`Average order value: ${money(shown.averageOrderValue)} against ${money(holdout.averageOrderValue)}${relative}.`);
  }
  const conversion = summary.conversion;
  if (conversion && shown.conversionRate !== null && holdout.conversionRate !== null) {
    sentences.push(
      `Visitors who ordered: ${percent(shown.conversionRate, 2)} against ${percent(holdout.conversionRate, 2)} ` +
        `(${signedPoints(conversion.difference)} percentage points; 95% interval ${signedPoints(conversion.interval[0])} to ${signedPoints(conversion.interval[1])}).`,
    );
  }
  if (summary.minimumDetectableOrderValueLift !== null) {
    // An ended test has all the orders it will get: "so far" would promise more.
    sentences.push(
      options.ended
        ? `With ${count(shown.orders)} and ${count(holdout.orders)} orders, this test could reliably detect (4 times in 5) a change in average order value ` +
            `of about ${percent(summary.minimumDetectableOrderValueLift)} or more; smaller changes may have gone unnoticed.`
        : `With ${count(shown.orders)} and ${count(holdout.orders)} orders so far, this test reliably detects (4 times in 5) a change in average order value ` +
            `of about ${percent(summary.minimumDetectableOrderValueLift)} or more; smaller changes may go unnoticed.`,
    );
  }
  return sentences;
}
