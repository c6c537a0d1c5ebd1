import { describe, expect, it } from "vitest";
import { useShopifyAdminMode } from "../../tests/support/admin-session";
import { addDocumentHeaders } from "./document-headers.server";

useShopifyAdminMode();

describe("the headers of every HTML document", () => {
  it("in Shopify mode lets only the shop's admin frame the embedded app", () => {
    const headers = new Headers();
    addDocumentHeaders(new Request("https://upshelf.test/app?embedded=1&shop=tea-shop.myshopify.com&host=x"), headers);
    const policy = headers.get("Content-Security-Policy") ?? "";
    expect(policy).toMatch(/^frame-ancestors /);
    expect(policy).toContain("https://tea-shop.myshopify.com");
    expect(policy).toContain("https://admin.shopify.com");
    expect(policy).not.toContain("*;");
  });
});
