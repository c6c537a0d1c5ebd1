import { describe, expect, it } from "vitest";
import { DEMO_API_SECRET, DEMO_SHOP_DOMAIN } from "~/env.server";
import { verifyAppProxyParams } from "~/services/app-proxy-signature.server";
import { appProxyTarget, ProxyPathError } from "./app-proxy-forward.server";

const now = new Date("2025-03-01T12:00:00Z");
const options = { shop: DEMO_SHOP_DOMAIN, secret: DEMO_API_SECRET, now };

describe("the demo app proxy", () => {
  it("forwards /apps/upshelf/<path> to /proxy/<path> with the buyer's query, signed as Shopify signs", () => {
    const target = appProxyTarget(new URL("http://127.0.0.1:3000/apps/upshelf/recommendations?placement=pdp&product_id=12"), "recommendations", options);
    expect(target.pathname).toBe("/proxy/recommendations");
    expect(target.searchParams.get("product_id")).toBe("12");
    expect(target.searchParams.get("path_prefix")).toBe("/apps/upshelf");
    expect(verifyAppProxyParams(target.searchParams, DEMO_API_SECRET, now)).toEqual({ ok: true, shop: DEMO_SHOP_DOMAIN, loggedInCustomerId: null });
    // A different secret (a real app's) does not accept the demo's signature.
    expect(verifyAppProxyParams(target.searchParams, "another-secret", now).ok).toBe(false);
  });

  it("replaces whatever shop, timestamp or signature the buyer put in the query", () => {
    const target = appProxyTarget(
      new URL("http://127.0.0.1:3000/apps/upshelf/offers?product_id=1&shop=evil.myshopify.com&signature=00&timestamp=1"),
      "offers",
      options,
    );
    expect(target.searchParams.getAll("shop")).toEqual([DEMO_SHOP_DOMAIN]);
    expect(target.searchParams.getAll("signature")).toHaveLength(1);
    expect(verifyAppProxyParams(target.searchParams, DEMO_API_SECRET, now).ok).toBe(true);
  });

  it("forwards nested paths and refuses anything that could leave /proxy", () => {
    expect(appProxyTarget(new URL("http://h/apps/upshelf/cart/price"), "cart/price", options).pathname).toBe("/proxy/cart/price");
    for (const bad of ["../app", "cart/../../app", "", "a//b", "%2e%2e"]) {
      expect(() => appProxyTarget(new URL("http://h/"), bad, options)).toThrow(ProxyPathError);
    }
  });
});
