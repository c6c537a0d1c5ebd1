/**
 * The offer form's state ("draft") and its translation to and from the engine's offer input.
 * The draft keeps exactly what the merchant typed (amounts as decimal text in the shop currency),
 * so a refused save shows the same text with the problem next to the right field. Pure: the
 * browser uses it for the live preview, the server for saving, and both agree.
 */
import { z } from "zod";
import { formatMinorAsDecimal, parseDecimalToMinor } from "~/core/money";
import { safeParseOffer, type Offer, type OfferIssue, type OfferType, type OfferStatus, type CombinesWith, type ParseOfferOptions } from "~/core/offers";

const PRODUCT_GID = /^gid:\/\/shopify\/Product\/\d{1,20}$/;
const VARIANT_GID = /^gid:\/\/shopify\/ProductVariant\/\d{1,20}$/;

/** A product (all its variants) or one variant, as the pickers return it. */
export interface PickedItem {
  readonly kind: "product" | "variant";
  /** The GID the offer stores: the product's or the variant's. */
  readonly id: string;
  readonly productId: string;
  /** The variant the preview prices: the chosen one, or the product's first. */
  readonly variantId: string | null;
  readonly title: string;
  /** Minor units of the shop currency; null when the catalog does not know the item. */
  readonly price: number | null;
  /**
   * The cheapest of its variants' prices (a variant's own price for a variant), what the engine's
   * "does the buyer save" checks read, so a bundle saves something whichever variant is bought.
   * Null when any variant's price is unknown or in another currency.
   */
  readonly lowestPrice: number | null;
  /** The dearest of its variants' prices, likewise; absent or null when not known. */
  readonly highestPrice?: number | null;
}

/** Every price, when all of them are known; null when there are none or any is unknown. */
function allKnown(prices: readonly (number | null)[]): number[] | null {
  return prices.length === 0 || prices.some((price) => price === null) ? null : (prices as number[]);
}

/** A product's lowest price from all its variants' prices; null when there are none or any is unknown. */
export function cheapestPrice(prices: readonly (number | null)[]): number | null {
  const known = allKnown(prices);
  return known && Math.min(...known);
}

/** A product's highest price from all its variants' prices, likewise. */
export function dearestPrice(prices: readonly (number | null)[]): number | null {
  const known = allKnown(prices);
  return known && Math.max(...known);
}

export type PricingKind = "percentage" | "amountOff" | "fixedPrice";
export type TierValueKind = "percentage" | "amountOffEach" | "amountOff";
export type IncentiveKind = "none" | "percentage" | "amountOffEach";

export interface OfferDraft {
  type: OfferType;
  title: string;
  status: OfferStatus;
  /** ISO 8601 instants (the form shows them in the browser's time zone), or "". */
  startsAt: string;
  endsAt: string;
  priority: string;
  combinesWith: CombinesWith;
  /** fixedBundle */
  items: { item: PickedItem; quantity: string }[];
  /** mixAndMatch, quantityBreaks */
  eligible: PickedItem[];
  setSize: string;
  /** buyXGetY */
  buyItems: PickedItem[];
  buyQuantity: string;
  getItems: PickedItem[];
  getQuantity: string;
  getPercent: string;
  /** fixedBundle, mixAndMatch */
  pricingKind: PricingKind;
  pricingValue: string;
  /** maxSetsPerOrder / maxUsesPerOrder; "" for no limit. */
  maxPerOrder: string;
  /** quantityBreaks */
  countPer: "selection" | "product";
  /** quantityBreaks (threshold = items) and spendTiers (threshold = amount) */
  tierKind: TierValueKind;
  tiers: { threshold: string; value: string }[];
  /** upgradeLadder */
  steps: { item: PickedItem; label: string }[];
  incentiveKind: IncentiveKind;
  incentiveValue: string;
}

export type DraftErrors = Record<string, string>;

export function emptyDraft(type: OfferType): OfferDraft {
  const tiered = type === "quantityBreaks" || type === "spendTiers";
  return {
    type,
    title: "",
    status: "draft",
    startsAt: "",
    endsAt: "",
    priority: "0",
    combinesWith: { productDiscounts: false, orderDiscounts: false, shippingDiscounts: false },
    items: [],
    eligible: [],
    setSize: "3",
    buyItems: [],
    buyQuantity: "1",
    getItems: [],
    getQuantity: "1",
    getPercent: "100",
    pricingKind: "percentage",
    pricingValue: "10",
    maxPerOrder: "",
    countPer: "selection",
    tierKind: "percentage",
    tiers: tiered
      ? type === "quantityBreaks"
        ? [
            { threshold: "2", value: "10" },
            { threshold: "3", value: "15" },
          ]
        : [
            { threshold: "100.00", value: "10" },
            { threshold: "250.00", value: "15" },
          ]
      : [],
    steps: [],
    incentiveKind: "none",
    incentiveValue: "",
  };
}

// ---------------------------------------------------------------------------------------------
// Validation of the submitted draft's shape (the server never trusts the browser's JSON).
// ---------------------------------------------------------------------------------------------

const text = (max: number) => z.string().max(max);

/** The longest draft (JSON) the editor may send: far above any real offer's, and bounds what saving reads. */
export const MAX_OFFER_DRAFT_CHARS = 500_000;

/**
 * How many of its saves that got no answer an editor sends with its next save (the newest): each
 * may have landed, and the server lets the next save over the offer only when the offer's last
 * write was one of them (docs/decisions/0013, "A lost answer, then more edits"). Bounded on both
 * sides; a form that lost more answers than this in a row is refused as changed, as before.
 */
export const MAX_UNANSWERED_SAVES = 20;

export const pickedItemSchema = z
  .object({
    kind: z.enum(["product", "variant"]),
    id: z.string(),
    // Empty for a variant the catalog no longer has (its product unknown): the offer still saves,
    // so the merchant can pause it or remove the item, as with a product no longer in the catalog.
    productId: z.string().regex(PRODUCT_GID, "Not a Shopify product id.").or(z.literal("")),
    variantId: z.string().regex(VARIANT_GID).nullable(),
    title: text(500),
    price: z.number().int().nonnegative().nullable(),
    lowestPrice: z.number().int().nonnegative().nullable(),
    highestPrice: z.number().int().nonnegative().nullable().optional(),
  })
  .refine((item) => (item.kind === "product" ? item.id === item.productId : VARIANT_GID.test(item.id)), "Unknown product id.")
  .refine((item) => item.kind === "variant" || item.productId !== "", "Unknown product id.");

/** Said instead of a bad id's "Invalid" when the item is a product known only from a products CSV. */
export function notInShopifyMessage(title: string): string {
  return `“${title}” is not in Shopify yet (it was imported from a CSV file), so checkout could not discount it. Remove it from this offer.`;
}

const items = z.array(pickedItemSchema).max(250);

export const offerDraftSchema = z.object({
  type: z.enum(["fixedBundle", "mixAndMatch", "buyXGetY", "quantityBreaks", "spendTiers", "upgradeLadder"]),
  title: text(1000),
  status: z.enum(["active", "paused", "draft"]),
  startsAt: text(40),
  endsAt: text(40),
  priority: text(20),
  combinesWith: z.object({ productDiscounts: z.boolean(), orderDiscounts: z.boolean(), shippingDiscounts: z.boolean() }),
  // Form caps are looser than the offer's own (20 items, 5 steps), so that going past those gets
  // the offer's sentence on the field instead of "some values could not be read".
  items: z.array(z.object({ item: pickedItemSchema, quantity: text(20) })).max(100),
  eligible: items,
  setSize: text(20),
  buyItems: items,
  buyQuantity: text(20),
  getItems: items,
  getQuantity: text(20),
  getPercent: text(20),
  pricingKind: z.enum(["percentage", "amountOff", "fixedPrice"]),
  pricingValue: text(40),
  maxPerOrder: text(20),
  countPer: z.enum(["selection", "product"]),
  tierKind: z.enum(["percentage", "amountOffEach", "amountOff"]),
  tiers: z.array(z.object({ threshold: text(40), value: text(40) })).max(10),
  steps: z.array(z.object({ item: pickedItemSchema, label: text(200) })).max(50),
  incentiveKind: z.enum(["none", "percentage", "amountOffEach"]),
  incentiveValue: text(40),
}) satisfies z.ZodType<OfferDraft>;

// ---------------------------------------------------------------------------------------------
// Draft -> offer input
// ---------------------------------------------------------------------------------------------

export interface DraftConversion {
  /** What the engine's parser gets; present even with errors so the other fields still validate. */
  readonly input: Record<string, unknown>;
  /** Problems found reading the typed text (amounts, whole numbers), by draft field. */
  readonly errors: DraftErrors;
}

class Reader {
  readonly errors: DraftErrors = {};
  constructor(readonly currency: string) {}

  wholeNumber(field: string, value: string, label = "a whole number"): number | undefined {
    const trimmed = value.trim();
    if (!/^-?\d{1,9}$/.test(trimmed)) {
      this.errors[field] ??= `Enter ${label}, such as 3.`;
      return undefined;
    }
    return Number(trimmed);
  }

  optionalWholeNumber(field: string, value: string): number | null | undefined {
    return value.trim() === "" ? null : this.wholeNumber(field, value);
  }

  percent(field: string, value: string): number | undefined {
    const trimmed = value.trim().replace(/%$/, "");
    if (!/^\d{1,3}(\.\d{1,2})?$/.test(trimmed)) {
      this.errors[field] ??= "Enter a percentage such as 10 or 12.5 (at most two decimals).";
      return undefined;
    }
    return Number(trimmed);
  }

  money(field: string, value: string): { amount: number; currency: string } | undefined {
    try {
      return { amount: parseDecimalToMinor(value.trim(), this.currency), currency: this.currency };
    } catch {
      this.errors[field] ??= `Enter an amount in ${this.currency}, such as ${formatMinorAsDecimal(1250, this.currency)}.`;
      return undefined;
    }
  }

  instant(field: string, value: string): string | null {
    if (value.trim() === "") return null;
    if (Number.isNaN(Date.parse(value))) {
      this.errors[field] ??= "Enter a date and time.";
      return null;
    }
    return new Date(value).toISOString();
  }
}

function refOf(item: PickedItem): { productId: string } | { variantId: string } {
  return item.kind === "product" ? { productId: item.id } : { variantId: item.id };
}

function selectorOf(picked: readonly PickedItem[]): { productIds?: string[]; variantIds?: string[] } {
  const productIds = picked.filter((item) => item.kind === "product").map((item) => item.id);
  const variantIds = picked.filter((item) => item.kind === "variant").map((item) => item.id);
  return { ...(productIds.length ? { productIds } : {}), ...(variantIds.length ? { variantIds } : {}) };
}

function setPricing(reader: Reader, draft: OfferDraft): unknown {
  switch (draft.pricingKind) {
    case "percentage":
      return { kind: "percentage", percent: reader.percent("pricing", draft.pricingValue) };
    case "amountOff":
      return { kind: "amountOff", amount: reader.money("pricing", draft.pricingValue) };
    case "fixedPrice":
      return { kind: "fixedPrice", price: reader.money("pricing", draft.pricingValue) };
  }
}

export function draftToOfferInput(draft: OfferDraft, currency: string): DraftConversion {
  const reader = new Reader(currency);
  const common = {
    type: draft.type,
    title: draft.title,
    status: draft.status,
    priority: reader.wholeNumber("priority", draft.priority),
    schedule: { startsAt: reader.instant("startsAt", draft.startsAt), endsAt: reader.instant("endsAt", draft.endsAt) },
    combinesWith: draft.combinesWith,
  };
  let specific: Record<string, unknown>;
  switch (draft.type) {
    case "fixedBundle":
      specific = {
        items: draft.items.map((row, index) => ({
          ref: refOf(row.item),
          quantity: reader.wholeNumber(`items.${index}.quantity`, row.quantity, "a quantity"),
        })),
        pricing: setPricing(reader, draft),
        maxSetsPerOrder: reader.optionalWholeNumber("maxPerOrder", draft.maxPerOrder),
      };
      break;
    case "mixAndMatch":
      specific = {
        eligible: selectorOf(draft.eligible),
        setSize: reader.wholeNumber("setSize", draft.setSize),
        pricing: setPricing(reader, draft),
        maxSetsPerOrder: reader.optionalWholeNumber("maxPerOrder", draft.maxPerOrder),
      };
      break;
    case "buyXGetY":
      specific = {
        buy: { items: selectorOf(draft.buyItems), quantity: reader.wholeNumber("buy.quantity", draft.buyQuantity, "a quantity") },
        get: {
          items: selectorOf(draft.getItems),
          quantity: reader.wholeNumber("get.quantity", draft.getQuantity, "a quantity"),
          percent: reader.percent("get.percent", draft.getPercent),
        },
        maxUsesPerOrder: reader.optionalWholeNumber("maxPerOrder", draft.maxPerOrder),
      };
      break;
    case "quantityBreaks": {
      const kind = draft.tierKind === "amountOffEach" ? "amountOffEach" : "percentage";
      specific = {
        eligible: selectorOf(draft.eligible),
        countPer: draft.countPer,
        tiers: draft.tiers.map((tier, index) => ({
          minQuantity: reader.wholeNumber(`tiers.${index}.threshold`, tier.threshold, "a quantity"),
          value:
            kind === "percentage"
              ? { kind, percent: reader.percent(`tiers.${index}.value`, tier.value) }
              : { kind, amount: reader.money(`tiers.${index}.value`, tier.value) },
        })),
      };
      break;
    }
    case "spendTiers": {
      const kind = draft.tierKind === "amountOff" ? "amountOff" : "percentage";
      specific = {
        tiers: draft.tiers.map((tier, index) => ({
          minSubtotal: reader.money(`tiers.${index}.threshold`, tier.threshold),
          value:
            kind === "percentage"
              ? { kind, percent: reader.percent(`tiers.${index}.value`, tier.value) }
              : { kind, amount: reader.money(`tiers.${index}.value`, tier.value) },
        })),
      };
      break;
    }
    case "upgradeLadder":
      specific = {
        steps: draft.steps.map((step) => ({ ref: refOf(step.item), ...(step.label.trim() ? { label: step.label.trim() } : {}) })),
        incentive:
          draft.incentiveKind === "none"
            ? null
            : draft.incentiveKind === "percentage"
              ? { kind: "percentage", percent: reader.percent("incentive", draft.incentiveValue) }
              : { kind: "amountOffEach", amount: reader.money("incentive", draft.incentiveValue) },
      };
      break;
  }
  return { input: { ...common, ...specific }, errors: reader.errors };
}

// ---------------------------------------------------------------------------------------------
// Engine issues -> draft fields
// ---------------------------------------------------------------------------------------------

/**
 * The form field an engine issue belongs to, e.g. ["tiers", 1, "value", "percent"] ->
 * "tiers.1.value". Anything without a field of its own is shown at the top of the form ("_").
 */
export function draftFieldOf(path: readonly (string | number)[]): string {
  const [head, second, third] = path;
  switch (head) {
    case "title":
    case "status":
    case "priority":
    case "combinesWith":
    case "setSize":
    case "countPer":
      return head;
    case "schedule":
      return second === "startsAt" ? "startsAt" : "endsAt";
    case "pricing":
      return "pricing";
    case "incentive":
      return "incentive";
    case "maxSetsPerOrder":
    case "maxUsesPerOrder":
      return "maxPerOrder";
    case "eligible":
      return "eligible";
    case "buy":
    case "get":
      if (second === "items") return `${head}.items`;
      return typeof second === "string" ? `${head}.${second}` : head;
    case "items":
    case "steps":
    case "tiers": {
      if (typeof second !== "number") return head;
      if (head === "items") return third === "quantity" ? `items.${second}.quantity` : `items.${second}`;
      if (head === "steps") return third === "label" ? `steps.${second}.label` : `steps.${second}`;
      if (third === "minQuantity" || third === "minSubtotal") return `tiers.${second}.threshold`;
      return third === "value" ? `tiers.${second}.value` : "tiers";
    }
    default:
      return "_";
  }
}

export function issuesToDraftErrors(issues: readonly OfferIssue[]): DraftErrors {
  const errors: DraftErrors = {};
  for (const issue of issues) {
    const field = draftFieldOf(issue.path);
    errors[field] = errors[field] ? `${errors[field]} ${issue.message}` : issue.message;
  }
  return errors;
}

// ---------------------------------------------------------------------------------------------
// Draft -> offer, validated as saving validates it
// ---------------------------------------------------------------------------------------------

/** On success, the offer as the engine reads it and the input saving stores. */
export type DraftCheck =
  | { readonly ok: true; readonly offer: Offer; readonly input: Record<string, unknown> }
  | { readonly ok: false; readonly errors: DraftErrors };

/**
 * Reads and validates a draft the way saving does: the typed text (draftToOfferInput), then the
 * engine's rules (safeParseOffer) with the catalog prices in `options`. Every problem comes back
 * by form field, each read error winning over the engine's message for the same field.
 */
export function checkDraft(draft: OfferDraft, currency: string, id: string, options: ParseOfferOptions = {}): DraftCheck {
  const conversion = draftToOfferInput(draft, currency);
  const parsed = safeParseOffer({ ...conversion.input, id }, options);
  if (Object.keys(conversion.errors).length > 0) {
    return { ok: false, errors: { ...(parsed.ok ? {} : issuesToDraftErrors(parsed.issues)), ...conversion.errors } };
  }
  return parsed.ok ? { ok: true, offer: parsed.offer, input: conversion.input } : { ok: false, errors: issuesToDraftErrors(parsed.issues) };
}

/**
 * The catalog prices the engine's price checks read (safeParseOffer): an item's unit price is its
 * cheapest variant's, so a bundle must save on every variant; a step's offered price is the price
 * of the variant the buyer is shown. `itemOf` finds a picked item by the GID the offer stores.
 * Saving reads the items from the catalog, the preview from the picker: both judge through this.
 */
export function catalogPriceChecks(
  itemOf: (gid: string) => PickedItem | undefined,
  currency: string,
): Required<Pick<ParseOfferOptions, "unitPrice" | "offeredPrice" | "dearestUnitPrice">> {
  const priceOf = (ref: { productId: string } | { variantId: string }, which: "lowestPrice" | "highestPrice" | "price") => {
    const amount = itemOf("variantId" in ref ? ref.variantId : ref.productId)?.[which];
    return amount === null || amount === undefined ? undefined : { amount, currency };
  };
  return {
    unitPrice: (ref) => priceOf(ref, "lowestPrice"),
    offeredPrice: (ref) => priceOf(ref, "price"),
    dearestUnitPrice: (ref) => priceOf(ref, "highestPrice"),
  };
}

/** catalogPriceChecks on the prices the draft's picked items carry (the preview's view of the catalog). */
export function pickedItemPrices(draft: OfferDraft, currency: string): ParseOfferOptions {
  const items = new Map(draftItems(draft).map((item) => [item.id, item]));
  return catalogPriceChecks((gid) => items.get(gid), currency);
}

/** A step of an upgrade ladder the storefront cannot price, and what saving tells the merchant about it. */
export interface UnpricedStep {
  /** Index in `draft.steps`. */
  readonly step: number;
  readonly message: string;
}

/**
 * The steps of a ladder that the catalog (`itemOf`, as catalogPriceChecks reads it) has no price
 * for in the shop currency: not synced yet, deleted in Shopify, or priced in another currency. The
 * storefront states what an upgrade costs, so it leaves out every upgrade it cannot price, to or
 * from such a step, and the buyer never knows; checkout, which reads the cart's prices, still
 * applies an incentive to it. Saving keeps the offer (a sync brings the price without saving again,
 * and a merchant may be pausing it) but names these steps rather than let them go missing.
 */
export function unpricedSteps(draft: OfferDraft, itemOf: (gid: string) => PickedItem | undefined, currency: string): UnpricedStep[] {
  if (draft.type !== "upgradeLadder") return [];
  return draft.steps.flatMap((step, index) => {
    const item = itemOf(step.item.id);
    if (item && item.price !== null) return [];
    return [
      {
        step: index,
        message:
          `Step ${index + 1} (“${item?.title ?? step.item.title}”) has no price in ${currency} in Upshelf's catalog, so the storefront does not ` +
          `offer ${describeUpgrades(index, draft.steps.length)} until it has one.`,
      },
    ];
  });
}

/** The upgrades a step takes part in, in words: "the upgrade from step 1 to it or the upgrade from it to step 3". */
function describeUpgrades(index: number, steps: number): string {
  const into = index > 0 ? `the upgrade from step ${index} to it` : null;
  const out = index + 1 < steps ? `the upgrade from it to step ${index + 2}` : null;
  if (into && out) return `${into} or ${out}`;
  return into ?? out ?? "any upgrade with it";
}

// ---------------------------------------------------------------------------------------------
// Offer -> draft (editing a saved offer)
// ---------------------------------------------------------------------------------------------

/**
 * A stored amount as the form's text in the shop currency. An amount saved in another currency
 * (the shop's currency changed since) is left empty: its minor units mean another amount in the
 * new currency (500 cents are not 500 yen), so the merchant enters it again.
 */
function decimal(money: { amount: number; currency: string }, currency: string): string {
  return money.currency === currency ? formatMinorAsDecimal(money.amount, currency) : "";
}

/** `items` resolves a stored GID to what the catalog knows of it (title, price). */
export function offerToDraft(offer: Offer, currency: string, items: (id: string) => PickedItem): OfferDraft {
  const draft = emptyDraft(offer.type);
  const fromSelector = (selector: { productIds?: readonly string[]; variantIds?: readonly string[] }) => [
    ...(selector.productIds ?? []).map(items),
    ...(selector.variantIds ?? []).map(items),
  ];
  const fromRef = (ref: { productId: string } | { variantId: string }) => items("variantId" in ref ? ref.variantId : ref.productId);
  const base: OfferDraft = {
    ...draft,
    title: offer.title,
    status: offer.status,
    startsAt: offer.schedule.startsAt === null ? "" : new Date(offer.schedule.startsAt).toISOString(),
    endsAt: offer.schedule.endsAt === null ? "" : new Date(offer.schedule.endsAt).toISOString(),
    priority: String(offer.priority),
    combinesWith: { ...offer.combinesWith },
  };
  const pricingOf = (pricing: Extract<Offer, { type: "fixedBundle" }>["pricing"]) => ({
    pricingKind: pricing.kind,
    pricingValue:
      pricing.kind === "percentage"
        ? String(pricing.percent)
        : decimal(pricing.kind === "fixedPrice" ? pricing.price : pricing.amount, currency),
  });
  switch (offer.type) {
    case "fixedBundle":
      return {
        ...base,
        ...pricingOf(offer.pricing),
        items: offer.items.map((row) => ({ item: fromRef(row.ref), quantity: String(row.quantity) })),
        maxPerOrder: offer.maxSetsPerOrder === null ? "" : String(offer.maxSetsPerOrder),
      };
    case "mixAndMatch":
      return {
        ...base,
        ...pricingOf(offer.pricing),
        eligible: fromSelector(offer.eligible),
        setSize: String(offer.setSize),
        maxPerOrder: offer.maxSetsPerOrder === null ? "" : String(offer.maxSetsPerOrder),
      };
    case "buyXGetY":
      return {
        ...base,
        buyItems: fromSelector(offer.buy.items),
        buyQuantity: String(offer.buy.quantity),
        getItems: fromSelector(offer.get.items),
        getQuantity: String(offer.get.quantity),
        getPercent: String(offer.get.percent),
        maxPerOrder: offer.maxUsesPerOrder === null ? "" : String(offer.maxUsesPerOrder),
      };
    case "quantityBreaks":
      return {
        ...base,
        eligible: fromSelector(offer.eligible),
        countPer: offer.countPer,
        tierKind: offer.tiers[0]?.value.kind ?? "percentage",
        tiers: offer.tiers.map((tier) => ({
          threshold: String(tier.minQuantity),
          value: tier.value.kind === "percentage" ? String(tier.value.percent) : decimal(tier.value.amount, currency),
        })),
      };
    case "spendTiers":
      return {
        ...base,
        tierKind: offer.tiers[0]?.value.kind ?? "percentage",
        tiers: offer.tiers.map((tier) => ({
          threshold: decimal(tier.minSubtotal, currency),
          value: tier.value.kind === "percentage" ? String(tier.value.percent) : decimal(tier.value.amount, currency),
        })),
      };
    case "upgradeLadder":
      return {
        ...base,
        steps: offer.steps.map((step) => ({ item: fromRef(step.ref), label: step.label ?? "" })),
        incentiveKind: offer.incentive?.kind ?? "none",
        incentiveValue:
          offer.incentive === null
            ? ""
            : offer.incentive.kind === "percentage"
              ? String(offer.incentive.percent)
              : decimal(offer.incentive.amount, currency),
      };
  }
}

/** Every product / variant GID a draft references (for price look-ups and conflicts). */
export function draftItems(draft: OfferDraft): PickedItem[] {
  switch (draft.type) {
    case "fixedBundle":
      return draft.items.map((row) => row.item);
    case "mixAndMatch":
    case "quantityBreaks":
      return draft.eligible;
    case "buyXGetY":
      return [...draft.buyItems, ...draft.getItems];
    case "upgradeLadder":
      return draft.steps.map((step) => step.item);
    case "spendTiers":
      return [];
  }
}

/**
 * What the "Saved" banner says the offer now does. An active offer outside its schedule is not
 * shown to buyers; saying "checkout applies it" then would mislead. Nor for an offer the discount
 * sync left out of checkout (`leftOut`: its reason from the sync, which says what to do): the
 * banner says so, of this offer alone; the sync's own banner lists any others.
 */
export function savedOfferMessage(
  draft: Pick<OfferDraft, "status" | "startsAt" | "endsAt">,
  now: number,
  leftOut: { readonly message: string } | null = null,
): string {
  if (draft.status !== "active") return `The offer is saved as ${draft.status}; buyers do not see it until you activate it.`;
  const endsAt = draft.endsAt === "" ? Number.NaN : Date.parse(draft.endsAt);
  if (endsAt <= now) return "The offer is saved as active, but its end date has passed: buyers do not see it. Move the end date to run it again.";
  if (leftOut) return `The offer is saved as active, but checkout does not apply it and buyers are not offered it: ${leftOut.message}`;
  const startsAt = draft.startsAt === "" ? Number.NaN : Date.parse(draft.startsAt);
  if (startsAt > now) return "The offer is active from its start date: buyers see it, and checkout applies it, from then.";
  return "The offer is active and checkout applies it within its schedule.";
}
