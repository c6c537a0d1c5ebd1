import { describe, expect, it } from "vitest";
import { mulberry32 } from "../ranking/random";
import { minimumDetectableLift, type SampleMoments } from "./comparisons";
import { describeExperiment, summarizeExperiment, type ExperimentInput } from "./experiment-summary";

const money = (minor: number) => {
  if (!Number.isInteger(minor)) throw new Error(`money() was given ${minor}, not whole minor units.`);
  return `$${(minor / 100).toFixed(2)}`;
};

/** The moments of `count` values alternating mean + spread, mean − spread (so the variance is known). */
function sample(count: number, mean: number, spread: number): SampleMoments {
  const above = Math.ceil(count / 2);
  const below = count - above;
  return {
    count,
    sum: above * (mean + spread) + below * (mean - spread),
    sumOfSquares: above * (mean + spread) ** 2 + below * (mean - spread) ** 2,
  };
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
  it("gives each group's figures and compares revenue per visitor, order value and conversion", () => {
    const summary = summarizeExperiment(input());
    expect(summary.groups.shown).toEqual({
      visitors: 9000,
      buyers: 900,
      orders: 1000,
      revenue: 5_400_000,
      conversionRate: 0.1,
      averageOrderValue: 5400,
      revenuePerVisitor: 600,
    });
    expect(summary.groups.holdout).toMatchObject({ visitors: 1000, buyers: 90, orders: 100, conversionRate: 0.09, averageOrderValue: 5000, revenuePerVisitor: 500 });
    expect(summary.revenuePerVisitor?.difference).toBe(100);
    expect(summary.revenuePerVisitor?.relative).toBeCloseTo(0.2, 12);
    expect(summary.averageOrderValue?.relative).toBeCloseTo(0.08, 12);
    expect(summary.conversion?.difference).toBeCloseTo(0.01, 12);
    expect(summary.sampleRatio).toMatchObject({ expectedHoldoutShare: 0.1, observedHoldoutShare: 0.1, mismatch: false });
    expect(summary.minimumOrdersPerGroup).toBe(100);
  });

  it("sizes the detectable lift by both groups: 1,000 and 100 orders compare like 182 and 182", () => {
    const summary = summarizeExperiment(input());
    const balanced = 2 / (1 / 1000 + 1 / 100);
    expect(summary.minimumDetectableOrderValueLift).toBeCloseTo(minimumDetectableLift(sample(100, 5000, 2000), balanced) as number, 12);
    // Between what 100 per group and 1,000 per group would detect.
    expect(summary.minimumDetectableOrderValueLift).toBeLessThan(minimumDetectableLift(sample(100, 5000, 2000), 100) as number);
    expect(summary.minimumDetectableOrderValueLift).toBeGreaterThan(minimumDetectableLift(sample(100, 5000, 2000), 1000) as number);
    expect(summarizeExperiment(input({ orderValues: { shown: sample(0, 0, 0), holdout: sample(0, 0, 0) } })).minimumDetectableOrderValueLift).toBeNull();
  });

  it("calls a lift only when the whole interval of revenue per visitor is above zero, and says so with the figures", () => {
    const summary = summarizeExperiment(input());
    expect(summary.verdict).toBe("lift");
    const sentences = describeExperiment(summary, money);
    const text = sentences.join(" ");
    // The route's page test matches this sentence too.
    expect(sentences[0]).toBe("Visitors who saw Upshelf spent $6.00 per visitor; held-out visitors $5.00: +$1.00 (+20.0%).");
    expect(sentences[1]).toMatch(/^95% interval for the difference: \+\$0\.\d\d to \+\$1\.\d\d per visitor \(\+\d+\.\d% to \+\d+\.\d%\)\.$/);
    expect(text).toContain("The whole interval is above zero: showing Upshelf raised what visitors spend.");
    expect(text).toMatch(/Average order value: \$54\.00 against \$50\.00 \(\+8\.0%; 95% interval [+−]\d+\.\d% to \+\d+\.\d%\)\./);
    expect(text).toMatch(/Visitors who ordered: 10\.00% against 9\.00% \(\+1\.00 percentage points; 95% interval −\d\.\d\d to \+\d\.\d\d\)\./);
    expect(text).toMatch(/With 1,000 and 100 orders so far, this test reliably detects \(4 times in 5\) a change in average order value of about \d+\.\d% or more/);
  });

  it("GIVEN millions of visitors skewed by a few hundredths of a point WHEN the split is off THEN the two shares it states differ", () => {
    const empty = { count: 0, sum: 0, sumOfSquares: 0 };
    const summary = summarizeExperiment(
      input({ visitors: { shown: 8_996_500, holdout: 1_003_500 }, orderValues: { shown: empty, holdout: empty }, revenuePerVisitor: { shown: empty, holdout: empty } }),
    );
    expect(summary.verdict).toBe("split_mismatch");
    expect(describeExperiment(summary, money)[0]).toBe("The split is off: 10.04% of 10,000,000 visitors were held out, not the 10.00% configured.");
    expect(describeExperiment(summarizeExperiment(input({ visitors: { shown: 9500, holdout: 500 } })), money)[0]).toBe(
      "The split is off: 5.0% of 10,000 visitors were held out, not the 10.0% configured.",
    );
  });

  it("GIVEN an ended test WHEN described THEN nothing says 'so far' or 'yet': it gets no more orders", () => {
    for (const shownSpend of [600, 505]) {
      const text = describeExperiment(summarizeExperiment(input({ shownSpend })), money, { ended: true }).join(" ");
      expect(text).not.toMatch(/so far|\byet\b|are not being/);
      expect(text).toMatch(/With 1,000 and 100 orders, this test could reliably detect \(4 times in 5\) a change in average order value of about \d+\.\d% or more; smaller changes may have gone unnoticed\./);
    }
    const skewed = summarizeExperiment(input({ visitors: { shown: 9500, holdout: 500 } }));
    expect(skewed.verdict).toBe("split_mismatch");
    expect(describeExperiment(skewed, money).join(" ")).toContain("Visitors are not being assigned as configured");
    expect(describeExperiment(skewed, money, { ended: true }).join(" ")).toContain("Visitors were not assigned as configured");
  });

  it("calls a drop a drop", () => {
    const summary = summarizeExperiment(input({ shownSpend: 400 }));
    expect(summary.verdict).toBe("drop");
    const text = describeExperiment(summary, money).join(" ");
    expect(text).toContain("held-out visitors $5.00: −$1.00 (−20.0%)");
    expect(text).toContain("The whole interval is below zero: visitors who saw Upshelf spent less.");
    expect(text).not.toContain("raised");
  });

  it("calls an interval that includes zero uncertain, and claims nothing", () => {
    const close = summarizeExperiment(input({ shownSpend: 505 }));
    expect(close.verdict).toBe("uncertain");
    const interval = close.revenuePerVisitor?.interval as readonly [number, number];
    expect(interval[0]).toBeLessThan(0);
    expect(interval[1]).toBeGreaterThan(0);
    const text = describeExperiment(close, money).join(" ");
    expect(text).toContain("The interval includes zero: the difference cannot yet be told from chance.");
    expect(describeExperiment(close, money, { ended: true }).join(" ")).toContain("The interval includes zero: the difference cannot be told from chance.");
    expect(text).toMatch(/95% interval for the difference: −\$0\.\d\d to \+\$0\.\d\d per visitor \(−\d+\.\d% to \+\d+\.\d%\)/);
    expect(text).not.toContain("raised");
    expect(text).not.toContain("spent less");
  });

  it("waits for enough orders in both groups before comparing", () => {
    const early = summarizeExperiment(input({ orderValues: { shown: sample(1000, 5400, 2000), holdout: sample(40, 5000, 2000) } }));
    expect(early.verdict).toBe("too_early");
    expect(describeExperiment(early, money)).toEqual([
      "Not enough orders yet: 1,000 from visitors who saw Upshelf and 40 from held-out visitors.",
      "The comparison is made once each group has at least 100 orders.",
    ]);
    // A test that was stopped gets no more orders: no "yet".
    expect(describeExperiment(early, money, { ended: true })).toEqual([
      "This test ended with too few orders to compare: 1,000 from visitors who saw Upshelf and 40 from held-out visitors.",
      "A comparison needs at least 100 orders in each group; a new test that runs longer, or holds out a larger share, can get there.",
    ]);
    // Exactly the minimum is enough, and the minimum can be set.
    expect(summarizeExperiment(input({ orderValues: { shown: sample(100, 5400, 2000), holdout: sample(100, 5000, 2000) } })).verdict).toBe("lift");
    const custom = { ...input(), minimumOrdersPerGroup: 30, orderValues: { shown: sample(1000, 5400, 2000), holdout: sample(40, 5000, 2000) } };
    expect(summarizeExperiment(custom).verdict).toBe("lift");
    expect(summarizeExperiment({ ...custom, minimumOrdersPerGroup: 1500 }).verdict).toBe("too_early");
    expect(describeExperiment(summarizeExperiment({ ...custom, minimumOrdersPerGroup: 1500 }), money)[1]).toContain("at least 1,500 orders");
    // No visitors at all: nothing to compare, nothing to distrust.
    const empty = { shown: 0, holdout: 0 };
    const none = { shown: sample(0, 0, 0), holdout: sample(0, 0, 0) };
    expect(summarizeExperiment({ holdoutBasisPoints: 1000, visitors: empty, buyers: empty, orderValues: none, revenuePerVisitor: none }).verdict).toBe("too_early");
  });

  it("distrusts everything when visitors are not split as configured, before anything else", () => {
    const skewed = summarizeExperiment(input({ visitors: { shown: 8500, holdout: 1500 } }));
    expect(skewed.verdict).toBe("split_mismatch");
    expect(skewed.sampleRatio.mismatch).toBe(true);
    expect(describeExperiment(skewed, money)).toEqual([
      "The split is off: 15.0% of 10,000 visitors were held out, not the 10.0% configured.",
      "Visitors are not being assigned as configured (a cache serving one page to everyone, or a script blocked for some visitors), so these figures cannot be trusted.",
    ]);
    // Even with too few orders to compare, a broken split is the first thing to fix.
    const earlyAndSkewed = input({ visitors: { shown: 8500, holdout: 1500 }, orderValues: { shown: sample(50, 5400, 2000), holdout: sample(5, 5000, 2000) } });
    expect(summarizeExperiment(earlyAndSkewed).verdict).toBe("split_mismatch");
    // A split off by chance alone (10.4% of 10,000, p ≈ 0.18) is not a mismatch.
    expect(summarizeExperiment(input({ visitors: { shown: 8960, holdout: 1040 } })).verdict).toBe("lift");
  });

  it("never claims a lift or a drop its interval does not support, whatever the figures", () => {
    const rng = mulberry32(23);
    const seen = new Set<string>();
    for (let trial = 0; trial < 500; trial++) {
      const holdoutSpend = 300 + rng() * 400;
      const shownSpend = holdoutSpend * (0.9 + rng() * 0.2);
      const spread = 100 + rng() * 3000;
      const summary = summarizeExperiment(
        input({
          shownSpend,
          holdoutSpend,
          revenuePerVisitor: { shown: sample(9000, shownSpend, spread), holdout: sample(1000, holdoutSpend, spread) },
        }),
      );
      const [low, high] = summary.revenuePerVisitor?.interval as readonly [number, number];
      const text = describeExperiment(summary, money).join(" ");
      seen.add(summary.verdict);
      if (low > 0) {
        expect(summary.verdict).toBe("lift");
        expect(text).toContain("raised what visitors spend");
        // The relative range printed next to it starts above zero too.
        expect(text).toMatch(/per visitor \(\+[\d.]+% to \+[\d.]+%\)\./);
      } else if (high < 0) {
        expect(summary.verdict).toBe("drop");
        expect(text).toMatch(/per visitor \(−[\d.]+% to −[\d.]+%\)\./);
      } else {
        expect(summary.verdict).toBe("uncertain");
        expect(text).not.toContain("raised");
        expect(text).not.toContain("spent less");
        expect(text).toContain("cannot yet be told from chance");
      }
    }
    expect([...seen].sort()).toEqual(["drop", "lift", "uncertain"]);
  });

  it("rounds amounts to whole minor units before formatting, and signs only figures that print as non-zero", () => {
    // −0.15¢ per visitor (−0.03%): printed as zero, so unsigned, rather than "−$0.00 (−0.0%)".
    const tiny = describeExperiment(summarizeExperiment(input({ shownSpend: 500.3, holdoutSpend: 500.45 })), money);
    expect(tiny[0]).toBe("Visitors who saw Upshelf spent $5.00 per visitor; held-out visitors $5.00: $0.00 (0.0%).");
    // −0.3¢ (−0.06%): the amount prints as zero, the share does not.
    const small = describeExperiment(summarizeExperiment(input({ shownSpend: 500.3, holdoutSpend: 500.6 })), money);
    expect(small[0]).toBe("Visitors who saw Upshelf spent $5.00 per visitor; held-out visitors $5.01: $0.00 (−0.1%).");
  });
});
