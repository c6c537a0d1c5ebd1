/**
 * The storefront cart's lines as Shopify's Ajax Cart API keeps them: one line per variant, set of
 * line properties and selling plan (adding the same variant with the same properties and plan adds
 * to that line), each line with a stable key. Pure: the store and the routes around it do the I/O.
 */
export type LineProperties = Readonly<Record<string, string>>;

export interface CartLine {
  readonly key: string;
  readonly variantId: string;
  readonly quantity: number;
  readonly properties: LineProperties;
  /** The selling plan the line is bought with (a subscription, say), or null: a one-time purchase. */
  readonly sellingPlanId: string | null;
}

export const MAX_LINE_QUANTITY = 10_000;
export const MAX_CART_LINES = 250;

export class CartError extends Error {
  override name = "CartError";
  constructor(
    readonly status: 400 | 404 | 422,
    message: string,
  ) {
    super(message);
  }
}

/** FNV-1a, 32 bits, hex: enough to tell property sets apart within one cart. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}

export function lineKey(variantId: string, properties: LineProperties, sellingPlanId: string | null = null): string {
  const sorted = Object.keys(properties)
    .sort()
    .map((name) => [name, properties[name]]);
  // (A line without a plan keeps the key it had before plans were emulated.)
  return `${variantId}:${fnv1a(JSON.stringify(sellingPlanId === null ? sorted : [sorted, sellingPlanId]))}`;
}

export interface AddItem {
  readonly variantId: string;
  readonly quantity: number;
  readonly properties?: LineProperties;
  readonly sellingPlanId?: string | null;
}

/** Adds items in order; returns the new lines and, per item, the line it landed on. */
export function addToLines(lines: readonly CartLine[], items: readonly AddItem[]): { lines: CartLine[]; touched: CartLine[] } {
  const next = [...lines];
  const touchedKeys: string[] = [];
  for (const item of items) {
    const properties = item.properties ?? {};
    const sellingPlanId = item.sellingPlanId ?? null;
    const key = lineKey(item.variantId, properties, sellingPlanId);
    const index = next.findIndex((line) => line.key === key);
    if (index >= 0) {
      const line = next[index] as CartLine;
      next[index] = { ...line, quantity: Math.min(MAX_LINE_QUANTITY, line.quantity + item.quantity) };
    } else {
      if (next.length >= MAX_CART_LINES) throw new CartError(422, `A cart holds at most ${MAX_CART_LINES} lines.`);
      // Shopify lists the newest line first.
      next.unshift({ key, variantId: item.variantId, quantity: Math.min(MAX_LINE_QUANTITY, item.quantity), properties, sellingPlanId });
    }
    touchedKeys.push(key);
  }
  return { lines: next, touched: touchedKeys.map((key) => next.find((line) => line.key === key) as CartLine) };
}

export interface ChangeRequest {
  /** A line key, or a variant id (the first line of that variant). */
  readonly id?: string;
  /** 1-based line number, as in Shopify's API. */
  readonly line?: number;
  readonly quantity: number;
}

export function changeLine(lines: readonly CartLine[], change: ChangeRequest): CartLine[] {
  let index = -1;
  if (change.line !== undefined) index = change.line - 1;
  else if (change.id !== undefined) {
    const id = change.id;
    index = id.includes(":") ? lines.findIndex((line) => line.key === id) : lines.findIndex((line) => line.variantId === id);
  } else {
    throw new CartError(400, "Name the line to change with an id (line key or variant id) or a line number.");
  }
  const line = lines[index];
  if (!line) throw new CartError(400, "The cart has no such line.");
  if (change.quantity === 0) return lines.filter((_, i) => i !== index);
  return lines.map((other, i) => (i === index ? { ...other, quantity: Math.min(MAX_LINE_QUANTITY, change.quantity) } : other));
}
