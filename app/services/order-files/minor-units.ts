import { MoneyError, parseDecimalToMinor } from "~/core/money";
import { badCell } from "./csv-records";

const DECIMAL = /^-?\d+(?:\.\d+)?$/;

export type PriceReading = { readonly minor: number } | { readonly problem: string };

/**
 * Decimal price text to integer minor units, rounding half up when the source has more decimals
 * than the currency (UCI has a few "0.001" prices: data, not a merchant's typo to reject).
 * A price that cannot be read says why, in words the user can act on.
 */
export function readDecimalPrice(text: string, currency: string): PriceReading {
  const value = text.trim();
  if (!DECIMAL.test(value)) {
    return {
      problem: `"${value}" is not a price; write digits with "." before the decimals and no thousands separator or currency symbol, such as 1234.50.`,
    };
  }
  try {
    return { minor: parseDecimalToMinor(value, currency, { rounding: "half-up" }) };
  } catch (error) {
    // Too many digits for a safe integer of minor units: the file's problem, not a crash.
    if (error instanceof MoneyError) return { problem: error.message };
    throw error;
  }
}

/** For formats that skip unreadable rows with a count (UCI): undefined when the price cannot be read. */
export function decimalToMinorUnits(text: string, currency: string): number | undefined {
  const price = readDecimalPrice(text, currency);
  return "minor" in price ? price.minor : undefined;
}

/** For formats where a bad price is the user's to fix: fails naming the line and column. */
export function priceInCell(text: string, currency: string, line: number, column: string): number {
  const price = readDecimalPrice(text, currency);
  if ("problem" in price) throw badCell(line, column, price.problem);
  return price.minor;
}
