/**
 * fast-check generators for carts and offer sets, shared by the engine's property tests and the
 * checkout function's agreement test. Test support only; production code does not import it.
 */
import fc from "fast-check";
import { parseOffer } from "./parse-offer";
import { NOW } from "./test-support";
import type { CartInput, CartLineInput, Offer } from "./types";

export const PRODUCTS = ["gid://shopify/Product/1", "gid://shopify/Product/2", "gid://shopify/Product/3", "gid://shopify/Product/4"];
export const COLLECTIONS = ["gid://shopify/Collection/10", "gid://shopify/Collection/20"];
export const variantsOf = (product: string): string[] => {
  const number = product.slice(product.lastIndexOf("/") + 1);
  return [`gid://shopify/ProductVariant/${number}1`, `gid://shopify/ProductVariant/${number}2`];
};
export const VARIANTS = PRODUCTS.flatMap(variantsOf);
/** Fixed catalog facts: which collections a product is in. */
export function collectionsOf(product: string): string[] {
  const index = PRODUCTS.indexOf(product);
  return COLLECTIONS.filter((_, collection) => (index + collection) % 2 === 0 || index === 3);
}
export function productOf(variant: string): string {
  return PRODUCTS.find((product) => variantsOf(product).includes(variant)) ?? PRODUCTS[0]!;
}

/** Shop currency USD; carts in USD or a foreign currency with its rate. */
export const currencyArbitrary = fc.constantFrom(
  { currency: "USD" },
  { currency: "JPY", presentmentRate: "151.37" },
  { currency: "KWD", presentmentRate: "0.3071" },
  { currency: "EUR", presentmentRate: "0.9123" },
);

const lineArbitrary = fc.record({
  variantId: fc.constantFrom(...VARIANTS),
  quantity: fc.integer({ min: 1, max: 6 }),
  unitPrice: fc.oneof(fc.integer({ min: 0, max: 30_000 }), fc.constantFrom(999, 1299, 1, 5)),
});

export const cartArbitrary: fc.Arbitrary<CartInput> = fc
  .tuple(currencyArbitrary, fc.array(lineArbitrary, { minLength: 0, maxLength: 7 }))
  .map(([currency, lines]) => ({
    ...currency,
    lines: lines.map(
      (line, index): CartLineInput => ({
        id: `gid://shopify/CartLine/${index + 1}`,
        variantId: line.variantId,
        productId: productOf(line.variantId),
        collectionIds: collectionsOf(productOf(line.variantId)),
        quantity: line.quantity,
        unitPrice: line.unitPrice,
      }),
    ),
  }));

const usd = (min: number, max: number) => fc.integer({ min, max }).map((amount) => ({ amount, currency: "USD" }));
const pinnedUsd = (min: number, max: number) =>
  fc
    .tuple(fc.integer({ min, max }), fc.option(fc.integer({ min, max: max * 200 }), { nil: undefined }))
    .map(([amount, jpy]) => (jpy === undefined ? { amount, currency: "USD" } : { amount, currency: "USD", byCurrency: { JPY: jpy } }));
/** A discount on what the buyer pays for (below 100, as the schema asks). */
const percent = fc.constantFrom(5, 10, 12.5, 15, 33.33, 50, 99.99);
/** What Buy X get Y takes off the items it gives, a free gift included. */
const giftPercent = fc.constantFrom(50, 100);

const selectorArbitrary = fc
  .record({
    productIds: fc.subarray(PRODUCTS),
    variantIds: fc.subarray(VARIANTS, { maxLength: 3 }),
    collectionIds: fc.subarray(COLLECTIONS),
  })
  .filter((selector) => selector.productIds.length + selector.variantIds.length + selector.collectionIds.length > 0);

const refArbitrary = fc.oneof(
  fc.constantFrom(...PRODUCTS).map((productId) => ({ productId })),
  fc.constantFrom(...VARIANTS).map((variantId) => ({ variantId })),
);

const setPricingArbitrary = fc.oneof(
  percent.map((value) => ({ kind: "percentage", percent: value })),
  usd(1, 3000).map((amount) => ({ kind: "amountOff", amount })),
  usd(1, 40_000).map((price) => ({ kind: "fixedPrice", price })),
);

function increasing(count: number, min: number, step: number): fc.Arbitrary<number[]> {
  return fc.array(fc.integer({ min: 1, max: step }), { minLength: count, maxLength: count }).map((steps) => {
    let value = min - 1;
    return steps.map((s) => (value += s));
  });
}

const typeSpecific = fc.oneof(
  fc
    .uniqueArray(fc.record({ ref: refArbitrary, quantity: fc.integer({ min: 1, max: 2 }) }), {
      minLength: 1,
      maxLength: 3,
      selector: (item) => JSON.stringify(item.ref),
    })
    .filter((items) => items.reduce((sum, item) => sum + item.quantity, 0) >= 2)
    .chain((items) =>
      fc.record({
        type: fc.constant("fixedBundle"),
        items: fc.constant(items),
        pricing: setPricingArbitrary,
        maxSetsPerOrder: fc.option(fc.integer({ min: 1, max: 2 }), { nil: null }),
      }),
    ),
  fc.record({
    type: fc.constant("mixAndMatch"),
    eligible: selectorArbitrary,
    setSize: fc.integer({ min: 2, max: 3 }),
    pricing: setPricingArbitrary,
    maxSetsPerOrder: fc.option(fc.integer({ min: 1, max: 2 }), { nil: null }),
  }),
  fc.record({
    type: fc.constant("buyXGetY"),
    buy: fc.record({ items: selectorArbitrary, quantity: fc.integer({ min: 1, max: 2 }) }),
    get: fc.record({ items: selectorArbitrary, quantity: fc.integer({ min: 1, max: 2 }), percent: giftPercent }),
    maxUsesPerOrder: fc.option(fc.integer({ min: 1, max: 2 }), { nil: null }),
  }),
  fc.integer({ min: 1, max: 3 }).chain((count) =>
    fc.record({
      type: fc.constant("quantityBreaks"),
      eligible: selectorArbitrary,
      countPer: fc.constantFrom("selection", "product"),
      tiers: fc
        .tuple(increasing(count, 1, 3), fc.boolean(), increasing(count, 1, 1500))
        .map(([quantities, usePercent, amounts]) =>
          quantities.map((minQuantity, index) => ({
            minQuantity,
            value: usePercent
              ? { kind: "percentage", percent: [5, 12.5, 25][index] }
              : { kind: "amountOffEach", amount: { amount: amounts[index] ?? 1, currency: "USD" } },
          })),
        ),
    }),
  ),
  fc.integer({ min: 1, max: 3 }).chain((count) =>
    fc.record({
      type: fc.constant("spendTiers"),
      tiers: fc
        .tuple(increasing(count, 500, 20_000), fc.boolean(), fc.boolean())
        .map(([thresholds, usePercent, pinJpy]) =>
          thresholds.map((threshold, index) => ({
            minSubtotal: pinJpy ? { amount: threshold, currency: "USD", byCurrency: { JPY: threshold * 150 } } : { amount: threshold, currency: "USD" },
            value: usePercent
              ? { kind: "percentage", percent: [10, 15, 20][index] }
              : amountOffBelow(threshold, 100 * (index + 1), pinJpy),
          })),
        ),
    }),
  ),
  fc.record({
    type: fc.constant("upgradeLadder"),
    steps: fc.uniqueArray(fc.constantFrom(...VARIANTS), { minLength: 2, maxLength: 3 }).map((variants) =>
      variants.map((variantId) => ({ ref: { variantId } })),
    ),
    incentive: fc.oneof(
      fc.constant(null),
      percent.map((value) => ({ kind: "percentage", percent: value })),
      pinnedUsd(1, 2000).map((amount) => ({ kind: "amountOffEach", amount })),
    ),
  }),
);

const commonArbitrary = fc.record({
  status: fc.constantFrom("active", "active", "active", "paused"),
  priority: fc.integer({ min: 0, max: 3 }),
  combinesWith: fc.record({ productDiscounts: fc.boolean(), orderDiscounts: fc.boolean(), shippingDiscounts: fc.boolean() }),
  schedule: fc.constantFrom(
    {},
    { startsAt: NOW - 86_400_000 },
    { startsAt: NOW + 3_600_000 },
    { endsAt: NOW + 3_600_000 },
    { startsAt: NOW - 3_600_000, endsAt: NOW + 60_000 },
  ),
});

/** A spend tier's amount off below its threshold; pinned for JPY with the threshold, as validation asks. */
function amountOffBelow(threshold: number, wanted: number, pinJpy: boolean) {
  const amount = Math.min(threshold - 1, wanted);
  return { kind: "amountOff", amount: pinJpy ? { amount, currency: "USD", byCurrency: { JPY: amount * 150 } } : { amount, currency: "USD" } };
}

/** Valid offer sets (each offer passes `parseOffer`), with unique ids. */
export const offersArbitrary: fc.Arbitrary<Offer[]> = fc
  .array(fc.tuple(commonArbitrary, typeSpecific), { minLength: 0, maxLength: 6 })
  .map((entries) =>
    entries.map(([common, specific], index) => parseOffer({ id: `offer-${index}`, title: `Offer ${index}`, ...common, ...specific })),
  );

/** Points in time around the generated schedules. */
export const nowArbitrary = fc.constantFrom(NOW, NOW - 7_200_000, NOW + 30_000, NOW + 120_000, NOW + 7_200_000);
