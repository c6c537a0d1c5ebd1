import { currencyDecimals, formatMinorAsDecimal } from "./money";

const formatters = new Map<string, Intl.NumberFormat>();

/**
 * Formats with the currency's symbol and exactly its minor-unit digits ("£12.40", "¥1,240"), in
 * English: the wording the storefront's English texts and the admin show. Checkout's discount
 * titles keep the currency code (core/offers/messages.ts), as the function runs without Intl.
 */
export function formatMinorForDisplay(amount: number, currency: string): string {
  let formatter = formatters.get(currency);
  if (!formatter) {
    const digits = currencyDecimals(currency);
    formatter = new Intl.NumberFormat("en", { style: "currency", currency, minimumFractionDigits: digits, maximumFractionDigits: digits });
    formatters.set(currency, formatter);
  }
  // A decimal string keeps every digit exact, whatever the size of the amount.
  return formatter.format(formatMinorAsDecimal(amount, currency) as unknown as number);
}
