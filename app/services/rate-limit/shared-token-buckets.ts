/**
 * Token buckets kept in Redis, so every app process spends from one budget per key (with
 * buckets in memory, N processes give a client N budgets). Same arithmetic as TokenBuckets, run
 * as one Lua script so that concurrent takes from several processes cannot both spend the last
 * token. The clock is still the caller's: app processes keep NTP time, and a clock that steps
 * back earns nothing, as in memory.
 *
 * Rate limiting must never cost the storefront its answer: `FailoverTokenBuckets` falls back to
 * this process's own buckets when Redis fails or is slow, so a Redis outage loosens the limit to
 * per process instead of blocking or slowing anyone.
 */
import type { RateLimit, TakeResult, TokenBuckets } from "./token-buckets";

/** The one Redis call the buckets need (node-redis's client has it; tests may pass another). */
export interface RedisScriptRunner {
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

// KEYS[1] the bucket; ARGV burst, tokens earned per ms, now (ms), time to refill fully (ms).
// Returns {1 or 0 for allowed, tokens left as text}. The key expires once the bucket would be
// full again, so forgotten keys cost Redis nothing (forgetting only ever forgives a client).
const TAKE_SCRIPT = `
local burst = tonumber(ARGV[1])
local refill = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
local elapsed = now - at
if elapsed < 0 then elapsed = 0 end
tokens = math.min(burst, tokens + elapsed * refill)
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(math.max(at, now)))
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return {allowed, tostring(tokens)}
`;

export class RedisTokenBuckets {
  private readonly refillPerMs: number;

  constructor(
    private readonly redis: RedisScriptRunner,
    private readonly limit: RateLimit,
    /** Namespaces the keys (e.g. "upshelf:rate:events:"). */
    private readonly prefix: string,
  ) {
    if (!(limit.perMinute > 0) || !(limit.burst >= 1)) throw new RangeError("A rate limit needs perMinute > 0 and burst >= 1.");
    this.refillPerMs = limit.perMinute / 60_000;
  }

  async take(key: string, now: number): Promise<TakeResult> {
    const refillMs = Math.ceil(this.limit.burst / this.refillPerMs);
    const reply = await this.redis.eval(TAKE_SCRIPT, {
      keys: [`${this.prefix}${key}`],
      arguments: [String(this.limit.burst), String(this.refillPerMs), String(Math.floor(now)), String(refillMs)],
    });
    if (!Array.isArray(reply) || reply.length !== 2) throw new Error(`Unexpected answer from the rate limit script: ${JSON.stringify(reply)}`);
    const tokens = Number(reply[1]);
    if (Number(reply[0]) === 1) return { allowed: true };
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / this.refillPerMs / 1000)) };
  }
}

/** Redis's buckets while Redis answers in time; this process's own buckets otherwise. */
export class FailoverTokenBuckets {
  private lastFailureLoggedAt = Number.NEGATIVE_INFINITY;
  // After a failure Redis is left alone for a while: a Redis that hangs with its connection open
  // would otherwise cost every request the full timeout, and pile up commands that spend tokens
  // late when it recovers.
  private sharedSkippedUntil = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly shared: RedisTokenBuckets | null,
    private readonly local: TokenBuckets,
    private readonly options: { timeoutMs: number; pauseAfterFailureMs?: number; log?: (message: string) => void } = { timeoutMs: 50 },
  ) {}

  async take(key: string, now: number): Promise<TakeResult> {
    if (!this.shared || now < this.sharedSkippedUntil) return this.local.take(key, now);
    let timer: NodeJS.Timeout | undefined;
    try {
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${this.options.timeoutMs} ms`)), this.options.timeoutMs);
      });
      return await Promise.race([this.shared.take(key, now), late]);
    } catch (error) {
      this.sharedSkippedUntil = now + (this.options.pauseAfterFailureMs ?? 5_000);
      // At most one line a minute: an outage would otherwise log on every storefront request.
      if (now - this.lastFailureLoggedAt >= 60_000) {
        this.lastFailureLoggedAt = now;
        (this.options.log ?? console.warn)(`Rate limits fell back to this process's own budgets: Redis failed (${error instanceof Error ? error.message : String(error)}).`);
      }
      return this.local.take(key, now);
    } finally {
      clearTimeout(timer);
    }
  }
}
