import { afterAll, beforeAll, describe, expect, it } from "vitest";
import db from "~/db.server";
import { THANK_YOU_FOLLOWS_WITHIN_MS } from "~/core/post-purchase";
import { mulberry32 } from "~/core/ranking";
import { DEFAULT_SHOP_SETTINGS } from "~/core/settings";
import { addRecommendationRule } from "~/models/recommendation-rule.server";
import { recordCheckoutEvent } from "~/models/widget-event.server";
import { saveShopSettings } from "~/models/shop-settings.server";
import { signJwtHs256 } from "~/services/post-purchase/jwt.server";
import { syncDiscountsAfterChange } from "~/services/offer-discount-sync.server";
import { applyMerchantChanges, setServingRng } from "~/services/recommendations.server";
import {
  checkoutRequest,
  initialPurchase,
  postPurchaseToken,
  seconds,
  thankYouSessionToken,
} from "~/services/post-purchase/test-support";
import { createTestOrder, createTestProduct, type TestProduct } from "../../tests/factories/catalog";
import { createTestOffer } from "../../tests/factories/offers";
import { createTestShop } from "../../tests/factories/shop";
import { responseOf } from "../../tests/support/app-proxy";
import { action as reportEvent } from "./api.post-purchase.event";
import { action } from "./api.post-purchase.offer";
import { action as signChangeset } from "./api.post-purchase.sign-changeset";

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

const buying = (reference: string, items: { product: TestProduct; total: string; quantity?: number }[]) =>
  initialPurchase(
    reference,
    items.map(({ product, total, quantity }) => ({ productId: product.shopifyId, variantId: product.variantShopifyId, total, ...(quantity ? { quantity } : {}) })),
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

  it("GIVEN a live bundle of the mug and a saucer THEN after checkout the saucer does not jump the queue: its discount cannot apply there", async () => {
    const own = await mugShop();
    await db.shop.update({ where: { id: own.shopId }, data: { isDemo: true } });
    await saveShopSettings(own.shopId, { ...DEFAULT_SHOP_SETTINGS, recommendations: { ...DEFAULT_SHOP_SETTINGS.recommendations, learnFromFeedback: false } });
    const saucer = await createTestProduct(own.shopId, { title: "Saucer", price: 300, productType: "Saucer" });
    await createTestOffer(own.shopId, {
      type: "fixedBundle",
      title: "Mug and saucer",
      status: "active",
      items: [
        { ref: { productId: `gid://shopify/Product/${own.mug.shopifyId}` }, quantity: 1 },
        { ref: { productId: `gid://shopify/Product/${saucer.shopifyId}` }, quantity: 1 },
      ],
      pricing: { kind: "percentage", percent: 10 },
    });
    await syncDiscountsAfterChange(own.shopId);
    const purchase = buying("ref-bundle", [{ product: own.mug, total: "12.00" }]);
    const body = (await (await post(postPurchaseToken(own.shopId, purchase), postPurchaseBody(purchase))).json()) as OfferBody;
    expect(body.offer?.productId).toBe(own.coaster.shopifyId);
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

    it("offers nothing again to a checkout that dismissed its offer: a reload does not bring it back", async () => {
      const purchase = buying("gid://shopify/OrderIdentity/78", [{ product: shop.mug, total: "12.00" }]);
      const token = thankYouSessionToken(shop.shopId);
      const { offer } = (await (await post(token, body(purchase))).json()) as OfferBody;
      expect(offer?.productId).toBe(shop.coaster.shopifyId);
      await recordCheckoutEvent(
        shop.shopId,
        { kind: "offer_declined", placement: "thank_you", anchorProductId: null, productId: shop.coaster.shopifyId, offerId: null, propensity: null, modelVersion: null, referenceId: purchase.referenceId },
        new Date(),
      );
      const reloaded = await post(token, body(purchase));
      expect(reloaded.status).toBe(200);
      expect(await reloaded.json()).toEqual({ offer: null });
      // Another checkout is still offered it.
      const other = buying("gid://shopify/OrderIdentity/79", [{ product: shop.mug, total: "12.00" }]);
      expect(((await (await post(token, body(other))).json()) as OfferBody).offer?.productId).toBe(shop.coaster.shopifyId);
    });

    describe("after the buyer answered the post-purchase offer of the same order", () => {
      /** One buyer's checkout: the post-purchase page's offer and answer, then the thank-you page's requests. */
      async function buyer(own: Awaited<ReturnType<typeof mugShop>>, reference: string, items: { product: TestProduct; total: string; quantity?: number }[] = [{ product: own.mug, total: "12.00" }]) {
        const purchase = buying(reference, items);
        const token = postPurchaseToken(own.shopId, purchase);
        const offer = ((await (await post(token, postPurchaseBody(purchase))).json()) as OfferBody).offer;
        if (!offer) throw new Error("no post-purchase offer");
        const report = (kind: string) =>
          responseOf(() => reportEvent({ request: checkoutRequest("/api/post-purchase/event", token, { surface: "post_purchase", kind, referenceId: reference, productId: offer.productId }), params: {}, context: {} }));
        const signing = () =>
          responseOf(() =>
            signChangeset({
              request: checkoutRequest("/api/post-purchase/sign-changeset", token, { referenceId: reference, variantId: offer.variantId, price: offer.price, initialPurchase: purchase }),
              params: {},
              context: {},
            }),
          );
        /** The thank-you page of the order (`orderId`), holding `lines` (by default what was bought). */
        const thankYou = async (orderId: string, lines = items) => ((await (await post(thankYouSessionToken(own.shopId), body(buying(orderId, lines)))).json()) as OfferBody).offer;
        return { offer, report, signing, thankYou };
      }

      it("GIVEN a decline THEN its thank-you page offers nothing, on a reload too, while another buyer of the same items is still offered", async () => {
        const own = await mugShop();
        const checkout = await buyer(own, "ref-declined-first");
        expect((await checkout.report("offer_declined")).status).toBe(202);
        expect(await checkout.thankYou("gid://shopify/OrderIdentity/901")).toBeNull();
        expect(await checkout.thankYou("gid://shopify/OrderIdentity/901")).toBeNull();
        // The answer belongs to one order: the next buyer of a mug who did not answer is offered the coaster.
        expect((await checkout.thankYou("gid://shopify/OrderIdentity/902"))?.productId).toBe(own.coaster.shopifyId);
        expect(await db.widgetEvent.count({ where: { shopId: own.shopId, placement: "thank_you", kind: "offer_shown" } })).toBe(1);
      });

      it("GIVEN an accept THEN its thank-you page offers nothing, whether or not the order already holds the added item", async () => {
        const own = await mugShop();
        const withoutLine = await buyer(own, "ref-accepted-plain");
        expect((await withoutLine.signing()).status).toBe(200);
        expect((await withoutLine.report("offer_accepted")).status).toBe(202);
        expect(await withoutLine.thankYou("gid://shopify/OrderIdentity/911")).toBeNull();

        const withLine = await buyer(own, "ref-accepted-edited");
        expect((await withLine.signing()).status).toBe(200);
        expect((await withLine.report("offer_accepted")).status).toBe(202);
        const edited = [
          { product: own.mug, total: "12.00" },
          { product: own.coaster, total: "3.60" },
        ];
        expect(await withLine.thankYou("gid://shopify/OrderIdentity/912", edited)).toBeNull();
        // Those lines with another unit than the one accepted are another order: it is offered.
        const otherBuyer = [
          { product: own.mug, total: "12.00" },
          { product: own.teapot, total: "35.00" },
        ];
        const signedOnly = await buyer(own, "ref-signed-only");
        expect((await signedOnly.signing()).status).toBe(200);
        expect(await signedOnly.thankYou("gid://shopify/OrderIdentity/913", otherBuyer)).not.toBeNull();
        // A signed accept whose report was lost still counts as answered.
        expect(await signedOnly.thankYou("gid://shopify/OrderIdentity/914")).toBeNull();
      });

      it("GIVEN no answer, only a failed accept, other items or an answer from long ago THEN the thank-you page offers as before", async () => {
        const own = await mugShop();
        const unanswered = await buyer(own, "ref-unanswered");
        expect((await unanswered.thankYou("gid://shopify/OrderIdentity/921"))?.productId).toBe(own.coaster.shopifyId);

        const failed = await buyer(own, "ref-failed-only");
        expect((await failed.signing()).status).toBe(200);
        expect((await failed.report("offer_accept_failed")).status).toBe(202);
        expect(await failed.thankYou("gid://shopify/OrderIdentity/922")).not.toBeNull();

        // Two mugs answered; the thank-you page's order holds one.
        const twoMugs = await buyer(own, "ref-two-mugs", [{ product: own.mug, total: "24.00", quantity: 2 }]);
        expect((await twoMugs.report("offer_declined")).status).toBe(202);
        expect(await twoMugs.thankYou("gid://shopify/OrderIdentity/923", [{ product: own.mug, total: "12.00" }])).not.toBeNull();

        const earlier = await buyer(own, "ref-long-ago");
        expect((await earlier.report("offer_declined")).status).toBe(202);
        const beforeWindow = new Date(Date.now() - THANK_YOU_FOLLOWS_WITHIN_MS - 60_000);
        await db.checkoutOutcome.updateMany({ where: { shopId: own.shopId, referenceId: "ref-long-ago" }, data: { createdAt: beforeWindow } });
        expect(await earlier.thankYou("gid://shopify/OrderIdentity/924")).not.toBeNull();
      });

      it("GIVEN a thank-you page already showing its offer WHEN another buyer of the same items answers THEN its reload still shows it", async () => {
        const own = await mugShop();
        const first = await buyer(own, "ref-page-first");
        const shown = await first.thankYou("gid://shopify/OrderIdentity/931");
        expect(shown).not.toBeNull();
        const other = await buyer(own, "ref-answers-later");
        expect((await other.report("offer_declined")).status).toBe(202);
        expect((await first.thankYou("gid://shopify/OrderIdentity/931"))?.productId).toBe(shown?.productId);
        // The later answer is still there for its own thank-you page.
        expect(await other.thankYou("gid://shopify/OrderIdentity/932")).toBeNull();
      });

      it("GIVEN an answer recorded by a host whose clock runs ahead of the thank-you page's THEN that page still offers nothing", async () => {
        const own = await mugShop();
        const checkout = await buyer(own, "ref-host-ahead");
        expect((await checkout.report("offer_declined")).status).toBe(202);
        // The post-purchase report was served by another app process, its clock a few seconds ahead
        // of the one serving the thank-you page (hosts' clocks disagree): the answer's time is later than that page's.
        await db.checkoutOutcome.updateMany({ where: { shopId: own.shopId, referenceId: "ref-host-ahead" }, data: { createdAt: new Date(Date.now() + 5_000) } });
        expect(await checkout.thankYou("gid://shopify/OrderIdentity/941")).toBeNull();
      });
    });

    it("limits how often one checkout session may ask for thank-you offers: its token does not name the order, so made-up checkouts cannot be counted without end", async () => {
      const bare = (await createTestShop()).id;
      const token = thankYouSessionToken(bare);
      // Another buyer of the same shop, from the same address (no address is trusted here), is not held back.
      const otherBuyer = thankYouSessionToken(bare);
      const statuses: number[] = [];
      for (let n = 0; n < 20; n++) statuses.push((await post(token, body(buying(`gid://shopify/OrderIdentity/made-up-${n}`, [])))).status);
      expect(statuses.filter((status) => status === 200).length).toBe(15);
      const limited = await post(token, body(buying("gid://shopify/OrderIdentity/made-up-last", [])));
      expect(limited.status).toBe(429);
      expect(limited.headers.get("Access-Control-Allow-Origin")).toBe("*");
      expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(0);
      expect(await limited.json()).toMatchObject({ error: "rate_limited" });
      expect((await post(otherBuyer, body(buying("gid://shopify/OrderIdentity/made-up-other", [])))).status).toBe(200);
      // Another shop's budget is its own.
      expect((await post(thankYouSessionToken(shop.shopId), body(buying("gid://shopify/OrderIdentity/80", [{ product: shop.mug, total: "12.00" }])))).status).toBe(200);
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

/** A shop whose mug buyers bought the coaster and the saucer equally often: a draw offers either, about half the time each. */
async function tiedShop() {
  const shopId = (await createTestShop()).id;
  const mug = await createTestProduct(shopId, { title: "Blue Mug", price: 1200, productType: "Mug" });
  const coaster = await createTestProduct(shopId, { title: "Cork Coaster", price: 400, productType: "Coaster" });
  const saucer = await createTestProduct(shopId, { title: "Saucer", price: 400, productType: "Saucer" });
  for (let n = 1; n <= 4; n++) {
    await createTestOrder(shopId, [mug, coaster], new Date(Date.UTC(2026, 0, n)));
    await createTestOrder(shopId, [mug, saucer], new Date(Date.UTC(2026, 0, n)));
  }
  return { shopId, mug, coaster, saucer };
}

const SURFACE_CASES = [
  { surface: "thank_you", answer: "click", token: (shopId: string) => thankYouSessionToken(shopId) },
  { surface: "post_purchase", answer: "offer_accepted", token: (shopId: string, purchase: ReturnType<typeof initialPurchase>) => postPurchaseToken(shopId, purchase) },
] as const;

/** One buyer's checkout of the mug on a surface: asking for its offer (each call a tab or a reload) and answering it. */
function checkoutOf(shopId: string, mug: TestProduct, { surface, answer, token }: (typeof SURFACE_CASES)[number], referenceId: string) {
  const purchase = buying(referenceId, [{ product: mug, total: "12.00" }]);
  return {
    ask: async () => ((await (await post(token(shopId, purchase), { surface, referenceId, initialPurchase: purchase })).json()) as OfferBody).offer,
    answer: (productId: string) => {
      const request = checkoutRequest("/api/post-purchase/event", token(shopId, purchase), { surface, kind: answer, referenceId, productId });
      return responseOf(() => reportEvent({ request, params: {}, context: {} }));
    },
    shownRow: () => db.widgetEvent.findUniqueOrThrow({ where: { shopId_placement_kind_referenceId: { shopId, placement: surface, kind: "offer_shown", referenceId } } }),
  };
}

describe("POST /api/post-purchase/offer: a small order", () => {
  beforeAll(() => setServingRng(mulberry32(5)));
  afterAll(() => setServingRng(mulberry32(Math.floor(Math.random() * 2 ** 32))));

  it("offers the one candidate within the order's price share on every draw, though draws leave it out of their picks", async () => {
    const shopId = (await createTestShop()).id;
    const mug = await createTestProduct(shopId, { title: "Blue Mug", price: 1200, productType: "Mug" });
    // Fourteen dear products bought with the mug more often than the cheap one, which ranks 15th.
    const dear = [];
    for (let n = 0; n < 14; n++) dear.push(await createTestProduct(shopId, { title: `Teapot ${n}`, price: 3000 + n, productType: `Teapot ${n}` }));
    const cheap = await createTestProduct(shopId, { title: "Cork Coaster", price: 400, productType: "Coaster" });
    const day = (n: number) => new Date(Date.UTC(2026, 0, n));
    for (const [index, product] of dear.entries()) for (let n = 0; n < 3; n++) await createTestOrder(shopId, [mug, product], day(1 + index));
    await createTestOrder(shopId, [mug, cheap], day(20));
    await applyMerchantChanges(shopId);

    const offered: (string | null)[] = [];
    for (let n = 0; n < 12; n++) {
      const purchase = buying(`ref-small-${n}`, [{ product: mug, total: "12.00" }]);
      const response = await post(postPurchaseToken(shopId, purchase), postPurchaseBody(purchase));
      offered.push(((await response.json()) as OfferBody).offer?.productId ?? null);
    }
    // At most 50% of the £12.00 order: only the £4.00 coaster fits.
    expect(offered).toEqual(Array(12).fill(cheap.shopifyId));
  });
});

describe("POST /api/post-purchase/offer: a checkout keeps its offer", () => {
  // Seeded, so which product each draw picks is the same on every run.
  beforeAll(() => setServingRng(mulberry32(11)));
  afterAll(() => setServingRng(mulberry32(Math.floor(Math.random() * 2 ** 32))));

  it.each(SURFACE_CASES)(
    "on $surface, every tab and reload of a checkout shows the product it was first shown while new draws differ, and the older tab's $answer counts",
    async (surfaceCase) => {
      const shop = await tiedShop();
      const tabs = checkoutOf(shop.shopId, shop.mug, surfaceCase, "ref-tabs");
      const olderTab = await tabs.ask();
      expect(olderTab).not.toBeNull();
      const shownFirst = await tabs.shownRow();
      expect(shownFirst.modelVersion).not.toBeNull();

      const drawnForOtherCheckouts = new Set<string | undefined>();
      for (let n = 0; n < 20; n++) {
        expect((await tabs.ask())?.productId).toBe(olderTab?.productId);
        drawnForOtherCheckouts.add((await checkoutOf(shop.shopId, shop.mug, surfaceCase, `ref-other-${n}`).ask())?.productId);
      }
      // The draw itself does change from request to request: other checkouts got either product.
      expect(drawnForOtherCheckouts).toEqual(new Set([shop.coaster.shopifyId, shop.saucer.shopifyId]));
      // Repeating the offer is not a new draw: the row is still the one the first draw wrote.
      expect(await tabs.shownRow()).toEqual(shownFirst);

      const answered = await tabs.answer(olderTab?.productId ?? "");
      expect(answered.status).toBe(202);
      expect(await answered.json()).toEqual({ recorded: 1 });
    },
  );

  it("keeps the product at the price it has now", async () => {
    const shop = await tiedShop();
    const tabs = checkoutOf(shop.shopId, shop.mug, SURFACE_CASES[1], "ref-price");
    const first = await tabs.ask();
    const product = first?.productId === shop.coaster.shopifyId ? shop.coaster : shop.saucer;
    await db.variant.updateMany({ where: { shopId: shop.shopId, shopifyId: product.variantShopifyId }, data: { priceAmount: 300 } });
    expect(await tabs.ask()).toMatchObject({ productId: product.shopifyId, unitPrice: 300, price: 270, saving: 30 });
  });

  const noLongerOffered: [string, (shopId: string, product: TestProduct) => Promise<unknown>][] = [
    ["sold out", (shopId, product) => db.variant.updateMany({ where: { shopId, shopifyId: product.variantShopifyId }, data: { inventoryQuantity: 0 } })],
    ["unpublished", (shopId, product) => db.product.updateMany({ where: { shopId, shopifyId: product.shopifyId }, data: { status: "draft" } })],
    [
      "excluded by the merchant",
      async (shopId, product) => {
        await addRecommendationRule(shopId, { kind: "exclude", anchorProductId: "", productId: product.shopifyId });
        await applyMerchantChanges(shopId);
      },
    ],
  ];
  it.each(noLongerOffered)("when the product shown is then %s, the checkout is offered the other one, and an answer for the old one is refused", async (_name, withdraw) => {
    const shop = await tiedShop();
    const tabs = checkoutOf(shop.shopId, shop.mug, SURFACE_CASES[0], "ref-withdrawn");
    const before = await tabs.ask();
    const [shown, other] = before?.productId === shop.coaster.shopifyId ? [shop.coaster, shop.saucer] : [shop.saucer, shop.coaster];
    expect(before?.productId).toBe(shown.shopifyId);

    await withdraw(shop.shopId, shown);
    expect((await tabs.ask())?.productId).toBe(other.shopifyId);
    // The record moved with the new draw: the older tab's answer names a product no longer offered.
    expect((await tabs.shownRow()).productId).toBe(other.shopifyId);
    const stale = await tabs.answer(shown.shopifyId);
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ error: "not_the_offer_shown" });
    expect(await (await tabs.answer(other.shopifyId)).json()).toEqual({ recorded: 1 });
  });
});
