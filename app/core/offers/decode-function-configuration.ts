/**
 * Reads the compact configuration back into offers, inside the checkout function. No zod here:
 * validation happened when the merchant saved, and the function bundle stays small. The reader
 * still trusts nothing about the shape: anything unexpected makes it return null, and the
 * function then gives no discount instead of failing checkout.
 */
import {
  COMBINES_ORDER,
  COMBINES_PRODUCT,
  COMBINES_SHIPPING,
  expandId,
  FUNCTION_CONFIGURATION_VERSION,
  PRODUCT_GID_PREFIX,
  VARIANT_GID_PREFIX,
} from "./function-configuration-format";
import type {
  CombinesWith,
  ConfigMoney,
  ItemRef,
  ItemSelector,
  Offer,
  OrderDiscountValue,
  SetPricing,
  UnitDiscount,
} from "./types";

export interface DecodedOffer {
  /** Active and unscheduled: the function decides liveness from `window` and its clock. */
  readonly offer: Offer;
  /** Schedule slots [start, end]; -1 for no boundary. */
  readonly window: readonly [number, number];
}

export interface DecodedFunctionConfiguration {
  readonly currency: string;
  readonly collectionIds: readonly string[];
  readonly offers: readonly DecodedOffer[];
}

class Malformed extends Error {}

function fail(): never {
  throw new Malformed();
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : fail();
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : fail();
}

function text(value: unknown): string {
  return typeof value === "string" && value.length > 0 ? value : fail();
}

function integer(value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= min && value <= max ? value : fail();
}

const CURRENCY = /^[A-Z]{3}$/;

class Decoder {
  constructor(
    readonly currency: string,
    readonly collectionIds: readonly string[],
  ) {}

  money(value: unknown): ConfigMoney {
    if (typeof value === "number") return { amount: integer(value, 1), currency: this.currency };
    const [amount, pinned, ...rest] = list(value);
    if (rest.length > 0) fail();
    const byCurrency: Record<string, number> = {};
    for (const [code, minor] of Object.entries(record(pinned))) {
      if (!CURRENCY.test(code)) fail();
      byCurrency[code] = integer(minor, 1);
    }
    return { amount: integer(amount, 1), currency: this.currency, byCurrency };
  }

  percent(value: unknown): number {
    // 0 basis points saves nothing, as the engine prices it on every surface; an offer stored
    // before validation refused such percentages must not take every other offer out of checkout.
    return integer(value, 0, 10_000) / 100;
  }

  value(value: unknown): SetPricing | UnitDiscount | OrderDiscountValue {
    const [kind, payload] = list(value);
    switch (kind) {
      case "%":
        return { kind: "percentage", percent: this.percent(payload) };
      case "-":
        return { kind: "amountOff", amount: this.money(payload) };
      case "=":
        return { kind: "fixedPrice", price: this.money(payload) };
      case "e":
        return { kind: "amountOffEach", amount: this.money(payload) };
      default:
        return fail();
    }
  }

  setPricing(value: unknown): SetPricing {
    const decoded = this.value(value);
    return decoded.kind === "amountOffEach" ? fail() : decoded;
  }

  unitDiscount(value: unknown): UnitDiscount {
    const decoded = this.value(value);
    return decoded.kind === "percentage" || decoded.kind === "amountOffEach" ? decoded : fail();
  }

  orderValue(value: unknown): OrderDiscountValue {
    const decoded = this.value(value);
    return decoded.kind === "percentage" || decoded.kind === "amountOff" ? decoded : fail();
  }

  ref(value: unknown): ItemRef {
    const [kind, id] = list(value);
    if (kind === "p") return { productId: expandId(text(id), PRODUCT_GID_PREFIX) };
    if (kind === "v") return { variantId: expandId(text(id), VARIANT_GID_PREFIX) };
    return fail();
  }

  selector(value: unknown): ItemSelector {
    const source = record(value);
    const selector: { productIds?: string[]; variantIds?: string[]; collectionIds?: string[] } = {};
    if (source.p !== undefined) selector.productIds = list(source.p).map((id) => expandId(text(id), PRODUCT_GID_PREFIX));
    if (source.v !== undefined) selector.variantIds = list(source.v).map((id) => expandId(text(id), VARIANT_GID_PREFIX));
    if (source.c !== undefined) {
      selector.collectionIds = list(source.c).map((index) => this.collectionIds[integer(index, 0)] ?? fail());
    }
    return selector;
  }

  maxUses(value: unknown): number | null {
    return value === undefined ? null : integer(value, 1);
  }

  offer(value: unknown): DecodedOffer {
    const source = record(value);
    const id = text(source.i);
    const bits = integer(source.c, 0, 7);
    const combinesWith: CombinesWith = {
      productDiscounts: (bits & COMBINES_PRODUCT) !== 0,
      orderDiscounts: (bits & COMBINES_ORDER) !== 0,
      shippingDiscounts: (bits & COMBINES_SHIPPING) !== 0,
    };
    const common = {
      id,
      title: id,
      status: "active" as const,
      schedule: { startsAt: null, endsAt: null },
      priority: integer(source.p, -1_000_000),
      combinesWith,
    };
    let window: [number, number] = [-1, -1];
    if (source.w !== undefined) {
      const [start, end] = list(source.w);
      window = [integer(start, -1), integer(end, -1)];
    }
    const positive = (field: unknown): number => integer(field, 1);
    let offer: Offer;
    switch (source.k) {
      case "fb":
        offer = {
          ...common,
          type: "fixedBundle",
          items: list(source.it).map((item) => {
            const [kind, itemId, quantity] = list(item);
            return { ref: this.ref([kind, itemId]), quantity: positive(quantity) };
          }),
          pricing: this.setPricing(source.v),
          maxSetsPerOrder: this.maxUses(source.m),
        };
        if (offer.items.length === 0) fail();
        break;
      case "mm":
        offer = {
          ...common,
          type: "mixAndMatch",
          eligible: this.selector(source.s),
          setSize: positive(source.n),
          pricing: this.setPricing(source.v),
          maxSetsPerOrder: this.maxUses(source.m),
        };
        break;
      case "bx":
        offer = {
          ...common,
          type: "buyXGetY",
          buy: { items: this.selector(source.b), quantity: positive(source.x) },
          get: { items: this.selector(source.g), quantity: positive(source.y), percent: this.percent(source.d) },
          maxUsesPerOrder: this.maxUses(source.m),
        };
        break;
      case "qb":
        offer = {
          ...common,
          type: "quantityBreaks",
          eligible: this.selector(source.s),
          countPer: integer(source.e, 0, 1) === 1 ? "product" : "selection",
          tiers: list(source.r).map((tier) => {
            const [minQuantity, tierValue] = list(tier);
            return { minQuantity: positive(minQuantity), value: this.unitDiscount(tierValue) };
          }),
        };
        if (offer.tiers.length === 0) fail();
        break;
      case "st":
        offer = {
          ...common,
          type: "spendTiers",
          tiers: list(source.r).map((tier) => {
            const [minSubtotal, tierValue] = list(tier);
            return { minSubtotal: this.money(minSubtotal), value: this.orderValue(tierValue) };
          }),
        };
        if (offer.tiers.length === 0) fail();
        break;
      case "ul":
        offer = {
          ...common,
          type: "upgradeLadder",
          steps: list(source.s).map((step) => ({ ref: this.ref(step) })),
          incentive: source.v === null || source.v === undefined ? null : this.unitDiscount(source.v),
        };
        break;
      default:
        return fail();
    }
    return { offer, window };
  }
}

/** The configuration from the metafield (its `jsonValue`, or its `value` string), or null if malformed. */
export function decodeFunctionConfiguration(json: unknown): DecodedFunctionConfiguration | null {
  try {
    const source = record(typeof json === "string" ? (JSON.parse(json) as unknown) : json);
    if (source.v !== FUNCTION_CONFIGURATION_VERSION) return null;
    const currency = text(source.c);
    if (!CURRENCY.test(currency)) return null;
    const collectionIds = source.collectionIds === undefined ? [] : list(source.collectionIds).map(text);
    const decoder = new Decoder(currency, collectionIds);
    const offers = list(source.o).map((offer) => decoder.offer(offer));
    const ids = new Set(offers.map((entry) => entry.offer.id));
    if (ids.size !== offers.length) return null;
    return { currency, collectionIds, offers };
  } catch {
    return null;
  }
}

/**
 * The offers live now, given the answers of Shopify's clock: `after[n]` is whether the shop's
 * current time is at or past slot n. An offer is live from its start slot (inclusive) to its end
 * slot (exclusive), exactly as `isOfferLive` treats startsAt and endsAt.
 */
export function liveDecodedOffers(configuration: DecodedFunctionConfiguration, after: readonly boolean[]): Offer[] {
  return configuration.offers
    .filter(({ window: [start, end] }) => {
      if (start >= 0 && after[start] !== true) return false;
      if (end >= 0 && after[end] !== false) return false;
      return true;
    })
    .map((entry) => entry.offer);
}
