import { describe, expect, it } from "vitest";
import type { SampleMoments } from "./comparisons";
import { describeExperiment, summarizeExperiment, type ExperimentInput } from "./experiment-summary";

const money = (minor: number) => `$${(minor / 100).toFixed(2)}`;

/** `count` values alternating around `mean` by ±spread (so the variance is known). */
function sample(count: number, mean: number, spread: number): SampleMoments {
  const values = Array.from({ length: count }, (_, index) => mean + (index % 2 === 0 ? spread : -spread));
  return { count, sum: values.reduce((a, b) => a + b, 0), sumOfSquares: values.reduce((a, b) => a + b * b, 0) };
}

/** A test with visitors split 90/10 and the given per-visitor spend and orders. */
function input(overrides: Partial<ExperimentInput> & { shownSpend?: number; holdoutSpend?: number } = {}): ExperimentInput {
  const { shownSpend = 600, holdoutSpend = 500, ...rest } = overrides;
  return {
    holdoutBasisPoints: 1000,
    visitors: { shown: 9000, holdout: 1000 },
    buyers: { shown: 900, holdout: 90 },
    orderValues: { shown: sample(1000, 5400, 2000), holdout: sample(100, 5000, 2000) },
    revenuePerVisitor: { shown: sample(9000, shownSpend, 200), holdout: sample(1000, holdoutSpend, 200) },
    ...rest,
  };
}

describe("the holdout test's summary", () => {
  it("calls a lift only when the whole interval of revenue per visitor is above zero, and says so", () => {
    const summary = summarizeExperiment(input());
    expect(summary.verdict).toBe("lift");
    expect(summary.groups.shown).toMatchObject({ visitors: 9000, buyers: 900, orders: 1000, conversionRate: 0.1, averageOrderValue: 5400, revenuePerVisitor: 600 });
    expect(summary.groups.holdout).toMatchObject({ visitors: 1000, orders: 100, averageOrderValue: 5000, revenuePerVisitor: 500 });
    expect(summary.revenuePerVisitor?.difference).toBe(100);
    expect(summary.revenuePerVisitor?.relative).toBeCloseTo(0.2, 10);
    const text = describeExperiment(summary, money).join(" ");
    expect(text).toContain("spent $6.00 per visitor; held-out visitors $5.00: +$1.00 (+20.0%)");
    expect(text).toContain("raised what visitors spend");
    expect(text).toContain("Average order value: $54.00 against $50.00 (+8.0%)");
    expect(text).toContain("Visitors who ordered: 10.00% against 9.00%");
    expect(text).toMatch(/smaller than about \d+\.\d% would not be told from chance/);
  });

  it("calls a drop a drop, and an interval that includes zero uncertain", () => {
    expect(summarizeExperiment(input({ shownSpend: 400 })).verdict).toBe("drop");
    expect(describeExperiment(summarizeExperiment(input({ shownSpend: 400 })), money).join(" ")).toContain("visitors who saw Upshelf spent less");
    const close = summarizeExperiment(input({ shownSpend: 505 }));
    expect(close.verdict).toBe("uncertain");
    const text = describeExperiment(close, money).join(" ");
    expect(text).toContain("cannot yet be told from chance");
    expect(text).not.toContain("raised");
  });

  it("waits for enough orders in both groups before comparing", () => {
    const early = summarizeExperiment(input({ orderValues: { shown: sample(1000, 5400, 2000), holdout: sample(40, 5000, 2000) } }));
    expect(early.verdict).toBe("too_early");
    expect(describeExperiment(early, money)).toEqual([
      "Not enough orders yet: 1,000 from visitors who saw Upshelf and 40 from held-out visitors.",
      "The comparison is made once each group has at least 100 orders.",
    ]);
    expect(summarizeExperiment({ ...input(), minimumOrdersPerGroup: 30, orderValues: { shown: sample(1000, 5400, 2000), holdout: sample(40, 5000, 2000) } }).verdict).toBe("lift");
  });

  it("distrusts everything when visitors are not split as configured", () => {
    const skewed = summarizeExperiment(input({ visitors: { shown: 8500, holdout: 1500 } }));
    expect(skewed.verdict).toBe("split_mismatch");
    expect(skewed.sampleRatio.mismatch).toBe(true);
    const text = describeExperiment(skewed, money).join(" ");
    expect(text).toContain("15.0% of 10,000 visitors were held out, not the 10.0% configured");
    expect(text).toContain("cannot be trusted");
  });
});
