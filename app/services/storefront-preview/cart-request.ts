import { z } from "zod";
import { numericIdInput } from "~/services/http.server";
import { MAX_LINE_QUANTITY, type AddItem, type ChangeRequest } from "./cart-lines";

/**
 * Bodies of Shopify's `/cart/add.js` and `/cart/change.js`, as JSON or as the form a theme posts,
 * validated. Property values are text, as Shopify stores them.
 */
const variantId = numericIdInput("must be a numeric variant id");
// Forms send text: a number written as text counts, a blank one is a mistake (not 0, which removes the line).
const quantity = z.preprocess(
  (value) => (typeof value === "string" && value.trim() !== "" ? Number(value) : value),
  z.number({ required_error: "is required", invalid_type_error: "must be a whole number" }).int("must be a whole number").min(0, "must be 0 or more").max(MAX_LINE_QUANTITY, `must be at most ${MAX_LINE_QUANTITY}`),
);
const properties = z
  .record(z.string().max(255), z.union([z.string().max(1000), z.number(), z.boolean()]).transform(String))
  .refine((value) => Object.keys(value).length <= 50, "at most 50 properties")
  .optional();
const sections = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => (Array.isArray(value) ? value : value.split(",")).map((id) => id.trim()).filter(Boolean))
  .optional();

// A selling plan's id, as JSON's number or a form's text; a blank one (a one-time purchase in a
// product form's plan picker) names none.
const sellingPlan = z
  .preprocess((value) => (value === "" ? undefined : value), numericIdInput("must be a numeric selling plan id").optional())
  .optional();

const item = z.object({ id: variantId, quantity: quantity.refine((value) => value >= 1, "must be at least 1").default(1), properties, selling_plan: sellingPlan });

const manyItems = z.object({ items: z.array(item).min(1).max(100), sections });
const oneItem = item.extend({ sections }).transform(({ sections: wanted, ...single }) => ({ items: [single], sections: wanted, single: true as const }));

const changeSchema = z
  .object({
    id: z.union([z.number().int().positive().transform(String), z.string().regex(/^\d{1,20}(:[a-f0-9]+)?$/)]).optional(),
    line: z.coerce.number().int().min(1).optional(),
    quantity,
    // Shopify's change of a line's selling plan is not emulated: refused by name, not ignored.
    selling_plan: z.undefined({ invalid_type_error: "changing a line's selling plan is not emulated here" }).optional(),
    sections,
  })
  .refine((value) => value.id !== undefined || value.line !== undefined, "name the line with id or line");

const updateSchema = z
  .object({
    attributes: z
      .record(z.string().min(1).max(255), z.union([z.string().max(1000), z.number(), z.boolean(), z.null()]).transform((value) => (value === null ? "" : String(value))))
      .refine((value) => Object.keys(value).length <= 50, "at most 50 attributes"),
    sections,
  })
  // Shopify's `updates` (quantities) and `note` are not emulated: refused by name, not ignored.
  .strict();

export interface UpdateRequest {
  /** A blank value removes the attribute, as on Shopify. */
  attributes: Record<string, string>;
  sections?: string[];
}

export interface AddRequest {
  items: AddItem[];
  sections?: string[];
  /** A single-item request answers with the line itself, as Shopify does. */
  single?: boolean;
}

export interface ParsedChange extends ChangeRequest {
  sections?: string[];
}

/** Form fields as Shopify reads them: `properties[Name]=value` becomes a properties object. */
export function formToObject(form: URLSearchParams): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  const props: Record<string, string> = {};
  for (const [key, value] of form) {
    const property = /^properties\[(.+)\]$/.exec(key);
    if (property?.[1]) props[property[1]] = value;
    else if (!(key in object)) object[key] = value;
  }
  if (Object.keys(props).length > 0) object.properties = props;
  return object;
}

export async function readBody(request: Request): Promise<unknown> {
  const type = request.headers.get("Content-Type") ?? "";
  if (Number(request.headers.get("Content-Length") ?? "0") > 64 * 1024) throw new RequestError("The request body is larger than 64 KB.");
  if (type.includes("multipart/form-data")) {
    // A theme's product form sent with fetch(…, { body: new FormData(form) }), as Dawn sends it.
    let form: FormData;
    try {
      form = await request.formData();
    } catch {
      throw new RequestError("The form could not be read.");
    }
    const fields = new URLSearchParams();
    for (const [key, value] of form) if (typeof value === "string") fields.append(key, value);
    return formToObject(fields);
  }
  const text = await request.text();
  if (text.length > 64 * 1024) throw new RequestError("The request body is larger than 64 KB.");
  if (type.includes("application/json")) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new RequestError("The body is not JSON.");
    }
  }
  return formToObject(new URLSearchParams(text));
}

export class RequestError extends Error {
  override name = "RequestError";
}

function parse<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, body: unknown): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  throw new RequestError(result.error.issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`).join("; "));
}

export function parseAddRequest(body: unknown): AddRequest {
  // Several items, or one: chosen by the body's shape rather than by a union, so a mistake is named.
  const parsed = typeof body === "object" && body !== null && "items" in body ? parse(manyItems, body) : parse(oneItem, body);
  return {
    items: parsed.items.map((entry) => ({ variantId: entry.id, quantity: entry.quantity, properties: entry.properties ?? {}, ...(entry.selling_plan === undefined ? {} : { sellingPlanId: entry.selling_plan }) })),
    sections: parsed.sections,
    single: "single" in parsed,
  };
}

export function parseChangeRequest(body: unknown): ParsedChange {
  const parsed = parse(changeSchema, body);
  return { id: parsed.id, line: parsed.line, quantity: parsed.quantity, sections: parsed.sections };
}

/**
 * `/cart/update.js` as the preview supports it: cart attributes only (the widgets set one for the
 * holdout test).
 */
export function parseUpdateRequest(body: unknown): UpdateRequest {
  return parse(updateSchema, body);
}
