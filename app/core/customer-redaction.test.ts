import { describe, expect, it } from "vitest";
import { latestRedactionByCustomer, NO_REDACTIONS, redactionCovers } from "./customer-redaction";

const redactedAt = new Date("2025-03-01T12:00:00Z");
const redactions = { orderIds: new Set(["500"]), redactedAtByCustomer: new Map([["7", redactedAt]]) };
const order = (shopifyId: string, customerId: string | null, placedAt: Date) => ({ shopifyId, customerId, placedAt });

describe("redactionCovers", () => {
  it("covers an order the redact named, whatever its customer and time", () => {
    expect(redactionCovers(order("500", null, new Date("2030-01-01T00:00:00Z")), redactions)).toBe(true);
    expect(redactionCovers(order("500", "8", redactedAt), redactions)).toBe(true);
  });

  it("covers the redacted customer's orders placed until the redact, not those placed after it", () => {
    expect(redactionCovers(order("1", "7", new Date("2025-02-01T00:00:00Z")), redactions)).toBe(true);
    expect(redactionCovers(order("2", "7", redactedAt), redactions)).toBe(true);
    expect(redactionCovers(order("3", "7", new Date(redactedAt.getTime() + 1000)), redactions)).toBe(false);
  });

  it("leaves other customers' orders, orders without a customer, and everything when nothing was redacted", () => {
    expect(redactionCovers(order("1", "70", redactedAt), redactions)).toBe(false);
    expect(redactionCovers(order("1", null, redactedAt), redactions)).toBe(false);
    expect(redactionCovers(order("500", "7", redactedAt), NO_REDACTIONS)).toBe(false);
  });
});

describe("latestRedactionByCustomer", () => {
  it("keeps each customer's latest redact", () => {
    const earlier = new Date("2025-01-01T00:00:00Z");
    expect(latestRedactionByCustomer([
      { customerId: "7", redactedAt },
      { customerId: "7", redactedAt: earlier },
      { customerId: "8", redactedAt: earlier },
    ])).toEqual(new Map([["7", redactedAt], ["8", earlier]]));
  });
});
