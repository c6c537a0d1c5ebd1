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
  // Set in the constructor, not as a class field: the storefront script bundles this module, and a
  // class field costs it the bytes of esbuild's field helpers.
  constructor(message: string) {
    super(message);
    this.name = "MoneyError";
  }
}

export function assertCurrencyCode(currency: string): void {
  if (!CURRENCY_CODE.test(currency)) {
    throw new MoneyError(`"${currency}" is not an ISO 4217 currency code (three upper-case letters).`);
  }
}

/** Number of decimal places of the currency's minor unit. */
export function currencyDecimals(currency: string): number {
  assertCurrencyCode(currency);
  return minorUnitDigits(currency);
}

/**
 * currencyDecimals without checking the code, for the storefront script: its currencies come from
 * Shopify, Intl.NumberFormat refuses a malformed one anyway, and every byte there costs the shop.
 */
export function minorUnitDigits(currency: string): number {
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

export interface ParseDecimalOptions {
  /**
   * What to do with digits finer than the currency's minor unit. "reject" (the default) keeps
   * prices honest when they come from merchants and CSVs; "half-up" is for amounts Shopify
   * computes itself (a per-unit cost can carry extra digits) where the nearest minor unit is
   * what checkout shows.
   */
  readonly rounding?: "reject" | "half-up";
}

/**
 * Parses a decimal string such as "12.40" (as Shopify's APIs and CSVs write prices) into
 * minor units, exactly: no floating point is involved. More decimals than the currency has
 * are rejected unless they are zeros, so "2.550" is 255 cents but "2.555" is an error
 * (or 256 cents with `rounding: "half-up"`).
 */
export function parseDecimalToMinor(value: string, currency: string, options: ParseDecimalOptions = {}): number {
  const decimals = currencyDecimals(currency);
  const match = DECIMAL.exec(value.trim());
  if (!match) throw new MoneyError(`"${value}" is not a decimal amount.`);
  const [, sign, whole = "0", fraction = ""] = match;
  const extra = fraction.slice(decimals);
  let roundUp = false;
  if (/[^0]/.test(extra)) {
    if (options.rounding !== "half-up") {
      throw new MoneyError(`"${value}" has more than ${decimals} decimal places for ${currency}.`);
    }
    // Half away from zero: the first dropped digit decides, the sign is applied afterwards.
    roundUp = extra.charCodeAt(0) >= 53; // "5"
  }
  const minor = Number(whole + fraction.slice(0, decimals).padEnd(decimals, "0")) + (roundUp ? 1 : 0);
  if (!Number.isSafeInteger(minor)) throw new MoneyError(`"${value}" is too large.`);
  return sign && minor !== 0 ? -minor : minor;
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

// ---------------------------------------------------------------------------------------------
// Exact arithmetic for discounts. Checkout, the widget and the admin must agree to the minor
// unit, so every division below is done on integers (BigInt when a product could pass 2^53)
// and rounded by one documented rule: half up, i.e. half away from zero for the non-negative
// amounts discounts deal in. See docs/decisions/0005-offers-pricing.md.
// ---------------------------------------------------------------------------------------------

// No bigint literals (0n) and no ** on bigints: the Shopify CLI bundles the checkout extensions,
// which import this module, for ES2015, where esbuild refuses bigint literals and turns ** into
// Math.pow, which throws on bigints. Functions, not constants, so that a bundle which uses none of
// them (the storefront script) keeps no BigInt call at all.
const BIG_ZERO = () => BigInt(0);
const BIG_ONE = () => BigInt(1);
const BIG_TWO = () => BigInt(2);

/** 10^exponent as a bigint, for a non-negative integer exponent. */
function powerOfTen(exponent: number): bigint {
  let value = BIG_ONE();
  const ten = BigInt(10);
  for (let i = 0; i < exponent; i++) value *= ten;
  return value;
}

function assertNonNegativeInteger(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new MoneyError(`${what} must be a non-negative integer; got ${value}.`);
  }
}

/** round(a * b / d), half up, for non-negative integers a, b and positive integer d. */
export function multiplyDivideRoundHalfUp(a: number, b: number, d: number): number {
  assertNonNegativeInteger(a, "Amount");
  assertNonNegativeInteger(b, "Multiplier");
  if (!Number.isSafeInteger(d) || d <= 0) throw new MoneyError(`Divisor must be a positive integer; got ${d}.`);
  const product = a * b;
  if (Number.isSafeInteger(product)) {
    const quotient = Math.floor(product / d);
    const remainder = product - quotient * d;
    return remainder * 2 >= d ? quotient + 1 : quotient;
  }
  return divideRoundHalfUp(BigInt(a) * BigInt(b), BigInt(d));
}

/** round(value / divisor), half up, for a non-negative bigint and a positive divisor; a safe number. */
export function divideRoundHalfUp(value: bigint, divisor: bigint): number {
  const quotient = value / divisor;
  const rounded = (value % divisor) * BIG_TWO() >= divisor ? quotient + BIG_ONE() : quotient;
  if (rounded > BigInt(Number.MAX_SAFE_INTEGER)) throw new MoneyError("Amount is too large.");
  return Number(rounded);
}

/** Basis points in a whole: 10000 bp = 100%. Percentages are stored as basis points so that
 * 12.5% is exact. */
export const BASIS_POINTS_IN_WHOLE = 10_000;

/**
 * Converts a percentage with at most two decimals (12.5) to basis points (1250).
 * Throws on finer percentages: they cannot be shown to a buyer honestly.
 */
export function percentToBasisPoints(percent: number): number {
  if (!hasWholeBasisPoints(percent)) throw new MoneyError(`A percentage has at most two decimals; got ${percent}.`);
  return Math.round(percent * 100);
}

/** Whether a percentage has at most two decimals, i.e. is a whole number of basis points. */
export function hasWholeBasisPoints(percent: number): boolean {
  return Number.isFinite(percent) && Math.abs(Math.round(percent * 100) - percent * 100) <= 1e-6;
}

/** The percentage of an amount, rounded half up to the minor unit. */
export function percentageOfMinor(amount: number, basisPoints: number): number {
  return multiplyDivideRoundHalfUp(amount, basisPoints, BASIS_POINTS_IN_WHOLE);
}

/** "12.5" for 1250 bp, "10" for 1000 bp: percentages as a buyer reads them. */
export function formatBasisPoints(basisPoints: number): string {
  const whole = Math.floor(basisPoints / 100);
  const fraction = basisPoints % 100;
  if (fraction === 0) return String(whole);
  return `${whole}.${String(fraction).padStart(2, "0").replace(/0$/, "")}`;
}

/** An exchange rate as an exact decimal: value = digits / 10^scale. */
export interface ExchangeRate {
  readonly digits: bigint;
  readonly scale: number;
}

const RATE = /^(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/**
 * Parses a rate such as Shopify's `presentmentCurrencyRate` ("1.3456") exactly. Numbers are
 * read through their shortest decimal form, so 1.1 means 11/10, not the nearest double.
 */
export function parseExchangeRate(rate: string | number): ExchangeRate {
  const text = typeof rate === "number" ? String(rate) : rate.trim();
  const match = RATE.exec(text);
  if (!match) throw new MoneyError(`"${text}" is not an exchange rate.`);
  const [, whole = "0", fraction = "", exponentText = "0"] = match;
  let digits = BigInt(whole + fraction);
  let scale = fraction.length - Number(exponentText);
  if (scale < 0) {
    digits *= powerOfTen(-scale);
    scale = 0;
  }
  if (digits === BIG_ZERO()) throw new MoneyError("An exchange rate must be positive.");
  return { digits, scale };
}

/**
 * Converts an amount from one currency to another at `rate` (target units per source unit),
 * rounded half up to the target's minor unit. This is how a fixed amount configured in the shop
 * currency becomes an amount in the buyer's (presentment) currency: Shopify converts
 * fixed-amount discounts at the rate without applying the market's price-rounding rules.
 */
export function convertMinorUnits(options: {
  readonly amount: number;
  readonly from: string;
  readonly to: string;
  readonly rate: ExchangeRate | string | number;
}): number {
  const { amount, from, to } = options;
  assertNonNegativeInteger(amount, "Amount");
  const rate = typeof options.rate === "object" ? options.rate : parseExchangeRate(options.rate);
  const numerator = BigInt(amount) * rate.digits * powerOfTen(currencyDecimals(to));
  const denominator = powerOfTen(rate.scale + currencyDecimals(from));
  const quotient = numerator / denominator;
  const remainder = numerator % denominator;
  const rounded = remainder * BIG_TWO() >= denominator ? quotient + BIG_ONE() : quotient;
  if (rounded > BigInt(Number.MAX_SAFE_INTEGER)) throw new MoneyError("Converted amount is too large.");
  return Number(rounded);
}

/**
 * Splits `total` into integer shares proportional to `weights` (largest-remainder method), so the
 * shares add up to exactly `total`: no minor unit is lost or invented. Ties in the remainders go
 * to the earlier index, so callers that order their weights canonically get canonical results.
 * With `caps`, no share exceeds its cap (a line's discount never exceeds its price); whatever a
 * cap cuts off moves to the next shares with room, in the same remainder order. Weights may be
 * bigints where a product of amounts outgrows a safe number (units × price × basis points).
 */
export function allocateLargestRemainder(
  total: number,
  weights: readonly (number | bigint)[],
  caps?: readonly number[],
): number[] {
  assertNonNegativeInteger(total, "Total");
  for (const weight of weights) {
    if (typeof weight !== "bigint") assertNonNegativeInteger(weight, "Weight");
    else if (weight < BIG_ZERO()) throw new MoneyError(`Weight must be a non-negative integer; got ${weight}.`);
  }
  if (caps) {
    if (caps.length !== weights.length) throw new MoneyError("Caps and weights differ in length.");
    caps.forEach((cap) => assertNonNegativeInteger(cap, "Cap"));
    if (caps.reduce((sum, cap) => sum + cap, 0) < total) {
      throw new MoneyError(`Cannot allocate ${total} within caps that add up to less.`);
    }
  }
  const shares = weights.map(() => 0);
  if (total === 0) return shares;
  const bigSum = weights.reduce<bigint>((sum, weight) => sum + BigInt(weight), BIG_ZERO());
  if (bigSum === BIG_ZERO()) throw new MoneyError("Cannot allocate an amount over zero weights.");

  const bigTotal = BigInt(total);
  const remainders: bigint[] = [];
  let allocated = 0;
  weights.forEach((weight, index) => {
    const exact = bigTotal * BigInt(weight);
    const share = Number(exact / bigSum);
    shares[index] = share;
    remainders[index] = exact % bigSum;
    allocated += share;
  });
  const order = weights
    .map((_, index) => index)
    .sort((a, b) => {
      const ra = remainders[a] ?? BIG_ZERO();
      const rb = remainders[b] ?? BIG_ZERO();
      if (ra !== rb) return ra > rb ? -1 : 1;
      return a - b;
    });
  // What the floors left over is less than the number of non-zero remainders, so one pass
  // in remainder order hands it out.
  for (const index of order) {
    if (allocated >= total) break;
    shares[index] = (shares[index] ?? 0) + 1;
    allocated += 1;
  }
  if (!caps) return shares;

  let excess = 0;
  shares.forEach((share, index) => {
    const cap = caps[index] ?? 0;
    if (share > cap) {
      excess += share - cap;
      shares[index] = cap;
    }
  });
  for (const index of order) {
    if (excess === 0) break;
    const room = (caps[index] ?? 0) - (shares[index] ?? 0);
    const moved = Math.min(room, excess);
    shares[index] = (shares[index] ?? 0) + moved;
    excess -= moved;
  }
  return shares;
}
