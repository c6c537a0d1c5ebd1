import { getEnv } from "~/env.server";
import { STOREFRONT_HEADERS } from "./app-proxy.server";
import { jsonError } from "./http.server";
import { clientAddress } from "./rate-limit/client-address";
import { TokenBuckets, type RateLimit } from "./rate-limit/token-buckets";

/**
 * The storefront endpoints that write (widget events, holdout visits) are open to anyone who can
 * load the shop, and what they write steers the ranking and the holdout counts. Each buyer's
 * address gets a budget per shop, far above what the widget script sends (events in batches at
 * most every 2 s of activity; one visit per test and browser), so only scripted floods meet it.
 * The budgets live in this process: with N app processes a client gets at most N times as much.
 */
export const STOREFRONT_WRITE_LIMITS = {
  events: { perMinute: 60, burst: 30 },
  visits: { perMinute: 20, burst: 10 },
} as const satisfies Record<string, RateLimit>;

export type StorefrontWriteEndpoint = keyof typeof STOREFRONT_WRITE_LIMITS;

const buckets: Record<StorefrontWriteEndpoint, TokenBuckets> = {
  events: new TokenBuckets(STOREFRONT_WRITE_LIMITS.events),
  visits: new TokenBuckets(STOREFRONT_WRITE_LIMITS.visits),
};

/** Throws a 429 JSON answer with Retry-After when this buyer's address has spent its budget. */
export function limitStorefrontWrites(request: Request, shopId: string, endpoint: StorefrontWriteEndpoint, now = Date.now()): void {
  // No address (not through Shopify's proxy): such requests share one budget per shop.
  const address = clientAddress(request.headers, getEnv().reverseProxies) ?? "unknown";
  const result = buckets[endpoint].take(`${shopId} ${address}`, now);
  if (result.allowed) return;
  throw jsonError(429, "rate_limited", `Too many ${endpoint} from this address; try again in ${result.retryAfterSeconds} s.`, {
    headers: { ...STOREFRONT_HEADERS, "Retry-After": String(result.retryAfterSeconds) },
  });
}
