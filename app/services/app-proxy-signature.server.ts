import { createHmac, timingSafeEqual } from "node:crypto";
import { isShopDomain } from "./shop-domain";

/**
 * Shopify's app proxy signature (shopify.dev, "Authenticate app proxies"): Shopify adds `shop`,
 * `logged_in_customer_id`, `path_prefix`, `timestamp` and `signature` to the query string. The
 * signature is HMAC-SHA256 (hex) with the app's API secret over the other parameters, each
 * written `key=value` (a repeated key's values joined by ","), sorted as strings and concatenated
 * with no separator. The local storefront preview signs with the same function Shopify's contract describes.
 */

/** How far a request's timestamp may be from now before it is treated as a replay. */
export const MAX_CLOCK_SKEW_SECONDS = 90;

// Also the customer and prefix Shopify adds: a buyer who sends a second logged_in_customer_id of
// their own must not have it read as the signed-in customer (orders are described only to theirs).
const SINGLE_VALUED = ["shop", "timestamp", "signature", "logged_in_customer_id", "path_prefix"] as const;
/** HMAC-SHA256 in hex, as Shopify sends it. */
const SIGNATURE_HEX = /^[0-9a-f]{64}$/i;

export type AppProxyRejection =
  | "missing_signature"
  | "duplicated_parameter"
  | "invalid_shop"
  | "invalid_timestamp"
  | "stale_timestamp"
  | "bad_signature";

export type AppProxyVerification =
  | { ok: true; shop: string; loggedInCustomerId: string | null }
  | { ok: false; reason: AppProxyRejection; message: string };

function signedMessage(params: URLSearchParams): string {
  // A repeated key's values are joined with commas, in the order given.
  const grouped = new Map<string, string>();
  for (const [key, value] of params) {
    if (key === "signature") continue;
    const earlier = grouped.get(key);
    grouped.set(key, earlier === undefined ? value : `${earlier},${value}`);
  }
  // Shopify's documented verification sorts the joined "key=value" strings, not the keys: the two
  // differ when one key begins another and the next character sorts before "=" ("t0=…" before "t=…").
  return [...grouped]
    .map(([key, value]) => `${key}=${value}`)
    .sort()
    .join("");
}

function signatureBytes(params: URLSearchParams, secret: string): Buffer {
  return createHmac("sha256", secret).update(signedMessage(params)).digest();
}

export function appProxySignature(params: URLSearchParams, secret: string): string {
  return signatureBytes(params, secret).toString("hex");
}

/** Adds `shop`, `path_prefix`, `timestamp` and `signature` the way Shopify's proxy does. */
export function signAppProxyParams(
  params: URLSearchParams,
  options: { shop: string; secret: string; now: Date; pathPrefix?: string; loggedInCustomerId?: string },
): URLSearchParams {
  const signed = new URLSearchParams(params);
  signed.set("shop", options.shop);
  signed.set("logged_in_customer_id", options.loggedInCustomerId ?? "");
  signed.set("path_prefix", options.pathPrefix ?? "/apps/upshelf");
  signed.set("timestamp", String(Math.floor(options.now.getTime() / 1000)));
  signed.set("signature", appProxySignature(signed, options.secret));
  return signed;
}

function reject(reason: AppProxyRejection, message: string): AppProxyVerification {
  return { ok: false, reason, message };
}

/** `customShopDomain`: the app's SHOP_CUSTOM_DOMAIN, whose shops Shopify's proxy names too. */
export function verifyAppProxyParams(params: URLSearchParams, secret: string, now: Date, customShopDomain?: string): AppProxyVerification {
  for (const key of SINGLE_VALUED) {
    if (params.getAll(key).length > 1) return reject("duplicated_parameter", `The "${key}" parameter appears more than once.`);
  }
  const signature = params.get("signature");
  if (!signature) return reject("missing_signature", "The request is not signed by Shopify's app proxy.");
  const shop = params.get("shop") ?? "";
  if (!isShopDomain(shop, customShopDomain)) return reject("invalid_shop", "The shop parameter is not a Shopify shop domain.");
  const timestamp = Number(params.get("timestamp"));
  if (!Number.isInteger(timestamp) || timestamp <= 0) return reject("invalid_timestamp", "The timestamp is missing or malformed.");
  if (Math.abs(now.getTime() / 1000 - timestamp) > MAX_CLOCK_SKEW_SECONDS) {
    return reject("stale_timestamp", `The request is more than ${MAX_CLOCK_SKEW_SECONDS} seconds old or from the future.`);
  }
  const expected = signatureBytes(params, secret);
  // Buffer.from(…, "hex") stops at the first non-hex character, so the form is checked first:
  // a valid signature with anything appended must not pass.
  const given = SIGNATURE_HEX.test(signature) ? Buffer.from(signature, "hex") : Buffer.alloc(0);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return reject("bad_signature", "The app proxy signature does not match.");
  }
  const customer = params.get("logged_in_customer_id");
  return { ok: true, shop, loggedInCustomerId: customer ? customer : null };
}
