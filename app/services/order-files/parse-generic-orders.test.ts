import { describe, expect, it } from "vitest";
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

  it("fails with the row number on a bad date, and names missing columns", async () => {
    await expect(parseGenericOrders("order_id,product_id,created_at\n1,a,2024-01-01\n2,b,31/12/2024\n")).rejects.toThrow(/Row 3/);
    await expect(parseGenericOrders("order,product\n1,a\n")).rejects.toMatchObject({ code: "missing_column" });
  });
});
