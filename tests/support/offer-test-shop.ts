/**
 * A small GBP shop with offers of several kinds, for the storefront offers API tests. The numbers
 * are chosen so every expected amount can be worked out by hand (see the tests).
 */
import { createOffer } from "~/models/offer.server";
import { createTestShop } from "../factories/shop";
import { createTestProduct, type TestProduct } from "../factories/catalog";

const gidP = (product: TestProduct) => `gid://shopify/Product/${product.shopifyId}`;
const gidV = (product: TestProduct) => `gid://shopify/ProductVariant/${product.variantShopifyId}`;

async function offer(shopId: string, input: Record<string, unknown>): Promise<string> {
  const saved = await createOffer(shopId, input);
  if (!saved.ok) throw new Error(`test offer rejected: ${JSON.stringify(saved.issues)}`);
  return saved.offer.id;
}

const HOUR = 3_600_000;
const both = { productDiscounts: true, orderDiscounts: true, shippingDiscounts: false };

export async function createOfferTestShop() {
  const shop = await createTestShop({ currency: "GBP" });
  const mug = await createTestProduct(shop.id, { title: "Mug", price: 800, currency: "GBP" });
  const tea = await createTestProduct(shop.id, { title: "Tea", price: 450, currency: "GBP" });
  const candle = await createTestProduct(shop.id, { title: "Candle", price: 1200, currency: "GBP" });
  const deluxe = await createTestProduct(shop.id, { title: "Candle Deluxe", price: 1600, currency: "GBP" });
  const now = Date.now();

  const ids = {
    mugBreaks: await offer(shop.id, {
      type: "quantityBreaks",
      title: "Mug multibuy",
      status: "active",
      combinesWith: both,
      eligible: { productIds: [gidP(mug)] },
      tiers: [
        { minQuantity: 2, value: { kind: "percentage", percent: 10 } },
        { minQuantity: 3, value: { kind: "percentage", percent: 15 } },
      ],
    }),
    spend: await offer(shop.id, {
      type: "spendTiers",
      title: "Spend and save",
      status: "active",
      combinesWith: both,
      tiers: [
        { minSubtotal: { amount: 3000, currency: "GBP" }, value: { kind: "percentage", percent: 10 } },
        { minSubtotal: { amount: 5000, currency: "GBP" }, value: { kind: "percentage", percent: 15 } },
      ],
    }),
    bundle: await offer(shop.id, {
      type: "fixedBundle",
      title: "Tea and candle",
      status: "active",
      combinesWith: both,
      items: [
        { ref: { productId: gidP(tea) }, quantity: 1 },
        { ref: { variantId: gidV(candle) }, quantity: 1 },
      ],
      pricing: { kind: "fixedPrice", price: { amount: 1400, currency: "GBP" } },
    }),
    ladder: await offer(shop.id, {
      type: "upgradeLadder",
      title: "Candle upgrade",
      status: "active",
      combinesWith: both,
      steps: [{ ref: { productId: gidP(candle) }, label: "Classic" }, { ref: { productId: gidP(deluxe) }, label: "Deluxe" }],
      incentive: { kind: "amountOffEach", amount: { amount: 200, currency: "GBP" } },
    }),
    // None of these may show or price: paused, not started yet, already over.
    pausedTea: await offer(shop.id, {
      type: "quantityBreaks",
      title: "Paused tea deal",
      status: "paused",
      priority: 10,
      eligible: { productIds: [gidP(tea)] },
      tiers: [{ minQuantity: 1, value: { kind: "percentage", percent: 50 } }],
    }),
    futureTea: await offer(shop.id, {
      type: "mixAndMatch",
      title: "Future tea deal",
      status: "active",
      priority: 10,
      schedule: { startsAt: now + 24 * HOUR },
      eligible: { productIds: [gidP(tea), gidP(mug)] },
      setSize: 2,
      pricing: { kind: "percentage", percent: 50 },
    }),
    endedTea: await offer(shop.id, {
      type: "buyXGetY",
      title: "Ended tea deal",
      status: "active",
      priority: 10,
      schedule: { startsAt: now - 48 * HOUR, endsAt: now - 24 * HOUR },
      buy: { items: { productIds: [gidP(tea)] }, quantity: 1 },
      get: { items: { productIds: [gidP(tea)] }, quantity: 1, percent: 100 },
    }),
  };
  return { shop, products: { mug, tea, candle, deluxe }, offerIds: ids };
}
