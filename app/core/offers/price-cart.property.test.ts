import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cartArbitrary, nowArbitrary, offersArbitrary } from "./arbitraries";
import { cartOf, combinesWithAll, line, makeOffer, NOW } from "./test-support";
import { canCombine } from "./best-combination";
import { createPricingContext } from "./pricing-context";
import { prepareOffers } from "./prepare-offer";
import { priceCart } from "./price-cart";
import type { PricedCart } from "./types";

/** The result with lines keyed by id and applied offers by id, so line order does not matter. */
function canonical(result: PricedCart) {
  return {
    ...result,
    lines: [...result.lines].sort((a, b) => (a.lineId < b.lineId ? -1 : 1)),
    applied: [...result.applied].sort((a, b) => (a.offerId < b.offerId ? -1 : 1)),
    eligible: [...result.eligible].sort((a, b) => (a.offerId < b.offerId ? -1 : 1)),
  };
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const copy = [...items];
  let state = seed;
  for (let i = copy.length - 1; i > 0; i -= 1) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const j = state % (i + 1);
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

const runs = { numRuns: 400 };

describe("priceCart properties", () => {
  it("discounts are positive, never above the line price, and add up exactly", () => {
    fc.assert(
      fc.property(cartArbitrary, offersArbitrary, nowArbitrary, (cart, offers, now) => {
        const result = priceCart({ cart, offers, now });
        let total = 0;
        for (const applied of result.applied) {
          expect(applied.amount).toBeGreaterThan(0);
          const allocated = applied.allocations.reduce((sum, allocation) => {
            expect(allocation.amount).toBeGreaterThan(0);
            expect(Number.isSafeInteger(allocation.amount)).toBe(true);
            return sum + allocation.amount;
          }, 0);
          expect(allocated).toBe(applied.amount);
          total += applied.amount;
        }
        expect(result.totalDiscount).toBe(total);
        expect(result.lines.reduce((sum, line) => sum + line.discount, 0)).toBe(total);
        for (const line of result.lines) {
          expect(line.discount).toBeGreaterThanOrEqual(0);
          expect(line.discount).toBeLessThanOrEqual(line.subtotal);
          expect(line.total).toBe(line.subtotal - line.discount);
        }
        expect(result.total).toBe(result.subtotal - result.totalDiscount);
      }),
      runs,
    );
  });

  it("a unit takes part in at most one product discount", () => {
    fc.assert(
      fc.property(cartArbitrary, offersArbitrary, nowArbitrary, (cart, offers, now) => {
        const result = priceCart({ cart, offers, now });
        for (const line of cart.lines) {
          const units = result.applied
            .filter((applied) => applied.discountClass === "product")
            .flatMap((applied) => applied.allocations.filter((allocation) => allocation.lineId === line.id))
            .reduce((sum, allocation) => sum + allocation.quantity, 0);
          expect(units).toBeLessThanOrEqual(line.quantity);
        }
      }),
      runs,
    );
  });

  it("the applied offers may all combine, and save at least as much as any single offer", () => {
    fc.assert(
      fc.property(cartArbitrary, offersArbitrary, nowArbitrary, (cart, offers, now) => {
        const result = priceCart({ cart, offers, now });
        const prepared = prepareOffers(offers, createPricingContext(cart));
        const applied = prepared.filter((offer) => result.applied.some((a) => a.offerId === offer.offer.id));
        for (const a of applied) for (const b of applied) if (a !== b) expect(canCombine(a, b)).toBe(true);
        for (const eligible of result.eligible) expect(result.totalDiscount).toBeGreaterThanOrEqual(eligible.standaloneSaving);
      }),
      runs,
    );
  });

  it("does not depend on the order of lines or offers, and is deterministic", () => {
    fc.assert(
      fc.property(cartArbitrary, offersArbitrary, nowArbitrary, fc.integer({ min: 1, max: 1_000_000 }), (cart, offers, now, seed) => {
        const first = priceCart({ cart, offers, now });
        expect(priceCart({ cart, offers, now })).toEqual(first);
        const reordered = priceCart({ cart: { ...cart, lines: shuffled(cart.lines, seed) }, offers: shuffled(offers, seed + 1), now });
        expect(canonical(reordered)).toEqual(canonical(first));
      }),
      runs,
    );
  });

  it("does not depend on the line ids: the storefront names lines by variant, checkout by Shopify's cart line id", () => {
    fc.assert(
      fc.property(cartArbitrary, offersArbitrary, nowArbitrary, fc.integer({ min: 1, max: 1_000_000 }), (cart, offers, now, seed) => {
        // Shopify numbers cart lines in the order the buyer added them, whatever the variant.
        const numbers = shuffled(cart.lines.map((_, index) => index + 1), seed);
        const renamed = { ...cart, lines: cart.lines.map((line, index) => ({ ...line, id: `gid://shopify/CartLine/${numbers[index]}` })) };
        const first = priceCart({ cart, offers, now });
        const again = priceCart({ cart: renamed, offers, now });
        expect(again.totalDiscount).toBe(first.totalDiscount);
        const savedPerVariant = (result: PricedCart, lines: typeof cart.lines) => {
          const variantOf = new Map(lines.map((line) => [line.id, line.variantId]));
          const saved = new Map<string, number>();
          for (const line of result.lines) saved.set(variantOf.get(line.lineId)!, (saved.get(variantOf.get(line.lineId)!) ?? 0) + line.discount);
          return saved;
        };
        expect(savedPerVariant(again, renamed.lines)).toEqual(savedPerVariant(first, cart.lines));
      }),
      runs,
    );
  });

  it("gives each variant the same saving whichever of its lines checkout numbers first (found by the property above)", () => {
    // Two bundles of the dear variant, one of dear + cheap, one of two cheap. The cheap variant
    // sits on two lines; spread line by line, the last minor unit went to it or to the dear
    // variant depending on which of its lines had the lower id.
    const product = "gid://shopify/Product/4";
    const [cheap, dear] = ["gid://shopify/ProductVariant/41", "gid://shopify/ProductVariant/42"];
    const bundle = makeOffer({
      id: "pair",
      type: "fixedBundle",
      items: [{ ref: { productId: product }, quantity: 2 }],
      pricing: { kind: "amountOff", amount: { amount: 1898, currency: "USD" } },
      maxSetsPerOrder: null,
    });
    const cartWith = (threeUnitsLine: string, oneUnitLine: string) =>
      cartOf([
        line(threeUnitsLine, 5, 3, { variantId: cheap, productId: product }),
        line(oneUnitLine, 5, 1, { variantId: cheap, productId: product }),
        line("gid://shopify/CartLine/5", 999, 5, { variantId: dear, productId: product }),
      ]);
    const savedOnCheap = (cart: ReturnType<typeof cartOf>) =>
      priceCart({ cart, offers: [bundle], now: NOW })
        .lines.filter((priced) => priced.lineId !== "gid://shopify/CartLine/5")
        .reduce((sum, priced) => sum + priced.discount, 0);
    const first = savedOnCheap(cartWith("gid://shopify/CartLine/1", "gid://shopify/CartLine/2"));
    expect(first).toBeGreaterThan(0);
    expect(savedOnCheap(cartWith("gid://shopify/CartLine/2", "gid://shopify/CartLine/1"))).toBe(first);
  });

  it("saves what the storefront promised for a cart whose tied lines checkout numbers the other way round", () => {
    // Buy one of two products, get one free (first), and 10% off two or more of the second. The
    // free unit must come from the same product on both sides, or the quantity break qualifies on one only.
    const [first, second] = ["gid://shopify/Product/1", "gid://shopify/Product/2"];
    const [firstVariant, secondVariant] = ["gid://shopify/ProductVariant/11", "gid://shopify/ProductVariant/21"];
    const any = { productIds: [first, second] };
    const offers = [
      makeOffer({ id: "free", type: "buyXGetY", priority: 10, combinesWith: combinesWithAll, maxUsesPerOrder: 1, buy: { items: any, quantity: 1 }, get: { items: any, quantity: 1, percent: 100 } }),
      makeOffer({ id: "multibuy", type: "quantityBreaks", combinesWith: combinesWithAll, eligible: { productIds: [second] }, tiers: [{ minQuantity: 2, value: { kind: "percentage", percent: 10 } }] }),
    ];
    const storefront = cartOf([line(secondVariant, 1000, 3, { variantId: secondVariant, productId: second }), line(firstVariant, 1000, 1, { variantId: firstVariant, productId: first })]);
    const checkout = cartOf([
      line("gid://shopify/CartLine/0", 1000, 3, { variantId: secondVariant, productId: second }),
      line("gid://shopify/CartLine/1", 1000, 1, { variantId: firstVariant, productId: first }),
    ]);
    const promised = priceCart({ cart: storefront, offers, now: NOW });
    expect(promised.totalDiscount).toBeGreaterThan(0);
    expect(priceCart({ cart: checkout, offers, now: NOW }).totalDiscount).toBe(promised.totalDiscount);
  });

  it("never discounts with offers that are paused, drafts or out of schedule", () => {
    fc.assert(
      fc.property(cartArbitrary, offersArbitrary, nowArbitrary, (cart, offers, now) => {
        const result = priceCart({ cart, offers, now });
        for (const applied of result.applied) {
          const offer = offers.find((candidate) => candidate.id === applied.offerId);
          expect(offer?.status).toBe("active");
          if (offer?.schedule.startsAt != null) expect(now).toBeGreaterThanOrEqual(offer.schedule.startsAt);
          if (offer?.schedule.endsAt != null) expect(now).toBeLessThan(offer.schedule.endsAt);
        }
      }),
      runs,
    );
  });
});
