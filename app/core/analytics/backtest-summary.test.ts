import { describe, expect, it } from "vitest";
import { describeBacktest, type BacktestFigures } from "./backtest-summary";

const base: BacktestFigures = {
  k: 5,
  testFrom: Date.UTC(2011, 10, 11),
  testUntil: Date.UTC(2011, 11, 9, 12),
  testDays: 28,
  trainOrders: 11204,
  testOrders: 1179,
  cart: { queries: 10345, upshelf: 0.182, bestSellers: 0.087 },
  pdp: { queries: 980, upshelf: 0.121, bestSellers: 0.053 },
};

describe("the backtest in plain words", () => {
  it("states both rates and how many times better Upshelf did", () => {
    const summary = describeBacktest(base);
    expect(summary.verdict).toBe("better");
    expect(summary.headline).toBe(
      "In the 28 days after training, one of Upshelf's top 5 cart picks was the item the buyer also bought in 18.2% of cases: " +
        "2.1 times as often as your best-sellers (8.7%).",
    );
    expect(summary.details[0]).toContain("11,204 orders placed before 11 Nov 2011");
    expect(summary.details[0]).toContain("1,179 orders from 11 Nov 2011 to 9 Dec 2011");
    expect(summary.details[2]).toContain("12.1%");
    expect(summary.details[2]).toContain("5.3%");
  });

  it("does not claim a win it did not earn", () => {
    expect(describeBacktest({ ...base, cart: { ...base.cart, upshelf: 0.09 } })).toMatchObject({ verdict: "similar" });
    expect(describeBacktest({ ...base, cart: { ...base.cart, upshelf: 0.09 } }).headline).toContain("about as often as your best-sellers");
    const worse = describeBacktest({ ...base, cart: { ...base.cart, upshelf: 0.04 } });
    expect(worse.verdict).toBe("worse");
    expect(worse.headline).toContain("0.5 times as often");
  });

  it("GIVEN an interval that clears zero THEN the win stands and its range is stated", () => {
    const summary = describeBacktest({ ...base, cart: { ...base.cart, interval: { low: 0.93, high: 1.18 } } });
    expect(summary.verdict).toBe("better");
    expect(summary.details).toContain(
      "Cart: resampling the test orders, Upshelf's picks were right 1.9 to 2.2 times as often as your best-sellers' (95% interval).",
    );
  });

  it("GIVEN a big gap from too few tries THEN it is called uncertain, not a win or a loss", () => {
    const tiny = { ...base.cart, queries: 40, upshelf: 0.15, bestSellers: 0.1 };
    const up = describeBacktest({ ...base, cart: { ...tiny, interval: { low: -0.2, high: 1.4 } } });
    expect(up.verdict).toBe("uncertain");
    expect(up.headline).toContain("against 10.0% for your best-sellers, but there were too few tries to tell that gap from chance");
    expect(up.headline).toContain("anywhere from 0.8 to 2.4 times as often");
    const down = describeBacktest({ ...base, cart: { ...tiny, upshelf: 0.05, interval: { low: -0.8, high: 0.1 } } });
    expect(down.verdict).toBe("uncertain");
    // Without an interval (a backtest stored before they existed) the old reading stands.
    expect(describeBacktest({ ...base, cart: { ...tiny, upshelf: 0.05 } }).verdict).toBe("worse");
  });

  it("handles a baseline that never hit, and does not call three hits a win", () => {
    const summary = describeBacktest({ ...base, cart: { ...base.cart, bestSellers: 0 } });
    expect(summary.verdict).toBe("better");
    expect(summary.headline).toContain("while your best-sellers never were");
    const few = describeBacktest({ ...base, cart: { ...base.cart, queries: 30, upshelf: 0.1, bestSellers: 0 } });
    expect(few.verdict).toBe("uncertain");
    expect(few.headline).toContain("in too few tries to tell that from chance");
  });

  it("GIVEN an interval without an upper bound (stored as null) THEN the headline and the detail agree on it", () => {
    // Job 23 as stored: best-sellers never hit in some resamples, so the upper bound is infinite.
    const cart = { queries: 4000, upshelf: 0.002, bestSellers: 0.00075, interval: { low: -0.25, high: null } };
    const summary = describeBacktest({ ...base, cart });
    expect(summary.verdict).toBe("uncertain");
    expect(summary.headline).toContain("(at least 0.8 times as often)");
    expect(summary.headline).not.toContain("1.0 times");
    expect(summary.details).toContain(
      "Cart: resampling the test orders, Upshelf's picks were right at least 0.8 times as often as your best-sellers' (95% interval).",
    );
    // An unbounded upper end leaves a loss unproven, like any interval reaching above zero.
    const lower = describeBacktest({ ...base, cart: { ...cart, upshelf: 0.0005 } });
    expect(lower.verdict).toBe("uncertain");
    // Figures straight from the evaluation, before any JSON, read the same way.
    expect(describeBacktest({ ...base, cart: { ...cart, interval: { low: -0.25, high: Infinity } } }).headline).toBe(summary.headline);
  });

  it("GIVEN an interval without a lower bound THEN it says at most, never infinitely many", () => {
    const tiny = { ...base.cart, queries: 40, upshelf: 0.05, bestSellers: 0.1 };
    const summary = describeBacktest({ ...base, cart: { ...tiny, interval: { low: -Infinity, high: 0.4 } } });
    expect(summary.verdict).toBe("uncertain");
    expect(summary.headline).toContain("(at most 1.4 times as often)");
    expect(summary.details).toContain(
      "Cart: resampling the test orders, Upshelf's picks were right at most 1.4 times as often as your best-sellers' (95% interval).",
    );
  });

  it("GIVEN a handful of tries THEN it calls nothing and prints no range that would look exact", () => {
    // A probe's shop: 6 cart tries and 3 product-page orders in the test weeks.
    const summary = describeBacktest({
      ...base,
      cart: { queries: 6, upshelf: 0.5, bestSellers: 0.5, interval: { low: -1, high: 0 } },
      pdp: { queries: 3, upshelf: 0.333, bestSellers: 0.333, interval: { low: 0, high: 0 } },
    });
    expect(summary.verdict).toBe("uncertain");
    expect(summary.headline).toContain("against 50.0% for your best-sellers, in too few tries to compare the two.");
    expect(summary.headline).not.toContain("times as often");
    expect(summary.details).toContain("Cart: 6 tries in the test weeks, too few to put a range on the difference (30 or more are needed).");
    expect(summary.details).toContain("Product page: 3 orders in the test weeks, too few to put a range on the difference (30 or more are needed).");
    expect(summary.details.join(" ")).not.toContain("1.0 to 1.0");
  });
});
