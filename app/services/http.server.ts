import { z } from "zod";

/**
 * The one way routes turn bad input into HTTP answers: a JSON body with a stable `error` code, a
 * human `message`, and for validation failures the problem per field.
 */
export interface ErrorBody {
  error: string;
  message: string;
  fields?: Record<string, string[]>;
}

export function jsonError(status: number, error: string, message: string, init: ResponseInit = {}, fields?: Record<string, string[]>) {
  const body: ErrorBody = fields ? { error, message, fields } : { error, message };
  return Response.json(body, { ...init, status });
}

export function fieldErrors(issues: z.ZodIssue[]): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const issue of issues) {
    const key = issue.path.join(".") || "_";
    (fields[key] ??= []).push(issue.message);
  }
  return fields;
}

/** The 400 body for input that failed validation: a one-line summary and the problems per field. */
export function invalidRequestBody(issues: z.ZodIssue[]): ErrorBody {
  const fields = fieldErrors(issues);
  const message = Object.entries(fields)
    .map(([field, messages]) => `${field}: ${messages.join("; ")}`)
    .join(". ");
  return { error: "invalid_request", message, fields };
}

/** The 404 body for a storefront or checkout request naming a shop without Upshelf. */
export function unknownShopBody(shopId: string): ErrorBody {
  return { error: "unknown_shop", message: `Upshelf is not installed on ${shopId}.` };
}

/**
 * A numeric Shopify id sent as text or as a number (`/cart.js` reports variant ids as numbers),
 * read as text. One check for both rather than a union of two, so a bad id is named with
 * `message` instead of zod's "Invalid input".
 */
export function numericIdInput(message: string) {
  return z
    .union([z.string(), z.number()], { errorMap: () => ({ message }) })
    .refine((id) => (typeof id === "string" ? /^\d{1,20}$/.test(id) : Number.isSafeInteger(id) && id > 0), message)
    .transform(String);
}

/** Parses input with a zod schema or throws a 400 response naming each problem. */
export function parseOrThrow<Schema extends z.ZodTypeAny>(schema: Schema, input: unknown, init: ResponseInit = {}): z.output<Schema> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw Response.json(invalidRequestBody(result.error.issues), { ...init, status: 400 });
}

/**
 * The query string as a plain object, a repeated key read as its values joined with "," in the
 * order given: what Shopify's app proxy signs (app-proxy-signature.server.ts), so a signed request
 * is read as it was signed. `variant_ids=1&variant_ids=2` is the list "1,2"; a repeated key that
 * takes one value (`placement=pdp&placement=cart`) reads "pdp,cart" and fails its validation.
 */
export function queryObject(params: URLSearchParams): Record<string, string> {
  // A Map, not `{}`: keys such as `toString` or `__proto__` are plain parameters, not Object.prototype's.
  const grouped = new Map<string, string>();
  for (const [key, value] of params) {
    const earlier = grouped.get(key);
    grouped.set(key, earlier === undefined ? value : `${earlier},${value}`);
  }
  return Object.fromEntries(grouped);
}

/**
 * Reads a request body of at most `maxBytes`, streaming, so an oversized body (with or without
 * Content-Length) is never buffered whole. Throws `tooLarge()`, the Response to send (each
 * endpoint's contract decides its status and words).
 */
export async function readBodyBytes(request: Request, options: { maxBytes: number; tooLarge: () => Response }): Promise<Buffer> {
  // The rest of the body is left unread, so the connection cannot carry another request: say so,
  // or a client that reuses it has its next request reset.
  const tooLarge = () => {
    const response = options.tooLarge();
    response.headers.set("Connection", "close");
    return response;
  };
  if (Number(request.headers.get("Content-Length") ?? "0") > options.maxBytes) throw tooLarge();
  const chunks: Uint8Array[] = [];
  const reader = request.body?.getReader();
  let size = 0;
  for (;;) {
    if (!reader) break;
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > options.maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** `readBodyBytes` for a JSON body; also throws a 400 when the text is not JSON. */
export async function readJsonBody(
  request: Request,
  options: { maxBytes: number; tooLarge: () => Response; init?: ResponseInit },
): Promise<unknown> {
  const bytes = await readBodyBytes(request, options);
  try {
    return JSON.parse(bytes.toString("utf8")) as unknown;
  } catch {
    throw jsonError(400, "invalid_json", "The body is not JSON.", options.init);
  }
}

/**
 * `readBodyBytes` for a form (URL-encoded or multipart), read as `request.formData()` would read
 * it; also throws a 400 when the body is not a form.
 */
export async function readFormBody(request: Request, options: { maxBytes: number; tooLarge: () => Response; init?: ResponseInit }): Promise<FormData> {
  const bytes = await readBodyBytes(request, options);
  try {
    return await new Response(bytes, { headers: { "Content-Type": request.headers.get("Content-Type") ?? "" } }).formData();
  } catch {
    throw jsonError(400, "invalid_form", "The body is not a form (application/x-www-form-urlencoded or multipart/form-data).", options.init);
  }
}

/**
 * `request` with a body that fails once more than `maxBytes` have been read, for a reader that
 * streams it (a multipart parser keeping one part at a time) where `readBodyBytes` would hold it
 * whole first. The rest is not read: the source is cancelled. `exceeded()` says the limit was why
 * reading failed, so the caller answers with its own 413. (A Content-Length past the limit is the
 * caller's to refuse before reading anything.)
 */
export function limitRequestBody(request: Request, maxBytes: number): { request: Request; exceeded: () => boolean } {
  if (!request.body) return { request, exceeded: () => false };
  let over = false;
  let size = 0;
  const counted = request.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        size += chunk.byteLength;
        if (size > maxBytes) {
          over = true;
          controller.error(new RangeError(`The body is larger than ${maxBytes} bytes.`));
          return;
        }
        controller.enqueue(chunk);
      },
    }),
  );
  const headers = new Headers(request.headers);
  headers.delete("Content-Length");
  const limited = new Request(request.url, { method: request.method, headers, body: counted, duplex: "half" } as RequestInit);
  return { request: limited, exceeded: () => over };
}
