import { afterEach, describe, expect, it } from "vitest";
import db from "~/db.server";
import { startExperiment, stopExperiment } from "~/models/experiment.server";
import { createOffer } from "~/models/offer.server";
import { createTestProduct } from "../../tests/factories/catalog";
import { createTestShop } from "../../tests/factories/shop";
import { operationOf, startFixtureStandIn, type AdminApiStandIn } from "../../tests/support/admin-api-stand-in";
import { httpAdminApi, type AdminApi } from "./admin-api.server";
import { RECORDED_APP_INSTALLATION_ID, storefrontIndexForShop, syncStorefrontIndex } from "./storefront-index-sync.server";

const NOW = new Date("2025-06-01T12:00:00Z");
const INSTALLATION_ID = "gid://shopify/AppInstallation/1071612";

let standIn: AdminApiStandIn | null = null;
afterEach(async () => {
  await standIn?.close();
  standIn = null;
});

async function shopify(answers: Record<string, unknown>) {
  standIn = await startFixtureStandIn(Object.fromEntries(Object.entries(answers).map(([operation, body]) => [operation, () => body])));
  return httpAdminApi({ shop: "stand-in.myshopify.com", accessToken: "shpat_test", endpoint: standIn.endpoint, maxRetries: 0 });
}

const installation = { data: { currentAppInstallation: { id: INSTALLATION_ID } } };
const metafieldsSetOk = { data: { metafieldsSet: { metafields: [{ id: "gid://shopify/Metafield/2201" }], userErrors: [] } } };

/** A shop whose quantity breaks name one product directly and another by variant, with a ladder and a paused offer. */
async function shopWithOffers() {
  const shop = await createTestShop({ currency: "USD" });
  const [mug, tee, good, better, other] = await Promise.all(
    ["Mug", "Tee", "Good", "Better", "Other"].map((title) => createTestProduct(shop.id, { title, price: 1000 })),
  );
  const save = async (input: Record<string, unknown>) => {
    const saved = await createOffer(shop.id, { status: "active", ...input });
    if (!saved.ok) throw new Error(JSON.stringify(saved.issues));
  };
  await save({
    type: "quantityBreaks",
    title: "Multibuy",
    eligible: { productIds: [`gid://shopify/Product/${mug!.shopifyId}`], variantIds: [`gid://shopify/ProductVariant/${tee!.variantShopifyId}`] },
    tiers: [{ minQuantity: 2, value: { kind: "percentage", percent: 10 } }],
  });
  await save({
    type: "upgradeLadder",
    title: "Good, better",
    steps: [{ ref: { variantId: `gid://shopify/ProductVariant/${good!.variantShopifyId}` } }, { ref: { productId: `gid://shopify/Product/${better!.shopifyId}` } }],
    incentive: null,
  });
  await save({
    type: "quantityBreaks",
    title: "Paused",
    status: "paused",
    eligible: { productIds: [`gid://shopify/Product/${other!.shopifyId}`] },
    tiers: [{ minQuantity: 2, value: { kind: "percentage", percent: 5 } }],
  });
  const sorted = (...ids: string[]) => ids.sort((a, b) => a.length - b.length || a.localeCompare(b));
  return { shop, expected: { quantity_breaks: sorted(mug!.shopifyId, tee!.shopifyId), upgrades: [good!.shopifyId], deals: [] } };
}

describe("syncStorefrontIndex against Shopify's Admin API", () => {
  it("asks for the app installation and sets the index as a json app-data metafield on it", async () => {
    const { shop, expected } = await shopWithOffers();
    const api = await shopify({ UpshelfAppInstallation: installation, UpshelfStorefrontIndexSet: metafieldsSetOk });
    const result = await syncStorefrontIndex(shop.id, { api, now: NOW });

    expect(result).toEqual({ ok: true, errors: [], index: expected });
    expect(standIn!.requests.map(operationOf)).toEqual(["UpshelfAppInstallation", "UpshelfStorefrontIndexSet"]);
    expect(standIn!.requests[0]!.query).toMatch(/currentAppInstallation\s*\{\s*id\s*\}/);
    expect(standIn!.requests[1]!.accessToken).toBe("shpat_test");
    expect(standIn!.requests[1]!.variables).toEqual({
      metafields: [
        { ownerId: INSTALLATION_ID, namespace: "upshelf", key: "storefront", type: "json", value: JSON.stringify(expected) },
        { ownerId: INSTALLATION_ID, namespace: "upshelf", key: "experiment", type: "json", value: "{}" },
        { ownerId: INSTALLATION_ID, namespace: "upshelf", key: "widgets", type: "json", value: JSON.stringify({ headings: {}, compare_at: true }) },
      ],
    });
  });

  it("returns Shopify's user errors as sentences instead of throwing", async () => {
    const { shop } = await shopWithOffers();
    const api = await shopify({
      UpshelfAppInstallation: installation,
      UpshelfStorefrontIndexSet: {
        data: { metafieldsSet: { metafields: [], userErrors: [{ field: ["metafields", "0", "value"], message: "Value is invalid JSON.", code: "INVALID_VALUE" }] } },
      },
    });
    const result = await syncStorefrontIndex(shop.id, { api, now: NOW });
    expect(result.ok).toBe(false);
    expect(result.errors).toEqual(["Storefront offer index: metafields.0.value: Value is invalid JSON."]);
  });

  it("reports a transport failure without sending the metafield", async () => {
    const { shop } = await shopWithOffers();
    const api = await shopify({ UpshelfAppInstallation: { errors: [{ message: "Access denied for currentAppInstallation field." }] } });
    const result = await syncStorefrontIndex(shop.id, { api, now: NOW });
    expect(result.ok).toBe(false);
    expect(result.errors).toEqual(["Storefront offer index: UpshelfAppInstallation: Access denied for currentAppInstallation field."]);
    expect(standIn!.requests.map(operationOf)).toEqual(["UpshelfAppInstallation"]);
  });

  it("writes an empty index when no live offer has tiers or a ladder, so the blocks hide everywhere", async () => {
    const shop = await createTestShop();
    const api = await shopify({ UpshelfAppInstallation: installation, UpshelfStorefrontIndexSet: metafieldsSetOk });
    const result = await syncStorefrontIndex(shop.id, { api, now: NOW });
    expect(result.ok).toBe(true);
    expect((standIn!.requests[1]!.variables.metafields as { value: string }[])[0]!.value).toBe('{"quantity_breaks":[],"upgrades":[],"deals":[]}');
  });

  it("reads only the shop's own variants", async () => {
    const { shop } = await shopWithOffers();
    const stranger = await createTestShop();
    const variant = (await db.variant.findFirstOrThrow({ where: { shopId: shop.id } })).shopifyId;
    const saved = await createOffer(stranger.id, {
      type: "quantityBreaks",
      title: "Someone else's variant",
      status: "active",
      eligible: { variantIds: [`gid://shopify/ProductVariant/${variant}`] },
      tiers: [{ minQuantity: 2, value: { kind: "percentage", percent: 10 } }],
    });
    expect(saved.ok).toBe(true);
    expect(await storefrontIndexForShop(stranger.id, NOW)).toEqual({ quantity_breaks: [], upgrades: [], deals: [] });
  });
});

describe("syncStorefrontIndex in demo mode", () => {
  it("records both calls, with a placeholder installation id, and sends nothing", async () => {
    const { shop, expected } = await shopWithOffers();
    await db.shop.update({ where: { id: shop.id }, data: { isDemo: true } });
    const result = await syncStorefrontIndex(shop.id, { now: NOW });

    expect(result).toEqual({ ok: true, errors: [], index: expected });
    const recorded = await db.recordedAdminCall.findMany({ where: { shopId: shop.id }, orderBy: { id: "asc" } });
    expect(recorded.map((call) => call.operation)).toEqual(["UpshelfAppInstallation", "UpshelfStorefrontIndexSet"]);
    expect(JSON.parse(recorded[1]!.variables)).toEqual({
      metafields: [
        { ownerId: RECORDED_APP_INSTALLATION_ID, namespace: "upshelf", key: "storefront", type: "json", value: JSON.stringify(expected) },
        { ownerId: RECORDED_APP_INSTALLATION_ID, namespace: "upshelf", key: "experiment", type: "json", value: "{}" },
        { ownerId: RECORDED_APP_INSTALLATION_ID, namespace: "upshelf", key: "widgets", type: "json", value: JSON.stringify({ headings: {}, compare_at: true }) },
      ],
    });
  });
});

describe("overlapping sends of one shop", () => {
  /** An Admin API that holds the first metafield write until released, recording the experiment each write carried. */
  function heldApi() {
    const written: unknown[] = [];
    let held = false;
    let release: (() => void) | null = null;
    const firstHeld = new Promise<void>((resolve) => (release = resolve));
    const api: AdminApi = {
      mode: "live",
      async request<T>(operation: string, _query: string, variables?: Record<string, unknown>) {
        if (operation === "UpshelfAppInstallation") return installation.data as T;
        const metafields = (variables as { metafields: { key: string; value: string }[] }).metafields;
        const experiment = JSON.parse(metafields.find((entry) => entry.key === "experiment")!.value) as unknown;
        if (!held) {
          held = true;
          await firstHeld;
        }
        // In the order the writes land.
        written.push(experiment);
        return metafieldsSetOk.data as T;
      },
    };
    const holding = () => expect.poll(() => held).toBe(true);
    return { api, written, holding, release: () => release?.() };
  }

  it("land in the order the shop changed: a send started before a test stopped cannot overwrite the stop", async () => {
    const shop = await createTestShop();
    const started = await startExperiment(shop.id, 1000, NOW);
    if (!("started" in started)) throw new Error("a test was already running");
    const { api, written, holding, release } = heldApi();
    // An offer save reads the state (test running) and is slow to write; meanwhile the test stops.
    const offerSave = syncStorefrontIndex(shop.id, { api, now: NOW });
    await holding();
    await stopExperiment(shop.id, NOW);
    const stop = syncStorefrontIndex(shop.id, { api, now: NOW });
    // Give the second send every chance to overtake the first (it has nothing to wait for but its turn).
    await Promise.race([stop, new Promise((resolve) => setTimeout(resolve, 1_000))]);
    release();
    await Promise.all([offerSave, stop]);
    expect(written[0]).toEqual({ key: started.started.key, holdout: 1000 });
    // Whatever was written in between, the storefront is left with the stop.
    expect(written.at(-1)).toEqual({});
  });

  it("writes again when the state changed while it wrote (another app process)", async () => {
    const shop = await createTestShop();
    const started = await startExperiment(shop.id, 1000, NOW);
    if (!("started" in started)) throw new Error("a test was already running");
    const { api, written, holding, release } = heldApi();
    const send = syncStorefrontIndex(shop.id, { api, now: NOW });
    await holding();
    // Stopped by a write this process never sees as a send of its own.
    await db.experiment.updateMany({ where: { shopId: shop.id }, data: { endedAt: NOW, runningSlot: null } });
    release();
    expect((await send).ok).toBe(true);
    expect(written).toEqual([{ key: started.started.key, holdout: 1000 }, {}]);
  });
});
