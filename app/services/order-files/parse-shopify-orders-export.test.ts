import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { OrderFileError } from "./order-file-types";
import { parseShopifyOrdersExport } from "./parse-shopify-orders-export";
import { ORDERS_EXPORT } from "../../../tests/fixtures/csv/paths";


describe("parseShopifyOrdersExport", () => {
  it("GIVEN an orders export in Shopify's full layout THEN groups line rows by order Name", async () => {
    const parsed = await parseShopifyOrdersExport(await readFile(ORDERS_EXPORT, "utf8"));
    expect(parsed.currency).toBe("EUR");
    expect(parsed.rowsRead).toBe(40);
    expect(parsed.orders).toHaveLength(19);
    expect(parsed.orders.reduce((lines, order) => lines + order.lines.length, 0)).toBe(40);
    const first = parsed.orders[0]!;
    expect(first.id).toBe("#1001");
    // "2025-05-11 09:55:16 -0400" is 13:55:16 UTC.
    expect(first.createdAt).toBe(Date.UTC(2025, 4, 11, 13, 55, 16));
    expect(first.lines).toContainEqual({ productId: "The Collection Snowboard: Oxygen", quantity: 1, unitPrice: 102500 });
    // The SKU is the product key when present.
    const withSku = parsed.orders.find((order) => order.id === "#1006")!;
    expect(withSku.lines.map((line) => line.productId)).toContain("sku-untracked-1");
    expect(parsed.catalog).toContainEqual({
      id: "sku-untracked-1",
      title: "The Inventory Not Tracked Snowboard",
      price: 94995,
      vendor: "Test Cycle Sense App",
    });
  });

  it("carries order fields from the first row: cancellation and currency", async () => {
    const csv = [
      "Name,Currency,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Cancelled at",
      "#1,USD,2025-01-02 10:00:00 +0100,1,Mug,12.50,MUG-1,2025-01-03 09:00:00 +0100",
      "#1,,2025-01-02 10:00:00 +0100,2,Tea,4.00,,",
      "#2,USD,2025-01-04 10:00:00 +0000,1,Mug,12.50,MUG-1,",
      "#2,,2025-01-04 10:00:00 +0000,3,Mug,12.50,MUG-1,",
    ].join("\n");
    const parsed = await parseShopifyOrdersExport(csv);
    expect(parsed.orders).toEqual([
      {
        id: "#1",
        createdAt: Date.UTC(2025, 0, 2, 9),
        cancelled: true,
        lines: [
          { productId: "MUG-1", quantity: 1, unitPrice: 1250 },
          { productId: "Tea", quantity: 2, unitPrice: 400 },
        ],
      },
      { id: "#2", createdAt: Date.UTC(2025, 0, 4, 10), lines: [{ productId: "MUG-1", quantity: 4, unitPrice: 1250 }] },
    ]);
  });

  it("GIVEN orders in two currencies THEN refuses to mix their prices", async () => {
    const csv = [
      "Name,Currency,Created at,Lineitem quantity,Lineitem name",
      "#1,USD,2025-01-02 10:00:00 +0000,1,Mug",
      "#2,EUR,2025-01-02 10:00:00 +0000,1,Mug",
    ].join("\n");
    await expect(parseShopifyOrdersExport(csv)).rejects.toMatchObject({ code: "mixed_currency" });
  });

  it("GIVEN an order without a usable date THEN fails naming the order", async () => {
    const csv = ["Name,Created at,Lineitem quantity,Lineitem name", "#9,yesterday,1,Mug"].join("\n");
    await expect(parseShopifyOrdersExport(csv)).rejects.toThrow(/#9/);
    await expect(parseShopifyOrdersExport("Name\n#1\n")).rejects.toBeInstanceOf(OrderFileError);
  });

  it("GIVEN a currency that is not an upper-case ISO 4217 code THEN fails naming the line and column", async () => {
    const csv = [
      "Name,Created at,Currency,Lineitem quantity,Lineitem name",
      "#1,2025-01-01 10:00:00 +0000,eur,1,A",
    ].join("\n");
    const error = await parseShopifyOrdersExport(csv).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OrderFileError);
    expect(error).toMatchObject({
      code: "bad_value",
      message: 'Line 2, column "Currency": "eur" is not an ISO 4217 currency code; write three upper-case letters, such as "EUR".',
    });
  });

  it("GIVEN an unreadable or too large line price THEN fails naming the line and column", async () => {
    const header = "Name,Created at,Lineitem quantity,Lineitem name,Lineitem price";
    const first = "#1,2025-01-01 10:00:00 +0000,1,A,1.00";
    await expect(parseShopifyOrdersExport([header, first, "#1,,1,B,99999999999999999999"].join("\n"))).rejects.toMatchObject({
      code: "bad_value",
      message: 'Line 3, column "Lineitem price": "99999999999999999999" is too large.',
    });
    await expect(parseShopifyOrdersExport([header, first, "#1,,1,B,\"1,00\""].join("\n"))).rejects.toThrow(
      /^Line 3, column "Lineitem price": "1,00" is not a price/
    );
  });
});
