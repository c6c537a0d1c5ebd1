import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { CsvImportError } from "./import-errors";
import { parseLineProperties, parseOrdersCsv, type CsvOrderRecord, type OrdersCsvEvent } from "./orders-csv";
import { ORDERS_EXPORT, PRODUCTS_EXPORT } from "../../../tests/fixtures/csv/paths";


async function collect(input: string, defaultCurrency = "USD", timeZone?: string) {
  const events: OrdersCsvEvent[] = [];
  for await (const event of parseOrdersCsv(input, { defaultCurrency, ...(timeZone ? { timeZone } : {}) })) events.push(event);
  const orders = events.flatMap((event) => (event.type === "order" ? [event.record] : []));
  const skipped = events.flatMap((event) => (event.type === "skipped" ? [{ row: event.row, reason: event.reason }] : []));
  return { events, orders, skipped };
}

const SCATTERED = (name: string) =>
  `Order ${name} is not imported: its rows are not next to each other (another order's rows come between them). Put them together and import the file again.`;

function byName(orders: CsvOrderRecord[], name: string): CsvOrderRecord {
  const found = orders.find((record) => record.order.name === name);
  if (!found) throw new Error(`no order ${name}`);
  return found;
}

const HEADER = "Name,Currency,Subtotal,Total,Discount Amount,Created at,Cancelled at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Lineitem discount";

describe("parseOrdersCsv", () => {
  it("GIVEN an orders export in Shopify's full layout THEN reads its 19 orders and 40 line items with their ids", async () => {
    const { events, orders, skipped } = await collect(await readFile(ORDERS_EXPORT, "utf8"));
    expect(skipped).toEqual([]);
    expect(orders).toHaveLength(19);
    expect(orders.reduce((lines, record) => lines + record.order.lines.length, 0)).toBe(40);
    expect(events.at(-1)?.rowsRead).toBe(40);

    const first = byName(orders, "#1001");
    expect(first.hasShopifyId).toBe(true);
    expect(first.firstRow).toBe(2);
    expect(first.order).toEqual({
      shopifyId: "6634244374859",
      name: "#1001",
      currency: "EUR",
      subtotal: 165995,
      total: 165995,
      discount: 0,
      customerId: null,
      cancelledAt: null,
      // "2025-05-11 09:55:16 -0400" is 13:55:16 UTC.
      placedAt: new Date(Date.UTC(2025, 4, 11, 13, 55, 16)),
      lines: [
        { title: "Gift Card - $10", sku: null, quantity: 1, unitPrice: 1000, discount: 0 },
        { title: "Selling Plans Ski Wax - Selling Plans Ski Wax", sku: null, quantity: 1, unitPrice: 2495, discount: 0 },
        { title: "The Collection Snowboard: Hydrogen", sku: null, quantity: 1, unitPrice: 60000, discount: 0 },
        { title: "The Collection Snowboard: Oxygen", sku: null, quantity: 1, unitPrice: 102500, discount: 0 },
      ],
    });
    expect(byName(orders, "#1006").order.lines.map((line) => line.sku)).toEqual([null, "sku-untracked-1", null]);
    // The export has no line item properties column.
    expect(orders.every((record) => record.order.lines.every((line) => line.properties === undefined))).toBe(true);
  });

  it("keys orders without an Id column by name and falls back to the shop's currency", async () => {
    const { orders } = await collect(
      ["Name,Created at,Lineitem quantity,Lineitem name,Lineitem price", "#7,2025-01-02 10:00:00 +0000,2,Mug,12.50"].join("\n"),
      "GBP",
    );
    expect(orders[0]).toMatchObject({
      hasShopifyId: false,
      order: { shopifyId: "csv:#7", currency: "GBP", subtotal: 2500, total: 2500, lines: [{ quantity: 2, unitPrice: 1250 }] },
    });
  });

  it("stores the subtotal as the lines add up, as every source does: the export's checkout figure leaves out lines added after checkout", async () => {
    const { orders } = await collect(
      [
        HEADER,
        // A 20.00 mug bought at checkout, a 10.00 candle accepted after it: the export says 20.00.
        "#W1,USD,20.00,30.00,0.00,2025-01-02 10:00:00 +0000,,1,Mug,20.00,MUG,0.00",
        "#W1,,,,,,,1,Candle,10.00,CAN,0.00",
        // A 10% code spread over the lines: the lines say the same as the export.
        "#W2,USD,18.00,18.00,2.00,2025-01-02 11:00:00 +0000,,1,Mug,20.00,MUG,2.00",
        // A code the lines do not show: it comes off the lines too.
        "#W3,USD,18.00,18.00,2.00,2025-01-02 12:00:00 +0000,,1,Mug,20.00,MUG,0.00",
        // The same code and a candle accepted after checkout.
        "#W4,USD,18.00,28.00,2.00,2025-01-02 13:00:00 +0000,,1,Mug,20.00,MUG,0.00",
        "#W4,,,,,,,1,Candle,10.00,CAN,0.00",
        // Free shipping (5.00 of Discount Amount no line shows): never below checkout's figure.
        "#W5,USD,20.00,20.00,5.00,2025-01-02 14:00:00 +0000,,1,Mug,20.00,MUG,0.00",
      ].join("\n"),
    );
    expect(orders.map((record) => [record.order.name, record.order.subtotal])).toEqual([
      ["#W1", 3000],
      ["#W2", 1800],
      ["#W3", 1800],
      ["#W4", 2800],
      ["#W5", 2000],
    ]);
  });

  it("reads Refunded Amount as the money refunded for the order, at most its items' subtotal", async () => {
    const { orders } = await collect(
      [
        "Name,Currency,Subtotal,Total,Refunded Amount,Created at,Lineitem quantity,Lineitem name,Lineitem price",
        "#F1,GBP,17.99,21.98,17.99,2025-01-02 10:00:00 +0000,1,Mug,17.99", // the mug returned, shipping kept
        "#F2,GBP,17.99,21.98,21.98,2025-01-02 11:00:00 +0000,1,Mug,17.99", // shipping refunded too
        "#F3,GBP,17.99,21.98,0.00,2025-01-02 12:00:00 +0000,1,Mug,17.99",
        "#F4,GBP,17.99,21.98,,2025-01-02 13:00:00 +0000,1,Mug,17.99",
      ].join("\n"),
      "GBP",
    );
    expect(orders.map((record) => [record.order.name, record.order.refundedEstimate, record.order.refunded])).toEqual([
      ["#F1", 1799, undefined],
      ["#F2", 1799, undefined],
      ["#F3", undefined, undefined],
      ["#F4", undefined, undefined],
    ]);
  });

  it("reads times without an offset in the shop's zone, and times with one as written", async () => {
    const { orders } = await collect(
      [
        "Name,Created at,Cancelled at,Lineitem quantity,Lineitem name,Lineitem price",
        "#8,2025-07-01 09:00:00,2025-07-02 09:00:00,1,Mug,12.50",
        "#9,2025-07-01 09:00:00 +0000,,1,Mug,12.50",
      ].join("\n"),
      "GBP",
      "Europe/London",
    );
    expect(byName(orders, "#8").order).toMatchObject({ placedAt: new Date("2025-07-01T08:00:00Z"), cancelledAt: new Date("2025-07-02T08:00:00Z") });
    expect(byName(orders, "#9").order).toMatchObject({ placedAt: new Date("2025-07-01T09:00:00Z") });
  });

  it("GIVEN malformed rows THEN reports each with its row number and reason", async () => {
    const { orders, skipped } = await collect(
      [
        HEADER,
        "#1,USD,30.00,30.00,0.00,2025-01-02 10:00:00 +0100,,1,Mug,12.50,MUG,", // 2
        "#1,,,,,,,0,Tea,4.00,,", // 3: quantity 0
        "#1,,,,,,,1,,4.00,,", // 4: no name
        "#1,,,,,,,1,Tea,four,,", // 5: bad price
        "#1,,,,,,,2,Tea,4.00,TEA,1.00", // 6: fine, with a line discount
        "#2,XYZ,10.00,10.00,,2025-01-03 10:00:00 +0000,,1,Mug,10.00,,", // 7: unknown currency
        "#2,,,,,,,1,Tea,4.00,,", // 8: same order, same reason
        "#3,USD,10.00,10.00,,yesterday,,1,Mug,10.00,,", // 9: bad date
        ",USD,10.00,10.00,,2025-01-03 10:00:00 +0000,,1,Mug,10.00,,", // 10: no name
        "#4,usd,ten,10.00,,2025-01-03 10:00:00 +0000,,1,Mug,10.00,,", // 11: bad subtotal
        "#3,,,,,,,1,Jam,3.00,,", // 12: order #3 again after order #4's row
        "#5,EUR,8.00,8.00,,2025-01-04 10:00:00 +0000,2025-01-05 10:00:00 +0000,1,Mug,8.00,,", // 13: cancelled, fine
        "#6,USD,10.00,10.00,,2025-01-06 10:00:00 +0000,,99999999999,Mug,10.00,,", // 14: quantity too large
        "#7,USD,10.00,10.00,,2025-01-06 10:00:00 +0000,,1,Mug,99999999999,,", // 15: price too large
        "#8,USD,,,,2025-01-06 10:00:00 +0000,,10000,Mug,20000000.00,,", // 16: each line fits, their sum does not
        "#8,,,,,,,1,Tea,4.00,,", // 17
      ].join("\n"),
    );
    // Order #1 has unreadable lines: none of it is imported, so a stored #1 keeps all its lines.
    expect(orders.map((record) => record.order.name)).toEqual(["#5"]);
    expect(byName(orders, "#5").order).toMatchObject({
      currency: "EUR",
      cancelledAt: new Date(Date.UTC(2025, 0, 5, 10)),
    });
    const notImported = "Order #1 is not imported: row 3 cannot be read. Fix that row and import the file again.";
    expect(skipped).toEqual([
      { row: 2, reason: notImported },
      { row: 3, reason: "Order #1: Lineitem quantity is 0; it must be at least 1." },
      { row: 4, reason: "Order #1: Lineitem name is empty." },
      { row: 5, reason: 'Order #1: Lineitem price "four" is not a price (write it with digits and a dot, e.g. 25.00).' },
      { row: 6, reason: notImported },
      { row: 7, reason: 'Order #2: "XYZ" is not a currency code Upshelf knows.' },
      { row: 8, reason: 'Order #2: "XYZ" is not a currency code Upshelf knows.' },
      { row: 9, reason: SCATTERED("#3") },
      { row: 10, reason: "Name (the order number) is empty." },
      { row: 11, reason: 'Order #4: Subtotal "ten" is not a price (write it with digits and a dot, e.g. 25.00).' },
      { row: 12, reason: SCATTERED("#3") },
      { row: 14, reason: 'Order #6: Lineitem quantity "99999999999" is too large; it goes up to 2,147,483,647.' },
      { row: 15, reason: 'Order #7: Lineitem price "99999999999" is too large; amounts go up to 21474836.47.' },
      ...[16, 17].map((row) => ({ row, reason: "Order #8 is not imported: its lines add up to more than 21474836.47, the largest order total Upshelf stores." })),
    ]);
  });

  it("imports none of an order whose rows another order's rows split, so a stored copy is not replaced by a part of it", async () => {
    const { orders, skipped } = await collect(
      [
        HEADER,
        "#R1,GBP,16.00,16.00,,2025-01-02 10:00:00 +0000,,1,Mug,5.00,,", // 2
        "#R1,,,,,,,2,Plate,5.00,,", // 3
        "#R2,GBP,4.00,4.00,,2025-01-03 10:00:00 +0000,,1,Tea,4.00,,", // 4
        ",,,,,,,1,Nameless,1.00,,", // 5: no name, splits nothing
        "#R2,,,,,,,1,Jam,3.00,,", // 6
        "#R1,,,,,,,1,Late,1.00,,", // 7
      ].join("\n"),
      "GBP",
    );
    expect(orders.map((record) => record.order.name)).toEqual(["#R2"]);
    expect(byName(orders, "#R2").order.lines.map((line) => line.title)).toEqual(["Tea", "Jam"]);
    expect(skipped).toEqual([
      { row: 2, reason: SCATTERED("#R1") },
      { row: 3, reason: SCATTERED("#R1") },
      { row: 5, reason: "Name (the order number) is empty." },
      { row: 7, reason: SCATTERED("#R1") },
    ]);
  });

  it("imports none of an order with a row copied twice, which its Subtotal shows; alike rows the Subtotal accounts for are kept", async () => {
    const { orders, skipped } = await collect(
      [
        HEADER,
        "#D1,GBP,9.00,9.00,,2025-01-02 10:00:00 +0000,,1,Mug,5.00,MUG,", // 2
        "#D1,,,,,,,2,Plate,2.00,PL,", // 3
        "#D1,,,,,,,2,Plate,2.00,PL,", // 4: a copy of row 3 (the lines now add up to 13.00)
        "#D2,GBP,9.00,9.00,,2025-01-03 10:00:00 +0000,,1,Mug,5.00,MUG,", // 5
        "#D2,GBP,9.00,9.00,,2025-01-03 10:00:00 +0000,,1,Mug,5.00,MUG,", // 6: the first row copied
        "#D2,,,,,,,2,Plate,2.00,PL,", // 7
        // The same plate added twice as separate items, which the Subtotal (13.00) includes.
        "#D3,GBP,13.00,13.00,,2025-01-04 10:00:00 +0000,,1,Mug,5.00,MUG,", // 8
        "#D3,,,,,,,2,Plate,2.00,PL,", // 9
        "#D3,,,,,,,2,Plate,2.00,PL,", // 10
      ].join("\n"),
      "GBP",
    );
    expect(orders.map((record) => record.order.name)).toEqual(["#D3"]);
    expect(byName(orders, "#D3").order.lines.map((line) => line.quantity)).toEqual([1, 2, 2]);
    const copied = (name: string, copy: number, first: number, sum: string) =>
      `Order ${name} is not imported: row ${copy} repeats row ${first} exactly, and its lines add up to ${sum}, more than its Subtotal of 9.00, so a row looks copied twice. Remove the extra row and import the file again.`;
    expect(skipped).toEqual([
      { row: 2, reason: copied("#D1", 4, 3, "13.00") },
      { row: 3, reason: copied("#D1", 4, 3, "13.00") },
      { row: 4, reason: copied("#D1", 4, 3, "13.00") },
      { row: 5, reason: copied("#D2", 6, 5, "14.00") },
      { row: 6, reason: copied("#D2", 6, 5, "14.00") },
      { row: 7, reason: copied("#D2", 6, 5, "14.00") },
    ]);
  });

  it("keeps line item properties when an export carries them, for attribution", async () => {
    const { orders } = await collect(
      [
        "Name,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem properties",
        '#1,2025-01-02 10:00:00 +0000,1,Mug,12.50,"_upshelf_offer: bundle-1\n_upshelf_placement: pdp"',
      ].join("\n"),
    );
    expect(orders[0]?.order.lines[0]?.properties).toEqual({ _upshelf_offer: "bundle-1", _upshelf_placement: "pdp" });
    expect(parseLineProperties("")).toBeUndefined();
    expect(parseLineProperties("no separator")).toBeUndefined();
    expect(parseLineProperties("Engraving: A: B")).toEqual({ Engraving: "A: B" });
  });

  it("refuses a products CSV uploaded as orders, naming the columns it needs", async () => {
    const error = await collect(await readFile(PRODUCTS_EXPORT, "utf8")).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CsvImportError);
    expect((error as CsvImportError).code).toBe("wrong_file");
    expect((error as CsvImportError).message).toBe(
      'This looks like a Shopify products CSV (it has the columns "Handle", "Variant Price"), not a Shopify orders export. ' +
        'Upload it as products instead. A Shopify orders export needs the columns "Name", "Created at", "Lineitem quantity", "Lineitem name", "Lineitem price".',
    );
  });

  it("refuses a CSV of something else, listing what it found", async () => {
    const error = await collect("InvoiceNo,StockCode,Description\n1,2,3").catch((caught: unknown) => caught);
    expect((error as CsvImportError).code).toBe("missing_columns");
    expect((error as CsvImportError).message).toContain('the file\'s first row is "InvoiceNo", "StockCode", "Description"');
  });

  it("skips an order dated after the upload (a mistyped year), keeping one up to a day ahead", async () => {
    const header = "Name,Created at,Lineitem quantity,Lineitem name,Lineitem price";
    const now = Date.parse("2026-12-06T12:00:00Z");
    const input = `${header}\n#T7,2031-08-30 10:00:00 +0100,1,Mug,12.50\n#T8,2026-12-07 09:00:00 +0000,1,Mug,12.50\n#T9,2026-12-01 09:00:00 +0000,1,Mug,12.50`;
    const events: OrdersCsvEvent[] = [];
    for await (const event of parseOrdersCsv(input, { defaultCurrency: "USD", now })) events.push(event);
    expect(events.flatMap((event) => (event.type === "order" ? [event.record.order.name] : []))).toEqual(["#T8", "#T9"]);
    expect(events.flatMap((event) => (event.type === "skipped" ? [event.reason] : []))).toEqual([
      'Order #T7: Created at "2031-08-30 10:00:00 +0100" is after the file was uploaded; check the year.',
    ]);
  });

  it("says so when the file's columns are separated by semicolons or tabs", async () => {
    for (const [separator, word] of [[";", "semicolons"], ["\t", "tabs"]] as const) {
      const header = ["Name", "Created at", "Lineitem quantity", "Lineitem name", "Lineitem price"].join(separator);
      const error = await collect(`${header}\n#1${separator}2025-01-02${separator}1${separator}Mug${separator}12.50`).catch((caught: unknown) => caught);
      expect((error as CsvImportError).code).toBe("missing_columns");
      const message = (error as CsvImportError).message;
      // The hint comes first, and the run-together row is not echoed back.
      expect(message.startsWith(`This file's columns are separated by ${word}; Shopify's CSV files use commas.`)).toBe(true);
      expect(message).not.toContain(header);
    }
    const commas = await collect("InvoiceNo,StockCode\n1,2").catch((caught: unknown) => caught);
    expect((commas as CsvImportError).message).not.toContain("separated by");
  });
});
