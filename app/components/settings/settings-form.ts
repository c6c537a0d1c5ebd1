/**
 * Reading the settings forms (Settings and Recommendations pages). Each form field is named by
 * its path in ShopSettings ("placements.pdp.heading"), so the schema's issue paths are the field
 * names the errors belong to. A form only changes the fields it shows; everything else is kept.
 *
 * A form also posts its baseline: the values it was loaded with (JSON, field name to text). Only
 * the fields the merchant changed from it are written, so a save in another tab meanwhile is kept
 * rather than silently overwritten, and a field both tabs changed is a conflict the merchant decides.
 */
import { z } from "zod";
import { currencyDecimals, formatMinorAsDecimal, parseDecimalToMinor } from "~/core/money";
import { PLACEMENT_KEYS, shopSettingsSchema, type ShopSettings } from "~/core/settings";

export type FormValues = Record<string, string>;

/** "money": a decimal amount in the shop's currency, stored in minor units; empty is null (no bound). */
export type FieldKind = "text" | "integer" | "number" | "checkbox" | "colour" | "money";

export interface SettingsField {
  name: string;
  kind: FieldKind;
}

export const PLACEMENT_TEXT_FIELDS: SettingsField[] = PLACEMENT_KEYS.flatMap((key) => [
  { name: `placements.${key}.enabled`, kind: "checkbox" as const },
  { name: `placements.${key}.heading`, kind: "text" as const },
]);

export const PLACEMENT_LIMIT_FIELDS: SettingsField[] = PLACEMENT_KEYS.map((key) => ({ name: `placements.${key}.limit`, kind: "integer" as const }));

export const ALGORITHM_FIELDS: SettingsField[] = [
  { name: "recommendations.halfLifeDays", kind: "integer" },
  { name: "recommendations.maxPerProductType", kind: "integer" },
  { name: "recommendations.learnFromFeedback", kind: "checkbox" },
];

/** The recommendations' price range (Recommendations page); needs the shop's currency. */
export const PRICE_RANGE_FIELDS: SettingsField[] = [
  { name: "recommendations.priceRange.min", kind: "money" },
  { name: "recommendations.priceRange.max", kind: "money" },
];

export const APPEARANCE_FIELDS: SettingsField[] = [
  { name: "appearance.accentColour", kind: "colour" },
  { name: "appearance.showCompareAtPrice", kind: "checkbox" },
];

export const POST_PURCHASE_FIELDS: SettingsField[] = [
  { name: "postPurchase.discountPercent", kind: "number" },
  { name: "postPurchase.maxPriceShareOfOrder", kind: "integer" },
];

/** What money fields need: the shop's currency (amounts are its minor units). */
export interface SettingsFormOptions {
  currency?: string;
}

function currencyFor(field: SettingsField, options: SettingsFormOptions): string {
  if (!options.currency) throw new Error(`The settings field ${field.name} is an amount of money: pass the shop's currency.`);
  return options.currency;
}

/** The settings as form values (strings; checkboxes "on" or ""; money as a decimal in the shop's currency). */
export function settingsToFormValues(settings: ShopSettings, fields: readonly SettingsField[], options: SettingsFormOptions = {}): FormValues {
  const values: FormValues = {};
  for (const field of fields) {
    const value = getPath(settings, field.name);
    if (field.kind === "checkbox") values[field.name] = value === true ? "on" : "";
    else if (field.kind === "money" && typeof value === "number") values[field.name] = formatMinorAsDecimal(value, currencyFor(field, options));
    else values[field.name] = value === null || value === undefined ? "" : String(value);
  }
  return values;
}

export type SettingsFormResult =
  | { ok: true; settings: ShopSettings; values: FormValues }
  | { ok: false; conflict: false; fields: Record<string, string[]>; values: FormValues }
  /**
   * Another save changed fields this merchant changed too: nothing is written. `values` holds the
   * merchant's changes over today's settings, `baseline` today's settings, for the form to adopt
   * so that saving again knowingly replaces the other values.
   */
  | { ok: false; conflict: true; fields: Record<string, string[]>; values: FormValues; baseline: FormValues };

/** The form field holding the values the form was loaded with. */
export const BASELINE_FIELD = "baseline";

const baselineSchema = z.record(z.string().max(200), z.string().max(10_000));

/** The message a 409 answer carries. */
export const CHANGED_ELSEWHERE_MESSAGE =
  "Some of these settings were saved in another tab since you opened this page, so nothing was saved. " +
  "Your entries are kept: save again to replace the other tab's values with yours, or discard to see them.";

/** A checkbox never conflicts: both tabs changing it from what they loaded agree on its new value. */
function changedElsewhere(now: string): string {
  const since = "in another tab since you opened this page.";
  if (now === "") return `Cleared ${since}`;
  return `Changed to “${now}” ${since}`;
}

/** What the merchant typed for a field, as a form value (a checkbox is "on" or ""). */
function submittedValue(form: FormData, field: SettingsField): string {
  const raw = form.get(field.name);
  const text = typeof raw === "string" ? raw : "";
  return field.kind === "checkbox" ? (text === "" || text === "false" ? "" : "on") : text;
}

type BaselineMerge =
  | { ok: true; changed: ReadonlySet<string> }
  | { ok: false; result: SettingsFormResult & { ok: false } };

/**
 * Which fields the merchant changed from the form's baseline; a conflict when another save changed
 * any of them to something else. Without a baseline (a form posted by hand) every field counts as changed.
 */
function mergeWithBaseline(form: FormData, current: ShopSettings, fields: readonly SettingsField[], options: SettingsFormOptions): BaselineMerge {
  const raw = form.get(BASELINE_FIELD);
  if (raw === null) return { ok: true, changed: new Set(fields.map((field) => field.name)) };
  let parsed: z.SafeParseReturnType<unknown, Record<string, string>>;
  try {
    parsed = baselineSchema.safeParse(JSON.parse(String(raw)));
  } catch {
    parsed = baselineSchema.safeParse(null);
  }
  const submitted = Object.fromEntries(fields.map((field) => [field.name, submittedValue(form, field)]));
  if (!parsed.success) {
    return { ok: false, result: { ok: false, conflict: false, fields: { form: ["The form could not be read; reload the page and try again."] }, values: submitted } };
  }
  const baseline = parsed.data;
  const now = settingsToFormValues(current, fields, options);
  const changed = new Set<string>();
  const conflicts: Record<string, string[]> = {};
  const merged: FormValues = {};
  for (const field of fields) {
    const mine = submitted[field.name] ?? "";
    const loaded = baseline[field.name];
    const saved = now[field.name] ?? "";
    if (loaded !== undefined && mine === loaded) {
      merged[field.name] = saved;
      continue;
    }
    changed.add(field.name);
    merged[field.name] = mine;
    if (loaded !== undefined && saved !== loaded && saved !== mine) conflicts[field.name] = [changedElsewhere(saved)];
  }
  if (Object.keys(conflicts).length > 0) return { ok: false, result: { ok: false, conflict: true, fields: conflicts, values: merged, baseline: now } };
  return { ok: true, changed };
}

const DECIMAL = /^-?\d+(\.\d+)?$/;
const INTEGER = /^-?\d+$/;

export function readSettingsForm(
  form: FormData,
  current: ShopSettings,
  fields: readonly SettingsField[],
  options: SettingsFormOptions = {},
): SettingsFormResult {
  const merge = mergeWithBaseline(form, current, fields, options);
  if (!merge.ok) return merge.result;
  const unchanged = settingsToFormValues(current, fields.filter((field) => !merge.changed.has(field.name)), options);
  const values: FormValues = {};
  const errors: Record<string, string[]> = {};
  const next = structuredClone(current) as unknown as Record<string, unknown>;
  for (const field of fields) {
    if (!merge.changed.has(field.name)) {
      // Not changed by the merchant: today's value stays, whoever saved it.
      values[field.name] = unchanged[field.name] ?? "";
      continue;
    }
    const text = submittedValue(form, field);
    values[field.name] = text;
    let value: unknown;
    switch (field.kind) {
      case "checkbox":
        value = values[field.name] === "on";
        break;
      case "integer":
        if (!INTEGER.test(text.trim())) {
          errors[field.name] = ["Enter a whole number."];
          continue;
        }
        value = Number(text.trim());
        break;
      case "number":
        if (!DECIMAL.test(text.trim())) {
          errors[field.name] = ["Enter a number."];
          continue;
        }
        value = Number(text.trim());
        break;
      case "colour":
        value = text.trim() === "" ? null : text.trim();
        break;
      case "money": {
        const amount = readMoney(text, currencyFor(field, options));
        if (typeof amount === "string") {
          errors[field.name] = [amount];
          // No bound rather than the stored one, so a rule across fields (highest >= lowest) does
          // not also flag a field that is fine against a value the merchant is replacing.
          setPath(next, field.name, null);
          continue;
        }
        value = amount;
        break;
      }
      case "text":
        value = text;
        break;
    }
    setPath(next, field.name, value);
  }
  const parsed = shopSettingsSchema.safeParse(next);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const name = issue.path.join(".");
      if (errors[name]) continue;
      (errors[name] ??= []).push(issue.message);
    }
  }
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, conflict: false, fields: errors, values };
  return { ok: true, settings: parsed.data, values };
}

const MONEY = /^(\d+)(?:\.(\d+))?$/;

/**
 * A money field: null when empty (no bound), minor units of `currency`, or what is wrong with it.
 * No more decimals than the currency has, as for offer prices ("12.5" and "12.50" are 1250 cents,
 * "12.505" is refused rather than rounded).
 */
function readMoney(text: string, currency: string): number | null | string {
  const trimmed = text.trim();
  if (trimmed === "") return null;
  const digits = currencyDecimals(currency);
  const example = formatMinorAsDecimal(digits === 0 ? 1250 : 1250 * 10 ** (digits - 2), currency); // "12.50", "1250", "12.500"
  if (/^-\s*\d/.test(trimmed)) return "Enter 0 or more, or leave it empty for no limit.";
  const match = MONEY.exec(trimmed);
  if (!match) return `Enter an amount in ${currency}, such as ${example}, or leave it empty for no limit.`;
  if (/[^0]/.test((match[2] ?? "").slice(digits))) {
    return digits === 0 ? `${currency} amounts have no decimals.` : `Use at most ${digits} decimals for ${currency}.`;
  }
  try {
    return parseDecimalToMinor(trimmed, currency);
  } catch {
    return "This amount is too large.";
  }
}

function getPath(object: unknown, path: string): unknown {
  let at: unknown = object;
  for (const key of path.split(".")) {
    if (typeof at !== "object" || at === null) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

function setPath(object: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  let at = object;
  for (const key of keys.slice(0, -1)) {
    const child = at[key];
    if (typeof child !== "object" || child === null) at[key] = {};
    at = at[key] as Record<string, unknown>;
  }
  at[keys[keys.length - 1] as string] = value;
}
