import { afterEach, describe, expect, it } from "vitest";
import { mulberry32, serializeSnapshot } from "~/core/ranking";
import { DEFAULT_SHOP_SETTINGS } from "~/core/settings";
import db from "~/db.server";
import { findLatestRankingSnapshot, saveRankingSnapshot } from "~/models/ranking-snapshot.server";
import { saveShopSettings } from "~/models/shop-settings.server";
import { recordWidgetEvents, type NewWidgetEvent } from "~/models/widget-event.server";
import { createTestOrder, createTestProduct, type TestProduct } from "../../tests/factories/catalog";
import { createTestShop } from "../../tests/factories/shop";
import { findPostPurchaseOffer } from "./post-purchase/find-offer.server";
import {
  applyMerchantChanges,
  applyNewOrder,
  FEEDBACK_MAX_AGE_MS,
  FEEDBACK_MIN_REFRESH_MS,
  forgetServingModel,
  getServingModel,
  ordersSinceBuild,
  placementLimit,
  rebuildRecommendations,
  recommend,
  refreshServedProducts,
  setRebuildSliceMs,
  STALE_MODEL_AFTER_MS,
} from "./recommendations.server";

const DAY = 86_400_000;
const NOW = new Date("2026-10-30T12:00:00Z");

async function withSettings(shopId: string, recommendations: Partial<typeof DEFAULT_SHOP_SETTINGS.recommendations>) {
  await saveShopSettings(shopId, {
    ...DEFAULT_SHOP_SETTINGS,
    recommendations: {
      ...DEFAULT_SHOP_SETTINGS.recommendations,
      ...recommendations,
    },
  });
}

async function shopWith(titles: string[], productType?: (title: string) => string) {
  const shopId = (await createTestShop()).id;
  const products: TestProduct[] = [];
  for (const title of titles)
    products.push(
      await createTestProduct(shopId, {
        title,
        price: 1000,
        productType: productType?.(title),
      })
    );
  return { shopId, products };
}

const pdp = (product: TestProduct) => ({
  placement: "pdp" as const,
  productId: product.shopifyId,
});

describe("applyNewOrder", () => {
  it("GIVEN orders arriving after the build THEN the product page learns them at once, once per order id", async () => {
    const { shopId, products } = await shopWith(["Mug", "Tea", "Candle", "Spoon"]);
    const [mug, tea, candle, spoon] = products as [TestProduct, TestProduct, TestProduct, TestProduct];
    await withSettings(shopId, { learnFromFeedback: false });
    for (let n = 0; n < 3; n++) await createTestOrder(shopId, [mug, tea], new Date(NOW.getTime() - n * DAY));
    const built = await rebuildRecommendations(shopId, NOW);
    const before = recommend(built, pdp(candle), 3);
    expect(before.map((r) => r.reason.kind)).not.toContain("bought_together");

    const order = (id: string) => ({
      id,
      placedAt: NOW,
      lines: [
        { productId: candle.shopifyId, quantity: 1 },
        { productId: spoon.shopifyId, quantity: 2 },
      ],
    });
    await applyNewOrder(shopId, order("9001"));
    await applyNewOrder(shopId, order("9002"));
    await applyNewOrder(shopId, order("9002")); // a webhook delivered twice
    const model = await getServingModel(shopId, NOW);
    expect(model.snapshot.version).not.toBe(built.snapshot.version);
    expect(recommend(model, pdp(candle), 3)[0]).toMatchObject({
      productId: spoon.shopifyId,
      reason: { kind: "bought_together", orders: 2 },
    });
    expect(recommend(model, pdp(spoon), 3)[0]).toMatchObject({
      productId: candle.shopifyId,
      reason: { kind: "bought_together", orders: 2 },
    });
    // What was learned before is kept.
    expect(recommend(model, pdp(mug), 1)[0]).toMatchObject({
      productId: tea.shopifyId,
      reason: { kind: "bought_together", orders: 3 },
    });
    expect(ordersSinceBuild(shopId)).toBe(2);
  });

  it("GIVEN a model loaded from its persisted snapshot (no statistics in memory) THEN the order is counted for the scheduler's rebuild", async () => {
    const { shopId, products } = await shopWith(["Lamp", "Shade", "Bulb"]);
    const [lamp, shade, bulb] = products as [TestProduct, TestProduct, TestProduct];
    await createTestOrder(shopId, [lamp, shade], new Date(NOW.getTime() - DAY));
    await rebuildRecommendations(shopId, NOW);
    forgetServingModel(shopId);
    const loaded = await getServingModel(shopId, NOW);
    await applyNewOrder(shopId, {
      id: "77",
      placedAt: NOW,
      lines: [
        { productId: lamp.shopifyId, quantity: 1 },
        { productId: bulb.shopifyId, quantity: 1 },
      ],
    });
    expect(ordersSinceBuild(shopId)).toBe(1);
    expect((await getServingModel(shopId, NOW)).snapshot).toBe(loaded.snapshot);
  });

  it("GIVEN an order arriving while a rebuild reads the history THEN the rebuilt model still includes it", async () => {
    const { shopId, products } = await shopWith(["Pen", "Ink", "Nib"]);
    const [pen, ink, nib] = products as [TestProduct, TestProduct, TestProduct];
    await createTestOrder(shopId, [pen, ink], new Date(NOW.getTime() - DAY));
    await withSettings(shopId, { learnFromFeedback: false });
    await rebuildRecommendations(shopId, NOW);
    const rebuilding = rebuildRecommendations(shopId, NOW);
    await applyNewOrder(shopId, {
      id: "late-1",
      placedAt: NOW,
      lines: [
        { productId: nib.shopifyId, quantity: 1 },
        { productId: ink.shopifyId, quantity: 1 },
      ],
    });
    const model = await rebuilding;
    expect(recommend(model, pdp(nib), 1)[0]).toMatchObject({
      productId: ink.shopifyId,
      reason: { kind: "bought_together", orders: 1 },
    });
  });
});

describe("serving with feedback", () => {
  async function clickShop() {
    const { shopId, products } = await shopWith(["Anchor", "First", "Second", "Third", "Fourth", "Fifth"]);
    const [anchor, ...others] = products as [TestProduct, ...TestProduct[]];
    // Static order for the anchor: First (5 orders) ... Fifth (1 order).
    for (const [index, product] of others.entries()) {
      for (let n = 0; n < 5 - index; n++) await createTestOrder(shopId, [anchor, product], new Date(NOW.getTime() - n * DAY));
    }
    return { shopId, anchor, others };
  }

  function events(anchor: TestProduct, product: TestProduct, kind: NewWidgetEvent["kind"], count: number): NewWidgetEvent[] {
    return Array.from({ length: count }, () => ({
      kind,
      placement: "pdp" as const,
      anchorProductId: anchor.shopifyId,
      productId: product.shopifyId,
      offerId: null,
      propensity: 0.5,
      modelVersion: null,
    }));
  }

  it("GIVEN buyers click a lower-ranked item THEN, once the counts refresh, it is shown first with a high logged propensity", async () => {
    const { shopId, anchor, others } = await clickShop();
    const [first, , third] = others as [TestProduct, TestProduct, TestProduct];
    const model = await rebuildRecommendations(shopId, NOW);
    const fresh = recommend(model, pdp(anchor), 2, { rng: mulberry32(1) });
    expect(fresh).toHaveLength(2);
    for (const item of fresh) {
      expect(item.propensity).toBeGreaterThan(0);
      expect(item.propensity).toBeLessThan(1);
    }

    const shown = [
      ...events(anchor, first, "impression", 400),
      ...events(anchor, third, "impression", 400),
      ...events(anchor, third, "click", 120),
    ];
    await recordWidgetEvents(shopId, shown, NOW);
    await recordWidgetEvents(shopId, events(anchor, third, "add_to_cart", 20), NOW);
    // Not yet: counts are re-read at most every FEEDBACK_MIN_REFRESH_MS.
    const served = await getServingModel(shopId, new Date(Date.now() + FEEDBACK_MIN_REFRESH_MS));
    await served.feedback.refreshing;
    const learned = await getServingModel(shopId);
    expect(learned.feedback.store.size).toBeGreaterThanOrEqual(2);
    const picks = recommend(learned, pdp(anchor), 2, { rng: mulberry32(2) });
    expect(picks[0]).toMatchObject({ productId: third.shopifyId });
    expect(picks[0]!.propensity).toBeGreaterThan(0.9);

    // The same counts are loaded from the database by a fresh process.
    forgetServingModel(shopId);
    const reloaded = await getServingModel(shopId);
    expect(recommend(reloaded, pdp(anchor), 2, { rng: mulberry32(3) })[0]).toMatchObject({ productId: third.shopifyId });
  });

  it("GIVEN no feedback yet THEN the learned order mostly holds: the best co-purchase leads far more often than chance", async () => {
    const { shopId, anchor, others } = await clickShop();
    const [first] = others as [TestProduct];
    const model = await rebuildRecommendations(shopId, NOW);
    const rng = mulberry32(7);
    let firstLeads = 0;
    const draws = 300;
    for (let n = 0; n < draws; n++) {
      if (recommend(model, pdp(anchor), 2, { rng })[0]?.productId === first.shopifyId) firstLeads++;
    }
    // Five candidates: chance puts First on top in a fifth of the draws (and the core's weak
    // default prior in about 0.28); the serving prior keeps it there about twice as often as chance.
    expect(firstLeads / draws).toBeGreaterThan(0.4);
  });

  it("GIVEN learnFromFeedback is off THEN the static ranking is served with propensity 1, whatever the clicks", async () => {
    const { shopId, anchor, others } = await clickShop();
    await withSettings(shopId, { learnFromFeedback: false });
    await recordWidgetEvents(
      shopId,
      [...events(anchor, others[3]!, "impression", 100), ...events(anchor, others[3]!, "click", 80)],
      NOW
    );
    const model = await rebuildRecommendations(shopId, NOW);
    const picks = recommend(model, pdp(anchor), 3, { rng: mulberry32(4) });
    expect(picks.map((p) => p.productId)).toEqual(others.slice(0, 3).map((p) => p.shopifyId));
    expect(picks.map((p) => p.propensity)).toEqual([1, 1, 1]);
  });

  it("applies the merchant's maxPerProductType and, at build, halfLifeDays", async () => {
    const { shopId, products } = await shopWith(["Anchor", "Old Pal", "New Pal", "Cup A", "Cup B"], (title) =>
      title.startsWith("Cup") ? "Cup" : ""
    );
    const [anchor, oldPal, newPal, cupA, cupB] = products as [TestProduct, TestProduct, TestProduct, TestProduct, TestProduct];
    for (let n = 0; n < 4; n++) await createTestOrder(shopId, [anchor, oldPal], new Date(NOW.getTime() - (400 + n) * DAY));
    for (let n = 0; n < 3; n++) await createTestOrder(shopId, [anchor, newPal], new Date(NOW.getTime() - n * DAY));
    await createTestOrder(shopId, [anchor, cupA, cupB], new Date(NOW.getTime() - DAY));

    await withSettings(shopId, {
      learnFromFeedback: false,
      halfLifeDays: 3650,
      maxPerProductType: 1,
    });
    let model = await rebuildRecommendations(shopId, NOW);
    let picks = recommend(model, pdp(anchor), 4).map((p) => p.productId);
    expect(picks[0]).toBe(oldPal.shopifyId);
    expect(picks.filter((id) => id === cupA.shopifyId || id === cupB.shopifyId)).toHaveLength(1);

    await withSettings(shopId, {
      learnFromFeedback: false,
      halfLifeDays: 7,
      maxPerProductType: 2,
    });
    model = await rebuildRecommendations(shopId, NOW);
    picks = recommend(model, pdp(anchor), 4).map((p) => p.productId);
    expect(picks[0]).toBe(newPal.shopifyId);
    expect(picks).toEqual(expect.arrayContaining([cupA.shopifyId, cupB.shopifyId]));
  });
});

describe("the periodic refresh", () => {
  it("GIVEN nothing changed THEN the same model object keeps serving (its cached rankings survive); a changed setting replaces it", async () => {
    const { shopId, products } = await shopWith(["Kettle", "Filter", "Cup"]);
    await createTestOrder(shopId, products, new Date(NOW.getTime() - DAY));
    await withSettings(shopId, { maxPerProductType: 3 });
    const built = await rebuildRecommendations(shopId, NOW);
    const refreshAt = (model: typeof built) => new Date(model.feedback.refreshedAt + FEEDBACK_MAX_AGE_MS);
    const builtRefreshedAt = built.feedback.refreshedAt;

    await (await getServingModel(shopId, refreshAt(built))).feedback.refreshing;
    const unchanged = await getServingModel(shopId);
    expect(unchanged.feedback.refreshedAt).toBeGreaterThan(builtRefreshedAt);
    expect(unchanged).toBe(built);

    await withSettings(shopId, { maxPerProductType: 1 });
    await (await getServingModel(shopId, refreshAt(unchanged))).feedback.refreshing;
    const changed = await getServingModel(shopId);
    expect(changed).not.toBe(built);
    expect(changed.settings.maxPerProductType).toBe(1);
    expect(changed.rules.maxPerProductType).toBe(1);
    expect(changed.snapshot).toBe(built.snapshot);
  });
});

describe("the merchant's rules reach serving", () => {
  it("GIVEN a pin added while a rebuild runs THEN the rebuilt model serves with the pin", async () => {
    const { shopId, products } = await shopWith(["Kettle", "Filter", "Cup", "Lamp"]);
    const [kettle, filter, , lamp] = products as [TestProduct, TestProduct, TestProduct, TestProduct];
    for (let day = 1; day <= 3; day++) await createTestOrder(shopId, [kettle, filter], new Date(NOW.getTime() - day * DAY));
    const rebuilding = rebuildRecommendations(shopId, NOW);
    // What the admin does on "Pin": store the rule, apply the change.
    await db.recommendationRule.create({ data: { shopId, kind: "pin", anchorProductId: kettle.shopifyId, productId: lamp.shopifyId } });
    await applyMerchantChanges(shopId);
    const model = await rebuilding;
    expect(model.rules.pins?.byProduct?.[kettle.shopifyId]).toEqual([lamp.shopifyId]);
    expect((await getServingModel(shopId, NOW)).rules.pins?.byProduct?.[kettle.shopifyId]).toEqual([lamp.shopifyId]);
  });

  it("GIVEN a pin applied to the model in memory THEN it serves at once and new orders still teach the model", async () => {
    const { shopId, products } = await shopWith(["Kettle", "Filter", "Cup", "Lamp"]);
    const [kettle, filter, cup, lamp] = products as [TestProduct, TestProduct, TestProduct, TestProduct];
    await createTestOrder(shopId, [kettle, filter], new Date(NOW.getTime() - DAY));
    const built = await rebuildRecommendations(shopId, NOW);
    await db.recommendationRule.create({ data: { shopId, kind: "pin", anchorProductId: kettle.shopifyId, productId: lamp.shopifyId } });
    await applyMerchantChanges(shopId);
    const pinned = await getServingModel(shopId, NOW);
    expect(pinned.snapshot).toBe(built.snapshot);
    expect(recommend(pinned, pdp(kettle), 3)[0]?.productId).toBe(lamp.shopifyId);
    // The live statistics survived the change: a new order is learned at once, not only counted.
    await applyNewOrder(shopId, { id: "late-1", placedAt: NOW, lines: [{ productId: cup.shopifyId, quantity: 1 }, { productId: filter.shopifyId, quantity: 1 }] });
    expect(ordersSinceBuild(shopId)).toBe(1);
    const taught = await getServingModel(shopId, NOW);
    expect(recommend(taught, pdp(cup), 3).map((item) => item.productId)).toContain(filter.shopifyId);
    expect(recommend(taught, pdp(cup), 3).find((item) => item.productId === filter.shopifyId)?.reason.kind).toBe("bought_together");
  });

  it("GIVEN a placement turned off or limited by the merchant THEN the storefront limit follows at once", async () => {
    const { shopId, products } = await shopWith(["Kettle", "Filter", "Cup"]);
    await createTestOrder(shopId, products, new Date(NOW.getTime() - DAY));
    await rebuildRecommendations(shopId, NOW);
    await saveShopSettings(shopId, {
      ...DEFAULT_SHOP_SETTINGS,
      placements: {
        ...DEFAULT_SHOP_SETTINGS.placements,
        cart: { ...DEFAULT_SHOP_SETTINGS.placements.cart, enabled: false },
        pdp: { ...DEFAULT_SHOP_SETTINGS.placements.pdp, limit: 2 },
        post_purchase: { ...DEFAULT_SHOP_SETTINGS.placements.post_purchase, limit: 5 },
      },
    });
    await applyMerchantChanges(shopId);
    const limits = async () => {
      const model = await getServingModel(shopId, NOW);
      return [placementLimit(model.settings, "pdp"), placementLimit(model.settings, "cart"), placementLimit(model.settings, "post_purchase")];
    };
    expect(await limits()).toEqual([2, 0, 5]);

    // The storefront's order-based requests follow the post-purchase placement too, off included.
    await saveShopSettings(shopId, {
      ...DEFAULT_SHOP_SETTINGS,
      placements: { ...DEFAULT_SHOP_SETTINGS.placements, post_purchase: { ...DEFAULT_SHOP_SETTINGS.placements.post_purchase, enabled: false } },
    });
    await applyMerchantChanges(shopId);
    expect(await limits()).toEqual([DEFAULT_SHOP_SETTINGS.placements.pdp.limit, DEFAULT_SHOP_SETTINGS.placements.cart.limit, 0]);
  });

  it("GIVEN a price range saved and applied THEN the next request leaves out products priced outside it, on every placement and after checkout, but not pins", async () => {
    const shopId = (await createTestShop()).id;
    const kettle = await createTestProduct(shopId, { title: "Kettle", price: 3000 });
    const stand = await createTestProduct(shopId, { title: "Stand", price: 9000 });
    const sticker = await createTestProduct(shopId, { title: "Sticker", price: 300 });
    const filter = await createTestProduct(shopId, { title: "Filter", price: 1500 });
    const grinder = await createTestProduct(shopId, { title: "Grinder", price: 12000 });
    for (const [partner, orders] of [[stand, 4], [sticker, 3], [filter, 2]] as const) {
      for (let n = 0; n < orders; n++) await createTestOrder(shopId, [kettle, partner], new Date(NOW.getTime() - (n + 1) * DAY));
    }
    await withSettings(shopId, { learnFromFeedback: false });
    const built = await rebuildRecommendations(shopId, NOW);
    const ids = (items: { productId: string }[]) => items.map((item) => item.productId);
    expect(ids(recommend(built, pdp(kettle), 3))).toEqual([stand.shopifyId, sticker.shopifyId, filter.shopifyId]);
    const afterCheckout = async () => {
      const purchase = {
        referenceId: "range-test",
        lines: [{ productId: kettle.shopifyId, variantId: kettle.variantShopifyId, quantity: 1 }],
        subtotal: { amount: 100_000, currency: "USD" },
      };
      return (await findPostPurchaseOffer({ shopId, surface: "post_purchase", purchase, now: NOW }))?.offer.productId;
    };
    expect(await afterCheckout()).toBe(stand.shopifyId);

    // What the admin does on Save: store the settings, apply the change.
    await withSettings(shopId, { learnFromFeedback: false, priceRange: { min: 1000, max: 5000 } });
    await applyMerchantChanges(shopId);
    const ranged = await getServingModel(shopId, NOW);
    expect(ranged.snapshot).toBe(built.snapshot);
    expect(ranged.rules.priceRange).toEqual({ min: 1000, max: 5000 });
    expect(ids(recommend(ranged, pdp(kettle), 3))).toEqual([filter.shopifyId]);
    expect(ids(recommend(ranged, { placement: "cart", productIds: [kettle.shopifyId] }, 3))).toEqual([filter.shopifyId]);
    expect(ids(recommend(ranged, { placement: "post_purchase", productIds: [kettle.shopifyId] }, 3))).toEqual([filter.shopifyId]);
    expect(await afterCheckout()).toBe(filter.shopifyId);

    // A pin is the merchant's own choice: the range does not remove it.
    await db.recommendationRule.create({ data: { shopId, kind: "pin", anchorProductId: "", productId: grinder.shopifyId } });
    await applyMerchantChanges(shopId);
    expect(ids(recommend(await getServingModel(shopId, NOW), pdp(kettle), 3))).toEqual([grinder.shopifyId, filter.shopifyId]);

    // One end alone bounds only that end.
    await withSettings(shopId, { learnFromFeedback: false, priceRange: { min: null, max: 1500 } });
    await applyMerchantChanges(shopId);
    const capped = await getServingModel(shopId, NOW);
    expect(capped.rules.priceRange).toEqual({ max: 1500 });
    expect(ids(recommend(capped, pdp(kettle), 3))).toEqual([grinder.shopifyId, sticker.shopifyId, filter.shopifyId]);

    await withSettings(shopId, { learnFromFeedback: false });
    await applyMerchantChanges(shopId);
    expect((await getServingModel(shopId, NOW)).rules).not.toHaveProperty("priceRange");
  });

  it("GIVEN a rule changed by another app process (this one was not told) THEN it serves within the refresh interval", async () => {
    const { shopId, products } = await shopWith(["Kettle", "Filter", "Lamp"]);
    const [kettle, filter, lamp] = products as [TestProduct, TestProduct, TestProduct];
    await createTestOrder(shopId, [kettle, filter], new Date(NOW.getTime() - DAY));
    const built = await rebuildRecommendations(shopId, NOW);
    await db.recommendationRule.create({ data: { shopId, kind: "exclude", anchorProductId: "", productId: filter.shopifyId } });
    await (await getServingModel(shopId, new Date(built.feedback.refreshedAt + FEEDBACK_MAX_AGE_MS))).feedback.refreshing;
    const refreshed = await getServingModel(shopId);
    expect(refreshed.rules.exclusions?.global).toEqual([filter.shopifyId]);
    expect(recommend(refreshed, pdp(kettle), 3).map((item) => item.productId)).not.toContain(filter.shopifyId);
    expect(recommend(refreshed, pdp(kettle), 3).map((item) => item.productId)).toContain(lamp.shopifyId);
  });
});

describe("a model rebuilt by another app process", () => {
  it("GIVEN another process saved a newer build THEN this one serves it within the refresh interval; an older save does not replace it", async () => {
    const { shopId, products } = await shopWith(["Kettle", "Filter", "Cup"]);
    await createTestOrder(shopId, products, new Date(NOW.getTime() - DAY));
    const built = await rebuildRecommendations(shopId, NOW);
    // The scheduler's next rebuild ran in another process, which saved it (this one was not told).
    const elsewhere = { ...built.snapshot, builtAt: NOW.getTime() + DAY, version: "built-elsewhere" };
    const record = { version: elsewhere.version, builtAt: new Date(elsewhere.builtAt), orderCount: elsewhere.orderCount, productCount: elsewhere.productIds.length };
    await saveRankingSnapshot(shopId, record, [serializeSnapshot(elsewhere)]);

    await (await getServingModel(shopId, new Date(built.feedback.refreshedAt + FEEDBACK_MAX_AGE_MS))).feedback.refreshing;
    const refreshed = await getServingModel(shopId);
    expect(refreshed.snapshot.version).toBe("built-elsewhere");
    expect(refreshed.feedback).toBe(built.feedback);
    // An older save (a slower process's) does not replace it at the next refresh.
    await saveRankingSnapshot(shopId, { ...record, version: "older", builtAt: new Date(NOW.getTime() + 1_000) }, [serializeSnapshot({ ...elsewhere, version: "older", builtAt: NOW.getTime() + 1_000 })]);
    await (await getServingModel(shopId, new Date(refreshed.feedback.refreshedAt + FEEDBACK_MAX_AGE_MS))).feedback.refreshing;
    expect((await getServingModel(shopId)).snapshot.version).toBe("built-elsewhere");
    expect(ordersSinceBuild(shopId)).toBe(0);
  });
});

describe("overlapping rebuilds", () => {
  it("GIVEN two rebuilds of one shop running at once THEN the one started last is served and persisted", async () => {
    const { shopId, products } = await shopWith(["Kettle", "Filter", "Cup"]);
    await createTestOrder(shopId, products, new Date(NOW.getTime() - DAY));
    const first = rebuildRecommendations(shopId, NOW);
    const second = rebuildRecommendations(shopId, new Date(NOW.getTime() + 1_000));
    const [, last] = await Promise.all([first, second]);
    expect((await getServingModel(shopId, NOW)).snapshot).toBe(last.snapshot);
    // Both may be written (the first can save before the second is installed, and on PostgreSQL
    // after the second's row); what a restart loads is the newest build, as here.
    const saved = await findLatestRankingSnapshot(shopId);
    expect(saved?.builtAt.getTime()).toBe(NOW.getTime() + 1_000);
  });
});

describe("catalog changes reach serving", () => {
  it("GIVEN a recommended product that sells out (or is unpublished) THEN it is not served from then on; restocked, it is back", async () => {
    const { shopId, products } = await shopWith(["Kettle", "Filter", "Cup"]);
    const [kettle, filter, cup] = products as [TestProduct, TestProduct, TestProduct];
    await createTestOrder(shopId, [kettle, filter, cup], new Date(NOW.getTime() - DAY));
    const built = await rebuildRecommendations(shopId, NOW);
    expect(recommend(built, pdp(kettle), 3).map((item) => item.productId)).toContain(filter.shopifyId);

    await db.variant.updateMany({ where: { shopId, shopifyId: filter.variantShopifyId }, data: { inventoryQuantity: 0 } });
    await refreshServedProducts(shopId, { variantIds: [filter.variantShopifyId] });
    const soldOut = await getServingModel(shopId, NOW);
    expect(soldOut.snapshot).toBe(built.snapshot);
    expect(recommend(soldOut, pdp(kettle), 3).map((item) => item.productId)).not.toContain(filter.shopifyId);

    await db.variant.updateMany({ where: { shopId, shopifyId: filter.variantShopifyId }, data: { inventoryQuantity: 5 } });
    await db.product.updateMany({ where: { shopId, shopifyId: cup.shopifyId }, data: { status: "draft" } });
    await refreshServedProducts(shopId, { productIds: [cup.shopifyId], variantIds: [filter.variantShopifyId] });
    const later = await getServingModel(shopId, NOW);
    const served = recommend(later, pdp(kettle), 3).map((item) => item.productId);
    expect(served).toContain(filter.shopifyId);
    expect(served).not.toContain(cup.shopifyId);

    // Nothing changed: the same model keeps serving, with its cached rankings.
    await refreshServedProducts(shopId, { productIds: [kettle.shopifyId] });
    expect(await getServingModel(shopId, NOW)).toBe(later);
  });

  it("GIVEN a product unpublished when the model was built WHEN it is published again THEN it is served at once, before any rebuild", async () => {
    const { shopId, products } = await shopWith(["Kettle", "Filter", "Cup"]);
    const [kettle, filter, cup] = products as [TestProduct, TestProduct, TestProduct];
    await createTestOrder(shopId, [kettle, filter, cup], new Date(NOW.getTime() - DAY));
    await db.product.updateMany({ where: { shopId, shopifyId: cup.shopifyId }, data: { status: "draft" } });
    const built = await rebuildRecommendations(shopId, NOW);
    expect(recommend(built, pdp(kettle), 3).map((item) => item.productId)).not.toContain(cup.shopifyId);

    await db.product.updateMany({ where: { shopId, shopifyId: cup.shopifyId }, data: { status: "active" } });
    expect(await refreshServedProducts(shopId, { productIds: [cup.shopifyId] })).toEqual({ unknownToModel: [] });
    const republished = await getServingModel(shopId, NOW);
    expect(republished.snapshot).toBe(built.snapshot);
    expect(recommend(republished, pdp(kettle), 3).map((item) => item.productId)).toContain(cup.shopifyId);
  });

  it("GIVEN a product created after the build THEN refreshing it reports it as unknown to the model, so a rebuild is asked for", async () => {
    const { shopId, products } = await shopWith(["Kettle", "Filter"]);
    await createTestOrder(shopId, products, new Date(NOW.getTime() - DAY));
    await rebuildRecommendations(shopId, NOW);
    const lamp = await createTestProduct(shopId, { title: "Lamp", price: 3000 });
    expect(await refreshServedProducts(shopId, { productIds: [lamp.shopifyId] })).toEqual({ unknownToModel: [lamp.shopifyId] });
    // Not servable (sold out): nothing to rebuild for yet.
    const stool = await createTestProduct(shopId, { title: "Stool", price: 3000, inventory: 0 });
    expect(await refreshServedProducts(shopId, { productIds: [stool.shopifyId] })).toEqual({ unknownToModel: [] });
  });
});

describe("loading a stale model", () => {
  it("GIVEN a persisted model older than a day THEN it is served at once and a rebuild job is queued", async () => {
    const { shopId, products } = await shopWith(["Kettle", "Filter"]);
    await createTestOrder(shopId, products, new Date(NOW.getTime() - DAY));
    await rebuildRecommendations(shopId, NOW);
    forgetServingModel(shopId);
    const later = new Date(NOW.getTime() + STALE_MODEL_AFTER_MS + 60_000);
    const model = await getServingModel(shopId, later);
    expect(model.snapshot.builtAt).toBe(NOW.getTime());
    const jobs = await db.job.findMany({
      where: { shopId, kind: "rebuild_recommendations" },
    });
    expect(jobs).toHaveLength(1);
  });
});

describe("the price range follows prices as they are now", () => {
  it("GIVEN a product's price changes after the build THEN the range judges it by the new price at once, before any rebuild", async () => {
    const { shopId, products } = await shopWith(["Kettle", "Filter", "Stand"]);
    const [kettle, filter, stand] = products as [TestProduct, TestProduct, TestProduct];
    for (let n = 0; n < 3; n++) await createTestOrder(shopId, [kettle, filter, stand], new Date(NOW.getTime() - (n + 1) * DAY));
    await withSettings(shopId, { learnFromFeedback: false, priceRange: { min: null, max: 2000 } });
    const built = await rebuildRecommendations(shopId, NOW);
    expect(recommend(built, pdp(kettle), 3).map((item) => item.productId).sort()).toEqual([filter.shopifyId, stand.shopifyId].sort());

    await db.variant.updateMany({ where: { shopId, shopifyId: stand.variantShopifyId }, data: { priceAmount: 9000 } });
    await refreshServedProducts(shopId, { variantIds: [stand.variantShopifyId] });
    const repriced = await getServingModel(shopId, NOW);
    expect(repriced.snapshot).toBe(built.snapshot);
    expect(recommend(repriced, pdp(kettle), 3).map((item) => item.productId)).toEqual([filter.shopifyId]);
  });
});

describe("the diversity rule follows product types as they are now", () => {
  it("GIVEN products retyped after the build (products/update) THEN the rule counts them by their new types at once, before any rebuild", async () => {
    const types: Record<string, string> = { Anchor: "Base", "Mug One": "Mug", "Mug Two": "Mug", Coaster: "Coaster" };
    const { shopId, products } = await shopWith(Object.keys(types), (title) => types[title] ?? "");
    const [anchor, mugOne, mugTwo, coaster] = products as [TestProduct, TestProduct, TestProduct, TestProduct];
    for (let n = 0; n < 5; n++) await createTestOrder(shopId, [anchor, mugOne, mugTwo], new Date(NOW.getTime() - (n + 1) * DAY));
    for (let n = 0; n < 2; n++) await createTestOrder(shopId, [anchor, coaster], new Date(NOW.getTime() - (n + 10) * DAY));
    await withSettings(shopId, { learnFromFeedback: false, maxPerProductType: 1 });
    const built = await rebuildRecommendations(shopId, NOW);
    const served = (model: typeof built) => recommend(model, pdp(anchor), 5).map((item) => item.productId);
    const before = served(built);
    expect(before.filter((id) => id === mugOne.shopifyId || id === mugTwo.shopifyId)).toHaveLength(1);
    expect(before).toContain(coaster.shopifyId);

    // Mug Two is now a saucer and the coaster a mug: the two mugs bought together are no longer one type.
    await db.product.updateMany({ where: { shopId, shopifyId: mugTwo.shopifyId }, data: { productType: "Saucer" } });
    await db.product.updateMany({ where: { shopId, shopifyId: coaster.shopifyId }, data: { productType: "Mug" } });
    await refreshServedProducts(shopId, { productIds: [mugTwo.shopifyId, coaster.shopifyId] });
    const retyped = await getServingModel(shopId, NOW);
    expect(retyped.snapshot).toBe(built.snapshot);
    const after = served(retyped);
    expect(after).toEqual(expect.arrayContaining([mugOne.shopifyId, mugTwo.shopifyId]));
    // The coaster, a mug now, is held back by Mug One.
    expect(after).not.toContain(coaster.shopifyId);
  });
});

describe("reasons name products as they are now", () => {
  it("GIVEN the page's product is renamed after the build THEN 'Similar to' names it by its new title at once", async () => {
    const { shopId, products } = await shopWith(["Blue enamel mug", "Green enamel mug", "Brass candle"]);
    const [blue, green] = products as [TestProduct, TestProduct];
    await withSettings(shopId, { learnFromFeedback: false });
    const built = await rebuildRecommendations(shopId, NOW);
    expect(recommend(built, pdp(blue), 3).find((item) => item.productId === green.shopifyId)?.reasonText).toBe("Similar to Blue enamel mug");

    await db.product.updateMany({ where: { shopId, shopifyId: blue.shopifyId }, data: { title: "Cobalt enamel mug" } });
    await refreshServedProducts(shopId, { productIds: [blue.shopifyId] });
    const renamed = recommend(await getServingModel(shopId, NOW), pdp(blue), 3).find((item) => item.productId === green.shopifyId);
    expect(renamed?.reasonText).toBe("Similar to Cobalt enamel mug");
    expect(renamed?.reason).toMatchObject({ kind: "similar", toProductId: blue.shopifyId, toTitle: "Cobalt enamel mug" });
  });
});

describe("a rebuild shares the process with the storefront", () => {
  afterEach(() => setRebuildSliceMs(undefined));

  /** Counts event-loop turns until stopped: how often work queued behind the rebuild got to run. */
  function countTurns() {
    let turns = 0;
    let running = true;
    const turn = () => {
      if (!running) return;
      turns += 1;
      setImmediate(turn);
    };
    setImmediate(turn);
    return () => {
      running = false;
      return turns;
    };
  }

  it("GIVEN a rebuild THEN queued work runs between its pieces, and the model is the one built without pauses", async () => {
    const { shopId, products } = await shopWith(["Kettle", "Filter", "Cup", "Tea", "Spoon", "Tray"]);
    await withSettings(shopId, { learnFromFeedback: false });
    const orders = 60;
    for (let n = 0; n < orders; n++) {
      await createTestOrder(shopId, [products[n % 6], products[(n + 1) % 6], products[(n + 3) % 6]] as TestProduct[], new Date(NOW.getTime() - n * 3_600_000));
    }
    const atOnce = await rebuildRecommendations(shopId, NOW);

    setRebuildSliceMs(0);
    const stop = countTurns();
    const sliced = await rebuildRecommendations(shopId, NOW);
    // At least one turn per order added and per piece of the build; unsliced, the rebuild let
    // queued work run only while it waited for the database.
    expect(stop()).toBeGreaterThan(orders);
    expect(sliced.snapshot.version).toBe(atOnce.snapshot.version);
    expect(recommend(sliced, pdp(products[0] as TestProduct), 3)).toEqual(recommend(atOnce, pdp(products[0] as TestProduct), 3));
  });

  it("GIVEN a product sells out while a rebuild runs THEN the rebuilt model does not bring it back", async () => {
    const { shopId, products } = await shopWith(["Kettle", "Filter", "Cup"]);
    const [kettle, filter, cup] = products as [TestProduct, TestProduct, TestProduct];
    for (let n = 0; n < 40; n++) await createTestOrder(shopId, [kettle, filter, cup], new Date(NOW.getTime() - n * 3_600_000));
    await rebuildRecommendations(shopId, NOW);

    setRebuildSliceMs(0);
    const rebuilding = rebuildRecommendations(shopId, NOW);
    // Let the rebuild read the catalog and get into the orders, then sell the filter out (the
    // inventory webhook's two steps: the database, then the models in memory).
    for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve));
    await db.variant.updateMany({ where: { shopId, shopifyId: filter.variantShopifyId }, data: { inventoryQuantity: 0 } });
    await refreshServedProducts(shopId, { variantIds: [filter.variantShopifyId] });
    const rebuilt = await rebuilding;

    expect(rebuilt.cards.get(filter.shopifyId)?.available).toBe(false);
    const served = recommend(rebuilt, pdp(kettle), 3).map((item) => item.productId);
    expect(served).toContain(cup.shopifyId);
    expect(served).not.toContain(filter.shopifyId);
  });
});
