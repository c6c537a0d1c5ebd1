import { describe, expect, it } from "vitest";
import { TokenBuckets } from "./token-buckets";

describe("token buckets", () => {
  it("allows a burst, refuses the next with the seconds until one more is earned, and earns them back at the rate", () => {
    const buckets = new TokenBuckets({ perMinute: 30, burst: 3 });
    const t0 = 1_000_000;
    expect([1, 2, 3].map(() => buckets.take("a", t0).allowed)).toEqual([true, true, true]);
    // 30 a minute: one every 2 s.
    expect(buckets.take("a", t0)).toEqual({ allowed: false, retryAfterSeconds: 2 });
    expect(buckets.take("a", t0 + 1_000)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(buckets.take("a", t0 + 2_000).allowed).toBe(true);
    expect(buckets.take("a", t0 + 2_000).allowed).toBe(false);
    // A long pause refills to the burst, never beyond it.
    const later = t0 + 3_600_000;
    expect([1, 2, 3, 4].map(() => buckets.take("a", later).allowed)).toEqual([true, true, true, false]);
  });

  it("keeps one bucket per key", () => {
    const buckets = new TokenBuckets({ perMinute: 1, burst: 1 });
    expect(buckets.take("a", 0).allowed).toBe(true);
    expect(buckets.take("a", 0).allowed).toBe(false);
    expect(buckets.take("b", 0).allowed).toBe(true);
  });

  it("earns nothing when the clock steps back", () => {
    const buckets = new TokenBuckets({ perMinute: 60, burst: 1 });
    expect(buckets.take("a", 10_000).allowed).toBe(true);
    expect(buckets.take("a", 0).allowed).toBe(false);
    expect(buckets.take("a", 500).allowed).toBe(false);
    expect(buckets.take("a", 1_000).allowed).toBe(true);
  });

  it("forgets the least recently used keys past its capacity, which can only forgive", () => {
    const buckets = new TokenBuckets({ perMinute: 1, burst: 1 }, 2);
    buckets.take("a", 0);
    buckets.take("b", 0);
    buckets.take("a", 0); // a is now the most recently used
    buckets.take("c", 0); // b is forgotten
    expect(buckets.size).toBe(2);
    expect(buckets.take("b", 0).allowed).toBe(true);
    expect(buckets.take("a", 0).allowed).toBe(true); // forgotten when b came back
    expect(buckets.take("b", 0).allowed).toBe(false);
  });

  it("refuses a limit that could never allow anything", () => {
    expect(() => new TokenBuckets({ perMinute: 0, burst: 1 })).toThrow(RangeError);
    expect(() => new TokenBuckets({ perMinute: 1, burst: 0 })).toThrow(RangeError);
  });
});
