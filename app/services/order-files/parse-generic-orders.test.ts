import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { OrderFileError } from "./order-file-types";
import { parseGenericOrders } from "./parse-generic-orders";

describe("parseGenericOrders", () => {
  it("GIVEN only order_id and product_id THEN quantity is 1 and dates are epoch 0", async () => {
    const parsed = await parseGenericOrders("order_id,product_id\n1,a\n1,b\n2,a\n");
    expect(parsed.orders).toEqual([
      {
        id: "1",
        createdAt: 0,
        lines: [
          { productId: "a", quantity: 1 },
          { productId: "b", quantity: 1 },
        ],
      },
      { id: "2", createdAt: 0, lines: [{ productId: "a", quantity: 1 }] },
    ]);
    expect(parsed.catalog).toEqual([
      { id: "a", title: "a" },
      { id: "b", title: "b" },
    ]);
  });

  it("reads the optional columns in any order", async () => {
    const csv =
      "title,created_at,price,quantity,product_id,order_id\nBlue mug,2024-03-01T10:00:00Z,12.5,2,mug,A1\n,2024-03-01,1,0,tea,A1\n";
    const parsed = await parseGenericOrders(csv, { currency: "EUR" });
    expect(parsed.currency).toBe("EUR");
    expect(parsed.orders).toEqual([
      { id: "A1", createdAt: Date.UTC(2024, 2, 1, 10), lines: [{ productId: "mug", quantity: 2, unitPrice: 1250 }] },
    ]);
    expect(parsed.skippedRows).toEqual({ non_positive: 1 });
    expect(parsed.catalog).toEqual([{ id: "mug", title: "Blue mug", price: 1250 }]);
  });

  it("fails with the line number on a bad date, and names missing columns", async () => {
    await expect(parseGenericOrders("order_id,product_id,created_at\n1,a,2024-01-01\n2,b,31/12/2024\n")).rejects.toThrow(
      'Line 3, column "created_at": "31/12/2024" is not an ISO 8601 timestamp.'
    );
    await expect(parseGenericOrders("order,product\n1,a\n")).rejects.toMatchObject({ code: "missing_column" });
  });

  it.each([
    ["1.5", "a fraction"],
    ["0x10", "hexadecimal (Number() reads it as 16)"],
    ["1e3", "an exponent"],
    ["Infinity", "not a number"],
    ["+2", "a sign"],
    ["2 units", "words"],
  ])("GIVEN quantity %s (%s) THEN fails naming the line and column", async (quantity) => {
    const csv = `order_id,product_id,quantity\n1,a,2\n1,b,${quantity}\n`;
    const error = await parseGenericOrders(csv).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OrderFileError);
    expect(error).toMatchObject({
      code: "bad_value",
      message: `Line 3, column "quantity": "${quantity}" is not a quantity; write a whole number in digits, such as 2.`,
    });
  });

  it("reads whole quantities in decimal digits, and still skips non-positive ones with a count", async () => {
    const parsed = await parseGenericOrders("order_id,product_id,quantity\n1,a,007\n1,b,-1\n1,c,0\n");
    expect(parsed.orders[0]!.lines).toEqual([{ productId: "a", quantity: 7 }]);
    expect(parsed.skippedRows).toEqual({ non_positive: 2 });
  });

  it.each([["1,234.50"], ["abc"], ["12 EUR"], ["12.5.1"]])("GIVEN price %s THEN fails naming the line and column", async (price) => {
    const csv = `order_id,product_id,price\n1,a,2\n1,b,"${price}"\n`;
    await expect(parseGenericOrders(csv)).rejects.toMatchObject({
      code: "bad_value",
      message: `Line 3, column "price": "${price}" is not a price; write digits with "." before the decimals and no thousands separator or currency symbol, such as 1234.50.`,
    });
  });

  it("GIVEN a price too large for minor units THEN fails naming the line and column instead of throwing a MoneyError", async () => {
    const error = await parseGenericOrders("order_id,product_id,price\n1,a,99999999999999999999\n").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OrderFileError);
    expect(error).toMatchObject({ code: "bad_value", message: 'Line 2, column "price": "99999999999999999999" is too large.' });
  });

  it("GIVEN a quote that is never closed THEN names the line it opens on, in words, not the line the file ends on", async () => {
    const neverClosed = 'a quoted field is never closed (a " without its closing "), so the rest of the file cannot be read. Add the closing " or remove the stray one.';
    const right = "order_id,product_id,title\n1,a,\"Open quote\n2,b,Mug\n3,c,Cup\n";
    await expect(parseGenericOrders(right)).rejects.toMatchObject({ code: "bad_value", message: `Line 2: ${neverClosed}` });
    // After a record with a quoted line break and a blank line, streamed in small chunks.
    const later = 'order_id,product_id,title\n1,a,"Two\nlines"\n\n2,b,"Open quote\n3,c,Mug\n';
    await expect(parseGenericOrders(later)).rejects.toMatchObject({ message: `Line 5: ${neverClosed}` });
    const chunks = (later.match(/[\s\S]{1,3}/g) ?? []).map((chunk) => Buffer.from(chunk));
    await expect(parseGenericOrders(Readable.from(chunks))).rejects.toMatchObject({ message: `Line 5: ${neverClosed}` });
  });

  it("GIVEN a stray quote THEN says how to write it, on its line", async () => {
    await expect(parseGenericOrders('order_id,product_id,title\n1,a,Mug\n2,b,Monitor 24" wide\n')).rejects.toMatchObject({
      code: "bad_value",
      message: 'Line 3: a field has a " in its text but is not in quotes. Put the field in quotes and write each " in it as two ("").',
    });
  });

  it("counts lines, not records: blank lines and quoted line breaks move the line number", async () => {
    const csv = 'order_id,product_id,title,quantity\n1,a,"Two\nlines",1\n\n1,b,Mug,x\n';
    await expect(parseGenericOrders(csv)).rejects.toThrow(/^Line 5, column "quantity"/);
  });
});
