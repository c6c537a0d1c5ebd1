import { percentToBasisPoints } from "../money";
import {
  COMBINES_ORDER,
  COMBINES_PRODUCT,
  COMBINES_SHIPPING,
  compactId,
  FUNCTION_CONFIGURATION_MAX_BYTES,
  FUNCTION_CONFIGURATION_VERSION,
  PRODUCT_GID_PREFIX,
  SCHEDULE_SLOTS,
  slotName,
  UNUSED_SLOT,
  utf8ByteLength,
  VARIANT_GID_PREFIX,
} from "./function-configuration-format";
import { compareByPrecedence } from "./prepare-offer";
import { toEpochMilliseconds, type Now } from "./schedule";
import { toShopLocalDateTime } from "../shop-local-time";
import {
  discountClassOf,
  type CombinesWith,
  type ConfigMoney,
  type ItemRef,
  type ItemSelector,
  type Offer,
  type OrderDiscountValue,
  type SetPricing,
  type UnitDiscount,
} from "./types";

export type OmissionReason =
  /** Paused or draft. */
  | "inactive"
  /** Its schedule is over. */
  | "ended"
  /** An upgrade ladder without incentive: nothing for checkout to do. */
  | "no-checkout-discount"
  /** Its amounts are not in the shop currency. */
  | "currency-mismatch"
  /** More schedule boundaries ahead than the function's clock can be asked about. */
  | "schedule-slots"
  /** Left out, lowest precedence first, to keep the metafield under Shopify's size limit. */
  | "size-limit";

export interface OmittedOffer {
  readonly offerId: string;
  readonly reason: OmissionReason;
  readonly message: string;
}

export interface EncodedFunctionConfiguration {
  /** The metafield value (type json). */
  readonly value: string;
  readonly byteLength: number;
  /** Offers checkout will price, in precedence order. */
  readonly includedOfferIds: readonly string[];
  /** Offers left out, with the reason; "size-limit" and "schedule-slots" ones need the merchant's attention. */
  readonly omitted: readonly OmittedOffer[];
  /**
   * Settings for the automatic discount that carries this metafield: the classes its offers
   * need, and a `combinesWith` that lets it combine with other discounts only where every
   * included offer allows it.
   */
  readonly discount: {
    readonly discountClasses: readonly ("PRODUCT" | "ORDER")[];
    readonly combinesWith: CombinesWith;
  };
  /**
   * Included offers that allow combining with a kind of discount the one discount does not (some
   * other included offer does not allow it), with the offers that hold it back: the merchant's
   * setting is not honoured and must be told so.
   */
  readonly combiningHeldBack: readonly { readonly offerId: string; readonly kind: keyof CombinesWith; readonly heldBackBy: readonly string[] }[];
}

export interface EncodeOptions {
  /** Encoding time: offers already over are left out and boundaries already past need no slot. */
  readonly now: Now;
  /** The shop's IANA time zone (Shopify's `ianaTimezone`); the function's clock is in shop time. */
  readonly shopTimeZone?: string;
  /** The shop currency every amount is in. Defaults to the currency of the first amount found. */
  readonly shopCurrency?: string;
  readonly maxBytes?: number;
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/**
 * The currencies other than the shop's that an offer's amounts are in: an offer saved before the
 * shop changed its currency. Checkout cannot apply it until its amounts are entered again.
 */
export function foreignCurrencies(offer: Offer, shopCurrency: string): string[] {
  return [...new Set(moneyCurrencies(offer).filter((code) => code !== shopCurrency))];
}

function moneyCurrencies(offer: Offer): string[] {
  const found: string[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === "object") {
      const record = value as Record<string, unknown>;
      if (typeof record.amount === "number" && typeof record.currency === "string") found.push(record.currency);
      else Object.values(record).forEach(visit);
    }
  };
  visit(offer);
  return found;
}

class Encoder {
  readonly collectionIds: string[] = [];

  money(money: ConfigMoney): Json {
    const pinned = money.byCurrency ?? {};
    const keys = Object.keys(pinned).sort();
    if (keys.length === 0) return money.amount;
    const byCurrency: Record<string, Json> = {};
    for (const key of keys) byCurrency[key] = pinned[key] ?? 0;
    return [money.amount, byCurrency];
  }

  value(value: SetPricing | UnitDiscount | OrderDiscountValue): Json {
    switch (value.kind) {
      case "percentage":
        return ["%", percentToBasisPoints(value.percent)];
      case "amountOff":
        return ["-", this.money(value.amount)];
      case "fixedPrice":
        return ["=", this.money(value.price)];
      case "amountOffEach":
        return ["e", this.money(value.amount)];
    }
  }

  ref(ref: ItemRef): Json {
    return "variantId" in ref
      ? ["v", compactId(ref.variantId, VARIANT_GID_PREFIX)]
      : ["p", compactId(ref.productId, PRODUCT_GID_PREFIX)];
  }

  selector(selector: ItemSelector): Json {
    const encoded: Record<string, Json> = {};
    if (selector.productIds?.length) encoded.p = selector.productIds.map((id) => compactId(id, PRODUCT_GID_PREFIX));
    if (selector.variantIds?.length) encoded.v = selector.variantIds.map((id) => compactId(id, VARIANT_GID_PREFIX));
    if (selector.collectionIds?.length) {
      encoded.c = selector.collectionIds.map((id) => {
        let index = this.collectionIds.indexOf(id);
        if (index < 0) index = this.collectionIds.push(id) - 1;
        return index;
      });
    }
    return encoded;
  }

  offer(offer: Offer, window: [number, number] | null): Json {
    const bits =
      (offer.combinesWith.productDiscounts ? COMBINES_PRODUCT : 0) |
      (offer.combinesWith.orderDiscounts ? COMBINES_ORDER : 0) |
      (offer.combinesWith.shippingDiscounts ? COMBINES_SHIPPING : 0);
    const head: Record<string, Json> = { i: offer.id, p: offer.priority, c: bits };
    if (window) head.w = window;
    const max = (value: number | null): Record<string, Json> => (value === null ? {} : { m: value });
    switch (offer.type) {
      case "fixedBundle":
        return {
          k: "fb",
          ...head,
          it: offer.items.map((item) => [...(this.ref(item.ref) as Json[]), item.quantity]),
          v: this.value(offer.pricing),
          ...max(offer.maxSetsPerOrder),
        };
      case "mixAndMatch":
        return { k: "mm", ...head, s: this.selector(offer.eligible), n: offer.setSize, v: this.value(offer.pricing), ...max(offer.maxSetsPerOrder) };
      case "buyXGetY":
        return {
          k: "bx",
          ...head,
          b: this.selector(offer.buy.items),
          x: offer.buy.quantity,
          g: this.selector(offer.get.items),
          y: offer.get.quantity,
          d: percentToBasisPoints(offer.get.percent),
          ...max(offer.maxUsesPerOrder),
        };
      case "quantityBreaks":
        return {
          k: "qb",
          ...head,
          s: this.selector(offer.eligible),
          e: offer.countPer === "product" ? 1 : 0,
          r: offer.tiers.map((tier) => [tier.minQuantity, this.value(tier.value)]),
        };
      case "spendTiers":
        return { k: "st", ...head, r: offer.tiers.map((tier) => [this.money(tier.minSubtotal), this.value(tier.value)]) };
      case "upgradeLadder":
        return { k: "ul", ...head, s: offer.steps.map((step) => this.ref(step.ref)), v: offer.incentive ? this.value(offer.incentive) : null };
    }
  }
}

/** The last date-time with a four-digit year: DateTimeWithoutTimezone has no room for more. */
const LAST_LOCAL_DATE_TIME = "9999-12-31T23:59:59";

/**
 * A boundary in shop-local time for Shopify's clock. Validation takes instants up to the end of
 * year 9999 in UTC, which east of UTC is already year 10000 locally ("10000-01-01T08:59:59" in
 * Tokyo): no date-time Shopify reads, and an input query it cannot run gives no discount at all.
 * Such a boundary is written as the last second of 9999, hours from the instant and millennia
 * from any checkout.
 */
function localBoundary(boundary: number, timeZone: string): string {
  const local = toShopLocalDateTime(boundary, timeZone);
  return local.length > LAST_LOCAL_DATE_TIME.length ? LAST_LOCAL_DATE_TIME : local;
}

function build(
  offers: readonly Offer[],
  options: { now: number; timeZone: string; currency: string },
): { value: string; included: Offer[]; slotOmitted: Offer[] } {
  const slots: number[] = [];
  const included: Offer[] = [];
  const slotOmitted: Offer[] = [];
  const windows: ([number, number] | null)[] = [];
  for (const offer of offers) {
    // Boundaries already past need no question to the clock.
    const start = offer.schedule.startsAt !== null && offer.schedule.startsAt > options.now ? offer.schedule.startsAt : null;
    const end = offer.schedule.endsAt;
    const needed = [start, end].filter((boundary): boundary is number => boundary !== null && !slots.includes(boundary));
    if (slots.length + new Set(needed).size > SCHEDULE_SLOTS) {
      slotOmitted.push(offer);
      continue;
    }
    for (const boundary of needed) if (!slots.includes(boundary)) slots.push(boundary);
    included.push(offer);
    windows.push(start === null && end === null ? null : [start === null ? -1 : slots.indexOf(start), end === null ? -1 : slots.indexOf(end)]);
  }
  // Admitted in the caller's order, written in the engine's precedence order: the configuration
  // (and its hash) then changes only when which offers are in it does.
  const windowOf = new Map(included.map((offer, index) => [offer.id, windows[index] ?? null]));
  const ordered = [...included].sort(compareByPrecedence);
  const encoder = new Encoder();
  const encodedOffers = ordered.map((offer) => encoder.offer(offer, windowOf.get(offer.id) ?? null));
  const document: Record<string, Json> = {
    v: FUNCTION_CONFIGURATION_VERSION,
    c: options.currency,
    collectionIds: encoder.collectionIds,
  };
  for (let slot = 0; slot < SCHEDULE_SLOTS; slot += 1) {
    const boundary = slots[slot];
    document[slotName(slot)] = boundary === undefined ? UNUSED_SLOT : localBoundary(boundary, options.timeZone);
  }
  document.o = encodedOffers;
  return { value: JSON.stringify(document), included: ordered, slotOmitted };
}

/**
 * Encodes the shop's offers for the checkout function, all in one automatic discount so the
 * function can choose the best combination across them (several discounts would be combined by
 * Shopify's rules instead, and checkout could then differ from the widget).
 *
 * When the offers do not fit in Shopify's 10,000-byte metafield, they are taken by priority while
 * they fit, and among offers of equal priority in the order `offers` lists them; each one left out
 * is reported as "size-limit" so the admin can tell the merchant which offers checkout will not
 * honour. Schedule slots are handed out in the same order. Callers list offers oldest first
 * (`listActiveOffers`), so a new offer never pushes an older live one of the same priority out
 * of checkout; with the offer id as the tie-break, as before, which offers stayed depended on
 * random ids (docs/decisions/0006, addendum of 2026-12-08).
 * Storefront surfaces must price with `includedOfferIds` only, so nothing is promised that
 * checkout would not give.
 */
export function encodeFunctionConfiguration(offers: readonly Offer[], options: EncodeOptions): EncodedFunctionConfiguration {
  const now = toEpochMilliseconds(options.now);
  const timeZone = options.shopTimeZone ?? "UTC";
  const maxBytes = options.maxBytes ?? FUNCTION_CONFIGURATION_MAX_BYTES;
  const omitted: OmittedOffer[] = [];
  const currency = options.shopCurrency ?? offers.flatMap(moneyCurrencies)[0] ?? "USD";

  const candidates: Offer[] = [];
  for (const offer of [...offers].sort(compareByPrecedence)) {
    const foreign = foreignCurrencies(offer, currency);
    if (offer.status !== "active") {
      omitted.push({ offerId: offer.id, reason: "inactive", message: "Paused or draft offers are not sent to checkout." });
    } else if (offer.schedule.endsAt !== null && offer.schedule.endsAt <= now) {
      omitted.push({ offerId: offer.id, reason: "ended", message: "The offer's schedule is over." });
    } else if (offer.type === "upgradeLadder" && !offer.incentive) {
      omitted.push({ offerId: offer.id, reason: "no-checkout-discount", message: "An upgrade ladder without incentive needs no checkout discount." });
    } else if (foreign.length > 0) {
      omitted.push({
        offerId: offer.id,
        reason: "currency-mismatch",
        message: `its amounts are in ${foreign.join(", ")}, not the shop's currency (${currency}), so checkout does not apply it; enter its amounts again in ${currency}.`,
      });
    } else {
      candidates.push(offer);
    }
  }

  // Admission order: priority, then the order the caller lists them in (oldest first).
  const listed = new Map(offers.map((offer, index) => [offer, index]));
  candidates.sort((a, b) => b.priority - a.priority || (listed.get(a) ?? 0) - (listed.get(b) ?? 0));
  // Offers go in by that order while they fit; one that does not fit is left out and the next
  // is tried, so one oversized offer cannot take every offer after it out of checkout. The longest
  // fitting prefix is found by halving (storefront requests encode too), then each later offer is
  // tried once.
  const buildOf = (offers: readonly Offer[]) => build(offers, { now, timeZone, currency });
  const fits = (trial: ReturnType<typeof build>) => utf8ByteLength(trial.value) <= maxBytes;
  let built = buildOf(candidates);
  const sizeOmitted: { offer: Offer; alone: boolean }[] = [];
  if (!fits(built)) {
    let [low, high] = [0, candidates.length - 1];
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (fits(buildOf(candidates.slice(0, middle)))) low = middle;
      else high = middle - 1;
    }
    const kept = candidates.slice(0, low);
    built = buildOf(kept);
    for (const offer of candidates.slice(low)) {
      const trial = buildOf([...kept, offer]);
      if (fits(trial)) {
        kept.push(offer);
        built = trial;
      } else {
        sizeOmitted.push({ offer, alone: !fits(buildOf([offer])) });
      }
    }
  }
  for (const offer of built.slotOmitted) {
    omitted.push({
      offerId: offer.id,
      reason: "schedule-slots",
      message: `checkout can follow ${SCHEDULE_SLOTS} upcoming schedule changes at a time, so this offer is not applied yet; it joins by itself once earlier changes have passed.`,
    });
  }
  for (const { offer, alone } of sizeOmitted) {
    omitted.push({
      offerId: offer.id,
      reason: "size-limit",
      message: alone
        ? `this offer alone is larger than Shopify's ${maxBytes}-byte limit for a discount's configuration, so it is not applied at checkout; make it name fewer products or variants.`
        : `the shop's offers exceed Shopify's ${maxBytes}-byte limit for a discount's configuration; this offer does not fit beside those of higher priority and older ones of the same priority, so it is not applied at checkout. To apply it, raise its priority above theirs, or pause offers you need less (or make them name fewer products).`,
    });
  }

  const classes = new Set(built.included.map(discountClassOf));
  const every = (key: keyof CombinesWith): boolean =>
    built.included.length > 0 && built.included.every((offer) => offer.combinesWith[key]);
  const kinds = ["productDiscounts", "orderDiscounts", "shippingDiscounts"] as const;
  const combiningHeldBack = kinds.flatMap((kind) => {
    const heldBackBy = built.included.filter((offer) => !offer.combinesWith[kind]).map((offer) => offer.id);
    if (heldBackBy.length === 0) return [];
    return built.included.filter((offer) => offer.combinesWith[kind]).map((offer) => ({ offerId: offer.id, kind, heldBackBy }));
  });
  return {
    value: built.value,
    byteLength: utf8ByteLength(built.value),
    includedOfferIds: built.included.map((offer) => offer.id),
    omitted,
    discount: {
      discountClasses: (["product", "order"] as const).filter((name) => classes.has(name)).map((name) => (name === "product" ? "PRODUCT" : "ORDER")),
      combinesWith: {
        productDiscounts: every("productDiscounts"),
        orderDiscounts: every("orderDiscounts"),
        shippingDiscounts: every("shippingDiscounts"),
      },
    },
    combiningHeldBack,
  };
}
