import { parseTimestamp } from "~/services/order-files/timestamps";
import { itemsSubtotal } from "~/services/ingest/items-subtotal";
import { nameKeyedOrderId } from "~/services/ingest/order-keys";
import type { IncomingOrder, IncomingOrderLine } from "~/services/ingest/types";
import { readCsvRows, type CsvRow } from "./csv-rows";
import { formatMinorAsDecimal } from "~/core/money";
import { MAX_INT_COLUMN } from "~/models/integer-columns";
import { isKnownCurrency, priceCell, wholeNumberCell, type CellResult } from "./csv-values";

/**
 * Shopify's orders export (Orders > Export): one row per line item; the order's own fields
 * (currency, totals, dates) are filled on its first row only, and an order's rows are next to
 * each other under its `Name` ("#1001"). Exports carry the order's numeric `Id`; files without
 * it get the key `csv:<Name>` (ingest/order-keys.ts), which the importer first tries to match to an
 * order already in the shop by name.
 *
 * Line items carry no product ids: the catalog matcher links them by `Lineitem sku`, then by
 * `Lineitem name` (see ./catalog-matching.server.ts).
 */

export interface CsvOrderRecord {
  readonly order: IncomingOrder;
  /** Whether the key came from the file's `Id` column rather than being derived from the name. */
  readonly hasShopifyId: boolean;
  readonly firstRow: number;
}

export type OrdersCsvEvent =
  | { readonly type: "order"; readonly record: CsvOrderRecord; readonly rowsRead: number }
  | { readonly type: "skipped"; readonly row: number; readonly reason: string; readonly rowsRead: number };

export interface OrdersCsvOptions {
  /** For exports without a Currency column (the shop's currency). */
  readonly defaultCurrency: string;
  /** For times without an offset (Shopify's export always has one; hand-made files may not): the shop's zone. */
  readonly timeZone?: string;
  /** When the file was uploaded (epoch ms; default: now). An order placed after it cannot be real. */
  readonly now?: number;
}

/** Slack for clocks and zones: an order up to a day "ahead" is taken as it is. */
const FUTURE_SLACK_MS = 24 * 60 * 60 * 1000;

/**
 * Shopify's export has no line item properties; some export apps add a `Lineitem properties`
 * column with one `name: value` per line. Kept when present, for `_upshelf_*` attribution.
 */
export function parseLineProperties(text: string): Record<string, string> | undefined {
  if (!text) return undefined;
  const properties: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const separator = line.indexOf(":");
    if (separator <= 0) continue;
    const name = line.slice(0, separator).trim();
    if (name) properties[name] = line.slice(separator + 1).trim();
  }
  return Object.keys(properties).length > 0 ? properties : undefined;
}

interface DraftOrder {
  readonly name: string;
  readonly firstRow: number;
  readonly shopifyId: string;
  readonly hasShopifyId: boolean;
  readonly currency: string;
  readonly placedAt: Date;
  readonly cancelledAt: Date | null;
  readonly subtotal: number | undefined;
  readonly total: number | undefined;
  readonly discount: number;
  /** The export's `Refunded Amount`: money refunded for the whole order (undefined: no such column or empty). */
  readonly refundedMoney: number | undefined;
  readonly lines: IncomingOrderLine[];
  /** Row numbers of `lines`, to report them if a later row of the order cannot be read. */
  readonly lineRows: number[];
  /** Each row's cells (JSON) to the first row holding them: a row copied twice repeats them exactly. */
  readonly rowTexts: Map<string, number>;
  /** [first row, its copy] for every row that repeats an earlier row of the order cell for cell. */
  readonly repeatedRows: Array<readonly [number, number]>;
}

// Shopify computes order amounts itself; one with extra digits is rounded as checkout would.
const ORDER_AMOUNT = { rounding: "half-up" } as const;

function optionalAmount(row: CsvRow, column: string, currency: string): CellResult<number | undefined> {
  const text = row.get(column);
  if (text === "") return { ok: true, value: undefined };
  return priceCell(column, text, currency, ORDER_AMOUNT);
}

function startOrder(row: CsvRow, name: string, options: OrdersCsvOptions): DraftOrder | string {
  const { defaultCurrency, timeZone = "UTC" } = options;
  const createdText = row.get("Created at");
  const createdAt = createdText ? parseTimestamp(createdText, timeZone) : undefined;
  if (createdAt === undefined) {
    return createdText
      ? `Order ${name}: Created at "${createdText}" is not a date and time.`
      : `Order ${name}: Created at is empty on its first row.`;
  }
  // One mistyped year (2031 for 2021) would otherwise become the newest order, and the dashboard's
  // and the backtest's periods are counted back from the newest.
  if (createdAt > (options.now ?? Date.now()) + FUTURE_SLACK_MS) {
    return `Order ${name}: Created at "${createdText}" is after the file was uploaded; check the year.`;
  }
  const currencyText = row.get("Currency");
  const currency = currencyText === "" ? defaultCurrency : currencyText.toUpperCase();
  if (!isKnownCurrency(currency)) return `Order ${name}: "${currencyText}" is not a currency code Upshelf knows.`;

  const cancelledText = row.get("Cancelled at");
  const cancelledAt = cancelledText ? parseTimestamp(cancelledText, timeZone) : null;
  if (cancelledAt === undefined) return `Order ${name}: Cancelled at "${cancelledText}" is not a date and time.`;

  const subtotal = optionalAmount(row, "Subtotal", currency);
  if (!subtotal.ok) return `Order ${name}: ${subtotal.reason}`;
  const total = optionalAmount(row, "Total", currency);
  if (!total.ok) return `Order ${name}: ${total.reason}`;
  const discount = optionalAmount(row, "Discount Amount", currency);
  if (!discount.ok) return `Order ${name}: ${discount.reason}`;
  const refunded = optionalAmount(row, "Refunded Amount", currency);
  if (!refunded.ok) return `Order ${name}: ${refunded.reason}`;

  const idText = row.get("Id");
  const hasShopifyId = /^\d+$/.test(idText);
  return {
    name,
    firstRow: row.row,
    shopifyId: hasShopifyId ? idText : nameKeyedOrderId(name),
    hasShopifyId,
    currency,
    placedAt: new Date(createdAt),
    cancelledAt: cancelledAt === null ? null : new Date(cancelledAt),
    subtotal: subtotal.value,
    total: total.value,
    discount: discount.value ?? 0,
    refundedMoney: refunded.value,
    lines: [],
    lineRows: [],
    rowTexts: new Map(),
    repeatedRows: [],
  };
}

function lineOf(row: CsvRow, currency: string): IncomingOrderLine | string {
  const title = row.get("Lineitem name");
  if (!title) return "Lineitem name is empty.";
  const quantity = wholeNumberCell("Lineitem quantity", row.get("Lineitem quantity"), { min: 1 });
  if (!quantity.ok) return quantity.reason;
  const priceText = row.get("Lineitem price");
  if (priceText === "") return "Lineitem price is empty.";
  const price = priceCell("Lineitem price", priceText, currency, ORDER_AMOUNT);
  if (!price.ok) return price.reason;
  const discount = optionalAmount(row, "Lineitem discount", currency);
  if (!discount.ok) return discount.reason;
  const sku = row.get("Lineitem sku");
  const properties = parseLineProperties(row.get("Lineitem properties"));
  return {
    title,
    sku: sku || null,
    quantity: quantity.value,
    unitPrice: price.value,
    discount: discount.value ?? 0,
    ...(properties ? { properties } : {}),
  };
}

/**
 * The order's items after discounts, summed from its lines as every source stores it
 * (ingest/items-subtotal.ts). The export's `Subtotal` is checkout's figure, which leaves out lines
 * added afterwards (a post-purchase offer): importing it would lower what a webhook stored. The
 * part of `Discount Amount` the lines' own discounts do not show comes off too (a code the export
 * does not spread over its lines), but never below the export's figure: that part may instead be a
 * shipping discount, and the lines cannot tell which.
 */
function subtotalOf(draft: DraftOrder): number {
  return draft.subtotal === undefined ? itemsSubtotal(draft.lines) : Math.max(draft.subtotal, linesAfterOrderDiscount(draft));
}

/** The lines' subtotal less the part of `Discount Amount` their own discounts do not show. */
function linesAfterOrderDiscount(draft: DraftOrder): number {
  const lineDiscounts = draft.lines.reduce((sum, line) => sum + (line.discount ?? 0), 0);
  return itemsSubtotal(draft.lines) - Math.max(0, draft.discount - lineDiscounts);
}

/**
 * Why an order with a row repeated cell for cell is not imported, or null when it is sound. Two
 * line items can legitimately be alike (the same variant added again by an order edit), so a
 * repeat alone proves nothing; it is a copy when the lines then add up to more than the export's
 * `Subtotal` (which every item the buyer was charged for is in, bar lines added after checkout).
 * Imported, the copy would double that line: its quantity, and what the shop is shown it sold.
 */
function repeatedRowProblem(draft: DraftOrder): string | null {
  const [repeat] = draft.repeatedRows;
  if (repeat === undefined || draft.subtotal === undefined) return null;
  const fromLines = linesAfterOrderDiscount(draft);
  if (fromLines <= draft.subtotal) return null;
  const [first, copy] = repeat;
  return (
    `Order ${draft.name} is not imported: row ${copy} repeats row ${first} exactly, and its lines add up to ` +
    `${formatMinorAsDecimal(fromLines, draft.currency)}, more than its Subtotal of ${formatMinorAsDecimal(draft.subtotal, draft.currency)}, ` +
    "so a row looks copied twice. Remove the extra row and import the file again."
  );
}

function toRecord(draft: DraftOrder): CsvOrderRecord {
  const subtotal = subtotalOf(draft);
  return {
    order: {
      shopifyId: draft.shopifyId,
      name: draft.name,
      currency: draft.currency,
      subtotal,
      total: draft.total ?? subtotal,
      discount: draft.discount,
      // The export says how much money went back, not for which items, and it may include
      // shipping and tax: at most the items' subtotal counts, and only for an order with no finer
      // refund stored (ingest decides). Without it, a refunded order would count as sales.
      ...(draft.refundedMoney ? { refundedEstimate: Math.min(draft.refundedMoney, subtotal) } : {}),
      // The export names customers by email only; Upshelf keeps no personal data it does not need.
      customerId: null,
      cancelledAt: draft.cancelledAt,
      placedAt: draft.placedAt,
      lines: draft.lines,
    },
    hasShopifyId: draft.hasShopifyId,
    firstRow: draft.firstRow,
  };
}

/**
 * Orders whose rows another order's rows split (rows without a name, or unreadable, split none, as
 * parseOrdersCsv passes over them). Such an order is not imported at all: a part of it would
 * replace the whole order stored from a webhook or an earlier import.
 */
async function scatteredOrderNames(input: string): Promise<Set<string>> {
  const seen = new Set<string>();
  const scattered = new Set<string>();
  let previous = "";
  for await (const result of readCsvRows(input, "orders")) {
    const name = result.ok ? result.value.get("Name") : "";
    if (!name || name === previous) continue;
    if (seen.has(name)) scattered.add(name);
    seen.add(name);
    previous = name;
  }
  return scattered;
}

/**
 * Streams an orders export as orders (emitted after their last row) and skipped rows with the
 * reason, in file order. An order with any row that cannot be read is not emitted; its rows
 * are all in the report. Deterministic, so a resumed import can skip events by counting them.
 */
export async function* parseOrdersCsv(input: string, options: OrdersCsvOptions): AsyncGenerator<OrdersCsvEvent> {
  // Read first, since an order is emitted at its last row: by the time a stray row turned up, the
  // part before it would already have replaced the stored order.
  const scattered = await scatteredOrderNames(input);
  // Typed by assertion: `finish` resets it in a closure, which control-flow narrowing cannot see.
  let current = null as DraftOrder | null;
  // `currency` is known when the order was rejected for a line, not for its own columns.
  let rejected = null as { name: string; reason: string; currency?: string } | null;
  let rowsRead = 0;

  function* finish(): Generator<OrdersCsvEvent> {
    const draft = current;
    current = null;
    if (!draft || draft.lines.length === 0) return;
    const repeated = repeatedRowProblem(draft);
    if (repeated !== null) {
      for (const row of draft.lineRows) yield { type: "skipped", row, reason: repeated, rowsRead };
      return;
    }
    const record = toRecord(draft);
    // Each line fits, but an order's total summed from many of them may not.
    if (record.order.subtotal > MAX_INT_COLUMN || record.order.total > MAX_INT_COLUMN) {
      const reason = `Order ${draft.name} is not imported: its lines add up to more than ${formatMinorAsDecimal(MAX_INT_COLUMN, draft.currency)}, the largest order total Upshelf stores.`;
      for (const row of draft.lineRows) yield { type: "skipped", row, reason, rowsRead };
      return;
    }
    yield { type: "order", record, rowsRead };
  }

  for await (const result of readCsvRows(input, "orders")) {
    rowsRead += 1;
    if (!result.ok) {
      yield { type: "skipped", row: result.row, reason: result.reason, rowsRead };
      continue;
    }
    const row = result.value;
    const name = row.get("Name");
    if (!name) {
      yield { type: "skipped", row: row.row, reason: "Name (the order number) is empty.", rowsRead };
      continue;
    }
    if (scattered.has(name)) {
      yield {
        type: "skipped",
        row: row.row,
        reason: `Order ${name} is not imported: its rows are not next to each other (another order's rows come between them). Put them together and import the file again.`,
        rowsRead,
      };
      continue;
    }
    if (rejected?.name === name) {
      // Rows after an unreadable line still say what is wrong with them, so one fix pass suffices.
      const line = rejected.currency === undefined ? undefined : lineOf(row, rejected.currency);
      yield { type: "skipped", row: row.row, reason: typeof line === "string" ? `Order ${name}: ${line}` : rejected.reason, rowsRead };
      continue;
    }
    if (current?.name !== name) {
      yield* finish();
      rejected = null;
      const started = startOrder(row, name, options);
      if (typeof started === "string") {
        rejected = { name, reason: started };
        yield { type: "skipped", row: row.row, reason: started, rowsRead };
        continue;
      }
      current = started;
    }
    const draft: DraftOrder = current!;
    const line = lineOf(row, draft.currency);
    if (typeof line === "string") {
      // An order is imported whole or not at all: a part of it would replace the whole order
      // stored from a webhook or an earlier import, and would skew what was bought together.
      const notImported = `Order ${name} is not imported: row ${row.row} cannot be read. Fix that row and import the file again.`;
      for (const earlier of draft.lineRows) yield { type: "skipped", row: earlier, reason: notImported, rowsRead };
      yield { type: "skipped", row: row.row, reason: `Order ${name}: ${line}`, rowsRead };
      current = null;
      rejected = { name, reason: notImported, currency: draft.currency };
      continue;
    }
    draft.lines.push(line);
    draft.lineRows.push(row.row);
    const text = JSON.stringify(row.cells);
    const earlier = draft.rowTexts.get(text);
    if (earlier === undefined) draft.rowTexts.set(text, row.row);
    else draft.repeatedRows.push([earlier, row.row]);
  }
  yield* finish();
}
