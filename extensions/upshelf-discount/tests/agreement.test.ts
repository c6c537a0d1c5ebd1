import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cartArbitrary, nowArbitrary, offersArbitrary } from "../../../app/core/offers/arbitraries";
import { encodeFunctionConfiguration, priceCart, type Offer, type PricedCart } from "../../../app/core/offers/index";
import { NOW } from "../../../app/core/offers/test-support";
import type { DiscountClass } from "../src/api-types";
import { cartLinesDiscountsGenerateRun } from "../src/cart_lines_discounts_generate_run";
import { discountOf, shopifyInputFor } from "./shopify-input";

/** The configuration is written ahead of time, so every schedule boundary is in the future then. */
const WRITTEN_AT = NOW - 10 * 86_400_000;

function expectAgreement(priced: PricedCart, result: ReturnType<typeof cartLinesDiscountsGenerateRun>): void {
  const fromFunction = discountOf(result, priced.currency);
  for (const line of priced.lines) {
    const product = priced.applied
      .filter((offer) => offer.discountClass === "product")
      .flatMap((offer) => offer.allocations.filter((allocation) => allocation.lineId === line.lineId));
    const amount = product.reduce((sum, allocation) => sum + allocation.amount, 0);
    expect(fromFunction.productByLine.get(line.lineId)?.amount ?? 0).toBe(amount);
    if (amount > 0) {
      expect(fromFunction.productByLine.get(line.lineId)).toEqual({
        amount,
        quantity: product.reduce((sum, allocation) => sum + allocation.quantity, 0),
        message: [...new Set(product.map((allocation) => allocation.message))].join(" + "),
      });
    }
  }
  const orderOffers = priced.applied.filter((offer) => offer.discountClass === "order");
  const order = orderOffers.reduce((sum, offer) => sum + offer.amount, 0);
  expect(fromFunction.order?.amount ?? 0).toBe(order);
  if (order > 0) expect(fromFunction.order?.message).toBe(orderOffers.map((offer) => offer.message).join(" + "));
  const total = [...fromFunction.productByLine.values()].reduce((sum, line) => sum + line.amount, 0) + (fromFunction.order?.amount ?? 0);
  expect(total).toBe(priced.totalDiscount);
}

describe("checkout agrees with priceCart", () => {
  it("to the minor unit, for generated carts, offer sets, currencies and times", () => {
    fc.assert(
      fc.property(cartArbitrary, offersArbitrary, nowArbitrary, (cart, offers, now) => {
        const encoded = encodeFunctionConfiguration(offers, { now: WRITTEN_AT });
        // Storefront surfaces price with the offers checkout carries, at the same instant.
        const priced = priceCart({ cart, offers: offers.filter((offer) => encoded.includedOfferIds.includes(offer.id)), now });
        const input = shopifyInputFor({ cart, configuration: encoded.value, discountClasses: encoded.discount.discountClasses, now });
        expectAgreement(priced, cartLinesDiscountsGenerateRun(input));
      }),
      { numRuns: 500 },
    );
  });

  it("when the discount carries only some classes, it gives the best among the offers of those classes", () => {
    fc.assert(
      fc.property(cartArbitrary, offersArbitrary, nowArbitrary, fc.constantFrom<DiscountClass[]>(["PRODUCT"], ["ORDER"]), (cart, offers, now, classes) => {
        const encoded = encodeFunctionConfiguration(offers, { now: WRITTEN_AT });
        const ofClasses = (offer: Offer) => classes.includes(offer.type === "spendTiers" ? "ORDER" : "PRODUCT");
        const priced = priceCart({ cart, offers: offers.filter((offer) => encoded.includedOfferIds.includes(offer.id) && ofClasses(offer)), now });
        const input = shopifyInputFor({ cart, configuration: encoded.value, discountClasses: classes, now });
        expectAgreement(priced, cartLinesDiscountsGenerateRun(input));
      }),
      { numRuns: 300 },
    );
  });
});
