import { describe, expect, it, vi } from "vitest";
import db from "~/db.server";
import { storefrontIdOf } from "~/core/catalog-keys";
import { createCsvOnlyTestProduct } from "../../tests/factories/catalog";
import { createTestShop } from "../../tests/factories/shop";
import { appProxyRequest, responseOf } from "../../tests/support/app-proxy";
import { STOREFRONT_WRITE_LIMITS } from "~/services/storefront-rate-limit.server";
import { action, MAX_EVENT_BODY_BYTES } from "./proxy.events";

/** `forwardedFor`: X-Forwarded-For as it reaches the app. */
async function post(shop: string, body: string, options: { secret?: string; forwardedFor?: string } = {}) {
  const headers: Record<string, string> = { "Content-Type": "text/plain;charset=UTF-8" };
  if (options.forwardedFor) headers["X-Forwarded-For"] = options.forwardedFor;
  const request = appProxyRequest("/events", { shop, secret: options.secret, init: { method: "POST", body, headers } });
  return responseOf(() => action({ request, params: {}, context: {} }));
}

const impression = { kind: "impression", placement: "pdp", anchor: "101", product: "202", propensity: 0.4, model: "v1" };

describe("POST /apps/upshelf/events", () => {
  it("records a signed batch for the signing shop only, dropping unknown (possibly personal) fields", async () => {
    const shop = await createTestShop();
    const other = await createTestShop();
    const body = JSON.stringify({
      events: [impression, { kind: "click", placement: "pdp", anchor: "101", product: "202", email: "buyer@example.com" }],
    });
    const response = await post(shop.id, body);
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ recorded: 2 });
    const rows = await db.widgetEvent.findMany({ where: { shopId: shop.id }, orderBy: { id: "asc" } });
    expect(rows.map((row) => [row.kind, row.anchorProductId, row.productId, row.propensity])).toEqual([
      ["impression", "101", "202", 0.4],
      ["click", "101", "202", null],
    ]);
    expect(JSON.stringify(rows)).not.toContain("buyer@example.com");
    expect(await db.widgetEvent.count({ where: { shopId: other.id } })).toBe(0);
  });

  it("records an anchor imported from a CSV file, named by the storefront's numeric id, under its key as the model ranks it", async () => {
    const shop = await createTestShop();
    const shirt = await createCsvOnlyTestProduct(shop.id, { handle: "example-shirt", title: "Example T-Shirt", sku: "SRT_COT_111", price: 2500 });
    const anchor = storefrontIdOf("product", { id: shirt.id, shopifyId: shirt.shopifyId });
    const response = await post(shop.id, JSON.stringify({ events: [{ ...impression, anchor }] }));
    expect(response.status).toBe(202);
    const rows = await db.widgetEvent.findMany({ where: { shopId: shop.id } });
    expect(rows.map((row) => row.anchorProductId)).toEqual(["csv:example-shirt"]);
  });

  it("rejects a forged signature with 401 and stores nothing", async () => {
    const shop = await createTestShop();
    const response = await post(shop.id, JSON.stringify({ events: [impression] }), { secret: "not-the-app-secret" });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: "bad_signature" });
    expect(await db.widgetEvent.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("answers 400 naming the problem for malformed JSON and invalid events", async () => {
    const shop = await createTestShop();
    const notJson = await post(shop.id, "{events:");
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ error: "invalid_json" });

    const invalid = await post(shop.id, JSON.stringify({ events: [{ ...impression, kind: "purchase", product: "abc" }] }));
    expect(invalid.status).toBe(400);
    const body = (await invalid.json()) as { fields: Record<string, string[]> };
    expect(Object.keys(body.fields).sort()).toEqual(["events.0.kind", "events.0.product"]);
    expect(await db.widgetEvent.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("refuses checkout's placements and kinds, which only signed checkout requests may report", async () => {
    const shop = await createTestShop();
    const forged = [
      { kind: "offer_accepted", placement: "post_purchase", product: "1" },
      { kind: "impression", placement: "thank_you", product: "1" },
      { kind: "offer_shown", placement: "pdp", product: "1" },
    ];
    for (const event of forged) expect((await post(shop.id, JSON.stringify({ events: [event] }))).status).toBe(400);
    expect(await db.widgetEvent.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("refuses oversized bodies and batches", async () => {
    const shop = await createTestShop();
    const huge = await post(shop.id, JSON.stringify({ events: [impression], pad: "x".repeat(MAX_EVENT_BODY_BYTES) }));
    expect(huge.status).toBe(413);
    const many = await post(shop.id, JSON.stringify({ events: Array.from({ length: 51 }, () => impression) }));
    expect(many.status).toBe(400);
    expect(await db.widgetEvent.count({ where: { shopId: shop.id } })).toBe(0);
  });

  it("answers 429 once one buyer's address has spent its budget, by the address Shopify added, not one the buyer wrote", async () => {
    const shop = await createTestShop();
    const other = await createTestShop();
    const batch = JSON.stringify({ events: [impression] });
    const { burst } = STOREFRONT_WRITE_LIMITS.events;
    // The clock stands still, so the budget earns nothing back while the burst is written (on a
    // busy machine those writes took over a second, a token's worth, and the next one got through).
    vi.useFakeTimers({ toFake: ["Date"] });
    // A flooder writing a new address of its own into every request: Shopify's proxy adds the real one last.
    for (let n = 0; n < burst; n++) expect((await post(shop.id, batch, { forwardedFor: `10.0.0.${n}, 192.0.2.50` })).status).toBe(202);
    const refused = await post(shop.id, batch, { forwardedFor: "10.9.9.9, 192.0.2.50" }).finally(() => vi.useRealTimers());
    expect(refused.status).toBe(429);
    expect(refused.headers.get("Cache-Control")).toBe("no-store");
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    expect(await db.widgetEvent.count({ where: { shopId: shop.id } })).toBe(burst);
    // Other buyers of the shop, and the same address on another shop, still get through.
    expect((await post(shop.id, batch, { forwardedFor: "192.0.2.51" })).status).toBe(202);
    expect((await post(other.id, batch, { forwardedFor: "192.0.2.50" })).status).toBe(202);
  });
});
