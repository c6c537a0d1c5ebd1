import { beforeAll, describe, expect, it } from "vitest";
import { mulberry32 } from "~/core/ranking";
import { DEFAULT_SHOP_SETTINGS } from "~/core/settings";
import db from "~/db.server";
import { saveShopSettings } from "~/models/shop-settings.server";
import { syncDiscountsAfterChange } from "~/services/offer-discount-sync.server";
import { applyMerchantChanges, setServingRng } from "~/services/recommendations.server";
import { createTestOrder, createTestProduct, type TestProduct } from "../../tests/factories/catalog";
import { createTestOffer } from "../../tests/factories/offers";
import { createTestShop } from "../../tests/factories/shop";
import { appProxyRequest, responseOf } from "../../tests/support/app-proxy";
import { loader } from "./proxy.recommendations";

async function get(shop: string, query: Record<string, string>, secret?: string, loggedInCustomerId?: string) {
  const request = appProxyRequest("/recommendations", { shop, query, secret, ...(loggedInCustomerId ? { loggedInCustomerId } : {}) });
  return responseOf(() => loader({ request, params: {}, context: {} }));
}

interface Body {
  modelVersion: string;
  anchor: string | null;
  recommendations: Array<{ productId: string; variantId: string; title: string; price: { amount: number; currency: string }; reason: { kind: string; orders?: number }; reasonText: string; propensity: number }>;
}

describe("GET /apps/upshelf/recommendations", () => {
  let shopId: string;
  let otherShopId: string;
  let mug: TestProduct, coaster: TestProduct, teapot: TestProduct, lamp: TestProduct, soldOut: TestProduct, otherShopProduct: TestProduct;

  beforeAll(async () => {
    shopId = (await createTestShop()).id;
    otherShopId = (await createTestShop()).id;
    // The static ranking, so answers are exact; the learning shop below covers the re-ranker.
    const recommendations = { ...DEFAULT_SHOP_SETTINGS.recommendations, learnFromFeedback: false };
    await saveShopSettings(shopId, { ...DEFAULT_SHOP_SETTINGS, recommendations });
    mug = await createTestProduct(shopId, { title: "Blue Mug", price: 1200, productType: "Mug" });
    coaster = await createTestProduct(shopId, { title: "Cork Coaster", price: 400, productType: "Coaster" });
    teapot = await createTestProduct(shopId, { title: "Teapot", price: 3500, productType: "Teapot" });
    lamp = await createTestProduct(shopId, { title: "Desk Lamp", price: 5000, productType: "Lamp" });
    soldOut = await createTestProduct(shopId, { title: "Mug Tree", price: 1500, productType: "Stand", inventory: 0 });
    otherShopProduct = await createTestProduct(otherShopId, { title: "Other Shop Mug", price: 999 });
    const day = (n: number) => new Date(Date.UTC(2026, 9, n));
    for (let n = 1; n <= 6; n++) await createTestOrder(shopId, [mug, coaster], day(n));
    for (let n = 1; n <= 2; n++) await createTestOrder(shopId, [mug, teapot], day(10 + n));
    for (let n = 1; n <= 5; n++) await createTestOrder(shopId, [mug, soldOut], day(20 + n));
    await createTestOrder(shopId, [lamp], day(28));
    // A second variant of the mug (a large size), which no order has named.
    await db.variant.create({ data: { shopId, productId: mug.id, shopifyId: `${mug.variantShopifyId}9`, priceAmount: 1500, currency: "USD", inventoryQuantity: 3 } });
  });

  it("ranks what was bought together with the product first, with its reason, price and variant", async () => {
    const response = await get(shopId, { placement: "pdp", product_id: mug.shopifyId, limit: "3" });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Body;
    expect(body.modelVersion).toEqual(expect.any(String));
    const [first, second] = body.recommendations;
    expect(first).toMatchObject({
      productId: coaster.shopifyId,
      variantId: coaster.variantShopifyId,
      title: "Cork Coaster",
      price: { amount: 400, currency: "USD" },
      reason: { kind: "bought_together", orders: 6 },
      reasonText: "Bought together in 6 orders",
    });
    expect(second?.productId).toBe(teapot.shopifyId);
    expect(body.anchor).toBe(mug.shopifyId);
    expect(body.recommendations.map((r) => r.propensity)).toEqual([1, 1]);
  });

  it("never recommends an out-of-stock product, however often it was bought", async () => {
    const body = (await (await get(shopId, { placement: "pdp", product_id: mug.shopifyId, limit: "10" })).json()) as Body;
    expect(body.recommendations.map((r) => r.productId)).not.toContain(soldOut.shopifyId);
    expect(body.recommendations.map((r) => r.productId)).not.toContain(mug.shopifyId);
  });

  it("offers a product's first size a buyer can buy, at its price, when the first size is sold out", async () => {
    const shop = (await createTestShop()).id;
    const mugs = await createTestProduct(shop, { title: "Mug", price: 1200 });
    const teapots = await createTestProduct(shop, { title: "Teapot", price: 3500, inventory: 0 });
    // A second size, in stock and dearer, listed after the sold-out first.
    await db.variant.create({ data: { shopId: shop, productId: teapots.id, shopifyId: `${teapots.variantShopifyId}2`, priceAmount: 4200, currency: "USD", inventoryQuantity: 3 } });
    for (let n = 1; n <= 3; n++) await createTestOrder(shop, [mugs, teapots], new Date(Date.UTC(2026, 9, n)));
    const body = (await (await get(shop, { placement: "pdp", product_id: mugs.shopifyId, limit: "3" })).json()) as Body;
    const teapot = body.recommendations.find((r) => r.productId === teapots.shopifyId);
    expect(teapot).toMatchObject({ variantId: `${teapots.variantShopifyId}2`, price: { amount: 4200, currency: "USD" } });
  });

  it("ranks by the whole cart and excludes what is already in it", async () => {
    const response = await get(shopId, { placement: "cart", variant_ids: `${mug.variantShopifyId},${coaster.variantShopifyId}` });
    const body = (await response.json()) as Body;
    const ids = body.recommendations.map((r) => r.productId);
    expect(ids[0]).toBe(teapot.shopifyId);
    expect(ids).not.toContain(mug.shopifyId);
    expect(ids).not.toContain(coaster.shopifyId);
  });

  it("GIVEN a cart holding a product's other variant THEN that product is an anchor and is not offered again", async () => {
    const response = await get(shopId, { placement: "cart", variant_ids: `${mug.variantShopifyId}9` });
    const ids = ((await response.json()) as Body).recommendations.map((r) => r.productId);
    expect(ids[0]).toBe(coaster.shopifyId);
    expect(ids).not.toContain(mug.shopifyId);
    // Both sizes in the cart are one anchor: the same answer.
    const both = await get(shopId, { placement: "cart", variant_ids: `${mug.variantShopifyId}9,${mug.variantShopifyId}` });
    expect(((await both.json()) as Body).recommendations.map((r) => r.productId)).toEqual(ids);
  });

  it("follows the merchant's placement settings: a placement turned off gets nothing, a limit caps what widgets ask", async () => {
    const recommendations = { ...DEFAULT_SHOP_SETTINGS.recommendations, learnFromFeedback: false };
    const placements = {
      ...DEFAULT_SHOP_SETTINGS.placements,
      pdp: { ...DEFAULT_SHOP_SETTINGS.placements.pdp, limit: 1 },
      cart: { ...DEFAULT_SHOP_SETTINGS.placements.cart, enabled: false },
    };
    await saveShopSettings(shopId, { ...DEFAULT_SHOP_SETTINGS, recommendations, placements });
    await applyMerchantChanges(shopId);
    try {
      const pdp = (await (await get(shopId, { placement: "pdp", product_id: mug.shopifyId, limit: "4" })).json()) as Body;
      expect(pdp.recommendations.map((r) => r.productId)).toEqual([coaster.shopifyId]);
      const cart = await get(shopId, { placement: "cart", variant_ids: mug.variantShopifyId });
      expect(cart.status).toBe(200);
      expect(((await cart.json()) as Body).recommendations).toEqual([]);
    } finally {
      await saveShopSettings(shopId, { ...DEFAULT_SHOP_SETTINGS, recommendations });
      await applyMerchantChanges(shopId);
    }
  });

  it("follows the post-purchase placement's settings for order-based requests too: its limit caps them, turned off gets nothing", async () => {
    const order = await createTestOrder(shopId, [teapot], new Date(Date.UTC(2026, 9, 29)));
    await db.order.update({ where: { id: order.id }, data: { customerId: "7003" } });
    const after = async (limit?: string) => {
      const response = await get(shopId, { placement: "post_purchase", order_id: order.shopifyId, ...(limit ? { limit } : {}) }, undefined, "7003");
      expect(response.status).toBe(200);
      return ((await response.json()) as Body).recommendations.map((r) => r.productId);
    };
    // The default settings: one item, whatever the request asks for.
    expect(await after("20")).toEqual([mug.shopifyId]);
    expect(await after()).toEqual([mug.shopifyId]);

    const recommendations = { ...DEFAULT_SHOP_SETTINGS.recommendations, learnFromFeedback: false };
    const postPurchase = (settings: { enabled: boolean; limit: number }) =>
      saveShopSettings(shopId, {
        ...DEFAULT_SHOP_SETTINGS,
        recommendations,
        placements: { ...DEFAULT_SHOP_SETTINGS.placements, post_purchase: { ...DEFAULT_SHOP_SETTINGS.placements.post_purchase, ...settings } },
      }).then(() => applyMerchantChanges(shopId));
    try {
      await postPurchase({ enabled: true, limit: 2 });
      expect(await after("20")).toHaveLength(2);
      expect(await after("1")).toEqual([mug.shopifyId]);
      await postPurchase({ enabled: false, limit: 1 });
      expect(await after("20")).toEqual([]);
    } finally {
      await saveShopSettings(shopId, { ...DEFAULT_SHOP_SETTINGS, recommendations });
      await applyMerchantChanges(shopId);
    }
  });

  it("GIVEN a live bundle THEN its other products lead each product's page and the cart holding one, until it is paused", async () => {
    const shop = await createTestShop();
    await db.shop.update({ where: { id: shop.id }, data: { isDemo: true } });
    await saveShopSettings(shop.id, { ...DEFAULT_SHOP_SETTINGS, recommendations: { ...DEFAULT_SHOP_SETTINGS.recommendations, learnFromFeedback: false } });
    const candle = await createTestProduct(shop.id, { title: "Candle", price: 1500, productType: "Home" });
    const matches = await createTestProduct(shop.id, { title: "Matches", price: 300, productType: "Home" });
    const vase = await createTestProduct(shop.id, { title: "Vase", price: 4000, productType: "Home" });
    for (let n = 1; n <= 5; n++) await createTestOrder(shop.id, [candle, vase], new Date(Date.UTC(2026, 9, n)));
    const pdp = async (product: TestProduct) =>
      ((await (await get(shop.id, { placement: "pdp", product_id: product.shopifyId, limit: "3" })).json()) as Body).recommendations;
    expect((await pdp(candle))[0]?.productId).toBe(vase.shopifyId);

    const bundleId = await createTestOffer(shop.id, {
      type: "fixedBundle",
      title: "Light it",
      status: "active",
      items: [
        { ref: { productId: `gid://shopify/Product/${candle.shopifyId}` }, quantity: 1 },
        { ref: { variantId: `gid://shopify/ProductVariant/${matches.variantShopifyId}` }, quantity: 1 },
      ],
      pricing: { kind: "percentage", percent: 10 },
    });
    await syncDiscountsAfterChange(shop.id);
    const candlePage = await pdp(candle);
    expect(candlePage.map((item) => item.productId).slice(0, 2)).toEqual([matches.shopifyId, vase.shopifyId]);
    expect(candlePage[0]).toMatchObject({ reason: { kind: "bundle" }, reasonText: "In a bundle offer", propensity: 1 });
    expect((await pdp(matches))[0]).toMatchObject({ productId: candle.shopifyId, reason: { kind: "bundle" } });
    const cart = (await (await get(shop.id, { placement: "cart", variant_ids: candle.variantShopifyId })).json()) as Body;
    expect(cart.recommendations[0]?.productId).toBe(matches.shopifyId);

    await db.offer.update({ where: { id: bundleId }, data: { status: "paused" } });
    await syncDiscountsAfterChange(shop.id);
    expect((await pdp(candle))[0]?.productId).toBe(vase.shopifyId);
  });

  it("answers 404 for a product this shop does not have, including another shop's product", async () => {
    const response = await get(shopId, { placement: "pdp", product_id: otherShopProduct.shopifyId });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: "unknown_product" });
  });

  it("describes an order only to the signed-in customer who placed it; to anyone else it does not exist", async () => {
    const order = await createTestOrder(shopId, [teapot], new Date(Date.UTC(2026, 9, 29)));
    await db.order.update({ where: { id: order.id }, data: { customerId: "7001" } });
    const query = { placement: "post_purchase", order_id: order.shopifyId };
    const owner = await get(shopId, query, undefined, "7001");
    expect(owner.status).toBe(200);
    expect(((await owner.json()) as Body).recommendations.map((r) => r.productId)).toContain(mug.shopifyId);
    for (const stranger of [undefined, "7002"]) {
      const response = await get(shopId, query, undefined, stranger);
      expect(response.status).toBe(404);
      // The same answer as for an order that does not exist: nothing to probe.
      const missing = await get(shopId, { ...query, order_id: "424242424242" }, undefined, stranger);
      expect(await response.json()).toEqual({ ...((await missing.json()) as object), message: expect.stringContaining(order.shopifyId) });
    }
  });

  it("answers 400 naming each bad parameter", async () => {
    const missing = await get(shopId, { placement: "cart" });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ fields: { variant_ids: ["is required for placement=cart"] } });
    const bad = await get(shopId, { placement: "basket", product_id: "x", limit: "500" });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { fields: Record<string, string[]> };
    expect(Object.keys(body.fields).sort()).toEqual(["limit", "placement", "product_id"]);
  });

  it("refuses unsigned or forged requests", async () => {
    const forged = await get(shopId, { placement: "pdp", product_id: mug.shopifyId }, "wrong-secret");
    expect(forged.status).toBe(401);
  });

  it("GIVEN a shop that learns from feedback THEN items are sampled among the best and each carries its propensity", async () => {
    const learningShop = (await createTestShop()).id;
    const anchor = await createTestProduct(learningShop, { title: "Anchor", price: 1000 });
    const others: TestProduct[] = [];
    for (let n = 0; n < 6; n++) others.push(await createTestProduct(learningShop, { title: `Item ${n}`, price: 1000 }));
    for (const [index, product] of others.entries()) {
      for (let n = 0; n <= 6 - index; n++) await createTestOrder(learningShop, [anchor, product], new Date(Date.UTC(2026, 9, 1 + n)));
    }
    setServingRng(mulberry32(7));
    const seen = new Set<string>();
    for (let request = 0; request < 20; request++) {
      const body = (await (await get(learningShop, { placement: "pdp", product_id: anchor.shopifyId, limit: "2" })).json()) as Body;
      expect(body.anchor).toBe(anchor.shopifyId);
      expect(body.recommendations).toHaveLength(2);
      for (const item of body.recommendations) {
        seen.add(item.productId);
        expect(item.propensity).toBeGreaterThan(0);
        expect(item.propensity).toBeLessThan(1);
      }
    }
    // Exploration: more than the two static favourites get shown, all from the candidates.
    expect(seen.size).toBeGreaterThan(2);
    for (const id of seen) expect(others.map((p) => p.shopifyId)).toContain(id);
  });
});
