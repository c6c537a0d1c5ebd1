import { CsvImportError } from "./import-errors";

/** Big enough for years of a busy shop's orders export; small enough to hold while it is queued. */
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
export const MAX_UPLOAD_LABEL = "50 MB";

/** The two Shopify exports the import page accepts. */
export type CsvFileKind = "products" | "orders";

interface CsvFileSpec {
  readonly label: string;
  /** Columns without which no row can be read. */
  readonly required: readonly string[];
  /** Columns that identify the file as this kind, to tell a merchant they picked the other card. */
  readonly signature: readonly string[];
}

export const CSV_FILE_SPECS: Record<CsvFileKind, CsvFileSpec> = {
  products: {
    label: "Shopify products CSV",
    required: ["Handle", "Title", "Variant Price"],
    signature: ["Handle", "Variant Price"],
  },
  orders: {
    label: "Shopify orders export",
    required: ["Name", "Created at", "Lineitem quantity", "Lineitem name", "Lineitem price"],
    signature: ["Name", "Lineitem name"],
  },
};

function otherKind(kind: CsvFileKind): CsvFileKind {
  return kind === "products" ? "orders" : "products";
}

function quoted(names: readonly string[]): string {
  return names.map((name) => `"${name}"`).join(", ");
}

/**
 * Checks a header row against what `kind` needs and returns it with names trimmed. Column names
 * are compared without regard to case or surrounding spaces (spreadsheets re-save headers in
 * small ways), and reported back in Shopify's spelling.
 */
export function checkCsvHeader(kind: CsvFileKind, header: readonly string[]): string[] {
  const names = header.map((name) => name.trim());
  if (names.every((name) => name === "")) {
    throw new CsvImportError("empty_file", `The file is empty. Upload a ${CSV_FILE_SPECS[kind].label}.`);
  }
  const present = new Set(names.map((name) => name.toLowerCase()));
  const has = (column: string) => present.has(column.toLowerCase());
  const spec = CSV_FILE_SPECS[kind];
  const missing = spec.required.filter((column) => !has(column));
  if (missing.length === 0) return names;

  const other = CSV_FILE_SPECS[otherKind(kind)];
  if (other.signature.every(has)) {
    throw new CsvImportError(
      "wrong_file",
      `This looks like a ${other.label} (it has the columns ${quoted(other.signature)}), not a ${spec.label}. ` +
        `Upload it as ${otherKind(kind)} instead. A ${spec.label} needs the columns ${quoted(spec.required)}.`,
    );
  }
  // A spreadsheet saved with semicolons or tabs between columns reads as one column holding them:
  // say that first, without echoing that whole row back.
  const separator = names.length === 1 ? [";", "\t"].find((candidate) => names[0]?.includes(candidate)) : undefined;
  if (separator) {
    throw new CsvImportError(
      "missing_columns",
      `This file's columns are separated by ${separator === ";" ? "semicolons" : "tabs"}; Shopify's CSV files use commas. ` +
        `Export the file again from Shopify, or save it as comma-separated. A ${spec.label} needs the columns ${quoted(spec.required)}.`,
    );
  }
  // Names are shortened: a row that is not a header at all can hold whole sentences.
  const shown = names.slice(0, 8).map((name) => (name.length > 40 ? `${name.slice(0, 39)}…` : name));
  throw new CsvImportError(
    "missing_columns",
    `This is not a ${spec.label}: it has no ${quoted(missing)} column${missing.length > 1 ? "s" : ""}. ` +
      `A ${spec.label} needs the columns ${quoted(spec.required)}` +
      (names.length > 0 ? `; the file's first row is ${quoted(shown)}${names.length > 8 ? ", ..." : ""}.` : "."),
  );
}
