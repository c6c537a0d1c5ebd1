import { describe, expect, it } from "vitest";
import { encodeFunctionConfiguration, parseOffer, priceCart } from "~/core/offers";
import { cartLinesDiscountsGenerateRun } from "../../../extensions/upshelf-discount/src/index";
import { discountFunctionInput, discountsFromResult, type FunctionCartLine } from "./discount-function-input";

const now = new Date("2025-03-01T12:00:00Z");
const bundle = parseOffer({
  id: "off_bundle",
  type: "fixedBundle",
  title: "Tea set",
  status: "active",
  items: [{ ref: { productId: "gid://shopify/Product/1" }, quantity: 1 }, { ref: { productId: "gid://shopify/Product/2" }, quantity: 1 }],
  pricing: { kind: "percentage", percent: 15 },
});
const tiers = parseOffer({
  id: "off_tiers",
  type: "spendTiers",
  title: "Spend tiers",
  status: "active",
  tiers: [{ minSubtotal: { amount: 2_000, currency: "GBP" }, value: { kind: "percentage", percent: 5 } }],
});
const later = parseOffer({
  id: "off_later",
  type: "fixedBundle",
  title: "Starts tomorrow",
  status: "active",
  schedule: { startsAt: "2025-03-02T00:00:00Z" },
  items: [{ ref: { productId: "gid://shopify/Product/1" }, quantity: 1 }, { ref: { productId: "gid://shopify/Product/3" }, quantity: 1 }],
  pricing: { kind: "percentage", percent: 50 },
});

const lines: FunctionCartLine[] = [
  { id: "1:aaaa", variantId: "11", productId: "1", quantity: 2, unitPrice: 1_095 },
  { id: "2:bbbb", variantId: "21", productId: "2", quantity: 1, unitPrice: 255 },
  { id: "3:cccc", variantId: "31", productId: "3", quantity: 1, unitPrice: 399 },
];

describe("the preview cart's checkout discount", () => {
  it("is what the discount function gives for Shopify's input, equal to the engine's price to the minor unit", () => {
    const offers = [bundle, tiers, later];
    const encoded = encodeFunctionConfiguration(offers, { now: now.getTime() - 86_400_000, shopCurrency: "GBP" });
    const input = discountFunctionInput({ lines, currency: "GBP", configuration: encoded.value, discountClasses: encoded.discount.discountClasses, now });
    expect(input.cart.lines[0]?.merchandise).toMatchObject({ id: "gid://shopify/ProductVariant/11", product: { id: "gid://shopify/Product/1" } });
    expect(input.cart.lines[0]?.cost.amountPerQuantity).toEqual({ amount: "10.95", currencyCode: "GBP" });

    const applied = discountsFromResult(cartLinesDiscountsGenerateRun(input), "GBP");
    const priced = priceCart({
      cart: {
        currency: "GBP",
        lines: lines.map((line) => ({ ...line, variantId: `gid://shopify/ProductVariant/${line.variantId}`, productId: `gid://shopify/Product/${line.productId}`, collectionIds: [] })),
      },
      offers,
      now: now.getTime(),
    });
    const lineTotal = [...applied.byLine.values()].reduce((sum, line) => sum + line.amount, 0);
    expect(lineTotal + (applied.order?.amount ?? 0)).toBe(priced.totalDiscount);
    expect(priced.totalDiscount).toBeGreaterThan(0);
    // The bundle and the spend tier do not combine: checkout gives the better of the two, per line.
    expect(priced.applied.map((offer) => offer.offerId)).toEqual(["off_bundle"]);
    expect(applied.order).toBeNull();
    for (const line of priced.lines) expect(applied.byLine.get(line.lineId)?.amount ?? 0).toBe(line.discount);
    // The offer that has not started yet gives nothing, as at checkout today.
    expect(priced.applied.map((offer) => offer.offerId)).not.toContain("off_later");
  });
});

describe("the preview cart's order discount", () => {
  it("reads the spend tier's order discount from the function's answer", () => {
    const encoded = encodeFunctionConfiguration([tiers], { now: now.getTime() - 86_400_000, shopCurrency: "GBP" });
    const input = discountFunctionInput({ lines, currency: "GBP", configuration: encoded.value, discountClasses: encoded.discount.discountClasses, now });
    const applied = discountsFromResult(cartLinesDiscountsGenerateRun(input), "GBP");
    // 5% of £28.44.
    expect(applied.order?.amount).toBe(142);
    expect(applied.byLine.size).toBe(0);
  });
});
