/**
 * Token buckets per key: each key may spend `burst` requests at once and earns them back at
 * `perMinute`. Pure (the clock is passed in), and bounded: past `maxKeys` the least recently
 * used keys are forgotten, which only ever forgives a client, never blocks one.
 */
export interface RateLimit {
  readonly perMinute: number;
  readonly burst: number;
}

export type TakeResult = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class TokenBuckets {
  // A Map iterates in insertion order; re-inserting on use keeps the least recently used first.
  private readonly buckets = new Map<string, Bucket>();
  private readonly refillPerMs: number;

  constructor(
    private readonly limit: RateLimit,
    private readonly maxKeys = 50_000,
  ) {
    if (!(limit.perMinute > 0) || !(limit.burst >= 1)) throw new RangeError("A rate limit needs perMinute > 0 and burst >= 1.");
    this.refillPerMs = limit.perMinute / 60_000;
  }

  take(key: string, now: number): TakeResult {
    const bucket = this.buckets.get(key) ?? { tokens: this.limit.burst, updatedAt: now };
    // A clock that steps back earns nothing.
    const elapsed = Math.max(0, now - bucket.updatedAt);
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + elapsed * this.refillPerMs);
    bucket.updatedAt = now;
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    this.forgetBeyondCapacity();
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.refillPerMs / 1000)) };
  }

  get size(): number {
    return this.buckets.size;
  }

  private forgetBeyondCapacity(): void {
    for (const key of this.buckets.keys()) {
      if (this.buckets.size <= this.maxKeys) return;
      this.buckets.delete(key);
    }
  }
}
