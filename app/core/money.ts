/**
 * Money as integer minor units with its currency. Every price in Upshelf goes through this
 * module: no floats for money anywhere, no second formatter.
 */

export interface Money {
  /** Integer amount in the currency's minor unit (cents for USD, yen for JPY, fils for KWD). */
  readonly amount: number;
  /** ISO 4217 code, upper case. */
  readonly currency: string;
}

// ISO 4217 exponents that differ from the default of 2. Kept explicit (not Intl) because the
// discount function runs where Intl data may be absent, and checkout must agree with the widget.
const ZERO_DECIMAL_CURRENCIES = new Set([
  "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF",
]);
const THREE_DECIMAL_CURRENCIES = new Set(["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"]);

const CURRENCY_CODE = /^[A-Z]{3}$/;

export class MoneyError extends Error {
  override name = "MoneyError";
}

export function assertCurrencyCode(currency: string): void {
  if (!CURRENCY_CODE.test(currency)) {
    throw new MoneyError(`"${currency}" is not an ISO 4217 currency code (three upper-case letters).`);
  }
}

/** Number of decimal places of the currency's minor unit. */
export function currencyDecimals(currency: string): number {
  assertCurrencyCode(currency);
  if (ZERO_DECIMAL_CURRENCIES.has(currency)) return 0;
  if (THREE_DECIMAL_CURRENCIES.has(currency)) return 3;
  return 2;
}

export function money(amount: number, currency: string): Money {
  if (!Number.isSafeInteger(amount)) {
    throw new MoneyError(`Money amounts are integer minor units; got ${amount}.`);
  }
  assertCurrencyCode(currency);
  return { amount, currency };
}

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/**
 * Parses a decimal string such as "12.40" (as Shopify's APIs and CSVs write prices) into
 * minor units, exactly: no floating point is involved. More decimals than the currency has
 * are rejected unless they are zeros, so "2.550" is 255 cents but "2.555" is an error.
 */
export function parseDecimalToMinor(value: string, currency: string): number {
  const decimals = currencyDecimals(currency);
  const match = DECIMAL.exec(value.trim());
  if (!match) throw new MoneyError(`"${value}" is not a decimal amount.`);
  const [, sign, whole = "0", fraction = ""] = match;
  const extra = fraction.slice(decimals);
  if (/[^0]/.test(extra)) {
    throw new MoneyError(`"${value}" has more than ${decimals} decimal places for ${currency}.`);
  }
  const minor = Number(whole + fraction.slice(0, decimals).padEnd(decimals, "0"));
  if (!Number.isSafeInteger(minor)) throw new MoneyError(`"${value}" is too large.`);
  return sign ? -minor : minor;
}

/** Minor units back to a plain decimal string ("12.40"), for APIs and CSVs. */
export function formatMinorAsDecimal(amount: number, currency: string): string {
  const decimals = currencyDecimals(currency);
  const sign = amount < 0 ? "-" : "";
  const digits = String(Math.abs(amount)).padStart(decimals + 1, "0");
  if (decimals === 0) return sign + digits;
  return `${sign}${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}

/** Human display with the currency code, e.g. "12.40 GBP". Locale-aware display is the UI's job. */
export function formatMoney(value: Money): string {
  return `${formatMinorAsDecimal(value.amount, value.currency)} ${value.currency}`;
}

function assertSameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) {
    throw new MoneyError(`Cannot combine ${a.currency} with ${b.currency}.`);
  }
}

export function addMoney(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  return money(a.amount + b.amount, a.currency);
}

export function subtractMoney(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  return money(a.amount - b.amount, a.currency);
}

export function multiplyMoney(value: Money, quantity: number): Money {
  if (!Number.isSafeInteger(quantity)) throw new MoneyError(`Quantity must be an integer; got ${quantity}.`);
  return money(value.amount * quantity, value.currency);
}
