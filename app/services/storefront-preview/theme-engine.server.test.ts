import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { storefrontOfferIndex } from "~/core/offers";
import { makeOffer, NOW } from "~/core/offers/test-support";
import { DEFAULT_SHOP_SETTINGS, shopSettingsSchema, storefrontWidgetDefaults } from "~/core/settings";
import { readBlockSchema, settingDefaults } from "./block-schema";
import { EXTENSION_DIR, readBlock, renderPage } from "./theme-engine.server";
import { translate } from "./translations";

const product = {
  id: "900",
  handle: "tea-cup",
  title: "Tea Cup & Saucer",
  description: "",
  featured_image: null,
  selected_or_first_available_variant: { id: "910", price: 1095, available: true },
};
const cart = { item_count: 0, items: [], total_price: 0, original_total_price: 0, total_discount: 0, cart_level_discount_applications: [], currency: { iso_code: "GBP" } };
const objects = {
  shop: { name: "Demo", currency: "GBP" },
  request: { locale: { iso_code: "en" } },
  routes: { root_url: "/preview", cart_url: "/preview/cart", cart_add_url: "/preview/cart/add", cart_change_url: "/preview/cart/change" },
  cart,
  product,
};

function productPage(locale: string, blocks: boolean) {
  return renderPage({ template: "product", title: "Tea", state: { locale, blocks, currency: "GBP" }, objects: { ...objects, request: { locale: { iso_code: locale } } } });
}

describe("the extension's blocks rendered with liquidjs", () => {
  it("renders the real Frequently bought together block with its schema defaults and only the viewed product checked", async () => {
    const html = await productPage("en", true);
    const fbt = /<section\s+class="upshelf upshelf-fbt[\s\S]*?<\/section>/.exec(html)?.[0] ?? "";
    expect(fbt).toContain('data-product-id="900"');
    expect(fbt).toContain('data-variant-id="910"');
    expect(fbt).toContain('data-limit="2"');
    expect(fbt).toContain('data-proxy="/apps/upshelf"');
    expect(fbt).toContain("This item: Tea Cup &amp; Saucer");
    expect(fbt).toContain("£10.95");
    expect(fbt).toContain("--upshelf-rows:2;");
    expect(fbt.match(/<input type="checkbox"[^>]*checked/g)).toHaveLength(1);
    expect(fbt).toContain(">Frequently bought together</h2>");
    // The schema's assets go in the head once, the script deferred; the embed sits before </body>.
    expect(html.match(/<script src="\/preview\/assets\/upshelf\.js\?v=[0-9a-f]+" defer><\/script>/g)).toHaveLength(1);
    expect(html.match(/upshelf\.css\?v=/g)).toHaveLength(1);
    expect(html).toMatch(/data-upshelf="embed"[\s\S]*<\/body>/);
    expect(html).not.toContain("{% schema");
    expect(html).not.toContain("translation missing");
  });

  it("speaks the buyer's language from the extension's locale files", async () => {
    const html = await productPage("fr", true);
    expect(html).toContain(">Souvent achetés ensemble</h2>");
    expect(html).toContain('data-t-saving="Vous économisez {a}"');
  });

  it("leaves every Upshelf block, embed and asset out when asked to (the benchmark's baseline)", async () => {
    const html = await productPage("en", false);
    expect(html).not.toMatch(/data-upshelf="|upshelf\.(js|css)|class="upshelf/);
    expect(html).toContain('id="add-to-cart"');
  });
});

describe("the storefront offer index (app.metafields.upshelf.storefront)", () => {
  const breaksOn = (productId: string) =>
    makeOffer({ id: "breaks", type: "quantityBreaks", eligible: { productIds: [`gid://shopify/Product/${productId}`] }, tiers: [{ minQuantity: 2, value: { kind: "percentage", percent: 10 } }] });
  const ladderFrom = (productId: string) =>
    makeOffer({ id: "ladder", type: "upgradeLadder", steps: [{ ref: { productId: `gid://shopify/Product/${productId}` } }, { ref: { productId: "gid://shopify/Product/901" } }], incentive: null });
  const indexOf = (...offers: ReturnType<typeof makeOffer>[]) => storefrontOfferIndex(offers, { now: NOW, productOfVariant: () => undefined });
  const page = (extra: Record<string, unknown>, locale = "en") =>
    renderPage({ template: "product", title: "Tea", state: { locale, blocks: true, currency: "GBP" }, objects: { ...objects, ...extra } });
  const withIndex = (value: unknown, request: Record<string, unknown> = objects.request, locale = "en") =>
    page({ app: { metafields: { upshelf: { storefront: { value } } } }, request }, locale);
  const sections = (html: string) => ({
    quantityBreaks: /<section\s+class="upshelf upshelf-qb"[\s\S]*?data-product-id="900"[\s\S]*?<\/section>/.test(html),
    upgrade: /<section\s+class="upshelf upshelf-upgrade"[\s\S]*?data-product-id="900"[\s\S]*?<\/section>/.test(html),
  });

  it("renders the real quantity-breaks and upgrade blocks only for a product the index lists", async () => {
    expect(sections(await withIndex(indexOf(breaksOn("777"), ladderFrom("778"))))).toEqual({ quantityBreaks: false, upgrade: false });
    expect(sections(await withIndex(indexOf(breaksOn("900"))))).toEqual({ quantityBreaks: true, upgrade: false });
    expect(sections(await withIndex(indexOf(ladderFrom("900"))))).toEqual({ quantityBreaks: false, upgrade: true });
    // The top of a ladder has nothing to upgrade to.
    expect(sections(await withIndex(indexOf(makeOffer({ id: "top", type: "upgradeLadder", steps: [{ ref: { productId: "gid://shopify/Product/1" } }, { ref: { productId: "gid://shopify/Product/900" } }], incentive: null }))))).toEqual({
      quantityBreaks: false,
      upgrade: false,
    });
  });

  it("compares Shopify's numeric product.id with the index's strings", async () => {
    const html = await page({ product: { ...product, id: 900 }, app: { metafields: { upshelf: { storefront: { value: indexOf(breaksOn("900")) } } } } });
    expect(html).toMatch(/<section\s+class="upshelf upshelf-qb"/);
    expect(html).not.toMatch(/<section\s+class="upshelf upshelf-upgrade"/);
  });

  it("tells the merchant in the theme editor, and only there, what each block needs before it shows anything", async () => {
    const notes = (html: string) => [...html.matchAll(/<p class="upshelf__editor-note">([^<]*)<\/p>/g)].map((match) => match[1]);
    expect(notes(await withIndex(indexOf()))).toEqual([]);
    const editor = notes(await withIndex(indexOf(), { ...objects.request, design_mode: true }));
    // The product page's blocks in the preview theme: quantity breaks, upgrade, deals, frequently bought together.
    expect(editor).toEqual([
      "Upshelf: shows on a product that a live quantity-breaks offer covers.",
      "Upshelf: shows on a product that is a step below the top of a live upgrade ladder.",
      "Upshelf: shows on a product that a live buy X get Y or mix-and-match offer covers.",
      "Upshelf: items bought with this product appear here once the app has recommendations for it.",
    ]);
  });

  it("renders both blocks as before when the index was never written, and always in the theme editor", async () => {
    expect(sections(await page({}))).toEqual({ quantityBreaks: true, upgrade: true });
    expect(sections(await withIndex(indexOf(), { ...objects.request, design_mode: true }))).toEqual({ quantityBreaks: true, upgrade: true });
  });

  it("renders the deals block only for a product a buy X get Y or mix-and-match offer covers, reserving a row per deal, with its terms' wording in the buyer's language", async () => {
    const deal = (id: string, productId: string) =>
      makeOffer({ id, type: "mixAndMatch", eligible: { productIds: [`gid://shopify/Product/${productId}`] }, setSize: 3, pricing: { kind: "percentage", percent: 10 }, maxSetsPerOrder: null });
    const dealsBlock = (html: string) => /<section\s+class="upshelf upshelf-deals"[\s\S]*?<\/section>/.exec(html)?.[0] ?? null;
    expect(dealsBlock(await withIndex(indexOf(deal("other", "777"), breaksOn("900"))))).toBeNull();
    expect(dealsBlock(await withIndex(indexOf(breaksOn("900"))))).toBeNull();
    // An index written before deals were listed says nothing about them: the block renders, as without one.
    expect(dealsBlock(await withIndex({ quantity_breaks: ["900"], upgrades: [] }))).not.toBeNull();
    const one = dealsBlock(await withIndex(indexOf(deal("one", "900"))));
    expect(one).toContain("--upshelf-rows:1;");
    expect(one).toContain('data-tfree="Buy {b}, get {g} free"');
    expect(one).toContain('data-tamount-off="Any {n}: {a} off"');
    expect(one).toContain('data-t-some="{d} (some options only)"');
    expect(one).toContain('data-t-limit="{d} (limit {n} per order)"');
    expect(one).toContain('data-tfree-get="{g} free when you buy {b}: {o}"');
    expect(one).toContain('data-t-items="selected items"');
    expect(one).toContain(">Deals on this item</h2>");
    expect(one).not.toContain("upshelf-deals__note");
    const two = dealsBlock(await withIndex(indexOf(deal("one", "900"), deal("two", "900"))));
    expect(two).toContain("--upshelf-rows:2;");
    // Two deals do not add up on one item, and the block says so.
    expect(two).toContain("An item counts towards one deal only");
    const french = dealsBlock(await withIndex(indexOf(deal("one", "900")), { locale: { iso_code: "fr" } }, "fr"));
    expect(french).toContain('data-tfixed-price="{n} au choix pour {a}"');
    expect(french).toContain(">Offres sur cet article</h2>");
    // Never written yet, or in the theme editor: rendered, so the merchant can place it.
    expect(dealsBlock(await page({}))).not.toBeNull();
    expect(dealsBlock(await withIndex(indexOf(), { ...objects.request, design_mode: true }))).not.toBeNull();
  });
});

describe("the running holdout test (app.metafields.upshelf.experiment)", () => {
  const page = (request: Record<string, unknown>) =>
    renderPage({
      template: "product",
      title: "Tea",
      state: { locale: "en", blocks: true, currency: "GBP" },
      objects: { ...objects, request, app: { metafields: { upshelf: { experiment: { value: { key: "k3y", holdout: 1000 } } } } } },
    });

  it("names the test on every block for buyers, but not in the theme editor, where the merchant must see the blocks they place", async () => {
    const storefront = await page(objects.request);
    expect((storefront.match(/data-exp="k3y:1000"/g) ?? []).length).toBe((storefront.match(/data-proxy="/g) ?? []).length);
    const editor = await page({ ...objects.request, design_mode: true });
    expect(editor).toContain('data-proxy="');
    expect(editor).not.toContain("data-exp=");
  });
});

describe("the extension's files", () => {
  const blocks = fs.readdirSync(path.join(EXTENSION_DIR, "blocks")).map((file) => file.replace(/\.liquid$/, ""));

  it("give every block a valid schema whose assets exist, section blocks on product or cart pages and one body embed", () => {
    const schemas = blocks.map((name) => readBlock(name));
    for (const schema of schemas) {
      for (const asset of [schema.javascript, schema.stylesheet]) expect(fs.existsSync(path.join(EXTENSION_DIR, "assets", asset ?? "missing"))).toBe(true);
    }
    expect(schemas.filter((schema) => schema.target === "body")).toHaveLength(1);
    expect(schemas.filter((schema) => schema.target === "section").every((schema) => schema.enabled_on?.templates?.length)).toBe(true);
  });

  it("translate every storefront and editor string into every locale they ship", () => {
    const dir = path.join(EXTENSION_DIR, "locales");
    const keys = (value: unknown, prefix = ""): string[] =>
      value && typeof value === "object"
        ? Object.entries(value).flatMap(([key, inner]) => keys(inner, prefix ? `${prefix}.${key}` : key))
        : [prefix];
    const read = (file: string) => keys(JSON.parse(fs.readFileSync(path.join(dir, file), "utf8"))).sort();
    for (const file of fs.readdirSync(dir)) {
      const reference = file.endsWith(".schema.json") ? "en.default.schema.json" : "en.default.json";
      expect(read(file), file).toEqual(read(reference));
    }
    // Every "t:" label in the schemas names a key of the editor's locale file.
    const schemaKeys = new Set(read("en.default.schema.json"));
    for (const name of blocks) {
      const source = fs.readFileSync(path.join(EXTENSION_DIR, "blocks", `${name}.liquid`), "utf8");
      for (const match of source.matchAll(/"t:([\w.]+)"/g)) expect(schemaKeys.has(match[1] as string), `${name}: t:${match[1]}`).toBe(true);
    }
  });

  it("name every block in at most 25 characters, in every language the editor shows (Shopify refuses a longer schema name)", () => {
    const dir = path.join(EXTENSION_DIR, "locales");
    for (const file of fs.readdirSync(dir).filter((name) => name.endsWith(".schema.json"))) {
      const texts = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as { blocks: Record<string, { name: string }> };
      for (const name of blocks) {
        const key = /^t:blocks\.(\w+)\.name$/.exec(readBlock(name).name)?.[1];
        expect(key, `${name}: a translated name`).toBeDefined();
        const text = texts.blocks[key as string]?.name ?? "";
        expect([...text].length, `${file}: blocks.${key}.name "${text}"`).toBeLessThanOrEqual(25);
      }
    }
  });

  it("tell the merchant where an empty heading or accent colour comes from (the app's Settings page first where the block reads it), and what caps the number of items", () => {
    const english = JSON.parse(fs.readFileSync(path.join(EXTENSION_DIR, "locales", "en.default.schema.json"), "utf8")) as Record<string, unknown>;
    const text = (key: string) => key.replace(/^t:/, "").split(".").reduce<unknown>((node, part) => (node as Record<string, unknown>)?.[part], english);
    for (const name of blocks) {
      const source = fs.readFileSync(path.join(EXTENSION_DIR, "blocks", `${name}.liquid`), "utf8");
      const info = (id: string) => (readBlock(name).settings?.find((setting) => setting.id === id) as { info?: string } | undefined)?.info;
      const heading = info("heading");
      if (heading) expect(text(heading), `${name}: heading`).toMatch(source.includes("widgets.value.headings") ? /Upshelf's Settings/ : /^(?![\s\S]*Settings)/);
      // Every block's style (snippets/upshelf-style.liquid) takes the Settings page's accent when its own is empty.
      const accent = info("accent");
      if (accent) expect(text(accent), `${name}: accent`).toMatch(/Upshelf's Settings/);
      // The app serves at most its placement's number: a block's own number alone cannot raise it.
      if (readBlock(name).settings?.some((setting) => setting.id === "items")) {
        expect(text(info("items") ?? ""), `${name}: items`).toBe("At most the number set for this placement on Upshelf's Recommendations page: to show more, raise both.");
      }
    }
  });

  it("read defaults as the theme editor does: blank without a default, false for an unset checkbox", () => {
    const schema = readBlockSchema(
      `{% schema %}{"name":"x","target":"section","settings":[{"type":"text","id":"a"},{"type":"checkbox","id":"b"},{"type":"range","id":"c","default":3}]}{% endschema %}`,
      "x",
    );
    expect(settingDefaults(schema)).toEqual({ a: null, b: false, c: 3 });
    expect(() => readBlockSchema("<p>no schema</p>", "y")).toThrow(/no \{% schema %\}/);
    expect(() => readBlockSchema(`{% schema %}{"name":"x","target":"page"}{% endschema %}`, "z")).toThrow(/target/);
  });

  it("fall back to the default locale and interpolate named values", () => {
    const locales = { defaultLocale: "en", files: new Map([["en", { a: { b: "Add {{ amount }} more" } }], ["fr", {}]]) };
    expect(translate(locales, "fr", "a.b", { amount: "£1.00" })).toBe("Add £1.00 more");
    expect(translate(locales, "fr", "a.missing")).toBe("translation missing: fr.a.missing");
  });
});

describe("the Settings page's widget defaults (app.metafields.upshelf.widgets)", () => {
  const settings = shopSettingsSchema.parse({
    placements: { pdp: { heading: "Pairs well with" } },
    appearance: { accentColour: "#aa0000", showCompareAtPrice: false },
  });
  const pageWith = (widgets: unknown, locale = "en") =>
    renderPage({
      template: "product",
      title: "Tea",
      state: { locale, blocks: true, currency: "GBP" },
      objects: { ...objects, request: { locale: { iso_code: locale } }, app: { metafields: { upshelf: { widgets: { value: widgets } } } } },
    });
  const fbtOf = (html: string) => /<section\s+class="upshelf upshelf-fbt[\s\S]*?<\/section>/.exec(html)?.[0] ?? "";

  it("fill in the heading, accent colour and compare-at prices a block leaves to them", async () => {
    const fbt = fbtOf(await pageWith(storefrontWidgetDefaults(settings)));
    expect(fbt).toContain(">Pairs well with</h2>");
    expect(fbt).toContain("--upshelf-accent:#aa0000;");
    expect(fbt).toContain('data-compare="false"');
  });

  it("leave the block's own defaults, translated, when the merchant changed nothing or nothing was synced yet", async () => {
    for (const widgets of [storefrontWidgetDefaults(DEFAULT_SHOP_SETTINGS), null]) {
      const fbt = fbtOf(await pageWith(widgets, "fr"));
      expect(fbt).toContain(">Souvent achetés ensemble</h2>");
      expect(fbt).not.toContain("--upshelf-accent");
      expect(fbt).toContain('data-compare="true"');
    }
  });
});
