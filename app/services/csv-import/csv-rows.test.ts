import { describe, expect, it } from "vitest";
import { readCsvHeader, readCsvRows, type CsvRowResult } from "./csv-rows";
import { CsvImportError } from "./import-errors";
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

describe("a file that is not valid CSV", () => {
  const NEVER_CLOSED = 'a quoted field is never closed (a " without its closing "), so the rest of the file cannot be read. Add the closing " or remove the stray one.';

  async function failureOf(read: () => Promise<unknown>): Promise<CsvImportError> {
    const error = await read().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CsvImportError);
    expect((error as CsvImportError).code).toBe("not_csv");
    return error as CsvImportError;
  }

  it("GIVEN the probe's quote that is never closed THEN names the line it opens on, in words, not the line the file ends on", async () => {
    // /tmp/probe-import: line 2 opens a quote that nothing closes, so the parser reads to the end.
    const text = [HEADER, 'h1,"Title with open quote,body', "h2,Two,2.00", ""].join("\n");
    expect((await failureOf(() => rowsOf(text))).message).toBe(`Line 2: ${NEVER_CLOSED}`);
    // Streamed a character at a time, as from a file.
    expect((await failureOf(() => rowsOf([...text]))).message).toBe(`Line 2: ${NEVER_CLOSED}`);
    // The upload reads the header first, and refuses the file with the same words.
    expect((await failureOf(() => readCsvHeader(text))).message).toBe(`Line 2: ${NEVER_CLOSED}`);
  });

  it("GIVEN rows that read well, blank lines and a cell with line breaks before the broken quote THEN names its line, and its row when they differ", async () => {
    const text = [HEADER, 'a,"A\nwith\nbreaks",1.00', "", "b,B,2.00", "", 'c,"C,3.00', "d,D,4.00"].join("\r\n");
    // Lines: header 1, a 2-4, blank 5, b 6, blank 7, c 8; rows: a 2, b 4, c 6.
    expect((await failureOf(() => rowsOf(text))).message).toBe(`Line 8 (row 6 in a spreadsheet): ${NEVER_CLOSED}`);
    expect((await failureOf(() => rowsOf([...text]))).message).toBe(`Line 8 (row 6 in a spreadsheet): ${NEVER_CLOSED}`);
  });

  it("GIVEN a quote never closed in the header, below blank lines THEN names the header's line", async () => {
    const text = ["", 'Handle,"Title,Variant Price', "a,A,1.00"].join("\n");
    expect((await failureOf(() => readCsvHeader(text))).message).toBe(`Line 2: ${NEVER_CLOSED}`);
  });

  it("GIVEN a stray quote in a field THEN says how to write it, on its line", async () => {
    const stray = [HEADER, "a,A,1.00", 'b,Monitor 24" wide,2.00'].join("\n");
    expect((await failureOf(() => rowsOf(stray))).message).toBe(
      'Line 3: a field has a " in its text but is not in quotes. Put the field in quotes and write each " in it as two ("").',
    );
    const undoubled = [HEADER, "a,A,1.00", 'b,"Monitor 24" wide",2.00'].join("\n");
    expect((await failureOf(() => rowsOf(undoubled))).message).toBe(
      'Line 3: a quoted field has a " in its text that is not doubled. Inside quotes, write a " as two ("").',
    );
  });
});
