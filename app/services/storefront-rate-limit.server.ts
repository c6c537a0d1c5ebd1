import { getEnv } from "~/env.server";
import { STOREFRONT_HEADERS } from "./app-proxy.server";
import { jsonError } from "./http.server";
import { clientAddress } from "./rate-limit/client-address";
import { FailoverTokenBuckets, RedisTokenBuckets } from "./rate-limit/shared-token-buckets";
import { TokenBuckets, type RateLimit } from "./rate-limit/token-buckets";
import { connectRedis } from "./redis.server";

/**
 * The storefront endpoints that write (widget events, holdout visits) are open to anyone who can
 * load the shop, and what they write steers the ranking and the holdout counts. Each buyer's
 * address gets a budget per shop, far above what the widget script sends (events in batches at
 * most every 2 s of activity; one visit per test and browser), so only scripted floods meet it.
 * With REDIS_URL set every app process spends from the same budgets in Redis; without it (or
 * while Redis fails) each process keeps its own, so N processes give a client up to N times as much.
 */
export const STOREFRONT_WRITE_LIMITS = {
  events: { perMinute: 60, burst: 30 },
  visits: { perMinute: 20, burst: 10 },
} as const satisfies Record<string, RateLimit>;

export type StorefrontWriteEndpoint = keyof typeof STOREFRONT_WRITE_LIMITS;

let buckets: Record<StorefrontWriteEndpoint, FailoverTokenBuckets> | undefined;

function bucketsFor(redisUrl: string | undefined): Record<StorefrontWriteEndpoint, FailoverTokenBuckets> {
  if (buckets) return buckets;
  const redis = redisUrl ? connectRedis(redisUrl) : null;
  const make = (endpoint: StorefrontWriteEndpoint) =>
    new FailoverTokenBuckets(
      redis ? new RedisTokenBuckets(redis, STOREFRONT_WRITE_LIMITS[endpoint], `upshelf:rate:${endpoint}:`) : null,
      new TokenBuckets(STOREFRONT_WRITE_LIMITS[endpoint]),
      { timeoutMs: 50 },
    );
  buckets = { events: make("events"), visits: make("visits") };
  return buckets;
}

/** Throws a 429 JSON answer with Retry-After when this buyer's address has spent its budget. */
export async function limitStorefrontWrites(request: Request, shopId: string, endpoint: StorefrontWriteEndpoint, now = Date.now()): Promise<void> {
  const env = getEnv();
  // No address (not through Shopify's proxy): such requests share one budget per shop.
  const address = clientAddress(request.headers, env.reverseProxies) ?? "unknown";
  const result = await bucketsFor(env.redisUrl)[endpoint].take(`${shopId} ${address}`, now);
  if (result.allowed) return;
  throw jsonError(429, "rate_limited", `Too many ${endpoint} from this address; try again in ${result.retryAfterSeconds} s.`, {
    headers: { ...STOREFRONT_HEADERS, "Retry-After": String(result.retryAfterSeconds) },
  });
}
