/**
 * CORS for the checkout extensions. Post-purchase and checkout UI extensions run in sandboxed
 * workers on Shopify-controlled origins that Shopify does not document as stable (and a sandboxed
 * worker may send `Origin: null`), so the endpoints answer any origin with `*`. That is safe
 * because nothing here rides on ambient credentials: no cookies are read and `*` forbids sending
 * them; every request is authenticated by the Shopify-signed bearer token it carries.
 */
export const CHECKOUT_CORS_HEADERS: Record<string, string> = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "POST, OPTIONS",
  "Access-Control-Allow-Headers": "Authorization, Content-Type",
  "Access-Control-Max-Age": "7200",
  // Per purchase and per buyer: never cached by anyone.
  "Cache-Control": "no-store",
  Vary: "Origin",
};

/** The answer to a preflight (OPTIONS) request. */
export function preflightResponse(): Response {
  return new Response(null, { status: 204, headers: CHECKOUT_CORS_HEADERS });
}

/** ResponseInit for every other answer of these endpoints. */
export function withCors(init: ResponseInit = {}): ResponseInit {
  return { ...init, headers: { ...CHECKOUT_CORS_HEADERS, ...(init.headers as Record<string, string> | undefined) } };
}
