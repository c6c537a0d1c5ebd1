/**
 * Whether a row of Shopify's orders export names a customer that customers/redact asks to forget
 * (docs/decisions/0007, addendum "customers/redact and import files kept for a resume"). A
 * cancelled import keeps its uploaded file for a resume, and an orders export names buyers.
 *
 * The redact's payload gives the customer's id, email and phone and the ids of the orders to
 * redact. The export has no customer id column; it names the buyer by `Email` and by `Phone`,
 * `Billing Phone` and `Shipping Phone`, and the order by `Id`. Matching leans towards a match:
 * a file wrongly taken to name the customer is only let go early (the merchant uploads it again),
 * while one wrongly kept holds a buyer's details the merchant was asked to erase.
 */

/** Who customers/redact names, as its payload gives them. */
export interface RedactedCustomer {
  readonly email?: string | null;
  readonly phone?: string | null;
  readonly orderIds: readonly string[];
}

/** The export's columns naming the buyer by email or phone, and the order by id. */
export const ORDERS_EXPORT_EMAIL_COLUMNS = ["Email"] as const;
export const ORDERS_EXPORT_PHONE_COLUMNS = ["Phone", "Billing Phone", "Shipping Phone"] as const;
export const ORDERS_EXPORT_ORDER_ID_COLUMNS = ["Id"] as const;

/** Fewer digits than this say too little to match a phone number by its end alone. */
const MIN_PHONE_SUFFIX_DIGITS = 7;

export function normalisedEmail(text: string): string {
  return text.trim().toLowerCase();
}

/**
 * A phone number's digits without leading zeros: "+1 555-625-1199", "'15556251199" (a spreadsheet
 * keeping it as text) and "555.625.1199" differ only in what is not a digit, and a national
 * number's trunk zero ("07700 900123") drops where the country code ("+44 7700 900123") comes in.
 */
export function normalisedPhone(text: string): string {
  return text.replace(/\D/g, "").replace(/^0+/, "");
}

/** One written with and one without the country code still match: the longer ends with the shorter. */
function samePhone(a: string, b: string): boolean {
  if (a === "" || b === "") return false;
  if (a === b) return true;
  const [shorter, longer] = a.length < b.length ? [a, b] : [b, a];
  return shorter.length >= MIN_PHONE_SUFFIX_DIGITS && longer.endsWith(shorter);
}

/** Reads a cell by column name ("" when empty or absent), as csv-rows' CsvRow.get does. */
export type CellReader = (column: string) => string;

export interface CsvCustomerMatcher {
  /** A row read by its columns (Shopify's column names). */
  row(get: CellReader): boolean;
  /**
   * A row whose cells could not be lined up with the header (its number of fields differs): every
   * cell is compared, since which one is the email or the id cannot be told.
   */
  cells(cells: readonly string[]): boolean;
}

/** Null when the redact gives nothing an export could name them by. */
export function csvCustomerMatcher(customer: RedactedCustomer): CsvCustomerMatcher | null {
  const email = customer.email ? normalisedEmail(customer.email) : "";
  const phone = customer.phone ? normalisedPhone(customer.phone) : "";
  const orderIds = new Set(customer.orderIds.map((id) => id.trim()).filter((id) => id !== ""));
  if (email === "" && phone === "" && orderIds.size === 0) return null;
  const cellNames = (text: string) =>
    (email !== "" && normalisedEmail(text) === email) || (phone !== "" && samePhone(normalisedPhone(text), phone)) || orderIds.has(text.trim());
  return {
    row(get) {
      if (email !== "" && ORDERS_EXPORT_EMAIL_COLUMNS.some((column) => normalisedEmail(get(column)) === email)) return true;
      if (phone !== "" && ORDERS_EXPORT_PHONE_COLUMNS.some((column) => samePhone(normalisedPhone(get(column)), phone))) return true;
      return orderIds.size > 0 && ORDERS_EXPORT_ORDER_ID_COLUMNS.some((column) => orderIds.has(get(column)));
    },
    cells(cells) {
      return cells.some(cellNames);
    },
  };
}
