import { describe, expect, it } from "vitest";
import { offerSavingChange, previewAddition, previewUpgrade, upgradeSavingStated, type PreviewItem } from "./preview";
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

/** A two-step ladder taking 1.00 off each upgrade, combining with everything. */
const goodToBetter = makeOffer({
  id: "ladder",
  type: "upgradeLadder",
  steps: [{ ref: { productId: "good" } }, { ref: { productId: "better" } }],
  incentive: { kind: "amountOffEach", amount: { amount: 100, currency: "USD" } },
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

  it("GIVEN an upgrade whose price crosses a spend tier THEN the ladder's own saving is its incentive alone, not the cart's whole gain", () => {
    const ladder = goodToBetter;
    const spend = makeOffer({
      id: "spend",
      type: "spendTiers",
      tiers: [{ minSubtotal: { amount: 5000, currency: "USD" }, value: { kind: "amountOff", amount: { amount: 500, currency: "USD" } } }],
      combinesWith: combinesWithAll,
    });
    // Swapping two goods at 20.00 for two betters at 26.00: 52.00 less 2.00 off crosses the 50.00 tier.
    const preview = previewUpgrade({ cart: cartOf([]), offers: [ladder, spend], now: NOW, from: item("good", 2000, 2), to: item("better", 2600, 2) });
    expect(preview).toMatchObject({ fullPriceDifference: 1200, saving: 700, priceAfter: 500 });
    // The ladder takes 1.00 off each better: 2.00 of the 7.00; the spend tier the other 5.00.
    expect(offerSavingChange(preview, "ladder")).toBe(200);
    expect(offerSavingChange(preview, "spend")).toBe(500);
    expect(preview.cartAfter.applied.find((applied) => applied.offerId === "ladder")?.amount).toBe(200);
  });

  it("GIVEN a step above the first upgraded to the next THEN the ladder's own saving nets what the step below loses", () => {
    const ladder = makeOffer({
      id: "ladder",
      type: "upgradeLadder",
      steps: [{ ref: { productId: "good" } }, { ref: { productId: "better" } }, { ref: { productId: "best" } }],
      incentive: { kind: "amountOffEach", amount: { amount: 100, currency: "USD" } },
    });
    // Better already gets 1.00 off; best gets the same 1.00: the upgrade saves nothing more through the ladder.
    const preview = previewUpgrade({ cart: cartOf([]), offers: [ladder], now: NOW, from: item("better", 2600), to: item("best", 3400) });
    expect(preview).toMatchObject({ fullPriceDifference: 800, saving: 0, priceAfter: 800 });
    expect(offerSavingChange(preview, "ladder")).toBe(0);
  });
});

describe("upgradeSavingStated", () => {
  const ladder = goodToBetter;
  const set = (percent: number) =>
    makeOffer({
      id: "set",
      type: "fixedBundle",
      items: [
        { ref: { productId: "good" }, quantity: 1 },
        { ref: { productId: "stand" }, quantity: 1 },
      ],
      pricing: { kind: "percentage", percent },
      combinesWith: combinesWithAll,
    });
  const withStand = cartOf([line("s", 1000, 1, { productId: "stand", variantId: "v-stand" })]);

  it("GIVEN an upgrade that breaks a bundle worth more than the ladder gives THEN it states no saving: the buyer pays more than the price difference", () => {
    // good 20.00 + stand 10.00 at 15% off: 4.50 off. The upgrade to better (26.00) takes 1.00 off and loses the 4.50.
    const preview = previewUpgrade({ cart: withStand, offers: [ladder, set(15)], now: NOW, from: item("good", 2000), to: item("better", 2600) });
    expect(offerSavingChange(preview, "ladder")).toBe(100);
    expect(preview).toMatchObject({ fullPriceDifference: 600, priceAfter: 950, saving: -350 });
    expect(upgradeSavingStated(preview, "ladder")).toBe(0);
  });

  it("GIVEN an upgrade that breaks a smaller bundle THEN it states only what the buyer still saves against the price difference", () => {
    // 2% of 30.00 is 0.60 lost; the ladder's 1.00 nets 0.40.
    const preview = previewUpgrade({ cart: withStand, offers: [ladder, set(2)], now: NOW, from: item("good", 2000), to: item("better", 2600) });
    expect(preview.saving).toBe(40);
    expect(upgradeSavingStated(preview, "ladder")).toBe(40);
  });

  it("GIVEN nothing else in the cart THEN it states the ladder's own saving, and never another offer's gain", () => {
    expect(upgradeSavingStated(previewUpgrade({ cart: cartOf([]), offers: [ladder], now: NOW, from: item("good", 2000), to: item("better", 2600) }), "ladder")).toBe(100);
    const spend = makeOffer({
      id: "spend",
      type: "spendTiers",
      tiers: [{ minSubtotal: { amount: 2500, currency: "USD" }, value: { kind: "amountOff", amount: { amount: 300, currency: "USD" } } }],
      combinesWith: combinesWithAll,
    });
    // The upgrade's price crosses the spend tier: 4.00 saved in all, 1.00 of it the ladder's.
    const crossing = previewUpgrade({ cart: cartOf([]), offers: [ladder, spend], now: NOW, from: item("good", 2000), to: item("better", 2600) });
    expect(crossing.saving).toBe(400);
    expect(upgradeSavingStated(crossing, "ladder")).toBe(100);
  });
});
