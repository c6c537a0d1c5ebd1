import { describe, expect, it } from "vitest";
import { readCsvHeader, readCsvRows, type CsvRowResult } from "./csv-rows";
import { parseProductsCsv } from "./products-csv";

const HEADER = "Handle,Title,Variant Price";

/** Each data row as "row: Handle", or "row: the reason" for a row that cannot be read. */
async function rowsOf(text: string | string[]): Promise<string[]> {
  const rows: string[] = [];
  for await (const result of readCsvRows(text, "products") as AsyncIterable<CsvRowResult>) {
    rows.push(result.ok ? `${result.value.row}: ${result.value.get("Handle")}` : `${result.row}: ${result.reason}`);
  }
  return rows;
}

describe("readCsvRows row numbers", () => {
  it("GIVEN no blank lines THEN the header is row 1 and each line is the next row", async () => {
    expect(await rowsOf([HEADER, "a,A,1.00", "b,B,2.00"].join("\n"))).toEqual(["2: a", "3: b"]);
  });

  it("GIVEN blank lines THEN counts them as a spreadsheet does, so a row keeps its number", async () => {
    const text = [HEADER, "a,A,1.00", "", "b,B,2.00", "c,C", "", "", "d,D,4.00", ""].join("\n");
    expect(await rowsOf(text)).toEqual(["2: a", "4: b", "5: The row has 2 fields but the header has 3.", "8: d"]);
  });

  it("GIVEN Windows line endings and a blank line before the header THEN numbers rows the same way", async () => {
    const text = ["", HEADER, "a,A,1.00", "", "b,B,2.00"].join("\r\n");
    expect(await rowsOf(text)).toEqual(["3: a", "5: b"]);
    // Streamed one character at a time, so line endings and blank lines straddle chunks.
    expect(await rowsOf([...text])).toEqual(["3: a", "5: b"]);
  });

  it("GIVEN a cell holding line breaks THEN its row is one row, as a spreadsheet shows it", async () => {
    // Shopify's Body (HTML) often spans lines; a spreadsheet still shows the product on one row.
    const text = [HEADER, 'a,"A\nwith\nbreaks",1.00', "", "b,B,2.00"].join("\n");
    expect(await rowsOf(text)).toEqual(["2: a", "4: b"]);
  });

  it("GIVEN the probe's file with a blank line THEN the import reports the rows the merchant sees", async () => {
    // /tmp/probe-import/p6_blank_lines.csv, cut to the columns that matter.
    const text = [HEADER, "blank-a,Blank A,5.00", "", "blank-b,Blank B,abc", ",,", "blank-c,Blank C,6.00"].join("\n");
    const skipped: number[] = [];
    for await (const event of parseProductsCsv(text, { currency: "USD" })) if (event.type === "skipped") skipped.push(event.row);
    expect(skipped).toEqual([4, 5]);
  });
});

describe("readCsvHeader", () => {
  it("reads the header below blank lines at the top, as the rows are read", async () => {
    expect(await readCsvHeader(["", "", HEADER, "a,A,1.00"].join("\r\n"))).toEqual(["Handle", "Title", "Variant Price"]);
  });
});
