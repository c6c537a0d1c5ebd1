import { describe, expect, it } from "vitest";
import { findOfferConflicts, offersCanCombine } from "./conflicts";
import { NOW, combinesWithAll, makeOffer } from "./test-support";

const P = (n: number) => `gid://shopify/Product/${n}`;
const V = (n: number) => `gid://shopify/ProductVariant/${n}`;
const HOUR = 3_600_000;

function bundle(id: string, refs: object[], extra: Record<string, unknown> = {}) {
  return makeOffer({
    id,
    type: "fixedBundle",
    items: refs.map((ref) => ({ ref, quantity: 1 })),
    pricing: { kind: "percentage", percent: 10 },
    ...extra,
  });
}

function breaks(id: string, productIds: string[], extra: Record<string, unknown> = {}) {
  return makeOffer({
    id,
    type: "quantityBreaks",
    eligible: { productIds },
    tiers: [{ minQuantity: 2, value: { kind: "percentage", percent: 10 } }],
    ...extra,
  });
}

const spend = (id: string, extra: Record<string, unknown> = {}) =>
  makeOffer({
    id,
    type: "spendTiers",
    tiers: [{ minSubtotal: { amount: 10_000, currency: "USD" }, value: { kind: "percentage", percent: 10 } }],
    ...extra,
  });

describe("findOfferConflicts", () => {
  it("GIVEN two product offers on a shared product that do not combine THEN it names the other offer and the product", () => {
    const candidate = bundle("new", [{ productId: P(1) }, { productId: P(2) }]);
    const other = breaks("tiers", [P(2), P(3)]);
    const conflicts = findOfferConflicts({ candidate, others: [other], now: NOW });
    expect(conflicts).toEqual([
      expect.objectContaining({ offerId: "tiers", offerType: "quantityBreaks", sharedIds: [P(2)], wholeCart: false }),
    ]);
    expect(conflicts[0]?.message).toContain("a buyer gets only the one that saves more");
  });

  it("GIVEN both allow combining with product discounts THEN there is no conflict", () => {
    const candidate = bundle("new", [{ productId: P(1) }, { productId: P(2) }], { combinesWith: combinesWithAll });
    const other = breaks("tiers", [P(2)], { combinesWith: combinesWithAll });
    expect(findOfferConflicts({ candidate, others: [other], now: NOW })).toEqual([]);
  });

  it("GIVEN only one side allows combining THEN they still conflict (both must agree, as in Shopify)", () => {
    const candidate = bundle("new", [{ productId: P(1) }, { productId: P(2) }], { combinesWith: combinesWithAll });
    const other = breaks("tiers", [P(2)]);
    expect(findOfferConflicts({ candidate, others: [other], now: NOW })).toHaveLength(1);
  });

  it("GIVEN offers on different products THEN there is no conflict", () => {
    const candidate = bundle("new", [{ productId: P(1) }, { productId: P(2) }]);
    expect(findOfferConflicts({ candidate, others: [breaks("tiers", [P(5)])], now: NOW })).toEqual([]);
  });

  it("GIVEN a variant in one offer and its product in the other THEN they overlap when the variant's product is known", () => {
    const candidate = bundle("new", [{ variantId: V(11) }, { productId: P(2) }]);
    const other = breaks("tiers", [P(1)]);
    expect(findOfferConflicts({ candidate, others: [other], now: NOW })).toEqual([]);
    const conflicts = findOfferConflicts({
      candidate,
      others: [other],
      now: NOW,
      productOfVariant: (variant) => (variant === V(11) ? P(1) : undefined),
    });
    expect(conflicts.map((conflict) => conflict.sharedIds)).toEqual([[P(1)]]);
  });

  it("GIVEN a spend tier offer that does not combine with product discounts THEN every product offer conflicts with it (whole cart)", () => {
    const candidate = bundle("new", [{ productId: P(1) }, { productId: P(2) }], { combinesWith: combinesWithAll });
    const conflicts = findOfferConflicts({ candidate, others: [spend("spend")], now: NOW });
    expect(conflicts).toEqual([expect.objectContaining({ offerId: "spend", wholeCart: true, sharedIds: [] })]);
    const combining = spend("spend", { combinesWith: combinesWithAll });
    expect(findOfferConflicts({ candidate, others: [combining], now: NOW })).toEqual([]);
  });

  it("ignores paused and draft offers, offers that ended, and the candidate's own stored copy", () => {
    const candidate = bundle("new", [{ productId: P(1) }, { productId: P(2) }]);
    const others = [
      breaks("paused", [P(1)], { status: "paused" }),
      breaks("draft", [P(1)], { status: "draft" }),
      breaks("ended", [P(1)], { schedule: { startsAt: NOW - 10 * HOUR, endsAt: NOW - HOUR } }),
      bundle("new", [{ productId: P(1) }, { productId: P(2) }]),
    ];
    expect(findOfferConflicts({ candidate, others, now: NOW })).toEqual([]);
  });

  it("GIVEN schedules that do not overlap THEN there is no conflict; touching-but-open intervals do overlap", () => {
    const candidate = bundle("new", [{ productId: P(1) }, { productId: P(2) }], {
      schedule: { startsAt: NOW + 10 * HOUR, endsAt: NOW + 20 * HOUR },
    });
    const before = breaks("before", [P(1)], { schedule: { startsAt: null, endsAt: NOW + 10 * HOUR } });
    const after = breaks("after", [P(1)], { schedule: { startsAt: NOW + 20 * HOUR, endsAt: null } });
    const during = breaks("during", [P(1)], { schedule: { startsAt: NOW + 19 * HOUR, endsAt: null } });
    expect(findOfferConflicts({ candidate, others: [before, after, during], now: NOW }).map((c) => c.offerId)).toEqual(["during"]);
  });

  it("GIVEN an upgrade ladder without an incentive THEN it discounts nothing and cannot conflict", () => {
    const ladder = makeOffer({
      id: "ladder",
      type: "upgradeLadder",
      steps: [{ ref: { productId: P(1) } }, { ref: { productId: P(2) } }],
    });
    const other = bundle("bundle", [{ productId: P(1) }, { productId: P(2) }]);
    expect(findOfferConflicts({ candidate: ladder, others: [other], now: NOW })).toEqual([]);
    expect(findOfferConflicts({ candidate: other, others: [ladder], now: NOW })).toEqual([]);
    const withIncentive = makeOffer({
      id: "ladder",
      type: "upgradeLadder",
      steps: [{ ref: { productId: P(1) } }, { ref: { productId: P(2) } }],
      incentive: { kind: "percentage", percent: 5 },
    });
    expect(findOfferConflicts({ candidate: withIncentive, others: [other], now: NOW }).map((c) => c.sharedIds)).toEqual([[P(1), P(2)]]);
  });

  it("counts buy X get Y's qualifying items as well as its free ones", () => {
    const bxgy = makeOffer({
      id: "bxgy",
      type: "buyXGetY",
      buy: { items: { productIds: [P(7)] }, quantity: 2 },
      get: { items: { productIds: [P(8)] }, quantity: 1, percent: 100 },
    });
    expect(findOfferConflicts({ candidate: bxgy, others: [breaks("tiers", [P(7)])], now: NOW })).toHaveLength(1);
  });
});

describe("offersCanCombine", () => {
  it("follows Shopify's rules per discount class", () => {
    const productOnly = { productDiscounts: true, orderDiscounts: false, shippingDiscounts: false };
    const orderOnly = { productDiscounts: false, orderDiscounts: true, shippingDiscounts: false };
    const a = bundle("a", [{ productId: P(1) }, { productId: P(2) }], { combinesWith: productOnly });
    const b = breaks("b", [P(1)], { combinesWith: productOnly });
    const order = spend("s", { combinesWith: { productDiscounts: true, orderDiscounts: false, shippingDiscounts: false } });
    const orderB = spend("s2", { combinesWith: orderOnly });
    expect(offersCanCombine(a, b)).toBe(true);
    // Product with order: the product offer must allow order discounts and the order offer product discounts.
    expect(offersCanCombine(a, order)).toBe(false);
    expect(offersCanCombine(bundle("c", [{ productId: P(1) }, { productId: P(2) }], { combinesWith: orderOnly }), order)).toBe(true);
    expect(offersCanCombine(order, orderB)).toBe(false);
    expect(offersCanCombine(orderB, spend("s3", { combinesWith: orderOnly }))).toBe(true);
  });
});
