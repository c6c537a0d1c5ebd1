import { describe, expect, it } from "vitest";
import { SEARCH_EVALUATION_BUDGET } from "./best-combination";
import { OffersError } from "./errors";
import { priceCart } from "./price-cart";
import { cartOf, combinesWithAll, line, makeOffer, NOW } from "./test-support";

const percentOff = (id: string, percent: number, extra: Record<string, unknown> = {}) =>
  makeOffer({
    id,
    type: "quantityBreaks",
    eligible: { collectionIds: ["tees"] },
    tiers: [{ minQuantity: 1, value: { kind: "percentage", percent } }],
    ...extra,
  });
const tee = (id: string, price: number, quantity = 1) => line(id, price, quantity, { collectionIds: ["tees"] });
const spend = (id: string, percent: number, extra: Record<string, unknown> = {}) =>
  makeOffer({
    id,
    type: "spendTiers",
    tiers: [{ minSubtotal: { amount: 1000, currency: "USD" }, value: { kind: "percentage", percent } }],
    ...extra,
  });

describe("priceCart: choosing the best combination", () => {
  it("GIVEN two product offers that do not combine THEN the one saving more applies", () => {
    const result = priceCart({ cart: cartOf([tee("a", 2000)]), offers: [percentOff("ten", 10), percentOff("twenty", 20)], now: NOW });
    expect(result.applied.map((o) => o.offerId)).toEqual(["twenty"]);
    expect(result.eligible).toEqual([
      { offerId: "ten", standaloneSaving: 200, applied: false },
      { offerId: "twenty", standaloneSaving: 400, applied: true },
    ]);
  });

  it("GIVEN product and order offers that combine THEN the order discount is taken off what is left", () => {
    const result = priceCart({
      cart: cartOf([tee("a", 2000)]),
      offers: [percentOff("ten", 10, { combinesWith: combinesWithAll }), spend("order", 10, { combinesWith: combinesWithAll })],
      now: NOW,
    });
    // 10% of 20.00 = 2.00, then 10% of 18.00 = 1.80
    expect(result.totalDiscount).toBe(380);
    expect(result.applied.map((o) => [o.offerId, o.discountClass, o.amount])).toEqual([
      ["ten", "product", 200],
      ["order", "order", 180],
    ]);
  });

  it("GIVEN only one side allows the combination THEN they do not combine", () => {
    const result = priceCart({
      cart: cartOf([tee("a", 2000)]),
      offers: [
        percentOff("ten", 10, { combinesWith: { orderDiscounts: true } }),
        spend("order", 15, { combinesWith: { productDiscounts: false } }),
      ],
      now: NOW,
    });
    expect(result.applied.map((o) => o.offerId)).toEqual(["order"]);
    expect(result.totalDiscount).toBe(300);
  });

  it("GIVEN combinable product offers competing for the same units THEN priority claims first, and the search may leave the higher one out", () => {
    const high = percentOff("high", 10, { priority: 10, combinesWith: combinesWithAll });
    const low = percentOff("low", 20, { priority: 0, combinesWith: combinesWithAll });
    const result = priceCart({ cart: cartOf([tee("a", 1000, 2)]), offers: [high, low], now: NOW });
    expect(result.applied.map((o) => o.offerId)).toEqual(["low"]);
    expect(result.totalDiscount).toBe(400);
  });

  it("GIVEN combinable offers on different products THEN both apply", () => {
    const mugs = makeOffer({
      id: "mugs",
      type: "quantityBreaks",
      eligible: { productIds: ["mug"] },
      tiers: [{ minQuantity: 1, value: { kind: "percentage", percent: 50 } }],
      combinesWith: combinesWithAll,
    });
    const result = priceCart({
      cart: cartOf([tee("a", 1000), line("m", 800, 1, { productId: "mug" })]),
      offers: [percentOff("tees", 10, { combinesWith: combinesWithAll }), mugs],
      now: NOW,
    });
    expect(result.totalDiscount).toBe(100 + 400);
  });

  it("GIVEN equal savings THEN the higher priority wins, then the lower id", () => {
    const byPriority = priceCart({
      cart: cartOf([tee("a", 1000)]),
      offers: [percentOff("a-first", 10), percentOff("b-second", 10, { priority: 5 })],
      now: NOW,
    });
    expect(byPriority.applied.map((o) => o.offerId)).toEqual(["b-second"]);
    const byId = priceCart({
      cart: cartOf([tee("a", 1000)]),
      offers: [percentOff("zeta", 10), percentOff("alpha", 10)],
      now: NOW,
    });
    expect(byId.applied.map((o) => o.offerId)).toEqual(["alpha"]);
  });

  it("GIVEN more offers than the search budget covers THEN it is never worse than taking them in precedence order", () => {
    // 9 combinable offers on separate products: 511 evaluations for a full search, more than the budget.
    const count = 9;
    expect(2 ** count - 1).toBeGreaterThan(SEARCH_EVALUATION_BUDGET);
    const offers = Array.from({ length: count }, (_, index) =>
      makeOffer({
        id: `offer-${index}`,
        type: "quantityBreaks",
        eligible: { productIds: [`p${index}`] },
        tiers: [{ minQuantity: 1, value: { kind: "percentage", percent: index + 1 } }],
        combinesWith: combinesWithAll,
      }),
    );
    const lines = offers.map((_, index) => line(`l${index}`, 1000, 1, { productId: `p${index}` }));
    const result = priceCart({ cart: cartOf(lines), offers, now: NOW });
    expect(result.applied).toHaveLength(count);
    expect(result.totalDiscount).toBe(Array.from({ length: count }, (_, i) => (i + 1) * 10).reduce((a, b) => a + b));
  });

  it("GIVEN a cut search THEN the result is still the same whatever the input order", () => {
    const offers = Array.from({ length: 10 }, (_, index) =>
      makeOffer({
        id: `offer-${index}`,
        type: "quantityBreaks",
        priority: index % 3,
        eligible: { collectionIds: ["tees"] },
        tiers: [{ minQuantity: 1 + (index % 4), value: { kind: "percentage", percent: 5 + index } }],
        combinesWith: { productDiscounts: index % 2 === 0, orderDiscounts: true },
      }),
    );
    const cart = cartOf([tee("a", 1000, 2), tee("b", 700, 3)]);
    const forward = priceCart({ cart, offers, now: NOW });
    const backward = priceCart({ cart: { ...cart, lines: [...cart.lines].reverse() }, offers: [...offers].reverse(), now: NOW });
    expect(backward.applied).toEqual(forward.applied);
    expect(forward.totalDiscount).toBeGreaterThan(0);
  });
});

describe("priceCart: which offers are live", () => {
  const at = (iso: string) => Date.parse(iso);
  const scheduled = percentOff("sale", 10, { schedule: { startsAt: "2025-06-01T00:00:00Z", endsAt: "2025-06-08T00:00:00Z" } });
  const cart = cartOf([tee("a", 1000)]);

  it.each([
    ["2025-05-31T23:59:59Z", 0],
    ["2025-06-01T00:00:00Z", 100],
    ["2025-06-07T23:59:59Z", 100],
    ["2025-06-08T00:00:00Z", 0],
  ])("at %s saves %i (start inclusive, end exclusive)", (iso, saving) => {
    expect(priceCart({ cart, offers: [scheduled], now: at(iso) }).totalDiscount).toBe(saving);
  });

  it("accepts a Date as well as epoch milliseconds", () => {
    expect(priceCart({ cart, offers: [scheduled], now: new Date("2025-06-02T00:00:00Z") }).totalDiscount).toBe(100);
  });

  it.each(["paused", "draft"])("ignores %s offers", (status) => {
    expect(priceCart({ cart, offers: [percentOff("x", 10, { status })], now: NOW }).applied).toEqual([]);
  });
});

describe("priceCart: input checks", () => {
  it("refuses duplicate line ids and offer ids", () => {
    expect(() => priceCart({ cart: cartOf([tee("a", 1), tee("a", 2)]), offers: [], now: NOW })).toThrow(OffersError);
    expect(() => priceCart({ cart: cartOf([tee("a", 1)]), offers: [percentOff("x", 1), percentOff("x", 2)], now: NOW })).toThrow(
      /used twice/,
    );
  });

  it("refuses fractional prices", () => {
    expect(() => priceCart({ cart: cartOf([tee("a", 9.99)]), offers: [], now: NOW })).toThrow(/integer minor units/);
  });

  it("refuses a cart whose total passes exact integer arithmetic, though each line fits", () => {
    // Two lines of 8,000,000,000,000,000 VND: each is a safe integer, their sum is not.
    const cart = cartOf([line("a", 2_000_000_000_000, 4000), line("b", 2_000_000_000_000, 4000)], "VND");
    const tiers = makeOffer({ id: "s", type: "spendTiers", tiers: [{ minSubtotal: { amount: 100, currency: "VND" }, value: { kind: "percentage", percent: 10 } }] });
    for (const offers of [[], [tiers]]) {
      let failure: unknown;
      try {
        priceCart({ cart, offers, now: NOW });
      } catch (thrown) {
        failure = thrown;
      }
      expect(failure).toBeInstanceOf(OffersError);
      expect(failure).toMatchObject({ code: "invalid-cart", message: expect.stringMatching(/too large/) });
    }
  });

  it("leaves out an offer whose amount converts past exact arithmetic, and prices the others", () => {
    // A "never reached" threshold of 1,000,000,000,000.00 USD is 2.5e16 VND at 25,000: past 2^53.
    // Converting it threw, and checkout gave no discount at all to a VND cart.
    const unreachable = makeOffer({ id: "vip", type: "spendTiers", tiers: [{ minSubtotal: { amount: 100_000_000_000_000, currency: "USD" }, value: { kind: "percentage", percent: 20 } }] });
    const result = priceCart({ cart: cartOf([tee("a", 500_000, 2)], "VND", "25000"), offers: [unreachable, percentOff("x", 10)], now: NOW });
    expect(result.applied.map((applied) => applied.offerId)).toEqual(["x"]);
    expect(result.totalDiscount).toBe(100_000);
  });

  it("ignores lines with quantity 0 and reports every line", () => {
    const result = priceCart({ cart: cartOf([tee("a", 1000, 0), tee("b", 1000)]), offers: [percentOff("x", 10)], now: NOW });
    expect(result.lines).toEqual([
      { lineId: "a", subtotal: 0, discount: 0, total: 0, allocations: [] },
      { lineId: "b", subtotal: 1000, discount: 100, total: 900, allocations: [{ offerId: "x", amount: 100 }] },
    ]);
  });
});
