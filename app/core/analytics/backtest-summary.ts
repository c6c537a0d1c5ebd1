/**
 * The backtest in words a merchant can act on: how often Upshelf's top picks were what buyers
 * actually bought together in the weeks the model never saw, next to what simply showing the
 * best-sellers would have achieved. Nothing is rounded in Upshelf's favour.
 */
/** A 95% interval of Upshelf's relative difference from best-sellers (0.1 = 10% more often). */
export interface LiftInterval {
  readonly low: number;
  /**
   * null when there is no upper bound: in some resamples best-sellers never hit while Upshelf
   * did. JSON has no Infinity, so stored backtests hold null here (older ones did so silently).
   */
  readonly high: number | null;
}

/** One task's rates; `interval` is absent from backtests stored before intervals were computed. */
export interface BacktestTask {
  readonly queries: number;
  readonly upshelf: number;
  readonly bestSellers: number;
  readonly interval?: LiftInterval;
}

export interface BacktestFigures {
  readonly k: number;
  /** First instant of the test window (orders from here on were hidden from training). */
  readonly testFrom: number;
  /** The latest order tested. */
  readonly testUntil: number;
  readonly testDays: number;
  readonly trainOrders: number;
  readonly testOrders: number;
  /** Cart task: one item of each test order hidden, the rest are the cart; HitRate@k. */
  readonly cart: BacktestTask;
  /** Product-page task: the order's first item is the page; Recall@k of the other items. */
  readonly pdp: BacktestTask;
}

/** "uncertain": a gap of 10% or more that resampling the test orders cannot tell from chance. */
export type BacktestVerdict = "better" | "similar" | "worse" | "uncertain";

export interface BacktestSummary {
  readonly verdict: BacktestVerdict;
  readonly headline: string;
  readonly details: readonly string[];
}

/** Differences under this relative size are reported as "about the same". */
const SIMILAR_WITHIN = 0.1;

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

function date(at: number): string {
  return new Date(at).toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
}

function count(value: number, one: string, many: string): string {
  return `${value.toLocaleString("en")} ${value === 1 ? one : many}`;
}

/**
 * Hits Upshelf needs, when best-sellers had none, before that counts as better: if both were
 * equally good, each hit would have gone either way, and all of 5 going to Upshelf has a chance
 * of 1 in 32.
 */
const MIN_HITS_AGAINST_NONE = 5;

/**
 * Tries below which no gap is called and no interval is given: resampling a handful of tries
 * gives ranges that look exact and mean nothing (3 orders printed "1.0 to 1.0 times as often").
 */
const MIN_TRIES = 30;

function verdictOf({ upshelf, bestSellers, interval, queries }: BacktestTask): BacktestVerdict {
  if (bestSellers === 0) {
    if (upshelf === 0) return "similar";
    return Math.round(upshelf * queries) >= MIN_HITS_AGAINST_NONE ? "better" : "uncertain";
  }
  if (queries < MIN_TRIES) return "uncertain";
  const relative = (upshelf - bestSellers) / bestSellers;
  if (relative >= SIMILAR_WITHIN) return interval && interval.low <= 0 ? "uncertain" : "better";
  if (relative <= -SIMILAR_WITHIN) return interval && upperOf(interval) >= 0 ? "uncertain" : "worse";
  return "similar";
}

/** Figures fresh from an evaluation may still say Infinity; stored ones say null. */
function upperOf(interval: LiftInterval): number {
  return interval.high ?? Infinity;
}

function times(relative: number): string {
  return `${(1 + relative).toFixed(1)}`;
}

/**
 * The interval as "how many times as often", worded once so the headline and the details agree.
 * An infinite end has no number a merchant could use, so it is left open ("at least", "at most").
 */
function timesRange(interval: LiftInterval, lead = ""): string {
  const low = Number.isFinite(interval.low) ? times(interval.low) : undefined;
  const high = Number.isFinite(upperOf(interval)) ? times(upperOf(interval)) : undefined;
  if (low !== undefined && high !== undefined) return `${lead}${low} to ${high} times as often`;
  if (low !== undefined) return `at least ${low} times as often`;
  if (high !== undefined) return `at most ${high} times as often`;
  return "any number of times as often";
}

function comparison(task: BacktestTask): string {
  const { upshelf, bestSellers, interval } = task;
  if (bestSellers === 0) {
    if (upshelf === 0) return "and neither were your best-sellers";
    return verdictOf(task) === "better"
      ? "while your best-sellers never were"
      : "while your best-sellers never were, but in too few tries to tell that from chance";
  }
  switch (verdictOf(task)) {
    case "similar":
      return `about as often as your best-sellers (${percent(bestSellers)})`;
    case "uncertain":
      if (task.queries < MIN_TRIES) return `against ${percent(bestSellers)} for your best-sellers, in too few tries to compare the two`;
      return (
        `against ${percent(bestSellers)} for your best-sellers, but there were too few tries to tell that gap from chance` +
        (interval ? ` (${timesRange(interval, "anywhere from ")})` : "")
      );
    default:
      return `${(upshelf / bestSellers).toFixed(1)} times as often as your best-sellers (${percent(bestSellers)})`;
  }
}

/** How sure the comparison is, for tasks that have an interval and a baseline to compare with. */
function certainty(label: string, task: BacktestTask, unit: [one: string, many: string]): string[] {
  if (!task.interval || task.bestSellers === 0) return [];
  if (task.queries < MIN_TRIES) {
    return [`${label}: ${count(task.queries, ...unit)} in the test weeks, too few to put a range on the difference (${MIN_TRIES} or more are needed).`];
  }
  return [
    `${label}: resampling the test orders, Upshelf's picks were right ${timesRange(task.interval)} as your best-sellers' (95% interval).`,
  ];
}

export function describeBacktest(figures: BacktestFigures): BacktestSummary {
  const { k, cart, pdp } = figures;
  const verdict = verdictOf(cart);
  const headline =
    `In the ${count(figures.testDays, "day", "days")} after training, one of Upshelf's top ${k} cart picks was the item ` +
    `the buyer also bought in ${percent(cart.upshelf)} of cases: ${comparison(cart)}.`;
  const details = [
    `Trained on ${count(figures.trainOrders, "order", "orders")} placed before ${date(figures.testFrom)}, then tested on the ` +
      `${count(figures.testOrders, "order", "orders")} from ${date(figures.testFrom)} to ${date(figures.testUntil)}, which the model never saw.`,
    `Cart: for each test order with two or more known products, we hid one item and showed the rest as the cart ` +
      `(${count(cart.queries, "try", "tries")}). The hidden item was among Upshelf's top ${k} picks in ${percent(cart.upshelf)} ` +
      `of tries; showing your ${k} best-sellers not already in the cart would have caught it in ${percent(cart.bestSellers)}.`,
    `Product page: starting from each test order's first product (${count(pdp.queries, "order", "orders")}), Upshelf's top ${k} ` +
      `picks included ${percent(pdp.upshelf)} of the other products bought with it; best-sellers included ${percent(pdp.bestSellers)}.`,
    ...certainty("Cart", cart, ["try", "tries"]),
    ...certainty("Product page", pdp, ["order", "orders"]),
  ];
  return { verdict, headline, details };
}
