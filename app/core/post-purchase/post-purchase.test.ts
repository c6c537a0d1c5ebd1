import { describe, expect, it } from "vitest";
import { changesForOffer } from "./changeset";
import { initialPurchaseSchema, purchaseFromInitialPurchase, type Purchase } from "./purchase";
import { postPurchaseOfferRequest, signChangesetRequest, thankYouOfferRequest } from "./requests";
import { discountBasisPoints, selectPostPurchaseOffer, skipReason, type OfferCandidate } from "./select-offer";
import { applyOutcome, calculatedOffer, offerView, resolveAppUrl } from "./view-model";
import { thankYouCartUrl, toWireOffer } from "./wire";

const now = new Date("2026-03-01T12:00:00Z");
const usd = (amount: number) => ({ amount, currency: "USD" });

function candidate(overrides: Partial<OfferCandidate> & { productId: string }): OfferCandidate {
  return {
    variantId: `${overrides.productId}1`,
    handle: `item-${overrides.productId}`,
    title: `Item ${overrides.productId}`,
    image: null,
    unitPrice: usd(1000),
    available: true,
    ...overrides,
  };
}

const purchase: Purchase = {
  referenceId: "ref-1",
  lines: [{ productId: "10", variantId: "101", quantity: 2 }],
  subtotal: usd(4000),
};
const rules = { discountPercent: 10, maxPriceShareOfOrder: 50 };

describe("reading the initial purchase", () => {
  it("takes Shopify's numeric ids and decimal amounts to id strings and a minor-unit subtotal", () => {
    const parsed = initialPurchaseSchema.parse({
      referenceId: "r",
      lineItems: [
        { product: { id: 11, variant: { id: 111 } }, quantity: 1, totalPriceSet: { shopMoney: { amount: "12.40", currencyCode: "GBP" } } },
        { product: { id: "gid://shopify/Product/12", variant: { id: "gid://shopify/ProductVariant/121" } }, quantity: 3, totalPriceSet: { shopMoney: { amount: "0.05", currencyCode: "GBP" } } },
      ],
    });
    expect(purchaseFromInitialPurchase(parsed)).toEqual({
      referenceId: "r",
      lines: [
        { productId: "11", variantId: "111", quantity: 1 },
        { productId: "12", variantId: "121", quantity: 3 },
      ],
      subtotal: { amount: 1245, currency: "GBP" },
    });
  });

  it("has no subtotal when a line has no price or currencies differ", () => {
    const base = { product: { id: 1, variant: { id: 2 } }, quantity: 1 };
    const missing = initialPurchaseSchema.parse({ referenceId: "r", lineItems: [base] });
    expect(purchaseFromInitialPurchase(missing).subtotal).toBeNull();
    const mixed = initialPurchaseSchema.parse({
      referenceId: "r",
      lineItems: [
        { ...base, totalPriceSet: { shopMoney: { amount: "1.00", currencyCode: "GBP" } } },
        { ...base, totalPriceSet: { shopMoney: { amount: "1.00", currencyCode: "EUR" } } },
      ],
    });
    expect(purchaseFromInitialPurchase(mixed).subtotal).toBeNull();
  });
});

describe("choosing the offer", () => {
  it("offers the first ranked candidate the rules allow, priced by the offers engine", () => {
    const offer = selectPostPurchaseOffer({
      candidates: [
        candidate({ productId: "10" }),
        candidate({ productId: "20", available: false }),
        candidate({ productId: "30", unitPrice: usd(2001) }),
        candidate({ productId: "40", unitPrice: usd(1999) }),
        candidate({ productId: "50" }),
      ],
      purchase,
      rules,
      now,
    });
    // 10% of 19.99 is 1.999, rounded half up to 2.00.
    expect(offer).toMatchObject({ productId: "40", variantId: "401", unitPrice: 1999, price: 1799, saving: 200, discountBasisPoints: 1000 });
  });

  it("says why each candidate is skipped", () => {
    expect(skipReason(candidate({ productId: "10" }), purchase, rules)).toBe("already_bought");
    expect(skipReason(candidate({ productId: "99", variantId: "101" }), purchase, rules)).toBe("already_bought");
    expect(skipReason(candidate({ productId: "20", available: false }), purchase, rules)).toBe("unavailable");
    expect(skipReason(candidate({ productId: "20", unitPrice: { amount: 100, currency: "EUR" } }), purchase, rules)).toBe("currency_mismatch");
    expect(skipReason(candidate({ productId: "20" }), { ...purchase, subtotal: null }, rules)).toBe("currency_mismatch");
    expect(skipReason(candidate({ productId: "20", unitPrice: usd(2000) }), purchase, rules)).toBeNull();
    expect(skipReason(candidate({ productId: "20", unitPrice: usd(2001) }), purchase, rules)).toBe("over_price_share");
    expect(skipReason(candidate({ productId: "20", unitPrice: usd(0) }), purchase, rules)).toBe("free_item");
  });

  it("offers nothing when nothing fits", () => {
    expect(selectPostPurchaseOffer({ candidates: [candidate({ productId: "10" })], purchase, rules, now })).toBeNull();
    expect(selectPostPurchaseOffer({ candidates: [], purchase, rules, now })).toBeNull();
  });

  it("offers at full price with a 0% discount, and drops percent digits finer than a basis point", () => {
    const offer = selectPostPurchaseOffer({ candidates: [candidate({ productId: "20" })], purchase, rules: { ...rules, discountPercent: 0 }, now });
    expect(offer).toMatchObject({ price: 1000, saving: 0, discountBasisPoints: 0 });
    expect(discountBasisPoints(12.345)).toBe(1234);
    expect(discountBasisPoints(12.5)).toBe(1250);
    expect(discountBasisPoints(-1)).toBe(0);
  });
});

describe("the changeset", () => {
  it("adds one unit of the variant with the percentage the price was computed with", () => {
    expect(changesForOffer({ variantId: "401", discountBasisPoints: 1250 })).toEqual([
      { type: "add_variant", variantID: 401, quantity: 1, discount: { value: 12.5, valueType: "percentage", title: "12.5% off, added after checkout" } },
    ]);
    expect(changesForOffer({ variantId: "401", discountBasisPoints: 0 })).toEqual([{ type: "add_variant", variantID: 401, quantity: 1 }]);
    expect(() => changesForOffer({ variantId: "gid://x", discountBasisPoints: 0 })).toThrow(RangeError);
  });
});

const shopifyPurchase = {
  referenceId: "gid-ref",
  customerId: "c-1",
  lineItems: [
    {
      product: { id: 10, title: "Mug", variant: { id: 101, title: "Blue" } },
      quantity: 2,
      totalPriceSet: { shopMoney: { amount: "40.00", currencyCode: "USD" }, presentmentMoney: { amount: "36.00", currencyCode: "EUR" } },
    },
  ],
  totalPriceSet: { shopMoney: { amount: "45.00", currencyCode: "USD" }, presentmentMoney: { amount: "40.50", currencyCode: "EUR" } },
};

describe("request bodies", () => {
  it("sends ids, quantities and amounts in both currencies, nothing about the buyer", () => {
    const body = postPurchaseOfferRequest(shopifyPurchase);
    expect(body).toEqual({
      surface: "post_purchase",
      referenceId: "gid-ref",
      initialPurchase: {
        referenceId: "gid-ref",
        lineItems: [
          {
            product: { id: 10, variant: { id: 101 } },
            quantity: 2,
            totalPriceSet: { shopMoney: { amount: "40.00", currencyCode: "USD" }, presentmentMoney: { amount: "36.00", currencyCode: "EUR" } },
          },
        ],
      },
    });
    expect(JSON.stringify(body)).not.toContain("c-1");
    expect(initialPurchaseSchema.safeParse(body.initialPurchase).success).toBe(true);
    expect(signChangesetRequest(shopifyPurchase, { variantId: "501", price: 1080 })).toEqual({ referenceId: "gid-ref", variantId: "501", price: 1080, initialPurchase: body.initialPurchase });
  });

  it("GIVEN a buyer paying in another currency than the shop's THEN nothing is offered (its price would be in the wrong currency)", () => {
    const purchase = purchaseFromInitialPurchase(initialPurchaseSchema.parse(postPurchaseOfferRequest(shopifyPurchase).initialPurchase));
    expect(purchase.subtotal).toEqual({ amount: 3600, currency: "EUR" });
    expect(skipReason(candidate({ productId: "20" }), purchase, rules)).toBe("currency_mismatch");
    expect(selectPostPurchaseOffer({ candidates: [candidate({ productId: "20" })], purchase, rules, now: 0 })).toBeNull();
  });

  it("reshapes the thank-you page's lines the same way", () => {
    const body = thankYouOfferRequest("gid://shopify/OrderIdentity/9", [
      { quantity: 1, merchandise: { type: "variant", id: "gid://shopify/ProductVariant/101", product: { id: "gid://shopify/Product/10" } }, cost: { totalAmount: { amount: 19.5, currencyCode: "USD" } } },
    ]);
    const parsed = initialPurchaseSchema.parse(body.initialPurchase);
    expect(body.surface).toBe("thank_you");
    expect(purchaseFromInitialPurchase(parsed)).toEqual({
      referenceId: "gid://shopify/OrderIdentity/9",
      lines: [{ productId: "10", variantId: "101", quantity: 1 }],
      subtotal: { amount: 1950, currency: "USD" },
    });
  });
});

describe("what the buyer reads", () => {
  const priced = { productId: "40", variantId: "401", handle: "h", title: "Tea towel", image: "https://cdn/x.png", currency: "USD", unitPrice: 1999, price: 1799, saving: 200, discountBasisPoints: 1000 };

  it("states the price, the full price and the exact saving, and labels the choices plainly", () => {
    const wire = toWireOffer(priced, { heading: "Add this to your order", cartUrl: null });
    expect(offerView(wire, "post_purchase")).toEqual({
      heading: "Add this to your order",
      title: "Tea towel",
      image: "https://cdn/x.png",
      priceText: "17.99 USD",
      fullPriceText: "19.99 USD",
      savingText: "You save 2.00 USD (10% off)",
      acceptLabel: "Add to my order for 17.99 USD",
      declineLabel: "No thanks",
    });
  });

  it("claims no saving at full price", () => {
    const wire = toWireOffer({ ...priced, price: 1999, saving: 0, discountBasisPoints: 0 }, { heading: "h", cartUrl: "https://s/cart/401:1" });
    const view = offerView(wire, "thank_you");
    expect(view).toMatchObject({ priceText: "19.99 USD", fullPriceText: null, savingText: null });
  });

  const bag = (amount: string, currencyCode = "EUR") => ({ presentmentMoney: { amount, currencyCode } });
  const calculation = (item: ReturnType<typeof bag>, taxes: string[], shipping: string[], outstanding: string) => ({
    status: "processed",
    calculatedPurchase: {
      totalOutstandingSet: bag(outstanding),
      addedTaxLines: taxes.map((amount) => ({ priceSet: bag(amount) })),
      addedShippingLines: shipping.map((amount) => ({ priceSet: bag(amount) })),
      updatedLineItems: [{ variantId: 101, totalPriceSet: bag("36.00") }, { variantId: 401, totalPriceSet: item }],
    },
  });
  const offer = { variantId: "401", price: 1780, currency: "EUR" };

  it("shows Shopify's calculation of the changeset: item, taxes and what is charged now, which the accept button names", () => {
    expect(calculatedOffer(calculation(bag("17.80"), ["1.10", "0.53"], [], "19.43"), offer)).toEqual({
      kind: "confirmed",
      totals: { itemText: "17.80 EUR", taxText: "1.63 EUR", shippingText: null, chargedNowText: "19.43 EUR", acceptLabel: "Add to my order for 19.43 EUR" },
    });
    expect(calculatedOffer({ status: "unprocessed", errors: [{ code: "insufficient_inventory", message: "x" }] }, offer)).toMatchObject({ kind: "unavailable" });
  });

  it("GIVEN shipping Shopify adds THEN the accept button names the amount charged, not the item's price alone", () => {
    const calculated = calculatedOffer(calculation(bag("17.80"), [], ["4.95"], "22.75"), offer);
    expect(calculated).toMatchObject({ kind: "confirmed", totals: { shippingText: "4.95 EUR", acceptLabel: "Add to my order for 22.75 EUR" } });
  });

  it("GIVEN Shopify prices the item otherwise than the page states (amount or currency) THEN nothing is offered", () => {
    expect(calculatedOffer(calculation(bag("17.79"), [], [], "17.79"), offer)).toMatchObject({ kind: "price_differs" });
    expect(calculatedOffer(calculation(bag("17.80", "USD"), [], [], "17.80"), offer)).toMatchObject({ kind: "price_differs" });
    // Shopify did not price the added line at all: nothing to check the page against.
    const withoutLine = calculation(bag("17.80"), [], [], "17.80");
    expect(calculatedOffer({ ...withoutLine, calculatedPurchase: { ...withoutLine.calculatedPurchase, updatedLineItems: [] } }, offer)).toMatchObject({ kind: "unavailable" });
  });

  it("builds the thank-you cart permalink with a hidden attribution attribute", () => {
    const url = new URL(thankYouCartUrl("shop.myshopify.com", "401", "40"));
    expect(url.origin + url.pathname).toBe("https://shop.myshopify.com/cart/401:1");
    expect(url.searchParams.get("attributes[_upshelf_source]")).toBe("thank_you:40");
  });

  it("accepts only an https app URL (or local http) for the extensions", () => {
    expect(resolveAppUrl("https://upshelf.example.com/")).toBe("https://upshelf.example.com");
    expect(resolveAppUrl("http://localhost:3000")).toBe("http://localhost:3000");
    expect(() => resolveAppUrl("http://upshelf.example.com")).toThrow(/https/);
    expect(() => resolveAppUrl(undefined)).toThrow();
  });
});

describe("the changeset previewed before signing", () => {
  it("matches the signed changes, with the extension API's spelling of the variant id", async () => {
    const { previewChangeset } = await import("./changeset");
    expect(previewChangeset({ variantId: "401", discountPercent: "12.5" })).toEqual({
      changes: [{ type: "add_variant", variantId: 401, quantity: 1, discount: { value: 12.5, valueType: "percentage", title: "12.5% off, added after checkout" } }],
    });
    expect(previewChangeset({ variantId: "401", discountPercent: "0" })).toEqual({ changes: [{ type: "add_variant", variantId: 401, quantity: 1 }] });
  });
});

describe("after applyChangeset", () => {
  it("tells the buyer exactly what happened", () => {
    expect(applyOutcome({ status: "processed" })).toEqual({ kind: "added" });
    expect(applyOutcome({ status: "partially_processed" })).toMatchObject({ kind: "added_unpaid", message: expect.stringMatching(/payment did not go through/) });
    expect(applyOutcome({ status: "unprocessed" })).toMatchObject({ kind: "not_added", message: expect.stringMatching(/not been charged/) });
  });
});
