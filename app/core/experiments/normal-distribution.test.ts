import { describe, expect, it } from "vitest";
import { chiSquareOneDofSurvival, criticalValue, normalCdf, normalQuantile } from "./normal-distribution";

describe("the standard normal distribution", () => {
  it("matches tabled values of the CDF, in the tails too", () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021, 6);
    expect(normalCdf(-1)).toBeCloseTo(0.1586553, 6);
    expect(normalCdf(1) + normalCdf(-1)).toBeCloseTo(1, 7);
    expect(normalCdf(-6) / 9.8658765e-10).toBeCloseTo(1, 4);
  });

  it("inverts the CDF", () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 6);
    expect(normalQuantile(0.8)).toBeCloseTo(0.8416212, 5);
    for (const p of [1e-9, 0.001, 0.02, 0.3, 0.7, 0.99, 0.999999]) expect(normalCdf(normalQuantile(p)) / p).toBeCloseTo(1, 4);
    expect(() => normalQuantile(0)).toThrow(RangeError);
    expect(() => normalQuantile(1)).toThrow(RangeError);
    expect(criticalValue(0.95)).toBeCloseTo(1.959964, 5);
    expect(criticalValue(0.99)).toBeCloseTo(2.575829, 5);
  });

  it("gives the chi-square tail with one degree of freedom", () => {
    expect(chiSquareOneDofSurvival(3.841459)).toBeCloseTo(0.05, 6);
    expect(chiSquareOneDofSurvival(10.827566)).toBeCloseTo(0.001, 6);
    expect(chiSquareOneDofSurvival(0)).toBe(1);
  });
});
