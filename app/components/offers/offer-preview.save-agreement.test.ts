/**
 * The editor's preview and "Save" judge a draft alike: for each draft below, saving through the
 * real route (catalog prices from the database) is refused exactly when the preview declines to
 * price it, and the preview names every problem the refusal names.
 */
import { beforeAll, describe, expect, it } from "vitest";
import * as bundleNew from "~/routes/app.bundles.new";
import * as ladderNew from "~/routes/app.ladders.new";
import * as tierNew from "~/routes/app.tiers.new";
import db from "~/db.server";
import { searchCatalog } from "~/services/offer-admin.server";
import { createTestProduct } from "../../../tests/factories/catalog";
import { createTestShop } from "../../../tests/factories/shop";
import { adminRequest, useShopifyAdminMode } from "../../../tests/support/admin-session";
import { responseOf } from "../../../tests/support/app-proxy";
import { pickedTestProduct } from "./draft-test-support";
import { emptyDraft, type OfferDraft, type PickedItem } from "./offer-draft";
import { previewOffer } from "./offer-preview";

useShopifyAdminMode();

const routes = { bundles: bundleNew, tiers: tierNew, ladders: ladderNew };

describe("the preview prices a draft exactly when saving accepts it", () => {
  let shopId: string;
  let dear: PickedItem;
  let cheap: PickedItem;
  let small: PickedItem;
  /** Two variants, the first the dearer: as the demo picker's search hands it over. */
  let teaSet: PickedItem;

  beforeAll(async () => {
    const shop = await createTestShop({ currency: "GBP" });
    // Demo-flagged: the discount sync after a save records instead of calling Shopify.
    await db.shop.update({ where: { id: shop.id }, data: { isDemo: true } });
    dear = pickedTestProduct(await createTestProduct(shop.id, { title: "Copper kettle", price: 16_500, currency: "GBP" }), 16_500);
    cheap = pickedTestProduct(await createTestProduct(shop.id, { title: "Steel kettle", price: 12_500, currency: "GBP" }), 12_500);
    small = pickedTestProduct(await createTestProduct(shop.id, { title: "Tea towel", price: 500, currency: "GBP" }), 500);
    const set = await createTestProduct(shop.id, { title: "Tea set", price: 4_000, currency: "GBP" });
    await db.variant.create({ data: { shopId: shop.id, productId: set.id, shopifyId: `${set.shopifyId}2`, title: "Stoneware", priceAmount: 2_500, currency: "GBP" } });
    const [found] = await searchCatalog(shop.id, "Tea set", 5);
    if (!found) throw new Error("the tea set is not found");
    teaSet = found.product;
    shopId = shop.id;
  });

  const drafts: [string, keyof typeof routes, () => OfferDraft][] = [
    ["a ladder out of price order", "ladders", () => ({ ...emptyDraft("upgradeLadder"), steps: [{ item: dear, label: "" }, { item: cheap, label: "" }], incentiveKind: "percentage", incentiveValue: "100" })],
    ["a ladder in price order", "ladders", () => ({ ...emptyDraft("upgradeLadder"), steps: [{ item: cheap, label: "" }, { item: dear, label: "" }], incentiveKind: "percentage", incentiveValue: "10" })],
    ["a ladder whose incentive takes a step's price", "ladders", () => ({ ...emptyDraft("upgradeLadder"), steps: [{ item: cheap, label: "" }, { item: dear, label: "" }], incentiveKind: "amountOffEach", incentiveValue: "165.00" })],
    ["a fresh ladder", "ladders", () => emptyDraft("upgradeLadder")],
    ["a bundle priced at its items' sum", "bundles", () => ({ ...emptyDraft("fixedBundle"), items: [{ item: cheap, quantity: "1" }, { item: small, quantity: "1" }], pricingKind: "fixedPrice", pricingValue: "130.00" })],
    ["a bundle priced below its items' sum", "bundles", () => ({ ...emptyDraft("fixedBundle"), items: [{ item: cheap, quantity: "1" }, { item: small, quantity: "1" }], pricingKind: "fixedPrice", pricingValue: "120.00" })],
    ["a fresh bundle", "bundles", () => emptyDraft("fixedBundle")],
    // £40 is below the first variant's £45 sum but above the cheaper variant's £30: a buyer of that one would pay more.
    ["a bundle priced below its first variants' sum but above its cheapest", "bundles", () => ({ ...emptyDraft("fixedBundle"), items: [{ item: teaSet, quantity: "1" }, { item: small, quantity: "1" }], pricingKind: "fixedPrice", pricingValue: "40.00" })],
    ["a bundle priced below its cheapest variants' sum", "bundles", () => ({ ...emptyDraft("fixedBundle"), items: [{ item: teaSet, quantity: "1" }, { item: small, quantity: "1" }], pricingKind: "fixedPrice", pricingValue: "29.00" })],
    ["a mix and match whose amount off makes a set free", "bundles", () => ({ ...emptyDraft("mixAndMatch"), eligible: [small, cheap], setSize: "2", pricingKind: "amountOff", pricingValue: "10.00" })],
    ["a mix and match with an unreadable set size", "bundles", () => ({ ...emptyDraft("mixAndMatch"), eligible: [small, cheap], setSize: "two" })],
    ["a buy X get Y with nothing to get", "bundles", () => ({ ...emptyDraft("buyXGetY"), buyItems: [small] })],
    ["a quantity break taking an item's whole price", "tiers", () => ({ ...emptyDraft("quantityBreaks"), eligible: [small], tierKind: "amountOffEach", tiers: [{ threshold: "2", value: "5.00" }] })],
    ["quantity breaks that save less higher up", "tiers", () => ({ ...emptyDraft("quantityBreaks"), eligible: [small], tiers: [{ threshold: "2", value: "15" }, { threshold: "3", value: "10" }] })],
    ["spend tiers as a fresh form has them", "tiers", () => emptyDraft("spendTiers")],
  ];

  it.each(drafts)("%s", async (_name, family, make) => {
    const draft: OfferDraft = { ...make(), title: "Agreement test", status: "draft" };
    const preview = previewOffer(draft, "GBP", Date.now());
    const request = await adminRequest(shopId, `/app/${family}/new`, {
      method: "POST",
      body: (() => {
        const form = new FormData();
        form.set("intent", "save");
        form.set("draft", JSON.stringify(draft));
        form.set("clientToken", crypto.randomUUID());
        return form;
      })(),
    });
    const response = await responseOf(() => routes[family].action({ request, params: {}, context: {} }));
    const body = (await response.json()) as { ok: boolean; errors?: Record<string, string> };
    expect(response.status === 200, JSON.stringify(body)).toBe(preview.ok);
    if (!preview.ok) for (const message of Object.values(body.errors ?? {})) expect(preview.reason).toContain(message);
  });
});
