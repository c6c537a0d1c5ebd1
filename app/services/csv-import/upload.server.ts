import {
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler as createMemoryUploadHandler,
  unstable_parseMultipartFormData as parseMultipartFormData,
} from "@remix-run/node";
import { limitRequestBody } from "~/services/http.server";
import { MAX_UPLOAD_BYTES, MAX_UPLOAD_LABEL, type CsvFileKind } from "./csv-files";
import { readCsvHeader } from "./csv-rows";
import { CsvImportError } from "./import-errors";

// Room for the multipart boundaries and the other fields around the file.
const REQUEST_SLACK_BYTES = 64 * 1024;
/**
 * The whole upload, every part together: each part is held in memory as it is read, and the
 * per-part limit alone let a body of many parts (each under MAX_UPLOAD_BYTES) be held whole.
 */
export const MAX_UPLOAD_REQUEST_BYTES = MAX_UPLOAD_BYTES + REQUEST_SLACK_BYTES;

export interface CsvUpload {
  kind: CsvFileKind;
  fileName: string;
  text: string;
}

/** An upload the import page cannot take; `kind` says which card it came from, when known. */
export class CsvUploadError extends CsvImportError {
  constructor(
    error: CsvImportError,
    readonly kind: CsvFileKind | null,
  ) {
    super(error.code, error.message);
  }

  get status(): number {
    return this.code === "too_large" ? 413 : 400;
  }
}

function isKind(value: unknown): value is CsvFileKind {
  return value === "products" || value === "orders";
}

function tooLarge(): CsvImportError {
  return new CsvImportError(
    "too_large",
    `The file is larger than ${MAX_UPLOAD_LABEL}. Export a shorter date range (orders) or fewer products at a time, and import each file.`,
  );
}

/**
 * Reads the import form (fields `kind`, then `file`) and checks that the file is the CSV its card
 * asks for, before anything is queued: a wrong or broken file is refused with the reason and the
 * columns expected, and nothing is stored.
 */
export async function readCsvUpload(request: Request): Promise<CsvUpload> {
  let kind: CsvFileKind | null = null;
  const fail = (error: CsvImportError) => new CsvUploadError(error, kind);

  const length = Number(request.headers.get("Content-Length"));
  if (Number.isFinite(length) && length > MAX_UPLOAD_REQUEST_BYTES) throw fail(tooLarge());

  const memory = createMemoryUploadHandler({ maxPartSize: MAX_UPLOAD_BYTES });
  // Without a Content-Length (a streamed, chunked body) the limit holds as the body is read.
  const limited = limitRequestBody(request, MAX_UPLOAD_REQUEST_BYTES);
  let form: FormData;
  try {
    form = await parseMultipartFormData(limited.request, async (part) => {
      const value = await memory(part);
      // The kind comes before the file, so a file that is too large is still reported on its card.
      if (part.name === "kind" && isKind(value)) kind = value;
      return value;
    });
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError || limited.exceeded()) throw fail(tooLarge());
    if (error instanceof TypeError) {
      throw fail(new CsvImportError("no_file", "Send the file as a form upload (multipart/form-data)."));
    }
    throw error;
  }

  const kindValue = form.get("kind");
  if (!isKind(kindValue)) {
    throw fail(new CsvImportError("no_file", 'Say what the file is: kind must be "products" or "orders".'));
  }
  kind = kindValue;
  const file = form.get("file");
  if (!(file instanceof File) || (file.size === 0 && file.name === "")) {
    throw fail(new CsvImportError("no_file", "Choose a CSV file to import."));
  }
  if (/\.(xlsx?|numbers|ods)$/i.test(file.name)) {
    throw fail(
      new CsvImportError("not_csv", `"${file.name}" is a spreadsheet, not a CSV file. Save it as CSV (UTF-8) and upload that.`),
    );
  }
  let text: string;
  try {
    // File.text() would turn bytes that are not UTF-8 into "�" and import the damage silently.
    text = new TextDecoder("utf-8", { fatal: true }).decode(await file.arrayBuffer());
  } catch {
    throw fail(
      new CsvImportError(
        "not_utf8",
        `"${file.name}" is not UTF-8 text (a spreadsheet program's older "CSV" format?). Save it as "CSV UTF-8" and upload that; nothing was imported.`,
      ),
    );
  }
  try {
    await readCsvHeader(text, kind);
  } catch (error) {
    if (error instanceof CsvImportError) throw fail(error);
    throw error;
  }
  return { kind, fileName: file.name || `${kind}.csv`, text };
}
