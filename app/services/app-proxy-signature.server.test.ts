import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { appProxySignature, signAppProxyParams, verifyAppProxyParams } from "./app-proxy-signature.server";

const secret = "hush";
const now = new Date("2026-11-24T12:00:00Z");
const shop = "some-shop.myshopify.com";

function signed(extra: Record<string, string> = {}, at = now) {
  return signAppProxyParams(new URLSearchParams(extra), { shop, secret, now: at });
}

describe("app proxy signatures", () => {
  it("matches the worked examples in Shopify's app proxy documentation (secret \"hush\")", () => {
    const base = "extra=1&extra=2&shop=shop-name.myshopify.com&path_prefix=%2Fapps%2Fawesome_reviews&timestamp=1317327555";
    const loggedIn = new URLSearchParams(`${base}&logged_in_customer_id=1`);
    const anonymous = new URLSearchParams(`${base}&logged_in_customer_id=`);
    expect(appProxySignature(loggedIn, "hush")).toBe("4c68c8624d737112c91818c11017d24d334b524cb5c2b8ba08daa056f7395ddb");
    expect(appProxySignature(anonymous, "hush")).toBe("e072b6d7e6622d85912a5214b860d3100dc1e73d9bc29f43796ac8c9ff8093cb");

    loggedIn.set("signature", "4c68c8624d737112c91818c11017d24d334b524cb5c2b8ba08daa056f7395ddb");
    expect(verifyAppProxyParams(loggedIn, "hush", new Date(1317327555 * 1000))).toEqual({
      ok: true,
      shop: "shop-name.myshopify.com",
      loggedInCustomerId: "1",
    });
  });

  it("sorts the joined key=value strings as Shopify's verification does, so a key that begins another signs as Shopify signs it", () => {
    // "t0=…" sorts before "t=…" ("0" < "="), though the key "t" sorts before "t0".
    const params = new URLSearchParams("t=1&t0=2&shop=shop-name.myshopify.com&timestamp=1317327555");
    const message = "shop=shop-name.myshopify.comt0=2t=1timestamp=1317327555";
    expect(appProxySignature(params, "hush")).toBe(createHmac("sha256", "hush").update(message).digest("hex"));
  });

  it("accepts a request signed with the app's secret and reports the shop", () => {
    const result = verifyAppProxyParams(signed({ product_id: "42" }), secret, now);
    expect(result).toEqual({ ok: true, shop, loggedInCustomerId: null });
  });

  it("rejects a forged signature, a different secret, and a tampered parameter", () => {
    const params = signed({ product_id: "42" });
    expect(verifyAppProxyParams(params, "another-secret", now)).toMatchObject({ ok: false, reason: "bad_signature" });
    const tampered = new URLSearchParams(params);
    tampered.set("product_id", "43");
    expect(verifyAppProxyParams(tampered, secret, now)).toMatchObject({ ok: false, reason: "bad_signature" });
    const garbage = new URLSearchParams(params);
    garbage.set("signature", "zz");
    expect(verifyAppProxyParams(garbage, secret, now)).toMatchObject({ ok: false, reason: "bad_signature" });
  });

  it("rejects a valid signature with anything appended (hex decoding would stop at the first stray character)", () => {
    const params = signed({ product_id: "42" });
    const signature = params.get("signature") ?? "";
    for (const suffix of ["z", "ZZZ-not-hex", " ", "0"]) {
      const padded = new URLSearchParams(params);
      padded.set("signature", signature + suffix);
      expect(verifyAppProxyParams(padded, secret, now)).toMatchObject({ ok: false, reason: "bad_signature" });
    }
    const upperCase = new URLSearchParams(params);
    upperCase.set("signature", signature.toUpperCase());
    expect(verifyAppProxyParams(upperCase, secret, now)).toMatchObject({ ok: true });
  });

  it("rejects replays older than 90 seconds and timestamps from the future", () => {
    const old = signed({}, new Date(now.getTime() - 91_000));
    expect(verifyAppProxyParams(old, secret, now)).toMatchObject({ ok: false, reason: "stale_timestamp" });
    const recent = signed({}, new Date(now.getTime() - 89_000));
    expect(verifyAppProxyParams(recent, secret, now).ok).toBe(true);
    const future = signed({}, new Date(now.getTime() + 120_000));
    expect(verifyAppProxyParams(future, secret, now)).toMatchObject({ ok: false, reason: "stale_timestamp" });
  });

  it("rejects duplicated shop, timestamp, signature, customer or prefix parameters and unsigned requests", () => {
    // A second logged_in_customer_id (a buyer's own) would otherwise be read as the signed-in customer.
    for (const key of ["shop", "timestamp", "signature", "logged_in_customer_id", "path_prefix"]) {
      const params = signed();
      params.append(key, params.get(key) ?? "");
      expect(verifyAppProxyParams(params, secret, now)).toMatchObject({ ok: false, reason: "duplicated_parameter" });
    }
    expect(verifyAppProxyParams(new URLSearchParams({ shop }), secret, now)).toMatchObject({
      ok: false,
      reason: "missing_signature",
    });
  });

  it("rejects a shop that is not a myshopify.com domain even when correctly signed", () => {
    const params = signAppProxyParams(new URLSearchParams(), { shop: "evil.example.com", secret, now });
    expect(verifyAppProxyParams(params, secret, now)).toMatchObject({ ok: false, reason: "invalid_shop" });
  });

  it("accepts the shops of the app's SHOP_CUSTOM_DOMAIN, as Shopify's library does, and only those", () => {
    const custom = signAppProxyParams(new URLSearchParams(), { shop: "shop1.my-custom.io", secret, now });
    expect(verifyAppProxyParams(custom, secret, now)).toMatchObject({ ok: false, reason: "invalid_shop" });
    expect(verifyAppProxyParams(custom, secret, now, "my-custom.io")).toMatchObject({ ok: true });
    const lookalike = signAppProxyParams(new URLSearchParams(), { shop: "shop1.evil-my-custom.io", secret, now });
    expect(verifyAppProxyParams(lookalike, secret, now, "my-custom.io")).toMatchObject({ ok: false, reason: "invalid_shop" });
    const nested = signAppProxyParams(new URLSearchParams(), { shop: "a.b.my-custom.io", secret, now });
    expect(verifyAppProxyParams(nested, secret, now, "my-custom.io")).toMatchObject({ ok: false, reason: "invalid_shop" });
  });
});
