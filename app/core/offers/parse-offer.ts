import type { Money } from "../money";
import { OffersError, type OfferIssue } from "./errors";
import { offerSchema } from "./offer-schema";
import type { ConfigMoney, ItemRef, ItemSelector, Offer, OrderDiscountValue, UnitDiscount } from "./types";

export interface ParseOfferOptions {
  /**
   * Current catalog prices, when the caller has them (the admin does). With them, setups that
   * cannot work for any buyer are refused, such as a bundle priced above its items' sum.
   */
  readonly unitPrice?: (ref: ItemRef) => Money | undefined;
  /**
   * The price a widget offers the item at: a product's first variant, as the storefront prices an
   * upgrade step. Upgrade ladders are checked with it; without it, with `unitPrice`.
   */
  readonly offeredPrice?: (ref: ItemRef) => Money | undefined;
  /** The dearest of an item's variants' prices (a variant's own price for a variant), when known. */
  readonly dearestUnitPrice?: (ref: ItemRef) => Money | undefined;
}

export type ParseOfferResult = { readonly ok: true; readonly offer: Offer } | { readonly ok: false; readonly issues: OfferIssue[] };

/**
 * An amount the price checks could not judge: the caller has a catalog, but it has no price (in
 * the amount's currency) for some of the items the amount is checked against, so the offer passes
 * though the amount may be worth an item's whole price.
 */
export interface UncheckedAmount {
  /** Where the amount is, as an issue about it would name it. */
  readonly path: readonly (string | number)[];
  /** The items whose price the check needed and did not have. */
  readonly unpriced: readonly ItemRef[];
}

function refKey(ref: ItemRef): string {
  return "variantId" in ref ? `variant:${ref.variantId}` : `product:${ref.productId}`;
}

function unitValue(value: UnitDiscount | OrderDiscountValue): number {
  return value.kind === "percentage" ? value.percent : value.amount.amount;
}

/** Every amount in an offer is in one currency: the shop's. */
function moneyIn(offer: Offer): ConfigMoney[] {
  switch (offer.type) {
    case "fixedBundle":
    case "mixAndMatch":
      return offer.pricing.kind === "amountOff" ? [offer.pricing.amount] : offer.pricing.kind === "fixedPrice" ? [offer.pricing.price] : [];
    case "buyXGetY":
      return [];
    case "quantityBreaks":
      return offer.tiers.flatMap((tier) => (tier.value.kind === "amountOffEach" ? [tier.value.amount] : []));
    case "spendTiers":
      return offer.tiers.flatMap((tier) => [tier.minSubtotal, ...(tier.value.kind === "amountOff" ? [tier.value.amount] : [])]);
    case "upgradeLadder":
      return offer.incentive?.kind === "amountOffEach" ? [offer.incentive.amount] : [];
  }
}

function checkTierValues(
  tiers: readonly { value: UnitDiscount | OrderDiscountValue }[],
  issues: OfferIssue[],
): void {
  tiers.forEach((tier, index) => {
    const previous = tiers[index - 1];
    if (!previous) return;
    if (previous.value.kind !== tier.value.kind) {
      issues.push({ path: ["tiers", index, "value"], message: "Use the same kind of discount in every tier." });
    } else if (unitValue(tier.value) <= unitValue(previous.value)) {
      // An equal tier would be advertised ("add 4 more to save 12.5%") for a saving the buyer already has.
      issues.push({ path: ["tiers", index, "value"], message: "A higher tier must save more than the tier below it." });
    }
  });
}

/**
 * A market's own amounts (`byCurrency`) follow the tiers' rules too: each tier saves more than the
 * one below in that currency, and, with `everyTier`, a tier that pins a currency's amount needs
 * every tier to pin it (a converted amount could pass a pinned one, depending on the rate).
 * Otherwise a market's buyer who adds items reaches a tier that saves less on each of them.
 */
function checkPinnedTierAmounts(
  tiers: readonly { value: UnitDiscount | OrderDiscountValue }[],
  issues: OfferIssue[],
  everyTier: boolean,
): void {
  const amounts: ConfigMoney[] = [];
  for (const tier of tiers) {
    // Percentages pin nothing; a mix of kinds is reported by checkTierValues.
    if (tier.value.kind === "percentage") return;
    amounts.push(tier.value.amount);
  }
  const currencies = new Set(amounts.flatMap((amount) => Object.keys(amount.byCurrency ?? {})));
  for (const currency of currencies) {
    let previous: number | undefined;
    amounts.forEach((amount, index) => {
      const pinned = amount.byCurrency?.[currency];
      if (pinned === undefined) {
        if (everyTier) issues.push({ path: ["tiers", index, "value", "amount", "byCurrency"], message: `Set a ${currency} amount on every tier, or on none.` });
        return;
      }
      if (previous !== undefined && pinned <= previous) {
        issues.push({
          path: ["tiers", index, "value", "amount", "byCurrency", currency],
          message: `A higher tier must save more than the tier below it, in ${currency} too.`,
        });
      }
      previous = pinned;
    });
  }
}

/**
 * The prices `priceOf` knows for `refs` in `currency`, and the refs it knows none for. Without a
 * catalog (`priceOf` undefined) nothing is known and nothing is missing: there is nothing to check.
 */
function catalogPrices(
  refs: readonly ItemRef[],
  currency: string,
  priceOf: ((ref: ItemRef) => Money | undefined) | undefined,
): { prices: number[]; unpriced: ItemRef[] } {
  const prices: number[] = [];
  const unpriced: ItemRef[] = [];
  if (!priceOf) return { prices, unpriced };
  for (const ref of refs) {
    const price = priceOf(ref);
    if (!price || price.currency !== currency) unpriced.push(ref);
    else prices.push(price.amount);
  }
  return { prices, unpriced };
}

/**
 * Whether an amount off each item is worth the whole known price of one of these items. Checkout
 * caps the amount at the price, but the offer's wording would still promise all of it: a saving
 * stated must be a saving given. Items without a known price (collections, no catalog) pass, and
 * those the catalog has no price for are noted in `unchecked` at `path`.
 */
function takesWholePrice(
  amount: ConfigMoney,
  refs: readonly ItemRef[],
  options: ParseOfferOptions,
  unchecked: UncheckedAmount[],
  path: readonly (string | number)[],
): boolean {
  const { prices, unpriced } = catalogPrices(refs, amount.currency, options.unitPrice);
  if (unpriced.length > 0) unchecked.push({ path, unpriced });
  return prices.some((price) => amount.amount >= price);
}

function eligibleRefs(selector: ItemSelector): ItemRef[] {
  return [...(selector.productIds ?? []).map((productId) => ({ productId })), ...(selector.variantIds ?? []).map((variantId) => ({ variantId }))];
}

/**
 * The known unit prices of `refs`, or undefined when any price is unknown (a collection's items,
 * no catalog); those the catalog has no price for are noted in `unchecked` at `path`.
 */
function knownUnitPrices(
  refs: readonly ItemRef[],
  currency: string,
  priceOf: ((ref: ItemRef) => Money | undefined) | undefined,
  unchecked: UncheckedAmount[],
  path: readonly (string | number)[],
): number[] | undefined {
  const { prices, unpriced } = catalogPrices(refs, currency, priceOf);
  if (unpriced.length > 0) unchecked.push({ path, unpriced });
  return unpriced.length === 0 && prices.length > 0 ? prices : undefined;
}

/**
 * Checks the rules a schema cannot express: order between tiers, duplicates, prices. A price check
 * the catalog in `options` lacks a price for is noted in `unchecked`.
 */
function semanticIssues(offer: Offer, options: ParseOfferOptions, unchecked: UncheckedAmount[] = []): OfferIssue[] {
  const issues: OfferIssue[] = [];
  const currencies = new Set(moneyIn(offer).map((money) => money.currency));
  if (currencies.size > 1) {
    issues.push({ path: [], message: `Use one currency (the shop's) for every amount; found ${[...currencies].join(", ")}.` });
  }
  switch (offer.type) {
    case "fixedBundle": {
      const seen = new Set<string>();
      offer.items.forEach((item, index) => {
        const key = refKey(item.ref);
        if (seen.has(key)) issues.push({ path: ["items", index, "ref"], message: "This product is already in the bundle; raise its quantity instead." });
        seen.add(key);
      });
      const units = offer.items.reduce((sum, item) => sum + item.quantity, 0);
      if (units < 2) issues.push({ path: ["items"], message: "A bundle needs at least two items." });
      if (options.unitPrice && offer.pricing.kind !== "percentage") {
        const pricing = offer.pricing;
        const money = pricing.kind === "fixedPrice" ? pricing.price : pricing.amount;
        let sum = 0;
        const unpriced: ItemRef[] = [];
        for (const item of offer.items) {
          const price = options.unitPrice(item.ref);
          if (!price || price.currency !== money.currency) unpriced.push(item.ref);
          else sum += price.amount * item.quantity;
        }
        const known = unpriced.length === 0;
        if (!known) unchecked.push({ path: ["pricing", pricing.kind === "fixedPrice" ? "price" : "amount"], unpriced });
        if (known && pricing.kind === "fixedPrice" && pricing.price.amount >= sum) {
          issues.push({ path: ["pricing", "price"], message: "The bundle price must be below the items' sum, or there is nothing to save." });
        }
        if (known && pricing.kind === "amountOff" && pricing.amount.amount >= sum) {
          issues.push({ path: ["pricing", "amount"], message: "The amount off must be below the items' sum; a bundle cannot be free." });
        }
      }
      break;
    }
    case "quantityBreaks": {
      offer.tiers.forEach((tier, index) => {
        const previous = offer.tiers[index - 1];
        if (previous && tier.minQuantity <= previous.minQuantity) {
          issues.push({ path: ["tiers", index, "minQuantity"], message: "Tier quantities must increase from one tier to the next." });
        }
      });
      checkTierValues(offer.tiers, issues);
      checkPinnedTierAmounts(offer.tiers, issues, true);
      const eligible = eligibleRefs(offer.eligible);
      offer.tiers.forEach((tier, index) => {
        if (tier.value.kind === "amountOffEach" && takesWholePrice(tier.value.amount, eligible, options, unchecked, ["tiers", index, "value"])) {
          issues.push({ path: ["tiers", index, "value"], message: "The amount off each must be below the price of every item it applies to, or it would promise more than checkout takes off." });
        }
      });
      break;
    }
    case "spendTiers": {
      offer.tiers.forEach((tier, index) => {
        const previous = offer.tiers[index - 1];
        if (previous && tier.minSubtotal.amount <= previous.minSubtotal.amount) {
          issues.push({ path: ["tiers", index, "minSubtotal"], message: "Tier thresholds must increase from one tier to the next." });
        }
        if (tier.value.kind === "amountOff" && tier.value.amount.amount >= tier.minSubtotal.amount) {
          issues.push({ path: ["tiers", index, "value"], message: "The amount off must be below the tier's threshold." });
        }
        // The same in each market with its own amounts: a converted amount could reach a pinned
        // threshold (or the other way round) depending on the exchange rate, so pin both or neither.
        if (tier.value.kind === "amountOff") {
          const thresholds = tier.minSubtotal.byCurrency ?? {};
          const amounts = tier.value.amount.byCurrency ?? {};
          for (const currency of new Set([...Object.keys(thresholds), ...Object.keys(amounts)])) {
            const threshold = thresholds[currency];
            const amount = amounts[currency];
            if (threshold === undefined || amount === undefined) {
              issues.push({ path: ["tiers", index, "value"], message: `Set both the ${currency} threshold and the ${currency} amount off of this tier, or neither: a converted amount could reach a set threshold.` });
            } else if (amount >= threshold) {
              issues.push({ path: ["tiers", index, "value"], message: `The ${currency} amount off must be below the tier's ${currency} threshold.` });
            }
          }
        }
      });
      // A market's own thresholds must be complete and increasing too; a mix of pinned and
      // converted thresholds could cross over depending on the exchange rate.
      const pinned = new Set(offer.tiers.flatMap((tier) => Object.keys(tier.minSubtotal.byCurrency ?? {})));
      for (const currency of pinned) {
        let previous = 0;
        offer.tiers.forEach((tier, index) => {
          const amount = tier.minSubtotal.byCurrency?.[currency];
          if (amount === undefined) {
            issues.push({ path: ["tiers", index, "minSubtotal", "byCurrency"], message: `Set a ${currency} threshold on every tier, or on none.` });
          } else if (amount <= previous) {
            issues.push({ path: ["tiers", index, "minSubtotal", "byCurrency", currency], message: `${currency} thresholds must increase from one tier to the next.` });
          } else previous = amount;
        });
      }
      checkTierValues(offer.tiers, issues);
      // Pinned on every tier already: a market's amount off comes with its threshold, on every tier.
      checkPinnedTierAmounts(offer.tiers, issues, false);
      break;
    }
    case "upgradeLadder": {
      const seen = new Set<string>();
      offer.steps.forEach((step, index) => {
        const key = refKey(step.ref);
        if (seen.has(key)) issues.push({ path: ["steps", index, "ref"], message: "Each step must be a different product or variant." });
        seen.add(key);
      });
      // "Upgrade" means dearer: a step at or below the one before it would be offered as an upgrade
      // that costs the buyer less (or the same), and its "pay X more" would be negative.
      let previous: Money | undefined;
      const stepPrice = options.offeredPrice ?? options.unitPrice;
      offer.steps.forEach((step, index) => {
        const price = stepPrice?.(step.ref);
        if (price && previous && price.currency === previous.currency && price.amount <= previous.amount) {
          issues.push({ path: ["steps", index, "ref"], message: "Order the steps from cheapest to dearest: this one costs no more than the step before it." });
        }
        if (price) previous = price;
      });
      // The incentive comes off every step above the first.
      const incentive = offer.incentive;
      if (incentive?.kind === "amountOffEach" && takesWholePrice(incentive.amount, offer.steps.slice(1).map((step) => step.ref), options, unchecked, ["incentive"])) {
        issues.push({ path: ["incentive"], message: "The incentive must be below the price of every step it applies to, or it would promise more than checkout takes off." });
      }
      break;
    }
    case "mixAndMatch": {
      // A set of the cheapest eligible items must still cost more than the amount off: otherwise
      // that set is free and the widget's "save X" promises more than checkout takes off.
      const pricing = offer.pricing;
      // A collection's items have no known prices here: nothing to check against.
      const collections = Boolean(offer.eligible.collectionIds?.length);
      const cheapest =
        collections || pricing.kind !== "amountOff"
          ? undefined
          : knownUnitPrices(eligibleRefs(offer.eligible), pricing.amount.currency, options.unitPrice, unchecked, ["pricing", "amount"]);
      if (cheapest && pricing.kind === "amountOff" && pricing.amount.amount >= Math.min(...cheapest) * offer.setSize) {
        issues.push({ path: ["pricing", "amount"], message: "The amount off must be below the price of a set of the cheapest items, or that set would be free and the saving promised would be more than checkout takes off." });
      }
      // A set price no set reaches would be advertised ("any 3 for £100") and never save anything.
      // Judged by each item's dearest variant: a set of those is the dearest set a buyer can make.
      const dearest =
        collections || pricing.kind !== "fixedPrice"
          ? undefined
          : knownUnitPrices(eligibleRefs(offer.eligible), pricing.price.currency, options.dearestUnitPrice, unchecked, ["pricing", "price"]);
      if (dearest && pricing.kind === "fixedPrice" && pricing.price.amount >= Math.max(...dearest) * offer.setSize) {
        issues.push({ path: ["pricing", "price"], message: "The set price must be below the price of a set of the dearest items, or no set would ever cost less." });
      }
      break;
    }
    case "buyXGetY":
      // Percentages only: a reward can never exceed what the items cost.
      break;
  }
  return issues;
}

/** Validates an offer as submitted; never throws. */
export function safeParseOffer(input: unknown, options: ParseOfferOptions = {}): ParseOfferResult {
  const parsed = offerSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((issue) => ({ path: issue.path, message: issue.message })),
    };
  }
  const offer: Offer = parsed.data;
  const issues = semanticIssues(offer, options);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, offer };
}

/**
 * The amounts of a valid offer that safeParseOffer's price checks could not judge with the catalog
 * in `options`, by the same checks: what saving lets through unchecked, for the admin to say so.
 */
export function uncheckedAmounts(offer: Offer, options: ParseOfferOptions): UncheckedAmount[] {
  const unchecked: UncheckedAmount[] = [];
  semanticIssues(offer, options, unchecked);
  return unchecked;
}

/** Validates an offer as submitted; throws an `OffersError` ("invalid-offer") listing every issue. */
export function parseOffer(input: unknown, options: ParseOfferOptions = {}): Offer {
  const result = safeParseOffer(input, options);
  if (!result.ok) {
    const summary = result.issues.map((issue) => `${issue.path.join(".") || "offer"}: ${issue.message}`).join("; ");
    throw new OffersError("invalid-offer", `Invalid offer. ${summary}`, result.issues);
  }
  return result.offer;
}
