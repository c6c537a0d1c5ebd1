import { beforeAll, describe, expect, it } from "vitest";
import db from "~/db.server";
import { DEMO_API_SECRET } from "~/env.server";
import { DEMO_CLIENT_ID } from "~/services/post-purchase/credentials.server";
import { verifyJwtHs256 } from "~/services/post-purchase/jwt.server";
import { checkoutRequest, initialPurchase, postPurchaseToken, seconds } from "~/services/post-purchase/test-support";
import { createTestOrder, createTestProduct, type TestProduct } from "../../tests/factories/catalog";
import { createTestShop } from "../../tests/factories/shop";
import { responseOf } from "../../tests/support/app-proxy";
import { action as eventAction } from "./api.post-purchase.event";
import { action as offerAction } from "./api.post-purchase.offer";
import { action } from "./api.post-purchase.sign-changeset";
import { loadDashboard } from "~/services/analytics.server";

async function sign(token: string | null, body: unknown) {
  const request = checkoutRequest("/api/post-purchase/sign-changeset", token, body);
  return responseOf(() => action({ request, params: {}, context: {} }));
}

async function offerFor(token: string, body: unknown) {
  const request = checkoutRequest("/api/post-purchase/offer", token, body);
  return responseOf(() => offerAction({ request, params: {}, context: {} }));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("POST /api/post-purchase/sign-changeset", () => {
  let shopId: string;
  let mug: TestProduct, coaster: TestProduct;
  const purchaseOf = (reference: string) =>
    initialPurchase(reference, [{ productId: mug.shopifyId, variantId: mug.variantShopifyId, total: "12.00" }]);

  beforeAll(async () => {
    shopId = (await createTestShop()).id;
    mug = await createTestProduct(shopId, { title: "Blue Mug", price: 1200 });
    coaster = await createTestProduct(shopId, { title: "Cork Coaster", price: 400 });
    for (let n = 1; n <= 4; n++) await createTestOrder(shopId, [mug, coaster], new Date(Date.UTC(2026, 0, n)));
  });

  /** What the page is shown for a purchase (recording offer_shown, as the extension's first call does). */
  const shownOffer = async (token: string, reference: string, purchase: unknown) =>
    ((await (await offerFor(token, { surface: "post_purchase", referenceId: reference, initialPurchase: purchase })).json()) as { offer: { productId: string; variantId: string; price: number } }).offer;

  it("signs a changeset token whose claims are exactly iss, jti, iat, sub and changes, as Shopify specifies", async () => {
    const purchase = purchaseOf("ref-sign");
    const callerToken = postPurchaseToken(shopId, purchase);
    const offer = await shownOffer(callerToken, "ref-sign", purchase);
    expect(offer.variantId).toBe(coaster.variantShopifyId);
    const before = seconds(new Date());
    const response = await sign(callerToken, { referenceId: "ref-sign", variantId: coaster.variantShopifyId, price: offer.price, initialPurchase: purchase });
    expect(response.status).toBe(200);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
    const { token } = (await response.json()) as { token: string };

    const [header] = token.split(".");
    expect(JSON.parse(Buffer.from(header ?? "", "base64url").toString())).toEqual({ alg: "HS256", typ: "JWT" });
    const claims = verifyJwtHs256(token, { secret: DEMO_API_SECRET, now: new Date() });
    expect(Object.keys(claims).sort()).toEqual(["changes", "iat", "iss", "jti", "sub"]);
    expect(claims.iss).toBe(DEMO_CLIENT_ID);
    expect(claims.sub).toBe("ref-sign");
    expect(claims.jti).toMatch(UUID);
    expect(Number.isInteger(claims.iat)).toBe(true);
    expect(claims.iat).toBeGreaterThanOrEqual(before);
    expect(claims.iat).toBeLessThanOrEqual(seconds(new Date()));
    expect(claims.changes).toEqual([
      {
        type: "add_variant",
        variantID: Number(coaster.variantShopifyId),
        quantity: 1,
        discount: { value: 10, valueType: "percentage", title: "10% off, added after checkout" },
      },
    ]);
  });

  it("gives each purchase's changeset token its own jti, and a retried tap the same token, so Shopify adds the item once", async () => {
    const tokens: string[] = [];
    for (const reference of ["ref-jti-1", "ref-jti-2"]) {
      const purchase = purchaseOf(reference);
      const token = postPurchaseToken(shopId, purchase);
      const offer = await shownOffer(token, reference, purchase);
      const body = { referenceId: reference, variantId: offer.variantId, price: offer.price, initialPurchase: purchase };
      const first = ((await (await sign(token, body)).json()) as { token: string }).token;
      const retried = ((await (await sign(token, body)).json()) as { token: string }).token;
      expect(retried).toBe(first);
      tokens.push(first);
    }
    const jtis = new Set(tokens.map((token) => verifyJwtHs256(token, { secret: DEMO_API_SECRET, now: new Date() }).jti));
    expect(jtis.size).toBe(2);
    expect(await db.postPurchaseAcceptance.count({ where: { shopId, referenceId: { in: ["ref-jti-1", "ref-jti-2"] } } })).toBe(2);
  });

  it("refuses to sign for another purchase than the token's", async () => {
    const purchase = purchaseOf("ref-mine");
    const response = await sign(postPurchaseToken(shopId, purchase), { referenceId: "ref-theirs", variantId: coaster.variantShopifyId, price: 360, initialPurchase: purchaseOf("ref-theirs") });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "reference_mismatch" });
  });

  it("refuses to sign an item that is not the offer (no discount on anything the client names), and a request that does not say the price it showed", async () => {
    const purchase = purchaseOf("ref-other-item");
    const token = postPurchaseToken(shopId, purchase);
    const offer = await shownOffer(token, "ref-other-item", purchase);
    const response = await sign(token, { referenceId: "ref-other-item", variantId: mug.variantShopifyId, price: 1080, initialPurchase: purchase });
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ error: "offer_unavailable" });
    const priceless = await sign(token, { referenceId: "ref-other-item", variantId: offer.variantId, initialPurchase: purchase });
    expect(priceless.status).toBe(400);
    expect(JSON.stringify(await priceless.json())).toContain("price");
  });

  it("signs only the product the purchase was shown, and nothing once the buyer declined it or before anything was shown", async () => {
    const shop = (await createTestShop()).id;
    const teapot = await createTestProduct(shop, { title: "Teapot", price: 3000 });
    const cup = await createTestProduct(shop, { title: "Cup", price: 500 });
    const saucer = await createTestProduct(shop, { title: "Saucer", price: 400 });
    for (let n = 1; n <= 4; n++) await createTestOrder(shop, [teapot, cup, saucer], new Date(Date.UTC(2026, 0, n)));
    const purchase = initialPurchase("ref-shown", [{ productId: teapot.shopifyId, variantId: teapot.variantShopifyId, total: "30.00" }]);
    const token = postPurchaseToken(shop, purchase);
    const body = (variantId: string, price: number) => ({ referenceId: "ref-shown", variantId, price, initialPurchase: purchase });

    const nothingShown = await sign(token, body(cup.variantShopifyId, 450));
    expect(nothingShown.status).toBe(409);
    expect(await nothingShown.json()).toMatchObject({ error: "no_offer_shown" });

    const offer = await shownOffer(token, "ref-shown", purchase);
    const other = offer.variantId === cup.variantShopifyId ? saucer : cup;
    // The other candidate at its own discounted price: an item the page never showed.
    const unshown = await sign(token, body(other.variantShopifyId, other === cup ? 450 : 360));
    expect(unshown.status).toBe(409);
    expect(await unshown.json()).toMatchObject({ error: "not_the_offer_shown" });

    await db.checkoutOutcome.create({ data: { shopId: shop, surface: "post_purchase", referenceId: "ref-shown", kind: "offer_declined" } });
    const declined = await sign(token, body(offer.variantId, offer.price));
    expect(declined.status).toBe(409);
    expect(await declined.json()).toMatchObject({ error: "offer_declined" });
    expect(await db.postPurchaseAcceptance.count({ where: { shopId: shop } })).toBe(0);
  });

  it("lets a decline and an accept sent at the same moment (two tabs) end as one answer: a signed token or a recorded decline, never both", async () => {
    for (let round = 0; round < 6; round++) {
      const reference = `ref-race-${round}`;
      const purchase = purchaseOf(reference);
      const token = postPurchaseToken(shopId, purchase);
      const offer = await shownOffer(token, reference, purchase);
      const decline = checkoutRequest("/api/post-purchase/event", token, { surface: "post_purchase", kind: "offer_declined", referenceId: reference, productId: offer.productId });
      const accept = { referenceId: reference, variantId: offer.variantId, price: offer.price, initialPurchase: purchase };
      const [signed, declined] = await Promise.all([sign(token, accept), responseOf(() => eventAction({ request: decline, params: {}, context: {} }))]);
      const outcomes = [signed.status, declined.status];
      expect(outcomes, `round ${round}`).toSatisfy(([s, d]: number[]) => (s === 200 && d === 409) || (s === 409 && d === 202));
      const signedRows = await db.postPurchaseAcceptance.count({ where: { shopId, referenceId: reference } });
      expect(signedRows).toBe(signed.status === 200 ? 1 : 0);
    }
    // One after the other: a decline after the token was handed out is refused (the token may yet
    // be applied), and a retried tap still gets its token.
    const purchase = purchaseOf("ref-after-sign");
    const token = postPurchaseToken(shopId, purchase);
    const offer = await shownOffer(token, "ref-after-sign", purchase);
    const accept = { referenceId: "ref-after-sign", variantId: offer.variantId, price: offer.price, initialPurchase: purchase };
    const first = (await (await sign(token, accept)).json()) as { token: string };
    const decline = checkoutRequest("/api/post-purchase/event", token, { surface: "post_purchase", kind: "offer_declined", referenceId: "ref-after-sign", productId: offer.productId });
    expect((await responseOf(() => eventAction({ request: decline, params: {}, context: {} }))).status).toBe(409);
    expect(await (await sign(token, accept)).json()).toEqual(first);
  });

  describe("an accept that added nothing, then a decline", () => {
    /** One checkout of the mug: its offer shown, and the page's calls. */
    async function checkout(reference: string) {
      const purchase = purchaseOf(reference);
      const token = postPurchaseToken(shopId, purchase);
      const offer = await shownOffer(token, reference, purchase);
      const report = (kind: string) => {
        const request = checkoutRequest("/api/post-purchase/event", token, { surface: "post_purchase", kind, referenceId: reference, productId: offer.productId });
        return responseOf(() => eventAction({ request, params: {}, context: {} }));
      };
      const signing = () => sign(token, { referenceId: reference, variantId: offer.variantId, price: offer.price, initialPurchase: purchase });
      const kinds = async () => (await db.widgetEvent.findMany({ where: { shopId, referenceId: reference }, orderBy: { id: "asc" } })).map((row) => row.kind);
      const outcome = async () => (await db.checkoutOutcome.findUniqueOrThrow({ where: { shopId_surface_referenceId: { shopId, surface: "post_purchase", referenceId: reference } } })).kind;
      return { report, signing, kinds, outcome };
    }

    it("GIVEN a signed changeset Shopify did not apply WHEN the page reports it and the buyer declines THEN the decline is the answer and the failure is recorded", async () => {
      const page = await checkout("ref-failed-then-declined");
      expect((await page.signing()).status).toBe(200);
      expect(await page.outcome()).toBe("offer_signed");
      const failed = await page.report("offer_accept_failed");
      expect(failed.status).toBe(202);
      expect(await failed.json()).toEqual({ recorded: 1 });
      const declined = await page.report("offer_declined");
      expect(declined.status).toBe(202);
      expect(await declined.json()).toEqual({ recorded: 1 });
      expect(await page.kinds()).toEqual(["offer_shown", "offer_accept_failed", "offer_declined"]);
      expect(await page.outcome()).toBe("offer_declined");
      // Declined: the signature is not handed out again, and an accept report is refused.
      expect(await (await page.signing()).json()).toMatchObject({ error: "offer_declined" });
      expect((await page.report("offer_accepted")).status).toBe(409);
    });

    it("GIVEN a signing the app refused (nothing signed) WHEN the page reports the failure and the buyer declines THEN the decline counts, and a signing that lands late is refused", async () => {
      const page = await checkout("ref-refused-then-declined");
      expect((await page.report("offer_accept_failed")).status).toBe(202);
      // The page gave up on a slow signing: when it lands, nothing is signed.
      const late = await page.signing();
      expect(late.status).toBe(409);
      expect(await late.json()).toMatchObject({ error: "offer_accept_failed" });
      expect((await page.report("offer_declined")).status).toBe(202);
      expect(await page.kinds()).toEqual(["offer_shown", "offer_accept_failed", "offer_declined"]);
      expect(await db.postPurchaseAcceptance.count({ where: { shopId, referenceId: "ref-refused-then-declined" } })).toBe(0);
    });

    it("GIVEN the item was added WHEN another tab reports a failure THEN the accept stands and a decline is still refused", async () => {
      const page = await checkout("ref-added-then-failed");
      expect((await page.signing()).status).toBe(200);
      expect((await page.report("offer_accepted")).status).toBe(202);
      // The other tab's tap got the same token, which Shopify applies once.
      expect((await page.report("offer_accept_failed")).status).toBe(202);
      expect(await page.outcome()).toBe("offer_accepted");
      expect((await page.report("offer_declined")).status).toBe(409);
      expect(await page.kinds()).toEqual(["offer_shown", "offer_accepted", "offer_accept_failed"]);
    });

    it("GIVEN a failure and a decline from one tab while another tab reports the item added THEN exactly one answer stands", async () => {
      for (let round = 0; round < 6; round++) {
        const page = await checkout(`ref-failed-race-${round}`);
        expect((await page.signing()).status).toBe(200);
        expect((await page.report("offer_accept_failed")).status).toBe(202);
        const kinds = round % 2 === 0 ? ["offer_accepted", "offer_declined"] : ["offer_declined", "offer_accepted"];
        const statuses = await Promise.all(kinds.map(async (kind) => (await page.report(kind)).status));
        expect(statuses.sort(), `round ${round}`).toEqual([202, 409]);
        const answers = (await page.kinds()).filter((kind) => kind === "offer_accepted" || kind === "offer_declined");
        expect(answers, `round ${round}`).toEqual([await page.outcome()]);
      }
    });

    it("shows the merchant a failed accept followed by a decline as an offer shown and not added, and an added one as added", async () => {
      const shop = (await createTestShop()).id;
      const teapot = await createTestProduct(shop, { title: "Teapot", price: 3000 });
      const cup = await createTestProduct(shop, { title: "Cup", price: 500 });
      for (let n = 1; n <= 4; n++) await createTestOrder(shop, [teapot, cup], new Date(Date.UTC(2026, 0, n)));
      const pageOf = async (reference: string) => {
        const purchase = initialPurchase(reference, [{ productId: teapot.shopifyId, variantId: teapot.variantShopifyId, total: "30.00" }]);
        const token = postPurchaseToken(shop, purchase);
        const offer = await shownOffer(token, reference, purchase);
        const report = (kind: string) =>
          responseOf(() => eventAction({ request: checkoutRequest("/api/post-purchase/event", token, { surface: "post_purchase", kind, referenceId: reference, productId: offer.productId }), params: {}, context: {} }));
        expect((await sign(token, { referenceId: reference, variantId: offer.variantId, price: offer.price, initialPurchase: purchase })).status).toBe(200);
        return report;
      };
      const failed = await pageOf("ref-dashboard-failed");
      expect((await failed("offer_accept_failed")).status).toBe(202);
      expect((await failed("offer_declined")).status).toBe(202);
      const added = await pageOf("ref-dashboard-added");
      expect((await added("offer_accepted")).status).toBe(202);
      const dashboard = await loadDashboard(shop, { days: 7 });
      expect(dashboard.placements.find((funnel) => funnel.placement === "post_purchase")).toMatchObject({ impressions: 2, addsToCart: 1, addToCartRate: 0.5 });
    });
  });

  it("GIVEN a shop learning from clicks (each draw may order the candidates otherwise) THEN every offered item signs", async () => {
    const learning = (await createTestShop()).id;
    const anchor = await createTestProduct(learning, { title: "Teapot", price: 3000 });
    const others = [];
    for (const title of ["Cup", "Saucer", "Tray", "Cosy", "Strainer"]) others.push(await createTestProduct(learning, { title, price: 500 }));
    for (let n = 0; n < others.length; n++) {
      for (let k = 0; k <= n; k++) await createTestOrder(learning, [anchor, others[n] as TestProduct], new Date(Date.UTC(2026, 0, 1 + n * 6 + k)));
    }
    const offered = new Set<string>();
    for (let i = 0; i < 25; i++) {
      const reference = `ref-learning-${i}`;
      const purchase = initialPurchase(reference, [{ productId: anchor.shopifyId, variantId: anchor.variantShopifyId, total: "30.00" }]);
      const token = postPurchaseToken(learning, purchase);
      const offer = (await (await offerFor(token, { surface: "post_purchase", referenceId: reference, initialPurchase: purchase })).json()) as { offer: { variantId: string; price: number } | null };
      if (!offer.offer) throw new Error("no offer");
      offered.add(offer.offer.variantId);
      const signed = await sign(token, { referenceId: reference, variantId: offer.offer.variantId, price: offer.offer.price, initialPurchase: purchase });
      expect(signed.status).toBe(200);
    }
    // The sampler did explore: more than one item was offered, and each one signed.
    expect(offered.size).toBeGreaterThan(1);
  });

  it("prices the offer from the catalog as it is now, and refuses to sign a price the page no longer shows", async () => {
    const purchase = purchaseOf("ref-price");
    const token = postPurchaseToken(shopId, purchase);
    const before = (await (await offerFor(token, { surface: "post_purchase", referenceId: "ref-price", initialPurchase: purchase })).json()) as { offer: { variantId: string; price: number } };
    await db.variant.updateMany({ where: { shopId, shopifyId: coaster.variantShopifyId }, data: { priceAmount: 600 } });
    try {
      const after = (await (await offerFor(token, { surface: "post_purchase", referenceId: "ref-price", initialPurchase: purchase })).json()) as { offer: { price: number } };
      // 6.00 less 10%: the price changed in the catalog is the price offered, without a rebuild.
      expect(after.offer.price).toBe(540);
      const stale = await sign(token, { referenceId: "ref-price", variantId: before.offer.variantId, price: before.offer.price, initialPurchase: purchase });
      expect(stale.status).toBe(409);
      expect(await stale.json()).toMatchObject({ error: "price_changed" });
    } finally {
      await db.variant.updateMany({ where: { shopId, shopifyId: coaster.variantShopifyId }, data: { priceAmount: 400 } });
    }
  });

  it("refuses a token that carries no readable purchase instead of trusting the body's", async () => {
    const purchase = purchaseOf("ref-unsigned");
    const token = postPurchaseToken(shopId, purchase, { claims: { input_data: { shop: { id: 1, domain: shopId } } } });
    const response = await sign(token, { referenceId: "ref-unsigned", variantId: coaster.variantShopifyId, price: 360, initialPurchase: purchase });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: "unreadable_purchase" });
  });

  it("verifies the token again: wrong secret, expiry and missing token are 401", async () => {
    const purchase = purchaseOf("ref-bad");
    const body = { referenceId: "ref-bad", variantId: coaster.variantShopifyId, price: 360, initialPurchase: purchase };
    expect(await (await sign(postPurchaseToken(shopId, purchase, { secret: "x" }), body)).json()).toMatchObject({ error: "bad_signature" });
    const expired = postPurchaseToken(shopId, purchase, { claims: { exp: seconds(new Date()) - 3600 } });
    expect((await sign(expired, body)).status).toBe(401);
    expect((await sign(null, body)).status).toBe(401);
  });

  it("answers the CORS preflight", async () => {
    const request = new Request("http://localhost/api/post-purchase/sign-changeset", { method: "OPTIONS", headers: { Origin: "https://x.shopifycdn.com" } });
    const response = await action({ request, params: {}, context: {} });
    expect(response.status).toBe(204);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
  });
});
