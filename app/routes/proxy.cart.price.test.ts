import { describe, expect, it } from "vitest";
import db from "~/db.server";
import { createOffer } from "~/models/offer.server";
import { createTestProduct } from "../../tests/factories/catalog";
import { createTestShop } from "../../tests/factories/shop";
import { appProxyRequest, responseOf } from "../../tests/support/app-proxy";
import { createOfferTestShop } from "../../tests/support/offer-test-shop";
import { action, loader, MAX_CART_BODY_BYTES } from "./proxy.cart.price";

async function post(shop: string, body: unknown, options: { secret?: string; raw?: boolean } = {}) {
  const request = appProxyRequest("/cart/price", {
    shop,
    secret: options.secret,
    init: {
      method: "POST",
      body: options.raw ? String(body) : JSON.stringify(body),
      headers: { "Content-Type": "application/json" },
    },
  });
  return responseOf(() => action({ request, params: {}, context: {} }));
}

const gbp = (amount: number, formatted: string) => ({ amount, currency: "GBP", formatted });

describe("POST /apps/upshelf/cart/price", () => {
  it("GIVEN the last write to checkout failed THEN promises no discount until one succeeds", async () => {
    const { shop, products } = await createOfferTestShop();
    const cart = { lines: [{ variant_id: products.mug.variantShopifyId, quantity: 3 }], currency: "GBP" };
    const row = await db.discountSync.create({ data: { shopId: shop.id, groupKey: "all", status: "error", lastError: "Shopify said no" } });
    const failed = await (await post(shop.id, cart)).json();
    expect(failed).toMatchObject({ discount_total: gbp(0, "£0.00"), discounts: [] });
    await db.discountSync.update({ where: { id: row.id }, data: { status: "synced", lastError: null, syncedAt: new Date() } });
    expect(await (await post(shop.id, cart)).json()).toMatchObject({ discount_total: gbp(360, "£3.60") });
  });

  it("prices quantity breaks with catalog prices and shows progress towards the spend tier", async () => {
    const { shop, products, offerIds } = await createOfferTestShop();
    // 3 mugs at £8.00: 15% off £24.00 is £3.60. £20.40 is under the £30.00 spend tier.
    const response = await post(shop.id, { lines: [{ variant_id: products.mug.variantShopifyId, quantity: 3 }], currency: "GBP" });
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    const body = await response.json();
    expect(body).toMatchObject({
      currency: "GBP",
      subtotal: gbp(2400, "£24.00"),
      discount_total: gbp(360, "£3.60"),
      total: gbp(2040, "£20.40"),
      lines: [
        {
          variant_id: products.mug.variantShopifyId,
          product_id: products.mug.shopifyId,
          quantity: 3,
          unit_price: gbp(800, "£8.00"),
          subtotal: gbp(2400, "£24.00"),
          discount: gbp(360, "£3.60"),
          total: gbp(2040, "£20.40"),
        },
      ],
      discounts: [{ offer_id: offerIds.mugBreaks, title: "Mug multibuy", type: "quantityBreaks", amount: gbp(360, "£3.60") }],
      unknown_variant_ids: [],
    });
    const progress = Object.fromEntries((body.progress as { offer_id: string }[]).map((entry) => [entry.offer_id, entry]));
    // The spend counted is after the product discount: £30.00 - £20.40 = £9.60 to go, 68% of the way.
    expect(progress[offerIds.spend]).toEqual({
      offer_id: offerIds.spend,
      title: "Spend and save",
      message: "Add £9.60 more to get 10% off",
      percent: 68,
      remaining: gbp(960, "£9.60"),
      remaining_quantity: null,
      next_saving_label: "10% off",
      achieved_saving_label: null,
      next_saving: { kind: "percentage", percent: 10 },
      achieved_saving: null,
    });
    expect(progress[offerIds.mugBreaks]).toEqual({
      offer_id: offerIds.mugBreaks,
      title: "Mug multibuy",
      message: "You're getting 15% off",
      percent: 100,
      remaining: null,
      remaining_quantity: null,
      next_saving_label: null,
      achieved_saving_label: "15% off",
      next_saving: null,
      achieved_saving: { kind: "percentage", percent: 15 },
    });
  });

  it("shows progress towards a mix-and-match set with its saving as numbers, named by the offer", async () => {
    const { shop, products } = await createOfferTestShop();
    const saved = await createOffer(shop.id, {
      type: "mixAndMatch",
      title: "Any two candles",
      status: "active",
      eligible: { productIds: [`gid://shopify/Product/${products.candle.shopifyId}`, `gid://shopify/Product/${products.deluxe.shopifyId}`] },
      setSize: 2,
      pricing: { kind: "amountOff", amount: { amount: 500, currency: "GBP" } },
    });
    if (!saved.ok) throw new Error("offer refused");
    const progressOf = async (quantity: number) => {
      const body = await (await post(shop.id, { lines: [{ variant_id: products.candle.variantShopifyId, quantity }] })).json();
      return (body.progress as { offer_id: string }[]).find((entry) => entry.offer_id === saved.offer.id);
    };
    expect(await progressOf(1)).toEqual({
      offer_id: saved.offer.id,
      title: "Any two candles",
      message: "Any two candles: add 1 more to get £5.00 off",
      percent: 50,
      remaining: null,
      remaining_quantity: 1,
      next_saving_label: "£5.00 off",
      achieved_saving_label: null,
      next_saving: { kind: "amountOff", amount: gbp(500, "£5.00") },
      achieved_saving: null,
    });
    // The set complete, the bar says nothing more of it: checkout shows what it gives.
    expect(await progressOf(2)).toMatchObject({ message: null, next_saving: null, achieved_saving: null });
  });

  it("shows progress towards buy X get Y when the cart's units are on both sides, its reward as numbers", async () => {
    const { shop, products } = await createOfferTestShop();
    const candle = `gid://shopify/Product/${products.candle.shopifyId}`;
    const saved = await createOffer(shop.id, {
      type: "buyXGetY",
      title: "Third candle on us",
      status: "active",
      buy: { items: { productIds: [candle] }, quantity: 2 },
      get: { items: { productIds: [candle] }, quantity: 1, percent: 100 },
    });
    if (!saved.ok) throw new Error("offer refused");
    const body = await (await post(shop.id, { lines: [{ variant_id: products.candle.variantShopifyId, quantity: 2 }] })).json();
    expect((body.progress as { offer_id: string }[]).find((entry) => entry.offer_id === saved.offer.id)).toEqual({
      offer_id: saved.offer.id,
      title: "Third candle on us",
      message: "Third candle on us: add 1 more to get 1 free",
      percent: 66,
      remaining: null,
      remaining_quantity: 1,
      next_saving_label: "1 free",
      achieved_saving_label: null,
      next_saving: { kind: "free", count: 1 },
      achieved_saving: null,
    });
  });

  it("combines a bundle, quantity breaks and a spend tier, merges repeated variants, lists unknown ones and promises no progress while there are any", async () => {
    const { shop, products, offerIds } = await createOfferTestShop();
    const { mug, tea, candle } = products;
    const response = await post(shop.id, {
      lines: [
        { variant_id: mug.variantShopifyId, quantity: 1 },
        { variant_id: Number(tea.variantShopifyId), quantity: 1 },
        { variant_id: candle.variantShopifyId, quantity: 2 },
        { variant_id: "987654321", quantity: 1 },
        { variant_id: mug.variantShopifyId, quantity: 1 },
      ],
    });
    expect(response.status).toBe(200);
    const body = await response.json();
    // Subtotal 2×8.00 + 4.50 + 2×12.00 = 44.50. Mugs: 10% of 16.00 = 1.60. Bundle: tea + one candle,
    // 16.50 for 14.00, so 2.50 split by price: 2.50×4.50/16.50 = 0.68, 2.50×12/16.50 = 1.81(8) → 1.82.
    // Spend tier: 44.50 - 4.10 = 40.40 is over 30.00: 10% = 4.04. Total discount 8.14; pay 36.36.
    expect(body.subtotal).toEqual(gbp(4450, "£44.50"));
    expect(body.discount_total).toEqual(gbp(814, "£8.14"));
    expect(body.total).toEqual(gbp(3636, "£36.36"));
    expect(body.lines.map((line: { variant_id: string; quantity: number; discount: { amount: number } }) => [line.variant_id, line.quantity, line.discount.amount])).toEqual([
      [mug.variantShopifyId, 2, 160],
      [tea.variantShopifyId, 1, 68],
      [candle.variantShopifyId, 2, 182],
      ["987654321", 1, 0],
    ]);
    expect(body.lines[3]).toEqual({
      variant_id: "987654321",
      product_id: null,
      quantity: 1,
      unit_price: gbp(0, "£0.00"),
      subtotal: gbp(0, "£0.00"),
      discount: gbp(0, "£0.00"),
      total: gbp(0, "£0.00"),
    });
    expect(body.unknown_variant_ids).toEqual(["987654321"]);
    const discounts = Object.fromEntries((body.discounts as { offer_id: string; amount: { amount: number } }[]).map((d) => [d.offer_id, d.amount.amount]));
    expect(discounts).toEqual({ [offerIds.mugBreaks]: 160, [offerIds.bundle]: 250, [offerIds.spend]: 404 });
    // Checkout counts the unknown line towards the tiers at a price this endpoint does not know,
    // so no progress is promised until the catalog knows it.
    expect(body.progress).toEqual([]);

    // Without it, the same cart's progress.
    const known = await post(shop.id, {
      lines: [
        { variant_id: mug.variantShopifyId, quantity: 2 },
        { variant_id: tea.variantShopifyId, quantity: 1 },
        { variant_id: candle.variantShopifyId, quantity: 2 },
      ],
    });
    const progress = ((await known.json()) as { progress: { offer_id: string }[] }).progress;
    const spend = progress.find((entry) => entry.offer_id === offerIds.spend);
    expect(spend).toMatchObject({ message: "Add £9.60 more to get 15% off", percent: 80, achieved_saving_label: "10% off", next_saving_label: "15% off" });
    const mugs = progress.find((entry) => entry.offer_id === offerIds.mugBreaks);
    expect(mugs).toMatchObject({ message: "Mug multibuy: add 1 more to get 15% off", remaining_quantity: 1, remaining: null, percent: 66 });
  });

  it("gives each tier's saving as numbers too, for the storefront to word in the buyer's language", async () => {
    const shop = await createTestShop({ currency: "GBP" });
    const mug = await createTestProduct(shop.id, { title: "Mug", price: 800, currency: "GBP" });
    const offer = async (input: Record<string, unknown>) => {
      const created = await createOffer(shop.id, { status: "active", ...input });
      if (!created.ok) throw new Error(JSON.stringify(created.issues));
      return created.offer.id;
    };
    const breaks = await offer({
      type: "quantityBreaks",
      title: "Mugs",
      eligible: { productIds: [`gid://shopify/Product/${mug.shopifyId}`] },
      tiers: [
        { minQuantity: 2, value: { kind: "amountOffEach", amount: { amount: 100, currency: "GBP" } } },
        { minQuantity: 4, value: { kind: "amountOffEach", amount: { amount: 250, currency: "GBP" } } },
      ],
    });
    const spend = await offer({
      type: "spendTiers",
      title: "Spend",
      tiers: [{ minSubtotal: { amount: 5000, currency: "GBP" }, value: { kind: "amountOff", amount: { amount: 500, currency: "GBP" } } }],
    });
    const percentSpend = await offer({
      type: "spendTiers",
      title: "Spend more",
      tiers: [{ minSubtotal: { amount: 9000, currency: "GBP" }, value: { kind: "percentage", percent: 12.5 } }],
    });
    const progressAt = async (quantity: number) => {
      const body = await (await post(shop.id, { lines: [{ variant_id: mug.variantShopifyId, quantity }] })).json();
      return Object.fromEntries((body.progress as { offer_id: string }[]).map((entry) => [entry.offer_id, entry]));
    };
    const one = await progressAt(1);
    expect(one[breaks]).toMatchObject({ next_saving: { kind: "amountOffEach", amount: gbp(100, "£1.00") }, achieved_saving: null });
    expect(one[spend]).toMatchObject({ next_saving: { kind: "amountOff", amount: gbp(500, "£5.00") } });
    expect(one[percentSpend]).toMatchObject({ next_saving: { kind: "percentage", percent: 12.5 }, next_saving_label: "12.5% off" });
    expect((await progressAt(3))[breaks]).toMatchObject({
      next_saving: { kind: "amountOffEach", amount: gbp(250, "£2.50") },
      achieved_saving: { kind: "amountOffEach", amount: gbp(100, "£1.00") },
    });
  });

  it("ignores paused, not yet started and ended offers", async () => {
    const { shop, products, offerIds } = await createOfferTestShop();
    // Two teas would get 50% (paused), 2 for 50% (starts tomorrow) or one free (ended yesterday).
    const response = await post(shop.id, { lines: [{ variant_id: products.tea.variantShopifyId, quantity: 2 }] });
    const body = await response.json();
    expect(body.discount_total.amount).toBe(0);
    expect(body.discounts).toEqual([]);
    const mentioned = JSON.stringify(body);
    for (const id of [offerIds.pausedTea, offerIds.futureTea, offerIds.endedTea]) expect(mentioned).not.toContain(id);
  });

  it("prices an empty cart at nothing and a cart of 500 unknown lines without error", async () => {
    const { shop } = await createOfferTestShop();
    const empty = await (await post(shop.id, { lines: [] })).json();
    expect(empty).toMatchObject({ subtotal: gbp(0, "£0.00"), discount_total: gbp(0, "£0.00"), lines: [], discounts: [] });
    const lines = Array.from({ length: 500 }, (_, index) => ({ variant_id: String(900_000_000 + index), quantity: 10_000 }));
    const response = await post(shop.id, { lines });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.unknown_variant_ids).toHaveLength(500);
    expect(body.total.amount).toBe(0);
  });

  it("answers 400, not 500, for a cart whose merged lines cost more than can be priced exactly", async () => {
    const shop = await createTestShop();
    const gold = await createTestProduct(shop.id, { title: "Gold bar", price: 2_000_000_000 });
    // Each line is valid alone; merged, 5,000,000 × 2,000,000,000 is past Number.MAX_SAFE_INTEGER.
    const lines = Array.from({ length: 500 }, () => ({ variant_id: gold.variantShopifyId, quantity: 10_000 }));
    const response = await post(shop.id, { lines });
    expect(response.status).toBe(400);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(await response.json()).toEqual({
      error: "invalid_cart",
      message: `This cart cannot be priced: Cart line of variant ${gold.variantShopifyId} is too large.`,
    });
  });

  it("answers 401 to an unsigned or forged request", async () => {
    const { shop, products } = await createOfferTestShop();
    const forged = await post(shop.id, { lines: [{ variant_id: products.mug.variantShopifyId, quantity: 1 }] }, { secret: "not-the-secret" });
    expect(forged.status).toBe(401);
    const unsigned = await responseOf(() =>
      action({ request: new Request("http://localhost/proxy/cart/price", { method: "POST", body: "{\"lines\":[]}" }), params: {}, context: {} }),
    );
    expect(unsigned.status).toBe(401);
    expect(JSON.stringify(await unsigned.json())).not.toContain("subtotal");
  });

  it.each([
    ["quantity 0", { variant_id: "1", quantity: 0 }, "lines.0.quantity"],
    ["a negative quantity", { variant_id: "1", quantity: -2 }, "lines.0.quantity"],
    ["a fractional quantity", { variant_id: "1", quantity: 1.5 }, "lines.0.quantity"],
    ["a quantity as text", { variant_id: "1", quantity: "2" }, "lines.0.quantity"],
    ["a quantity over 10000", { variant_id: "1", quantity: 10_001 }, "lines.0.quantity"],
    ["an infinite-looking quantity", { variant_id: "1", quantity: 1e300 }, "lines.0.quantity"],
    ["a missing quantity", { variant_id: "1" }, "lines.0.quantity"],
    ["a non-numeric variant id", { variant_id: "gid://shopify/ProductVariant/1", quantity: 1 }, "lines.0.variant_id"],
    ["a fractional variant id", { variant_id: 1.5, quantity: 1 }, "lines.0.variant_id"],
    ["a zero variant id", { variant_id: 0, quantity: 1 }, "lines.0.variant_id"],
    ["a negative variant id", { variant_id: -1, quantity: 1 }, "lines.0.variant_id"],
    ["a null variant id", { variant_id: null, quantity: 1 }, "lines.0.variant_id"],
    ["a missing variant id", { quantity: 1 }, "lines.0.variant_id"],
  ])("answers 400 naming the field for %s", async (_, line, field) => {
    const { shop } = await createOfferTestShop();
    const response = await post(shop.id, { lines: [line] });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error).toBe("invalid_request");
    expect(Object.keys(body.fields)).toEqual([field]);
    // Said in words, never zod's bare "Invalid input".
    expect(body.message).not.toContain("Invalid input");
    if (field.endsWith("variant_id")) expect(body.fields[field]).toEqual(["must be a numeric Shopify variant id"]);
  });

  it("answers 400 for a cart of more than 500 lines, a missing line list and a currency it cannot price", async () => {
    const { shop } = await createOfferTestShop();
    const tooMany = await post(shop.id, { lines: Array.from({ length: 501 }, (_, index) => ({ variant_id: String(index + 1), quantity: 1 })) });
    expect(tooMany.status).toBe(400);
    expect((await tooMany.json()).fields).toEqual({ lines: ["must have at most 500 lines"] });

    const noLines = await post(shop.id, { items: [] });
    expect(noLines.status).toBe(400);
    expect(Object.keys((await noLines.json()).fields)).toEqual(["lines"]);

    const notAList = await post(shop.id, { lines: { variant_id: "1", quantity: 1 } });
    expect(notAList.status).toBe(400);

    const euro = await post(shop.id, { lines: [], currency: "EUR" });
    expect(euro.status).toBe(400);
    expect(await euro.json()).toMatchObject({ error: "unsupported_currency", fields: { currency: ["must be GBP, the shop currency"] } });
  });

  it("answers 400 for malformed JSON and for a body over 64 KB", async () => {
    const { shop } = await createOfferTestShop();
    const malformed = await post(shop.id, "{lines: [", { raw: true });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: "invalid_json" });

    const huge = await post(shop.id, { lines: [], pad: "x".repeat(MAX_CART_BODY_BYTES) });
    expect(huge.status).toBe(400);
    expect(await huge.json()).toMatchObject({ error: "body_too_large" });

    // Just under the limit is fine (padding is ignored).
    const near = await post(shop.id, { lines: [], pad: "x".repeat(MAX_CART_BODY_BYTES - 100) });
    expect(near.status).toBe(200);
  });

  it("prices with the signing shop's catalog only", async () => {
    const { shop } = await createOfferTestShop();
    const other = await createTestShop({ currency: "GBP" });
    const foreign = await createTestProduct(other.id, { title: "Other shop's mug", price: 999, currency: "GBP" });
    const body = await (await post(shop.id, { lines: [{ variant_id: foreign.variantShopifyId, quantity: 1 }] })).json();
    expect(body.unknown_variant_ids).toEqual([foreign.variantShopifyId]);
    expect(body.subtotal.amount).toBe(0);
  });

  it("refuses GET", async () => {
    const response = await loader();
    expect(response.status).toBe(405);
  });
});
