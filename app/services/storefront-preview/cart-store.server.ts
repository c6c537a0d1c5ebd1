import { randomBytes } from "node:crypto";
import type { CartLine } from "./cart-lines";

/**
 * The preview storefront's carts, in memory and keyed by a cookie, like a Shopify cart token. They
 * are demo data: a restart empties them. The oldest carts are dropped beyond a fixed number so a
 * long-running demo cannot grow without bound.
 */
const COOKIE = "upshelf_preview_cart";
const MAX_CARTS = 1_000;
/** Cart attributes (`/cart/update.js`), which Shopify copies onto the order as note attributes. */
export type CartAttributes = Readonly<Record<string, string>>;
const carts = new Map<string, { lines: CartLine[]; attributes: CartAttributes }>();

export interface CartSession {
  token: string;
  /** A Set-Cookie header value when the buyer had no cart yet. */
  setCookie: string | null;
}

export function cartSession(request: Request): CartSession {
  const cookies = request.headers.get("Cookie") ?? "";
  const match = new RegExp(`(?:^|;\\s*)${COOKIE}=([a-f0-9]{32})`).exec(cookies);
  if (match?.[1]) return { token: match[1], setCookie: null };
  const token = randomBytes(16).toString("hex");
  return { token, setCookie: `${COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax` };
}

export function readCart(token: string): CartLine[] {
  return carts.get(token)?.lines ?? [];
}

export function readCartAttributes(token: string): CartAttributes {
  return carts.get(token)?.attributes ?? {};
}

export function writeCart(token: string, lines: CartLine[], attributes: CartAttributes = readCartAttributes(token)): void {
  carts.delete(token);
  carts.set(token, { lines, attributes });
  while (carts.size > MAX_CARTS) {
    const oldest = carts.keys().next().value;
    if (oldest === undefined) break;
    carts.delete(oldest);
  }
}
