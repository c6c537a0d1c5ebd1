import { describe, expect, it, vi } from "vitest";
import { groupFor } from "~/core/experiments";
import db from "~/db.server";
import { startExperiment, stopExperiment } from "~/models/experiment.server";
import { createTestShop } from "../../tests/factories/shop";
import { appProxyRequest, responseOf } from "../../tests/support/app-proxy";
import { STOREFRONT_WRITE_LIMITS } from "~/services/storefront-rate-limit.server";
import { action, MAX_VISIT_BODY_BYTES } from "./proxy.visits";

/** `address`: the buyer's, as Shopify's proxy puts it in X-Forwarded-For. */
async function post(shop: string, body: string, options: { secret?: string; address?: string } = {}) {
  const headers: Record<string, string> = { "Content-Type": "text/plain;charset=UTF-8" };
  if (options.address) headers["X-Forwarded-For"] = options.address;
  const request = appProxyRequest("/visits", { shop, secret: options.secret, init: { method: "POST", body, headers } });
  return responseOf(() => action({ request, params: {}, context: {} }));
}

async function runningTest(shopId: string, holdoutBasisPoints = 5000) {
  const result = await startExperiment(shopId, holdoutBasisPoints, new Date());
  if (!("started" in result)) throw new Error("a test was already running");
  return result.started;
}

describe("POST /apps/upshelf/visits", () => {
  it("counts a visitor once, in the group the server computes, for the signing shop's running test only", async () => {
    const shop = await createTestShop();
    const other = await createTestShop();
    const test = await runningTest(shop.id);
    const visitors = Array.from({ length: 12 }, (_, index) => `visitor-${String(index).padStart(4, "0")}`);
    for (const [index, visitor] of visitors.entries()) {
      // A claimed group is not the server's business: unknown fields are dropped.
      const response = await post(shop.id, JSON.stringify({ experiment: test.key, visitor, group: "shown" }), { address: `203.0.113.${index}` });
      expect(response.status).toBe(202);
      expect(await response.json()).toEqual({ counted: true });
    }
    await post(shop.id, JSON.stringify({ experiment: test.key, visitor: visitors[0] }));
    const rows = await db.experimentVisitor.findMany({ where: { shopId: shop.id }, orderBy: { visitorKey: "asc" } });
    expect(rows.map((row) => [row.visitorKey, row.group])).toEqual(visitors.map((visitor) => [visitor, groupFor(5000, test.key, visitor)]));
    // With a 50% holdout, twelve visitors are very unlikely to fall all in one group.
    expect(new Set(rows.map((row) => row.group)).size).toBe(2);

    // The key belongs to another shop's test: nothing is counted there or here.
    expect(await (await post(other.id, JSON.stringify({ experiment: test.key, visitor: "visitor-9999" }))).json()).toEqual({ counted: false });
    expect(await db.experimentVisitor.count({ where: { shopId: other.id } })).toBe(0);
  });

  it("does not count visits to a test that has stopped (a page opened before), without an error", async () => {
    const shop = await createTestShop();
    const test = await runningTest(shop.id);
    await stopExperiment(shop.id, new Date());
    const response = await post(shop.id, JSON.stringify({ experiment: test.key, visitor: "visitor-0001" }));
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ counted: false });
    expect(await db.experimentVisitor.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("refuses forged signatures, malformed keys and oversized bodies", async () => {
    const shop = await createTestShop();
    const test = await runningTest(shop.id);
    expect((await post(shop.id, JSON.stringify({ experiment: test.key, visitor: "visitor-0001" }), { secret: "wrong" })).status).toBe(401);
    const bad = await post(shop.id, JSON.stringify({ experiment: test.key, visitor: "short" }));
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain("visitor");
    expect((await post(shop.id, "not json")).status).toBe(400);
    expect((await post(shop.id, JSON.stringify({ experiment: test.key, visitor: "x".repeat(MAX_VISIT_BODY_BYTES) }))).status).toBe(413);
    expect(await db.experimentVisitor.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("answers 429 with Retry-After, counting nothing, once one address has sent more visits than any browser would", async () => {
    const shop = await createTestShop();
    const test = await runningTest(shop.id);
    const visit = (n: number, address: string) => post(shop.id, JSON.stringify({ experiment: test.key, visitor: `flooder-${String(n).padStart(4, "0")}` }), { address });
    const { burst } = STOREFRONT_WRITE_LIMITS.visits;
    // The clock stands still: a slow burst must not earn a token back before the next visit.
    vi.useFakeTimers({ toFake: ["Date"] });
    for (let n = 0; n < burst; n++) expect((await visit(n, "198.51.100.7")).status).toBe(202);
    const refused = await visit(burst, "198.51.100.7").finally(() => vi.useRealTimers());
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    expect(await refused.json()).toMatchObject({ error: "rate_limited" });
    expect(await db.experimentVisitor.count({ where: { shopId: shop.id } })).toBe(burst);
    // Another buyer is not held back by the flood.
    expect((await visit(burst + 1, "198.51.100.8")).status).toBe(202);
    expect(await db.experimentVisitor.count({ where: { shopId: shop.id } })).toBe(burst + 1);
  });
});
