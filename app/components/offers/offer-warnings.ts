/**
 * What an offer that saves (or goes live) will not do as set: because Upshelf's catalog has no
 * price for some of its items (the storefront leaves out what it cannot price, and the price checks
 * cannot judge an amount against a price they do not have), or because, at the catalog's prices,
 * the storefront would have nothing true to state (a tier that saves no more each than the one
 * below, a set price some set does not cost). Saving keeps such offers (a sync brings the price
 * without saving again, a merchant may be pausing the offer, and checkout still gives what the
 * offer gives), so these are warnings, not errors. Pure: the editor's save and the list's
 * activation both call `offerWarnings`, judging with the catalog as the server reads it.
 */
import { formatAmount } from "~/components/dashboard/format";
import { percentToBasisPoints } from "~/core/money";
import {
  mixAndMatchStated,
  resolveAmount,
  savingLabel,
  tierSavingAlone,
  quantityTiersStated,
  uncheckedAmounts,
  unitSavingApplied,
  type ItemRef,
  type MixAndMatchOffer,
  type Offer,
  type QuantityBreaksOffer,
  type UncheckedAmount,
} from "~/core/offers";
import type { OfferConflict } from "~/core/offers/conflicts";
import { catalogPriceChecks, checkDraft, draftItems, unpricedSteps, type OfferDraft, type PickedItem } from "./offer-draft";

/**
 * "upgradesHidden": a ladder's steps the storefront cannot price, so their upgrades are not shown.
 * "bundleHidden": a fixed bundle's items it cannot price, so the bundle is not shown.
 * "amountsUnchecked": amounts off the price checks could not judge for want of a price (said
 * under "upgradesHidden" or "bundleHidden" instead when the offer has one: the same prices lack).
 * "tiersHidden": quantity-break tiers that save no more each than a tier below them at an item's
 * price, which the storefront does not list on its page.
 * "dealHidden": a mix-and-match set price that a set of the cheapest items does not beat, which the
 * storefront states on no page.
 * "overlaps": other active offers discount the same products (or carts) and cannot combine with it
 * (`findOfferConflicts`), so a buyer gets only one of them. The editor shows this while editing;
 * activating from a list reports it with the other kinds (`conflictWarning`).
 */
export type OfferWarningKind = "overlaps" | "upgradesHidden" | "bundleHidden" | "amountsUnchecked" | "tiersHidden" | "dealHidden";

/** The order banners and merged lists name the kinds in. */
const KINDS: readonly OfferWarningKind[] = ["overlaps", "upgradesHidden", "bundleHidden", "tiersHidden", "dealHidden", "amountsUnchecked"];

export interface OfferWarning {
  readonly kind: OfferWarningKind;
  readonly messages: readonly string[];
}

/** One offer's warnings, as a list action (activating) reports them. */
export interface OfferWarnings {
  readonly offerId: string;
  readonly title: string;
  readonly warnings: readonly OfferWarning[];
}

/**
 * Every warning for `draft`, judged by the catalog `itemOf` (what the server read, not the prices
 * the browser's draft carries), in the shop's `currency`. A draft that does not pass saving's
 * checks gets no amount warnings: saving refuses it first.
 */
export function offerWarnings(draft: OfferDraft, itemOf: (gid: string) => PickedItem | undefined, currency: string): OfferWarning[] {
  const warnings: OfferWarning[] = [];
  const upgrades = unpricedSteps(draft, itemOf, currency).map((step) => step.message);
  const bundle = hiddenBundleMessage(draft, itemOf, currency);
  const prices = catalogPriceChecks(itemOf, currency);
  const check = checkDraft(draft, currency, "warnings", prices);
  if (check.ok && check.offer.type === "quantityBreaks") {
    const tiers = hiddenTierMessages(check.offer, draft.eligible, itemOf, currency);
    if (tiers.length > 0) warnings.push({ kind: "tiersHidden", messages: tiers });
  }
  if (check.ok && check.offer.type === "mixAndMatch") {
    const deal = hiddenDealMessage(check.offer, draft.eligible, itemOf, currency);
    if (deal) warnings.push({ kind: "dealHidden", messages: [deal] });
  }
  const amounts = check.ok ? uncheckedAmountMessages(draft, check.offer, uncheckedAmounts(check.offer, prices), itemOf, currency) : [];
  // Upgrades or a bundle left out for want of a price have their amounts unchecked for want of
  // the same prices: one banner says both (the prices that show them also let them be checked).
  const hidden: OfferWarning | null =
    upgrades.length > 0 ? { kind: "upgradesHidden", messages: [...upgrades, ...amounts] } : bundle ? { kind: "bundleHidden", messages: [bundle, ...amounts] } : null;
  if (hidden) warnings.unshift(hidden);
  else if (amounts.length > 0) warnings.push({ kind: "amountsUnchecked", messages: amounts });
  return warnings;
}

/**
 * The "overlaps" warning for conflicts found by `findOfferConflicts`, worded as the editor's banner
 * words them (the conflict's sentence, then the products both discount, by `nameOf`); null when
 * there are none.
 */
export function conflictWarning(conflicts: readonly OfferConflict[], nameOf: (id: string) => string | undefined): OfferWarning | null {
  if (conflicts.length === 0) return null;
  return {
    kind: "overlaps",
    messages: conflicts.map((conflict) => {
      const names = unique(conflict.sharedIds.map(nameOf).filter((name): name is string => Boolean(name)));
      return names.length > 0 ? `${conflict.message} Shared: ${listed(names)}.` : conflict.message;
    }),
  };
}

/** The banner's title: `done` is what happened ("Saved", "Activated"); `offers` how many offers it names. */
export function offerWarningTitle(kind: OfferWarningKind, done: string, offers = 1): string {
  switch (kind) {
    case "overlaps":
      return `${done}, but ${offers === 1 ? "it overlaps" : "they overlap"} with offers that cannot combine`;
    case "upgradesHidden":
      return `${done}, but buyers will not see every upgrade`;
    case "bundleHidden":
      return `${done}, but buyers will not see ${offers === 1 ? "this bundle" : "these bundles"}`;
    case "amountsUnchecked":
      return `${done}, but not every amount could be checked against prices`;
    case "tiersHidden":
      return `${done}, but buyers will not see every tier`;
    case "dealHidden":
      return `${done}, but buyers will not see ${offers === 1 ? "this deal" : "these deals"} on every page`;
  }
}

/** What the merchant can do about it, under the banner's list. */
export function offerWarningAdvice(kind: OfferWarningKind): string {
  switch (kind) {
    case "overlaps":
      return "Allow combining under Combinations (on both offers) if they should stack, or pause the one you do not want.";
    case "upgradesHidden":
      return "Replace the step, or keep it: the storefront offers its upgrades as soon as the catalog has its price, without saving again.";
    case "bundleHidden":
      return "Replace the item, or keep it: the storefront shows the bundle as soon as the catalog has its price, without saving again.";
    case "amountsUnchecked":
      return "Once the catalog has the price, activating the offer checks the amount, and the list marks a live offer it fails.";
    case "tiersHidden":
      return "Give the tier a bigger discount than the one below it, or keep it: a buyer who reaches it still gets it at checkout, which saves them at least what the tier below states.";
    case "dealHidden":
      return "Lower the set price below what such a set costs, or take the cheapest items out of the offer: checkout still gives the set price to any set that costs more.";
  }
}

/** Several offers' warnings as one list per kind, each message prefixed with its offer's title. */
export function mergeOfferWarnings(perOffer: readonly OfferWarnings[]): (OfferWarning & { readonly offers: number })[] {
  return KINDS.flatMap((kind) => {
    const named = perOffer.flatMap((offer) =>
      offer.warnings.filter((warning) => warning.kind === kind).map((warning) => warning.messages.map((message) => `“${offer.title}”: ${message}`)),
    );
    return named.length === 0 ? [] : [{ kind, messages: named.flat(), offers: named.length }];
  });
}

// ---------------------------------------------------------------------------------------------

/**
 * A fixed bundle whose item the catalog has no price for (in the shop currency, for the variant a
 * product page shows first) is left out by the storefront, which states the bundle's price
 * (offer-pricing.server describeProductOffers); checkout still applies it.
 */
function hiddenBundleMessage(draft: OfferDraft, itemOf: (gid: string) => PickedItem | undefined, currency: string): string | null {
  if (draft.type !== "fixedBundle") return null;
  const titles = unique(
    draft.items.flatMap((row) => {
      const item = itemOf(row.item.id);
      return item && item.price !== null ? [] : [`“${item?.title ?? row.item.title}”`];
    }),
  );
  if (titles.length === 0) return null;
  const one = titles.length === 1;
  return (
    `${listed(titles)} ${one ? "has" : "have"} no price in ${currency} in Upshelf's catalog, so the storefront shows this bundle ` +
    `on none of its products' pages until ${one ? "it has one" : "they have one"}.`
  );
}

/**
 * The tiers of a quantity break the storefront does not list on an eligible item's page, at the
 * catalog's prices of that item (its first variant's, the one a page shows first, and its cheapest
 * and dearest), as /offers judges it (`quantityTiersStated`): stated each, a tier whose price each
 * is no lower than a tier's below it, or than the item's own price; stated as percentages, a tier
 * below the first that saves anything at its minimum. One message per tier and tier it does not
 * beat, naming the items.
 */
function hiddenTierMessages(offer: QuantityBreaksOffer, eligible: readonly PickedItem[], itemOf: (gid: string) => PickedItem | undefined, currency: string): string[] {
  const amounts = { currency, rate: null };
  const money = (amount: number) => formatAmount(amount, currency);
  const hidden = new Map<string, { tier: number; below: number; items: string[] }>();
  for (const row of eligible) {
    const item = itemOf(row.id);
    if (!item) continue;
    const prices = new Set([item.price, item.lowestPrice, item.highestPrice].filter((price): price is number => price !== null && price !== undefined));
    for (const price of prices) {
      const priced = offer.tiers.map((tier) => {
        // A tier without a value in the currency saves nothing there.
        const value = unitSavingApplied(tier.value, price, amounts) ?? { kind: "amountOffEach" as const, value: 0 };
        return { minQuantity: tier.minQuantity, value, total: price * tier.minQuantity - tierSavingAlone(value, price, tier.minQuantity) };
      });
      quantityTiersStated(priced, price).hidden.forEach((below, tier) => {
        if (below === null) return;
        const key = `${tier}:${below}`;
        const entry = hidden.get(key) ?? { tier, below, items: [] };
        entry.items.push(`“${item.title}” at ${money(price)}`);
        hidden.set(key, entry);
      });
    }
  }
  return [...hidden.values()].flatMap(({ tier: index, below, items }) => {
    const tier = offer.tiers[index];
    if (!tier) return [];
    const value = savingLabel(
      tier.value.kind === "percentage" ? { kind: "percentage", value: percentToBasisPoints(tier.value.percent) } : { kind: "amountOffEach", value: tier.value.amount.amount },
      currency,
      formatAmount,
    );
    const names = unique(items);
    const than = below === 1 ? `saves less than ${money(1)} each` : `saves no more each than the ${below}+ tier`;
    return [`The ${tier.minQuantity}+ tier (${value}) ${than} on ${listed(names)}, so the storefront does not list it on ${names.length === 1 ? "that item's page" : "those items' pages"}.`];
  });
}

/**
 * A mix-and-match set price that a set of an item with the cheapest eligible items (by the
 * catalog's prices) does not beat: such a set is not formed and costs its own sum, so the
 * storefront does not state the deal on that item's page (`mixAndMatchStated`, as /offers judges
 * it). Amounts off are refused by saving in that case, and a percentage holds whatever the set.
 */
function hiddenDealMessage(offer: MixAndMatchOffer, eligible: readonly PickedItem[], itemOf: (gid: string) => PickedItem | undefined, currency: string): string | null {
  // Judged by the products and variants it names, as /offers judges it (a collection's items are not known).
  if (offer.pricing.kind !== "fixedPrice") return null;
  const priced = eligible.flatMap((row) => {
    const item = itemOf(row.id);
    const price = item?.lowestPrice ?? item?.price ?? null;
    return item && price !== null ? [{ title: item.title, price }] : [];
  });
  if (priced.length === 0) return null;
  const cheapest = Math.min(...priced.map((item) => item.price));
  const dearest = Math.max(...priced.map((item) => item.price));
  const price = resolveAmount(offer.pricing.price, { currency, rate: null });
  if (price === null) return null;
  const context = { currency, rate: null };
  const hidden = priced.filter((item) => !mixAndMatchStated(offer.pricing, offer.setSize, { cheapest, dearest }, item.price, context));
  if (hidden.length === 0) return null;
  const names = unique(hidden.map((item) => `“${item.title}”`));
  const cheapestNames = unique(priced.filter((item) => item.price === cheapest).map((item) => `“${item.title}”`));
  const money = (amount: number) => formatAmount(amount, currency);
  const pages = hidden.length === priced.length ? "none of its products' pages state this deal" : `the ${names.length === 1 ? "page of " + listed(names) + " does" : "pages of " + listed(names) + " do"} not state this deal`;
  return (
    `A set of ${offer.setSize} with ${hidden.length === priced.length ? "any of its items" : names.length === 1 ? "that item" : "one of those items"} and the cheapest (${listed(cheapestNames)}, ${money(cheapest)} each) ` +
    `costs no more than the set price (${money(price)}): such a set costs its own sum, not the price named, so ${pages}.`
  );
}

/** Each unchecked amount in words: which amount, what it was not checked against, which items lack a price, and what could go wrong. */
function uncheckedAmountMessages(
  draft: OfferDraft,
  offer: Offer,
  unchecked: readonly UncheckedAmount[],
  itemOf: (gid: string) => PickedItem | undefined,
  currency: string,
): string[] {
  if (unchecked.length === 0) return [];
  const money = (amount: { amount: number }) => formatAmount(amount.amount, currency);
  const drafted = new Map(draftItems(draft).map((item) => [item.id, item]));
  const nameOf = (ref: ItemRef): string => {
    const gid = "variantId" in ref ? ref.variantId : ref.productId;
    const item = itemOf(gid);
    const title = `“${item?.title ?? drafted.get(gid)?.title ?? gid}”`;
    const step = offer.type === "upgradeLadder" ? draft.steps.findIndex((row) => row.item.id === gid) : -1;
    const named = step >= 0 ? `step ${step + 1} (${title})` : title;
    // Some of its variants are priced (the first one is): the check needed all of them.
    return item && item.price !== null ? `a variant of ${named}` : named;
  };
  const lacking = (entries: readonly UncheckedAmount[]) => {
    const names = unique(entries.flatMap((entry) => entry.unpriced.map(nameOf)));
    return { names: listed(names), one: names.length === 1 };
  };
  const sentence = (subject: string, against: string, entries: readonly UncheckedAmount[], risk: (one: boolean) => string) => {
    const { names, one } = lacking(entries);
    return `${subject} is not checked against ${against}: ${names} ${one ? "has" : "have"} no price in ${currency} in Upshelf's catalog. ${risk(one)}`;
  };
  const promised = "buyers are promised more than checkout takes off.";
  switch (offer.type) {
    case "upgradeLadder": {
      const incentive = offer.incentive;
      if (incentive?.kind !== "amountOffEach") return [];
      return [sentence(`The incentive (${money(incentive.amount)} off)`, "the steps' prices", unchecked, (one) => `If ${one ? "it" : "one"} costs ${money(incentive.amount)} or less, ${promised}`)];
    }
    case "quantityBreaks": {
      const tiers = unchecked.flatMap((entry) => {
        const tier = typeof entry.path[1] === "number" ? offer.tiers[entry.path[1]] : undefined;
        return tier?.value.kind === "amountOffEach" ? [{ minQuantity: tier.minQuantity, amount: tier.value.amount }] : [];
      });
      if (tiers.length === 0) return [];
      const largest = tiers.reduce((most, tier) => Math.max(most, tier.amount.amount), 0);
      const amounts = tiers.length === 1 ? money({ amount: largest }) : tiers.map((tier) => `${money(tier.amount)} at ${tier.minQuantity}+`).join(", ");
      return [sentence(`The amount off each (${amounts})`, "the items' prices", unchecked, (one) => `If ${one ? "it" : "one"} costs ${money({ amount: largest })} or less, ${promised}`)];
    }
    case "fixedBundle": {
      const pricing = offer.pricing;
      if (pricing.kind === "amountOff") {
        return [sentence(`The amount off (${money(pricing.amount)})`, "the items' sum", unchecked, () => `If the bundle costs ${money(pricing.amount)} or less, ${promised}`)];
      }
      if (pricing.kind === "fixedPrice") {
        return [sentence(`The bundle price (${money(pricing.price)})`, "the items' sum", unchecked, () => `If the items cost ${money(pricing.price)} or less together, the bundle saves nothing.`)];
      }
      return [];
    }
    case "mixAndMatch": {
      const pricing = offer.pricing;
      if (pricing.kind === "amountOff") {
        return [sentence(`The amount off (${money(pricing.amount)})`, "the price of a set", unchecked, () => `If a set costs ${money(pricing.amount)} or less, ${promised}`)];
      }
      if (pricing.kind === "fixedPrice") {
        return [sentence(`The set price (${money(pricing.price)})`, "the price of a set", unchecked, () => `If no set costs more than ${money(pricing.price)}, none saves anything.`)];
      }
      return [];
    }
    case "buyXGetY":
    case "spendTiers":
      return [];
  }
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** Names a warning lists before "and N more": a quantity break may cover hundreds of items. */
const NAMES_LISTED = 5;

/** "A", "A and B", "A, B and C"; past NAMES_LISTED, "A, B, C, D, E and 3 more". */
function listed(values: readonly string[]): string {
  const shown = values.length > NAMES_LISTED ? [...values.slice(0, NAMES_LISTED), `${values.length - NAMES_LISTED} more`] : values;
  if (shown.length <= 1) return shown.join("");
  return `${shown.slice(0, -1).join(", ")} and ${shown[shown.length - 1]}`;
}
