/**
 * The offer pages' loaders and actions, called with real Requests authenticated the way Shopify's
 * embedded admin does it (session token per shop), so shop scoping is tested through the real
 * authentication, not a stand-in.
 */
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { pickedTestProduct } from "~/components/offers/draft-test-support";
import type { OfferDraft, PickedItem } from "~/components/offers/offer-draft";
import { emptyDraft } from "~/components/offers/offer-draft";
import db from "~/db.server";
import { setOfferStatus, updateOffer } from "~/models/offer.server";
import { deleteProduct } from "~/services/ingest";
import type * as DiscountSync from "~/services/discount-sync.server";
import { createCsvOnlyTestProduct, createTestProduct, type TestProduct } from "../../tests/factories/catalog";
import { createTestOffer } from "../../tests/factories/offers";
import { createTestShop } from "../../tests/factories/shop";
import { adminRequest, useShopifyAdminMode } from "../../tests/support/admin-session";
import { responseOf } from "../../tests/support/app-proxy";
import { describeProductOffers } from "~/services/offer-pricing.server";
import * as productsApi from "./app.api.products";
import * as bundleEdit from "./app.bundles.$id";
import * as bundleIndex from "./app.bundles._index";
import * as bundleNew from "./app.bundles.new";
import * as ladderEdit from "./app.ladders.$id";
import * as ladderIndex from "./app.ladders._index";
import * as ladderNew from "./app.ladders.new";
import * as tierEdit from "./app.tiers.$id";
import * as tierIndex from "./app.tiers._index";
import * as tierNew from "./app.tiers.new";

useShopifyAdminMode();

// The real discount sync runs (recording, for shops marked as demo); a test can make it fail.
const syncControl = vi.hoisted(() => ({ failWith: null as string | null, calls: [] as string[] }));
vi.mock("~/services/discount-sync.server", async (importOriginal) => {
  const original = await importOriginal<typeof DiscountSync>();
  return {
    ...original,
    syncShopDiscounts: async (shopId: string) => {
      syncControl.calls.push(shopId);
      const report = await original.syncShopDiscounts(shopId);
      return syncControl.failWith ? { ...report, status: "error", errors: [syncControl.failWith] } : report;
    },
  };
});

beforeEach(() => {
  syncControl.failWith = null;
  syncControl.calls = [];
});

type Json = Record<string, unknown>;
const args = (request: Request, params: Record<string, string> = {}) => ({ request, params, context: {} });


function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.set(key, value);
  return data;
}

async function post(shopId: string, path: string, fields: Record<string, string>): Promise<Request> {
  return adminRequest(shopId, path, { method: "POST", body: form(fields) });
}

async function shopWithCatalog() {
  const shop = await createTestShop({ currency: "GBP" });
  // Demo-flagged: the discount sync records what it would send instead of calling Shopify.
  await db.shop.update({ where: { id: shop.id }, data: { isDemo: true } });
  const teapot = await createTestProduct(shop.id, { title: "Teapot", price: 2500, currency: "GBP" });
  const cup = await createTestProduct(shop.id, { title: "Tea Cup", price: 800, currency: "GBP" });
  return { shopId: shop.id, teapot, cup };
}

function bundleDraft(teapot: TestProduct, cup: TestProduct, overrides: Partial<OfferDraft> = {}): OfferDraft {
  return {
    ...emptyDraft("fixedBundle"),
    title: "Tea for two",
    status: "active",
    items: [
      { item: pickedTestProduct(teapot, 2500), quantity: "1" },
      { item: pickedTestProduct(cup, 800), quantity: "2" },
    ],
    pricingKind: "fixedPrice",
    pricingValue: "35.00",
    ...overrides,
  };
}

async function createBundle(shopId: string, draft: OfferDraft, clientToken = crypto.randomUUID()) {
  const response = await responseOf(async () =>
    bundleNew.action(args(await post(shopId, "/app/bundles/new", { intent: "save", draft: JSON.stringify(draft), clientToken }))),
  );
  return { response, body: (await response.clone().json()) as Json };
}

describe("creating and editing offers", () => {
  let shopId: string;
  let teapot: TestProduct;
  let cup: TestProduct;
  beforeAll(async () => {
    ({ shopId, teapot, cup } = await shopWithCatalog());
  });

  it("creates a bundle from the form, stores minor units in the shop currency, and syncs checkout discounts", async () => {
    const { response, body } = await createBundle(shopId, bundleDraft(teapot, cup));
    expect(response.status).toBe(200);
    expect(body).toMatchObject({ ok: true, offerId: expect.stringMatching(/^off_/), sync: { ran: true, errors: [] } });
    const stored = await db.offer.findFirstOrThrow({ where: { shopId, id: body.offerId as string } });
    expect(JSON.parse(stored.config)).toMatchObject({
      type: "fixedBundle",
      status: "active",
      pricing: { kind: "fixedPrice", price: { amount: 3500, currency: "GBP" } },
      items: [
        { ref: { productId: `gid://shopify/Product/${teapot.shopifyId}` }, quantity: 1 },
        { ref: { productId: `gid://shopify/Product/${cup.shopifyId}` }, quantity: 2 },
      ],
    });
    expect(syncControl.calls).toEqual([shopId]);
    // Recording mode: the discount Shopify would have received carries the new offer.
    const recorded = await db.recordedAdminCall.findMany({ where: { shopId } });
    expect(recorded.map((call) => call.variables).join("\n")).toContain(body.offerId as string);
  });

  it("saves one offer when the same form is submitted twice", async () => {
    const token = crypto.randomUUID();
    const draft = bundleDraft(teapot, cup, { title: "Double click" });
    const [first, second] = await Promise.all([createBundle(shopId, draft, token), createBundle(shopId, draft, token)]);
    expect(first.body.offerId).toBe(second.body.offerId);
    expect(await db.offer.count({ where: { shopId, title: "Double click" } })).toBe(1);
  });

  it("GIVEN a new offer's save that arrived but whose answer was lost WHEN the same form saves again, the same or edited since THEN one offer, holding what the form holds now", async () => {
    const token = crypto.randomUUID();
    const lost = await createBundle(shopId, bundleDraft(teapot, cup, { title: "Answer lost" }), token);
    const offerId = lost.body.offerId as string;
    // Sent again as it was: the same offer, saved.
    const again = await createBundle(shopId, bundleDraft(teapot, cup, { title: "Answer lost" }), token);
    expect(again.response.status).toBe(200);
    expect(again.body).toMatchObject({ ok: true, offerId });
    // Edited while the answer was awaited, then sent again: still the one offer, with the edits.
    const edited = await createBundle(shopId, bundleDraft(teapot, cup, { title: "Answer lost, then edited", pricingValue: "33.00" }), token);
    expect(edited.body).toMatchObject({ ok: true, offerId });
    const stored = await db.offer.findMany({ where: { shopId, title: { startsWith: "Answer lost" } } });
    expect(stored.map((row) => row.id)).toEqual([offerId]);
    expect(stored[0]?.title).toBe("Answer lost, then edited");
    expect(JSON.parse(stored[0]?.config ?? "{}")).toMatchObject({ pricing: { kind: "fixedPrice", price: { amount: 3300, currency: "GBP" } } });
  });

  it("refuses a bundle priced above its items with a 400 on the price field, echoing what was typed", async () => {
    const draft = bundleDraft(teapot, cup, { title: "Too dear", pricingValue: "41.00" });
    const { response, body } = await createBundle(shopId, draft);
    expect(response.status).toBe(400);
    expect(body.errors).toEqual({ pricing: "The bundle price must be below the items' sum, or there is nothing to save." });
    expect(body.draft).toEqual(draft);
    expect(await db.offer.count({ where: { shopId, title: "Too dear" } })).toBe(0);
  });

  it("refuses a mix and match whose set price no set of its items reaches, judged by the catalog's dearest prices", async () => {
    const mixAndMatch = (price: string): OfferDraft => ({
      ...emptyDraft("mixAndMatch"),
      title: "Any three",
      status: "active",
      eligible: [pickedTestProduct(teapot, 2500), pickedTestProduct(cup, 800)],
      setSize: "3",
      pricingKind: "fixedPrice",
      pricingValue: price,
    });
    // Three teapots, the dearest set, cost 75.00.
    const { response, body } = await createBundle(shopId, mixAndMatch("100.00"));
    expect(response.status).toBe(400);
    expect(body.errors).toEqual({ pricing: "The set price must be below the price of a set of the dearest items, or no set would ever cost less." });
    expect((await createBundle(shopId, mixAndMatch("60.00"))).response.status).toBe(200);
  });

  it("reports every unreadable or invalid field at once", async () => {
    const draft = bundleDraft(teapot, cup, { title: " ", pricingValue: "12.345", items: [{ item: pickedTestProduct(teapot, 2500), quantity: "lots" }] });
    const { response, body } = await createBundle(shopId, draft);
    expect(response.status).toBe(400);
    expect(body.errors).toMatchObject({
      title: "Give the offer a title.",
      pricing: "Enter an amount in GBP, such as 12.50.",
      "items.0.quantity": "Enter a quantity, such as 3.",
    });
  });

  it("refuses a tampered form without touching the database", async () => {
    const response = await responseOf(async () =>
      bundleNew.action(args(await post(shopId, "/app/bundles/new", { intent: "save", draft: "{not json", clientToken: crypto.randomUUID() }))),
    );
    expect(response.status).toBe(400);
    const wrongPage = { ...emptyDraft("spendTiers"), title: "Sneaky" };
    const { response: misplaced } = await createBundle(shopId, wrongPage);
    expect(misplaced.status).toBe(400);
    expect(await db.offer.count({ where: { shopId, title: "Sneaky" } })).toBe(0);
  });

  it("edits a tier and refuses a higher tier that saves less, naming that tier's value", async () => {
    const draft: OfferDraft = {
      ...emptyDraft("quantityBreaks"),
      title: "Stock up",
      eligible: [pickedTestProduct(cup, 800)],
    };
    const created = await responseOf(async () =>
      tierNew.action(args(await post(shopId, "/app/tiers/new", { intent: "save", draft: JSON.stringify(draft), clientToken: crypto.randomUUID() }))),
    );
    const { offerId } = (await created.json()) as { offerId: string };

    const loaded = await tierEdit.loader(args(await adminRequest(shopId, `/app/tiers/${offerId}`), { id: offerId }));
    expect(loaded.draft.tiers).toEqual([
      { threshold: "2", value: "10" },
      { threshold: "3", value: "15" },
    ]);
    expect(loaded.draft.eligible[0]).toMatchObject({ title: "Tea Cup", price: 800 });

    const impossible = { ...loaded.draft, tiers: [{ threshold: "2", value: "10" }, { threshold: "3", value: "5" }] };
    const refused = await responseOf(async () =>
      tierEdit.action(args(await post(shopId, `/app/tiers/${offerId}`, { intent: "save", draft: JSON.stringify(impossible) }), { id: offerId })),
    );
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as Json).errors).toEqual({ "tiers.1.value": "A higher tier must save more than the tier below it." });

    const better = { ...loaded.draft, tiers: [{ threshold: "2", value: "10" }, { threshold: "4", value: "20" }] };
    const saved = await responseOf(async () =>
      tierEdit.action(args(await post(shopId, `/app/tiers/${offerId}`, { intent: "save", draft: JSON.stringify(better) }), { id: offerId })),
    );
    expect(saved.status).toBe(200);
    const stored = JSON.parse((await db.offer.findFirstOrThrow({ where: { shopId, id: offerId } })).config);
    expect(stored.tiers.map((tier: { minQuantity: number }) => tier.minQuantity)).toEqual([2, 4]);
  });

  it("GIVEN the offer changed in another tab WHEN an older form saves THEN 409 with the typed draft, and the other change stays", async () => {
    const draft: OfferDraft = { ...emptyDraft("quantityBreaks"), title: "Two tabs", eligible: [pickedTestProduct(cup, 800)] };
    const created = await responseOf(async () =>
      tierNew.action(args(await post(shopId, "/app/tiers/new", { intent: "save", draft: JSON.stringify(draft), clientToken: crypto.randomUUID() }))),
    );
    const { offerId } = (await created.json()) as { offerId: string };
    const tabA = await tierEdit.loader(args(await adminRequest(shopId, `/app/tiers/${offerId}`), { id: offerId }));
    const tabB = await tierEdit.loader(args(await adminRequest(shopId, `/app/tiers/${offerId}`), { id: offerId }));
    expect(tabA.version).toBe(tabB.version);
    // Returned, not thrown: a thrown answer would replace the form with an error page, and the typed draft with it.
    const save = async (data: typeof tabA, title: string) =>
      tierEdit.action(
        args(await post(shopId, `/app/tiers/${offerId}`, { intent: "save", draft: JSON.stringify({ ...data.draft, title }), version: data.version ?? "" }), {
          id: offerId,
        }),
      );
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await save(tabB, "Saved in tab B")).status).toBe(200);
    const stale = await save(tabA, "Typed in tab A");
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ ok: false, error: "offer_changed", draft: { title: "Typed in tab A" } });
    expect((await db.offer.findFirstOrThrow({ where: { shopId, id: offerId } })).title).toBe("Saved in tab B");
    // Reloaded, tab A saves again.
    const reloaded = await tierEdit.loader(args(await adminRequest(shopId, `/app/tiers/${offerId}`), { id: offerId }));
    expect((await save(reloaded, "Typed in tab A")).status).toBe(200);
  });

  it("GIVEN an edit that was saved but whose answer was lost WHEN the same form sends it again, still at the version it loaded THEN it is saved, not refused as changed elsewhere", async () => {
    const draft: OfferDraft = { ...emptyDraft("quantityBreaks"), title: "Saved, answer lost", eligible: [pickedTestProduct(cup, 800)] };
    const created = await responseOf(async () =>
      tierNew.action(args(await post(shopId, "/app/tiers/new", { intent: "save", draft: JSON.stringify(draft), clientToken: crypto.randomUUID() }))),
    );
    const { offerId } = (await created.json()) as { offerId: string };
    const open = await tierEdit.loader(args(await adminRequest(shopId, `/app/tiers/${offerId}`), { id: offerId }));
    const save = async (title: string) =>
      responseOf(async () =>
        tierEdit.action(
          args(await post(shopId, `/app/tiers/${offerId}`, { intent: "save", draft: JSON.stringify({ ...open.draft, title }), version: open.version ?? "" }), {
            id: offerId,
          }),
        ),
      );
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await save("Edited once")).status).toBe(200);
    const landed = await db.offer.findFirstOrThrow({ where: { shopId, id: offerId } });
    // The answer never reached the form, so it still holds the version it loaded.
    const again = await save("Edited once");
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ ok: true, offerId });
    // Nothing written twice.
    expect(await db.offer.findFirstOrThrow({ where: { shopId, id: offerId } })).toEqual(landed);
    // Anything else from that old version is still refused: it would overwrite a change the form has not seen.
    expect((await save("Edited twice")).status).toBe(409);
  });

  describe("an edit sent again with further changes after a save whose answer was lost", () => {
    // Each press of Save sends its own token; the form also sends the tokens of its saves that got
    // no answer, and still holds the version it loaded (docs/decisions/0013).
    type Open = { draft: OfferDraft; version: string | null };
    const openTier = async (shop: string, offerId: string): Promise<Open> => tierEdit.loader(args(await adminRequest(shop, `/app/tiers/${offerId}`), { id: offerId }));
    const newTier = async (shop: string, title: string) => {
      const draft: OfferDraft = { ...emptyDraft("quantityBreaks"), title, eligible: [pickedTestProduct(cup, 800)] };
      const created = await tierNew.action(args(await post(shop, "/app/tiers/new", { intent: "save", draft: JSON.stringify(draft), clientToken: crypto.randomUUID() })));
      return ((await created.json()) as { offerId: string }).offerId;
    };
    const saveTier = async (
      shop: string,
      offerId: string,
      open: Open,
      draft: Partial<OfferDraft>,
      tokens: { saveToken?: string; unanswered?: readonly string[]; version?: string } = {},
    ) => {
      const body = form({ intent: "save", draft: JSON.stringify({ ...open.draft, ...draft }), version: tokens.version ?? open.version ?? "" });
      if (tokens.saveToken) body.set("saveToken", tokens.saveToken);
      for (const token of tokens.unanswered ?? []) body.append("unansweredSaves", token);
      // Versions are milliseconds: the save lands in a later one than the version it is based on.
      await new Promise((resolve) => setTimeout(resolve, 5));
      return responseOf(async () => tierEdit.action(args(await adminRequest(shop, `/app/tiers/${offerId}`, { method: "POST", body }), { id: offerId })));
    };
    const stored = async (offerId: string) => {
      const row = await db.offer.findFirstOrThrow({ where: { shopId, id: offerId } });
      return { title: row.title, tiers: (JSON.parse(row.config) as { tiers: { value: { percent?: number } }[] }).tiers.map((tier) => tier.value.percent) };
    };
    const tenAndTwenty = [{ threshold: "2", value: "10" }, { threshold: "3", value: "20" }];

    it("GIVEN the save landed and its answer was lost WHEN the form, edited further, saves again naming it THEN the further edit is saved, however many answers were lost in a row", async () => {
      const offerId = await newTier(shopId, "Lost, then edited");
      const open = await openTier(shopId, offerId);
      const [first, second, third] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
      expect((await saveTier(shopId, offerId, open, { title: "Lost, then edited: title" }, { saveToken: first })).status).toBe(200);
      // Without naming it, the form's own lost save reads as a change made elsewhere, as before.
      expect((await saveTier(shopId, offerId, open, { title: "Lost, then edited: title", tiers: tenAndTwenty }, { saveToken: second })).status).toBe(409);
      const further = await saveTier(shopId, offerId, open, { title: "Lost, then edited: title", tiers: tenAndTwenty }, { saveToken: second, unanswered: [first] });
      expect(further.status).toBe(200);
      expect(await further.json()).toMatchObject({ ok: true, offerId });
      expect(await stored(offerId)).toEqual({ title: "Lost, then edited: title", tiers: [10, 20] });
      // That answer was lost too: the next save names both.
      const last = await saveTier(shopId, offerId, open, { title: "Lost twice, then edited", tiers: tenAndTwenty }, { saveToken: third, unanswered: [first, second] });
      expect(last.status).toBe(200);
      expect(await stored(offerId)).toEqual({ title: "Lost twice, then edited", tiers: [10, 20] });
    });

    it("GIVEN the form's lost save, then another tab's save or a bulk action WHEN the form saves again naming its lost save THEN 409, and the other write stays", async () => {
      const offerId = await newTier(shopId, "Lost, then another tab");
      const open = await openTier(shopId, offerId);
      const [lost, lostToo] = [crypto.randomUUID(), crypto.randomUUID()];
      expect((await saveTier(shopId, offerId, open, { title: "From the form" }, { saveToken: lost })).status).toBe(200);
      // Edited further and saved over its own lost save, whose answer is lost too.
      expect((await saveTier(shopId, offerId, open, { title: "From the form, twice" }, { saveToken: lostToo, unanswered: [lost] })).status).toBe(200);
      const otherTab = await openTier(shopId, offerId);
      expect((await saveTier(shopId, offerId, otherTab, { title: "From another tab" }, { saveToken: crypto.randomUUID() })).status).toBe(200);
      const refused = await saveTier(shopId, offerId, open, { title: "From the form, edited", tiers: tenAndTwenty }, { saveToken: crypto.randomUUID(), unanswered: [lost, lostToo] });
      expect(refused.status).toBe(409);
      expect(await refused.json()).toMatchObject({ ok: false, error: "offer_changed", draft: { title: "From the form, edited" } });
      expect(await stored(offerId)).toEqual({ title: "From another tab", tiers: [10, 15] });

      // A row action writes no token: the form's lost save is no longer the offer's last write.
      const reopened = await openTier(shopId, offerId);
      const lostAgain = crypto.randomUUID();
      expect((await saveTier(shopId, offerId, reopened, { title: "From the form again" }, { saveToken: lostAgain })).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect((await tierIndex.action(args(await post(shopId, "/app/tiers", { intent: "pause", id: offerId })))).status).toBe(200);
      const afterPause = await saveTier(shopId, offerId, reopened, { title: "From the form again", tiers: tenAndTwenty }, { saveToken: crypto.randomUUID(), unanswered: [lostAgain] });
      expect(afterPause.status).toBe(409);
      expect((await db.offer.findFirstOrThrow({ where: { shopId, id: offerId } })).status).toBe("paused");
      expect(await stored(offerId)).toEqual({ title: "From the form again", tiers: [10, 15] });
    });

    it("GIVEN another offer's or another shop's token WHEN a form names it as its lost save THEN 409; its own lost save's token saves", async () => {
      const offerId = await newTier(shopId, "Whose token");
      const otherOfferId = await newTier(shopId, "Another offer");
      const other = await shopWithCatalog();
      const otherShopDraft: OfferDraft = { ...emptyDraft("quantityBreaks"), title: "Another shop", eligible: [pickedTestProduct(other.cup, 800)] };
      const otherShopOffer = ((await (
        await tierNew.action(args(await post(other.shopId, "/app/tiers/new", { intent: "save", draft: JSON.stringify(otherShopDraft), clientToken: crypto.randomUUID() })))
      ).json()) as { offerId: string }).offerId;
      const open = await openTier(shopId, offerId);
      const [own, otherOffers, otherShops] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
      // Three saves land, each from a form opened at the version it had; only the first is this form's.
      expect((await saveTier(shopId, offerId, open, { title: "Whose token: landed" }, { saveToken: own })).status).toBe(200);
      expect((await saveTier(shopId, otherOfferId, await openTier(shopId, otherOfferId), { title: "Another offer: landed" }, { saveToken: otherOffers })).status).toBe(200);
      expect((await saveTier(other.shopId, otherShopOffer, await openTier(other.shopId, otherShopOffer), { title: "Another shop: landed" }, { saveToken: otherShops })).status).toBe(200);

      for (const unanswered of [[otherOffers], [otherShops], [otherOffers, otherShops]]) {
        const refused = await saveTier(shopId, offerId, open, { title: "Whose token: edited" }, { saveToken: crypto.randomUUID(), unanswered });
        expect(refused.status, unanswered.join()).toBe(409);
      }
      expect((await stored(offerId)).title).toBe("Whose token: landed");
      expect((await saveTier(shopId, offerId, open, { title: "Whose token: edited" }, { saveToken: crypto.randomUUID(), unanswered: [otherOffers, own] })).status).toBe(200);
      expect((await stored(offerId)).title).toBe("Whose token: edited");
      expect((await db.offer.findFirstOrThrow({ where: { id: otherShopOffer } })).title).toBe("Another shop: landed");
    });

    it("GIVEN the offer last written by the form's token but from another version WHEN a save holding an older version names it THEN 409; holding that version, it saves", async () => {
      const offerId = await newTier(shopId, "Which version");
      const first = await openTier(shopId, offerId);
      // Saved and answered: the page reloads at the new version.
      expect((await saveTier(shopId, offerId, first, { title: "Which version: answered" }, { saveToken: crypto.randomUUID() })).status).toBe(200);
      const second = await openTier(shopId, offerId);
      const lost = crypto.randomUUID();
      expect((await saveTier(shopId, offerId, second, { title: "Which version: lost" }, { saveToken: lost })).status).toBe(200);
      // Based on the second version, not the first: something (the answered save) came between the first and it.
      const older = await saveTier(shopId, offerId, second, { title: "Which version: from the first" }, { saveToken: crypto.randomUUID(), unanswered: [lost], version: first.version ?? "" });
      expect(older.status).toBe(409);
      expect((await stored(offerId)).title).toBe("Which version: lost");
      expect((await saveTier(shopId, offerId, second, { title: "Which version: edited" }, { saveToken: crypto.randomUUID(), unanswered: [lost] })).status).toBe(200);
      expect((await stored(offerId)).title).toBe("Which version: edited");
    });

    it("GIVEN two saves racing over the form's lost save THEN the write's own check lets one through and refuses the other", async () => {
      const offerId = await newTier(shopId, "Racing");
      const open = await openTier(shopId, offerId);
      const lost = crypto.randomUUID();
      expect((await saveTier(shopId, offerId, open, { title: "Racing: lost" }, { saveToken: lost })).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 5));
      const record = await db.offer.findFirstOrThrow({ where: { shopId, id: offerId } });
      const input = { ...(JSON.parse(record.config) as Record<string, unknown>) };
      const race = await Promise.all(
        ["Racing: one", "Racing: two"].map((title) =>
          updateOffer(shopId, offerId, { ...input, title }, { expectedUpdatedAt: new Date(open.version ?? ""), save: { token: crypto.randomUUID(), unanswered: [lost] } }),
        ),
      );
      expect(race.filter((result) => result !== null && result !== "changed" && result.ok)).toHaveLength(1);
      expect(race.filter((result) => result === "changed")).toHaveLength(1);
    });

    it("refuses tokens it cannot read (too many, too long) as a form it cannot read, saving nothing", async () => {
      const offerId = await newTier(shopId, "Bounded");
      const open = await openTier(shopId, offerId);
      const tooMany = Array.from({ length: 21 }, () => crypto.randomUUID());
      for (const tokens of [{ saveToken: crypto.randomUUID(), unanswered: tooMany }, { saveToken: "x".repeat(101) }, { saveToken: crypto.randomUUID(), unanswered: ["short"] }]) {
        const refused = await saveTier(shopId, offerId, open, { title: "Bounded: edited" }, tokens);
        expect(refused.status).toBe(400);
        expect(await refused.json()).toMatchObject({ errors: { _: "The form could not be read; reload the page and try again." } });
      }
      expect((await stored(offerId)).title).toBe("Bounded");
      expect((await saveTier(shopId, offerId, open, { title: "Bounded: edited" }, { saveToken: crypto.randomUUID(), unanswered: tooMany.slice(1) })).status).toBe(200);
    });
  });

  it("GIVEN the offer was deleted in another tab WHEN its open form saves or deletes THEN the form stays, with what was typed and why it was not saved", async () => {
    const { body } = await createBundle(shopId, bundleDraft(teapot, cup, { title: "Deleted meanwhile" }));
    const offerId = body.offerId as string;
    const open = await bundleEdit.loader(args(await adminRequest(shopId, `/app/bundles/${offerId}`), { id: offerId }));
    await bundleIndex.action(args(await post(shopId, "/app/bundles", { intent: "delete", id: offerId })));
    expect(await db.offer.count({ where: { shopId, id: offerId } })).toBe(0);

    const typed = { ...open.draft, title: "Typed after the delete" };
    const saved = await bundleEdit.action(
      args(await post(shopId, `/app/bundles/${offerId}`, { intent: "save", draft: JSON.stringify(typed), version: open.version ?? "" }), { id: offerId }),
    );
    expect(saved.status).toBe(404);
    const answer = (await saved.json()) as { ok: boolean; error: string; errors: Record<string, string>; draft: OfferDraft };
    expect(answer).toMatchObject({ ok: false, error: "offer_deleted", draft: { title: "Typed after the delete" } });
    expect(answer.errors._).toMatch(/^This offer was deleted somewhere else/);
    expect(await db.offer.count({ where: { shopId, title: "Typed after the delete" } })).toBe(0);

    // Deleting it again from the open form: the form says it is gone (no crash, no error page).
    const deleted = await bundleEdit.action(args(await post(shopId, `/app/bundles/${offerId}`, { intent: "delete" }), { id: offerId }));
    expect(deleted.status).toBe(404);
    expect(await deleted.json()).toMatchObject({ ok: false, errors: { _: "No such offer in this shop." } });
  });

  it("shows a sync failure to the merchant without undoing the save", async () => {
    syncControl.failWith = "Shopify rejected the discount: Function not found.";
    const { response, body } = await createBundle(shopId, bundleDraft(teapot, cup, { title: "Sync fails" }));
    expect(response.status).toBe(200);
    expect(body.sync).toMatchObject({ errors: ["Shopify rejected the discount: Function not found."] });
    expect(await db.offer.count({ where: { shopId, title: "Sync fails" } })).toBe(1);
  });

  it("treats an offer of another page's type as not found", async () => {
    const { body } = await createBundle(shopId, bundleDraft(teapot, cup, { title: "Only a bundle" }));
    const id = body.offerId as string;
    const response = await responseOf(async () => tierEdit.loader(args(await adminRequest(shopId, `/app/tiers/${id}`), { id })) as never);
    expect(response.status).toBe(404);
  });
});

describe("the index pages", () => {
  it("say when checkout is not applying the offers' savings, and why", async () => {
    const { shopId, teapot, cup } = await shopWithCatalog();
    const load = async () => tierIndex.loader(args(await adminRequest(shopId, "/app/tiers")));
    expect((await load()).checkoutDiscount).toEqual({ status: "none", lastError: null });
    await createBundle(shopId, bundleDraft(teapot, cup));
    expect((await load()).checkoutDiscount.status).toBe("recorded");
    await db.discountSync.updateMany({ where: { shopId }, data: { status: "deleted_in_shopify", lastError: "Upshelf's discount was deleted in Shopify's admin." } });
    expect((await load()).checkoutDiscount).toEqual({ status: "deleted_in_shopify", lastError: "Upshelf's discount was deleted in Shopify's admin." });
  });

  it("lists the page's offers with status, schedule and attributed units and revenue from this shop's orders only", async () => {
    const { shopId, teapot, cup } = await shopWithCatalog();
    const other = await createTestShop({ currency: "GBP" });
    const { body } = await createBundle(shopId, bundleDraft(teapot, cup, { startsAt: "2030-01-01T09:00:00.000Z" }));
    const offerId = body.offerId as string;
    const order = async (
      ofShop: string,
      cancelled: boolean,
      lines: { quantity: number; unit: number; discount: number; refunded?: { amount: number; units: number } }[],
      // An order stored with its refund known only as a whole (an orders CSV export).
      wholeOrder?: { subtotal: number; refunded: number },
    ) =>
      db.order.create({
        data: {
          shopId: ofShop,
          shopifyId: crypto.randomUUID(),
          name: "#1",
          currency: "GBP",
          subtotalAmount: wholeOrder?.subtotal ?? 0,
          refundedAmount: wholeOrder?.refunded ?? 0,
          totalAmount: 0,
          placedAt: new Date(),
          cancelledAt: cancelled ? new Date() : null,
          lines: {
            create: lines.map((line) => ({
              shopId: ofShop,
              title: "Tea",
              quantity: line.quantity,
              unitPriceAmount: line.unit,
              discountAmount: line.discount,
              refundedAmount: line.refunded?.amount ?? 0,
              refundedQuantity: line.refunded?.units ?? 0,
              currency: "GBP",
              upshelfOffer: offerId,
            })),
          },
        },
      });
    await order(shopId, false, [{ quantity: 1, unit: 2500, discount: 300 }, { quantity: 2, unit: 800, discount: 300 }]);
    await order(shopId, false, [{ quantity: 1, unit: 2500, discount: 0 }]);
    // One of two cups sent back: one unit sold, one paid for.
    await order(shopId, false, [{ quantity: 2, unit: 800, discount: 0, refunded: { amount: 800, units: 1 } }]);
    await order(shopId, true, [{ quantity: 5, unit: 2500, discount: 0 }]);
    // Refunded in full, the export not saying which lines: the offer kept nothing of it.
    await order(shopId, false, [{ quantity: 1, unit: 2500, discount: 0 }], { subtotal: 3000, refunded: 3000 });
    // Half refunded, lines unknown: the offer's line counts for no more than the order kept.
    await order(shopId, false, [{ quantity: 1, unit: 2500, discount: 0 }], { subtotal: 2500, refunded: 1250 });
    // Another shop's line naming the same id (a guess, or a collision) is not this offer's.
    await order(other.id, false, [{ quantity: 7, unit: 9999, discount: 0 }]);

    const data = await bundleIndex.loader(args(await adminRequest(shopId, "/app/bundles")));
    expect(data.currency).toBe("GBP");
    expect(data.rows).toEqual([
      expect.objectContaining({
        id: offerId,
        title: "Tea for two",
        type: "fixedBundle",
        status: "active",
        state: "scheduled",
        startsAt: "2030-01-01T09:00:00.000Z",
        endsAt: null,
        units: 5 + 1,
        revenue: 2500 + 1600 - 600 + 2500 + 800 + 1250,
      }),
    ]);
    const tiers = await tierIndex.loader(args(await adminRequest(shopId, "/app/tiers")));
    expect(tiers.rows).toEqual([]);
  });

  it("pauses, activates, duplicates once per token, and deletes", async () => {
    const { shopId, teapot, cup } = await shopWithCatalog();
    const { body } = await createBundle(shopId, bundleDraft(teapot, cup));
    const id = body.offerId as string;
    const act = async (fields: Record<string, string>) => responseOf(async () => bundleIndex.action(args(await post(shopId, "/app/bundles", fields))));

    expect((await act({ intent: "pause", id })).status).toBe(200);
    expect((await db.offer.findFirstOrThrow({ where: { id } })).status).toBe("paused");
    expect((await act({ intent: "activate", id })).status).toBe(200);
    expect((await db.offer.findFirstOrThrow({ where: { id } })).status).toBe("active");

    const token = crypto.randomUUID();
    const copies = await Promise.all([act({ intent: "duplicate", id, clientToken: token }), act({ intent: "duplicate", id, clientToken: token })]);
    const copyIds = await Promise.all(copies.map(async (response) => ((await response.json()) as Json).offerId));
    expect(copyIds[0]).toBe(copyIds[1]);
    const copy = await db.offer.findFirstOrThrow({ where: { shopId, id: copyIds[0] as string } });
    expect(copy).toMatchObject({ title: "Copy of Tea for two", status: "draft" });
    // A long title is cut to 255 by whole characters: never half an emoji.
    const long = (await createBundle(shopId, bundleDraft(teapot, cup, { title: `${"a".repeat(246)}🫖 pot` }))).body.offerId as string;
    const longCopy = await act({ intent: "duplicate", id: long, clientToken: crypto.randomUUID() });
    const longCopyId = ((await longCopy.json()) as Json).offerId as string;
    expect((await db.offer.findFirstOrThrow({ where: { shopId, id: longCopyId } })).title).toBe(`Copy of ${"a".repeat(246)}`);

    expect((await act({ intent: "delete", id })).status).toBe(200);
    expect(await db.offer.findFirst({ where: { id } })).toBeNull();
    expect((await act({ intent: "delete", id })).status).toBe(404);
    expect((await act({ intent: "explode", id: copy.id })).status).toBe(400);
    expect(syncControl.calls.length).toBeGreaterThanOrEqual(4);
  });

  it("refuses to activate, alone or in a selection, an offer the catalog's changed prices now make a loss for buyers, naming it", async () => {
    const { shopId, teapot, cup } = await shopWithCatalog();
    // £35.00 for a teapot and two cups, which cost £33.00 once a cup is £4.00: saving would now refuse it.
    const bundle = (await createBundle(shopId, bundleDraft(teapot, cup, { title: "Pricey pair", status: "paused" }))).body.offerId as string;
    const fine = (await createBundle(shopId, bundleDraft(teapot, cup, { title: "Fine pair", status: "paused", pricingValue: "30.00" }))).body.offerId as string;
    await db.variant.updateMany({ where: { shopId, shopifyId: cup.variantShopifyId }, data: { priceAmount: 400 } });
    const act = async (fields: Record<string, string>) => responseOf(async () => bundleIndex.action(args(await post(shopId, "/app/bundles", fields))));
    const status = async (id: string) => (await db.offer.findFirstOrThrow({ where: { id } })).status;

    const single = await act({ intent: "activate", id: bundle });
    expect(single.status).toBe(400);
    expect(((await single.json()) as Json).message).toMatch(/"Pricey pair": .*below the items' sum/);
    const both = await act({ intent: "bulk-activate", ids: `${fine},${bundle}` });
    expect(both.status).toBe(400);
    expect([await status(bundle), await status(fine)]).toEqual(["paused", "paused"]);

    expect((await act({ intent: "activate", id: fine })).status).toBe(200);
    expect(await status(fine)).toBe("active");
  });

  it("GIVEN a live bundle naming a product deleted in Shopify THEN the list marks it and names the product, and others stay plain active", async () => {
    const { shopId, teapot, cup } = await shopWithCatalog();
    const kettle = await createTestProduct(shopId, { title: "Kettle", price: 1500, currency: "GBP" });
    const withCup = (await createBundle(shopId, bundleDraft(teapot, cup, { title: "Teapot and cup" }))).body.offerId as string;
    const withKettle = (await createBundle(shopId, bundleDraft(teapot, kettle, { title: "Teapot and kettle", pricingValue: "30.00" }))).body.offerId as string;
    // products/delete, as the webhook handler runs it.
    await deleteProduct(shopId, cup.shopifyId);
    const data = await bundleIndex.loader(args(await adminRequest(shopId, "/app/bundles")));
    const rows = Object.fromEntries(data.rows.map((row) => [row.id, { state: row.state, problem: row.problem }]));
    expect(rows[withCup]).toEqual({
      state: "item_deleted",
      problem: `Product ${cup.shopifyId} was deleted in Shopify, so buyers cannot get it through this offer: replace or remove it.`,
    });
    expect(rows[withKettle]).toEqual({ state: "active", problem: null });
    // Paused, it is not live: nothing to warn of.
    await setOfferStatus(shopId, withCup, "paused");
    const paused = await bundleIndex.loader(args(await adminRequest(shopId, "/app/bundles")));
    expect(paused.rows.find((row) => row.id === withCup)).toMatchObject({ state: "paused", problem: null });
  });

  it("GIVEN a live bundle the catalog's changed prices break THEN the list marks it and says why, and others stay plain active", async () => {
    const { shopId, teapot, cup } = await shopWithCatalog();
    const pricey = (await createBundle(shopId, bundleDraft(teapot, cup, { title: "Pricey pair" }))).body.offerId as string;
    const fine = (await createBundle(shopId, bundleDraft(teapot, cup, { title: "Fine pair", pricingValue: "30.00" }))).body.offerId as string;
    const stateOf = async () => {
      const data = await bundleIndex.loader(args(await adminRequest(shopId, "/app/bundles")));
      return Object.fromEntries(data.rows.map((row) => [row.id, { state: row.state, problem: row.problem }]));
    };
    expect(await stateOf()).toEqual({ [pricey]: { state: "active", problem: null }, [fine]: { state: "active", problem: null } });
    await db.variant.updateMany({ where: { shopId, shopifyId: cup.variantShopifyId }, data: { priceAmount: 400 } });
    const after = await stateOf();
    expect(after[pricey]).toEqual({ state: "prices_changed", problem: expect.stringMatching(/below the items' sum/) });
    expect(after[fine]).toEqual({ state: "active", problem: null });

    // An offer a rule added since refuses (equal tiers, saved before) is not blamed on prices.
    const tiers = await createTestOffer(shopId, {
      type: "quantityBreaks",
      title: "Same again",
      status: "active",
      eligible: { productIds: [`gid://shopify/Product/${cup.shopifyId}`] },
      tiers: [
        { minQuantity: 2, value: { kind: "percentage", percent: 10 } },
        { minQuantity: 4, value: { kind: "percentage", percent: 12 } },
      ],
    });
    const stored = await db.offer.findFirstOrThrow({ where: { id: tiers } });
    const config = JSON.parse(stored.config) as { tiers: { value: { percent: number } }[] };
    config.tiers[1]!.value.percent = 10;
    await db.offer.update({ where: { id: tiers }, data: { config: JSON.stringify(config) } });
    const list = await tierIndex.loader(args(await adminRequest(shopId, "/app/tiers")));
    expect(list.rows.find((row) => row.id === tiers)).toMatchObject({ state: "active", problem: null });
  });

  it("GIVEN the shop's currency changed under a live offer THEN the list says checkout leaves it out, activating says why, and its editor asks for the amounts again", async () => {
    const { shopId, teapot, cup } = await shopWithCatalog();
    const offerId = (await createBundle(shopId, bundleDraft(teapot, cup, { title: "Pounds pair", pricingKind: "amountOff", pricingValue: "5.00" }))).body.offerId as string;
    await db.shop.update({ where: { id: shopId }, data: { currency: "JPY" } });

    const list = await bundleIndex.loader(args(await adminRequest(shopId, "/app/bundles")));
    expect(list.rows.find((row) => row.id === offerId)).toMatchObject({
      state: "currency_changed",
      problem: "Its amounts are in GBP, but the shop now sells in JPY, so checkout does not apply it: enter its amounts again in JPY.",
    });
    await bundleIndex.action(args(await post(shopId, "/app/bundles", { intent: "pause", id: offerId })));
    const activating = await responseOf(async () => bundleIndex.action(args(await post(shopId, "/app/bundles", { intent: "activate", id: offerId }))));
    expect(activating.status).toBe(400);
    expect(((await activating.json()) as Json).message).toMatch(/^Not activated, as the shop's currency has changed since saving\./);

    // 500 pence are not 500 yen: the editor leaves the amount empty and says why.
    const open = await bundleEdit.loader(args(await adminRequest(shopId, `/app/bundles/${offerId}`), { id: offerId }));
    expect(open.amountsSavedIn).toEqual(["GBP"]);
    expect(open.draft.pricingValue).toBe("");
    expect(open.currency).toBe("JPY");
  });

  it("GIVEN a ladder step whose variant left the catalog THEN its editor still saves, so the merchant can pause it", async () => {
    const { shopId, teapot, cup } = await shopWithCatalog();
    const step = (product: TestProduct, price: number): PickedItem => ({
      ...pickedTestProduct(product, price),
      kind: "variant",
      id: `gid://shopify/ProductVariant/${product.variantShopifyId}`,
    });
    const draft: OfferDraft = {
      ...emptyDraft("upgradeLadder"),
      title: "Cup to teapot",
      status: "active",
      steps: [{ item: step(cup, 800), label: "" }, { item: step(teapot, 2500), label: "" }],
      incentiveKind: "percentage",
      incentiveValue: "5",
    };
    const created = await responseOf(async () =>
      ladderNew.action(args(await post(shopId, "/app/ladders/new", { intent: "save", draft: JSON.stringify(draft), clientToken: crypto.randomUUID() }))),
    );
    const offerId = ((await created.json()) as Json).offerId as string;
    await db.product.delete({ where: { id: cup.id } });
    const open = await ladderEdit.loader(args(await adminRequest(shopId, `/app/ladders/${offerId}`), { id: offerId }));
    expect(open.draft.steps[0]?.item).toMatchObject({ kind: "variant", productId: "" });
    const paused = await ladderEdit.action(
      args(await post(shopId, `/app/ladders/${offerId}`, { intent: "save", draft: JSON.stringify({ ...open.draft, status: "paused" }), version: open.version ?? "" }), { id: offerId }),
    );
    expect(paused.status).toBe(200);
    expect((await db.offer.findFirstOrThrow({ where: { shopId, id: offerId } })).status).toBe("paused");
  });

  it("GIVEN a ladder step the catalog has no price for in the shop's currency THEN saving keeps it and names the upgrades the storefront leaves out", async () => {
    const { shopId, teapot, cup } = await shopWithCatalog();
    // Priced in euros in a pound shop (an import, or the shop's currency changed): no GBP price to state.
    const kettle = await createTestProduct(shopId, { title: "Glass kettle", price: 1500, currency: "EUR" });
    const draft: OfferDraft = {
      ...emptyDraft("upgradeLadder"),
      title: "Cup, kettle, teapot",
      status: "active",
      // The browser's draft may carry a price for it (a stale page): saving judges by the catalog.
      steps: [
        { item: pickedTestProduct(cup, 800), label: "" },
        { item: pickedTestProduct(kettle, 1500), label: "" },
        { item: pickedTestProduct(teapot, 2500), label: "" },
      ],
    };
    const response = await responseOf(async () =>
      ladderNew.action(args(await post(shopId, "/app/ladders/new", { intent: "save", draft: JSON.stringify(draft), clientToken: crypto.randomUUID() }))),
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as Json;
    expect(body).toMatchObject({ ok: true });
    expect(body.warnings).toEqual([
      {
        kind: "upgradesHidden",
        messages: [
          "Step 2 (“Glass kettle”) has no price in GBP in Upshelf's catalog, so the storefront does not offer the upgrade from step 1 to it or the upgrade from it to step 3 until it has one.",
        ],
      },
    ]);
    // What the warning says is what the storefront does: no upgrade on the cup's page or the kettle's.
    for (const product of [cup, kettle]) {
      const offers = await describeProductOffers(shopId, product.shopifyId);
      expect(offers?.offers.filter((offer) => offer.id === body.offerId)).toEqual([]);
    }
    // Priced in GBP at last (a sync): the upgrade shows without saving again, and saving says nothing more.
    await db.variant.updateMany({ where: { shopId, productId: kettle.id }, data: { currency: "GBP" } });
    expect((await describeProductOffers(shopId, cup.shopifyId))?.offers.find((offer) => offer.id === body.offerId)).toMatchObject({ upgrade: { title: "Glass kettle" } });
    const open = await ladderEdit.loader(args(await adminRequest(shopId, `/app/ladders/${body.offerId as string}`), { id: body.offerId as string }));
    const resaved = await ladderEdit.action(
      args(await post(shopId, `/app/ladders/${body.offerId as string}`, { intent: "save", draft: JSON.stringify(open.draft), version: open.version ?? "" }), { id: body.offerId as string }),
    );
    expect(await resaved.json()).toMatchObject({ ok: true, warnings: [] });
  });

  it("GIVEN a fixed bundle with an item the catalog has no price for THEN saving keeps it, names the item and says the storefront leaves the bundle out", async () => {
    const { shopId, teapot, cup } = await shopWithCatalog();
    const kettle = await createTestProduct(shopId, { title: "Glass kettle", price: 1500, currency: "EUR" });
    const draft: OfferDraft = {
      ...bundleDraft(teapot, cup, { title: "Kettle set", pricingKind: "percentage", pricingValue: "10" }),
      // The browser's draft carries a price for it (a stale page): saving judges by the catalog.
      items: [
        { item: pickedTestProduct(teapot, 2500), quantity: "1" },
        { item: pickedTestProduct(kettle, 1500), quantity: "1" },
      ],
    };
    const { response, body } = await createBundle(shopId, draft);
    expect(response.status).toBe(200);
    expect(body.warnings).toEqual([
      {
        kind: "bundleHidden",
        messages: ["“Glass kettle” has no price in GBP in Upshelf's catalog, so the storefront shows this bundle on none of its products' pages until it has one."],
      },
    ]);
    // What the warning says is what the storefront does: no bundle on the teapot's page or the kettle's.
    for (const product of [teapot, kettle]) {
      expect((await describeProductOffers(shopId, product.shopifyId))?.offers.filter((offer) => offer.id === body.offerId)).toEqual([]);
    }
    // Priced in GBP at last: the bundle shows without saving again, and saving says nothing more.
    await db.variant.updateMany({ where: { shopId, productId: kettle.id }, data: { currency: "GBP" } });
    expect((await describeProductOffers(shopId, teapot.shopifyId))?.offers.find((offer) => offer.id === body.offerId)).toMatchObject({ type: "fixedBundle" });
    const offerId = body.offerId as string;
    const open = await bundleEdit.loader(args(await adminRequest(shopId, `/app/bundles/${offerId}`), { id: offerId }));
    const resaved = await bundleEdit.action(
      args(await post(shopId, `/app/bundles/${offerId}`, { intent: "save", draft: JSON.stringify(open.draft), version: open.version ?? "" }), { id: offerId }),
    );
    expect(await resaved.json()).toMatchObject({ ok: true, warnings: [] });
  });

  it("GIVEN an amount off each that no catalog price can be checked against THEN saving says which amount, against which item, and the list checks it once the price is known", async () => {
    const { shopId, cup } = await shopWithCatalog();
    const kettle = await createTestProduct(shopId, { title: "Glass kettle", price: 1500, currency: "EUR" });
    const draft: OfferDraft = {
      ...emptyDraft("quantityBreaks"),
      title: "Kitchen breaks",
      status: "active",
      eligible: [pickedTestProduct(cup, 800), pickedTestProduct(kettle, 1500)],
      tierKind: "amountOffEach",
      tiers: [
        { threshold: "2", value: "1.00" },
        { threshold: "3", value: "3.00" },
      ],
    };
    const created = await responseOf(async () =>
      tierNew.action(args(await post(shopId, "/app/tiers/new", { intent: "save", draft: JSON.stringify(draft), clientToken: crypto.randomUUID() }))),
    );
    expect(created.status).toBe(200);
    const body = (await created.json()) as Json;
    expect(body.warnings).toEqual([
      {
        kind: "amountsUnchecked",
        messages: [
          "The amount off each (£1.00 at 2+, £3.00 at 3+) is not checked against the items' prices: “Glass kettle” has no price in GBP in Upshelf's catalog. If it costs £3.00 or less, buyers are promised more than checkout takes off.",
        ],
      },
    ]);
    // A price of £2.50 arrives: what the warning said could happen now shows in the list, and activating is refused.
    await db.variant.updateMany({ where: { shopId, productId: kettle.id }, data: { currency: "GBP", priceAmount: 250 } });
    const list = await tierIndex.loader(args(await adminRequest(shopId, "/app/tiers")));
    expect(list.rows.find((row) => row.id === body.offerId)).toMatchObject({ state: "prices_changed", problem: expect.stringMatching(/amount off each must be below/) });
    await tierIndex.action(args(await post(shopId, "/app/tiers", { intent: "pause", id: body.offerId as string })));
    const activating = await responseOf(async () => tierIndex.action(args(await post(shopId, "/app/tiers", { intent: "activate", id: body.offerId as string }))));
    expect(activating.status).toBe(400);

    // A ladder's amount-off incentive likewise, said under the upgrades the storefront leaves out for want of the same price.
    const jug = await createTestProduct(shopId, { title: "Copper jug", price: 4000, currency: "EUR" });
    const ladder: OfferDraft = {
      ...emptyDraft("upgradeLadder"),
      title: "Cup to jug",
      status: "active",
      steps: [{ item: pickedTestProduct(cup, 800), label: "" }, { item: pickedTestProduct(jug, 4000), label: "" }],
      incentiveKind: "amountOffEach",
      incentiveValue: "2.00",
    };
    const saved = await responseOf(async () =>
      ladderNew.action(args(await post(shopId, "/app/ladders/new", { intent: "save", draft: JSON.stringify(ladder), clientToken: crypto.randomUUID() }))),
    );
    expect(((await saved.json()) as Json).warnings).toEqual([
      {
        kind: "upgradesHidden",
        messages: [
          expect.stringMatching(/^Step 2 \(“Copper jug”\) has no price in GBP/),
          "The incentive (£2.00 off) is not checked against the steps' prices: step 2 (“Copper jug”) has no price in GBP in Upshelf's catalog. If it costs £2.00 or less, buyers are promised more than checkout takes off.",
        ],
      },
    ]);
  });

  it("GIVEN a quantity-break tier that saves nothing each at the catalog's price THEN saving and activating name it, and the storefront lists the tiers that save something", async () => {
    const { shopId } = await shopWithCatalog();
    const cube = await createTestProduct(shopId, { title: "Sugar cube", price: 10, currency: "GBP" });
    const draft: OfferDraft = {
      ...emptyDraft("quantityBreaks"),
      title: "Sugar multibuy",
      status: "paused",
      eligible: [pickedTestProduct(cube, 10)],
      tierKind: "percentage",
      tiers: [
        { threshold: "2", value: "1" },
        { threshold: "3", value: "20" },
      ],
    };
    const created = await responseOf(async () =>
      tierNew.action(args(await post(shopId, "/app/tiers/new", { intent: "save", draft: JSON.stringify(draft), clientToken: crypto.randomUUID() }))),
    );
    const saved = (await created.json()) as Json;
    const offerId = saved.offerId as string;
    // £0.10 each: two less 1% still cost £0.20 (checkout rounds the 0.2p off to nothing); three less 20% cost £0.24.
    const tiersHidden = {
      kind: "tiersHidden",
      messages: ["The 2+ tier (1% off) saves less than £0.01 each on “Sugar cube” at £0.10, so the storefront does not list it on that item's page."],
    };
    expect(saved.warnings).toEqual([tiersHidden]);
    const act = async (fields: Record<string, string>) => responseOf(async () => tierIndex.action(args(await post(shopId, "/app/tiers", fields))));
    expect(await (await act({ intent: "activate", id: offerId })).json()).toMatchObject({ ok: true, warnings: [{ offerId, title: "Sugar multibuy", warnings: [tiersHidden] }] });
    const tiersOnPage = async () => (await describeProductOffers(shopId, cube.shopifyId))?.offers.find((offer) => offer.id === offerId)?.tiers?.map((tier) => tier.label);
    expect(await tiersOnPage()).toEqual(["3+"]);
    // At £10.00 the tiers save £0.10 and £2.00 each: both listed, and activating again says nothing.
    await db.variant.updateMany({ where: { shopId, shopifyId: cube.variantShopifyId }, data: { priceAmount: 1000 } });
    expect(await tiersOnPage()).toEqual(["2+", "3+"]);
    await act({ intent: "pause", id: offerId });
    expect(await (await act({ intent: "activate", id: offerId })).json()).toMatchObject({ ok: true, warnings: [] });
  });

  it("GIVEN a paused ladder with a step the catalog has no price for WHEN it is activated from its list, alone or in a selection THEN the answer carries the warnings saving it gives", async () => {
    const { shopId, teapot, cup } = await shopWithCatalog();
    const kettle = await createTestProduct(shopId, { title: "Glass kettle", price: 1500, currency: "EUR" });
    const draft: OfferDraft = {
      ...emptyDraft("upgradeLadder"),
      title: "Cup, kettle, teapot",
      status: "paused",
      steps: [cup, kettle, teapot].map((product) => ({ item: pickedTestProduct(product, 1000), label: "" })),
      incentiveKind: "amountOffEach",
      incentiveValue: "1.00",
    };
    const created = await responseOf(async () =>
      ladderNew.action(args(await post(shopId, "/app/ladders/new", { intent: "save", draft: JSON.stringify(draft), clientToken: crypto.randomUUID() }))),
    );
    const saved = (await created.json()) as Json;
    const offerId = saved.offerId as string;
    // The upgrade left out and its incentive unchecked, for want of the same price: one banner.
    expect(saved.warnings).toEqual([{ kind: "upgradesHidden", messages: [expect.stringMatching(/^Step 2/), expect.stringMatching(/^The incentive/)] }]);
    const act = async (fields: Record<string, string>) => responseOf(async () => ladderIndex.action(args(await post(shopId, "/app/ladders", fields))));

    const activated = await act({ intent: "activate", id: offerId });
    expect(activated.status).toBe(200);
    expect(await activated.json()).toMatchObject({ ok: true, intent: "activate", warnings: [{ offerId, title: "Cup, kettle, teapot", warnings: saved.warnings }] });
    expect((await db.offer.findFirstOrThrow({ where: { id: offerId } })).status).toBe("active");
    // Pausing says nothing of it: the storefront shows nothing of a paused offer.
    expect(await (await act({ intent: "pause", id: offerId })).json()).toMatchObject({ ok: true, warnings: [] });
    const bulk = await act({ intent: "bulk-activate", ids: offerId });
    expect(await bulk.json()).toMatchObject({ ok: true, intent: "bulk-activate", warnings: [{ offerId, warnings: saved.warnings }] });
  });

  it("GIVEN a duplicated ladder WHEN the copy is activated from the list, alone or with another copy THEN the answer names the overlaps saving names, each pair once", async () => {
    const { shopId, teapot, cup } = await shopWithCatalog();
    const ladder = await createTestOffer(shopId, {
      type: "upgradeLadder",
      title: "Cup to teapot",
      status: "active",
      steps: [cup, teapot].map((product) => ({ ref: { productId: `gid://shopify/Product/${product.shopifyId}` } })),
      incentive: { kind: "percentage", percent: 10 },
    });
    const act = async (fields: Record<string, string>) => responseOf(async () => ladderIndex.action(args(await post(shopId, "/app/ladders", fields))));
    const duplicate = async () => ((await (await act({ intent: "duplicate", id: ladder, clientToken: crypto.randomUUID() })).json()) as Json).offerId as string;
    const copy = await duplicate();

    // What the copy's editor says of it, from the same check.
    const open = await ladderEdit.loader(args(await adminRequest(shopId, `/app/ladders/${copy}`), { id: copy }));
    expect(open.otherOffers.map((offer) => offer.id)).toEqual([ladder]);
    const overlap = `"Cup to teapot" also discounts 2 products in this offer and the two cannot combine: a buyer gets only the one that saves more. Shared: Teapot and Tea Cup.`;

    const activated = await act({ intent: "activate", id: copy });
    expect(activated.status).toBe(200);
    expect(await activated.json()).toMatchObject({
      ok: true,
      intent: "activate",
      warnings: [{ offerId: copy, title: "Copy of Cup to teapot", warnings: [{ kind: "overlaps", messages: [overlap] }] }],
    });
    expect((await db.offer.findFirstOrThrow({ where: { id: copy } })).status).toBe("active");

    // Two copies at once: each overlaps the original, and the two copies each other, said once.
    await act({ intent: "pause", id: copy });
    const second = await duplicate();
    const bulk = (await (await act({ intent: "bulk-activate", ids: `${copy},${second}` })).json()) as { warnings: { offerId: string; warnings: { kind: string; messages: string[] }[] }[] };
    const said = Object.fromEntries(bulk.warnings.map((entry) => [entry.offerId, entry.warnings.find((warning) => warning.kind === "overlaps")?.messages ?? []]));
    const messages = [...(said[copy] ?? []), ...(said[second] ?? [])];
    expect(messages.filter((message) => message === overlap)).toHaveLength(2);
    expect(messages.filter((message) => message.startsWith(`"Copy of Cup to teapot" also discounts 2 products`))).toHaveLength(1);
    expect(messages).toHaveLength(3);

    // Pausing says nothing of overlaps.
    expect(await (await act({ intent: "pause", id: copy })).json()).toMatchObject({ ok: true, warnings: [] });
  });

  it("pauses, activates and deletes a selection at once, with one discount sync each, and all or nothing", async () => {
    const { shopId, teapot, cup } = await shopWithCatalog();
    const ids: string[] = [];
    for (const title of ["First pair", "Second pair", "Third pair"]) ids.push((await createBundle(shopId, bundleDraft(teapot, cup, { title }))).body.offerId as string);
    const [first = "", second = "", third = ""] = ids;
    const act = async (fields: Record<string, string>) => responseOf(async () => bundleIndex.action(args(await post(shopId, "/app/bundles", fields))));
    const statuses = async () => (await db.offer.findMany({ where: { shopId }, orderBy: { title: "asc" } })).map((offer) => [offer.title, offer.status]);
    syncControl.calls = [];

    const paused = await act({ intent: "bulk-pause", ids: `${first}, ${second},${first}` });
    expect(paused.status).toBe(200);
    expect(await paused.json()).toMatchObject({ ok: true, intent: "bulk-pause", offerIds: [first, second] });
    expect(await statuses()).toEqual([["First pair", "paused"], ["Second pair", "paused"], ["Third pair", "active"]]);
    expect(syncControl.calls).toEqual([shopId]);
    // The offer's stored configuration says paused too, so checkout's copy agrees.
    expect(JSON.parse((await db.offer.findFirstOrThrow({ where: { id: first } })).config)).toMatchObject({ status: "paused" });

    expect((await act({ intent: "bulk-activate", ids: [first, second, third].join(",") })).status).toBe(200);
    expect(await statuses()).toEqual([["First pair", "active"], ["Second pair", "active"], ["Third pair", "active"]]);

    // One id that is not this page's offer: nothing changes, and the answer says which kind of problem.
    const other = await shopWithCatalog();
    const foreign = (await createBundle(other.shopId, bundleDraft(other.teapot, other.cup))).body.offerId as string;
    expect((await act({ intent: "bulk-pause", ids: `${first},${foreign}` })).status).toBe(404);
    expect((await act({ intent: "bulk-delete", ids: `${first},off_missing` })).status).toBe(404);
    expect(await statuses()).toEqual([["First pair", "active"], ["Second pair", "active"], ["Third pair", "active"]]);
    expect(await db.offer.findFirst({ where: { id: foreign } })).not.toBeNull();

    const empty = await act({ intent: "bulk-pause", ids: " , " });
    expect(empty.status).toBe(400);
    expect(await empty.json()).toMatchObject({ error: "invalid_request", message: "Select at least one offer." });

    syncControl.calls = [];
    expect((await act({ intent: "bulk-delete", ids: `${first},${third}` })).status).toBe(200);
    expect(await statuses()).toEqual([["Second pair", "active"]]);
    expect(syncControl.calls).toEqual([shopId]);
  });
});

describe("offers that do not fit checkout's configuration", () => {
  /**
   * The tester's shop: a quantity break on a mug and a teapot ladder live, then many 10-item
   * bundles created after them, more than Shopify's 10,000-byte configuration holds. The older
   * offers are given ids that sort after every new one: kept by id, they were the ones pushed out.
   */
  async function crowdedShop() {
    const { shopId, teapot, cup } = await shopWithCatalog();
    const mug = await createTestProduct(shopId, { title: "Blue Polkadot Coffee Mug", price: 250, currency: "GBP" });
    const bigTeapot = await createTestProduct(shopId, { title: "Regency Teapot", price: 3900, currency: "GBP" });
    const fillers: TestProduct[] = [];
    for (let index = 0; index < 10; index += 1) fillers.push(await createTestProduct(shopId, { title: `Filler ${index}`, price: 500, currency: "GBP" }));
    const older = async (id: string, input: Record<string, unknown>) => {
      const created = await createTestOffer(shopId, input);
      const row = await db.offer.findFirstOrThrow({ where: { id: created } });
      await db.offer.update({
        where: { id: created },
        data: { id, config: JSON.stringify({ ...JSON.parse(row.config), id }), createdAt: new Date("2026-01-01T00:00:00Z") },
      });
      return id;
    };
    const mugBreaks = await older("off_ffffffffffffff01", {
      type: "quantityBreaks",
      title: "Mug multibuy",
      status: "active",
      eligible: { productIds: [`gid://shopify/Product/${mug.shopifyId}`] },
      tiers: [
        { minQuantity: 3, value: { kind: "percentage", percent: 15 } },
        { minQuantity: 7, value: { kind: "percentage", percent: 33.33 } },
      ],
    });
    const ladder = await older("off_ffffffffffffff02", {
      type: "upgradeLadder",
      title: "Teapot upgrade",
      status: "active",
      steps: [teapot, bigTeapot].map((product) => ({ ref: { productId: `gid://shopify/Product/${product.shopifyId}` } })),
      incentive: { kind: "percentage", percent: 10 },
    });
    const bundleInput = (index: number) => ({
      type: "fixedBundle",
      title: `Ten things ${index}`,
      status: "active",
      items: fillers.map((product) => ({ ref: { productId: `gid://shopify/Product/${product.shopifyId}` }, quantity: 1 })),
      pricing: { kind: "percentage", percent: 10 },
    });
    for (let index = 0; index < 49; index += 1) await createTestOffer(shopId, bundleInput(index));
    return { shopId, teapot, cup, mug, mugBreaks, ladder, fillers };
  }

  it("GIVEN older live offers WHEN new bundles overflow the configuration THEN the older ones stay at checkout and on the storefront, and every list marks the bundles left out with why and what to do", async () => {
    const { shopId, teapot, mug, mugBreaks, ladder, fillers } = await crowdedShop();
    // The 50th bundle, saved as the tester did (POST /app/bundles/new.data): the sync runs.
    const draft: OfferDraft = {
      ...emptyDraft("fixedBundle"),
      title: "Ten things, the newest",
      status: "active",
      items: fillers.map((product) => ({ item: pickedTestProduct(product, 500), quantity: "1" })),
      pricingKind: "percentage",
      pricingValue: "10",
    };
    const { body } = await createBundle(shopId, draft);
    const sync = body.sync as { warnings: string[]; leftOut: { offerId: string; reason: string; message: string; warning: string }[] };
    const leftOut = sync.leftOut.map((entry) => entry.offerId);
    expect(leftOut.length).toBeGreaterThan(0);
    expect(leftOut).not.toContain(mugBreaks);
    expect(leftOut).not.toContain(ladder);
    // The newest is the first to give way.
    expect(leftOut).toContain(body.offerId);
    expect(sync.leftOut.every((entry) => entry.reason === "size-limit" && sync.warnings.includes(entry.warning))).toBe(true);
    // Checkout's configuration, as recorded, carries the mug's breaks and the ladder.
    const sent = (await db.recordedAdminCall.findFirstOrThrow({ where: { shopId, operation: "UpshelfDiscountCreate" }, orderBy: { id: "desc" } })).variables;
    expect(sent).toContain(mugBreaks);
    expect(sent).toContain(ladder);
    expect(sent).not.toContain(body.offerId as string);

    // The lists: the older offers plainly active, each bundle left out marked, with why and what to do.
    const tiers = await tierIndex.loader(args(await adminRequest(shopId, "/app/tiers")));
    expect(tiers.rows.find((row) => row.id === mugBreaks)).toMatchObject({ state: "active", problem: null });
    const ladders = await ladderIndex.loader(args(await adminRequest(shopId, "/app/ladders")));
    expect(ladders.rows.find((row) => row.id === ladder)).toMatchObject({ state: "active", problem: null });
    const bundles = await bundleIndex.loader(args(await adminRequest(shopId, "/app/bundles")));
    const marked = bundles.rows.filter((row) => row.state === "left_out");
    expect(marked.map((row) => row.id).sort()).toEqual([...leftOut].sort());
    expect(marked[0]?.problem).toMatch(/^The shop's offers exceed Shopify's 10000-byte limit .* not applied at checkout\. To apply it, raise its priority/);
    expect(bundles.rows.filter((row) => row.state === "active")).toHaveLength(50 - leftOut.length);

    // The storefront promises the older offers, and none left out.
    expect((await describeProductOffers(shopId, mug.shopifyId))?.offers.map((offer) => offer.id)).toContain(mugBreaks);
    expect((await describeProductOffers(shopId, teapot.shopifyId))?.offers.map((offer) => offer.id)).toContain(ladder);
    const onFiller = (await describeProductOffers(shopId, fillers[0]!.shopifyId))?.offers.map((offer) => offer.id) ?? [];
    expect(onFiller.length).toBeGreaterThan(0);
    for (const id of leftOut) expect(onFiller).not.toContain(id);

    // Saving the mug's breaks again leaves it in: its answer does not name it among those left out.
    const open = await tierEdit.loader(args(await adminRequest(shopId, `/app/tiers/${mugBreaks}`), { id: mugBreaks }));
    const resaved = await tierEdit.action(
      args(await post(shopId, `/app/tiers/${mugBreaks}`, { intent: "save", draft: JSON.stringify(open.draft), version: open.version ?? "" }), { id: mugBreaks }),
    );
    const again = (await resaved.json()) as { sync: { leftOut: { offerId: string }[] } };
    expect(again.sync.leftOut.map((entry) => entry.offerId)).not.toContain(mugBreaks);
    expect(again.sync.leftOut.length).toBe(leftOut.length);
  }, 60_000);
});

describe("shop A cannot read or change shop B's offers", () => {
  it("answers 404 to every route given B's offer id, and B's offer is unchanged", async () => {
    const a = await shopWithCatalog();
    const b = await shopWithCatalog();
    const { body } = await createBundle(b.shopId, bundleDraft(b.teapot, b.cup, { title: "B's bundle" }));
    const id = body.offerId as string;
    const before = await db.offer.findFirstOrThrow({ where: { id } });

    const read = await responseOf(async () => bundleEdit.loader(args(await adminRequest(a.shopId, `/app/bundles/${id}`), { id })) as never);
    expect(read.status).toBe(404);

    const edit = await responseOf(async () =>
      bundleEdit.action(
        args(await post(a.shopId, `/app/bundles/${id}`, { intent: "save", draft: JSON.stringify(bundleDraft(a.teapot, a.cup, { title: "Hijacked" })) }), { id }),
      ),
    );
    expect(edit.status).toBe(404);

    const deleteFromEdit = await responseOf(async () => bundleEdit.action(args(await post(a.shopId, `/app/bundles/${id}`, { intent: "delete" }), { id })));
    expect(deleteFromEdit.status).toBe(404);

    for (const intent of ["pause", "activate", "delete"]) {
      const response = await responseOf(async () => bundleIndex.action(args(await post(a.shopId, "/app/bundles", { intent, id }))));
      expect(response.status, intent).toBe(404);
    }
    const duplicate = await responseOf(async () =>
      bundleIndex.action(args(await post(a.shopId, "/app/bundles", { intent: "duplicate", id, clientToken: crypto.randomUUID() }))),
    );
    expect(duplicate.status).toBe(404);

    const listed = await bundleIndex.loader(args(await adminRequest(a.shopId, "/app/bundles")));
    expect(listed.rows.map((row) => row.id)).not.toContain(id);
    expect(await db.offer.count({ where: { shopId: a.shopId } })).toBe(0);
    expect(await db.offer.findFirstOrThrow({ where: { id } })).toEqual(before);
  });
});

describe("GET /app/api/products (the local picker's search)", () => {
  it("finds the shop's products by any-case title with prices in minor units, and never another shop's", async () => {
    const { shopId, teapot } = await shopWithCatalog();
    const other = await shopWithCatalog();
    const search = async (q: string) =>
      (await (await productsApi.loader(args(await adminRequest(shopId, `/app/api/products?q=${encodeURIComponent(q)}`)))).json()) as {
        results: { product: PickedItem; variants: PickedItem[] }[];
      };
    const found = await search("teaPOT");
    expect(found.results).toEqual([
      { product: expect.objectContaining({ id: `gid://shopify/Product/${teapot.shopifyId}`, title: "Teapot", price: 2500 }), variants: expect.any(Array), notInShopify: false },
    ]);
    const ids = (await search("tea")).results.map((result) => result.product.id);
    expect(ids).not.toContain(`gid://shopify/Product/${other.teapot.shopifyId}`);
    expect(ids).toHaveLength(2);
  });

  it("gives a product the lowest price of all its variants, past those the picker lists, and none when one is in another currency", async () => {
    const { shopId, teapot } = await shopWithCatalog();
    const teapotRow = await db.product.findFirstOrThrow({ where: { shopId, shopifyId: teapot.shopifyId } });
    // 24 dearer variants, then the cheapest: the picker lists the first 20 only.
    for (let n = 2; n <= 25; n += 1) {
      await db.variant.create({
        data: { shopId, productId: teapotRow.id, shopifyId: `${teapot.shopifyId}${n}`, title: `Size ${n}`, priceAmount: n === 25 ? 1900 : 2500 + n, currency: "GBP" },
      });
    }
    const search = async () =>
      (await (await productsApi.loader(args(await adminRequest(shopId, "/app/api/products?q=teapot")))).json()) as {
        results: { product: PickedItem; variants: PickedItem[] }[];
      };
    const [found] = (await search()).results;
    expect(found?.variants).toHaveLength(20);
    expect(found?.product).toMatchObject({ price: 2500, lowestPrice: 1900 });
    expect(found?.variants[1]).toMatchObject({ price: 2502, lowestPrice: 2502 });
    await db.variant.updateMany({ where: { shopId, shopifyId: `${teapot.shopifyId}3` }, data: { currency: "EUR" } });
    expect((await search()).results[0]?.product).toMatchObject({ price: 2500, lowestPrice: null });
  });

  it("lists a product known only from a products CSV as not in Shopify, and refuses an offer naming it by its title", async () => {
    const { shopId, cup } = await shopWithCatalog();
    await createCsvOnlyTestProduct(shopId, { handle: "tea-cosy", title: "Tea cosy", sku: "COSY", price: 1200, currency: "GBP" });
    const response = await productsApi.loader(args(await adminRequest(shopId, "/app/api/products?q=tea")));
    const { results } = (await response.json()) as { results: { product: PickedItem; notInShopify: boolean }[] };
    expect(Object.fromEntries(results.map((result) => [result.product.title, result.notInShopify]))).toEqual({ "Tea cosy": true, "Tea Cup": false, Teapot: false });
    const cosy = results.find((result) => result.notInShopify)!.product;
    const draft = { ...emptyDraft("fixedBundle"), title: "Cosy set", items: [{ item: cosy, quantity: "1" }, { item: pickedTestProduct(cup, 800), quantity: "1" }], pricingKind: "percentage" as const, pricingValue: "10" };
    const { response: saved, body } = await createBundle(shopId, draft);
    expect(saved.status).toBe(400);
    expect(body.message).toBe("“Tea cosy” is not in Shopify yet (it was imported from a CSV file), so checkout could not discount it. Remove it from this offer.");
    expect(await db.offer.count({ where: { shopId } })).toBe(0);
  });

  it("finds `_` and `%` as the characters they are, not as wildcards, and still finds by SKU ignoring case", async () => {
    const { shopId } = await shopWithCatalog();
    const mug = await createTestProduct(shopId, { title: "Mug", price: 900, currency: "GBP" });
    await createTestProduct(shopId, { title: "Mug 100% cotton cosy", price: 900, currency: "GBP" });
    await createTestProduct(shopId, { title: "snake_case mug", price: 900, currency: "GBP" });
    await db.variant.updateMany({ where: { shopId, shopifyId: mug.variantShopifyId }, data: { sku: "MUG-RED-1" } });
    const titles = async (q: string) => {
      const response = await productsApi.loader(args(await adminRequest(shopId, `/app/api/products?q=${encodeURIComponent(q)}`)));
      return ((await response.json()) as { results: { product: PickedItem }[] }).results.map((result) => result.product.title);
    };
    expect(await titles("_")).toEqual(["snake_case mug"]);
    expect(await titles("%")).toEqual(["Mug 100% cotton cosy"]);
    expect(await titles("mug%")).toEqual([]);
    expect(await titles("0%")).toEqual(["Mug 100% cotton cosy"]);
    expect(await titles("t_a")).toEqual([]);
    expect(await titles("mug-red")).toEqual(["Mug"]);
    expect(await titles("mug_red")).toEqual([]);
    // With no query the picker lists the shop's products (in the database's title order).
    expect((await titles("")).sort()).toEqual(["Mug", "Mug 100% cotton cosy", "Tea Cup", "Teapot", "snake_case mug"]);
  });

  it("reads an over-long query as its first 200 characters instead of refusing it: a refusal replaced the offer form with the error page", async () => {
    const { shopId } = await shopWithCatalog();
    const search = async (q: string) => responseOf(async () => productsApi.loader(args(await adminRequest(shopId, `/app/api/products?q=${encodeURIComponent(q)}`))));
    const long = await search("x".repeat(201));
    expect(long.status).toBe(200);
    expect(await long.json()).toEqual({ results: [] });
    // Cut to "tea" and spaces, which the search trims: both tea products.
    const padded = await search(`tea${" ".repeat(197)}teapot`);
    expect(padded.status).toBe(200);
    const { results } = (await padded.json()) as { results: { product: PickedItem }[] };
    expect(results.map((result) => result.product.title)).toEqual(["Tea Cup", "Teapot"]);
  });
});
