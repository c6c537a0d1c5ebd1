import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EXTENSION_DIR, readBlock } from "~/services/storefront-preview/theme-engine.server";
import { demoStorefrontLink, STOREFRONT_BLOCKS, themeEditorLink, type StorefrontBlock } from "./storefront-blocks";

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

describe("themeEditorLink", () => {
  it("adds an app block to its template's main section of the live theme", () => {
    const url = new URL(themeEditorLink("demo-gifts.myshopify.com", "0a1b2c3d4e5f", block("deals")));
    expect(`${url.origin}${url.pathname}`).toBe("https://demo-gifts.myshopify.com/admin/themes/current/editor");
    expect(Object.fromEntries(url.searchParams)).toEqual({ template: "product", addAppBlockId: "0a1b2c3d4e5f/deals", target: "mainSection" });
    expect(new URL(themeEditorLink("demo-gifts.myshopify.com", "0a1b2c3d4e5f", block("cart-upsell"))).searchParams.get("template")).toBe("cart");
  });

  it("opens the app embeds with ours switched on", () => {
    const url = new URL(themeEditorLink("demo-gifts.myshopify.com", "0a1b2c3d4e5f", block("upshelf-embed")));
    expect(Object.fromEntries(url.searchParams)).toEqual({ context: "apps", template: "product", activateAppId: "0a1b2c3d4e5f/upshelf-embed" });
  });

  it("refuses a shop that is not a myshopify.com domain, and a missing API key, rather than link anywhere else", () => {
    for (const shop of ["evil.example.com", "demo.myshopify.com.evil.example", "demo.myshopify.com/admin?x=", ""]) {
      expect(() => themeEditorLink(shop, "0a1b2c3d4e5f", block("deals")), shop).toThrow(/not a myshopify\.com shop domain/);
    }
    expect(() => themeEditorLink("demo-gifts.myshopify.com", "", block("deals"))).toThrow(/API key/);
  });

  it("points the demo shop at its local storefront instead", () => {
    expect(demoStorefrontLink(block("deals"))).toBe("/preview");
    expect(demoStorefrontLink(block("cart-upsell"))).toBe("/preview/cart");
  });
});
