import { beforeAll, describe, expect, it } from "vitest";
import db from "~/db.server";
import { checkoutRequest, initialPurchase, postPurchaseToken, thankYouSessionToken } from "~/services/post-purchase/test-support";
import { createTestShop } from "../../tests/factories/shop";
import { responseOf } from "../../tests/support/app-proxy";
import { action } from "./api.post-purchase.event";

async function report(token: string | null, body: unknown) {
  const request = checkoutRequest("/api/post-purchase/event", token, body);
  return responseOf(() => action({ request, params: {}, context: {} }));
}

describe("POST /api/post-purchase/event", () => {
  let shopId: string;
  const purchase = initialPurchase("ref-ev", []);
  beforeAll(async () => {
    shopId = (await createTestShop()).id;
  });

  it("records accepted and declined post-purchase offers for the token's shop", async () => {
    const token = postPurchaseToken(shopId, purchase);
    expect((await report(token, { surface: "post_purchase", kind: "offer_accepted", referenceId: "ref-ev", productId: "501" })).status).toBe(202);
    expect((await report(token, { surface: "post_purchase", kind: "offer_declined", referenceId: "ref-ev", productId: "502" })).status).toBe(202);
    const rows = await db.widgetEvent.findMany({ where: { shopId }, orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.kind, r.placement, r.productId])).toEqual([
      ["offer_accepted", "post_purchase", "501"],
      ["offer_declined", "post_purchase", "502"],
    ]);
  });

  it("records a thank-you click with the session token", async () => {
    const response = await report(thankYouSessionToken(shopId), { surface: "thank_you", kind: "click", referenceId: "gid://shopify/OrderIdentity/1", productId: "601" });
    expect(response.status).toBe(202);
    expect(await db.widgetEvent.count({ where: { shopId, kind: "click", placement: "thank_you", productId: "601" } })).toBe(1);
  });

  it("counts each kind once per checkout, however often the extension reports it", async () => {
    const shop = (await createTestShop()).id;
    const token = postPurchaseToken(shop, initialPurchase("ref-twice", []));
    const accept = { surface: "post_purchase", kind: "offer_accepted", referenceId: "ref-twice", productId: "501" };
    const answers = await Promise.all([report(token, accept), report(token, accept), report(token, accept)]);
    expect(answers.map((answer) => answer.status)).toEqual([202, 202, 202]);
    expect((await Promise.all(answers.map((answer) => answer.json()))).map((body) => body.recorded).sort()).toEqual([0, 0, 1]);
    expect(await db.widgetEvent.count({ where: { shopId: shop, kind: "offer_accepted" } })).toBe(1);
    // Another checkout, or another kind for this one, still counts.
    const other = postPurchaseToken(shop, initialPurchase("ref-other-checkout", []));
    expect(await (await report(other, { ...accept, referenceId: "ref-other-checkout" })).json()).toEqual({ recorded: 1 });
    expect(await (await report(token, { ...accept, kind: "offer_declined" })).json()).toEqual({ recorded: 1 });
    expect(await db.widgetEvent.count({ where: { shopId: shop } })).toBe(3);
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
