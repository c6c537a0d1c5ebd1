import { afterEach, describe, expect, it, vi } from "vitest";
import { encodeFunctionConfiguration, scheduleBoundaryPassed } from "~/core/offers";
import db from "~/db.server";
import { listActiveOffers } from "~/models/offer.server";
import { createTestOffer, spendTiersInput } from "../../tests/factories/offers";
import { createTestShop } from "../../tests/factories/shop";
import { operationOf, startFixtureStandIn, type AdminApiStandIn, type ReceivedGraphqlRequest } from "../../tests/support/admin-api-stand-in";
import { httpAdminApi, type AdminApi } from "./admin-api.server";
import { checkoutDiscountState, syncShopDiscounts } from "./discount-sync.server";
import { followShopifyDiscount, upkeepDiscounts } from "./discount-upkeep.server";
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

const spendTiers = spendTiersInput();

/** A live shop whose one offer was written to Shopify (the stand-in) at `at`. */
async function liveShopWithDiscount(at: Date) {
  const shop = await createTestShop({ currency: "USD" });
  const offerId = await createTestOffer(shop.id, spendTiers);
  const api = await shopify({ UpshelfDiscountSyncContext: "sync-context", UpshelfDiscountCreate: "discount-create.success" });
  expect((await syncShopDiscounts(shop.id, { api, now: at })).status).toBe("synced");
  return { shop, offerId };
}

const row = (shopId: string) => db.discountSync.findFirstOrThrow({ where: { shopId } });

/** Shopify's answers to the storefront offer index write (app/services/storefront-index-sync.server.ts). */
const storefrontIndexAnswers = {
  UpshelfAppInstallation: () => ({ data: { currentAppInstallation: { id: "gid://shopify/AppInstallation/1071612" } } }),
  UpshelfStorefrontIndexSet: () => ({ data: { metafieldsSet: { metafields: [{ id: "gid://shopify/Metafield/2201" }], userErrors: [] } } }),
};

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
    const ending = await createTestOffer(shop.id, { ...spendTiers, title: "Ends at night", schedule: { endsAt: "2030-10-27T00:30:00Z" }, tiers: [{ minSubtotal: { amount: 5000, currency: "GBP" }, value: { kind: "percentage", percent: 10 } }] });
    const staying = await createTestOffer(shop.id, { ...spendTiers, tiers: [{ minSubtotal: { amount: 9000, currency: "GBP" }, value: { kind: "percentage", percent: 15 } }] });
    const written = new Date("2030-10-26T12:00:00Z");
    await syncShopDiscounts(shop.id, { now: written });
    const values = async () =>
      (await db.recordedAdminCall.findMany({ where: { shopId: shop.id, operation: { in: ["UpshelfDiscountCreate", "UpshelfDiscountUpdate"] } }, orderBy: { id: "asc" } })).map((call) => {
        const variables = JSON.parse(call.variables) as { automaticAppDiscount: { metafields?: { value: string }[] }; metafields?: { value: string }[] };
        return (variables.metafields ?? variables.automaticAppDiscount.metafields)![0]!.value;
      });
    expect((await values())[0]).toContain('"2030-10-27T01:30:00"');

    // Before the end: nothing to do (a demo shop has no discount in Shopify to check).
    expect((await upkeepDiscounts({ shopIds: [shop.id], now: new Date("2030-10-27T00:29:00Z") })).get(shop.id)).toBe("none");
    expect(await values()).toHaveLength(1);

    const afterEnd = new Date("2030-10-27T00:31:00Z");
    expect((await upkeepDiscounts({ shopIds: [shop.id], now: afterEnd })).get(shop.id)).toBe("resynced");
    const sent = await values();
    expect(sent).toHaveLength(2);
    const expected = encodeFunctionConfiguration(await listActiveOffers(shop.id), { now: afterEnd, shopCurrency: "GBP", shopTimeZone: "Europe/London" });
    expect(expected.includedOfferIds).toEqual([staying]);
    expect(expected.omitted.map((omitted) => omitted.offerId)).toContain(ending);
    expect(sent[1]).toBe(expected.value);
    expect(sent[1]).not.toContain("2030-10-27T01:30:00");
    // The storefront's offer index is written again with it.
    expect(await db.recordedAdminCall.count({ where: { shopId: shop.id, operation: "UpshelfStorefrontIndexSet" } })).toBe(1);

    // Written now: the next pass has nothing to do.
    expect((await upkeepDiscounts({ shopIds: [shop.id], now: new Date("2030-10-27T01:10:00Z") })).get(shop.id)).toBe("none");
    expect(await values()).toHaveLength(2);
  });
});

describe("discount upkeep: passes after the first", () => {
  it("finds the boundaries since the previous pass with one query for every shop, and only those", async () => {
    const shop = await createTestShop({ currency: "USD" });
    await db.shop.update({ where: { id: shop.id }, data: { isDemo: true } });
    await createTestOffer(shop.id, { ...spendTiers, schedule: { endsAt: "2030-01-01T10:00:00Z" } });
    await createTestOffer(shop.id, spendTiers);
    await syncShopDiscounts(shop.id, { now: new Date("2030-01-01T09:00:00Z") });
    const pass = (since: string, now: string) => upkeepDiscounts({ shopIds: [shop.id], boundariesSince: new Date(since), now: new Date(now) });
    // The end lies before the previous pass: that pass dealt with it, this one looks no further back.
    expect((await pass("2030-01-01T10:00:00Z", "2030-01-01T10:01:00Z")).get(shop.id)).toBe("none");
    expect((await pass("2030-01-01T09:58:00Z", "2030-01-01T09:59:00Z")).get(shop.id)).toBe("none");
    // A shop whose previous pass failed is read in full: the end it may have missed is found.
    const full = await upkeepDiscounts({ shopIds: [shop.id], boundariesSince: new Date("2030-01-01T10:00:00Z"), now: new Date("2030-01-01T10:01:00Z"), fullReadShopIds: new Set([shop.id]) });
    expect(full.get(shop.id)).toBe("resynced");
    expect(await db.recordedAdminCall.count({ where: { shopId: shop.id, operation: "UpshelfDiscountUpdate" } })).toBe(1);
    expect((await pass("2030-01-01T09:59:00Z", "2030-01-01T10:00:00Z")).get(shop.id)).toBe("none");
  });
});

describe("discount upkeep: failed writes", () => {
  it("retries a failed write once it is old enough, not before, and the storefront promises again once it succeeds", async () => {
    const shop = await createTestShop({ currency: "USD" });
    const offerId = await createTestOffer(shop.id, spendTiers);
    const failing = await shopify({ UpshelfDiscountSyncContext: "sync-context", UpshelfDiscountCreate: "discount-create.user-errors" });
    expect((await syncShopDiscounts(shop.id, { api: failing })).status).toBe("error");
    expect((await loadShopPricing(shop.id))!.offers.map((offer) => offer.id)).toEqual([]);
    const failedAt = (await row(shop.id)).updatedAt.getTime();

    const working = await shopify({ UpshelfDiscountSyncContext: "sync-context", UpshelfDiscountCreate: "discount-create.success", ...storefrontIndexAnswers });
    const apiFor = async () => working;
    expect((await upkeepDiscounts({ shopIds: [shop.id], apiFor, now: new Date(failedAt + 5 * MINUTE) })).get(shop.id)).toBe("none");
    expect(operations()).toEqual([]);

    expect((await upkeepDiscounts({ shopIds: [shop.id], apiFor, now: new Date(failedAt + 11 * MINUTE) })).get(shop.id)).toBe("retried");
    // The discount, then the storefront's offer index (boundaries may have passed while writes failed).
    expect(operations()).toEqual(["UpshelfDiscountSyncContext", "UpshelfDiscountCreate", "UpshelfAppInstallation", "UpshelfStorefrontIndexSet"]);
    expect(await row(shop.id)).toMatchObject({ status: "synced", shopifyDiscountId: DISCOUNT_ID, lastError: null });
    expect((await loadShopPricing(shop.id))!.offers.map((offer) => offer.id)).toEqual([offerId]);
  });
});

describe("discount upkeep: several app processes", () => {
  it("lets only one of two simultaneous passes retry a failed create, so the shop cannot end up with two discounts", async () => {
    const shop = await createTestShop({ currency: "USD" });
    await createTestOffer(shop.id, spendTiers);
    const failing = await shopify({ UpshelfDiscountSyncContext: "sync-context", UpshelfDiscountCreate: "discount-create.user-errors" });
    await syncShopDiscounts(shop.id, { api: failing });
    await db.discountSync.updateMany({ where: { shopId: shop.id }, data: { updatedAt: new Date(Date.now() - 20 * MINUTE) } });
    expect((await row(shop.id)).updatedAt.getTime()).toBeLessThan(Date.now() - 15 * MINUTE);

    const working = await shopify({ UpshelfDiscountSyncContext: "sync-context", UpshelfDiscountCreate: "discount-create.success" });
    const pass = () => upkeepDiscounts({ shopIds: [shop.id], apiFor: async () => working });
    const [first, second] = await Promise.all([pass(), pass()]);
    expect([first.get(shop.id), second.get(shop.id)].sort()).toEqual(["none", "retried"]);
    expect(operations().filter((operation) => operation === "UpshelfDiscountCreate")).toHaveLength(1);
    expect((await row(shop.id)).status).toBe("synced");
  });
});

describe("discount upkeep: changes made in Shopify's admin", () => {
  it("notices a deleted discount: the storefront stops promising, the upkeep leaves it deleted, a sync brings it back and says so", async () => {
    const written = new Date(Date.now() - 60 * MINUTE);
    const { shop, offerId } = await liveShopWithDiscount(written);
    expect((await loadShopPricing(shop.id))!.offers.map((offer) => offer.id)).toEqual([offerId]);

    const api = await shopify({ UpshelfDiscountState: "discount-state.missing" });
    const checkedAt = new Date(Date.now() + MINUTE);
    expect((await upkeepDiscounts({ shopIds: [shop.id], apiFor: async () => api, now: checkedAt })).get(shop.id)).toBe("marked_removed");
    expect(standIn!.requests[0]!.variables).toEqual({ id: DISCOUNT_ID });
    expect((await row(shop.id)).checkedAt?.toISOString()).toBe(checkedAt.toISOString());
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

    // Checks are rationed: a discount asked about recently is not asked about again.
    expect((await upkeepDiscounts({ shopIds: [shop.id], apiFor: async () => expired, checkEveryMs: 60 * MINUTE })).get(shop.id)).toBe("none");
    expect(operations()).toHaveLength(2);

    const active = await shopify({ UpshelfDiscountState: "discount-state.active", UpshelfDiscountSyncContext: "sync-context", UpshelfDiscountUpdate: "discount-update.success" });
    expect((await upkeepDiscounts({ shopIds: [shop.id], apiFor: async () => active })).get(shop.id)).toBe("restored");
    expect(operations()).toEqual(["UpshelfDiscountState", "UpshelfDiscountSyncContext", "UpshelfDiscountUpdate"]);
    const update = standIn!.requests[2]!.variables as { automaticAppDiscount: Record<string, unknown> };
    // The merchant switched it on with dates of their choosing: they are left as they are.
    expect(update.automaticAppDiscount).not.toHaveProperty("endsAt");
    expect(update.automaticAppDiscount).not.toHaveProperty("startsAt");
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

  it("'Restore discount' on a switched-off discount clears the dates set in Shopify's admin; if it fails, the discount still counts as switched off", async () => {
    const { shop, offerId } = await liveShopWithDiscount(new Date(Date.now() - 60 * MINUTE));
    await upkeepDiscounts({ shopIds: [shop.id], apiFor: async () => shopify({ UpshelfDiscountState: "discount-state.expired" }) });
    expect((await row(shop.id)).status).toBe("deactivated_in_shopify");

    const failing = await shopify({ UpshelfDiscountSyncContext: "sync-context", UpshelfDiscountUpdate: "discount-update.user-errors" });
    expect((await syncShopDiscounts(shop.id, { api: failing })).status).toBe("error");
    const failed = await row(shop.id);
    expect(failed.status).toBe("deactivated_in_shopify");
    expect(failed.lastError).not.toBe("");
    // The upkeep does not take a failed restore for an ordinary failed write and "fix" it without switching it on.
    const expired = await shopify({ UpshelfDiscountState: "discount-state.expired" });
    expect((await upkeepDiscounts({ shopIds: [shop.id], apiFor: async () => expired, now: new Date(Date.now() + 60 * MINUTE) })).get(shop.id)).toBe("verified");
    expect(operations()).toEqual(["UpshelfDiscountState"]);
    expect((await loadShopPricing(shop.id))!.offers).toEqual([]);

    const working = await shopify({ UpshelfDiscountSyncContext: "sync-context", UpshelfDiscountUpdate: "discount-update.success" });
    const report = await syncShopDiscounts(shop.id, { api: working });
    expect(report.warnings.join(" ")).toContain("had been switched off in Shopify's admin");
    const update = standIn!.requests[1]!.variables as { automaticAppDiscount: Record<string, unknown> };
    expect(update.automaticAppDiscount).toMatchObject({ endsAt: null });
    expect(typeof update.automaticAppDiscount.startsAt).toBe("string");
    expect((await loadShopPricing(shop.id))!.offers.map((offer) => offer.id)).toEqual([offerId]);
  });

  it("decides by what Shopify says now, not by a webhook that arrives late or out of order", async () => {
    const { shop } = await liveShopWithDiscount(new Date(Date.now() - 60 * MINUTE));
    // A late EXPIRED report while Shopify says ACTIVE: nothing changes.
    const active = await shopify({ UpshelfDiscountState: "discount-state.active" });
    expect(await followShopifyDiscount(shop.id, DISCOUNT_ID, { reported: "inactive", apiFor: async () => active })).toBe("unchanged");
    expect((await row(shop.id)).status).toBe("synced");

    // Switched off; then a late ACTIVE report (of Upshelf's own earlier write) while Shopify says EXPIRED: it stays off, nothing is written.
    const expired = await shopify({ UpshelfDiscountState: "discount-state.expired" });
    expect(await followShopifyDiscount(shop.id, DISCOUNT_ID, { reported: "inactive", apiFor: async () => expired })).toBe("marked_removed");
    expect(await followShopifyDiscount(shop.id, DISCOUNT_ID, { reported: "active", apiFor: async () => expired })).toBe("unchanged");
    expect(operations()).toEqual(["UpshelfDiscountState", "UpshelfDiscountState"]);
    expect((await row(shop.id)).status).toBe("deactivated_in_shopify");

    // Another discount of the shop: not even asked about.
    expect(await followShopifyDiscount(shop.id, "gid://shopify/DiscountCodeNode/77", { reported: "missing", apiFor: async () => expired })).toBe("ignored");
    expect(operations()).toHaveLength(2);
  });

  it("a re-sync that finds the discount gone records it as deleted instead of creating another", async () => {
    const shop = await createTestShop({ currency: "USD" });
    await createTestOffer(shop.id, { ...spendTiers, schedule: { endsAt: new Date(Date.now() + 30 * MINUTE).toISOString() } });
    await createTestOffer(shop.id, { ...spendTiers, title: "Stays" });
    const created = await shopify({ UpshelfDiscountSyncContext: "sync-context", UpshelfDiscountCreate: "discount-create.success" });
    await syncShopDiscounts(shop.id, { api: created });

    const gone = await shopify({ UpshelfDiscountSyncContext: "sync-context", UpshelfDiscountUpdate: "discount-update.missing-discount", UpshelfDiscountCreate: "discount-create.success" });
    const now = new Date(Date.now() + 31 * MINUTE);
    expect((await upkeepDiscounts({ shopIds: [shop.id], apiFor: async () => gone, now })).get(shop.id)).toBe("resynced");
    expect(operations().filter((operation) => operation?.startsWith("UpshelfDiscount"))).toEqual(["UpshelfDiscountSyncContext", "UpshelfDiscountUpdate"]);
    expect(await row(shop.id)).toMatchObject({ status: "deleted_in_shopify", shopifyDiscountId: null });
    expect((await loadShopPricing(shop.id, { now }))!.offers).toEqual([]);
  });

  it("a passing schedule that does not change checkout's configuration is re-sent once, not at every pass", async () => {
    const shop = await createTestShop({ currency: "USD" });
    await createTestOffer(shop.id, spendTiers);
    // Priced in euros in a dollar shop: never part of checkout's configuration, whatever its schedule.
    await createTestOffer(shop.id, {
      ...spendTiers,
      title: "In euros",
      schedule: { endsAt: new Date(Date.now() + 30 * MINUTE).toISOString() },
      tiers: [{ minSubtotal: { amount: 5000, currency: "EUR" }, value: { kind: "percentage", percent: 10 } }],
    });
    const api = await shopify({ UpshelfDiscountSyncContext: "sync-context", UpshelfDiscountCreate: "discount-create.success", UpshelfDiscountState: "discount-state.active" });
    await syncShopDiscounts(shop.id, { api });
    const later = (minutes: number) => new Date(Date.now() + minutes * MINUTE);
    expect((await upkeepDiscounts({ shopIds: [shop.id], apiFor: async () => api, now: later(31), checkEveryMs: 60 * MINUTE })).get(shop.id)).toBe("resynced");
    expect((await upkeepDiscounts({ shopIds: [shop.id], apiFor: async () => api, now: later(32), checkEveryMs: 60 * MINUTE })).get(shop.id)).toBe("none");
    expect(operations().filter((operation) => operation === "UpshelfDiscountSyncContext")).toHaveLength(2);
  });

  it("follows an end date the merchant set in Shopify's admin: no saving promised from then on, and the discount checked at that moment", async () => {
    const { shop, offerId } = await liveShopWithDiscount(new Date(Date.now() - 60 * MINUTE));
    const endsAt = new Date(Date.now() + 30 * MINUTE);
    const state = (status: string, end: Date | null) => () => ({
      data: { automaticDiscountNode: { id: DISCOUNT_ID, automaticDiscount: { __typename: "DiscountAutomaticApp", status, endsAt: end?.toISOString() ?? null } } },
    });
    // The merchant sets an end date: Shopify still says ACTIVE (a webhook, or the hourly check, asks).
    const ending = await shopify({ UpshelfDiscountState: state("ACTIVE", endsAt) });
    expect(await followShopifyDiscount(shop.id, DISCOUNT_ID, { reported: "active", apiFor: async () => ending })).toBe("unchanged");
    expect((await row(shop.id)).shopifyEndsAt?.toISOString()).toBe(endsAt.toISOString());
    expect((await loadShopPricing(shop.id, { now: new Date(endsAt.getTime() - MINUTE) }))!.offers.map((offer) => offer.id)).toEqual([offerId]);
    expect((await loadShopPricing(shop.id, { now: endsAt }))!.offers).toEqual([]);

    // Once it has passed the discount is checked, however recently it was checked before.
    const ended = await shopify({ UpshelfDiscountState: state("EXPIRED", endsAt) });
    const rationed = { shopIds: [shop.id], apiFor: async () => ended, checkEveryMs: 60 * MINUTE };
    expect((await upkeepDiscounts({ ...rationed, now: new Date(endsAt.getTime() - MINUTE) })).get(shop.id)).toBe("none");
    expect((await checkoutDiscountState(shop.id, endsAt)).status).toBe("deactivated_in_shopify");
    expect((await upkeepDiscounts({ ...rationed, now: new Date(endsAt.getTime() + MINUTE) })).get(shop.id)).toBe("marked_removed");
    expect((await row(shop.id)).status).toBe("deactivated_in_shopify");
    // Recorded as off, it is back on the hourly ration: the passed end date does not make every pass ask.
    expect((await upkeepDiscounts({ ...rationed, now: new Date(endsAt.getTime() + 2 * MINUTE) })).get(shop.id)).toBe("none");
    expect(operations()).toEqual(["UpshelfDiscountState"]);

    // Restored: the end date is cleared in Shopify and forgotten here.
    const restoring = await shopify({ UpshelfDiscountSyncContext: "sync-context", UpshelfDiscountUpdate: "discount-update.success" });
    await syncShopDiscounts(shop.id, { api: restoring });
    expect(await row(shop.id)).toMatchObject({ status: "synced", shopifyEndsAt: null });
    expect((await loadShopPricing(shop.id, { now: new Date(endsAt.getTime() + 2 * MINUTE) }))!.offers.map((offer) => offer.id)).toEqual([offerId]);
  });

  it("does not overwrite an end date another process stored after this one read the row", async () => {
    const { shop } = await liveShopWithDiscount(new Date(Date.now() - 60 * MINUTE));
    const staleAnswer = new Date(Date.now() + 30 * MINUTE);
    const newerAnswer = new Date(Date.now() + 90 * MINUTE);
    const api = await shopify({
      UpshelfDiscountState: () => ({
        data: { automaticDiscountNode: { id: DISCOUNT_ID, automaticDiscount: { __typename: "DiscountAutomaticApp", status: "ACTIVE", endsAt: staleAnswer.toISOString() } } },
      }),
    });
    // This process has read the row (no end date) and is asking Shopify when another process,
    // which asked later, stores its newer answer.
    const apiFor = async () => {
      await db.discountSync.updateMany({ where: { shopId: shop.id }, data: { shopifyEndsAt: newerAnswer } });
      return api;
    };
    expect(await followShopifyDiscount(shop.id, DISCOUNT_ID, { reported: "active", apiFor })).toBe("unchanged");
    expect((await row(shop.id)).shopifyEndsAt?.toISOString()).toBe(newerAnswer.toISOString());
  });
  it("asks Shopify about a discount once an hour however many app processes run the upkeep", async () => {
    const { shop } = await liveShopWithDiscount(new Date(Date.now() - 120 * MINUTE));
    const api = await shopify({ UpshelfDiscountState: "discount-state.active" });
    const hourly = { shopIds: [shop.id], apiFor: async () => api, checkEveryMs: 60 * MINUTE };
    // Two processes' passes at the same moment, both having read the row checked two hours ago.
    const [first, second] = await Promise.all([upkeepDiscounts(hourly), upkeepDiscounts(hourly)]);
    expect([first.get(shop.id), second.get(shop.id)].sort()).toEqual(["none", "verified"]);
    expect(operations()).toEqual(["UpshelfDiscountState"]);
    // Either process, later within the hour: not asked again; after it: asked again.
    expect((await upkeepDiscounts({ ...hourly, now: new Date(Date.now() + 59 * MINUTE) })).get(shop.id)).toBe("none");
    expect((await upkeepDiscounts({ ...hourly, now: new Date(Date.now() + 61 * MINUTE) })).get(shop.id)).toBe("verified");
    expect(operations()).toEqual(["UpshelfDiscountState", "UpshelfDiscountState"]);
  });
});
