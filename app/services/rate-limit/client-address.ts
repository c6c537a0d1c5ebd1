/**
 * The buyer's address on a request Shopify's app proxy forwarded. Shopify's proxy names the client
 * in X-Forwarded-For (shopify.dev, "Authenticate app proxies"), and each reverse proxy of the app's
 * own (a load balancer) appends the address it saw after it. Entries left of Shopify's were sent by
 * the client and can say anything, so the address is read from the right, past `reverseProxies`
 * entries of the app's own. null: the header does not have that entry.
 */
export function clientAddress(headers: Headers, reverseProxies: number): string | null {
  const entries = (headers.get("X-Forwarded-For") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  const address = entries[entries.length - 1 - reverseProxies];
  // An address is short; anything longer is not one, and must not grow the limiter's keys.
  return address && address.length <= 64 ? address.toLowerCase() : null;
}
