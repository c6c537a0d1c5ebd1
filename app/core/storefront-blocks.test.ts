import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EXTENSION_DIR, readBlock } from "~/services/storefront-preview/theme-engine.server";
import { settingDefaults } from "~/services/storefront-preview/block-schema";
import { DEFAULT_SHOP_SETTINGS } from "./settings";
import { blockItemsDefaultsText, demoStorefrontLink, STOREFRONT_BLOCKS, themeEditorLink, type StorefrontBlock } from "./storefront-blocks";

const block = (handle: string) => STOREFRONT_BLOCKS.find((candidate) => candidate.handle === handle) as StorefrontBlock;

describe("the storefront blocks the admin lists", () => {
  it("are every block of the theme app extension, each with its theme editor name, kind and template", () => {
    const files = fs
      .readdirSync(path.join(EXTENSION_DIR, "blocks"))
      .map((file) => file.replace(/\.liquid$/, ""))
      .sort();
    expect(STOREFRONT_BLOCKS.map((entry) => entry.handle).sort()).toEqual(files);
    const editorNames = JSON.parse(fs.readFileSync(path.join(EXTENSION_DIR, "locales", "en.default.schema.json"), "utf8")).blocks as Record<string, { name: string }>;
    for (const entry of STOREFRONT_BLOCKS) {
      const schema = readBlock(entry.handle);
      expect(entry.kind, entry.handle).toBe(schema.target === "body" ? "embed" : "block");
      if (entry.kind === "block") expect(schema.enabled_on?.templates, entry.handle).toContain(entry.template);
      const key = /^t:blocks\.(\w+)\.name$/.exec(schema.name)?.[1] ?? "";
      expect(editorNames[key]?.name, entry.handle).toBe(entry.name);
    }
  });
});

// A buyer sees the fewer of a block's own number of items and the placement's limit: the admin's
// Recommendations page states the blocks' defaults and takes the largest as the limit's default.
describe("the recommendation blocks' number of items", () => {
  it("is, for every block with one, the default its schema ships (and no other block has one)", () => {
    for (const entry of STOREFRONT_BLOCKS) {
      expect(settingDefaults(readBlock(entry.handle)).items, entry.handle).toBe(entry.recommends?.defaultItems);
    }
  });

  it("sets the admin's default limits: 2 on the product page, 3 in the cart (whose drawer shows 2)", () => {
    expect(DEFAULT_SHOP_SETTINGS.placements.pdp.limit).toBe(2);
    expect(DEFAULT_SHOP_SETTINGS.placements.cart.limit).toBe(3);
    expect(blockItemsDefaultsText("pdp")).toBe("by default the product page's block shows 2");
    expect(blockItemsDefaultsText("cart")).toBe("by default the cart page's block shows 3 and the cart drawer's 2");
    expect(blockItemsDefaultsText("post_purchase")).toBeNull();
  });
});

describe("themeEditorLink", () => {
  it("adds an app block to its template's main section of the live theme", () => {
    const url = new URL(themeEditorLink("demo-gifts.myshopify.com", "0a1b2c3d4e5f", block("deals")));
    expect(`${url.origin}${url.pathname}`).toBe("https://demo-gifts.myshopify.com/admin/themes/current/editor");
    expect(Object.fromEntries(url.searchParams)).toEqual({ template: "product", addAppBlockId: "0a1b2c3d4e5f/deals", target: "mainSection" });
    // A cart's main sections often take no app block (Dawn's do not): the cart upsell goes in a new Apps section.
    const cart = new URL(themeEditorLink("demo-gifts.myshopify.com", "0a1b2c3d4e5f", block("cart-upsell")));
    expect(Object.fromEntries(cart.searchParams)).toEqual({ template: "cart", addAppBlockId: "0a1b2c3d4e5f/cart-upsell", target: "newAppsSection" });
  });

  it("opens the app embeds with ours switched on", () => {
    const url = new URL(themeEditorLink("demo-gifts.myshopify.com", "0a1b2c3d4e5f", block("upshelf-embed")));
    expect(Object.fromEntries(url.searchParams)).toEqual({ context: "apps", template: "product", activateAppId: "0a1b2c3d4e5f/upshelf-embed" });
  });

  it("takes a custom shop domain, but refuses anything that is not a bare host name, and a missing API key", () => {
    expect(new URL(themeEditorLink("shop.example-platform.test", "0a1b2c3d4e5f", block("deals"))).host).toBe("shop.example-platform.test");
    for (const shop of ["demo.myshopify.com/admin?x=", "demo.myshopify.com:8443", "evil.example@demo.myshopify.com", "localhost", ""]) {
      expect(() => themeEditorLink(shop, "0a1b2c3d4e5f", block("deals")), shop).toThrow(/not a shop domain/);
    }
    expect(() => themeEditorLink("demo-gifts.myshopify.com", "", block("deals"))).toThrow(/API key/);
  });

  it("points the demo shop at its local storefront instead", () => {
    expect(demoStorefrontLink(block("deals"))).toBe("/preview");
    expect(demoStorefrontLink(block("cart-upsell"))).toBe("/preview/cart");
  });
});
