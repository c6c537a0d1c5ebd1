import { afterEach, describe, expect, it, vi } from "vitest";
import { encodeFunctionConfiguration } from "~/core/offers";
import db from "~/db.server";
import { createOffer, listActiveOffers, setOfferStatus, updateOffer } from "~/models/offer.server";
import { createTestOffer } from "../../tests/factories/offers";
import { createTestShop } from "../../tests/factories/shop";
import {
  adminApiFixture as fixture,
  operationOf,
  startAdminApiStandIn,
  startFixtureStandIn,
  type AdminApiStandIn,
  type ReceivedGraphqlRequest,
} from "../../tests/support/admin-api-stand-in";
import { httpAdminApi } from "./admin-api.server";
import { loadShopPricing } from "./offer-pricing.server";
import { ALL_OFFERS_GROUP, FUNCTION_ID_ENV, RECORDED_DISCOUNT_ID, syncShopDiscounts } from "./discount-sync.server";


const NOW = new Date("2025-06-01T12:00:00Z");
const LATER = new Date("2025-06-02T09:30:00Z");
const FUNCTION_ID = "7a1c2e3f-4b5d-4e6f-8a9b-0c1d2e3f4a5b";
const DISCOUNT_ID = "gid://shopify/DiscountAutomaticNode/1499268718645";
const both = { productDiscounts: true, orderDiscounts: true, shippingDiscounts: false };


let standIn: AdminApiStandIn | null = null;
afterEach(async () => {
  await standIn?.close();
  standIn = null;
});

/** A stand-in answering each operation with the named fixture (or a function of the request). */
async function shopify(answers: Record<string, string | ((request: ReceivedGraphqlRequest) => unknown)>) {
  standIn = await startFixtureStandIn(answers);
  return httpAdminApi({ shop: "stand-in.myshopify.com", accessToken: "shpat_test", endpoint: standIn.endpoint, maxRetries: 0 });
}

async function shopWithOffers() {
  const shop = await createTestShop({ currency: "USD" });
  const save = async (input: Record<string, unknown>) => {
    const saved = await createOffer(shop.id, input);
    if (!saved.ok) throw new Error(JSON.stringify(saved.issues));
    return saved.offer.id;
  };
  const breaks = await save({
    type: "quantityBreaks",
    title: "Multibuy",
    status: "active",
    priority: 5,
    combinesWith: both,
    // Ends in summer time: checkout's clock is asked in the shop's local time (London, UTC+1).
    schedule: { endsAt: "2025-07-01T12:00:00Z" },
    eligible: { productIds: ["gid://shopify/Product/101"] },
    tiers: [{ minQuantity: 2, value: { kind: "percentage", percent: 10 } }],
  });
  const spend = await save({
    type: "spendTiers",
    title: "Spend more",
    status: "active",
    combinesWith: { ...both, shippingDiscounts: true },
    tiers: [{ minSubtotal: { amount: 5000, currency: "USD" }, value: { kind: "percentage", percent: 10 } }],
  });
  const paused = await save({
    type: "mixAndMatch",
    title: "Paused",
    status: "paused",
    eligible: { productIds: ["gid://shopify/Product/102"] },
    setSize: 2,
    pricing: { kind: "percentage", percent: 20 },
  });
  return { shop, ids: { breaks, spend, paused } };
}

async function expectedValue(shopId: string, now: Date) {
  return encodeFunctionConfiguration(await listActiveOffers(shopId), { now, shopCurrency: "USD", shopTimeZone: "Europe/London" }).value;
}

describe("syncShopDiscounts against Shopify's Admin API", () => {
  it("creates one automatic app discount carrying every live offer, with the exact variables", async () => {
    const { shop, ids } = await shopWithOffers();
    const api = await shopify({ UpshelfDiscountSyncContext: "sync-context", UpshelfDiscountCreate: "discount-create.success" });
    const report = await syncShopDiscounts(shop.id, { api, now: NOW });

    expect(standIn!.requests.map(operationOf)).toEqual(["UpshelfDiscountSyncContext", "UpshelfDiscountCreate"]);
    expect(standIn!.requests[1]!.accessToken).toBe("shpat_test");
    const value = await expectedValue(shop.id, NOW);
    expect(standIn!.requests[1]!.variables).toEqual({
      automaticAppDiscount: {
        title: "Upshelf offers",
        functionId: FUNCTION_ID,
        startsAt: "2025-06-01T12:00:00.000Z",
        combinesWith: { productDiscounts: true, orderDiscounts: true, shippingDiscounts: false },
        discountClasses: ["PRODUCT", "ORDER"],
        metafields: [{ namespace: "$app:upshelf-discount", key: "function-configuration", type: "json", value }],
      },
    });
    const document = JSON.parse(value) as { o: { i: string }[]; t0: string };
    expect(document.o.map((offer) => offer.i).sort()).toEqual([ids.breaks, ids.spend].sort());
    expect(document.t0).toBe("2025-07-01T13:00:00");

    expect(report).toMatchObject({
      shopId: shop.id,
      mode: "live",
      status: "synced",
      userErrors: [],
      errors: [],
      leftOut: [],
      groups: [{ groupKey: ALL_OFFERS_GROUP, action: "created", shopifyDiscountId: DISCOUNT_ID, status: "synced", error: null }],
    });
    expect([...report.includedOfferIds].sort()).toEqual([ids.breaks, ids.spend].sort());
    // Paused and draft offers are not even considered; nothing active was left out.
    expect(report.omitted).toEqual([]);
    const rows = await db.discountSync.findMany({ where: { shopId: shop.id } });
    expect(rows).toEqual([
      expect.objectContaining({ groupKey: ALL_OFFERS_GROUP, shopifyDiscountId: DISCOUNT_ID, status: "synced", lastError: null, syncedAt: NOW, configHash: expect.stringMatching(/^[0-9a-f]{64}$/) }),
    ]);
  });

  it("sends nothing but the context query when the configuration has not changed, and updates discount and metafield when it has", async () => {
    const { shop, ids } = await shopWithOffers();
    const api = await shopify({
      UpshelfDiscountSyncContext: "sync-context",
      UpshelfDiscountCreate: "discount-create.success",
      UpshelfDiscountUpdate: "discount-update.success",
    });
    await syncShopDiscounts(shop.id, { api, now: NOW });
    const firstHash = (await db.discountSync.findFirstOrThrow({ where: { shopId: shop.id } })).configHash;

    const again = await syncShopDiscounts(shop.id, { api, now: NOW });
    expect(again.groups).toEqual([expect.objectContaining({ action: "unchanged", shopifyDiscountId: DISCOUNT_ID, status: "synced" })]);
    expect(standIn!.requests.map(operationOf)).toEqual(["UpshelfDiscountSyncContext", "UpshelfDiscountCreate", "UpshelfDiscountSyncContext"]);

    // Spend tier no longer combines with shipping discounts; quantity break now 15%.
    const updated = await updateOffer(shop.id, ids.breaks, {
      type: "quantityBreaks",
      title: "Multibuy",
      status: "active",
      priority: 5,
      combinesWith: { productDiscounts: true, orderDiscounts: false, shippingDiscounts: false },
      eligible: { productIds: ["gid://shopify/Product/101"] },
      tiers: [{ minQuantity: 2, value: { kind: "percentage", percent: 15 } }],
    });
    expect(updated).toMatchObject({ ok: true });
    const report = await syncShopDiscounts(shop.id, { api, now: LATER });
    const update = standIn!.requests.at(-1)!;
    expect(operationOf(update)).toBe("UpshelfDiscountUpdate");
    expect(update.variables).toEqual({
      id: DISCOUNT_ID,
      automaticAppDiscount: {
        title: "Upshelf offers",
        combinesWith: { productDiscounts: true, orderDiscounts: false, shippingDiscounts: false },
        discountClasses: ["PRODUCT", "ORDER"],
      },
      metafields: [
        { ownerId: DISCOUNT_ID, namespace: "$app:upshelf-discount", key: "function-configuration", type: "json", value: await expectedValue(shop.id, LATER) },
      ],
    });
    expect(report.groups).toEqual([expect.objectContaining({ action: "updated", status: "synced" })]);
    const row = await db.discountSync.findFirstOrThrow({ where: { shopId: shop.id } });
    expect(row).toMatchObject({ shopifyDiscountId: DISCOUNT_ID, status: "synced", lastError: null, syncedAt: LATER });
    expect(row.configHash).not.toBe(firstHash);
  });

  it("reports userErrors on create without throwing, stores them, and retries on the next sync", async () => {
    const { shop } = await shopWithOffers();
    const failing = await shopify({ UpshelfDiscountSyncContext: "sync-context", UpshelfDiscountCreate: "discount-create.user-errors" });
    const report = await syncShopDiscounts(shop.id, { api: failing, now: NOW });
    expect(report.status).toBe("error");
    expect(report.userErrors).toEqual([
      { operation: "discountAutomaticAppCreate", field: ["automaticAppDiscount", "functionId"], message: "Function not found.", code: "INVALID" },
    ]);
    expect(report.errors).toEqual(["discountAutomaticAppCreate: automaticAppDiscount.functionId: Function not found."]);
    expect(await db.discountSync.findFirstOrThrow({ where: { shopId: shop.id } })).toMatchObject({
      groupKey: ALL_OFFERS_GROUP,
      shopifyDiscountId: null,
      configHash: null,
      status: "error",
      lastError: "discountAutomaticAppCreate: automaticAppDiscount.functionId: Function not found.",
      syncedAt: null,
    });
    await standIn!.close();

    const working = await shopify({ UpshelfDiscountSyncContext: "sync-context", UpshelfDiscountCreate: "discount-create.success" });
    const retried = await syncShopDiscounts(shop.id, { api: working, now: LATER });
    expect(retried.status).toBe("synced");
    expect(await db.discountSync.findFirstOrThrow({ where: { shopId: shop.id } })).toMatchObject({ shopifyDiscountId: DISCOUNT_ID, status: "synced", lastError: null });
  });

  it("reports metafieldsSet userErrors on update and re-sends the configuration next time", async () => {
    const { shop, ids } = await shopWithOffers();
    let updateAnswer = "discount-update.user-errors";
    const api = await shopify({
      UpshelfDiscountSyncContext: "sync-context",
      UpshelfDiscountCreate: "discount-create.success",
      UpshelfDiscountUpdate: () => fixture(updateAnswer),
    });
    await syncShopDiscounts(shop.id, { api, now: NOW });
    await setOfferStatus(shop.id, ids.paused, "active");
    const failed = await syncShopDiscounts(shop.id, { api, now: NOW });
    expect(failed.status).toBe("error");
    expect(failed.userErrors).toEqual([
      { operation: "metafieldsSet", field: ["metafields", "0", "value"], message: "Value is too long. Maximum size is 10000 bytes.", code: "INVALID_VALUE" },
    ]);
    expect(await db.discountSync.findFirstOrThrow({ where: { shopId: shop.id } })).toMatchObject({
      shopifyDiscountId: DISCOUNT_ID,
      configHash: null,
      status: "error",
      lastError: "metafieldsSet: metafields.0.value: Value is too long. Maximum size is 10000 bytes.",
    });

    updateAnswer = "discount-update.success";
    const retried = await syncShopDiscounts(shop.id, { api, now: NOW });
    expect(retried.groups).toEqual([expect.objectContaining({ action: "updated", status: "synced" })]);
    expect(standIn!.requests.map(operationOf).filter((name) => name === "UpshelfDiscountUpdate")).toHaveLength(2);
  });

  it("creates a new discount when the merchant deleted ours in Shopify's admin", async () => {
    const { shop, ids } = await shopWithOffers();
    const NEW_ID = "gid://shopify/DiscountAutomaticNode/1499268718999";
    let created = 0;
    const api = await shopify({
      UpshelfDiscountSyncContext: "sync-context",
      UpshelfDiscountCreate: () => {
        created += 1;
        return created === 1 ? fixture("discount-create.success") : { data: { discountAutomaticAppCreate: { automaticAppDiscount: { discountId: NEW_ID }, userErrors: [] } } };
      },
      UpshelfDiscountUpdate: "discount-update.missing-discount",
    });
    await syncShopDiscounts(shop.id, { api, now: NOW });
    await setOfferStatus(shop.id, ids.paused, "active");
    const report = await syncShopDiscounts(shop.id, { api, now: NOW });
    expect(standIn!.requests.map(operationOf).slice(2)).toEqual(["UpshelfDiscountSyncContext", "UpshelfDiscountUpdate", "UpshelfDiscountCreate"]);
    expect(report.groups).toEqual([expect.objectContaining({ action: "created", shopifyDiscountId: NEW_ID, status: "synced" })]);
    expect(await db.discountSync.findFirstOrThrow({ where: { shopId: shop.id } })).toMatchObject({ shopifyDiscountId: NEW_ID, status: "synced" });
  });

  it("deletes the discount when no live offer remains, and does nothing when there was none", async () => {
    const { shop, ids } = await shopWithOffers();
    const api = await shopify({
      UpshelfDiscountSyncContext: "sync-context",
      UpshelfDiscountCreate: "discount-create.success",
      UpshelfDiscountDelete: "discount-delete.success",
    });
    await syncShopDiscounts(shop.id, { api, now: NOW });
    await setOfferStatus(shop.id, ids.breaks, "paused");
    await setOfferStatus(shop.id, ids.spend, "draft");
    const report = await syncShopDiscounts(shop.id, { api, now: NOW });
    expect(standIn!.requests.map(operationOf)).toEqual(["UpshelfDiscountSyncContext", "UpshelfDiscountCreate", "UpshelfDiscountDelete"]);
    expect(standIn!.requests[2]!.variables).toEqual({ id: DISCOUNT_ID });
    expect(report).toMatchObject({ status: "synced", includedOfferIds: [], groups: [{ action: "deleted", shopifyDiscountId: DISCOUNT_ID, status: "synced" }] });
    expect(await db.discountSync.count({ where: { shopId: shop.id } })).toBe(0);

    const idle = await syncShopDiscounts(shop.id, { api, now: NOW });
    expect(idle.groups).toEqual([]);
    expect(standIn!.requests).toHaveLength(3);
  });

  it("names the offers left out to fit Shopify's 10,000-byte metafield, lowest priority first", async () => {
    const shop = await createTestShop({ currency: "USD" });
    const ids: string[] = [];
    for (let index = 0; index < 6; index += 1) {
      const saved = await createOffer(shop.id, {
        type: "mixAndMatch",
        title: `Big ${index}`,
        status: "active",
        priority: 100 - index,
        eligible: { productIds: Array.from({ length: 200 }, (_, n) => `gid://shopify/Product/${9_000_000_000_000 + index * 1000 + n}`) },
        setSize: 2,
        pricing: { kind: "percentage", percent: 10 },
      });
      if (!saved.ok) throw new Error(JSON.stringify(saved.issues));
      ids.push(saved.offer.id);
    }
    const api = await shopify({ UpshelfDiscountSyncContext: "sync-context", UpshelfDiscountCreate: "discount-create.success" });
    const report = await syncShopDiscounts(shop.id, { api, now: NOW });
    const leftOut = report.leftOut.map((omitted) => omitted.offerId);
    expect(leftOut.length).toBeGreaterThan(0);
    expect(report.includedOfferIds).toEqual(ids.slice(0, ids.length - leftOut.length));
    expect(leftOut).toEqual(ids.slice(ids.length - leftOut.length));
    expect(report.leftOut.every((omitted) => omitted.reason === "size-limit")).toBe(true);
    expect(report.warnings).toHaveLength(leftOut.length);
    // Named by title, as the merchant knows them (the id appears nowhere in the admin).
    const firstLeftOut = ids.indexOf(leftOut[0]!);
    expect(report.warnings[0]).toMatch(new RegExp(`^“Big ${firstLeftOut}”: the shop's offers exceed Shopify's`));
    expect(report.warnings[0]).not.toContain(leftOut[0]);
    const sent = (standIn!.requests[1]!.variables.automaticAppDiscount as { metafields: { value: string }[] }).metafields[0]!.value;
    expect(Buffer.byteLength(sent, "utf8")).toBeLessThanOrEqual(10_000);
    for (const id of leftOut) expect(sent).not.toContain(id);
  });

  it("says so when the shop's currency changed under a live offer: checkout leaves it out, and the merchant hears which and why", async () => {
    const shop = await createTestShop({ currency: "USD" });
    const saved = await createOffer(shop.id, {
      type: "spendTiers",
      title: "Spend more",
      status: "active",
      tiers: [{ minSubtotal: { amount: 5000, currency: "USD" }, value: { kind: "amountOff", amount: { amount: 500, currency: "USD" } } }],
    });
    if (!saved.ok) throw new Error(JSON.stringify(saved.issues));
    await db.shop.update({ where: { id: shop.id }, data: { currency: "EUR" } });
    const report = await syncShopDiscounts(shop.id, { api: await shopify({ UpshelfDiscountSyncContext: "sync-context" }), now: NOW });
    expect(report.includedOfferIds).toEqual([]);
    expect(report.leftOut.map((omitted) => [omitted.offerId, omitted.reason])).toEqual([[saved.offer.id, "currency-mismatch"]]);
    expect(report.warnings).toEqual([
      "“Spend more”: its amounts are in USD, not the shop's currency (EUR), so checkout does not apply it; enter its amounts again in EUR.",
    ]);
  });

  it("tells the merchant when an offer's combination setting is not honoured because another active offer does not allow it", async () => {
    const shop = await createTestShop({ currency: "USD" });
    const bundle = await createOffer(shop.id, {
      type: "mixAndMatch",
      title: "Any two mugs",
      status: "active",
      eligible: { productIds: ["gid://shopify/Product/1"] },
      setSize: 2,
      pricing: { kind: "percentage", percent: 10 },
      combinesWith: { productDiscounts: false, orderDiscounts: true, shippingDiscounts: true },
    });
    const tiers = await createOffer(shop.id, {
      type: "spendTiers",
      title: "Spend more",
      status: "active",
      tiers: [{ minSubtotal: { amount: 5000, currency: "USD" }, value: { kind: "percentage", percent: 5 } }],
      combinesWith: { productDiscounts: false, orderDiscounts: false, shippingDiscounts: true },
    });
    if (!bundle.ok || !tiers.ok) throw new Error("offers not saved");
    const api = await shopify({ UpshelfDiscountSyncContext: "sync-context", UpshelfDiscountCreate: "discount-create.success" });
    const report = await syncShopDiscounts(shop.id, { api, now: NOW });
    const sent = standIn!.requests[1]!.variables.automaticAppDiscount as { combinesWith: Record<string, boolean> };
    expect(sent.combinesWith).toEqual({ productDiscounts: false, orderDiscounts: false, shippingDiscounts: true });
    expect(report.warnings).toEqual([
      "“Any two mugs” allows combining with order discounts, but checkout does not combine Upshelf's offers with them while “Spend more” does not allow it: all active offers share one Shopify discount. Allow it on those too, or untick it here.",
    ]);
  });

  it("reports a GraphQL or HTTP failure instead of throwing", async () => {
    const { shop } = await shopWithOffers();
    const api = await shopify({
      UpshelfDiscountSyncContext: "sync-context",
      UpshelfDiscountCreate: () => ({ errors: [{ message: "Access denied for discountAutomaticAppCreate field." }] }),
    });
    const report = await syncShopDiscounts(shop.id, { api, now: NOW });
    expect(report.status).toBe("error");
    expect(report.errors).toEqual(["UpshelfDiscountCreate: Access denied for discountAutomaticAppCreate field."]);
    expect(await db.discountSync.findFirstOrThrow({ where: { shopId: shop.id } })).toMatchObject({ status: "error", lastError: report.errors[0] });
  });

  it("marks the sync failed when Shopify cannot be reached, so the storefront stops promising what checkout may not have", async () => {
    const { shop } = await shopWithOffers();
    expect((await syncShopDiscounts(shop.id, { api: await shopify({ UpshelfDiscountSyncContext: "sync-context", UpshelfDiscountCreate: "discount-create.success" }), now: NOW })).status).toBe("synced");
    expect((await loadShopPricing(shop.id, { now: NOW }))?.offers.length).toBeGreaterThan(0);

    // A new offer is saved while the network is down.
    const created = await createTestOffer(shop.id, {
      type: "quantityBreaks",
      title: "Saved offline",
      status: "active",
      eligible: { productIds: ["gid://shopify/Product/103"] },
      tiers: [{ minQuantity: 3, value: { kind: "percentage", percent: 15 } }],
    });
    const offline = httpAdminApi({
      shop: "stand-in.myshopify.com",
      accessToken: "shpat_test",
      maxRetries: 0,
      fetch: async () => {
        throw new TypeError("fetch failed");
      },
    });
    const report = await syncShopDiscounts(shop.id, { api: offline, now: LATER });
    expect(report.status).toBe("error");
    expect(report.errors).toEqual(["UpshelfDiscountSyncContext: Shopify could not be reached (fetch failed)."]);
    expect(await db.discountSync.findFirstOrThrow({ where: { shopId: shop.id } })).toMatchObject({ status: "error" });
    // Checkout holds the older configuration: the storefront promises no discount until a write succeeds.
    const pricing = await loadShopPricing(shop.id, { now: LATER });
    expect(pricing?.offers.some((offer) => offer.id === created)).toBe(false);
    expect(pricing?.offers.filter((offer) => offer.type !== "upgradeLadder")).toEqual([]);
  });

  it("uses the function id from the environment when it is set", async () => {
    vi.stubEnv(FUNCTION_ID_ENV, "from-the-cli-0000");
    try {
      const { shop } = await shopWithOffers();
      const api = await shopify({ UpshelfDiscountSyncContext: "sync-context", UpshelfDiscountCreate: "discount-create.success" });
      await syncShopDiscounts(shop.id, { api, now: NOW });
      expect((standIn!.requests[1]!.variables.automaticAppDiscount as { functionId: string }).functionId).toBe("from-the-cli-0000");
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("runs one sync at a time per shop, so two quick saves create one discount", async () => {
    const { shop } = await shopWithOffers();
    const api = await shopify({
      UpshelfDiscountSyncContext: "sync-context",
      UpshelfDiscountCreate: "discount-create.success",
      UpshelfDiscountUpdate: "discount-update.success",
    });
    const [first, second] = await Promise.all([syncShopDiscounts(shop.id, { api, now: NOW }), syncShopDiscounts(shop.id, { api, now: NOW })]);
    expect(first.groups[0]?.action).toBe("created");
    expect(second.groups[0]?.action).toBe("unchanged");
    expect(standIn!.requests.filter((request) => operationOf(request) === "UpshelfDiscountCreate")).toHaveLength(1);
  });
});

describe("syncShopDiscounts in demo mode", () => {
  it("records every call it would send, sends nothing, and marks the sync as recorded", async () => {
    const { shop, ids } = await shopWithOffers();
    await db.shop.update({ where: { id: shop.id }, data: { isDemo: true, timeZone: "Europe/London" } });
    const fetchSpy = vi.spyOn(globalThis, "fetch");

    const created = await syncShopDiscounts(shop.id, { now: NOW });
    // The recording API has no time zone to answer with: boundaries are written in the shop's stored zone.
    const firstValue = encodeFunctionConfiguration(await listActiveOffers(shop.id), { now: NOW, shopCurrency: "USD", shopTimeZone: "Europe/London" }).value;
    expect((JSON.parse(firstValue) as { t0: string }).t0).toBe("2025-07-01T13:00:00");
    expect(created).toMatchObject({ mode: "recording", status: "recorded", groups: [{ action: "created", status: "recorded", shopifyDiscountId: RECORDED_DISCOUNT_ID }] });
    await setOfferStatus(shop.id, ids.paused, "active");
    const updated = await syncShopDiscounts(shop.id, { now: NOW });
    expect(updated.groups).toEqual([expect.objectContaining({ action: "updated", status: "recorded" })]);
    for (const id of [ids.breaks, ids.spend, ids.paused]) await setOfferStatus(shop.id, id, "paused");
    const deleted = await syncShopDiscounts(shop.id, { now: NOW });
    expect(deleted.groups).toEqual([expect.objectContaining({ action: "deleted", status: "recorded" })]);

    expect(fetchSpy).not.toHaveBeenCalled();
    const calls = await db.recordedAdminCall.findMany({ where: { shopId: shop.id }, orderBy: { id: "asc" } });
    expect(calls.map((call) => call.operation)).toEqual([
      "UpshelfDiscountSyncContext",
      "UpshelfDiscountCreate",
      "UpshelfDiscountSyncContext",
      "UpshelfDiscountUpdate",
      "UpshelfDiscountDelete",
    ]);
    const create = JSON.parse(calls[1]!.variables) as { automaticAppDiscount: { metafields: { value: string }[]; functionId: string } };
    expect(create.automaticAppDiscount.metafields[0]!.value).toBe(firstValue);
    expect(create.automaticAppDiscount.functionId).toBe("recorded-in-demo");
    expect(JSON.parse(calls[3]!.variables)).toMatchObject({ id: RECORDED_DISCOUNT_ID });
    expect(JSON.parse(calls[4]!.variables)).toEqual({ id: RECORDED_DISCOUNT_ID });
    expect(await db.discountSync.count({ where: { shopId: shop.id } })).toBe(0);
  });
});


describe("syncShopDiscounts with another app process syncing the same shop", () => {
  const OTHER_ID = "gid://shopify/DiscountAutomaticNode/2000000000001";
  /** A stand-in whose answers may first do what another process does meanwhile (async). */
  async function shopifyWith(meanwhile: Partial<Record<string, (request: ReceivedGraphqlRequest) => Promise<void>>>) {
    const fixtures: Record<string, string> = {
      UpshelfDiscountSyncContext: "sync-context",
      UpshelfDiscountCreate: "discount-create.success",
      UpshelfDiscountUpdate: "discount-update.success",
      UpshelfDiscountDelete: "discount-delete.success",
    };
    const seen = new Set<string>();
    standIn = await startAdminApiStandIn(async (request) => {
      const operation = operationOf(request) ?? "";
      // Each interference happens once, at the first call of its operation.
      if (!seen.has(operation)) {
        seen.add(operation);
        await meanwhile[operation]?.(request);
      }
      const name = fixtures[operation];
      return name ? { body: fixture(name) } : { status: 500, body: { errors: [{ message: `unexpected ${operation}` }] } };
    });
    return httpAdminApi({ shop: "stand-in.myshopify.com", accessToken: "shpat_test", endpoint: standIn.endpoint, maxRetries: 0 });
  }
  const metafieldValue = (request: ReceivedGraphqlRequest) => {
    const variables = request.variables as { metafields?: { value: string }[]; automaticAppDiscount?: { metafields?: { value: string }[] } };
    return (variables.metafields ?? variables.automaticAppDiscount?.metafields)?.[0]?.value;
  };

  it("writes the offers again when another process saved newer ones before this write reached Shopify", async () => {
    const { shop, ids } = await shopWithOffers();
    await syncShopDiscounts(shop.id, { api: await shopifyWith({}), now: NOW });
    await standIn!.close();
    await setOfferStatus(shop.id, ids.paused, "active");
    // While this process's update is on its way, the merchant pauses an offer through another
    // process, whose sync reaches Shopify first: this process's older configuration lands last.
    const api = await shopifyWith({
      UpshelfDiscountUpdate: async () => {
        await setOfferStatus(shop.id, ids.spend, "paused");
      },
    });
    const report = await syncShopDiscounts(shop.id, { api, now: NOW });

    const writes = standIn!.requests.filter((request) => operationOf(request) === "UpshelfDiscountUpdate");
    expect(metafieldValue(writes.at(-1)!)).toBe(await expectedValue(shop.id, NOW));
    expect(report.status).toBe("synced");
    const row = await db.discountSync.findFirstOrThrow({ where: { shopId: shop.id } });
    expect(row).toMatchObject({ shopifyDiscountId: DISCOUNT_ID, status: "synced" });
  });

  it("deletes the discount it created when another process created and saved one at the same time, and updates that one", async () => {
    const { shop } = await shopWithOffers();
    const api = await shopifyWith({
      // Another process, also seeing no discount, created one and saved it while this create ran.
      UpshelfDiscountCreate: async () => {
        await db.discountSync.create({
          data: { shopId: shop.id, groupKey: ALL_OFFERS_GROUP, shopifyDiscountId: OTHER_ID, configHash: "other", status: "synced", syncedAt: NOW },
        });
      },
    });
    const report = await syncShopDiscounts(shop.id, { api, now: NOW });

    expect(standIn!.requests.map(operationOf)).toEqual([
      "UpshelfDiscountSyncContext",
      "UpshelfDiscountCreate",
      "UpshelfDiscountDelete",
      "UpshelfDiscountSyncContext",
      "UpshelfDiscountUpdate",
    ]);
    expect(standIn!.requests[2]!.variables).toEqual({ id: DISCOUNT_ID });
    expect(standIn!.requests[4]!.variables).toMatchObject({ id: OTHER_ID });
    expect(metafieldValue(standIn!.requests[4]!)).toBe(await expectedValue(shop.id, NOW));
    expect(report).toMatchObject({ status: "synced", errors: [], groups: [{ action: "updated", shopifyDiscountId: OTHER_ID }] });
    expect(await db.discountSync.findMany({ where: { shopId: shop.id } })).toEqual([
      expect.objectContaining({ shopifyDiscountId: OTHER_ID, status: "synced", configHash: expect.stringMatching(/^[0-9a-f]{64}$/) }),
    ]);
  });
});
