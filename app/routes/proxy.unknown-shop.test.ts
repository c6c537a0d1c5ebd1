import { describe, expect, it } from "vitest";
import db from "~/db.server";
import { createTestShop } from "../../tests/factories/shop";
import { createTestProduct } from "../../tests/factories/catalog";
import { appProxyRequest, responseOf } from "../../tests/support/app-proxy";
import { action as cartPrice } from "./proxy.cart.price";
import { action as events } from "./proxy.events";
import { loader as offers } from "./proxy.offers";
import { loader as recommendations } from "./proxy.recommendations";
import { action as visits } from "./proxy.visits";

/**
 * A correctly signed storefront request can name a shop Upshelf no longer serves: one that
 * uninstalled, or whose data was erased after shop/redact. Every storefront route answers it with
 * the same 404, never a 500 from a missing row, and stores nothing.
 */
const post = (body: unknown) => ({ method: "POST", body: JSON.stringify(body), headers: { "Content-Type": "application/json" } });

function everyRoute(shop: string, productId: string) {
  type Route = (args: { request: Request; params: Record<string, never>; context: Record<string, never> }) => Promise<Response>;
  const call = (route: Route, path: string, options: Parameters<typeof appProxyRequest>[1]) =>
    responseOf(() => route({ request: appProxyRequest(path, options), params: {}, context: {} }));
  return {
    recommendations: call(recommendations, "/recommendations", { shop, query: { placement: "pdp", product_id: productId } }),
    offers: call(offers, "/offers", { shop, query: { product_id: productId } }),
    cartPrice: call(cartPrice, "/cart/price", { shop, init: post({ lines: [{ variant_id: "1", quantity: 1 }] }) }),
    events: call(events, "/events", { shop, init: post({ events: [{ kind: "click", placement: "pdp", anchor: productId, product: "2" }] }) }),
    visits: call(visits, "/visits", { shop, init: post({ experiment: "1", visitor: "0b1f7a52-8f5e-4c36-9b7a-0d6a2c4e1f00" }) }),
  };
}

async function expectUnknownShop(shop: string, productId: string) {
  for (const [route, pending] of Object.entries(everyRoute(shop, productId))) {
    const response = await pending;
    expect({ route, status: response.status }).toEqual({ route, status: 404 });
    expect(await response.json()).toEqual({ error: "unknown_shop", message: `Upshelf is not installed on ${shop}.` });
  }
}

describe("storefront requests for a shop Upshelf does not serve", () => {
  it("answers 404 unknown_shop on every route for a shop it never knew (or erased)", async () => {
    await expectUnknownShop("erased-shop.myshopify.com", "101");
    expect(await db.widgetEvent.count({ where: { shopId: "erased-shop.myshopify.com" } })).toBe(0);
    expect(await db.rankingSnapshot.count({ where: { shopId: "erased-shop.myshopify.com" } })).toBe(0);
  });

  it("answers the same for a shop that uninstalled, and stores none of its events", async () => {
    const shop = await createTestShop();
    const product = await createTestProduct(shop.id, { title: "Blue Mug", price: 1200 });
    await db.shop.update({ where: { id: shop.id }, data: { uninstalledAt: new Date() } });
    await expectUnknownShop(shop.id, product.shopifyId);
    expect(await db.widgetEvent.count({ where: { shopId: shop.id } })).toBe(0);
  });
});
