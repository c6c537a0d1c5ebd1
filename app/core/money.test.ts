import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  allocateLargestRemainder,
  convertMinorUnits,
  currencyDecimals,
  formatBasisPoints,
  formatMinorAsDecimal,
  multiplyDivideRoundHalfUp,
  parseDecimalToMinor,
  parseExchangeRate,
  percentageOfMinor,
  percentToBasisPoints,
} from "./money";

describe("money", () => {
  it("knows the minor unit of zero-, two- and three-decimal currencies", () => {
    expect(currencyDecimals("JPY")).toBe(0);
    expect(currencyDecimals("GBP")).toBe(2);
    expect(currencyDecimals("KWD")).toBe(3);
  });

  it("parses decimal strings exactly, without floating point error", () => {
    expect(parseDecimalToMinor("2.55", "GBP")).toBe(255);
    expect(parseDecimalToMinor("0.1", "USD")).toBe(10);
    expect(parseDecimalToMinor("1659.95", "EUR")).toBe(165995);
    expect(parseDecimalToMinor("1.250", "KWD")).toBe(1250);
    expect(parseDecimalToMinor("1200", "JPY")).toBe(1200);
    expect(parseDecimalToMinor("2.550", "GBP")).toBe(255);
  });

  it("rejects amounts finer than the currency's minor unit and non-numbers", () => {
    expect(() => parseDecimalToMinor("2.555", "GBP")).toThrow(/more than 2 decimal places/);
    expect(() => parseDecimalToMinor("12.5", "JPY")).toThrow(/more than 0 decimal places/);
    expect(() => parseDecimalToMinor("abc", "GBP")).toThrow(/not a decimal/);
    expect(() => parseDecimalToMinor("1.00", "pounds")).toThrow(/ISO 4217/);
  });

  it("formats minor units back to the same decimal string", () => {
    expect(formatMinorAsDecimal(5, "GBP")).toBe("0.05");
    expect(formatMinorAsDecimal(-1240, "USD")).toBe("-12.40");
    expect(formatMinorAsDecimal(1250, "KWD")).toBe("1.250");
    expect(formatMinorAsDecimal(1200, "JPY")).toBe("1200");
  });
});

describe("money: rounding and conversion", () => {
  it("rounds extra digits half up only when asked to", () => {
    expect(parseDecimalToMinor("3.333333", "USD", { rounding: "half-up" })).toBe(333);
    expect(parseDecimalToMinor("2.555", "USD", { rounding: "half-up" })).toBe(256);
    expect(parseDecimalToMinor("-2.555", "USD", { rounding: "half-up" })).toBe(-256);
    expect(parseDecimalToMinor("1.0005", "KWD", { rounding: "half-up" })).toBe(1001);
    expect(parseDecimalToMinor("99.5", "JPY", { rounding: "half-up" })).toBe(100);
  });

  it("rounds percentages half up to the minor unit", () => {
    expect(percentageOfMinor(2298, 1000)).toBe(230); // 2.298 → 2.30
    expect(percentageOfMinor(1299, 5000)).toBe(650); // 6.495 → 6.50
    expect(percentageOfMinor(3470, 1500)).toBe(521); // ¥520.5 → ¥521
    expect(percentageOfMinor(999, 1500)).toBe(150); // 1.4985 → 1.50
    expect(percentageOfMinor(0, 1500)).toBe(0);
  });

  it("stays exact past 2^53", () => {
    expect(multiplyDivideRoundHalfUp(9_000_000_000_000, 9_999, 10_000)).toBe(8_999_100_000_000);
    expect(multiplyDivideRoundHalfUp(Number.MAX_SAFE_INTEGER, 5_000, 10_000)).toBe(4_503_599_627_370_496);
  });

  it("reads percentages and rates as exact decimals", () => {
    expect(percentToBasisPoints(12.5)).toBe(1250);
    expect(percentToBasisPoints(0.01)).toBe(1);
    expect(() => percentToBasisPoints(12.345)).toThrow(/two decimals/);
    expect(formatBasisPoints(1250)).toBe("12.5");
    expect(formatBasisPoints(1005)).toBe("10.05");
    expect(formatBasisPoints(1000)).toBe("10");
    expect(parseExchangeRate("1.3456")).toEqual({ digits: 13456n, scale: 4 });
    expect(parseExchangeRate(1.1)).toEqual({ digits: 11n, scale: 1 });
    expect(parseExchangeRate(1e-7)).toEqual({ digits: 1n, scale: 7 });
    expect(() => parseExchangeRate("0")).toThrow(/positive/);
    expect(() => parseExchangeRate("-1")).toThrow(/not an exchange rate/);
  });

  it("converts between currencies with 0, 2 and 3 decimals, half up", () => {
    expect(convertMinorUnits({ amount: 500, from: "USD", to: "CAD", rate: "1.25" })).toBe(625); // Shopify's own example
    expect(convertMinorUnits({ amount: 200, from: "USD", to: "EUR", rate: "0.8725" })).toBe(175); // 1.745 → 1.75
    expect(convertMinorUnits({ amount: 1000, from: "USD", to: "JPY", rate: "151.37" })).toBe(1514); // ¥1513.7
    expect(convertMinorUnits({ amount: 500, from: "USD", to: "KWD", rate: "0.3071" })).toBe(1536); // 1.5355 KWD
    expect(convertMinorUnits({ amount: 1500, from: "JPY", to: "USD", rate: "0.0066" })).toBe(990);
    expect(convertMinorUnits({ amount: 1250, from: "KWD", to: "JPY", rate: "487.5" })).toBe(609); // ¥609.375
  });
});

describe("money: largest-remainder allocation", () => {
  it("splits exactly, giving leftovers to the largest remainders, earlier index on ties", () => {
    expect(allocateLargestRemainder(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocateLargestRemainder(230, [1299, 999])).toEqual([130, 100]);
    expect(allocateLargestRemainder(5, [0, 10, 0])).toEqual([0, 5, 0]);
    expect(allocateLargestRemainder(0, [0, 0])).toEqual([0, 0]);
  });

  it("respects caps by moving the excess to lines with room", () => {
    expect(allocateLargestRemainder(3, [10_000, 5_000], [1, 2])).toEqual([1, 2]);
    expect(() => allocateLargestRemainder(4, [1, 1], [1, 2])).toThrow(/caps/);
  });

  it("never loses or invents a minor unit, and never passes a cap", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 12 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (weights, share) => {
          const capSum = weights.reduce((a, b) => a + b, 0);
          const total = Math.floor(capSum * share);
          const shares = allocateLargestRemainder(total, weights, weights);
          expect(shares.reduce((a, b) => a + b, 0)).toBe(total);
          shares.forEach((amount, index) => {
            expect(amount).toBeGreaterThanOrEqual(0);
            expect(amount).toBeLessThanOrEqual(weights[index] ?? 0);
          });
        },
      ),
    );
  });
});
