/**
 * The holdout test's figures: visitors counted per group (their beacon), and the orders whose cart
 * the widget script marked with the test's key, each put in its visitor's group by the same hash
 * the storefront used. Amounts are order subtotals after discounts and refunds, in the shop's
 * currency (orders paid in another are left out), placed while the test ran. Every query is
 * filtered by shopId.
 */
import { orderRevenue } from "~/core/analytics";
import { groupFor, summarizeExperiment, type ExperimentGroup, type ExperimentSummary, type SampleMoments } from "~/core/experiments";
import db from "~/db.server";
import { countExperimentVisitors, findExperiment, latestExperiment, type ExperimentRow } from "~/models/experiment.server";
import { chunks, IN_LIST_SIZE } from "~/models/in-lists";

export interface ExperimentResults {
  readonly experiment: ExperimentRow;
  readonly currency: string;
  /** The shop's time zone (IANA), in which the page states the test's dates. */
  readonly timeZone: string;
  readonly summary: ExperimentSummary;
  /** Orders of the test in another currency than the shop's, left out of every figure. */
  readonly ordersInOtherCurrencies: number;
}

const GROUPS: readonly ExperimentGroup[] = ["shown", "holdout"];

function momentsOf(values: Iterable<number>, count?: number): SampleMoments {
  let sum = 0;
  let sumOfSquares = 0;
  let seen = 0;
  for (const value of values) {
    sum += value;
    sumOfSquares += value * value;
    seen += 1;
  }
  // Visitors who bought nothing count as zeros: they add to the count, not to the sums.
  return { count: Math.max(count ?? seen, seen), sum, sumOfSquares };
}

/**
 * A holdout test with its figures: the one with `key`, else the latest (running or ended); null when
 * the shop has no such test (or never ran one).
 */
export async function loadExperimentResults(shopId: string, key?: string): Promise<ExperimentResults | null> {
  const experiment = key === undefined ? await latestExperiment(shopId) : await findExperiment(shopId, key);
  if (!experiment) return null;
  const shop = await db.shop.findUnique({ where: { id: shopId }, select: { currency: true, timeZone: true } });
  const currency = shop?.currency ?? "USD";
  const timeZone = shop?.timeZone ?? "UTC";
  const placedAt = { gte: experiment.startedAt, ...(experiment.endedAt ? { lt: experiment.endedAt } : {}) };
  const inTest = { shopId, experimentKey: experiment.key, cancelledAt: null, placedAt };
  const [counted, orders, ordersInOtherCurrencies] = await Promise.all([
    countExperimentVisitors(shopId, experiment.id),
    db.order.findMany({ where: { ...inTest, currency }, select: { subtotalAmount: true, refundedAmount: true, experimentVisitor: true } }),
    db.order.count({ where: { ...inTest, currency: { not: currency } } }),
  ]);

  // Each buyer's spend, by group. A buyer whose visit beacon never arrived (blocked, or sent
  // before a cleared flag was set again) is still a visitor of their group.
  const spendByVisitor = new Map<ExperimentGroup, Map<string, number>>(GROUPS.map((group) => [group, new Map()]));
  const orderValues = new Map<ExperimentGroup, number[]>(GROUPS.map((group) => [group, []]));
  for (const order of orders) {
    if (!order.experimentVisitor) continue;
    const group = groupFor(experiment.holdoutBasisPoints, experiment.key, order.experimentVisitor);
    const value = orderRevenue(order);
    orderValues.get(group)?.push(value);
    const spend = spendByVisitor.get(group) as Map<string, number>;
    spend.set(order.experimentVisitor, (spend.get(order.experimentVisitor) ?? 0) + value);
  }
  const uncounted = await buyersWithoutVisit(shopId, experiment.id, [...spendByVisitor.values()].flatMap((spend) => [...spend.keys()]));
  const visitors = { shown: 0, holdout: 0 };
  const buyers = { shown: 0, holdout: 0 };
  for (const group of GROUPS) {
    const spend = spendByVisitor.get(group) as Map<string, number>;
    buyers[group] = spend.size;
    visitors[group] = counted[group] + [...spend.keys()].filter((visitor) => uncounted.has(visitor)).length;
  }
  const summary = summarizeExperiment({
    holdoutBasisPoints: experiment.holdoutBasisPoints,
    visitors,
    buyers,
    orderValues: { shown: momentsOf(orderValues.get("shown") ?? []), holdout: momentsOf(orderValues.get("holdout") ?? []) },
    revenuePerVisitor: {
      shown: momentsOf(spendByVisitor.get("shown")?.values() ?? [], visitors.shown),
      holdout: momentsOf(spendByVisitor.get("holdout")?.values() ?? [], visitors.holdout),
    },
  });
  return { experiment, currency, timeZone, summary, ordersInOtherCurrencies };
}

async function buyersWithoutVisit(shopId: string, experimentId: number, visitorKeys: readonly string[]): Promise<Set<string>> {
  const missing = new Set(visitorKeys);
  for (const keys of chunks(visitorKeys, IN_LIST_SIZE)) {
    const rows = await db.experimentVisitor.findMany({ where: { shopId, experimentId, visitorKey: { in: keys } }, select: { visitorKey: true } });
    for (const row of rows) missing.delete(row.visitorKey);
  }
  return missing;
}
