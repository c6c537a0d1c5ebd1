import { describe, expect, it, vi } from "vitest";
import { useShopifyAdminMode } from "../tests/support/admin-session";
import { shopify } from "./shopify.server";

useShopifyAdminMode();
vi.stubEnv("SHOP_CUSTOM_DOMAIN", "my-custom.io");

/** Shopify's library names a shop in the document's frame-ancestors only when it accepts the domain. */
function framingShopOf(shop: string): string | null {
  const headers = new Headers();
  shopify().addDocumentResponseHeaders(new Request(`https://upshelf.test/app?shop=${shop}`), headers);
  return /frame-ancestors https:\/\/(\S+)/.exec(headers.get("Content-Security-Policy") ?? "")?.[1] ?? null;
}

describe("the Shopify app's configuration", () => {
  it("makes Shopify's library accept shops of SHOP_CUSTOM_DOMAIN, unchanged, beside myshopify.com ones, and nothing else", () => {
    expect(framingShopOf("shop1.my-custom.io")).toBe("shop1.my-custom.io");
    expect(framingShopOf("tea-shop.myshopify.com")).toBe("tea-shop.myshopify.com");
    expect(framingShopOf("shop1.evil.io")).toBeNull();
    expect(framingShopOf("shop1.my-customXio")).toBeNull();
  });
});
