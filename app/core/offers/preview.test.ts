import { describe, expect, it } from "vitest";
import { previewAddition, previewUpgrade, type PreviewItem } from "./preview";
import { priceCart } from "./price-cart";
import { cartOf, combinesWithAll, line, makeOffer, NOW } from "./test-support";

const item = (productId: string, unitPrice: number, quantity = 1): PreviewItem => ({
  productId,
  variantId: `v-${productId}`,
  collectionIds: [],
  unitPrice,
  quantity,
});

const bundle = makeOffer({
  id: "kit",
  type: "fixedBundle",
  items: [
    { ref: { productId: "shampoo" }, quantity: 1 },
    { ref: { productId: "conditioner" }, quantity: 1 },
  ],
  pricing: { kind: "percentage", percent: 10 },
  combinesWith: combinesWithAll,
});

describe("previewAddition", () => {
  it("GIVEN an empty cart WHEN previewing the bundle THEN before, after and saving are what checkout gives", () => {
    const preview = previewAddition({
      cart: cartOf([]),
      offers: [bundle],
      now: NOW,
      items: [item("shampoo", 1299), item("conditioner", 999)],
    });
    expect(preview).toMatchObject({ currency: "USD", priceBefore: 2298, priceAfter: 2068, saving: 230, messages: ["Bundle: save 10%"] });
  });

  it("GIVEN the shampoo already in the cart THEN adding the conditioner completes the bundle", () => {
    const cart = cartOf([line("l1", 1299, 1, { productId: "shampoo", variantId: "v-shampoo" })]);
    const preview = previewAddition({ cart, offers: [bundle], now: NOW, items: [item("conditioner", 999)] });
    expect(preview).toMatchObject({ priceBefore: 999, saving: 230, priceAfter: 769 });
    // Exactly what pricing the real cart would give after the add.
    const real = priceCart({ cart: cartOf([...cart.lines, line("l2", 999, 1, { productId: "conditioner" })]), offers: [bundle], now: NOW });
    expect(preview.cartAfter.total - preview.cartBefore.total).toBe(real.total - 1299);
  });

  it("adds onto the existing line of the same variant, as the storefront cart does", () => {
    const cart = cartOf([line("l1", 1299, 1, { productId: "shampoo", variantId: "v-shampoo" })]);
    const preview = previewAddition({ cart, offers: [], now: NOW, items: [item("shampoo", 1299)] });
    expect(preview.cartAfter.lines).toEqual([{ lineId: "l1", subtotal: 2598, discount: 0, total: 2598, allocations: [] }]);
  });

  it("shows a tier unlocked by the addition in yen", () => {
    const spend = makeOffer({
      id: "spend",
      type: "spendTiers",
      tiers: [{ minSubtotal: { amount: 5000, currency: "JPY" }, value: { kind: "percentage", percent: 10 } }],
    });
    const preview = previewAddition({ cart: cartOf([line("a", 4000)], "JPY"), offers: [spend], now: NOW, items: [item("x", 1500)] });
    // The cart goes from ¥4000 to ¥5500 and earns ¥550 off: the ¥1500 item really costs ¥950.
    expect(preview).toMatchObject({ priceBefore: 1500, priceAfter: 950, saving: 550, messages: ["Spend 5000 JPY: save 10%"] });
  });
});

describe("previewUpgrade", () => {
  it("GIVEN a 10% upgrade incentive THEN the upgrade costs the difference minus the incentive", () => {
    const ladder = makeOffer({
      id: "ladder",
      type: "upgradeLadder",
      steps: [{ ref: { productId: "good" } }, { ref: { productId: "better" } }],
      incentive: { kind: "percentage", percent: 10 },
    });
    const preview = previewUpgrade({ cart: cartOf([]), offers: [ladder], now: NOW, from: item("good", 4900), to: item("better", 7900) });
    expect(preview).toMatchObject({ fullPriceDifference: 3000, priceBefore: 3000, saving: 790, priceAfter: 2210, messages: ["Upgrade: save 10%"] });
  });

  it("in KWD with a fixed incentive per unit", () => {
    const ladder = makeOffer({
      id: "ladder",
      type: "upgradeLadder",
      steps: [{ ref: { productId: "good" } }, { ref: { productId: "best" } }],
      incentive: { kind: "amountOffEach", amount: { amount: 1000, currency: "USD" } },
    });
    const preview = previewUpgrade({
      cart: cartOf([], "KWD", "0.3071"),
      offers: [ladder],
      now: NOW,
      from: item("good", 15000, 2),
      to: item("best", 24500, 2),
    });
    // 10.00 USD → 3.071 KWD per unit, two units
    expect(preview).toMatchObject({ fullPriceDifference: 19000, saving: 6142, priceAfter: 12858 });
  });
});
