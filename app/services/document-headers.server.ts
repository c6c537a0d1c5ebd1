import { getEnv } from "~/env.server";
import { shopify } from "~/shopify.server";

/**
 * Headers every HTML document of the app carries. In Shopify mode, Shopify's own: a
 * `frame-ancestors` policy that lets only the shop's admin frame the embedded app (clickjacking
 * protection, required for the App Store) and App Bridge's preload `Link`. The demo admin is never
 * embedded, so no site may frame it.
 */
export function addDocumentHeaders(request: Request, headers: Headers): void {
  if (getEnv().mode === "shopify") {
    shopify().addDocumentResponseHeaders(request, headers);
    return;
  }
  headers.set("Content-Security-Policy", "frame-ancestors 'none'");
}
