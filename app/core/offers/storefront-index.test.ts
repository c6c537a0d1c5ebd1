import { describe, expect, it } from "vitest";
import { storefrontOfferIndex } from "./storefront-index";
import { makeOffer, NOW } from "./test-support";

const product = (id: number | string) => `gid://shopify/Product/${id}`;
const variant = (id: number | string) => `gid://shopify/ProductVariant/${id}`;
const variants: Record<string, string> = { [variant(501)]: product(50), [variant(502)]: product(50), [variant(601)]: product(60), [variant(701)]: product(70) };
const options = { now: NOW, productOfVariant: (gid: string) => variants[gid] };

const breaks = (eligible: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  makeOffer({ id: "breaks", type: "quantityBreaks", eligible, tiers: [{ minQuantity: 2, value: { kind: "percentage", percent: 10 } }], ...extra });
const ladder = (steps: Record<string, string>[], extra: Record<string, unknown> = {}) =>
  makeOffer({ id: "ladder", type: "upgradeLadder", steps: steps.map((ref) => ({ ref })), incentive: null, ...extra });

describe("storefrontOfferIndex", () => {
  it("lists the numeric ids of products a live quantity-breaks offer covers, by product or by variant, sorted and unique", () => {
    const index = storefrontOfferIndex(
      [
        breaks({ productIds: [product(1000), product(9)], variantIds: [variant(501), variant(502), variant(999)] }),
        breaks({ productIds: [product(9)], collectionIds: ["gid://shopify/Collection/3"] }),
      ],
      options,
    );
    // 999 is a variant the catalog does not know; the collection cannot be listed by product.
    expect(index).toEqual({ quantity_breaks: ["9", "50", "1000"], upgrades: [], deals: [] });
  });

  it("lists every step of a live ladder below its top, by product or variant", () => {
    const index = storefrontOfferIndex([ladder([{ variantId: variant(601) }, { productId: product(8) }, { variantId: variant(701) }])], options);
    expect(index).toEqual({ quantity_breaks: [], upgrades: ["8", "60"], deals: [] });
  });

  it("leaves out paused, draft and ended offers, but lists those scheduled to start (the index is only rewritten on a change)", () => {
    const index = storefrontOfferIndex(
      [
        breaks({ productIds: [product(1)] }, { status: "paused" }),
        breaks({ productIds: [product(2)] }, { status: "draft" }),
        breaks({ productIds: [product(3)] }, { schedule: { startsAt: "2025-06-02T00:00:00Z" } }),
        breaks({ productIds: [product(4)] }, { schedule: { endsAt: "2025-06-01T12:00:00Z" } }),
        ladder([{ productId: product(5) }, { productId: product(6) }], { status: "paused" }),
        makeOffer({ id: "mix", type: "mixAndMatch", eligible: { productIds: [product(7)] }, setSize: 2, pricing: { kind: "percentage", percent: 10 }, status: "paused" }),
        breaks({ productIds: [product(11)] }, { schedule: { startsAt: "2025-06-01T12:00:00Z", endsAt: "2025-06-01T12:00:01Z" } }),
        makeOffer({ id: "spend", type: "spendTiers", tiers: [{ minSubtotal: { amount: 5000, currency: "GBP" }, value: { kind: "percentage", percent: 5 } }] }),
      ],
      options,
    );
    expect(index).toEqual({ quantity_breaks: ["3", "11"], upgrades: [], deals: [] });
  });

  it("accepts a variant map that answers numeric product ids, and ignores ids no Liquid product.id can equal", () => {
    const index = storefrontOfferIndex([breaks({ productIds: ["not-a-shopify-id"], variantIds: [variant(1)] })], {
      now: NOW,
      productOfVariant: (gid) => (gid === variant(1) ? "42" : undefined),
    });
    expect(index).toEqual({ quantity_breaks: ["42"], upgrades: [], deals: [] });
  });

  it("names the products whose tables have more rows than the block reserves, with their most tiers", () => {
    const tiers = (count: number) => Array.from({ length: count }, (_, i) => ({ minQuantity: i + 2, value: { kind: "percentage", percent: 5 * (i + 1) } }));
    const index = storefrontOfferIndex(
      [
        breaks({ productIds: [product(1), product(2)] }, { id: "four", tiers: tiers(4) }),
        breaks({ productIds: [product(2)], variantIds: [variant(501)] }, { id: "six", tiers: tiers(6) }),
        breaks({ productIds: [product(3)] }, { id: "three", tiers: tiers(3) }),
      ],
      options,
    );
    expect(index).toEqual({ quantity_breaks: ["1", "2", "3", "50"], upgrades: [], quantity_break_rows: { "1": 4, "2": 6, "50": 6 }, deals: [] });
  });

  it("lists the products on either side of a live buy X get Y and those of a live mix-and-match, with their number of deals when more than one", () => {
    const bxgy = makeOffer({
      id: "bxgy",
      type: "buyXGetY",
      buy: { items: { productIds: [product(1)], variantIds: [variant(501)] }, quantity: 2 },
      get: { items: { productIds: [product(2), product(1)] }, quantity: 1, percent: 100 },
      maxUsesPerOrder: null,
    });
    const mix = (id: string, eligible: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
      makeOffer({ id, type: "mixAndMatch", eligible, setSize: 3, pricing: { kind: "percentage", percent: 10 }, maxSetsPerOrder: null, ...extra });
    const index = storefrontOfferIndex(
      [
        bxgy,
        // Two variants of one product count once for the offer.
        mix("mix", { variantIds: [variant(501), variant(502)], productIds: [product(1)] }),
        mix("later", { productIds: [product(9)] }, { schedule: { startsAt: "2025-06-02T00:00:00Z" } }),
        mix("ended", { productIds: [product(8)] }, { schedule: { endsAt: "2025-06-01T12:00:00Z" } }),
        mix("collection", { collectionIds: ["gid://shopify/Collection/3"] }),
      ],
      options,
    );
    expect(index).toEqual({ quantity_breaks: [], upgrades: [], deals: ["1", "2", "9", "50"], deal_rows: { "1": 2, "50": 2 } });
  });
});
