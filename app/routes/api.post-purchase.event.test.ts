import { beforeAll, describe, expect, it } from "vitest";
import db from "~/db.server";
import { recordOfferShown } from "~/models/widget-event.server";
import { checkoutRequest, initialPurchase, postPurchaseToken, thankYouSessionToken } from "~/services/post-purchase/test-support";
import { createTestShop } from "../../tests/factories/shop";
import { responseOf } from "../../tests/support/app-proxy";
import { action } from "./api.post-purchase.event";

async function report(token: string | null, body: unknown) {
  const request = checkoutRequest("/api/post-purchase/event", token, body);
  return responseOf(() => action({ request, params: {}, context: {} }));
}

/** What the offer endpoint records when it answers a checkout with an offer. */
function shown(shopId: string, placement: "post_purchase" | "thank_you", referenceId: string, productId: string) {
  return recordOfferShown(shopId, { kind: "offer_shown", placement, anchorProductId: null, productId, offerId: null, propensity: null, modelVersion: null, referenceId }, new Date());
}

describe("POST /api/post-purchase/event", () => {
  let shopId: string;
  const purchase = initialPurchase("ref-ev", []);
  beforeAll(async () => {
    shopId = (await createTestShop()).id;
  });

  it("records an accepted or a declined post-purchase offer for the token's shop, never both for one checkout", async () => {
    await shown(shopId, "post_purchase", "ref-ev", "501");
    const token = postPurchaseToken(shopId, purchase);
    expect((await report(token, { surface: "post_purchase", kind: "offer_accepted", referenceId: "ref-ev", productId: "501" })).status).toBe(202);
    const conflicting = await report(token, { surface: "post_purchase", kind: "offer_declined", referenceId: "ref-ev", productId: "501" });
    expect(conflicting.status).toBe(409);
    expect(await conflicting.json()).toMatchObject({ error: "outcome_already_reported", message: expect.stringContaining("offer_accepted") });
    const declinedPurchase = initialPurchase("ref-declined", []);
    await shown(shopId, "post_purchase", "ref-declined", "501");
    const declining = postPurchaseToken(shopId, declinedPurchase);
    expect((await report(declining, { surface: "post_purchase", kind: "offer_declined", referenceId: "ref-declined", productId: "501" })).status).toBe(202);
    expect((await report(declining, { surface: "post_purchase", kind: "offer_accepted", referenceId: "ref-declined", productId: "501" })).status).toBe(409);
    const rows = await db.widgetEvent.findMany({ where: { shopId }, orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.kind, r.placement, r.productId, r.referenceId])).toEqual([
      ["offer_shown", "post_purchase", "501", "ref-ev"],
      ["offer_accepted", "post_purchase", "501", "ref-ev"],
      ["offer_shown", "post_purchase", "501", "ref-declined"],
      ["offer_declined", "post_purchase", "501", "ref-declined"],
    ]);
  });

  it("GIVEN accepted and declined reported at the same moment THEN exactly one stands", async () => {
    for (let round = 0; round < 6; round++) {
      const reference = `ref-race-${round}`;
      await shown(shopId, "post_purchase", reference, "501");
      const token = postPurchaseToken(shopId, initialPurchase(reference, []));
      const kinds = round % 2 === 0 ? ["offer_accepted", "offer_declined"] : ["offer_declined", "offer_accepted"];
      const statuses = await Promise.all(kinds.map(async (kind) => (await report(token, { surface: "post_purchase", kind, referenceId: reference, productId: "501" })).status));
      expect(statuses.sort(), `round ${round}`).toEqual([202, 409]);
      const outcomes = await db.widgetEvent.count({ where: { shopId, referenceId: reference, kind: { in: ["offer_accepted", "offer_declined"] } } });
      expect(outcomes, `round ${round}`).toBe(1);
    }
  });

  it("counts only the product the checkout was last offered on that surface, and nothing for a checkout offered nothing", async () => {
    const shop = (await createTestShop()).id;
    const token = postPurchaseToken(shop, initialPurchase("ref-offered", []));
    const accept = { surface: "post_purchase", kind: "offer_accepted", referenceId: "ref-offered", productId: "501" };
    const nothingShown = await report(token, accept);
    expect(nothingShown.status).toBe(409);
    expect(await nothingShown.json()).toMatchObject({ error: "no_offer_shown" });
    await shown(shop, "post_purchase", "ref-offered", "501");
    // A product shown on the thank-you page is not one the post-purchase page offered.
    await shown(shop, "thank_you", "ref-offered", "777");
    const other = await report(token, { ...accept, productId: "777" });
    expect(other.status).toBe(409);
    expect(await other.json()).toMatchObject({ error: "not_the_offer_shown", message: expect.stringContaining("501") });
    // A reload that drew another product: the buyer now answers that one.
    await shown(shop, "post_purchase", "ref-offered", "502");
    expect((await report(token, accept)).status).toBe(409);
    expect(await (await report(token, { ...accept, productId: "502" })).json()).toEqual({ recorded: 1 });
    expect(await db.widgetEvent.count({ where: { shopId: shop, kind: "offer_shown" } })).toBe(2);
    expect(await db.widgetEvent.findMany({ where: { shopId: shop, kind: "offer_accepted" }, select: { productId: true } })).toEqual([{ productId: "502" }]);
  });

  it("records a thank-you click with the session token", async () => {
    await shown(shopId, "thank_you", "gid://shopify/OrderIdentity/1", "601");
    const response = await report(thankYouSessionToken(shopId), { surface: "thank_you", kind: "click", referenceId: "gid://shopify/OrderIdentity/1", productId: "601" });
    expect(response.status).toBe(202);
    expect(await db.widgetEvent.count({ where: { shopId, kind: "click", placement: "thank_you", productId: "601" } })).toBe(1);
  });

  it("counts each kind once per checkout, however often the extension reports it", async () => {
    const shop = (await createTestShop()).id;
    await shown(shop, "post_purchase", "ref-twice", "501");
    await shown(shop, "post_purchase", "ref-other-checkout", "501");
    const token = postPurchaseToken(shop, initialPurchase("ref-twice", []));
    const accept = { surface: "post_purchase", kind: "offer_accepted", referenceId: "ref-twice", productId: "501" };
    const answers = await Promise.all([report(token, accept), report(token, accept), report(token, accept)]);
    expect(answers.map((answer) => answer.status)).toEqual([202, 202, 202]);
    expect((await Promise.all(answers.map((answer) => answer.json()))).map((body) => body.recorded).sort()).toEqual([0, 0, 1]);
    expect(await db.widgetEvent.count({ where: { shopId: shop, kind: "offer_accepted" } })).toBe(1);
    // Another checkout still counts.
    const other = postPurchaseToken(shop, initialPurchase("ref-other-checkout", []));
    expect(await (await report(other, { ...accept, referenceId: "ref-other-checkout" })).json()).toEqual({ recorded: 1 });
    expect(await db.widgetEvent.count({ where: { shopId: shop, kind: { not: "offer_shown" } } })).toBe(2);
  });

  it("refuses kinds a surface cannot know, other purchases and bad tokens, storing nothing", async () => {
    const before = await db.widgetEvent.count({ where: { shopId } });
    const token = postPurchaseToken(shopId, purchase);
    const wrongKind = await report(token, { surface: "post_purchase", kind: "click", referenceId: "ref-ev", productId: "1" });
    expect(wrongKind.status).toBe(400);
    expect(await wrongKind.json()).toMatchObject({ error: "invalid_request", fields: { kind: [expect.any(String)] } });
    expect(await (await report(token, { surface: "post_purchase", kind: "offer_declined", referenceId: "ref-other", productId: "1" })).json()).toMatchObject({ error: "reference_mismatch" });
    expect((await report(postPurchaseToken(shopId, purchase, { secret: "x" }), { surface: "post_purchase", kind: "offer_declined", referenceId: "ref-ev", productId: "1" })).status).toBe(401);
    expect(await db.widgetEvent.count({ where: { shopId } })).toBe(before);
  });
});
