/** What the recommendations and settings actions answer: a message and, on 400, errors per field. */
export interface ActionResult {
  intent: string;
  ok: boolean;
  message: string;
  fields: Record<string, string[]>;
  values: Record<string, string>;
  /** With a 409: the settings as saved meanwhile in another tab. */
  baseline?: Record<string, string>;
}

export function firstError(result: ActionResult | undefined, field: string): string | undefined {
  return result?.fields[field]?.[0];
}
