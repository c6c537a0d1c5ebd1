import { describe, expect, it } from "vitest";
import { bundleCompanions } from "./bundle-companions";
import { makeOffer, NOW } from "./test-support";

const product = (id: number | string) => `gid://shopify/Product/${id}`;
const variant = (id: number | string) => `gid://shopify/ProductVariant/${id}`;
const variants: Record<string, string> = { [variant(501)]: product(50), [variant(502)]: product(50) };
const options = { now: NOW, productOfVariant: (gid: string) => variants[gid] };
const price = { kind: "percentage", percent: 10 };

const bundle = (id: string, refs: Record<string, string>[], extra: Record<string, unknown> = {}) =>
  makeOffer({ id, type: "fixedBundle", items: refs.map((ref) => ({ ref, quantity: 1 })), pricing: price, maxSetsPerOrder: null, ...extra });

describe("bundleCompanions", () => {
  it("gives each product of a live bundle the bundle's other products, by product or variant, higher priority first", () => {
    const companions = bundleCompanions(
      [
        bundle("tea", [{ productId: product(1) }, { productId: product(2) }], { priority: 0 }),
        bundle("mugs", [{ productId: product(1) }, { variantId: variant(501) }, { variantId: variant(502) }, { variantId: variant(999) }], { priority: 5 }),
      ],
      options,
    );
    // Two variants of product 50 are one companion; variant 999 is unknown to the catalog.
    expect(companions).toEqual({ "1": ["50", "2"], "50": ["1"], "2": ["1"] });
  });

  it("leaves out paused, ended, not yet started and single-product bundles, CSV-only products and other offer types", () => {
    const companions = bundleCompanions(
      [
        bundle("paused", [{ productId: product(1) }, { productId: product(2) }], { status: "paused" }),
        bundle("ended", [{ productId: product(1) }, { productId: product(3) }], { schedule: { startsAt: null, endsAt: NOW - 1 } }),
        makeOffer({ id: "pair", type: "fixedBundle", items: [{ ref: { productId: product(4) }, quantity: 2 }], pricing: price, maxSetsPerOrder: null }),
        bundle("csv", [{ productId: product(5) }, { productId: "csv:linen-apron" }]),
        bundle("later", [{ productId: product(6) }, { productId: product(7) }], { schedule: { startsAt: NOW + 86_400_000, endsAt: null } }),
        bundle("live", [{ productId: product(10) }, { productId: product(11) }], { schedule: { startsAt: NOW - 86_400_000, endsAt: NOW + 86_400_000 } }),
        makeOffer({ id: "mix", type: "mixAndMatch", eligible: { productIds: [product(8), product(9)] }, setSize: 2, pricing: price }),
      ],
      options,
    );
    expect(companions).toEqual({ "10": ["11"], "11": ["10"] });
  });
});
