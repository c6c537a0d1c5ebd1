import type { OfferType } from "~/core/offers";

/** The admin's three offer pages; each holds some of the engine's offer types. */
export type OfferFamily = "bundles" | "tiers" | "ladders";

export interface OfferFamilyInfo {
  readonly family: OfferFamily;
  readonly title: string;
  /** "bundle", "tiered discount", "upgrade ladder": used in button labels and messages. */
  readonly singular: string;
  readonly path: string;
  readonly types: readonly OfferType[];
  readonly emptyHeading: string;
  readonly emptyText: string;
}

export const OFFER_FAMILIES: Record<OfferFamily, OfferFamilyInfo> = {
  bundles: {
    family: "bundles",
    title: "Bundles",
    singular: "bundle",
    path: "/app/bundles",
    types: ["fixedBundle", "mixAndMatch", "buyXGetY"],
    emptyHeading: "Sell products together",
    emptyText: "Fixed bundles, mix and match and buy X get Y: pick the products, set the saving, and see the exact price checkout will charge.",
  },
  tiers: {
    family: "tiers",
    title: "Tiered discounts",
    singular: "tiered discount",
    path: "/app/tiers",
    types: ["quantityBreaks", "spendTiers"],
    emptyHeading: "Reward bigger orders",
    emptyText: "Quantity breaks (2+ save 10%, 3+ save 15%) and spend tiers (10% over 100): buyers see their progress to the next tier.",
  },
  ladders: {
    family: "ladders",
    title: "Upgrade ladders",
    singular: "upgrade ladder",
    path: "/app/ladders",
    types: ["upgradeLadder"],
    emptyHeading: "Offer a better version",
    emptyText: "Good, better, best: suggest the next step up, with an optional incentive stated to the cent.",
  },
};

export const OFFER_TYPE_LABELS: Record<OfferType, string> = {
  fixedBundle: "Fixed bundle",
  mixAndMatch: "Mix and match",
  buyXGetY: "Buy X get Y",
  quantityBreaks: "Quantity breaks",
  spendTiers: "Spend tiers",
  upgradeLadder: "Upgrade ladder",
};

/** Where buyers meet each type of offer before checkout, which applies them all. */
export const OFFER_TYPE_STOREFRONT: Record<OfferType, string> = {
  fixedBundle: "In the Often bought together block on its products' pages, with the bundle's exact saving.",
  mixAndMatch: "In the Deals block on its products' pages, with its exact terms, and (with a percentage or amount off) in the cart savings bar until the first set is complete.",
  buyXGetY: "In the Deals block on the pages of the products to buy and to get, with its exact terms, and in the cart savings bar when every item of the cart it counts is both bought and given.",
  quantityBreaks: "In the Quantity breaks block on its products' pages, and in the cart savings bar.",
  spendTiers: "In the cart savings bar, on every page.",
  upgradeLadder: "In the Upgrade offer block on the page of every step below the top.",
};

export function familyOfType(type: OfferType): OfferFamily {
  const found = (Object.values(OFFER_FAMILIES) as OfferFamilyInfo[]).find((info) => info.types.includes(type));
  return found ? found.family : "bundles";
}
