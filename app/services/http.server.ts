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

/** Parses input with a zod schema or throws a 400 response naming each problem. */
export function parseOrThrow<Schema extends z.ZodTypeAny>(schema: Schema, input: unknown, init: ResponseInit = {}): z.output<Schema> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields = fieldErrors(result.error.issues);
  const summary = Object.entries(fields)
    .map(([field, messages]) => `${field}: ${messages.join("; ")}`)
    .join(". ");
  throw jsonError(400, "invalid_request", summary, init, fields);
}

/** The query string as a plain object, keeping only the first value of a repeated key. */
export function queryObject(params: URLSearchParams): Record<string, string> {
  const object: Record<string, string> = {};
  for (const [key, value] of params) if (!(key in object)) object[key] = value;
  return object;
}
