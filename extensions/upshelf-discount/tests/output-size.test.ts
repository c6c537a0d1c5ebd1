import { describe, expect, it } from "vitest";
import { encodeFunctionConfiguration, priceCart } from "../../../app/core/offers/index";
import { cartOf, combinesWithAll, line, makeOffer, NOW } from "../../../app/core/offers/test-support";
import { cartLinesDiscountsGenerateRun } from "../src/cart_lines_discounts_generate_run";
import { discountOf, shopifyInputFor } from "./shopify-input";

/** Shopify refuses a function's output above this many bytes (the resource limits of Shopify Functions on shopify.dev: 20,000 bytes of output). */
const OUTPUT_LIMIT_BYTES = 20_000;
/**
 * The online store's cap on distinct lines in one cart, as merchants and agencies report
 * Shopify's add-to-cart limits (not in Shopify's reference docs; draft orders and B2B are not
 * bound by it). The storefront widgets read at most this many lines too.
 */
const ONLINE_STORE_CART_LINES = 100;

const COLLECTION = "gid://shopify/Collection/1";

describe("the function's output for the largest online store cart", () => {
  it("fits Shopify's output limit with a discount on every line, long amounts and two offers' messages on a line", () => {
    // Line ids as a real discount function run receives them ("gid://shopify/CartLine/0", …);
    // every line discounted, 97 units at prices in the thousands, so every field is at its longest.
    const lines = Array.from({ length: ONLINE_STORE_CART_LINES }, (_, index) =>
      line(`gid://shopify/CartLine/${index}`, 123_456 + index * 37, 97, {
        productId: `gid://shopify/Product/78403874${String(index).padStart(5, "0")}`,
        variantId: `gid://shopify/ProductVariant/432292981${String(index).padStart(5, "0")}`,
        collectionIds: [COLLECTION],
      }),
    );
    const cart = cartOf(lines, "USD");
    const offers = [
      makeOffer({
        id: "half-price-third",
        type: "buyXGetY",
        buy: { items: { collectionIds: [COLLECTION] }, quantity: 2 },
        get: { items: { collectionIds: [COLLECTION] }, quantity: 1, percent: 50 },
        maxUsesPerOrder: 10,
        // Claims its units first, so the quantity break discounts the rest of those lines too.
        priority: 1,
        combinesWith: combinesWithAll,
      }),
      makeOffer({
        id: "breaks",
        type: "quantityBreaks",
        eligible: { collectionIds: [COLLECTION] },
        tiers: [{ minQuantity: 2, value: { kind: "percentage", percent: 12.5 } }],
        combinesWith: combinesWithAll,
      }),
      makeOffer({
        id: "spend",
        type: "spendTiers",
        tiers: [{ minSubtotal: { amount: 1000, currency: "USD" }, value: { kind: "percentage", percent: 5 } }],
        combinesWith: combinesWithAll,
      }),
    ];
    const encoded = encodeFunctionConfiguration(offers, { now: NOW - 86_400_000 });
    expect([...encoded.includedOfferIds].sort()).toEqual(["breaks", "half-price-third", "spend"]);
    const input = shopifyInputFor({ cart, configuration: encoded.value, discountClasses: ["PRODUCT", "ORDER"], now: NOW });

    const result = cartLinesDiscountsGenerateRun(input);
    const fromFunction = discountOf(result, "USD");
    const priced = priceCart({ cart, offers, now: NOW });
    expect(fromFunction.productByLine.size).toBe(ONLINE_STORE_CART_LINES);
    expect([...fromFunction.productByLine.values()].some((discount) => discount.message.includes(" + "))).toBe(true);
    expect(fromFunction.order?.amount ?? 0).toBeGreaterThan(0);
    const total = [...fromFunction.productByLine.values()].reduce((sum, discount) => sum + discount.amount, 0) + (fromFunction.order?.amount ?? 0);
    expect(total).toBe(priced.totalDiscount);
    expect(Buffer.byteLength(JSON.stringify(result))).toBeLessThanOrEqual(OUTPUT_LIMIT_BYTES);
  });
});
