import { describe, expect, it } from "vitest";
import { chiSquareOneDofSurvival, criticalValue, normalCdf, normalQuantile } from "./statistics";

/** |actual / expected − 1|, the error that matters for probabilities spanning hundreds of orders of magnitude. */
const relativeError = (actual: number, expected: number) => Math.abs(actual / expected - 1);

// Reference values computed with mpmath at 30 significant digits (ncdf, and √2·erfinv(2p − 1) for the
// quantile), rounded to the nearest double.
const CDF: readonly (readonly [number, number])[] = [
  [1.96, 0.9750021048517795],
  [3, 0.9986501019683699],
  [1.5, 0.9331927987311419],
  [0.3, 0.6179114221889527],
  [-0.6, 0.2742531177500736],
  [-0.7, 0.24196365222307303],
  [-1, 0.15865525393145705],
  [-3, 0.0013498980316300946],
  [-5.6, 1.071759025831093e-8],
  [-5.7, 5.990371401063528e-9],
  [-6, 9.86587645037698e-10],
  [-10, 7.619853024160525e-24],
  [-20, 2.7536241186062337e-89],
  [-37, 5.725571222524577e-300],
];

const QUANTILE: readonly (readonly [number, number])[] = [
  [0.975, 1.9599639845400543],
  [0.8, 0.8416212335729142],
  [0.3, -0.5244005127080408],
  [0.02425, -1.972961051311885],
  [0.001, -3.0902323061678136],
  [1e-10, -6.361340902404057],
];

describe("the standard normal distribution", () => {
  it("matches reference values of Φ to near double precision, in both tails and across every branch", () => {
    for (const [x, expected] of CDF) expect(relativeError(normalCdf(x), expected), `Φ(${x})`).toBeLessThan(1e-14);
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021, 7);
    expect(normalCdf(-40)).toBe(0);
    expect(normalCdf(40)).toBe(1);
    expect(normalCdf(Number.NaN)).toBeNaN();
  });

  it("is symmetric and increasing", () => {
    for (let x = 0; x <= 8; x += 0.0625) {
      expect(normalCdf(x) + normalCdf(-x)).toBeCloseTo(1, 15);
      expect(normalCdf(x + 0.0625)).toBeGreaterThan(normalCdf(x) - 1e-16);
    }
  });

  it("inverts Φ: Acklam's estimate refined to near double precision", () => {
    for (const [p, expected] of QUANTILE) expect(relativeError(normalQuantile(p), expected), `Φ⁻¹(${p})`).toBeLessThan(1e-13);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 6);
    expect(normalQuantile(0.5)).toBe(0);
    // Exact symmetry where 1 − p is exact in binary (0.25, 0.75); 1 − 0.8 is not 0.2.
    expect(normalQuantile(0.25)).toBe(-normalQuantile(0.75));
    for (const p of [1e-300, 1e-12, 0.001, 0.02, 0.3, 0.5, 0.7, 0.99, 0.999999]) {
      expect(relativeError(normalCdf(normalQuantile(p)), p), `Φ(Φ⁻¹(${p}))`).toBeLessThan(1e-13);
    }
    expect(() => normalQuantile(0)).toThrow(RangeError);
    expect(() => normalQuantile(1)).toThrow(RangeError);
    expect(() => normalQuantile(Number.NaN)).toThrow(RangeError);
  });

  it("gives two-sided critical values", () => {
    expect(criticalValue(0.95)).toBeCloseTo(1.959964, 6);
    expect(criticalValue(0.99)).toBeCloseTo(2.575829, 6);
    expect(criticalValue(0.8)).toBeCloseTo(1.281552, 6);
    expect(() => criticalValue(1)).toThrow(RangeError);
    expect(() => criticalValue(0)).toThrow(RangeError);
  });

  it("gives the chi-square tail with one degree of freedom, tiny p-values included", () => {
    // mpmath: erfc(√(x/2)).
    expect(relativeError(chiSquareOneDofSurvival(3.841459), 0.04999999465319577)).toBeLessThan(1e-14);
    expect(relativeError(chiSquareOneDofSurvival(10.827566), 0.0010000000921737459)).toBeLessThan(1e-14);
    expect(relativeError(chiSquareOneDofSurvival(30), 4.3204630578274975e-8)).toBeLessThan(1e-14);
    expect(relativeError(chiSquareOneDofSurvival(100), 1.523970604832105e-23)).toBeLessThan(1e-14);
    expect(chiSquareOneDofSurvival(3.841459)).toBeCloseTo(0.05, 7);
    expect(chiSquareOneDofSurvival(0)).toBe(1);
    expect(chiSquareOneDofSurvival(1)).toBeCloseTo(2 * normalCdf(-1), 15);
  });
});
