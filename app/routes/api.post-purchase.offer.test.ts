import { beforeAll, describe, expect, it } from "vitest";
import db from "~/db.server";
import { DEFAULT_SHOP_SETTINGS } from "~/core/settings";
import { saveShopSettings } from "~/models/shop-settings.server";
import { signJwtHs256 } from "~/services/post-purchase/jwt.server";
import {
  checkoutRequest,
  initialPurchase,
  postPurchaseToken,
  seconds,
  thankYouSessionToken,
} from "~/services/post-purchase/test-support";
import { createTestOrder, createTestProduct, type TestProduct } from "../../tests/factories/catalog";
import { createTestShop } from "../../tests/factories/shop";
import { responseOf } from "../../tests/support/app-proxy";
import { action } from "./api.post-purchase.offer";

async function post(token: string | null, body: unknown, init: RequestInit = {}) {
  const request = checkoutRequest("/api/post-purchase/offer", token, body, init);
  return responseOf(() => action({ request, params: {}, context: {} }));
}

interface OfferBody {
  offer: null | {
    productId: string;
    variantId: string;
    title: string;
    heading: string;
    currency: string;
    unitPrice: number;
    price: number;
    saving: number;
    discountPercent: string;
    cartUrl: string | null;
  };
}

/** A shop whose buyers of the mug mostly also buy the coaster (4.00), then the teapot (35.00). */
async function mugShop() {
  const shopId = (await createTestShop()).id;
  const mug = await createTestProduct(shopId, { title: "Blue Mug", price: 1200, productType: "Mug" });
  const coaster = await createTestProduct(shopId, { title: "Cork Coaster", price: 400, productType: "Coaster" });
  const teapot = await createTestProduct(shopId, { title: "Teapot", price: 3500, productType: "Teapot" });
  const day = (n: number) => new Date(Date.UTC(2026, 0, n));
  for (let n = 1; n <= 6; n++) await createTestOrder(shopId, [mug, coaster], day(n));
  for (let n = 1; n <= 3; n++) await createTestOrder(shopId, [mug, teapot], day(10 + n));
  return { shopId, mug, coaster, teapot };
}

const buying = (reference: string, items: { product: TestProduct; total: string }[]) =>
  initialPurchase(
    reference,
    items.map(({ product, total }) => ({ productId: product.shopifyId, variantId: product.variantShopifyId, total })),
  );

function postPurchaseBody(purchase: ReturnType<typeof initialPurchase>) {
  return { surface: "post_purchase", referenceId: purchase.referenceId, initialPurchase: purchase };
}

describe("POST /api/post-purchase/offer", () => {
  let shop: Awaited<ReturnType<typeof mugShop>>;
  beforeAll(async () => {
    shop = await mugShop();
  });

  it("GIVEN a valid post-purchase token WHEN the mug was bought THEN it offers the coaster at the merchant's discount and records offer_shown", async () => {
    const purchase = buying("ref-valid", [{ product: shop.mug, total: "12.00" }]);
    const response = await post(postPurchaseToken(shop.shopId, purchase), postPurchaseBody(purchase));
    expect(response.status).toBe(200);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
    const body = (await response.json()) as OfferBody;
    expect(body.offer).toEqual({
      productId: shop.coaster.shopifyId,
      variantId: shop.coaster.variantShopifyId,
      handle: expect.any(String),
      title: "Cork Coaster",
      image: null,
      heading: DEFAULT_SHOP_SETTINGS.placements.post_purchase.heading,
      currency: "USD",
      unitPrice: 400,
      price: 360,
      saving: 40,
      discountPercent: "10",
      cartUrl: null,
    });
    const events = await db.widgetEvent.findMany({ where: { shopId: shop.shopId, kind: "offer_shown" } });
    expect(events.map((e) => [e.placement, e.productId, e.anchorProductId])).toEqual([["post_purchase", shop.coaster.shopifyId, shop.mug.shopifyId]]);
    // Asked again for the same checkout (the buyer reloads the page): offered again, counted once.
    const again = await post(postPurchaseToken(shop.shopId, purchase), postPurchaseBody(purchase));
    expect(((await again.json()) as OfferBody).offer?.productId).toBe(shop.coaster.shopifyId);
    expect(await db.widgetEvent.count({ where: { shopId: shop.shopId, kind: "offer_shown", referenceId: "ref-valid" } })).toBe(1);
  });

  it("uses the purchase signed inside the token over a body that claims something else", async () => {
    const signed = buying("ref-signed", [{ product: shop.mug, total: "12.00" }]);
    const claimed = buying("ref-signed", [{ product: shop.coaster, total: "4.00" }]);
    const body = (await (await post(postPurchaseToken(shop.shopId, signed), postPurchaseBody(claimed))).json()) as OfferBody;
    expect(body.offer?.productId).toBe(shop.coaster.shopifyId);
  });

  it("answers the CORS preflight for any origin, without credentials", async () => {
    const request = new Request("http://localhost/api/post-purchase/offer", {
      method: "OPTIONS",
      headers: { Origin: "null", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization, content-type" },
    });
    const response = await action({ request, params: {}, context: {} });
    expect(response.status).toBe(204);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(response.headers.get("Access-Control-Allow-Methods")).toContain("POST");
    expect(response.headers.get("Access-Control-Allow-Headers")).toMatch(/Authorization/);
    expect(response.headers.get("Access-Control-Allow-Credentials")).toBeNull();
  });

  describe("rejects tokens it cannot trust, with a clear error and CORS headers", () => {
    const now = () => new Date();
    const cases: [string, () => string, number, string][] = [
      ["no token", () => "", 401, "missing_token"],
      ["a token signed with another secret", () => postPurchaseToken(shop.shopId, buying("r", []), { secret: "not-the-app-secret" }), 401, "bad_signature"],
      ["a token older than a day", () => postPurchaseToken(shop.shopId, buying("r", []), { now: new Date(now().getTime() - 25 * 3600_000) }), 401, "token_too_old"],
      ["an expired token", () => postPurchaseToken(shop.shopId, buying("r", []), { claims: { exp: seconds(now()) - 60 } }), 401, "token_expired"],
      ["a token issued by someone else", () => postPurchaseToken(shop.shopId, buying("r", []), { claims: { iss: "not-shopify" } }), 401, "wrong_issuer"],
      ["alg none", () => `${Buffer.from('{"alg":"none","typ":"JWT"}').toString("base64url")}.${Buffer.from(JSON.stringify({ iss: "shopify", sub: "r", iat: seconds(now()) })).toString("base64url")}.`, 401, "unsupported_algorithm"],
      ["a malformed token", () => "not.a-jwt", 401, "malformed_token"],
      ["a token naming no shop", () => signJwtHs256({ iss: "shopify", sub: "r", iat: seconds(now()) }, "upshelf-demo-secret-not-for-production"), 401, "missing_claim"],
      ["a token for a shop without Upshelf", () => postPurchaseToken("nobody.myshopify.com", buying("r", [])), 404, "unknown_shop"],
    ];
    it.each(cases)("%s", async (_name, token, status, error) => {
      const purchase = buying("r", [{ product: shop.mug, total: "12.00" }]);
      const response = await post(token() || null, postPurchaseBody(purchase));
      expect(response.status).toBe(status);
      expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
      expect(await response.json()).toMatchObject({ error, message: expect.any(String) });
    });
  });

  it("rejects a body whose reference id is not the token's purchase", async () => {
    const purchase = buying("ref-a", [{ product: shop.mug, total: "12.00" }]);
    const other = buying("ref-b", [{ product: shop.mug, total: "12.00" }]);
    const response = await post(postPurchaseToken(shop.shopId, purchase), postPurchaseBody(other));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "reference_mismatch" });
  });

  it("answers 400 for bodies that are not JSON or not a purchase", async () => {
    const purchase = buying("ref-json", [{ product: shop.mug, total: "12.00" }]);
    const token = postPurchaseToken(shop.shopId, purchase);
    expect(await (await post(token, "{oops")).json()).toMatchObject({ error: "invalid_json" });
    const invalid = await post(token, { surface: "post_purchase", referenceId: "ref-json", initialPurchase: { lineItems: "x" } });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ error: "invalid_request" });
  });

  describe("offers nothing (200, offer: null) when nothing fits", () => {
    it("when everything worth offering was just bought", async () => {
      const purchase = buying("ref-all", [
        { product: shop.mug, total: "12.00" },
        { product: shop.coaster, total: "4.00" },
        { product: shop.teapot, total: "35.00" },
      ]);
      const response = await post(postPurchaseToken(shop.shopId, purchase), postPurchaseBody(purchase));
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ offer: null });
    });

    it("when the item is over the merchant's share of the order", async () => {
      // 4.00 is more than 30% of 12.00; the teapot is far over.
      await saveShopSettings(shop.shopId, { ...DEFAULT_SHOP_SETTINGS, postPurchase: { discountPercent: 10, maxPriceShareOfOrder: 30 } });
      try {
        const purchase = buying("ref-share", [{ product: shop.mug, total: "12.00" }]);
        expect(await (await post(postPurchaseToken(shop.shopId, purchase), postPurchaseBody(purchase))).json()).toEqual({ offer: null });
        const bigger = buying("ref-share-2", [{ product: shop.mug, total: "13.34" }]);
        const body = (await (await post(postPurchaseToken(shop.shopId, bigger), postPurchaseBody(bigger))).json()) as OfferBody;
        expect(body.offer?.productId).toBe(shop.coaster.shopifyId);
      } finally {
        await saveShopSettings(shop.shopId, DEFAULT_SHOP_SETTINGS);
      }
    });

    it("when the merchant turned the post-purchase placement off", async () => {
      const off = { ...DEFAULT_SHOP_SETTINGS.placements.post_purchase, enabled: false };
      await saveShopSettings(shop.shopId, { ...DEFAULT_SHOP_SETTINGS, placements: { ...DEFAULT_SHOP_SETTINGS.placements, post_purchase: off } });
      try {
        const purchase = buying("ref-off", [{ product: shop.mug, total: "12.00" }]);
        expect(await (await post(postPurchaseToken(shop.shopId, purchase), postPurchaseBody(purchase))).json()).toEqual({ offer: null });
      } finally {
        await saveShopSettings(shop.shopId, DEFAULT_SHOP_SETTINGS);
      }
    });

    it("when the offered items sold out after the model was built", async () => {
      const local = await mugShop();
      // 100.00 leaves room for both the coaster and the teapot; which ranks first is the engine's call.
      const purchase = buying("ref-stock", [{ product: local.mug, total: "100.00" }]);
      const ask = async () => ((await (await post(postPurchaseToken(local.shopId, purchase), postPurchaseBody(purchase))).json()) as OfferBody).offer;
      const soldOut = (product: TestProduct) =>
        db.variant.updateMany({ where: { shopId: local.shopId, shopifyId: product.variantShopifyId }, data: { inventoryQuantity: 0 } });
      const byId = new Map([local.coaster, local.teapot].map((product) => [product.shopifyId, product]));

      const first = byId.get((await ask())?.productId ?? "");
      expect(first).toBeDefined();
      await soldOut(first as TestProduct);
      const second = byId.get((await ask())?.productId ?? "");
      expect(second).toBeDefined();
      expect(second).not.toBe(first);
      await soldOut(second as TestProduct);
      expect(await ask()).toBeNull();
    });
  });

  describe("thank-you page (checkout UI extension session token)", () => {
    const body = (purchase: ReturnType<typeof initialPurchase>) => ({ surface: "thank_you", referenceId: purchase.referenceId, initialPurchase: purchase });

    it("offers the same pick at full price with a cart permalink, recording offer_shown for thank_you", async () => {
      const purchase = buying("gid://shopify/OrderIdentity/77", [{ product: shop.mug, total: "12.00" }]);
      const response = await post(thankYouSessionToken(shop.shopId), body(purchase));
      expect(response.status).toBe(200);
      const { offer } = (await response.json()) as OfferBody;
      expect(offer).toMatchObject({ productId: shop.coaster.shopifyId, price: 400, saving: 0, discountPercent: "0", heading: DEFAULT_SHOP_SETTINGS.placements.thank_you.heading });
      expect(offer?.cartUrl).toBe(`https://${shop.shopId}/cart/${shop.coaster.variantShopifyId}:1?attributes%5B_upshelf_source%5D=thank_you%3A${shop.coaster.shopifyId}`);
      expect(await db.widgetEvent.count({ where: { shopId: shop.shopId, kind: "offer_shown", placement: "thank_you" } })).toBe(1);
    });

    it("rejects a session token for another app, an expired one and one whose issuer is another shop", async () => {
      const purchase = buying("o", [{ product: shop.mug, total: "12.00" }]);
      const past = new Date(Date.now() - 10 * 60_000);
      const cases: [string, string][] = [
        [thankYouSessionToken(shop.shopId, { claims: { aud: "someone-elses-client-id" } }), "wrong_audience"],
        [thankYouSessionToken(shop.shopId, { now: past }), "token_expired"],
        [thankYouSessionToken(shop.shopId, { claims: { iss: "https://other.myshopify.com/admin" } }), "wrong_issuer"],
        [thankYouSessionToken(shop.shopId, { secret: "wrong" }), "bad_signature"],
        [postPurchaseToken(shop.shopId, purchase), "missing_claim"],
      ];
      for (const [token, error] of cases) {
        const response = await post(token, body(purchase));
        expect(response.status, error).toBe(401);
        expect(await response.json()).toMatchObject({ error });
      }
    });
  });
});
