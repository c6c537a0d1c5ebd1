/**
 * A shop's Upshelf settings: which placements are on, what the widgets say and look like, the
 * recommendation knobs merchants may turn, and the post-purchase offer rules. Every field has a
 * safe default, so a new shop (and a settings row written by an older version) is always complete.
 */
import { z } from "zod";
import { hasWholeBasisPoints } from "../money";
import { blocksDefaultItems } from "../storefront-blocks";

export const PLACEMENT_KEYS = ["pdp", "cart", "post_purchase", "thank_you"] as const;
export type PlacementKey = (typeof PLACEMENT_KEYS)[number];

/** How the admin names each placement. */
export const PLACEMENT_NAMES: Record<PlacementKey, string> = {
  pdp: "Product page",
  cart: "Cart",
  post_purchase: "Post-purchase offer",
  thank_you: "Thank-you page",
};

const heading = z.string().trim().min(1, "A heading cannot be empty.").max(80, "Keep headings under 80 characters.");
const hexColour = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, "Use a colour like #1a73e8, or leave it empty to follow the theme.")
  .nullable();

/**
 * One end of the recommendations' price range: minor units of the shop's currency (cents for
 * USD), or null for no bound. The admin form enters it as a decimal in that currency.
 */
const priceBound = z
  .number()
  .int("Use a whole number of the currency's minor unit.")
  .min(0, "A price cannot be negative.")
  .max(Number.MAX_SAFE_INTEGER, "This price is too large.")
  .nullable()
  .default(null);

function placement(defaultHeading: string, defaultLimit: number) {
  return z
    .object({
      enabled: z.boolean().default(true),
      heading: heading.default(defaultHeading),
      limit: z.number().int().min(1, "Show at least 1 item.").max(12, "Show at most 12 items.").default(defaultLimit),
    })
    .default({});
}

/** The highest share of the order a post-purchase offer may cost, in percent: all of it. */
export const MAX_PRICE_SHARE_OF_ORDER = 100;

export const shopSettingsSchema = z.object({
  placements: z
    .object({
      // The most the placement's theme blocks show by default: they ask for their own number and
      // are served at most this, so a higher default would promise items no buyer sees.
      pdp: placement("Frequently bought together", blocksDefaultItems("pdp")),
      cart: placement("You may also like", blocksDefaultItems("cart")),
      post_purchase: placement("Add this to your order", 1),
      thank_you: placement("You may also like", 1),
    })
    .default({}),
  recommendations: z
    .object({
      /**
       * How fast old orders stop counting, in days (recent orders count more). 90 is the engine's
       * measured default (docs/decisions/0004); 180 scored about 1% lower on the shared data.
       */
      halfLifeDays: z.number().int().min(7, "Use at least 7 days.").max(3650, "Use at most 3650 days.").default(90),
      /** No more than this many recommended items of the same product type. */
      maxPerProductType: z.number().int().min(1, "Show at least 1 item of a product type.").max(12, "Show at most 12 items of a product type.").default(2),
      /** Learn from buyers' clicks and adds (Thompson sampling over the top candidates). */
      learnFromFeedback: z.boolean().default(true),
      /**
       * Only products priced within this range (inclusive; either end optional) are recommended,
       * on every placement, the post-purchase and thank-you offers included. Pinned products are
       * exempt: the merchant chose them (MerchantRules.priceRange in app/core/ranking).
       */
      priceRange: z
        .object({ min: priceBound, max: priceBound })
        .refine((range) => range.min === null || range.max === null || range.max >= range.min, {
          message: "The highest price must be at least the lowest price.",
          path: ["max"],
        })
        .default({}),
    })
    .default({}),
  postPurchase: z
    .object({
      /** Discount on the post-purchase offer, in percent (0 = full price). */
      // Two decimals at most: the buyer is told the percentage, and checkout takes off whole basis points.
      discountPercent: z
        .number()
        .min(0, "A discount cannot be negative; 0 offers the product at full price.")
        .max(90, "A post-purchase discount above 90% is not allowed.")
        .refine(hasWholeBasisPoints, "Use at most two decimals in a percentage.")
        .default(10),
      /**
       * Offer only products costing at most this share of the order subtotal, in percent. A share
       * is of the order, so at most all of it: 100 offers anything up to what the buyer just spent.
       */
      maxPriceShareOfOrder: z
        .number()
        .int("Use a whole percentage.")
        .min(1, "Use at least 1%.")
        .max(MAX_PRICE_SHARE_OF_ORDER, "A share of the order is at most 100%: 100 offers products costing up to what the buyer just spent.")
        .default(50),
    })
    .default({}),
  appearance: z
    .object({
      accentColour: hexColour.default(null),
      showCompareAtPrice: z.boolean().default(true),
    })
    .default({}),
});

export type ShopSettings = z.infer<typeof shopSettingsSchema>;

export const DEFAULT_SHOP_SETTINGS: ShopSettings = shopSettingsSchema.parse({});

/**
 * Reads stored settings; anything missing or no longer valid falls back to its default, field by
 * field, so one value a newer rule refuses does not reset the rest.
 */
export function readShopSettings(stored: unknown): ShopSettings {
  const settings = structuredClone(isRecord(stored) ? stored : {});
  // Saved before percentages were limited to two decimals: keep what checkout took off (whole
  // basis points, rounded down), not the default.
  const postPurchase = settings.postPurchase;
  if (isRecord(postPurchase) && typeof postPurchase.discountPercent === "number" && Number.isFinite(postPurchase.discountPercent)) {
    postPurchase.discountPercent = Math.floor(postPurchase.discountPercent * 100 + 1e-9) / 100;
  }
  // Saved when shares up to 1000% were taken: read as 100%, the nearest share the rule allows,
  // rather than dropped for the default's 50%.
  if (isRecord(postPurchase) && typeof postPurchase.maxPriceShareOfOrder === "number" && postPurchase.maxPriceShareOfOrder > MAX_PRICE_SHARE_OF_ORDER) {
    postPurchase.maxPriceShareOfOrder = MAX_PRICE_SHARE_OF_ORDER;
  }
  for (let attempt = 0; attempt < 20; attempt++) {
    const parsed = shopSettingsSchema.safeParse(settings);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) removePath(settings, issue.path);
  }
  return DEFAULT_SHOP_SETTINGS;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Deletes the value at `path`, so its default applies (the settings hold objects, no arrays). */
function removePath(root: Record<string, unknown>, path: readonly (string | number)[]): void {
  if (path.length === 0) {
    for (const key of Object.keys(root)) delete root[key];
    return;
  }
  let parent: unknown = root;
  for (const key of path.slice(0, -1)) parent = isRecord(parent) ? parent[String(key)] : undefined;
  if (isRecord(parent)) delete parent[String(path.at(-1))];
}
