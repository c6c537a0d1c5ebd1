import { signAppProxyParams } from "~/services/app-proxy-signature.server";
import { STOREFRONT_HEADERS } from "~/services/app-proxy.server";
import { jsonError, readBodyBytes } from "~/services/http.server";
import { requireDemoMode } from "./storefront.server";

/**
 * The demo shop's app proxy: the storefront's `/apps/upshelf/<path>` reaches the app's
 * `/proxy/<path>` the way Shopify's proxy delivers it: the buyer's query string plus `shop`,
 * `logged_in_customer_id`, `path_prefix`, `timestamp` and a `signature` made with the app's secret,
 * and the buyer's address in X-Forwarded-For; the method and body pass through, cookies do not.
 */
export const PROXY_PREFIX = "/apps/upshelf";
const SHOPIFY_PARAMETERS = ["shop", "logged_in_customer_id", "path_prefix", "timestamp", "signature"];
const SAFE_PATH = /^[A-Za-z0-9_-]+(?:\/[A-Za-z0-9_.-]+)*$/;

export class ProxyPathError extends Error {
  override name = "ProxyPathError";
}

export function appProxyTarget(incoming: URL, subpath: string, options: { shop: string; secret: string; now: Date }): URL {
  if (!SAFE_PATH.test(subpath) || subpath.split("/").some((part) => part === "..")) {
    throw new ProxyPathError(`"${subpath}" is not a path the app proxy forwards.`);
  }
  const query = new URLSearchParams(incoming.search);
  // A buyer cannot choose what Shopify itself adds.
  for (const name of SHOPIFY_PARAMETERS) query.delete(name);
  const signed = signAppProxyParams(query, { shop: options.shop, secret: options.secret, now: options.now, pathPrefix: PROXY_PREFIX });
  const target = new URL(`/proxy/${subpath}`, incoming.origin);
  target.search = signed.toString();
  return target;
}

const FORWARDED_REQUEST_HEADERS = ["Accept", "Content-Type", "Accept-Language", "User-Agent"];
const FORWARDED_RESPONSE_HEADERS = ["Content-Type", "Cache-Control", "Allow", "Retry-After"];

/** Shopify's proxy refuses big bodies too; no storefront call sends more than a few kilobytes. */
export const MAX_FORWARDED_BODY_BYTES = 1024 * 1024;

function bodyTooLarge(): Response {
  return jsonError(413, "payload_too_large", `The app proxy forwards bodies of at most ${MAX_FORWARDED_BODY_BYTES} bytes.`, { headers: STOREFRONT_HEADERS });
}

export async function forwardToAppProxy(request: Request, subpath: string, now = new Date()): Promise<Response> {
  const env = requireDemoMode();
  let target: URL;
  try {
    target = appProxyTarget(new URL(request.url), subpath, { shop: env.demoShop, secret: env.apiSecret, now });
  } catch (error) {
    if (error instanceof ProxyPathError) return new Response("Not Found", { status: 404 });
    throw error;
  }
  const headers = new Headers();
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = request.headers.get(name);
    if (value) headers.set(name, value);
  }
  // Shopify's proxy names the buyer's address; the demo serves this machine only.
  headers.set("X-Forwarded-For", "127.0.0.1");
  const hasBody = request.method !== "GET" && request.method !== "HEAD";
  let body: Buffer | undefined;
  try {
    body = hasBody ? await readBodyBytes(request, { maxBytes: MAX_FORWARDED_BODY_BYTES, tooLarge: bodyTooLarge }) : undefined;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
  let answer: Response;
  try {
    answer = await fetch(target, { method: request.method, headers, body, redirect: "manual" });
  } catch {
    // As Shopify's proxy does when the app does not answer: a gateway error, not a crash.
    return jsonError(502, "proxy_unreachable", "The app did not answer the proxied request; try again.", { headers: STOREFRONT_HEADERS });
  }
  const responseHeaders = new Headers();
  for (const name of FORWARDED_RESPONSE_HEADERS) {
    const value = answer.headers.get(name);
    if (value) responseHeaders.set(name, value);
  }
  return new Response(await answer.arrayBuffer(), { status: answer.status, headers: responseHeaders });
}
