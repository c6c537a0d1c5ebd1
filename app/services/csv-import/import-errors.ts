/**
 * Why an uploaded CSV cannot be imported at all (as opposed to a row being skipped). `code` lets
 * the upload route map it to an HTTP status; `message` is written for the merchant.
 */
export type CsvImportErrorCode = "empty_file" | "not_csv" | "not_utf8" | "missing_columns" | "wrong_file" | "too_large" | "no_file";

export class CsvImportError extends Error {
  override name = "CsvImportError";
  constructor(readonly code: CsvImportErrorCode, message: string) {
    super(message);
  }
}
