import { formatBasisPoints, percentToBasisPoints } from "../money";
import { formatMinorForDisplay } from "../money-display";
import { canCombine } from "./best-combination";
import { lineMatchesSelector } from "./line-selection";
import { savingLabel, type ResolvedValue } from "./messages";
import { createPricingContext } from "./pricing-context";
import { prepareOffers } from "./prepare-offer";
import { priceCartWithClaims, type PriceCartOptions } from "./price-cart";
import { isOfferLive } from "./schedule";
import { resolveSetPricing } from "./set-pricing";
import { resolveSpendTiers } from "./spend-tiers";
import { resolveUnitDiscount } from "./unit-discount";
import type { PreparedOffer } from "./evaluation";
import type { CartInput, ItemSelector, PricedCart } from "./types";

export interface TierStep {
  /** Minor units of the cart currency (spend) or a number of items (quantity). */
  readonly threshold: number;
  /** "15% off", "£5.00 off", "£1.00 off each", "£2.00 each": the storefront's English wording. */
  readonly reward: string;
}

/** Where the buyer stands on a tiered offer, for a progress bar. */
export interface TierProgress {
  readonly offerId: string;
  readonly kind: "spend" | "quantity";
  /** Spend counted towards the tiers (minor units) or eligible items in the cart. */
  readonly current: number;
  readonly currency: string;
  /**
   * The tier the buyer gets now. Null unless checkout applies this offer: a tier whose threshold
   * is met can still lose to a discount it does not combine with, and the bar must not claim it.
   */
  readonly reached: TierStep | null;
  readonly next: TierStep | null;
  /** What is still needed for `next` (minor units or items); 0 when every tier is reached. */
  readonly remaining: number;
  /** current / next threshold, clamped to [0, 1]; 1 when every tier is reached. */
  readonly fraction: number;
  /**
   * What the storefront's progress bar says, in its English texts (so the admin's preview shows
   * the buyer's words): "Add £12.40 more to get 15% off", "Multibuy mugs: add 2 more to get 15%
   * off" (naming the offer, since the bar shows on every page), "You're getting 15% off" once
   * every tier is reached, or null when no tier is reached or reachable.
   */
  readonly message: string | null;
}

/** What buy X get Y gives, as the storefront's English texts word it (upshelf.progress.saving_free, saving_off). */
function getReward(quantity: number, percent: number): string {
  return percent >= 100 ? `${quantity} free` : `${quantity} at ${formatBasisPoints(percentToBasisPoints(percent))}% off`;
}

function progressOf(options: {
  offerId: string;
  kind: TierProgress["kind"];
  current: number;
  currency: string;
  steps: readonly TierStep[];
  /** "Add £12.40 more to get 15% off" for what is still needed and the next tier's saving. */
  describeNext: (remaining: number, reward: string) => string;
  applied: boolean;
  /**
   * Whether checkout would give `step` (or a higher one) once the buyer adds `remaining`; unknown:
   * assumed so. Applying the offer is not enough: with more in the cart checkout can choose
   * another combination, in which the offer counts less and gives a lower tier than the bar named.
   */
  wouldReach?: (step: TierStep, remaining: number) => boolean;
  /**
   * Whether the cart gets the step it reached whole; unknown: assumed so. An amount off is capped
   * (at a cheaper unit's price, or at what an earlier order discount left), and "You're getting
   * £5.00 off each" must not name more than checkout takes off.
   */
  reachedWhole?: (step: TierStep) => boolean;
}): TierProgress {
  const { current, steps } = options;
  const top = options.applied ? ([...steps].reverse().find((step) => current >= step.threshold) ?? null) : null;
  const reached = top && (options.reachedWhole?.(top) ?? true) ? top : null;
  // A step saving what the buyer already gets is no step (offers saved before equal tiers were refused).
  const next =
    steps.find((step) => current < step.threshold && step.reward !== reached?.reward && (options.wouldReach?.(step, step.threshold - current) ?? true)) ?? null;
  const remaining = next ? next.threshold - current : 0;
  return {
    offerId: options.offerId,
    kind: options.kind,
    current,
    currency: options.currency,
    reached,
    next,
    remaining,
    fraction: next ? Math.max(0, Math.min(1, current / next.threshold)) : 1,
    message: next ? options.describeNext(remaining, next.reward) : reached ? `You're getting ${reached.reward}` : null,
  };
}

/** Stands for what the buyer would add at full price, in no offer: no offer names it. */
const ADDED_LINE = "upshelf:added-at-full-price";

/**
 * Progress towards the next tier of every live spend-tier and quantity-break offer, towards the
 * first set of a mix-and-match offer with a percentage or amount off (counted as a quantity tier
 * of every eligible unit; a set price names no saving before the set is chosen), and towards the
 * first use of a buy X get Y whose units in the cart are all on both sides. Spend is
 * counted the way checkout counts it: the subtotal after the product discounts the buyer
 * currently gets, when this offer combines with them (otherwise the plain subtotal, which is
 * what the offer would see if chosen instead). Quantity breaks count, as checkout does, the
 * eligible units no other applied product discount (a bundle) has taken, and are left out when
 * the cart holds none of their products. "Add X more" assumes the added items are bought at
 * full price (quantity: more of the product counted). A tier is promised only if checkout would
 * then give it: one that does not combine with a bigger discount in the cart would lose to it,
 * and with more in the cart checkout may pick a combination in which the offer counts less and
 * reaches only a lower tier; the bar names the first tier checkout would give, or none. An
 * amount off is named only where checkout would take all of it: an amount off each on every unit
 * counted (a cheaper unit gets its price off), a spend tier's amount where an earlier order
 * discount leaves room for it; a tier reached but capped is not "You're getting" either.
 */
export function describeProgress(options: PriceCartOptions): TierProgress[] {
  return priceCartWithProgress(options).progress;
}

/** The priced cart and its tier progress, pricing the cart once for both (the cart endpoint needs both). */
export function priceCartWithProgress({ cart, offers, now }: PriceCartOptions): { priced: PricedCart; progress: TierProgress[] } {
  const context = createPricingContext(cart);
  const live = offers.filter((offer) => isOfferLive(offer, now));
  const { priced, claimed } = priceCartWithClaims({ cart, offers: live, now });
  const prepared = prepareOffers(live, context);
  type Priced = ReturnType<typeof priceCartWithClaims>;
  const isApplied = (result: Priced, offerId: string) => result.priced.applied.some((applied) => applied.offerId === offerId);
  const appliedAmount = (result: Priced, offerId: string) =>
    result.priced.applied.filter((applied) => applied.offerId === offerId).reduce((sum, applied) => sum + applied.amount, 0);
  /**
   * Whether `offerId` gives `value` whole in a priced cart: an amount off in full (an earlier
   * order discount can leave less), an amount off each on every unit it discounts on `lines` (a
   * cheaper unit gets its price off, not the amount). A percentage is always whole.
   */
  const givesWhole = (result: Priced, offerId: string, value: ResolvedValue | undefined, lines?: (lineId: string) => boolean): boolean => {
    if (value?.kind === "amountOff") return appliedAmount(result, offerId) >= value.value;
    if (value?.kind !== "amountOffEach") return true;
    return result.priced.applied
      .filter((applied) => applied.offerId === offerId)
      .every((applied) => applied.allocations.every((allocation) => (lines && !lines(allocation.lineId)) || allocation.amount >= value.value * allocation.quantity));
  };
  /** The cart with these lines instead, as checkout would price it (what the bar promises). */
  const priceWith = (lines: CartInput["lines"]): Priced => priceCartWithClaims({ cart: { ...cart, lines }, offers: live, now });
  /**
   * Spend counted towards `entry`'s tiers in a priced cart: the subtotal after the applied product
   * discounts when the tiers combine with them all, else the plain subtotal (what the tiers would
   * see if chosen instead of them).
   */
  const spendIn = (result: Priced, entry: PreparedOffer): number => {
    const products = prepared.filter((offer) => offer.discountClass === "product" && isApplied(result, offer.offer.id));
    const combines = products.every((product) => canCombine(product, entry));
    const productDiscount = result.priced.applied
      .filter((applied) => applied.discountClass === "product")
      .reduce((sum, applied) => sum + applied.amount, 0);
    return result.priced.subtotal - (combines ? productDiscount : 0);
  };
  /**
   * Units of each line that applied product discounts other than `offerId` have claimed: the
   * units they discount and the units they need bought (a buy-x-get-y's "buy" units), since
   * checkout lets no other product discount count either.
   */
  const takenByOthers = (result: Priced, offerId: string) => {
    const taken = new Map<string, number>();
    for (const applied of result.priced.applied) {
      if (applied.discountClass !== "product" || applied.offerId === offerId) continue;
      for (const [lineId, units] of result.claimed.get(applied.offerId) ?? []) taken.set(lineId, (taken.get(lineId) ?? 0) + units);
    }
    return taken;
  };
  /**
   * Free eligible units per counted group (all of them, or per product), with `added` more of one
   * line. A mix-and-match set counts every eligible unit together, as quantity breaks per selection.
   */
  const quantitiesIn = (
    result: Priced,
    offer: { id: string; eligible: ItemSelector; countPer?: "selection" | "product" },
    added?: { lineId: string; units: number },
  ) => {
    const taken = takenByOthers(result, offer.id);
    const counts = new Map<string, number>();
    /** A line of each counted product: "add 1 more" means one more of what is there. */
    const lineOf = new Map<string, string>();
    for (const line of context.lines) {
      if (!lineMatchesSelector(line, offer.eligible)) continue;
      const key = offer.countPer === "product" ? line.productId : "";
      const quantity = line.quantity + (added?.lineId === line.id ? added.units : 0);
      const free = Math.max(0, quantity - (taken.get(line.id) ?? 0));
      counts.set(key, (counts.get(key) ?? 0) + free);
      if (!lineOf.has(key)) lineOf.set(key, line.id);
    }
    return { counts, lineOf };
  };
  const inCart = { priced, claimed };

  /**
   * Progress towards the one step of a deal counted over every eligible unit (a mix-and-match's
   * first set, a buy X get Y's first use): "add N more" of the first eligible line, promised only
   * if checkout would then apply the offer and `gives` holds. Once reached the bar says nothing
   * more of it ("You're getting 1 free" would understate two, and units left over from a set get
   * nothing): `applied` is false. Null when the cart holds nothing the offer counts.
   */
  const firstStepProgress = (
    offer: { id: string; title: string; eligible: ItemSelector },
    step: TierStep,
    gives: (after: Priced) => boolean,
  ): TierProgress | null => {
    const { counts, lineOf } = quantitiesIn(inCart, offer);
    if (counts.size === 0) return null;
    const lineId = lineOf.get("") ?? "";
    return progressOf({
      offerId: offer.id,
      kind: "quantity",
      current: counts.get("") ?? 0,
      currency: context.currency,
      steps: [step],
      describeNext: (remaining, reward) => `${offer.title}: add ${remaining} more to get ${reward}`,
      applied: false,
      wouldReach: (target, remaining) => {
        const after = priceWith(cart.lines.map((line) => (line.id === lineId ? { ...line, quantity: line.quantity + remaining } : line)));
        return isApplied(after, offer.id) && gives(after) && (quantitiesIn(after, offer, { lineId, units: remaining }).counts.get("") ?? 0) >= target.threshold;
      },
    });
  };

  const result: TierProgress[] = [];
  for (const entry of prepared) {
    const offer = entry.offer;
    if (offer.type === "spendTiers") {
      const tiers = resolveSpendTiers(offer, context);
      if (!tiers) continue;
      const valueAt = (step: TierStep) => tiers.find((tier) => tier.minSubtotal === step.threshold)?.value;
      result.push(
        progressOf({
          offerId: offer.id,
          kind: "spend",
          current: spendIn(inCart, entry),
          currency: context.currency,
          steps: tiers.map((tier) => ({ threshold: tier.minSubtotal, reward: savingLabel(tier.value, context.currency, formatMinorForDisplay) })),
          describeNext: (remaining, reward) => `Add ${formatMinorForDisplay(remaining, context.currency)} more to get ${reward}`,
          applied: isApplied(inCart, offer.id),
          wouldReach: (step, remaining) => {
            const added = { id: ADDED_LINE, variantId: ADDED_LINE, productId: ADDED_LINE, collectionIds: [], quantity: 1, unitPrice: remaining };
            const after = priceWith([...cart.lines, added]);
            return isApplied(after, offer.id) && spendIn(after, entry) >= step.threshold && givesWhole(after, offer.id, valueAt(step));
          },
          reachedWhole: (step) => givesWhole(inCart, offer.id, valueAt(step)),
        }),
      );
    } else if (offer.type === "quantityBreaks") {
      const values: ResolvedValue[] = [];
      for (const tier of offer.tiers) {
        const value = resolveUnitDiscount(tier.value, context);
        if (value) values.push(value);
      }
      if (values.length !== offer.tiers.length) continue;
      // Per-product counting: report the product closest to its next tier (the one with most units).
      const { counts, lineOf } = quantitiesIn(inCart, offer);
      // Nothing of the offer in the cart: "add 2 more" would not say what to add.
      if (counts.size === 0) continue;
      const count = Math.max(0, ...counts.values());
      const counted = [...counts].find(([, units]) => units === count)?.[0] ?? "";
      const lineId = lineOf.get(counted) ?? "";
      const valueAt = (step: TierStep) => values[offer.tiers.findIndex((tier) => tier.minQuantity === step.threshold)];
      // The lines counted with the reported one: its product's, or every eligible line.
      const inGroup = (id: string) => context.lines.some((line) => line.id === id && (offer.countPer !== "product" || line.productId === counted));
      result.push(
        progressOf({
          offerId: offer.id,
          kind: "quantity",
          current: count,
          currency: context.currency,
          steps: offer.tiers.map((tier, index) => ({
            threshold: tier.minQuantity,
            reward: savingLabel(values[index] as ResolvedValue, context.currency, formatMinorForDisplay),
          })),
          describeNext: (remaining, reward) => `${offer.title}: add ${remaining} more to get ${reward}`,
          applied: isApplied(inCart, offer.id),
          wouldReach: (step, remaining) => {
            const after = priceWith(cart.lines.map((line) => (line.id === lineId ? { ...line, quantity: line.quantity + remaining } : line)));
            return (
              isApplied(after, offer.id) &&
              (quantitiesIn(after, offer, { lineId, units: remaining }).counts.get(counted) ?? 0) >= step.threshold &&
              givesWhole(after, offer.id, valueAt(step), inGroup)
            );
          },
          reachedWhole: (step) => givesWhole(inCart, offer.id, valueAt(step), inGroup),
        }),
      );
    } else if (offer.type === "buyXGetY") {
      // Towards the first use, when every unit of the cart that counts is on both sides (buy 2
      // mugs, get a mug free): "add 1 more" then says what to add. With a side apart (buy mugs, get
      // a tea), what is missing may be the other side's item, which "add N more" cannot name.
      if (context.lines.some((line) => lineMatchesSelector(line, offer.buy.items) !== lineMatchesSelector(line, offer.get.items))) continue;
      const step = { threshold: offer.buy.quantity + offer.get.quantity, reward: getReward(offer.get.quantity, offer.get.percent) };
      const progress = firstStepProgress({ id: offer.id, title: offer.title, eligible: offer.buy.items }, step, () => true);
      if (progress) result.push(progress);
    } else if (offer.type === "mixAndMatch" && offer.pricing.kind !== "fixedPrice") {
      // Towards the first set: "Party pieces: add 2 more to get 12.5% off". A set price has no
      // saving the bar can name before the set is chosen, so it gets no bar.
      const value = resolveSetPricing(offer.pricing, context);
      if (!value) continue;
      const step = { threshold: offer.setSize, reward: savingLabel(value, context.currency, formatMinorForDisplay) };
      // An amount off is capped at the set's total: "£5.00 off" is promised only if the set gives it whole.
      const progress = firstStepProgress(offer, step, (after) => givesWhole(after, offer.id, value));
      if (progress) result.push(progress);
    }
  }
  return { priced, progress: result };
}
