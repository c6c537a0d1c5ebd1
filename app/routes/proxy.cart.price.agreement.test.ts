/**
 * The storefront's promise equals checkout's discount. For generated catalogs, carts and offer
 * sets stored in the database of a test shop, POST /proxy/cart/price must give, to the minor
 * unit, the discount the checkout function returns when Shopify runs it on the same cart with the
 * metafield our discount sync wrote (recorded in demo mode, then read back as Shopify would
 * serve it). Collections are left out of the generated offers: membership is not stored in our
 * database, so the admin does not offer collection selectors (see offer-pricing.server.ts).
 * The admin preview (previewOfferPricing) is held to the same numbers.
 */
import fc from "fast-check";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { nowArbitrary, offersArbitrary, PRODUCTS, VARIANTS, productOf } from "~/core/offers/arbitraries";
import { NOW } from "~/core/offers/test-support";
import type { CartInput, ItemSelector, Offer } from "~/core/offers";
import db from "~/db.server";
import { createOffer, listActiveOffers } from "~/models/offer.server";
import { syncShopDiscounts } from "~/services/discount-sync.server";
import { previewOfferPricing } from "~/services/offer-pricing.server";
import { cartLinesDiscountsGenerateRun } from "../../extensions/upshelf-discount/src/cart_lines_discounts_generate_run";
import type { DiscountClass } from "../../extensions/upshelf-discount/src/api-types";
import { discountOf, shopifyInputFor } from "../../extensions/upshelf-discount/tests/shopify-input";
import { createTestShop } from "../../tests/factories/shop";
import { appProxyRequest, responseOf } from "../../tests/support/app-proxy";
import { action } from "./proxy.cart.price";

/** The merchant saved the offers ten days before the buyer's visit. */
const WRITTEN_AT = NOW - 10 * 86_400_000;
const tail = (gid: string) => gid.slice(gid.lastIndexOf("/") + 1);

function withoutCollections(selector: ItemSelector): ItemSelector {
  const productIds = selector.productIds ?? [];
  const variantIds = selector.variantIds ?? [];
  return productIds.length + variantIds.length > 0 ? { productIds, variantIds } : { productIds: [PRODUCTS[0]!], variantIds: [] };
}

/** The generated offer as the admin would have let the merchant configure it (no collections). */
function asAdminWouldSave(offer: Offer): Record<string, unknown> {
  const { id: _id, ...rest } = offer;
  switch (rest.type) {
    case "mixAndMatch":
    case "quantityBreaks":
      return { ...rest, eligible: withoutCollections(rest.eligible) };
    case "buyXGetY":
      return { ...rest, buy: { ...rest.buy, items: withoutCollections(rest.buy.items) }, get: { ...rest.get, items: withoutCollections(rest.get.items) } };
    default:
      return rest;
  }
}

/**
 * Shopify's cart line ids, which follow the order the buyer added things, not the variants: the
 * storefront cannot know them, so the engine must not let them decide anything.
 */
const cartLineNumbersArbitrary = fc.uniqueArray(fc.integer({ min: 0, max: 10_000 }), { minLength: 8, maxLength: 8 });
const cartArbitrary = fc.array(fc.record({ variant: fc.constantFrom(...VARIANTS), quantity: fc.integer({ min: 1, max: 6 }) }), { maxLength: 7 });
const pricesArbitrary = fc.array(fc.oneof(fc.integer({ min: 0, max: 30_000 }), fc.constantFrom(999, 1299, 1, 5)), {
  minLength: VARIANTS.length,
  maxLength: VARIANTS.length,
});

let shopId = "";

beforeAll(async () => {
  const shop = await createTestShop({ currency: "USD" });
  await db.shop.update({ where: { id: shop.id }, data: { isDemo: true } });
  shopId = shop.id;
  for (const product of PRODUCTS) {
    await db.product.create({
      data: {
        shopId,
        shopifyId: tail(product),
        handle: `product-${tail(product)}`,
        title: `Product ${tail(product)}`,
        titleFolded: `product ${tail(product)}`,
        variants: {
          create: VARIANTS.filter((variant) => productOf(variant) === product).map((variant) => ({
            shopId,
            shopifyId: tail(variant),
            priceAmount: 1000,
            currency: "USD",
          })),
        },
      },
    });
  }
});

afterEach(() => {
  vi.useRealTimers();
});

async function storeOffers(offers: readonly Offer[], prices: readonly number[]) {
  await db.offer.deleteMany({ where: { shopId } });
  await db.discountSync.deleteMany({ where: { shopId } });
  await db.recordedAdminCall.deleteMany({ where: { shopId } });
  for (const [index, variant] of VARIANTS.entries()) {
    await db.variant.updateMany({ where: { shopId, shopifyId: tail(variant) }, data: { priceAmount: prices[index] ?? 0 } });
  }
  for (const offer of offers) {
    const saved = await createOffer(shopId, asAdminWouldSave(offer));
    if (!saved.ok) throw new Error(`generated offer rejected: ${JSON.stringify(saved.issues)}`);
  }
}

/** What the discount sync sent Shopify (recorded in demo mode): the metafield and the classes. */
async function checkoutConfiguration(): Promise<{ value: string; discountClasses: DiscountClass[] } | null> {
  const create = await db.recordedAdminCall.findFirst({ where: { shopId, operation: "UpshelfDiscountCreate" }, orderBy: { id: "desc" } });
  if (!create) return null;
  const variables = JSON.parse(create.variables) as { automaticAppDiscount: { discountClasses: DiscountClass[]; metafields: { value: string }[] } };
  return { value: variables.automaticAppDiscount.metafields[0]!.value, discountClasses: variables.automaticAppDiscount.discountClasses };
}

interface PricedBody {
  discount_total: { amount: number };
  lines: { variant_id: string; quantity: number; unit_price: { amount: number }; discount: { amount: number } }[];
  discounts: { type: string; amount: { amount: number } }[];
}

describe("the storefront API agrees with the checkout function", () => {
  it("to the minor unit, per line and in total, for generated catalogs, carts and stored offer sets", async () => {
    let checkedWithDiscount = 0;
    await fc.assert(
      fc.asyncProperty(offersArbitrary, pricesArbitrary, cartArbitrary, cartLineNumbersArbitrary, nowArbitrary, async (offers, prices, lines, lineNumbers, now) => {
        await storeOffers(offers, prices);
        vi.useFakeTimers({ toFake: ["Date"], now: WRITTEN_AT });
        const sync = await syncShopDiscounts(shopId, { now: new Date(WRITTEN_AT) });
        expect(sync.errors).toEqual([]);

        vi.setSystemTime(now);
        const request = appProxyRequest("/cart/price", {
          shop: shopId,
          init: {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ lines: lines.map((line) => ({ variant_id: tail(line.variant), quantity: line.quantity })) }),
          },
        });
        const response = await responseOf(() => action({ request, params: {}, context: {} }));
        expect(response.status).toBe(200);
        const body = (await response.json()) as PricedBody;

        // The same cart as Shopify would hand the function: catalog prices, one line per variant,
        // each with Shopify's own cart line id.
        const cartLineId = (index: number) => `gid://shopify/CartLine/${lineNumbers[index]}`;
        const cart: CartInput = {
          currency: "USD",
          lines: body.lines.map((line, index) => ({
            id: cartLineId(index),
            variantId: `gid://shopify/ProductVariant/${line.variant_id}`,
            productId: productOf(`gid://shopify/ProductVariant/${line.variant_id}`),
            collectionIds: [],
            quantity: line.quantity,
            unitPrice: line.unit_price.amount,
          })),
        };
        const configuration = await checkoutConfiguration();
        const fromFunction = configuration
          ? discountOf(
              cartLinesDiscountsGenerateRun(shopifyInputFor({ cart, configuration: configuration.value, discountClasses: configuration.discountClasses, now })),
              "USD",
            )
          : { productByLine: new Map<string, { amount: number }>(), order: null };

        for (const [index, line] of body.lines.entries()) {
          expect(line.discount.amount).toBe(fromFunction.productByLine.get(cartLineId(index))?.amount ?? 0);
        }
        const orderFromApi = body.discounts.filter((discount) => discount.type === "spendTiers").reduce((sum, discount) => sum + discount.amount.amount, 0);
        expect(orderFromApi).toBe(fromFunction.order?.amount ?? 0);
        const functionTotal = [...fromFunction.productByLine.values()].reduce((sum, line) => sum + line.amount, 0) + (fromFunction.order?.amount ?? 0);
        expect(body.discount_total.amount).toBe(functionTotal);
        if (functionTotal > 0) checkedWithDiscount += 1;

        // The admin preview of the same offers and cart shows the same numbers.
        const preview = await previewOfferPricing(shopId, {
          lines: lines.map((line) => ({ variantId: tail(line.variant), quantity: line.quantity })),
          offers: await listActiveOffers(shopId),
          now: new Date(now),
        });
        expect(preview?.discount_total.amount).toBe(body.discount_total.amount);
        expect(preview?.lines.map((line) => line.discount.amount)).toEqual(body.lines.map((line) => line.discount.amount));
        vi.useRealTimers();
      }),
      { numRuns: 40, seed: 20250601, endOnFailure: true },
    );
    // The property is only worth something if many runs actually had a discount to agree on.
    expect(checkedWithDiscount).toBeGreaterThan(10);
  }, 180_000);
});
