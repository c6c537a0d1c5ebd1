import { CSV_KEY_PREFIX } from "~/core/catalog-keys";
import type { IncomingProduct, IncomingVariant } from "~/services/ingest/types";
import { readCsvRows, type CsvInput, type CsvRow } from "./csv-rows";
import { booleanCell, priceCell, wholeNumberCell } from "./csv-values";
import { htmlToText } from "./html-text";

/**
 * Shopify's products CSV (Settings > Products > Export, or the template merchants fill in): one
 * row per variant, grouped by Handle. The first row of a handle carries the product's fields;
 * the following rows carry further variants, or only an extra image. There are no ids.
 *
 * Keys derived here (the catalog matcher replaces them with existing ids when the shop already
 * has the product, see ./catalog-matching.server.ts):
 * - product: `csv:<handle>` (a shop's handles are unique);
 * - variant: `csv:<handle>/<SKU>`, or `csv:<handle>/<option values>` when the SKU is empty.
 * Both depend only on the file's content, so importing the same file again finds the same rows.
 */

export interface CsvProductRecord {
  /** Ready for ingest once matched against the catalog; `publishedAt` is decided there too. */
  readonly product: IncomingProduct;
  /** The "Published" column: a date only exists in the catalog, so the matcher turns this into one. */
  readonly published: boolean | undefined;
  readonly firstRow: number;
  /** The row each variant came from, in `product.variants` order. */
  readonly variantRows: readonly number[];
}

export type ProductsCsvEvent =
  | { readonly type: "product"; readonly record: CsvProductRecord; readonly rowsRead: number }
  | { readonly type: "skipped"; readonly row: number; readonly reason: string; readonly rowsRead: number };

export interface ProductsCsvOptions {
  /** The products CSV has no currency: prices are in the shop's currency. */
  readonly currency: string;
}

export function csvProductKey(handle: string): string {
  return `${CSV_KEY_PREFIX}${handle}`;
}

export function csvVariantKey(handle: string, variant: { sku?: string | null; title?: string }): string {
  return `${CSV_KEY_PREFIX}${handle}/${variant.sku || variant.title || "Default Title"}`;
}

const OPTION_VALUES = ["Option1 Value", "Option2 Value", "Option3 Value"] as const;
const VARIANT_COLUMNS = [...OPTION_VALUES, "Variant SKU", "Variant Price", "Variant Compare At Price"] as const;
const STATUSES = new Set(["active", "draft", "archived"]);

interface DraftProduct {
  readonly handle: string;
  readonly firstRow: number;
  readonly fields: Omit<IncomingProduct, "shopifyId" | "handle" | "variants">;
  readonly published: boolean | undefined;
  readonly variants: IncomingVariant[];
  readonly variantRows: number[];
  readonly skus: Set<string>;
  readonly titles: Set<string>;
  imageUrl: string | null;
  firstRowReported: boolean;
}

function variantTitle(row: CsvRow): string {
  const values = OPTION_VALUES.map((column) => row.get(column)).filter((value) => value !== "");
  return values.length === 0 ? "Default Title" : values.join(" / ");
}

function startProduct(row: CsvRow, handle: string): DraftProduct | string {
  const title = row.get("Title");
  if (!title) return `Product "${handle}" has no Title on its first row, so none of its rows can be imported.`;
  const status = row.get("Status").toLowerCase();
  const tags = row
    .get("Tags")
    .split(",")
    .map((tag) => tag.trim())
    .filter((tag) => tag !== "");
  return {
    handle,
    firstRow: row.row,
    fields: {
      title,
      description: htmlToText(row.get("Body (HTML)")),
      productType: row.get("Type"),
      vendor: row.get("Vendor"),
      tags,
      ...(STATUSES.has(status) ? { status: status as "active" | "draft" | "archived" } : {}),
    },
    published: booleanCell(row.get("Published")),
    variants: [],
    variantRows: [],
    skus: new Set(),
    titles: new Set(),
    imageUrl: null,
    firstRowReported: false,
  };
}

function inventoryOf(row: CsvRow): { ok: true; value: number | null | undefined } | { ok: false; reason: string } {
  const quantityText = row.get("Variant Inventory Qty");
  if (row.has("Variant Inventory Tracker")) {
    // Shopify writes "shopify" when it counts the variant's stock and leaves the cell empty when not.
    if (row.get("Variant Inventory Tracker") === "") return { ok: true, value: null };
    if (quantityText === "") return { ok: true, value: undefined };
    return wholeNumberCell("Variant Inventory Qty", quantityText);
  }
  if (quantityText === "") return { ok: true, value: undefined };
  return wholeNumberCell("Variant Inventory Qty", quantityText);
}

/** Adds the row's variant to the product, or returns why the row cannot be one. */
function addVariant(product: DraftProduct, row: CsvRow, currency: string): string | null {
  const priceText = row.get("Variant Price");
  if (priceText === "") return "Variant Price is empty.";
  const price = priceCell("Variant Price", priceText, currency);
  if (!price.ok) return price.reason;
  const compareText = row.get("Variant Compare At Price");
  let compareAtPrice: number | null = null;
  if (compareText !== "") {
    const compare = priceCell("Variant Compare At Price", compareText, currency);
    if (!compare.ok) return compare.reason;
    compareAtPrice = compare.value;
  }
  const inventory = inventoryOf(row);
  if (!inventory.ok) return inventory.reason;

  const sku = row.get("Variant SKU");
  const title = variantTitle(row);
  if (sku && product.skus.has(sku)) return `SKU "${sku}" appears twice in product "${product.handle}".`;
  if (product.titles.has(title)) return `Option values "${title}" appear twice in product "${product.handle}".`;
  const policy = row.get("Variant Inventory Policy").toLowerCase();
  const variant: IncomingVariant = {
    shopifyId: csvVariantKey(product.handle, { sku, title }),
    title,
    sku: sku || null,
    price: price.value,
    compareAtPrice,
    currency,
    ...(inventory.value !== undefined ? { inventoryQuantity: inventory.value } : {}),
    ...(policy === "deny" || policy === "continue" ? { inventoryPolicy: policy } : {}),
  };
  if (sku) product.skus.add(sku);
  product.titles.add(title);
  product.variants.push(variant);
  product.variantRows.push(row.row);
  return null;
}

function isVariantRow(row: CsvRow): boolean {
  return VARIANT_COLUMNS.some((column) => row.get(column) !== "");
}

function imageOf(row: CsvRow): string | null {
  return row.get("Image Src") || row.get("Variant Image") || null;
}

/**
 * Streams a products CSV as products (emitted once their last row has been read) and skipped
 * rows with the reason, in file order. Deterministic, so a resumed import can skip the events it
 * already wrote by counting them.
 */
export async function* parseProductsCsv(
  input: CsvInput,
  options: ProductsCsvOptions,
): AsyncGenerator<ProductsCsvEvent> {
  const { currency } = options;
  const finishedHandles = new Set<string>();
  // Typed by assertion: `finish` resets it in a closure, which control-flow narrowing cannot see.
  let current = null as DraftProduct | null;
  /** A handle whose first row was unusable: its other rows are reported, not imported. */
  let rejectedHandle = null as { handle: string; reason: string } | null;
  let rowsRead = 0;

  function* finish(): Generator<ProductsCsvEvent> {
    if (!current) return;
    const product = current;
    current = null;
    finishedHandles.add(product.handle);
    if (product.variants.length === 0) {
      if (!product.firstRowReported) {
        yield {
          type: "skipped",
          row: product.firstRow,
          reason: `Product "${product.handle}" has no variant row with a price, so it was not imported.`,
          rowsRead,
        };
      }
      return;
    }
    yield {
      type: "product",
      record: {
        product: {
          shopifyId: csvProductKey(product.handle),
          handle: product.handle,
          ...product.fields,
          imageUrl: product.imageUrl,
          variants: product.variants,
        },
        published: product.published,
        firstRow: product.firstRow,
        variantRows: product.variantRows,
      },
      rowsRead,
    };
  }

  for await (const result of readCsvRows(input, "products")) {
    rowsRead += 1;
    if (!result.ok) {
      yield { type: "skipped", row: result.row, reason: result.reason, rowsRead };
      continue;
    }
    const row = result.value;
    // Shopify stores handles in lower case (its own import lowers them), so "Blue-Mug" is the
    // product "blue-mug" already in the catalog, not another one.
    const handle = row.get("Handle").toLowerCase();
    if (!handle) {
      yield { type: "skipped", row: row.row, reason: "Handle is empty.", rowsRead };
      continue;
    }
    if (current?.handle !== handle && rejectedHandle?.handle !== handle) {
      yield* finish();
      rejectedHandle = null;
      if (finishedHandles.has(handle)) {
        yield {
          type: "skipped",
          row: row.row,
          reason: `Rows of product "${handle}" must be next to each other; this one comes after another product's rows.`,
          rowsRead,
        };
        continue;
      }
      const started = startProduct(row, handle);
      if (typeof started === "string") {
        rejectedHandle = { handle, reason: started };
        finishedHandles.add(handle);
        yield { type: "skipped", row: row.row, reason: started, rowsRead };
        continue;
      }
      current = started;
    } else if (rejectedHandle?.handle === handle) {
      yield { type: "skipped", row: row.row, reason: rejectedHandle.reason, rowsRead };
      continue;
    }

    const product = current!;
    product.imageUrl ??= imageOf(row);
    if (!isVariantRow(row)) continue; // An image-only row: its image is all it adds.
    const problem = addVariant(product, row, currency);
    if (problem) {
      if (row.row === product.firstRow) product.firstRowReported = true;
      yield { type: "skipped", row: row.row, reason: problem, rowsRead };
    }
  }
  yield* finish();
}
