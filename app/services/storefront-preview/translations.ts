/**
 * Shopify's `t` filter over a theme app extension's storefront locale files: the key is looked up
 * in the buyer's locale, then in the default locale, and `{{ name }}` placeholders are replaced by
 * the filter's named arguments. A missing key renders as Shopify renders it.
 */
export type LocaleFile = Record<string, unknown>;

export interface Locales {
  readonly defaultLocale: string;
  readonly files: ReadonlyMap<string, LocaleFile>;
}

function lookup(file: LocaleFile | undefined, key: string): string | undefined {
  let node: unknown = file;
  for (const part of key.split(".")) {
    if (!node || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === "string" ? node : undefined;
}

export function translate(locales: Locales, locale: string, key: string, values: Record<string, unknown> = {}): string {
  const text = lookup(locales.files.get(locale), key) ?? lookup(locales.files.get(locales.defaultLocale), key);
  if (text === undefined) return `translation missing: ${locale}.${key}`;
  return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (all, name: string) => (name in values ? String(values[name] ?? "") : all));
}

/** `fr.json` → "fr", `en.default.json` → "en" (the default); schema files are for the editor. */
export function localeOfFile(fileName: string): { locale: string; isDefault: boolean } | null {
  const match = /^([a-z]{2}(?:-[A-Z]{2})?)(\.default)?\.json$/.exec(fileName);
  return match ? { locale: match[1] as string, isDefault: Boolean(match[2]) } : null;
}
