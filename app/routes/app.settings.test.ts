import { beforeAll, describe, expect, it } from "vitest";
import db from "~/db.server";
import { getShopSettings } from "~/models/shop-settings.server";
import { createTestShop } from "../../tests/factories/shop";
import { adminRequest, TEST_API_KEY, useShopifyAdminMode } from "../../tests/support/admin-session";
import { action, loader } from "./app.settings";

useShopifyAdminMode();

function outcome(result: unknown): { status: number; body: Record<string, unknown> } {
  if (result && typeof result === "object" && (result as { type?: string }).type === "DataWithResponseInit") {
    const wrapped = result as { data: Record<string, unknown>; init: ResponseInit | null };
    return { status: wrapped.init?.status ?? 200, body: wrapped.data };
  }
  return { status: 200, body: result as Record<string, unknown> };
}

async function values(shopId: string) {
  return (await loader({ request: await adminRequest(shopId, "/app/settings"), params: {}, context: {} })).values;
}

async function submit(shopId: string, fields: Record<string, string>) {
  const request = await adminRequest(shopId, "/app/settings", { method: "POST", body: new URLSearchParams(fields) });
  return outcome(await action({ request, params: {}, context: {} }));
}

describe("the settings page", () => {
  let shopA: string;
  let shopB: string;
  beforeAll(async () => {
    shopA = (await createTestShop()).id;
    shopB = (await createTestShop()).id;
  });

  it("lists every storefront block with the theme editor link that places it in this shop's live theme", async () => {
    const { blocks, demo } = await loader({ request: await adminRequest(shopA, "/app/settings"), params: {}, context: {} });
    expect(demo).toBe(false);
    const deals = blocks.find((block) => block.handle === "deals");
    expect(deals).toMatchObject({ name: "Deals: buy X get Y, any N", where: "Product pages", action: "Add to your product page" });
    const link = new URL(deals?.url ?? "");
    expect(link.host).toBe(shopA);
    expect(link.searchParams.get("addAppBlockId")).toBe(`${TEST_API_KEY}/deals`);
    const embed = blocks.find((block) => block.handle === "upshelf-embed");
    expect(embed).toMatchObject({ where: "Every page", action: "Turn on in your theme" });
    expect(new URL(embed?.url ?? "").searchParams.get("activateAppId")).toBe(`${TEST_API_KEY}/upshelf-embed`);
    expect(blocks.find((block) => block.handle === "cart-upsell")).toMatchObject({ where: "Cart page", action: "Add to your cart page" });
  });

  it("starts from safe defaults", async () => {
    expect(await values(shopA)).toMatchObject({
      "placements.pdp.enabled": "on",
      "placements.pdp.heading": "Frequently bought together",
      "appearance.accentColour": "",
      "postPurchase.discountPercent": "10",
    });
  });

  it("saves widget text, placements, appearance and currency display for this shop only; twice is the same", async () => {
    const form = { ...(await values(shopA)), "placements.cart.heading": "Goes well with", "appearance.accentColour": "#0a7c42" };
    delete (form as Record<string, string>)["placements.thank_you.enabled"];
    expect(await submit(shopA, form)).toMatchObject({ status: 200, body: { ok: true } });
    expect(await submit(shopA, form)).toMatchObject({ status: 200, body: { ok: true } });
    const settings = await getShopSettings(shopA);
    expect(settings.placements.cart.heading).toBe("Goes well with");
    expect(settings.placements.thank_you.enabled).toBe(false);
    expect(settings.appearance).toEqual({ accentColour: "#0a7c42", showCompareAtPrice: true });
    // Fields this page does not show are kept.
    expect(settings.placements.cart.limit).toBe(3);
    const other = await getShopSettings(shopB);
    expect(other.placements.cart.heading).toBe("You may also like");
    expect(other.appearance.accentColour).toBeNull();
  });

  it("answers 400 with a message per field, keeps the input and saves nothing", async () => {
    const before = await getShopSettings(shopA);
    const form = { ...(await values(shopA)), "appearance.accentColour": "green", "postPurchase.discountPercent": "95", "placements.pdp.heading": "" };
    const result = await submit(shopA, form);
    expect(result.status).toBe(400);
    expect(result.body.fields).toEqual({
      "appearance.accentColour": ["Use a colour like #1a73e8, or leave it empty to follow the theme."],
      "postPurchase.discountPercent": ["A post-purchase discount above 90% is not allowed."],
      "placements.pdp.heading": ["A heading cannot be empty."],
    });
    expect(result.body.values).toMatchObject({ "appearance.accentColour": "green", "postPurchase.discountPercent": "95" });
    expect(await getShopSettings(shopA)).toEqual(before);
  });

  it("refuses a share of the order above 100% next to its field, keeping every entry, and saves nothing", async () => {
    const before = await getShopSettings(shopA);
    const form = { ...(await values(shopA)), "postPurchase.maxPriceShareOfOrder": "1000", "placements.cart.heading": "Pairs well with" };
    const result = await submit(shopA, form);
    expect(result.status).toBe(400);
    expect(result.body.fields).toEqual({
      "postPurchase.maxPriceShareOfOrder": ["A share of the order is at most 100%: 100 offers products costing up to what the buyer just spent."],
    });
    expect(result.body.values).toMatchObject({ "postPurchase.maxPriceShareOfOrder": "1000", "placements.cart.heading": "Pairs well with" });
    expect(await getShopSettings(shopA)).toEqual(before);

    expect(await submit(shopA, { ...(await values(shopA)), "postPurchase.maxPriceShareOfOrder": "100" })).toMatchObject({ status: 200 });
    expect((await getShopSettings(shopA)).postPurchase.maxPriceShareOfOrder).toBe(100);
  });

  it("takes a post-purchase discount with up to two decimals, and refuses more: the buyer is told the exact percentage", async () => {
    const saved = await submit(shopA, { ...(await values(shopA)), "postPurchase.discountPercent": "12.5" });
    expect(saved.status).toBe(200);
    expect((await getShopSettings(shopA)).postPurchase.discountPercent).toBe(12.5);

    const refused = await submit(shopA, { ...(await values(shopA)), "postPurchase.discountPercent": "12.345" });
    expect(refused.status).toBe(400);
    expect(refused.body.fields).toEqual({ "postPurchase.discountPercent": ["Use at most two decimals in a percentage."] });
    expect((await getShopSettings(shopA)).postPurchase.discountPercent).toBe(12.5);
  });

  describe("saved in two tabs", () => {
    // Each tab posts the values it was loaded with (its baseline), as the page's form does.
    async function openTab(shopId: string) {
      const loaded = await values(shopId);
      return { loaded, save: (changes: Record<string, string>) => submit(shopId, { ...loaded, ...changes, baseline: JSON.stringify(loaded) }) };
    }

    it("keeps both tabs' changes when they changed different fields", async () => {
      const shopId = (await createTestShop()).id;
      const first = await openTab(shopId);
      const second = await openTab(shopId);
      expect(await first.save({ "appearance.accentColour": "#0a7c42" })).toMatchObject({ status: 200 });
      const result = await second.save({ "placements.cart.heading": "Goes well with", "postPurchase.discountPercent": "15" });
      expect(result).toMatchObject({ status: 200, body: { ok: true } });
      // What the second tab shows after saving: its changes and the first tab's.
      expect(result.body.values).toMatchObject({ "appearance.accentColour": "#0a7c42", "placements.cart.heading": "Goes well with" });
      const settings = await getShopSettings(shopId);
      expect(settings.appearance.accentColour).toBe("#0a7c42");
      expect(settings.placements.cart.heading).toBe("Goes well with");
      expect(settings.postPurchase.discountPercent).toBe(15);
    });

    it("GIVEN a save that arrived but whose answer was lost WHEN the page sends the same form again, baseline and all THEN it is saved, not a conflict", async () => {
      const shopId = (await createTestShop()).id;
      const tab = await openTab(shopId);
      const changes = { "appearance.accentColour": "#0a7c42", "placements.cart.heading": "Goes well with" };
      expect(await tab.save(changes)).toMatchObject({ status: 200, body: { ok: true } });
      const landed = await getShopSettings(shopId);
      // The answer never reached the page, so its baseline is still the one it loaded.
      expect(await tab.save(changes)).toMatchObject({ status: 200, body: { ok: true } });
      expect(await getShopSettings(shopId)).toEqual(landed);
    });

    it("answers 409 and saves nothing when both changed the same field; saving again from the answer replaces it knowingly", async () => {
      const shopId = (await createTestShop()).id;
      const first = await openTab(shopId);
      const second = await openTab(shopId);
      expect(await first.save({ "appearance.accentColour": "#0a7c42", "placements.thank_you.enabled": "" })).toMatchObject({ status: 200 });
      const afterFirst = await getShopSettings(shopId);

      const conflict = await second.save({ "appearance.accentColour": "#aa0000", "placements.thank_you.enabled": "", "placements.pdp.heading": "Pairs well" });
      expect(conflict.status).toBe(409);
      expect(conflict.body.message).toMatch(/saved in another tab since you opened this page, so nothing was saved/);
      // Only the field both changed differently is a conflict: the same change twice is not.
      expect(conflict.body.fields).toEqual({ "appearance.accentColour": ["Changed to “#0a7c42” in another tab since you opened this page."] });
      expect(conflict.body.values).toMatchObject({ "appearance.accentColour": "#aa0000", "placements.pdp.heading": "Pairs well", "placements.thank_you.enabled": "" });
      expect(conflict.body.baseline).toEqual(await values(shopId));
      expect(await getShopSettings(shopId)).toEqual(afterFirst);

      const again = await submit(shopId, { ...(conflict.body.values as Record<string, string>), baseline: JSON.stringify(conflict.body.baseline) });
      expect(again).toMatchObject({ status: 200, body: { ok: true } });
      const settings = await getShopSettings(shopId);
      expect(settings.appearance.accentColour).toBe("#aa0000");
      expect(settings.placements.pdp.heading).toBe("Pairs well");
      expect(settings.placements.thank_you.enabled).toBe(false);
    });

    it("keeps a checkbox turned off in another tab, names a field cleared there, and refuses a baseline it cannot read", async () => {
      const shopId = (await createTestShop()).id;
      const first = await openTab(shopId);
      const second = await openTab(shopId);
      expect(await first.save({ "placements.cart.enabled": "", "appearance.accentColour": "#0a7c42" })).toMatchObject({ status: 200 });
      // The second tab still shows the cart placement on; it changes only the heading.
      expect(await second.save({ "placements.cart.heading": "More" })).toMatchObject({ status: 200 });
      let settings = await getShopSettings(shopId);
      expect(settings.placements.cart.enabled).toBe(false);
      expect(settings.placements.cart.heading).toBe("More");

      const third = await openTab(shopId);
      const fourth = await openTab(shopId);
      expect(await third.save({ "appearance.accentColour": "" })).toMatchObject({ status: 200 });
      const conflict = await fourth.save({ "appearance.accentColour": "#123456" });
      expect(conflict).toMatchObject({ status: 409, body: { fields: { "appearance.accentColour": ["Cleared in another tab since you opened this page."] } } });

      settings = await getShopSettings(shopId);
      const refused = await submit(shopId, { ...fourth.loaded, "placements.cart.heading": "Less", baseline: "{not json" });
      expect(refused).toMatchObject({ status: 400, body: { fields: { form: ["The form could not be read; reload the page and try again."] } } });
      expect(await getShopSettings(shopId)).toEqual(settings);
    });
  });

  it("sends changed headings, accent colour and compare-at prices to the theme's blocks, and nothing for other changes", async () => {
    const shopId = (await createTestShop()).id;
    // Demo-flagged: the storefront sync records what it would send to Shopify.
    await db.shop.update({ where: { id: shopId }, data: { isDemo: true } });
    const sent = async () =>
      (await db.recordedAdminCall.findMany({ where: { shopId, operation: "UpshelfStorefrontIndexSet" }, orderBy: { id: "asc" } })).map((call) => {
        const { metafields } = JSON.parse(call.variables) as { metafields: { key: string; value: string }[] };
        return JSON.parse(metafields.find((field) => field.key === "widgets")?.value ?? "null") as unknown;
      });
    expect(await submit(shopId, { ...(await values(shopId)), "postPurchase.discountPercent": "15" })).toMatchObject({ status: 200, body: { message: "Settings saved." } });
    expect(await sent()).toEqual([]);
    const changed = { ...(await values(shopId)), "placements.pdp.heading": "Pairs well with", "appearance.accentColour": "#aa0000" };
    delete (changed as Record<string, string>)["appearance.showCompareAtPrice"];
    expect(await submit(shopId, changed)).toMatchObject({ status: 200, body: { message: "Settings saved." } });
    expect(await sent()).toEqual([{ headings: { pdp: "Pairs well with" }, accent: "#aa0000", compare_at: false }]);
  });
});
