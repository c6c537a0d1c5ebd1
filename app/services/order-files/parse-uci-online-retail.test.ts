import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { OrderFileError } from "./order-file-types";
import { isUciProductCode, parseUciOnlineRetail } from "./parse-uci-online-retail";

const HEADER = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country";
const FIXTURE = [
  HEADER,
  "536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26:00,2.55,17850,United Kingdom",
  '536365,71053,"LANTERN, WHITE METAL",6,2010-12-01 08:26:00,3.39,17850,United Kingdom',
  "536365,POST,POSTAGE,1,2010-12-01 08:26:00,18.00,17850,United Kingdom",
  "536366,85123a,WHITE HANGING HEART T-LIGHT HOLDER,2,2010-12-01 09:00:00,2.95,,United Kingdom",
  "536366,85123A,WHITE HANGING HEART T-LIGHT HOLDER,1,2010-12-01 09:00:00,2.95,,United Kingdom",
  "C536367,71053,LANTERN,-1,2010-12-01 09:30:00,3.39,17850,United Kingdom",
  "536368,22752,SET 7 BABUSHKA NESTING BOXES,0,2010-12-01 09:40:00,7.65,,United Kingdom",
  "536369,22752,SET 7 BABUSHKA NESTING BOXES,1,2010-12-01 09:41:00,0,,United Kingdom",
  "536370,m,Manual,1,2010-12-01 09:50:00,1.00,,United Kingdom",
  "536371,DCGSSGIRL,GIRLS PARTY BAG,1,2010-12-01 09:55:00,3.29,,United Kingdom",
  "536372,21730,GLASS STAR FROSTED,1,2010-12-01 10:00:00,0.005,,United Kingdom",
  "536373,C2,CARRIAGE,1,2010-12-01 10:05:00,50.00,,United Kingdom",
  "536374,22752,SET 7 BABUSHKA NESTING BOXES,2,12/2/2010 8:26,7.65,,United Kingdom",
].join("\n");

describe("parseUciOnlineRetail", () => {
  it("GIVEN raw UCI rows THEN applies the README's cleaning and builds baskets per invoice", async () => {
    const parsed = await parseUciOnlineRetail(FIXTURE);
    expect(parsed.currency).toBe("GBP");
    expect(parsed.rowsRead).toBe(13);
    expect(parsed.skippedRows).toEqual({ non_product: 4, cancellation: 1, non_positive: 2 });
    expect(parsed.orders.map((order) => order.id)).toEqual(["536365", "536366", "536372", "536374"]);
    expect(parsed.orders[0]).toEqual({
      id: "536365",
      createdAt: Date.UTC(2010, 11, 1, 8, 26),
      lines: [
        { productId: "85123A", quantity: 6, unitPrice: 255 },
        { productId: "71053", quantity: 6, unitPrice: 339 },
      ],
    });
    // Lower-case codes are the same product; repeated lines merge.
    expect(parsed.orders[1]!.lines).toEqual([{ productId: "85123A", quantity: 3, unitPrice: 295 }]);
    // Sub-penny prices round half up to minor units.
    expect(parsed.orders[2]!.lines[0]!.unitPrice).toBe(1);
    expect(parsed.orders[3]!.createdAt).toBe(Date.UTC(2010, 11, 2, 8, 26));
  });

  it("builds a catalog with the most used title and price", async () => {
    const parsed = await parseUciOnlineRetail(FIXTURE);
    expect(parsed.catalog).toContainEqual({ id: "85123A", title: "WHITE HANGING HEART T-LIGHT HOLDER", price: 295 });
    expect(parsed.catalog).toContainEqual({ id: "71053", title: "LANTERN, WHITE METAL", price: 339 });
    expect(parsed.catalog.map((product) => product.id)).not.toContain("POST");
  });

  it("GIVEN a description whose UTF-8 was read as Latin-1 (the source's gift voucher) THEN the title is repaired", async () => {
    const parsed = await parseUciOnlineRetail(`${HEADER}\n541000,22016,Dotcomgiftshop Gift Voucher Â£100.00,1,2011-01-13 09:30:00,83.33,,United Kingdom\n`);
    expect(parsed.catalog).toEqual([{ id: "22016", title: "Dotcomgiftshop Gift Voucher £100.00", price: 8333 }]);
  });

  it("reads a stream split anywhere, including inside a quoted field", async () => {
    const chunks = FIXTURE.match(/[\s\S]{1,7}/g) ?? [];
    const fromStream = await parseUciOnlineRetail(Readable.from(chunks.map((chunk) => Buffer.from(chunk))));
    expect(fromStream).toEqual(await parseUciOnlineRetail(FIXTURE));
  });

  it("GIVEN a file without the UCI columns THEN fails naming the missing column", async () => {
    await expect(parseUciOnlineRetail("order_id,product_id\n1,a\n")).rejects.toThrow(OrderFileError);
    await expect(parseUciOnlineRetail("order_id,product_id\n1,a\n")).rejects.toThrow(/"InvoiceNo"/);
  });

  it("classifies stock codes: service codes and codes without digits are not products", () => {
    for (const code of [
      "POST",
      "D",
      "M",
      "m",
      "DOT",
      "BANK CHARGES",
      "AMAZONFEE",
      "CRUK",
      "S",
      "PADS",
      "C2",
      "B",
      "DCGSSBOY",
      "GIFT_0001_20",
    ]) {
      expect(isUciProductCode(code)).toBe(false);
    }
    for (const code of ["85123A", "22752", "84029g", "DCGS0076"]) expect(isUciProductCode(code)).toBe(true);
  });
});
