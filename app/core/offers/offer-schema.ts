/**
 * Offer configuration as merchants save it, validated with zod. Validation happens when the
 * merchant saves: the engine and the checkout function then trust what they are given. Errors
 * say what to change in words a merchant understands.
 */
import { z } from "zod";
import { hasWholeBasisPoints } from "../money";

const MAX_QUANTITY = 10_000;

const currencyCode = z.string().regex(/^[A-Z]{3}$/, "Use a three-letter ISO 4217 currency code, such as USD.");
const positiveMinor = z
  .number()
  .int("Amounts are whole minor units (cents), not decimals.")
  .positive("Amounts must be greater than zero.")
  .max(Number.MAX_SAFE_INTEGER);

export const configMoneySchema = z
  .object({
    amount: positiveMinor,
    currency: currencyCode,
    byCurrency: z.record(currencyCode, positiveMinor).optional(),
  })
  .strict();

const positivePercent = z.number().gt(0, "A percentage must be greater than 0.");
const TWO_DECIMALS = "Use at most two decimals in a percentage.";

/**
 * A whole number of basis points, to within float noise only. `hasWholeBasisPoints` (which the
 * engine reads stored percentages with) allows a millionth of a basis point, so 0.000000001%
 * passed as 0 basis points and 99.99999999% as 10,000: the first made checkout's reader refuse
 * the whole configuration, the second a discount "below 100" that made the set free. A percentage
 * times 100 is off a whole number by less than 1e-11 when it has two decimals.
 */
function hasExactBasisPoints(percent: number): boolean {
  return hasWholeBasisPoints(percent) && Math.abs(Math.round(percent * 100) - percent * 100) <= 1e-9;
}

/** What Buy X get Y takes off the items it gives: up to all of it, a free gift. */
const percent = positivePercent.max(100, "A percentage cannot be more than 100.").refine(hasExactBasisPoints, TWO_DECIMALS);

/**
 * A discount on what the buyer pays for (a bundle, a tier, an upgrade): below 100, as the amount
 * forms of the same discounts must leave something to pay.
 */
const discountPercent = positivePercent
  .lt(100, "A percentage must be below 100: this discount cannot make what the buyer pays for free.")
  .refine(hasExactBasisPoints, TWO_DECIMALS);

const quantity = z
  .number()
  .int("Quantities are whole numbers.")
  .min(1, "Quantities start at 1.")
  .max(MAX_QUANTITY, `Quantities stop at ${MAX_QUANTITY}.`);

const gid = z.string().trim().min(1, "An id cannot be empty.").max(200);

export const itemRefSchema = z.union([
  z.object({ productId: gid }).strict(),
  z.object({ variantId: gid }).strict(),
]);

export const itemSelectorSchema = z
  .object({
    productIds: z.array(gid).max(250).optional(),
    variantIds: z.array(gid).max(250).optional(),
    collectionIds: z.array(gid).max(50).optional(),
  })
  .strict()
  .refine(
    (selector) =>
      (selector.productIds?.length ?? 0) + (selector.variantIds?.length ?? 0) + (selector.collectionIds?.length ?? 0) > 0,
    "Choose at least one product, variant or collection.",
  );

const percentage = z.object({ kind: z.literal("percentage"), percent: discountPercent }).strict();
const amountOff = z.object({ kind: z.literal("amountOff"), amount: configMoneySchema }).strict();
const amountOffEach = z.object({ kind: z.literal("amountOffEach"), amount: configMoneySchema }).strict();
const fixedPrice = z.object({ kind: z.literal("fixedPrice"), price: configMoneySchema }).strict();

const setPricing = z.discriminatedUnion("kind", [percentage, amountOff, fixedPrice]);
const unitDiscount = z.discriminatedUnion("kind", [percentage, amountOffEach]);
const orderDiscountValue = z.discriminatedUnion("kind", [percentage, amountOff]);

// Four-digit years only: what databases, Shopify and the shop-local time formats can all hold.
const LATEST_INSTANT = Date.UTC(9999, 11, 31, 23, 59, 59);
const FOUR_DIGIT_YEAR = "Use a date between the years 1970 and 9999.";
const instant = z.union([
  z.number().int().min(0, FOUR_DIGIT_YEAR).max(LATEST_INSTANT, FOUR_DIGIT_YEAR),
  z
    .string()
    .refine((value) => !Number.isNaN(Date.parse(value)), "Use an ISO 8601 date and time.")
    .refine((value) => {
      const epoch = Date.parse(value);
      return Number.isNaN(epoch) || (epoch >= 0 && epoch <= LATEST_INSTANT);
    }, FOUR_DIGIT_YEAR),
]);

// Shopify schedules discounts to the second; sub-second parts are dropped so every surface
// (and the checkout function's clock, which only knows seconds) switches at the same instant.
function toWholeSecondEpoch(value: number | string | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  const epoch = typeof value === "number" ? value : Date.parse(value);
  return Math.floor(epoch / 1000) * 1000;
}

const schedule = z
  .object({ startsAt: instant.nullish(), endsAt: instant.nullish() })
  .strict()
  .default({})
  .transform((value) => ({ startsAt: toWholeSecondEpoch(value.startsAt), endsAt: toWholeSecondEpoch(value.endsAt) }))
  .refine(
    (value) => value.startsAt === null || value.endsAt === null || value.endsAt > value.startsAt,
    { message: "The offer must end after it starts.", path: ["endsAt"] },
  );

const combinesWith = z
  .object({
    productDiscounts: z.boolean().default(false),
    orderDiscounts: z.boolean().default(false),
    shippingDiscounts: z.boolean().default(false),
  })
  .strict()
  .default({});

const common = {
  id: z.string().trim().min(1, "An offer needs an id.").max(64),
  title: z.string().trim().min(1, "Give the offer a title.").max(255),
  // Nothing goes live by accident: a new offer is a draft until the merchant activates it.
  status: z.enum(["active", "paused", "draft"]).default("draft"),
  schedule,
  priority: z
    .number()
    .int("Priority is a whole number.")
    .min(-1000, "Priority goes from -1000 to 1000.")
    .max(1000, "Priority goes from -1000 to 1000.")
    .default(0),
  combinesWith,
};

const maxPerOrder = z
  .number()
  .int("The limit per order is a whole number.")
  .min(1, "The limit per order is at least 1; leave it empty for no limit.")
  .max(MAX_QUANTITY, `The limit per order is at most ${MAX_QUANTITY}.`)
  .nullish()
  .transform((value) => value ?? null);

export const fixedBundleSchema = z
  .object({
    ...common,
    type: z.literal("fixedBundle"),
    items: z
      .array(z.object({ ref: itemRefSchema, quantity }).strict())
      .min(1, "A bundle needs at least one product.")
      .max(20, "A bundle holds at most 20 different products or variants."),
    pricing: setPricing,
    maxSetsPerOrder: maxPerOrder,
  })
  .strict();

export const mixAndMatchSchema = z
  .object({
    ...common,
    type: z.literal("mixAndMatch"),
    eligible: itemSelectorSchema,
    setSize: z.number().int().min(2, "Mix and match needs at least 2 items per set.").max(100),
    pricing: setPricing,
    maxSetsPerOrder: maxPerOrder,
  })
  .strict();

export const buyXGetYSchema = z
  .object({
    ...common,
    type: z.literal("buyXGetY"),
    buy: z.object({ items: itemSelectorSchema, quantity }).strict(),
    get: z.object({ items: itemSelectorSchema, quantity, percent }).strict(),
    maxUsesPerOrder: maxPerOrder,
  })
  .strict();

export const quantityBreaksSchema = z
  .object({
    ...common,
    type: z.literal("quantityBreaks"),
    eligible: itemSelectorSchema,
    countPer: z.enum(["selection", "product"]).default("selection"),
    tiers: z
      .array(z.object({ minQuantity: quantity, value: unitDiscount }).strict())
      .min(1, "Add at least one tier.")
      .max(10),
  })
  .strict();

export const spendTiersSchema = z
  .object({
    ...common,
    type: z.literal("spendTiers"),
    tiers: z
      .array(z.object({ minSubtotal: configMoneySchema, value: orderDiscountValue }).strict())
      .min(1, "Add at least one tier.")
      .max(10),
  })
  .strict();

export const upgradeLadderSchema = z
  .object({
    ...common,
    type: z.literal("upgradeLadder"),
    steps: z
      .array(z.object({ ref: itemRefSchema, label: z.string().trim().min(1, "A step's label cannot be only spaces; leave it empty instead.").max(60, "A step's label is at most 60 characters.").optional() }).strict())
      .min(2, "An upgrade ladder needs at least two steps.")
      .max(5, "An upgrade ladder has at most 5 steps."),
    incentive: unitDiscount.nullish().transform((value) => value ?? null),
  })
  .strict();

export const offerSchema = z.discriminatedUnion("type", [
  fixedBundleSchema,
  mixAndMatchSchema,
  buyXGetYSchema,
  quantityBreaksSchema,
  spendTiersSchema,
  upgradeLadderSchema,
]);

/** What a merchant (or the admin form) submits; defaults are filled in by parsing. */
export type OfferInput = z.input<typeof offerSchema>;
