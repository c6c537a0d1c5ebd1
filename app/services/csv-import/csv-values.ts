import { formatMinorAsDecimal, MoneyError, parseDecimalToMinor, type ParseDecimalOptions } from "~/core/money";
import { MAX_INT_COLUMN } from "~/models/integer-columns";

/** A cell turned into a value, or the reason it could not be, phrased for the import report. */
export type CellResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

const PLAIN_DECIMAL = /^-?\d+(?:\.\d+)?$/;

/**
 * A price cell in minor units. Only plain decimals are accepted ("25", "25.00"): "25,00" or
 * "$25" might be read more than one way, so they are reported rather than guessed at.
 */
export function priceCell(
  column: string,
  text: string,
  currency: string,
  options: ParseDecimalOptions & { allowNegative?: boolean } = {},
): CellResult<number> {
  if (!PLAIN_DECIMAL.test(text)) {
    return { ok: false, reason: `${column} "${text}" is not a price (write it with digits and a dot, e.g. 25.00).` };
  }
  try {
    const value = parseDecimalToMinor(text, currency, options);
    if (value < 0 && !options.allowNegative) return { ok: false, reason: `${column} "${text}" is negative.` };
    if (Math.abs(value) > MAX_INT_COLUMN) {
      return { ok: false, reason: `${column} "${text}" is too large; amounts go up to ${formatMinorAsDecimal(MAX_INT_COLUMN, currency)}.` };
    }
    return { ok: true, value };
  } catch (error) {
    if (error instanceof MoneyError) return { ok: false, reason: `${column} "${text}": ${error.message}` };
    throw error;
  }
}

export function wholeNumberCell(column: string, text: string, options: { min?: number } = {}): CellResult<number> {
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    return { ok: false, reason: `${column} "${text}" is not a whole number.` };
  }
  const value = Number(text);
  if (options.min !== undefined && value < options.min) {
    return { ok: false, reason: `${column} is ${value}; it must be at least ${options.min}.` };
  }
  if (Math.abs(value) > MAX_INT_COLUMN) {
    return { ok: false, reason: `${column} "${text}" is too large; it goes up to ${MAX_INT_COLUMN.toLocaleString("en")}.` };
  }
  return { ok: true, value };
}

/** TRUE/FALSE as Shopify writes them (any case); undefined for anything else. */
export function booleanCell(text: string): boolean | undefined {
  const lower = text.toLowerCase();
  if (lower === "true") return true;
  if (lower === "false") return false;
  return undefined;
}

let knownCurrencies: Set<string> | undefined;

/**
 * ISO 4217 codes this runtime knows. Three capital letters is not enough: "EUO" would import
 * every price in a currency nobody can pay in.
 */
export function isKnownCurrency(code: string): boolean {
  if (!/^[A-Z]{3}$/.test(code)) return false;
  knownCurrencies ??= new Set(Intl.supportedValuesOf("currency"));
  return knownCurrencies.has(code);
}
