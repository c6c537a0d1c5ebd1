import type { z } from "zod";

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

/** Parses input with a zod schema or throws a 400 response naming each problem. */
export function parseOrThrow<Schema extends z.ZodTypeAny>(schema: Schema, input: unknown, init: ResponseInit = {}): z.output<Schema> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw Response.json(invalidRequestBody(result.error.issues), { ...init, status: 400 });
}

/** The query string as a plain object, keeping only the first value of a repeated key. */
export function queryObject(params: URLSearchParams): Record<string, string> {
  const object: Record<string, string> = {};
  for (const [key, value] of params) if (!(key in object)) object[key] = value;
  return object;
}
