import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import db from "~/db.server";
import { DEMO_API_SECRET } from "~/env.server";
import { settleWebhookDeliveries } from "~/services/webhooks";
import { createTestShop } from "../../tests/factories/shop";
import { signedWebhookRequest, webhookFixture } from "../../tests/fixtures/webhooks/signed-request";
import { TEST_API_SECRET, useShopifyAdminMode } from "../../tests/support/admin-session";
import { responseOf } from "../../tests/support/app-proxy";

useShopifyAdminMode();

const ROUTES_DIR = import.meta.dirname;

/** The [[webhooks.subscriptions]] of shopify.app.toml: topics (or compliance_topics) and uri. */
function subscriptions(): Array<{ topics: string[]; uri: string }> {
  const toml = fs.readFileSync(path.resolve(ROUTES_DIR, "../../shopify.app.toml"), "utf8");
  return toml
    .split("[[webhooks.subscriptions]]")
    .slice(1)
    .map((block) => ({
      topics: [...(/topics\s*=\s*\[([^\]]*)\]/.exec(block)?.[1] ?? "").matchAll(/"([^"]+)"/g)].map((match) => match[1] as string),
      uri: /uri\s*=\s*"([^"]+)"/.exec(block)?.[1] ?? "",
    }));
}

describe("webhooks with the app's real secret (Shopify mode)", () => {
  it("accepts a delivery signed with SHOPIFY_API_SECRET and refuses one signed with the demo secret", async () => {
    const shop = await createTestShop();
    const { action } = await import("./webhooks.products");
    const body = webhookFixture("products-create", shop.id);
    const genuine = signedWebhookRequest({ path: "/webhooks/products", topic: "products/create", shop: shop.id, body, secret: TEST_API_SECRET });
    expect((await responseOf(() => action({ request: genuine, params: {}, context: {} }))).status).toBe(200);
    const demoSigned = signedWebhookRequest({ path: "/webhooks/products", topic: "products/create", shop: shop.id, body, secret: DEMO_API_SECRET });
    expect((await responseOf(() => action({ request: demoSigned, params: {}, context: {} }))).status).toBe(401);
    await settleWebhookDeliveries();
    expect(await db.product.count({ where: { shopId: shop.id } })).toBe(1);
  });

  it("every subscription in shopify.app.toml reaches a route that accepts exactly its topics", async () => {
    const subs = subscriptions();
    expect(subs.flatMap((sub) => sub.topics).sort()).toEqual([
      "app/uninstalled", "customers/data_request", "customers/redact", "discounts/delete", "discounts/update", "inventory_levels/update",
      "orders/cancelled", "orders/create", "orders/updated", "products/create", "products/delete", "products/update", "shop/redact", "shop/update",
    ]);
    for (const sub of subs) {
      // /webhooks/app/uninstalled -> webhooks.app.uninstalled.tsx (Remix flat routes)
      const file = path.join(ROUTES_DIR, `${sub.uri.replace(/^\//, "").replaceAll("/", ".")}.tsx`);
      expect(fs.existsSync(file), `${sub.uri} has no route file`).toBe(true);
      const { action } = (await import(/* @vite-ignore */ file)) as { action: (args: { request: Request; params: object; context: object }) => Promise<Response> };
      // A genuine delivery for a shop Upshelf does not know is acknowledged (200) when the route
      // handles the topic, and refused (400) when it does not.
      const unknownShop = "not-installed-anywhere.myshopify.com";
      for (const topic of sub.topics) {
        const request = signedWebhookRequest({ path: sub.uri, topic, shop: unknownShop, body: "{}", secret: TEST_API_SECRET });
        expect((await responseOf(() => action({ request, params: {}, context: {} }))).status, `${topic} at ${sub.uri}`).toBe(200);
      }
      const stray = signedWebhookRequest({ path: sub.uri, topic: "orders/paid", shop: unknownShop, body: "{}", secret: TEST_API_SECRET });
      expect((await responseOf(() => action({ request: stray, params: {}, context: {} }))).status).toBe(400);
    }
  });
});
