import { MoneyError, parseDecimalToMinor, type Money } from "../money";

/** Shopify's `{ amount: "12.40", currencyCode }` (or a number amount) as minor units; null if unreadable. */
export function moneyFromShopify(value: { readonly amount: string | number; readonly currencyCode: string }): Money | null {
  try {
    const amount = typeof value.amount === "number" ? String(value.amount) : value.amount;
    // Amounts Shopify computes can carry more digits than the currency has; it shows the nearest.
    return { amount: parseDecimalToMinor(amount, value.currencyCode, { rounding: "half-up" }), currency: value.currencyCode };
  } catch (error) {
    if (error instanceof MoneyError) return null;
    throw error;
  }
}

/** The sum of amounts in one currency; null when there are none, one is missing or currencies differ. */
export function sumMoney(amounts: readonly (Money | null)[]): Money | null {
  const first = amounts[0];
  if (!first) return null;
  let total = 0;
  for (const money of amounts) {
    if (!money || money.currency !== first.currency) return null;
    total += money.amount;
  }
  return { amount: total, currency: first.currency };
}
