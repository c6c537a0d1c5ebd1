import { getEnv } from "~/env.server";
import { shopify } from "~/shopify.server";

/** Shopify's admin, any shop: for a document whose request names no shop. */
const SHOPIFY_ADMIN_ONLY = "frame-ancestors https://admin.shopify.com https://*.myshopify.com;";

/**
 * Headers every HTML document of the app carries. In Shopify mode, Shopify's own: a
 * `frame-ancestors` policy that lets only the shop's admin frame the embedded app (clickjacking
 * protection, required for the App Store) and App Bridge's preload `Link`. Shopify's library sets
 * the policy only when the request names a valid shop; otherwise only Shopify's admin may frame
 * the page. The demo admin is never embedded, so no site may frame it.
 */
export function addDocumentHeaders(request: Request, headers: Headers): void {
  if (getEnv().mode === "shopify") {
    shopify().addDocumentResponseHeaders(request, headers);
    if (!headers.has("Content-Security-Policy")) headers.set("Content-Security-Policy", SHOPIFY_ADMIN_ONLY);
    return;
  }
  headers.set("Content-Security-Policy", "frame-ancestors 'none'");
}
