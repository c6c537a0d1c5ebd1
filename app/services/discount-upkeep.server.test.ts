import { afterEach, describe, expect, it, vi } from "vitest";
import { encodeFunctionConfiguration, scheduleBoundaryPassed } from "~/core/offers";
import db from "~/db.server";
import { createOffer, listActiveOffers } from "~/models/offer.server";
import { createTestShop } from "../../tests/factories/shop";
import { operationOf, startFixtureStandIn, type AdminApiStandIn, type ReceivedGraphqlRequest } from "../../tests/support/admin-api-stand-in";
import { httpAdminApi, type AdminApi } from "./admin-api.server";
import { syncShopDiscounts } from "./discount-sync.server";
import { upkeepDiscounts } from "./discount-upkeep.server";
import { loadShopPricing } from "./offer-pricing.server";

const DISCOUNT_ID = "gid://shopify/DiscountAutomaticNode/1499268718645";
const MINUTE = 60_000;

let standIn: AdminApiStandIn | null = null;
afterEach(async () => {
  await standIn?.close();
  standIn = null;
});

async function shopify(answers: Record<string, string | ((request: ReceivedGraphqlRequest) => unknown)>): Promise<AdminApi> {
  await standIn?.close();
  standIn = await startFixtureStandIn(answers);
  return httpAdminApi({ shop: "stand-in.myshopify.com", accessToken: "shpat_test", endpoint: standIn.endpoint, maxRetries: 0 });
}

const operations = () => standIn!.requests.map(operationOf);

async function saveOffer(shopId: string, input: Record<string, unknown>): Promise<string> {
  const saved = await createOffer(shopId, input);
  if (!saved.ok) throw new Error(JSON.stringify(saved.issues));
  return saved.offer.id;
}

const spendTiers = { type: "spendTiers", title: "Spend more", status: "active", tiers: [{ minSubtotal: { amount: 5000, currency: "USD" }, value: { kind: "percentage", percent: 10 } }] };

/** A live shop whose one offer was written to Shopify (the stand-in) at `at`. */
async function liveShopWithDiscount(at: Date) {
  const shop = await createTestShop({ currency: "USD" });
  const offerId = await saveOffer(shop.id, spendTiers);
  const api = await shopify({ UpshelfDiscountSyncContext: "sync-context", UpshelfDiscountCreate: "discount-create.success" });
  expect((await syncShopDiscounts(shop.id, { api, now: at })).status).toBe("synced");
  return { shop, offerId };
}

const row = (shopId: string) => db.discountSync.findFirstOrThrow({ where: { shopId } });

describe("scheduleBoundaryPassed", () => {
  const offer = (startsAt: number | null, endsAt: number | null) => ({ schedule: { startsAt, endsAt } });
  it("is true only for a start or end after `since` and at or before `now`", () => {
    expect(scheduleBoundaryPassed([offer(null, 1_000)], 500, 1_000)).toBe(true);
    expect(scheduleBoundaryPassed([offer(null, 1_000)], 1_000, 2_000)).toBe(false);
    expect(scheduleBoundaryPassed([offer(null, 1_000)], 500, 999)).toBe(false);
    expect(scheduleBoundaryPassed([offer(700, null)], 500, 800)).toBe(true);
    expect(scheduleBoundaryPassed([offer(null, null), offer(100, 200)], 500, 800)).toBe(false);
  });
});

describe("discount upkeep: offer schedules", () => {
  it("rewrites checkout's configuration once an offer ends, so the hour the clocks go back cannot bring it back", async () => {
    const shop = await createTestShop({ currency: "GBP" });
    await db.shop.update({ where: { id: shop.id }, data: { isDemo: true, timeZone: "Europe/London" } });
    // Ends at 01:30 British Summer Time on the night the clocks go back: "01:30" happens twice,
    // and checkout's clock, local time without an offset, reads the second one as before the end.
    const ending = await saveOffer(shop.id, { ...spendTiers, title: "Ends at night", schedule: { endsAt: "2025-10-26T00:30:00Z" }, tiers: [{ minSubtotal: { amount: 5000, currency: "GBP" }, value: { kind: "percentage", percent: 10 } }] });
    const staying = await saveOffer(shop.id, { ...spendTiers, tiers: [{ minSubtotal: { amount: 9000, currency: "GBP" }, value: { kind: "percentage", percent: 15 } }] });
    const written = new Date("2025-10-25T12:00:00Z");
    await syncShopDiscounts(shop.id, { now: written });
    const values = async () =>
      (await db.recordedAdminCall.findMany({ where: { shopId: shop.id, operation: { in: ["UpshelfDiscountCreate", "UpshelfDiscountUpdate"] } }, orderBy: { id: "asc" } })).map((call) => {
        const variables = JSON.parse(call.variables) as { automaticAppDiscount: { metafields?: { value: string }[] }; metafields?: { value: string }[] };
        return (variables.metafields ?? variables.automaticAppDiscount.metafields)![0]!.value;
      });
    expect((await values())[0]).toContain('"2025-10-26T01:30:00"');

    // Before the end: nothing to do (a demo shop has no discount in Shopify to check).
    expect((await upkeepDiscounts({ shopIds: [shop.id], now: new Date("2025-10-26T00:29:00Z") })).get(shop.id)).toBe("none");
    expect(await values()).toHaveLength(1);

    const afterEnd = new Date("2025-10-26T00:31:00Z");
    expect((await upkeepDiscounts({ shopIds: [shop.id], now: afterEnd })).get(shop.id)).toBe("resynced");
    const sent = await values();
    expect(sent).toHaveLength(2);
    const expected = encodeFunctionConfiguration(await listActiveOffers(shop.id), { now: afterEnd, shopCurrency: "GBP", shopTimeZone: "Europe/London" });
    expect(expected.includedOfferIds).toEqual([staying]);
    expect(expected.omitted.map((omitted) => omitted.offerId)).toContain(ending);
    expect(sent[1]).toBe(expected.value);
    expect(sent[1]).not.toContain("2025-10-26T01:30:00");
    // The storefront's offer index is written again with it.
    expect(await db.recordedAdminCall.count({ where: { shopId: shop.id, operation: "UpshelfStorefrontIndexSet" } })).toBe(1);

    // Written now: the next pass has nothing to do.
    expect((await upkeepDiscounts({ shopIds: [shop.id], now: new Date("2025-10-26T01:10:00Z") })).get(shop.id)).toBe("none");
    expect(await values()).toHaveLength(2);
  });
});

describe("discount upkeep: failed writes", () => {
  it("retries a failed write once it is old enough, not before, and the storefront promises again once it succeeds", async () => {
    const shop = await createTestShop({ currency: "USD" });
    const offerId = await saveOffer(shop.id, spendTiers);
    const failing = await shopify({ UpshelfDiscountSyncContext: "sync-context", UpshelfDiscountCreate: "discount-create.user-errors" });
    expect((await syncShopDiscounts(shop.id, { api: failing })).status).toBe("error");
    expect((await loadShopPricing(shop.id))!.offers.map((offer) => offer.id)).toEqual([]);
    const failedAt = (await row(shop.id)).updatedAt.getTime();

    const working = await shopify({ UpshelfDiscountSyncContext: "sync-context", UpshelfDiscountCreate: "discount-create.success" });
    const apiFor = async () => working;
    expect((await upkeepDiscounts({ shopIds: [shop.id], apiFor, now: new Date(failedAt + 5 * MINUTE) })).get(shop.id)).toBe("none");
    expect(operations()).toEqual([]);

    expect((await upkeepDiscounts({ shopIds: [shop.id], apiFor, now: new Date(failedAt + 11 * MINUTE) })).get(shop.id)).toBe("retried");
    expect(operations()).toEqual(["UpshelfDiscountSyncContext", "UpshelfDiscountCreate"]);
    expect(await row(shop.id)).toMatchObject({ status: "synced", shopifyDiscountId: DISCOUNT_ID, lastError: null });
    expect((await loadShopPricing(shop.id))!.offers.map((offer) => offer.id)).toEqual([offerId]);
  });
});

describe("discount upkeep: changes made in Shopify's admin", () => {
  it("notices a deleted discount: the storefront stops promising, the upkeep leaves it deleted, a sync brings it back and says so", async () => {
    const written = new Date(Date.now() - 60 * MINUTE);
    const { shop, offerId } = await liveShopWithDiscount(written);
    expect((await loadShopPricing(shop.id))!.offers.map((offer) => offer.id)).toEqual([offerId]);

    const api = await shopify({ UpshelfDiscountState: "discount-state.missing" });
    const checked: string[] = [];
    expect((await upkeepDiscounts({ shopIds: [shop.id], apiFor: async () => api, onChecked: (id) => checked.push(id) })).get(shop.id)).toBe("marked_removed");
    expect(standIn!.requests[0]!.variables).toEqual({ id: DISCOUNT_ID });
    expect(checked).toEqual([DISCOUNT_ID]);
    expect(await row(shop.id)).toMatchObject({ status: "deleted_in_shopify", shopifyDiscountId: null, configHash: null });
    expect((await row(shop.id)).lastError).toContain("deleted in Shopify's admin");
    expect((await loadShopPricing(shop.id))!.offers).toEqual([]);

    // The merchant deleted it: no pass creates it again, or even asks.
    expect((await upkeepDiscounts({ shopIds: [shop.id], apiFor: async () => api })).get(shop.id)).toBe("none");
    expect(operations()).toEqual(["UpshelfDiscountState"]);

    // A sync (the merchant saves an offer, or restores it on the Shopify data page) creates it again.
    const restoring = await shopify({ UpshelfDiscountSyncContext: "sync-context", UpshelfDiscountCreate: "discount-create.success" });
    const report = await syncShopDiscounts(shop.id, { api: restoring });
    expect(operations()).toEqual(["UpshelfDiscountSyncContext", "UpshelfDiscountCreate"]);
    expect(report.status).toBe("synced");
    expect(report.warnings.join(" ")).toContain("had been deleted in Shopify's admin");
    expect((await loadShopPricing(shop.id))!.offers.map((offer) => offer.id)).toEqual([offerId]);
  });

  it("notices a discount switched off, and gives it the current configuration when the merchant switches it on again", async () => {
    const { shop, offerId } = await liveShopWithDiscount(new Date(Date.now() - 60 * MINUTE));
    const expired = await shopify({ UpshelfDiscountState: "discount-state.expired" });
    expect((await upkeepDiscounts({ shopIds: [shop.id], apiFor: async () => expired })).get(shop.id)).toBe("marked_removed");
    expect(await row(shop.id)).toMatchObject({ status: "deactivated_in_shopify", shopifyDiscountId: DISCOUNT_ID });
    expect((await loadShopPricing(shop.id))!.offers).toEqual([]);

    // Still off: the check says so and nothing is written.
    expect((await upkeepDiscounts({ shopIds: [shop.id], apiFor: async () => expired })).get(shop.id)).toBe("verified");
    expect(operations()).toEqual(["UpshelfDiscountState", "UpshelfDiscountState"]);

    // Checks are rationed: a discount the scheduler asked about recently is not asked about again.
    expect((await upkeepDiscounts({ shopIds: [shop.id], apiFor: async () => expired, shouldCheck: () => false })).get(shop.id)).toBe("none");
    expect(operations()).toHaveLength(2);

    const active = await shopify({ UpshelfDiscountState: "discount-state.active", UpshelfDiscountSyncContext: "sync-context", UpshelfDiscountUpdate: "discount-update.success" });
    expect((await upkeepDiscounts({ shopIds: [shop.id], apiFor: async () => active })).get(shop.id)).toBe("restored");
    expect(operations()).toEqual(["UpshelfDiscountState", "UpshelfDiscountSyncContext", "UpshelfDiscountUpdate"]);
    const update = standIn!.requests[2]!.variables as { automaticAppDiscount: Record<string, unknown> };
    // Whatever dates the merchant set in Shopify's admin are cleared, so it applies from now on.
    expect(update.automaticAppDiscount).toMatchObject({ endsAt: null });
    expect(typeof update.automaticAppDiscount.startsAt).toBe("string");
    expect(await row(shop.id)).toMatchObject({ status: "synced", lastError: null });
    expect((await loadShopPricing(shop.id))!.offers.map((offer) => offer.id)).toEqual([offerId]);
  });

  it("leaves a discount that is still active alone, and concludes nothing from a failed check", async () => {
    const { shop } = await liveShopWithDiscount(new Date(Date.now() - 60 * MINUTE));
    const active = await shopify({ UpshelfDiscountState: "discount-state.active" });
    expect((await upkeepDiscounts({ shopIds: [shop.id], apiFor: async () => active })).get(shop.id)).toBe("verified");
    expect(await row(shop.id)).toMatchObject({ status: "synced", shopifyDiscountId: DISCOUNT_ID });

    const down = await shopify({});
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const actions = await upkeepDiscounts({ shopIds: [shop.id], apiFor: async () => down });
    expect(logged).toHaveBeenCalledWith(`Discount upkeep for ${shop.id} failed:`, expect.objectContaining({ status: 500 }));
    logged.mockRestore();
    expect(actions.has(shop.id)).toBe(false);
    expect(operations()).toEqual(["UpshelfDiscountState"]);
    expect(await row(shop.id)).toMatchObject({ status: "synced", shopifyDiscountId: DISCOUNT_ID });
  });
});
