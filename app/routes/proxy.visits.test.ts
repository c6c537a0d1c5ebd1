import { describe, expect, it } from "vitest";
import { groupFor } from "~/core/experiments";
import db from "~/db.server";
import { startExperiment, stopExperiment } from "~/models/experiment.server";
import { createTestShop } from "../../tests/factories/shop";
import { appProxyRequest, responseOf } from "../../tests/support/app-proxy";
import { action, MAX_VISIT_BODY_BYTES } from "./proxy.visits";

async function post(shop: string, body: string, options: { secret?: string } = {}) {
  const request = appProxyRequest("/visits", {
    shop,
    secret: options.secret,
    init: { method: "POST", body, headers: { "Content-Type": "text/plain;charset=UTF-8" } },
  });
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
    for (const visitor of visitors) {
      // A claimed group is not the server's business: unknown fields are dropped.
      const response = await post(shop.id, JSON.stringify({ experiment: test.key, visitor, group: "shown" }));
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
});
