import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it, vi } from "vitest";
import { connectRedis } from "../redis.server";
import { FailoverTokenBuckets, RedisTokenBuckets, type RedisScriptRunner } from "./shared-token-buckets";
import { TokenBuckets } from "./token-buckets";

const T = 1_764_000_000_000;
const limit = { perMinute: 60, burst: 5 };

// Runs against a real Redis when UPSHELF_TEST_REDIS_URL names one (.ci/run starts it and sets it).
const redisUrl = process.env.UPSHELF_TEST_REDIS_URL;

describe.skipIf(!redisUrl)("RedisTokenBuckets against Redis", () => {
  // Two connections stand for two app processes; a prefix of our own keeps runs apart.
  const first = connectRedis(redisUrl ?? "");
  const second = connectRedis(redisUrl ?? "");
  const prefix = `upshelf-test:${randomUUID()}:`;
  afterAll(async () => {
    await first.close();
    await second.close();
  });
  const connected = async (runner: RedisScriptRunner) => {
    for (let attempt = 0; attempt < 50; attempt += 1) {
      try {
        await runner.eval("return 1", { keys: [], arguments: [] });
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    throw new Error(`Redis at ${redisUrl} did not answer.`);
  };

  it("gives two processes one budget per key, earned back over time, and the same Retry-After as in memory", async () => {
    await connected(first);
    await connected(second);
    const a = new RedisTokenBuckets(first, limit, prefix);
    const b = new RedisTokenBuckets(second, limit, prefix);
    const taken = [];
    for (const buckets of [a, a, a, b, b, b, a]) taken.push((await buckets.take("shop-1 203.0.113.9", T)).allowed);
    expect(taken).toEqual([true, true, true, true, true, false, false]);
    expect(await b.take("shop-1 203.0.113.9", T)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    // Another key (another shop, another address) has its own budget.
    expect((await b.take("shop-2 203.0.113.9", T)).allowed).toBe(true);
    // One second earns one token at 60 a minute.
    expect((await a.take("shop-1 203.0.113.9", T + 1_000)).allowed).toBe(true);
    expect((await b.take("shop-1 203.0.113.9", T + 1_000)).allowed).toBe(false);
    // A clock that steps back earns nothing.
    expect((await a.take("shop-1 203.0.113.9", T - 60_000)).allowed).toBe(false);
  });

  it("spends the last tokens exactly once when processes take at the same moment", async () => {
    const a = new RedisTokenBuckets(first, limit, prefix);
    const b = new RedisTokenBuckets(second, limit, prefix);
    const results = await Promise.all(Array.from({ length: 20 }, (_, index) => (index % 2 === 0 ? a : b).take("burst", T)));
    expect(results.filter((result) => result.allowed)).toHaveLength(limit.burst);
  });

  it("lets a key expire once its bucket would be full again", async () => {
    const slow = { perMinute: 6, burst: 3 };
    await new RedisTokenBuckets(first, slow, prefix).take("expiring", T);
    const ttl = Number(await first.eval("return redis.call('PTTL', KEYS[1])", { keys: [`${prefix}expiring`], arguments: [] }));
    // Three tokens at six a minute: full after 30 s.
    expect(ttl).toBeGreaterThan(25_000);
    expect(ttl).toBeLessThanOrEqual(30_000);
  });
});

describe("FailoverTokenBuckets", () => {
  it("uses this process's own buckets when Redis fails, and says so at most once a minute", async () => {
    const failing: RedisScriptRunner = { eval: () => Promise.reject(new Error("connection refused")) };
    const log = vi.fn();
    const buckets = new FailoverTokenBuckets(new RedisTokenBuckets(failing, { perMinute: 60, burst: 2 }, "p:"), new TokenBuckets({ perMinute: 60, burst: 2 }), { timeoutMs: 50, log });
    const results = [await buckets.take("k", T), await buckets.take("k", T), await buckets.take("k", T + 10)];
    expect(results).toEqual([{ allowed: true }, { allowed: true }, { allowed: false, retryAfterSeconds: 1 }]);
    expect(log).toHaveBeenCalledTimes(1);
    expect(log.mock.calls[0]![0]).toContain("connection refused");
    await buckets.take("k", T + 61_000);
    expect(log).toHaveBeenCalledTimes(2);
  });

  it("leaves a failing Redis alone for a while before asking it again", async () => {
    const asked: number[] = [];
    const failing: RedisScriptRunner = {
      eval: () => {
        asked.push(1);
        return Promise.reject(new Error("busy"));
      },
    };
    const buckets = new FailoverTokenBuckets(new RedisTokenBuckets(failing, limit, "p:"), new TokenBuckets(limit), { timeoutMs: 50, pauseAfterFailureMs: 5_000, log: () => undefined });
    for (const at of [T, T + 1_000, T + 4_999]) await buckets.take("k", at);
    expect(asked).toHaveLength(1);
    await buckets.take("k", T + 5_000);
    expect(asked).toHaveLength(2);
  });

  it("does not wait for a Redis that is slow to answer", async () => {
    const hanging: RedisScriptRunner = { eval: () => new Promise(() => undefined) };
    const buckets = new FailoverTokenBuckets(new RedisTokenBuckets(hanging, limit, "p:"), new TokenBuckets(limit), { timeoutMs: 30, log: () => undefined });
    const started = performance.now();
    expect(await buckets.take("k", T)).toEqual({ allowed: true });
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it("falls back at once when Redis cannot be reached at all", async () => {
    const unreachable = connectRedis("redis://127.0.0.1:1");
    const log = vi.fn();
    const buckets = new FailoverTokenBuckets(new RedisTokenBuckets(unreachable, { perMinute: 60, burst: 1 }, "p:"), new TokenBuckets({ perMinute: 60, burst: 1 }), { timeoutMs: 200, log });
    expect(await buckets.take("k", T)).toEqual({ allowed: true });
    expect(await buckets.take("k", T)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(log).toHaveBeenCalled();
    await unreachable.close();
  });

  it("with no Redis configured, is exactly this process's buckets", async () => {
    const buckets = new FailoverTokenBuckets(null, new TokenBuckets({ perMinute: 60, burst: 1 }));
    expect(await buckets.take("k", T)).toEqual({ allowed: true });
    expect(await buckets.take("k", T)).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });
});
