import { readFile } from "node:fs/promises";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { CsvImportError } from "./import-errors";
import { parseProductsCsv, type CsvProductRecord, type ProductsCsvEvent } from "./products-csv";
import { ORDERS_EXPORT, PRODUCTS_EXPORT } from "../../../tests/fixtures/csv/paths";


async function collect(input: Parameters<typeof parseProductsCsv>[0], currency = "USD") {
  const events: ProductsCsvEvent[] = [];
  for await (const event of parseProductsCsv(input, { currency })) events.push(event);
  const products = events.flatMap((event) => (event.type === "product" ? [event.record] : []));
  const skipped = events.flatMap((event) => (event.type === "skipped" ? [{ row: event.row, reason: event.reason }] : []));
  return { events, products, skipped };
}

const HEADER = "Handle,Title,Option1 Name,Option1 Value,Variant SKU,Variant Price,Variant Compare At Price,Published";

function csv(...rows: string[]): string {
  return [HEADER, ...rows].join("\n");
}

function byHandle(products: CsvProductRecord[], handle: string): CsvProductRecord {
  const found = products.find((record) => record.product.handle === handle);
  if (!found) throw new Error(`no product ${handle}`);
  return found;
}

describe("parseProductsCsv", () => {
  it("GIVEN a products export THEN reads 3 products and 16 variants from its 17 rows", async () => {
    const { events, products, skipped } = await collect(await readFile(PRODUCTS_EXPORT, "utf8"));
    expect(skipped).toEqual([]);
    expect(products.map((record) => record.product.handle)).toEqual(["linen-apron", "canvas-trousers", "wool-beanie"]);
    expect(events.at(-1)?.rowsRead).toBe(17);

    const apron = byHandle(products, "linen-apron");
    expect(apron.firstRow).toBe(2);
    expect(apron.published).toBe(true);
    expect(apron.product).toMatchObject({
      shopifyId: "csv:linen-apron",
      title: "Linen Apron",
      vendor: "Fernhill Workshop",
      productType: "Aprons",
      tags: ["Handmade", "Kitchen"],
      status: "active",
      imageUrl: "https://cdn.example.com/upshelf-fixtures/linen-apron.jpg",
    });
    // Body (HTML) becomes plain text, as the Admin API's `description` is.
    expect(apron.product.description).toMatch(/^This apron is cut from heavy washed linen\./);
    expect(apron.product.description).not.toContain("<p>");
    expect(apron.product.variants).toHaveLength(12);
    expect(apron.product.variants[0]).toEqual({
      shopifyId: "csv:linen-apron/APR_NAT_S",
      title: "Natural / S",
      sku: "APR_NAT_S",
      price: 3200,
      compareAtPrice: null,
      currency: "USD",
      // The tracker cell is empty: Shopify does not count this variant's stock.
      inventoryQuantity: null,
      inventoryPolicy: "deny",
    });
    expect(apron.variantRows).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);

    const trousers = byHandle(products, "canvas-trousers");
    // Row 17 is an image-only row: not a variant, and not a problem either.
    expect(trousers.product.variants.map((variant) => variant.title)).toEqual(["28", "30", "40"]);
    expect(trousers.product.variants[0]).toMatchObject({ price: 9500, compareAtPrice: 6495, inventoryQuantity: 20 });
    expect(trousers.published).toBe(false);
    expect(trousers.product.status).toBe("draft");

    const beanie = byHandle(products, "wool-beanie");
    expect(beanie.product.variants).toEqual([
      expect.objectContaining({ title: "Default Title", sku: "BNE_WOL_1", price: 1799, compareAtPrice: 2299, inventoryQuantity: 50 }),
    ]);
    expect(beanie.product.status).toBe("archived");
  });

  it("prices in the shop's currency, with its minor unit", async () => {
    const { products, skipped } = await collect(await readFile(PRODUCTS_EXPORT, "utf8"), "JPY");
    // 25 yen is 25 minor units; 64.95 and 17.99 have decimals yen does not have: those rows are reported.
    expect(byHandle(products, "linen-apron").product.variants[0]).toMatchObject({ price: 32, currency: "JPY" });
    expect(products).toHaveLength(1);
    expect(skipped.map((entry) => entry.row)).toEqual([14, 15, 16, 18]);
    expect(skipped[0]?.reason).toBe('Variant Compare At Price "64.95": "64.95" has more than 0 decimal places for JPY.');
  });

  it("streams from a Node Readable of small chunks the same as from one string", async () => {
    const text = await readFile(PRODUCTS_EXPORT, "utf8");
    const chunks = text.match(/[\s\S]{1,37}/g) ?? [];
    const streamed = await collect(Readable.from(chunks.map((chunk) => Buffer.from(chunk))));
    const whole = await collect(text);
    expect(streamed.events).toEqual(whole.events);
  });

  it("GIVEN malformed rows THEN reports each with its row number and reason and keeps the rest", async () => {
    const { products, skipped } = await collect(
      csv(
        "mug,Mug,Color,Red,MUG-R,12.00,,TRUE", // 2
        "mug,,,Blue,MUG-B,12.5.0,,", // 3: not a price
        ",,,Green,MUG-G,12.00,,", // 4: no handle
        "mug,,,Black,MUG-K,-3.00,,", // 5: negative
        "mug,,,White,MUG-W,,,", // 6: empty price
        "mug,,,Pink,MUG-R,12.00,,", // 7: duplicate SKU
        "mug,,,Red,,12.00,,", // 8: duplicate option values
        "mug,,,Grey,MUG-Y,12.001,,", // 9: more decimals than USD has
        "mug,,,Teal,MUG-T,12.00,abc,", // 10: bad compare-at price
        "tea,,Title,Default Title,TEA,4.00,,", // 11: first row without a title
        "tea,,,Large,TEA-L,6.00,,", // 12: same product, so skipped for the same reason
        "mug,,,Orange,MUG-O,12.00,,", // 13: mug again after another product
        "cup,Cup,Size,Small,CUP-S,3.00", // 14: two fields short
        "jar,Jar,Title,Default Title,JAR,$4.00,,", // 15: currency symbol
        "mug,,,Gold,MUG-GOLD,99999999999,,", // 16: more than an amount column holds (mug again: skipped for that first)
        "vase,Vase,Title,Default Title,VASE,21474836.48,,", // 17: one minor unit too many
        "bowl,Bowl,Title,Default Title,BOWL,5.00,99999999999,", // 18: compare-at price too large
      ),
    );
    expect(products.map((record) => record.product.handle)).toEqual(["mug"]);
    expect(byHandle(products, "mug").product.variants.map((variant) => variant.sku)).toEqual(["MUG-R"]);
    expect(skipped.map((entry) => entry.row)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]);
    const reason = (row: number) => skipped.find((entry) => entry.row === row)?.reason;
    expect(reason(3)).toBe('Variant Price "12.5.0" is not a price (write it with digits and a dot, e.g. 25.00).');
    expect(reason(4)).toBe("Handle is empty.");
    expect(reason(5)).toBe('Variant Price "-3.00" is negative.');
    expect(reason(6)).toBe("Variant Price is empty.");
    expect(reason(7)).toBe('SKU "MUG-R" appears twice in product "mug".');
    expect(reason(8)).toBe('Option values "Red" appear twice in product "mug".');
    expect(reason(9)).toMatch(/more than 2 decimal places for USD/);
    expect(reason(10)).toMatch(/^Variant Compare At Price "abc" is not a price/);
    expect(reason(11)).toBe('Product "tea" has no Title on its first row, so none of its rows can be imported.');
    expect(reason(12)).toBe(reason(11));
    expect(reason(13)).toMatch(/Rows of product "mug" must be next to each other/);
    expect(reason(14)).toBe("The row has 6 fields but the header has 8.");
    expect(reason(15)).toMatch(/^Variant Price "\$4.00" is not a price/);
    expect(reason(17)).toBe('Variant Price "21474836.48" is too large; amounts go up to 21474836.47.');
    expect(reason(18)).toBe('Variant Compare At Price "99999999999" is too large; amounts go up to 21474836.47.');
  });

  it("reports a product none of whose rows has a usable variant, once", async () => {
    const { products, skipped } = await collect(
      csv(
        "mug,Mug,Title,Default Title,,abc,,", // the first row's own problem is the report
        "bag,Bag,,,,,,", // no variant at all: an image-only product
      ),
    );
    expect(products).toEqual([]);
    expect(skipped).toEqual([
      { row: 2, reason: expect.stringMatching(/^Variant Price "abc" is not a price/) },
      { row: 3, reason: 'Product "bag" has no variant row with a price, so it was not imported.' },
    ]);
  });

  it("keys variants without a SKU by their option values, and products by handle", async () => {
    const { products } = await collect(csv("mug,Mug,Color,Red,,12.00,,", "mug,,,Blue,,12.00,,"));
    expect(products[0]?.product.shopifyId).toBe("csv:mug");
    expect(products[0]?.product.variants.map((variant) => variant.shopifyId)).toEqual(["csv:mug/Red", "csv:mug/Blue"]);
    expect(products[0]?.published).toBeUndefined();
  });

  it("reads handles in lower case, as Shopify stores them: rows differing only in case are one product", async () => {
    const { products, skipped } = await collect(csv("Blue-Mug,Mug,Color,Red,,12.00,,", "blue-mug,,,Blue,,12.00,,"));
    expect(skipped).toEqual([]);
    expect(products.map((record) => [record.product.handle, record.product.shopifyId, record.product.variants.length])).toEqual([["blue-mug", "csv:blue-mug", 2]]);
  });

  it("refuses an orders export uploaded as products, naming the columns it needs", async () => {
    const error = await collect(await readFile(ORDERS_EXPORT, "utf8")).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CsvImportError);
    expect((error as CsvImportError).code).toBe("wrong_file");
    expect((error as CsvImportError).message).toContain('"Handle", "Title", "Variant Price"');
  });

  it("refuses text that is not CSV with the line where it breaks", async () => {
    const error = await collect(csv('mug,"Mug,Color,Red,,12.00,,', "cup,Cup,,,,1.00,,")).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CsvImportError);
    expect((error as CsvImportError).code).toBe("not_csv");
  });

  it("refuses an empty file", async () => {
    const error = await collect("").catch((caught: unknown) => caught);
    expect((error as CsvImportError).code).toBe("empty_file");
  });
});
