/**
 * The backtest in words a merchant can act on: how often Upshelf's top picks were what buyers
 * actually bought together in the weeks the model never saw, next to what simply showing the
 * best-sellers would have achieved. Nothing is rounded in Upshelf's favour.
 */
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
  readonly cart: { readonly queries: number; readonly upshelf: number; readonly bestSellers: number };
  /** Product-page task: the order's first item is the page; Recall@k of the other items. */
  readonly pdp: { readonly queries: number; readonly upshelf: number; readonly bestSellers: number };
}

export type BacktestVerdict = "better" | "similar" | "worse";

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

function verdictOf(upshelf: number, baseline: number): BacktestVerdict {
  if (baseline === 0) return upshelf > 0 ? "better" : "similar";
  const relative = (upshelf - baseline) / baseline;
  if (relative >= SIMILAR_WITHIN) return "better";
  if (relative <= -SIMILAR_WITHIN) return "worse";
  return "similar";
}

function comparison(upshelf: number, baseline: number): string {
  if (baseline === 0) return upshelf > 0 ? "while your best-sellers never were" : "and neither were your best-sellers";
  const ratio = upshelf / baseline;
  if (verdictOf(upshelf, baseline) === "similar") return `about as often as your best-sellers (${percent(baseline)})`;
  return `${ratio.toFixed(1)} times as often as your best-sellers (${percent(baseline)})`;
}

export function describeBacktest(figures: BacktestFigures): BacktestSummary {
  const { k, cart, pdp } = figures;
  const verdict = verdictOf(cart.upshelf, cart.bestSellers);
  const headline =
    `In the ${count(figures.testDays, "day", "days")} after training, one of Upshelf's top ${k} cart picks was the item ` +
    `the buyer also bought in ${percent(cart.upshelf)} of cases: ${comparison(cart.upshelf, cart.bestSellers)}.`;
  const details = [
    `Trained on ${count(figures.trainOrders, "order", "orders")} placed before ${date(figures.testFrom)}, then tested on the ` +
      `${count(figures.testOrders, "order", "orders")} from ${date(figures.testFrom)} to ${date(figures.testUntil)}, which the model never saw.`,
    `Cart: for each test order with two or more known products, we hid one item and showed the rest as the cart ` +
      `(${count(cart.queries, "try", "tries")}). The hidden item was among Upshelf's top ${k} picks in ${percent(cart.upshelf)} ` +
      `of tries; showing your ${k} best-sellers not already in the cart would have caught it in ${percent(cart.bestSellers)}.`,
    `Product page: starting from each test order's first product (${count(pdp.queries, "order", "orders")}), Upshelf's top ${k} ` +
      `picks included ${percent(pdp.upshelf)} of the other products bought with it; best-sellers included ${percent(pdp.bestSellers)}.`,
  ];
  return { verdict, headline, details };
}
