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
  // The thank-you page's offer and event calls, per checkout session (its token's sid): the token
  // names the shop but not the order, so one session could otherwise record offers and clicks for
  // any number of made-up checkouts. A page view makes two or three such calls.
  thank_you: { perMinute: 30, burst: 15 },
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
  buckets = { events: make("events"), visits: make("visits"), thank_you: make("thank_you") };
  return buckets;
}

/**
 * Throws a 429 JSON answer with Retry-After when this buyer has spent its budget: by default the
 * buyer's address as Shopify's proxy names it; `buyer` when the caller knows the buyer better (the
 * thank-you page's checkout session). `headers`: the endpoint's own (the storefront's, or the
 * checkout extensions' CORS headers).
 */
export async function limitStorefrontWrites(
  request: Request,
  shopId: string,
  endpoint: StorefrontWriteEndpoint,
  options: { now?: number; headers?: Record<string, string>; buyer?: string } = {},
): Promise<void> {
  const now = options.now ?? Date.now();
  const env = getEnv();
  // No address (not through Shopify's proxy): such requests share one budget per shop.
  const buyer = options.buyer ?? clientAddress(request.headers, env.reverseProxies) ?? "unknown";
  const result = await bucketsFor(env.redisUrl)[endpoint].take(`${shopId} ${buyer}`, now);
  if (result.allowed) return;
  const what = endpoint === "thank_you" ? "thank-you page requests" : endpoint;
  throw jsonError(429, "rate_limited", `Too many ${what} from this ${options.buyer ? "checkout session" : "address"}; try again in ${result.retryAfterSeconds} s.`, {
    headers: { ...(options.headers ?? STOREFRONT_HEADERS), "Retry-After": String(result.retryAfterSeconds) },
  });
}
