import { describe, expect, it } from "vitest";
import { csvCustomerMatcher } from "./redacted-customer-in-csv";

/** A row of Shopify's orders export, read by column name as csv-rows' CsvRow.get does. */
const row = (cells: Record<string, string>) => (column: string) => cells[column] ?? "";

describe("whether an orders export row names a redacted customer", () => {
  const matcher = csvCustomerMatcher({ email: "John@Example.com ", phone: "+1 555-625-1199", orderIds: ["299938"] })!;

  it("matches the email whatever its case and spaces, and no other address", () => {
    expect(matcher.row(row({ Email: " john@example.COM" }))).toBe(true);
    expect(matcher.row(row({ Email: "john@example.com.au" }))).toBe(false);
    expect(matcher.row(row({ Email: "ajohn@example.com" }))).toBe(false);
  });

  it("matches a phone in any of the export's phone columns, written with or without the country code or a trunk zero", () => {
    for (const column of ["Phone", "Billing Phone", "Shipping Phone"]) {
      expect(matcher.row(row({ [column]: "(555) 625-1199" }))).toBe(true);
      expect(matcher.row(row({ [column]: "'+15556251199" }))).toBe(true);
    }
    expect(csvCustomerMatcher({ phone: "+44 7700 900123", orderIds: [] })!.row(row({ Phone: "07700 900123" }))).toBe(true);
    // A local number (seven digits and more) is taken as theirs; six digits say too little.
    expect(matcher.row(row({ Phone: "625-1199" }))).toBe(true);
    expect(matcher.row(row({ Phone: "25-1199" }))).toBe(false);
    expect(matcher.row(row({ Phone: "+1 555-625-1198" }))).toBe(false);
  });

  it("matches a named order by the export's Id column only, whole", () => {
    expect(matcher.row(row({ Id: "299938" }))).toBe(true);
    expect(matcher.row(row({ Id: "2999381" }))).toBe(false);
    // A number elsewhere on the row is not the order's id.
    expect(matcher.row(row({ "Lineitem quantity": "299938" }))).toBe(false);
  });

  it("compares every cell of a row that does not line up with the header", () => {
    expect(matcher.cells(["#1", "large", "JOHN@example.com"])).toBe(true);
    expect(matcher.cells(["#1", "299938"])).toBe(true);
    expect(matcher.cells(["#1", "dana@example.com", "12"])).toBe(false);
  });

  it("has nothing to match when the redact gives no email, phone or order", () => {
    expect(csvCustomerMatcher({ email: null, phone: "", orderIds: [] })).toBeNull();
  });
});
