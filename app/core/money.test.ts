import { describe, expect, it } from "vitest";
import { currencyDecimals, formatMinorAsDecimal, parseDecimalToMinor } from "./money";

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
