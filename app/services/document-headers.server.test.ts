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

  it("in Shopify mode lets only Shopify's admin frame a document whose request names no shop, or a bad one", () => {
    for (const url of ["https://upshelf.test/app", "https://upshelf.test/app?shop=evil.example.com"]) {
      const headers = new Headers();
      addDocumentHeaders(new Request(url), headers);
      expect(headers.get("Content-Security-Policy"), url).toBe("frame-ancestors https://admin.shopify.com https://*.myshopify.com;");
    }
  });
});
