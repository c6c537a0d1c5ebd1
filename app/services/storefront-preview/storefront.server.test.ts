import { beforeAll, describe, expect, it, vi } from "vitest";
import type * as envModule from "~/env.server";
import { startExperiment, stopExperiment } from "~/models/experiment.server";
import { createOffer } from "~/models/offer.server";
import { createTestProduct, type TestProduct } from "../../../tests/factories/catalog";
import { createTestShop } from "../../../tests/factories/shop";

// The preview storefront serves the demo shop; here a fresh test shop plays that part.
const demo = vi.hoisted(() => ({ shop: "" }));
vi.mock("~/env.server", async (importOriginal) => {
  const actual = await importOriginal<typeof envModule>();
  return { ...actual, getEnv: () => ({ mode: "demo", nodeEnv: "test", port: 0, demoShop: demo.shop }) };
});

const { loader } = await import("~/routes/preview.products.$handle");
const { action: updateCart } = await import("~/routes/preview.cart.update[.js]");
const { action: addJs } = await import("~/routes/preview.cart.add[.js]");
const { loader: cartJs } = await import("~/routes/preview.cart[.js]");
const { loader: cartPage } = await import("~/routes/preview.cart._index");

describe("the preview product page and the storefront offer index", () => {
  let covered: TestProduct;
  let uncovered: TestProduct;
  let ladderBottom: TestProduct;

  beforeAll(async () => {
    const shop = await createTestShop({ currency: "GBP" });
    demo.shop = shop.id;
    [covered, uncovered, ladderBottom] = await Promise.all(
      ["Tea Cup", "Egg Cup", "Small Tin"].map((title) => createTestProduct(shop.id, { title, price: 995, currency: "GBP" })),
    ) as [TestProduct, TestProduct, TestProduct];
    const top = await createTestProduct(shop.id, { title: "Large Tin", price: 1495, currency: "GBP" });
    for (const input of [
      {
        type: "quantityBreaks",
        title: "Multibuy",
        // By variant: the index maps it to its product through the shop's catalog.
        eligible: { variantIds: [`gid://shopify/ProductVariant/${covered.variantShopifyId}`] },
        tiers: [{ minQuantity: 2, value: { kind: "percentage", percent: 10 } }],
      },
      { type: "upgradeLadder", title: "Bigger tin", steps: [{ ref: { productId: `gid://shopify/Product/${ladderBottom.shopifyId}` } }, { ref: { productId: `gid://shopify/Product/${top.shopifyId}` } }], incentive: null },
    ]) {
      const saved = await createOffer(shop.id, { status: "active", ...input });
      if (!saved.ok) throw new Error(JSON.stringify(saved.issues));
    }
  });

  async function productHtml(product: TestProduct, query = "") {
    const handle = `${product.title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}-${product.shopifyId}`;
    const response = await loader({ request: new Request(`http://localhost/preview/products/${handle}${query}`), params: { handle }, context: {} });
    expect(response.status).toBe(200);
    return response.text();
  }

  async function blocksOn(product: TestProduct) {
    const html = await productHtml(product);
    return { quantityBreaks: /data-upshelf="quantity-breaks"/.test(html), upgrade: /data-upshelf="upgrade"/.test(html), fbt: /data-upshelf="fbt"/.test(html) };
  }

  it("titles the page with the product and the shop, as a theme does", async () => {
    expect(await productHtml(covered)).toContain("<title>Tea Cup · Test Shop</title>");
  });

  it("renders the quantity-breaks section only on a product a live offer covers, computed from the database's offers", async () => {
    expect(await blocksOn(covered)).toEqual({ quantityBreaks: true, upgrade: false, fbt: true });
    expect(await blocksOn(uncovered)).toEqual({ quantityBreaks: false, upgrade: false, fbt: true });
  });

  it("renders the upgrade section only on a step below the top of a live ladder", async () => {
    expect(await blocksOn(ladderBottom)).toEqual({ quantityBreaks: false, upgrade: true, fbt: true });
  });

  it("renders the page as the theme editor does with ?design_mode=1: every product block, each with its note, kept displayed", async () => {
    const editor = await productHtml(uncovered, "?design_mode=1");
    // Quantity breaks, upgrade, deals and frequently bought together, on a product no offer covers.
    expect(editor.match(/<p class="upshelf__editor-note">/g)).toHaveLength(4);
    expect(editor.match(/<section\s+class="upshelf [^"]*"[^>]*style="display:block!important;/g)).toHaveLength(4);
    const buyers = await productHtml(uncovered);
    expect(buyers).not.toContain("upshelf__editor-note");
    expect(buyers).not.toContain("display:block!important");
  });

  it("names the running holdout test on every Upshelf block, and nowhere once it stops", async () => {
    const started = await startExperiment(demo.shop, 1000, new Date());
    if (!("started" in started)) throw new Error("a test was already running");
    const html = await productHtml(covered);
    const marks = [...html.matchAll(/data-exp="([^"]+)"/g)].map((match) => match[1]);
    // Every widget root (they all carry the shared data attributes, data-proxy among them).
    expect(marks.length).toBe((html.match(/data-proxy="/g) ?? []).length);
    expect(marks.length).toBeGreaterThanOrEqual(3);
    expect(new Set(marks)).toEqual(new Set([`${started.started.key}:1000`]));
    await stopExperiment(demo.shop, new Date());
    expect(await productHtml(covered)).not.toContain("data-exp=");
  });
});

describe("the preview cart's attributes (/cart/update.js)", () => {
  const post = (body: unknown, cookie?: string) =>
    updateCart({
      request: new Request("http://localhost/preview/cart/update.js", {
        method: "POST",
        body: typeof body === "string" ? body : JSON.stringify(body),
        headers: { "Content-Type": "application/json", ...(cookie ? { Cookie: cookie } : {}) },
      }),
      params: {},
      context: {},
    });

  it("sets attributes on the buyer's cart, removes one set blank, and refuses what it does not emulate", async () => {
    const first = await post({ attributes: { _upshelf_exp: "k3y:visitor-0001", gift: "yes" } });
    expect(first.status).toBe(200);
    const cookie = (first.headers.get("Set-Cookie") ?? "").split(";")[0] as string;
    expect(cookie).toMatch(/^upshelf_preview_cart=/);
    expect(((await first.json()) as { attributes: unknown }).attributes).toEqual({ _upshelf_exp: "k3y:visitor-0001", gift: "yes" });

    const second = await post({ attributes: { gift: "" } }, cookie);
    expect(((await second.json()) as { attributes: unknown }).attributes).toEqual({ _upshelf_exp: "k3y:visitor-0001" });
    const read = await cartJs({ request: new Request("http://localhost/preview/cart.js", { headers: { Cookie: cookie } }), params: {}, context: {} });
    expect(((await read.json()) as { attributes: unknown }).attributes).toEqual({ _upshelf_exp: "k3y:visitor-0001" });

    for (const refused of [{ updates: { 1: 2 } }, { attributes: { "": "x" } }, "not json", { note: "hi", attributes: {} }]) {
      const response = await post(refused, cookie);
      expect(response.status, JSON.stringify(refused)).toBe(400);
      expect(((await response.json()) as { description: string }).description).toBeTruthy();
    }
  });

  it("answers one section by ?section_id=, as Shopify's Section Rendering API does, and 404 for a section it does not have", async () => {
    const section = await cartPage({ request: new Request("http://localhost/preview/cart?section_id=cart-icon-bubble"), params: {}, context: {} });
    expect(section.status).toBe(200);
    const html = await section.text();
    expect(html).toMatch(/^<div id="shopify-section-cart-icon-bubble" class="shopify-section">/);
    expect(html).toContain("data-drawer-lines");
    expect(html).not.toContain("<html");
    const unknown = await cartPage({ request: new Request("http://localhost/preview/cart?section_id=no-such-section"), params: {}, context: {} });
    expect(unknown.status).toBe(404);
  });
});

describe("the preview cart's selling plans", () => {
  it("keeps a line bought with the demo selling plan apart, states its plan as Shopify's cart.js does, lists the plan on the product, and refuses another", async () => {
    const product = await createTestProduct(demo.shop, { title: "Tea Tin", price: 750, currency: "GBP" });
    const handle = `tea-tin-${product.shopifyId}`;
    const asJson = await loader({ request: new Request(`http://localhost/preview/products/${handle}.js`), params: { handle: `${handle}.js` }, context: {} });
    const listed = (await asJson.json()) as { selling_plan_groups: { selling_plans: { id: number }[] }[]; variants: { selling_plan_allocations: { selling_plan_id: number; price: number }[] }[] };
    const planId = listed.selling_plan_groups[0]?.selling_plans[0]?.id as number;
    expect(listed.variants[0]?.selling_plan_allocations).toEqual([expect.objectContaining({ selling_plan_id: planId, price: 750 })]);

    const add = (body: unknown, cookie?: string) =>
      addJs({
        request: new Request("http://localhost/preview/cart/add.js", { method: "POST", body: JSON.stringify(body), headers: { "Content-Type": "application/json", ...(cookie ? { Cookie: cookie } : {}) } }),
        params: {},
        context: {},
      });
    const variant = Number(product.variantShopifyId);
    const first = await add({ items: [{ id: variant, quantity: 1, selling_plan: planId }] });
    expect(first.status).toBe(200);
    const cookie = (first.headers.get("Set-Cookie") ?? "").split(";")[0] as string;
    expect((await add({ items: [{ id: variant, quantity: 2 }] }, cookie)).status).toBe(200);
    const refused = await add({ items: [{ id: variant, quantity: 1, selling_plan: planId + 1 }] }, cookie);
    expect(refused.status).toBe(422);

    const read = await cartJs({ request: new Request("http://localhost/preview/cart.js", { headers: { Cookie: cookie } }), params: {}, context: {} });
    const items = ((await read.json()) as { items: { quantity: number; url: string; selling_plan_allocation?: { price: number; selling_plan: { id: number; name: string } } }[] }).items;
    expect(items.map((item) => [item.quantity, item.selling_plan_allocation?.selling_plan.id])).toEqual([
      [2, undefined],
      [1, planId],
    ]);
    // A line without a plan has no allocation at all (not null), as on Shopify.
    expect(items[0]).not.toHaveProperty("selling_plan_allocation");
    expect(items[1]?.selling_plan_allocation).toMatchObject({ price: 750, selling_plan: { name: "Delivery every month" } });
    expect(items[1]?.url).toBe(`/preview/products/${handle}?selling_plan=${planId}&variant=${variant}`);
  });
});
