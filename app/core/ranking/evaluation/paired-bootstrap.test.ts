import { describe, expect, it } from "vitest";
import { mulberry32 } from "../random";
import { pairedBootstrapRelativeDifferences } from "./paired-bootstrap";

/** Per-order hit counts of two models with true hit rates `candidate` and `baseline`, independent per order. */
function simulatedOrders(orders: number, rates: { candidate: number; baseline: number }, seed: number) {
  const rng = mulberry32(seed);
  const candidate = new Float64Array(orders);
  const baseline = new Float64Array(orders);
  for (let i = 0; i < orders; i++) {
    candidate[i] = rng() < rates.candidate ? 1 : 0;
    baseline[i] = rng() < rates.baseline ? 1 : 0;
  }
  return { candidate, baseline };
}

describe("pairedBootstrapRelativeDifferences", () => {
  it("GIVEN a candidate 20% better in every order THEN the difference and both bounds are exactly +20%", () => {
    const baseline = Float64Array.from([1, 2, 0, 5, 3]);
    const candidate = baseline.map((value) => value * 1.2);
    const [difference] = pairedBootstrapRelativeDifferences([{ candidate, baseline }], { rng: mulberry32(1), resamples: 200 });
    expect(difference?.relative).toBeCloseTo(0.2, 12);
    expect(difference?.low).toBeCloseTo(0.2, 12);
    expect(difference?.high).toBeCloseTo(0.2, 12);
  });

  it("GIVEN noisy orders THEN the interval holds the observed difference and narrows with more orders", () => {
    const rates = { candidate: 0.33, baseline: 0.3 };
    const width = (orders: number) => {
      const [difference] = pairedBootstrapRelativeDifferences([simulatedOrders(orders, rates, 7)], { rng: mulberry32(2) });
      if (!difference) throw new Error("no difference");
      expect(difference.low).toBeLessThan(difference.relative);
      expect(difference.high).toBeGreaterThan(difference.relative);
      return difference.high - difference.low;
    };
    const few = width(200);
    const many = width(20_000);
    // The width shrinks as 1/√orders: a hundred times the orders, about a tenth of the width.
    expect(many).toBeLessThan(few / 5);
    expect(many).toBeGreaterThan(few / 20);
  });

  it("GIVEN many simulated shops with a known 10% lift THEN about 95% of the intervals contain it", () => {
    const rates = { candidate: 0.22, baseline: 0.2 };
    const truth = rates.candidate / rates.baseline - 1;
    let covered = 0;
    const shops = 200;
    for (let shop = 0; shop < shops; shop++) {
      const [difference] = pairedBootstrapRelativeDifferences([simulatedOrders(400, rates, 100 + shop)], {
        rng: mulberry32(shop),
        resamples: 400,
      });
      if (difference && difference.low <= truth && truth <= difference.high) covered += 1;
    }
    // Binomial(200, 0.95) lies within 0.89–0.99 with probability above 99.9%.
    expect(covered / shops).toBeGreaterThan(0.89);
    expect(covered / shops).toBeLessThan(0.99);
  });

  it("judges every pair on the same resamples, so identical pairs get identical intervals", () => {
    const pair = simulatedOrders(300, { candidate: 0.4, baseline: 0.35 }, 3);
    const other = simulatedOrders(300, { candidate: 0.1, baseline: 0.3 }, 4);
    const [first, , third] = pairedBootstrapRelativeDifferences([pair, other, pair], { rng: mulberry32(5), resamples: 300 });
    expect(third).toEqual(first);
  });

  it("GIVEN a baseline that never scored THEN there is no difference to state", () => {
    const [difference] = pairedBootstrapRelativeDifferences(
      [{ candidate: Float64Array.from([1, 0]), baseline: new Float64Array(2) }],
      { rng: mulberry32(1), resamples: 10 }
    );
    expect(difference).toBeUndefined();
  });

  it("rejects series of different lengths and impossible settings", () => {
    const rng = mulberry32(1);
    const pair = { candidate: new Float64Array(3), baseline: new Float64Array(3) };
    expect(() => pairedBootstrapRelativeDifferences([pair, { candidate: new Float64Array(2), baseline: new Float64Array(2) }], { rng })).toThrow(
      RangeError
    );
    expect(() => pairedBootstrapRelativeDifferences([pair], { rng, resamples: 0 })).toThrow(RangeError);
    expect(() => pairedBootstrapRelativeDifferences([pair], { rng, confidence: 1 })).toThrow(RangeError);
  });
});
