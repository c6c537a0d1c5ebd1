import { parseDecimalToMinor } from "~/core/money";

const DECIMAL = /^-?\d+(?:\.\d+)?$/;

/**
 * Decimal price text to integer minor units, rounding half up when the source has more decimals
 * than the currency (UCI has a few "0.001" prices: data, not a merchant's typo to reject).
 * Returns undefined for text that is not a plain decimal, so the caller can count the row.
 */
export function decimalToMinorUnits(text: string, currency: string): number | undefined {
  const value = text.trim();
  if (!DECIMAL.test(value)) return undefined;
  return parseDecimalToMinor(value, currency, { rounding: "half-up" });
}
