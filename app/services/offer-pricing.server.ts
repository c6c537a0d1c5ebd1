/**
 * The one server-side way to price a storefront cart and to describe a product's offers
 * (the app proxy routes /proxy/offers and /proxy/cart/price, and the admin previews, call this
 * module; see docs/decisions/0005-offers-pricing.md and 0006-discount-sync.md).
 *
 * Prices always come from the app's catalog, never from the buyer's browser. Offers are the
 * shop's live offers that checkout actually carries: the encoder's `includedOfferIds`, computed
 * at the moment the checkout configuration was last written (DiscountSync.syncedAt), so the
 * storefront never promises an offer the discount function does not have.
 *
 * Limitations, stated so no surface over-promises:
 * - Collection membership is not stored in our database, so collection selectors
 *   (`collectionIds`) match nothing here. Checkout would match them, so the admin forms do not
 *   offer collection selectors. An offer built by hand with one is priced here as if the cart
 *   held none of the collection's products.
 * - Carts are priced in the shop currency (the catalog's). A cart in another presentment
 *   currency is refused by the routes rather than shown a converted guess.
 * - The storefront does not know Shopify's cart line ids, so it names each line by its variant.
 *   The engine breaks every tie by variant id before line id (pricing-context.ts), so the same
 *   units are discounted either way: totals and each variant's discount agree.
 */
import {
  encodeFunctionConfiguration,
  isOfferLive,
  OffersError,
  previewAddition,
  previewUpgrade,
  previewTier,
  upgradeSavingStated,
  tierUnitPrice,
  priceCartWithProgress,
  resolveAmount,
  resolveSpendTiers,
  savingLabel,
  savingText,
  mixAndMatchStated,
  setSavingApplied,
  quantityTiersStated,
  unitSavingApplied,
  type CartInput,
  type CartLineInput,
  type ConfigMoney,
  type EncodedFunctionConfiguration,
  type ItemRef,
  type ItemSelector,
  type KnownPriceRange,
  type Offer,
  type OfferType,
  type PreviewItem,
  type PricedCart,
  type ResolvedValue,
  type TierProgress,
} from "~/core/offers";
import { formatBasisPoints, percentToBasisPoints } from "~/core/money";
import { formatMinorForDisplay } from "~/core/money-display";
import db from "~/db.server";
import { listActiveOffers } from "~/models/offer.server";
import { isProductPublished, isVariantAvailable } from "~/models/catalog.server";
import { chunks, IN_LIST_SIZE } from "~/models/in-lists";
import { STOREFRONT_HEADERS } from "~/services/app-proxy.server";
import { checkoutHoldsWrite } from "~/services/discount-sync.server";
import { jsonError } from "~/services/http.server";

// ---------------------------------------------------------------------------------------------
// Money as the storefront receives it
// ---------------------------------------------------------------------------------------------

export interface MoneyJson {
  /** Integer minor units. */
  readonly amount: number;
  readonly currency: string;
  /** "£12.40": for display only; compute with `amount`. */
  readonly formatted: string;
}

export function moneyJson(amount: number, currency: string): MoneyJson {
  return { amount, currency, formatted: formatMinorForDisplay(amount, currency) };
}

// ---------------------------------------------------------------------------------------------
// Ids: the engine and the checkout function see Shopify GIDs; the storefront numeric ids.
// ---------------------------------------------------------------------------------------------

const PRODUCT_GID = "gid://shopify/Product/";
const VARIANT_GID = "gid://shopify/ProductVariant/";

export const productGid = (shopifyId: string): string => PRODUCT_GID + shopifyId;
export const variantGid = (shopifyId: string): string => VARIANT_GID + shopifyId;

function numericTail(gid: string, prefix: string): string | null {
  return gid.startsWith(prefix) ? gid.slice(prefix.length) : null;
}

/**
 * The cart line id the storefront prices with: one line per variant (lines of the same variant
 * are merged), named by the variant's GID. Exported so the agreement test can give checkout the
 * same ids.
 */
export function storefrontLineId(variantShopifyId: string): string {
  return variantGid(variantShopifyId);
}

// ---------------------------------------------------------------------------------------------
// Catalog and offers
// ---------------------------------------------------------------------------------------------

export interface CatalogVariant {
  readonly variantId: string;
  readonly productId: string;
  readonly handle: string;
  readonly title: string;
  readonly variantTitle: string;
  readonly image: string | null;
  readonly unitPrice: number;
  readonly currency: string;
  /** In stock (or sold when out of stock) and its product published: what a buyer can add to a cart. */
  readonly available: boolean;
}

type VariantRow = {
  shopifyId: string;
  title: string;
  priceAmount: number;
  currency: string;
  inventoryQuantity: number | null;
  inventoryPolicy: string;
  product: { shopifyId: string; handle: string; title: string; imageUrl: string | null; status: string; publishedAt: Date | null };
};

const variantFields = { shopifyId: true, title: true, priceAmount: true, currency: true, inventoryQuantity: true, inventoryPolicy: true } as const;
const productFields = { shopifyId: true, handle: true, title: true, imageUrl: true, status: true, publishedAt: true } as const;
const variantSelect = { ...variantFields, product: { select: productFields } } as const;

function toCatalogVariant(row: VariantRow): CatalogVariant {
  return {
    variantId: row.shopifyId,
    productId: row.product.shopifyId,
    handle: row.product.handle,
    title: row.product.title,
    variantTitle: row.title,
    image: row.product.imageUrl,
    unitPrice: row.priceAmount,
    currency: row.currency,
    available: isVariantAvailable(row) && isProductPublished(row.product),
  };
}

/** The shop's variants by Shopify id, with their products; ids the shop does not have are absent. */
export async function loadCatalogVariants(shopId: string, variantIds: readonly string[]): Promise<Map<string, CatalogVariant>> {
  const found = new Map<string, CatalogVariant>();
  const unique = [...new Set(variantIds)];
  for (const ids of chunks(unique, IN_LIST_SIZE)) {
    const rows = await db.variant.findMany({
      where: { shopId, shopifyId: { in: ids } },
      select: variantSelect,
    });
    for (const row of rows) found.set(row.shopifyId, toCatalogVariant(row));
  }
  return found;
}

/** The first variant of each product (what a product page shows first), by product Shopify id. */
async function loadFirstVariants(shopId: string, productIds: readonly string[]): Promise<Map<string, CatalogVariant>> {
  const found = new Map<string, CatalogVariant>();
  const unique = [...new Set(productIds)];
  for (const ids of chunks(unique, IN_LIST_SIZE)) {
    const products = await db.product.findMany({
      where: { shopId, shopifyId: { in: ids } },
      select: { ...productFields, variants: { select: variantFields, orderBy: { id: "asc" }, take: 1 } },
    });
    for (const product of products) {
      const variant = product.variants[0];
      if (!variant) continue;
      found.set(product.shopifyId, toCatalogVariant({ ...variant, product }));
    }
  }
  return found;
}

/**
 * The cheapest and dearest prices, in `currency`, of the variants a selector names (every variant
 * of a product it names); null when the catalog knows none. A collection's items are not known
 * here (as everywhere on the storefront), nor items not synced yet: the range is of known prices,
 * as saving's price checks judge them.
 */
async function eligiblePriceRange(shopId: string, selector: ItemSelector, currency: string): Promise<KnownPriceRange | null> {
  const products = (selector.productIds ?? []).map((id) => numericTail(id, PRODUCT_GID)).filter((id): id is string => id !== null);
  const variants = (selector.variantIds ?? []).map((id) => numericTail(id, VARIANT_GID)).filter((id): id is string => id !== null);
  const wheres = [
    ...chunks([...new Set(products)], IN_LIST_SIZE).map((ids) => ({ product: { shopId, shopifyId: { in: ids } } })),
    ...chunks([...new Set(variants)], IN_LIST_SIZE).map((ids) => ({ shopifyId: { in: ids } })),
  ];
  const cheapest: number[] = [];
  const dearest: number[] = [];
  for (const where of wheres) {
    const { _min, _max } = await db.variant.aggregate({ where: { shopId, currency, ...where }, _min: { priceAmount: true }, _max: { priceAmount: true } });
    if (_min.priceAmount !== null) cheapest.push(_min.priceAmount);
    if (_max.priceAmount !== null) dearest.push(_max.priceAmount);
  }
  return cheapest.length > 0 && dearest.length > 0 ? { cheapest: Math.min(...cheapest), dearest: Math.max(...dearest) } : null;
}

export interface ShopPricing {
  readonly shopId: string;
  /** The shop currency: catalog prices and offer amounts are in it, and storefront carts are priced in it. */
  readonly currency: string;
  /** Live offers checkout carries (plus upgrade ladders without incentive, which need no checkout discount). */
  readonly offers: readonly Offer[];
  /** The encoder's view at the time checkout's configuration was written (or now, before the first sync). */
  readonly checkout: EncodedFunctionConfiguration;
  readonly now: Date;
}

/**
 * Loads what pricing needs for a shop: its currency and the offers every surface must use.
 * Null when the shop does not exist.
 */
export async function loadShopPricing(shopId: string, options: { now?: Date } = {}): Promise<ShopPricing | null> {
  const now = options.now ?? new Date();
  const shop = await db.shop.findUnique({ where: { id: shopId }, select: { currency: true } });
  if (!shop) return null;
  const [active, writes] = await Promise.all([
    listActiveOffers(shopId),
    db.discountSync.findMany({ where: { shopId }, select: { status: true, syncedAt: true, shopifyEndsAt: true } }),
  ]);
  const writtenAt = writes.reduce<Date | null>((latest, row) => (row.syncedAt && (!latest || row.syncedAt > latest) ? row.syncedAt : latest), null);
  const selected = selectOffersForStorefront(active, shop.currency, now, writtenAt);
  // A failed write leaves checkout on an older configuration than the offers saved since, and
  // which one it holds is unknown; a discount deleted or switched off in Shopify's admin (or past
  // an end date set there) applies nothing. Either way: promise no discount (suggestions stay).
  if (writes.some((row) => !checkoutHoldsWrite(row.status, row.shopifyEndsAt, now))) {
    const discounted = new Set(selected.checkout.includedOfferIds);
    return { shopId, currency: shop.currency, now, ...selected, offers: selected.offers.filter((offer) => !discounted.has(offer.id)) };
  }
  return { shopId, currency: shop.currency, now, ...selected };
}

/**
 * The offers a storefront surface may price with: those checkout's configuration includes (as
 * encoded when it was written), live now. Upgrade ladders without incentive are kept too: they
 * promise no discount, only the suggestion.
 */
export function selectOffersForStorefront(
  offers: readonly Offer[],
  currency: string,
  now: Date,
  writtenAt: Date | null,
): { offers: Offer[]; checkout: EncodedFunctionConfiguration } {
  // Written later than now cannot happen except by clock skew; then "now" is the safer instant.
  const encodedAt = writtenAt && writtenAt.getTime() <= now.getTime() ? writtenAt : now;
  const checkout = encodeFunctionConfiguration(offers, { now: encodedAt, shopCurrency: currency });
  const included = new Set(checkout.includedOfferIds);
  const suggestionOnly = new Set(checkout.omitted.filter((omitted) => omitted.reason === "no-checkout-discount").map((omitted) => omitted.offerId));
  return {
    offers: offers.filter((offer) => (included.has(offer.id) || suggestionOnly.has(offer.id)) && isOfferLive(offer, now)),
    checkout,
  };
}

// ---------------------------------------------------------------------------------------------
// Pricing a cart
// ---------------------------------------------------------------------------------------------

export interface StorefrontCartLine {
  /** Shopify numeric variant id. */
  readonly variantId: string;
  readonly quantity: number;
  /**
   * Bought on a selling plan (a subscription). Priced like any line (at its variant's price: a
   * plan's adjustment is seen only by checkout), but never offered for the upgrade's swap.
   */
  readonly sellingPlan?: boolean;
}

export interface PricedLineJson {
  readonly variant_id: string;
  readonly product_id: string | null;
  readonly quantity: number;
  readonly unit_price: MoneyJson;
  readonly subtotal: MoneyJson;
  /** Product discounts on this line (what checkout shows on the line); order discounts are in `discounts`. */
  readonly discount: MoneyJson;
  readonly total: MoneyJson;
}

export interface AppliedDiscountJson {
  readonly offer_id: string;
  readonly title: string;
  readonly type: OfferType;
  readonly message: string;
  readonly amount: MoneyJson;
}

export interface ProgressJson {
  readonly offer_id: string;
  readonly title: string;
  /** The pricing module's English words for the bar; null when no tier is reached or reachable. */
  readonly message: string | null;
  readonly percent: number;
  readonly remaining: MoneyJson | null;
  readonly remaining_quantity: number | null;
  /** English, for the admin and logs; storefronts word the saving from `next_saving`. */
  readonly next_saving_label: string | null;
  readonly achieved_saving_label: string | null;
  /** The saving the next tier gives, as numbers for the storefront to word in its own language. */
  readonly next_saving: SavingJson | null;
  readonly achieved_saving: SavingJson | null;
}

/**
 * A tier's saving: a percentage off, an amount off (the cart's, or each item's), or a price each.
 * null where an amount is configured in another currency without a price for this one.
 */
export type SavingJson =
  | { readonly kind: "percentage"; readonly percent: number }
  | { readonly kind: "amountOff" | "amountOffEach" | "fixedPrice"; readonly amount: MoneyJson }
  /** Buy X get Y's reward in the cart savings bar: `count` items free, or at `percent` off. */
  | { readonly kind: "free"; readonly count: number }
  | { readonly kind: "off"; readonly count: number; readonly percent: number };

export interface PricedCartJson {
  readonly currency: string;
  readonly subtotal: MoneyJson;
  readonly discount_total: MoneyJson;
  readonly total: MoneyJson;
  readonly lines: readonly PricedLineJson[];
  readonly discounts: readonly AppliedDiscountJson[];
  /**
   * Empty while the cart holds a line the app's catalog does not know yet (a product created
   * since the last sync): checkout counts that line towards spend and quantity tiers, priced here
   * at nothing, so "add X more" would ask for more than checkout needs.
   */
  readonly progress: readonly ProgressJson[];
  readonly unknown_variant_ids: readonly string[];
}

/** Lines of the same variant become one (plan or not), in the order each variant first appears. */
export function mergeCartLines(lines: readonly StorefrontCartLine[]): StorefrontCartLine[] {
  const merged = new Map<string, number>();
  for (const line of lines) merged.set(line.variantId, (merged.get(line.variantId) ?? 0) + line.quantity);
  return [...merged].map(([variantId, quantity]) => ({ variantId, quantity }));
}

/** The engine's cart for catalog variants (unknown ones left out: they get no discount). */
export function buildCartInput(currency: string, lines: readonly StorefrontCartLine[], catalog: ReadonlyMap<string, CatalogVariant>): CartInput {
  const cartLines: CartLineInput[] = [];
  for (const line of lines) {
    const variant = catalog.get(line.variantId);
    if (!variant || variant.currency !== currency) continue;
    cartLines.push({
      id: storefrontLineId(line.variantId),
      variantId: variantGid(variant.variantId),
      productId: productGid(variant.productId),
      // Collection membership is not stored (see the module comment): collection selectors match nothing.
      collectionIds: [],
      quantity: line.quantity,
      unitPrice: variant.unitPrice,
    });
  }
  return { currency, lines: cartLines };
}

/**
 * Prices a storefront cart against the shop's live offers (`pricing` from loadShopPricing): exactly what the checkout function
 * gives for the same cart (the agreement test holds both to the minor unit).
 */
export function priceStorefrontCart(pricing: ShopPricing, lines: readonly StorefrontCartLine[]): Promise<PricedCartJson> {
  return priceLinesWithOffers(pricing, lines, pricing.offers);
}

/**
 * Admin preview: prices catalog lines with a given offer set (for example an offer the merchant
 * is editing, not saved yet, plus the shop's others), the way checkout would.
 */
export async function previewOfferPricing(
  shopId: string,
  input: { readonly lines: readonly StorefrontCartLine[]; readonly offers: readonly Offer[]; readonly now?: Date },
): Promise<PricedCartJson | null> {
  const now = input.now ?? new Date();
  const shop = await db.shop.findUnique({ where: { id: shopId }, select: { currency: true } });
  if (!shop) return null;
  const { offers, checkout } = selectOffersForStorefront(input.offers, shop.currency, now, null);
  return priceLinesWithOffers({ shopId, currency: shop.currency, offers, checkout, now }, input.lines, offers);
}

async function priceLinesWithOffers(pricing: ShopPricing, lines: readonly StorefrontCartLine[], offers: readonly Offer[]): Promise<PricedCartJson> {
  const { currency, now } = pricing;
  const merged = mergeCartLines(lines);
  const catalog = await loadCatalogVariants(
    pricing.shopId,
    merged.map((line) => line.variantId),
  );
  const cart = buildCartInput(currency, merged, catalog);
  const { priced, progress } = priceCartWithProgress({ cart, offers, now });
  return pricedCartJson({ currency, merged, catalog, priced, progress, offers });
}

function pricedCartJson(input: {
  currency: string;
  merged: readonly StorefrontCartLine[];
  catalog: ReadonlyMap<string, CatalogVariant>;
  priced: PricedCart;
  progress: readonly TierProgress[];
  offers: readonly Offer[];
}): PricedCartJson {
  const { currency, priced } = input;
  const money = (amount: number) => moneyJson(amount, currency);
  const productShare = new Map<string, number>();
  for (const applied of priced.applied) {
    if (applied.discountClass !== "product") continue;
    for (const allocation of applied.allocations) {
      productShare.set(allocation.lineId, (productShare.get(allocation.lineId) ?? 0) + allocation.amount);
    }
  }
  const unknown: string[] = [];
  const lines = input.merged.map((line): PricedLineJson => {
    const variant = input.catalog.get(line.variantId);
    const known = variant !== undefined && variant.currency === currency;
    if (!known) unknown.push(line.variantId);
    const unitPrice = known ? variant.unitPrice : 0;
    const subtotal = unitPrice * line.quantity;
    const discount = productShare.get(storefrontLineId(line.variantId)) ?? 0;
    return {
      variant_id: line.variantId,
      product_id: known ? variant.productId : null,
      quantity: line.quantity,
      unit_price: money(unitPrice),
      subtotal: money(subtotal),
      discount: money(discount),
      total: money(subtotal - discount),
    };
  });
  const offersById = new Map(input.offers.map((offer) => [offer.id, offer]));
  return {
    currency,
    subtotal: money(priced.subtotal),
    discount_total: money(priced.totalDiscount),
    total: money(priced.total),
    lines,
    discounts: priced.applied.map((applied) => ({
      offer_id: applied.offerId,
      title: applied.title,
      type: applied.type,
      message: applied.message,
      amount: money(applied.amount),
    })),
    progress: (unknown.length > 0 ? [] : input.progress).flatMap((progress) => {
      const offer = offersById.get(progress.offerId);
      return offer ? [progressJson(progress, offer, currency)] : [];
    }),
    unknown_variant_ids: unknown,
  };
}

// ---------------------------------------------------------------------------------------------
// Labels
// ---------------------------------------------------------------------------------------------

/** An amount configured in the shop currency, as the storefront (in the shop currency, no conversion) sees it. */
function amountIn(money: ConfigMoney, currency: string): number | null {
  return resolveAmount(money, { currency, rate: null });
}

type LabelledValue =
  | { kind: "percentage"; percent: number }
  | { kind: "amountOff"; amount: ConfigMoney }
  | { kind: "amountOffEach"; amount: ConfigMoney }
  | { kind: "fixedPrice"; price: ConfigMoney };

/** "save 15%", "save £1.00 each", "for £20.00": the engine's words, with the currency's symbol. */
function saveText(value: ResolvedValue, currency: string): string {
  return savingText(value, currency, formatMinorForDisplay);
}

/** "Save 15%": `saveText` opening a label. */
function saveLabel(value: ResolvedValue, currency: string): string {
  const text = saveText(value, currency);
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function tierValueAt(offer: Offer, kind: TierProgress["kind"], threshold: number, currency: string): LabelledValue | null {
  if (kind === "quantity" && offer.type === "quantityBreaks") {
    return offer.tiers.find((tier) => tier.minQuantity === threshold)?.value ?? null;
  }
  // A mix-and-match set's bar has one step, the set (a set price gets no bar).
  if (kind === "quantity" && offer.type === "mixAndMatch" && offer.pricing.kind !== "fixedPrice") {
    return threshold === offer.setSize ? offer.pricing : null;
  }
  if (kind === "spend" && offer.type === "spendTiers") {
    return offer.tiers.find((tier) => amountIn(tier.minSubtotal, currency) === threshold)?.value ?? null;
  }
  return null;
}

/** A configured percentage as the storefront gets it: exact to the basis point, as checkout applies it. */
const percentJson = (percent: number): number => percentToBasisPoints(percent) / 100;

function savingJson(value: LabelledValue, currency: string): SavingJson | null {
  if (value.kind === "percentage") return { kind: "percentage", percent: percentJson(value.percent) };
  const amount = amountIn(value.kind === "fixedPrice" ? value.price : value.amount, currency);
  return amount === null ? null : { kind: value.kind, amount: moneyJson(amount, currency) };
}

/** A step's saving as numbers: the tier's value, or what buy X get Y gives (its bar has the one step of a use). */
function stepSavingJson(offer: Offer, kind: TierProgress["kind"], threshold: number | undefined, currency: string): SavingJson | null {
  if (threshold === undefined) return null;
  if (offer.type === "buyXGetY") {
    const { quantity: count, percent } = offer.get;
    return percent >= 100 ? { kind: "free", count } : { kind: "off", count, percent: percentJson(percent) };
  }
  const value = tierValueAt(offer, kind, threshold, currency);
  return value ? savingJson(value, currency) : null;
}

function progressJson(progress: TierProgress, offer: Offer, currency: string): ProgressJson {
  return {
    offer_id: offer.id,
    title: offer.title,
    // The words and labels are the pricing module's, as the admin's preview shows them.
    message: progress.message,
    // Floor, so the bar never looks full before the tier is reached.
    percent: progress.next ? Math.min(99, Math.floor(progress.fraction * 100)) : 100,
    remaining: progress.kind === "spend" && progress.next ? moneyJson(progress.remaining, currency) : null,
    remaining_quantity: progress.kind === "quantity" && progress.next ? progress.remaining : null,
    next_saving_label: progress.next?.reward ?? null,
    achieved_saving_label: progress.reached?.reward ?? null,
    next_saving: stepSavingJson(offer, progress.kind, progress.next?.threshold, currency),
    achieved_saving: stepSavingJson(offer, progress.kind, progress.reached?.threshold, currency),
  };
}

// ---------------------------------------------------------------------------------------------
// A product's offers (GET /proxy/offers)
// ---------------------------------------------------------------------------------------------

export interface ProductItemJson {
  readonly product_id: string;
  readonly variant_id: string;
  readonly handle: string;
  readonly title: string;
  readonly image: string | null;
}

export interface ProductOfferJson {
  readonly id: string;
  readonly type: OfferType;
  readonly title: string;
  /**
   * English, for the admin ("Buy 3, save ¥120 each · …", "Buy together, save £2.50"): worded, as
   * `saving_label`, from the saving the engine applies to what the page prices (the selected
   * variant's tier, one bundle), never from a configured amount it caps; a mix-and-match set's, only as
   * what holds for every set of its items (`mixAndMatchStated`).
   */
  readonly message: string;
  /**
   * Quantity breaks, each row exact at every quantity it covers (`quantityTiersStated`): either every
   * tier has `unit_price`, its price each, or none has, and each then has `percent` (a percentage
   * tier; 12.5 for 12.5%), which checkout rounds once over the line.
   */
  readonly tiers?: readonly { min_quantity: number; label: string; saving_label: string; unit_price: MoneyJson | null; percent: number | null }[];
  /** Quantity breaks: the unit price the tiers start from, so the widget states a saving only when the shop shows that price. */
  readonly base_unit_price?: MoneyJson;
  readonly bundle?: {
    readonly items: readonly (ProductItemJson & { quantity: number; unit_price: MoneyJson })[];
    readonly total: MoneyJson;
    readonly price: MoneyJson;
    readonly saving: MoneyJson;
  };
  readonly upgrade?: ProductItemJson & {
    readonly label: string;
    readonly price: MoneyJson;
    readonly difference: MoneyJson;
    /** The ladder's own saving on the upgrade (never another offer's gain from it), or null. */
    readonly incentive: MoneyJson | null;
    readonly message: string;
    /** The step upgraded from, as priced: the widget states the difference only when the shop shows these prices. */
    readonly from_variant_id: string;
    readonly from_price: MoneyJson;
    /**
     * The units of the step upgraded from in the cart's lines bought without a selling plan, when
     * there are any (`swapUnits`): the widget then offers to swap those lines for the upgrade at
     * this quantity, and `difference` and `incentive` are the swap's. Null (the step not in the
     * cart, or only on a plan): the widget adds one upgrade, and they are for buying it instead of
     * the step.
     */
    readonly swap: number | null;
  };
  readonly spend_tiers?: readonly { min_subtotal: MoneyJson; saving_label: string }[];
  /** Buy X get Y and mix-and-match: the terms as numbers, for the storefront to word in its own language. */
  readonly deal?: DealJson;
}

/**
 * A deal's terms. `kind` says how the storefront words them: "free" and "off" are buy `buy`, get
 * `get` free or at `percent` off, with this product on both sides; "freeBuy" and "offBuy" the same
 * with this product to buy only, and "freeGet" and "offGet" with this product to get only (the
 * other side is `other`); "percentage", "amountOff" and "fixedPrice" are any `size` of the offer's
 * products at `percent` off, for `amount` off, or for `amount`.
 */
export interface DealJson {
  readonly kind: "free" | "off" | "freeBuy" | "offBuy" | "freeGet" | "offGet" | SavingJson["kind"];
  readonly buy?: number;
  readonly get?: number;
  /** Buy X get Y with this product on one side only: the other side's product, when it is one (else null). */
  readonly other?: string | null;
  readonly size?: number;
  readonly percent?: number;
  readonly amount?: MoneyJson;
  /** Only some of the product's variants qualify: the offer names variants, not the product. */
  readonly some_variants: boolean;
  /** How many times one order gets it (buy X get Y uses, mix-and-match sets); null: no limit. */
  readonly per_order: number | null;
}

export interface ProductOffersJson {
  readonly product_id: string;
  readonly currency: string;
  readonly offers: readonly ProductOfferJson[];
}

function refMatchesProduct(ref: ItemRef, product: string, variants: ReadonlySet<string>): boolean {
  return "productId" in ref ? ref.productId === productGid(product) : variants.has(ref.variantId);
}

function selectorMatchesProduct(selector: ItemSelector, product: string, variants: ReadonlySet<string>): boolean {
  return (selector.productIds ?? []).includes(productGid(product)) || (selector.variantIds ?? []).some((id) => variants.has(id));
}

/**
 * The title of the one product a selector names (directly or through its variants), or null when it
 * names several, a collection, or none the catalog knows: the storefront then says "selected items".
 */
async function singleProductTitle(shopId: string, selector: ItemSelector): Promise<string | null> {
  if ((selector.collectionIds ?? []).length > 0) return null;
  const products = new Set((selector.productIds ?? []).map((id) => numericTail(id, PRODUCT_GID)));
  const variantIds = (selector.variantIds ?? []).map((id) => numericTail(id, VARIANT_GID)).filter((id): id is string => id !== null);
  const variants = await loadCatalogVariants(shopId, variantIds);
  if (variants.size < variantIds.length) return null;
  for (const variant of variants.values()) products.add(variant.productId);
  const [only, ...more] = products;
  if (!only || more.length > 0) return null;
  return (await loadFirstVariants(shopId, [only])).get(only)?.title ?? null;
}

/** Whether selectors that cover the product do so only through some of its variants. */
function coversSomeVariantsOnly(selectors: readonly ItemSelector[], product: string, variants: ReadonlySet<string>): boolean {
  if (selectors.some((selector) => (selector.productIds ?? []).includes(productGid(product)))) return false;
  const named = new Set(selectors.flatMap((selector) => selector.variantIds ?? []));
  return [...variants].some((id) => !named.has(id));
}

function itemJson(variant: CatalogVariant): ProductItemJson {
  return { product_id: variant.productId, variant_id: variant.variantId, handle: variant.handle, title: variant.title, image: variant.image };
}

function previewItem(variant: CatalogVariant, quantity: number): PreviewItem {
  return { variantId: variantGid(variant.variantId), productId: productGid(variant.productId), collectionIds: [], unitPrice: variant.unitPrice, quantity };
}

/**
 * Offers a product page states with prices worked out on the buyer's cart: a quantity-break tier
 * (listed only if it holds with the cart), a bundle's price and an upgrade's difference (what
 * adding it costs with the cart).
 */
const PRICED_WITH_CART: ReadonlySet<OfferType> = new Set(["quantityBreaks", "fixedBundle", "upgradeLadder"]);

/** The catalog variant an offer's item reference means: the variant itself, or the product's first. */
async function resolveRefs(shopId: string, refs: readonly ItemRef[]): Promise<Map<string, CatalogVariant>> {
  const variantIds = refs.flatMap((ref) => ("variantId" in ref ? [numericTail(ref.variantId, VARIANT_GID)] : [])).filter((id): id is string => id !== null);
  const productIds = refs.flatMap((ref) => ("productId" in ref ? [numericTail(ref.productId, PRODUCT_GID)] : [])).filter((id): id is string => id !== null);
  const [variants, products] = await Promise.all([loadCatalogVariants(shopId, variantIds), loadFirstVariants(shopId, productIds)]);
  const resolved = new Map<string, CatalogVariant>();
  for (const ref of refs) {
    const key = refKey(ref);
    const variant =
      "variantId" in ref ? variants.get(numericTail(ref.variantId, VARIANT_GID) ?? "") : products.get(numericTail(ref.productId, PRODUCT_GID) ?? "");
    if (variant) resolved.set(key, variant);
  }
  return resolved;
}

const refKey = (ref: ItemRef): string => ("variantId" in ref ? `v:${ref.variantId}` : `p:${ref.productId}`);

/**
 * The units of a variant the upgrade's swap replaces: its cart lines bought without a selling
 * plan, however many (the widget swaps all of them, and checks they still add up to this).
 */
export function swapUnits(lines: readonly StorefrontCartLine[], variantId: string): number {
  return lines.reduce((units, line) => (line.variantId === variantId && !line.sellingPlan ? units + line.quantity : units), 0);
}

/**
 * Every live offer that concerns a product, as the product page widget shows it. Null when the
 * shop has no such product. Previews price with all the shop's live offers against the buyer's
 * cart (`cart`, empty when not given), so a bundle's or upgrade's price is what adding it costs
 * at checkout now, and a quantity-break tier is listed only if checkout would give it: a bigger
 * discount already in the cart that the offer does not combine with would win instead.
 */
export async function describeProductOffers(
  shopId: string,
  productShopifyId: string,
  options: {
    now?: Date;
    /** The selected variant (one of the product's): quantity breaks and the upgrade are priced for it. */
    variantId?: string;
    /** The buyer's cart; with a variant the catalog does not know, offers priced with the cart are left out. */
    cart?: readonly StorefrontCartLine[];
  } = {},
): Promise<ProductOffersJson | null> {
  const product = await db.product.findFirst({
    where: { shopId, shopifyId: productShopifyId },
    select: { shopifyId: true, variants: { select: { shopifyId: true }, orderBy: { id: "asc" } } },
  });
  if (!product) return null;
  const pricing = await loadShopPricing(shopId, options);
  if (!pricing) return null;
  const { currency, now, offers } = pricing;
  const money = (amount: number) => moneyJson(amount, currency);
  // Carts here are in the shop currency: a configured amount is the one pinned for it or its own.
  const amounts = { currency, rate: null };
  const variantGids = new Set(product.variants.map((variant) => variantGid(variant.shopifyId)));
  const selected = options.variantId && variantGids.has(variantGid(options.variantId)) ? options.variantId : null;
  const tierVariant = selected
    ? ((await loadCatalogVariants(shopId, [selected])).get(selected) ?? null)
    : ((await loadFirstVariants(shopId, [product.shopifyId])).get(product.shopifyId) ?? null);
  const cartLines = mergeCartLines(options.cart ?? []);
  const buyerCart = buildCartInput(currency, cartLines, cartLines.length > 0 ? await loadCatalogVariants(shopId, cartLines.map((line) => line.variantId)) : new Map());
  // A cart line the catalog does not know yet (a product created since the last sync) is left
  // out of buyerCart, but checkout counts it at its price, towards a spend tier say: what adding an
  // item saves with the cart cannot be known, so no offer priced with it is stated, as the cart
  // savings bar promises no progress then (/cart/price).
  const cartUnknown = buyerCart.lines.length < cartLines.length;

  const result: ProductOfferJson[] = [];
  for (const offer of offers) {
    if (cartUnknown && PRICED_WITH_CART.has(offer.type)) continue;
    const head = { id: offer.id, type: offer.type, title: offer.title };
    switch (offer.type) {
      case "quantityBreaks": {
        // Priced for the selected variant, so shown only when that variant is one the tiers cover.
        if (!tierVariant || !selectorMatchesProduct(offer.eligible, product.shopifyId, new Set([variantGid(tierVariant.variantId)]))) break;
        // Each tier's exact total for exactly its minimum quantity, this offer alone, listed only if
        // it holds with the buyer's cart. Its saving is worded as each unit gets it: an amount off
        // each above the item's price takes the price, so "save ¥150 each" on a ¥120 item would
        // promise more than checkout takes off.
        const priced = offer.tiers.flatMap((tier) => {
          const { alone, holds } = previewTier({ cart: buyerCart, offers, now, offer, item: previewItem(tierVariant, tier.minQuantity) });
          const saving = unitSavingApplied(tier.value, tierVariant.unitPrice, amounts);
          return holds && saving ? [{ tier, value: saving, minQuantity: tier.minQuantity, total: alone.total, unit: tierUnitPrice(alone.total, tier.minQuantity) }] : [];
        });
        // Each row states what checkout charges at every quantity it covers (`quantityTiersStated`):
        // a price each when it holds at every quantity (amounts off each, percentages that take
        // whole minor units off the price), else the percentage: 15% off £1.79 is £6.09 for four,
        // which no price each states. Priced each, a tier that does not beat the rows above it
        // ("save ¥120 each" at 2+ and at 3+ on a ¥120 item) is not listed.
        const stated = quantityTiersStated(priced, tierVariant.unitPrice);
        const held = priced.filter((_, index) => stated.hidden[index] === null);
        const tiers = held.map(({ tier, value, unit }) => ({
          min_quantity: tier.minQuantity,
          label: `${tier.minQuantity}+`,
          saving_label: saveLabel(value, currency),
          unit_price: stated.each ? money(unit) : null,
          percent: !stated.each && value.kind === "percentage" ? value.value / 100 : null,
        }));
        if (tiers.length === 0) break;
        result.push({
          ...head,
          message: held.map(({ tier, value }) => `Buy ${tier.minQuantity}, ${saveText(value, currency)}`).join(" · "),
          tiers,
          base_unit_price: money(tierVariant.unitPrice),
        });
        break;
      }
      case "fixedBundle": {
        if (!offer.items.some((item) => refMatchesProduct(item.ref, product.shopifyId, variantGids))) break;
        const resolved = await resolveRefs(shopId, offer.items.map((item) => item.ref));
        const items = offer.items.map((item) => ({ item, variant: resolved.get(refKey(item.ref)) }));
        // A bundle with an item the catalog does not know cannot be priced honestly.
        if (items.some((entry) => !entry.variant || entry.variant.currency !== currency)) break;
        const known = items as { item: (typeof offer.items)[number]; variant: CatalogVariant }[];
        const preview = previewAddition({
          cart: buyerCart,
          offers,
          now,
          items: known.map(({ item, variant }) => previewItem(variant, item.quantity)),
        });
        // What one bundle saves at its items' full price, as the engine takes it: an amount off a
        // bundle whose items came to cost less than it takes their total, and is worded so.
        const saving = setSavingApplied(offer.pricing, preview.priceBefore, amounts);
        // Nothing saved (its items now cost less than its price, or a discount already in the cart
        // that it does not combine with wins): its message would name a price the buyer never pays.
        if (preview.saving <= 0 || !saving) break;
        result.push({
          ...head,
          message: saving.kind === "fixedPrice" ? `Bundle ${saveText(saving, currency)}` : `Buy together, ${saveText(saving, currency)}`,
          bundle: {
            items: known.map(({ item, variant }) => ({ ...itemJson(variant), quantity: item.quantity, unit_price: money(variant.unitPrice) })),
            total: money(preview.priceBefore),
            price: money(preview.priceAfter),
            saving: money(preview.saving),
          },
        });
        break;
      }
      case "upgradeLadder": {
        // The step the buyer is on is the selected variant's (a step naming the product covers
        // each of its variants), so the difference is stated from the price they see, not from
        // the product's first variant; a step naming another variant is not theirs.
        const onPage = selected ? new Set([variantGid(selected)]) : variantGids;
        const index = offer.steps.findIndex((step) => refMatchesProduct(step.ref, product.shopifyId, onPage));
        const from = offer.steps[index];
        const to = offer.steps[index + 1];
        if (index < 0 || !from || !to) break;
        const resolved = await resolveRefs(shopId, [from.ref, to.ref]);
        const fromVariant = "productId" in from.ref ? tierVariant : resolved.get(refKey(from.ref));
        const toVariant = resolved.get(refKey(to.ref));
        if (!fromVariant || !toVariant || fromVariant.currency !== currency || toVariant.currency !== currency) break;
        // A sold-out or unpublished upgrade cannot be added: offering it would only end in an error.
        if (!toVariant.available) break;
        // With the step the buyer is on already in the cart, the button swaps it: those units go and
        // the upgrade comes in at the same quantity, so what is stated is what the swap costs.
        // Otherwise it adds one upgrade instead of the step: what buying it instead costs. Units
        // bought on a selling plan are not swapped (they stay in the cart, and are priced there):
        // the app prices them without the plan's saving, which the swap would also end.
        const fromLine = buyerCart.lines.find((line) => line.variantId === variantGid(fromVariant.variantId));
        const swapped = swapUnits(options.cart ?? [], fromVariant.variantId);
        // Nothing to swap and the upgrade already in the cart (the buyer took it, from this block
        // or elsewhere): adding one more is no upgrade, and a second tap would only add a unit.
        if (!swapped && buyerCart.lines.some((line) => line.variantId === variantGid(toVariant.variantId))) break;
        const units = swapped || 1;
        const kept = fromLine ? fromLine.quantity - swapped : 0;
        const preview = previewUpgrade({
          cart: {
            ...buyerCart,
            lines: buyerCart.lines.flatMap((line) => (line !== fromLine ? [line] : kept > 0 ? [{ ...line, quantity: kept }] : [])),
          },
          offers,
          now,
          from: previewItem(fromVariant, units),
          to: previewItem(toVariant, units),
        });
        const label = to.label ?? toVariant.title;
        const difference = preview.priceAfter;
        const upgradeTo = swapped ? `Swap ${units > 1 ? `your ${units}` : "yours"} for ${label}` : `Upgrade to ${label}`;
        const message =
          difference > 0
            ? `${upgradeTo} for ${formatMinorForDisplay(difference, currency)} more`
            : difference === 0
              ? `${upgradeTo} at no extra cost`
              : `${upgradeTo} for ${formatMinorForDisplay(-difference, currency)} less`;
        // The incentive stated is the ladder's own saving on the upgrade, not the cart's whole gain
        // from it, part of which can be a spend tier its price crosses (that part is in the
        // difference, which states what the cart's total changes by), and never more than the
        // upgrade saves against the price difference: one that breaks a bundle costs more.
        const incentive = upgradeSavingStated(preview, offer.id);
        result.push({
          ...head,
          message,
          upgrade: {
            ...itemJson(toVariant),
            label,
            price: money(toVariant.unitPrice),
            difference: money(difference),
            incentive: incentive > 0 ? money(incentive) : null,
            message,
            from_variant_id: fromVariant.variantId,
            from_price: money(fromVariant.unitPrice),
            swap: swapped || null,
          },
        });
        break;
      }
      case "spendTiers": {
        // As the engine resolves them: a tier without an amount in the currency (or whose amount off
        // reaches its threshold there) means the offer gives nothing in it, so none is stated. A tier's
        // amount off is stated whole: its threshold is above it in every currency, and an order
        // discount comes off what the buyer pays after product discounts, which meets the threshold.
        const tiers = (resolveSpendTiers(offer, amounts) ?? []).map((tier) => ({
          min_subtotal: money(tier.minSubtotal),
          saving_label: savingLabel(tier.value, currency, formatMinorForDisplay),
        }));
        if (tiers.length === 0) break;
        result.push({
          ...head,
          message: tiers.map((tier) => `Spend ${tier.min_subtotal.formatted}, get ${tier.saving_label}`).join(" · "),
          spend_tiers: tiers,
        });
        break;
      }
      case "mixAndMatch": {
        if (!selectorMatchesProduct(offer.eligible, product.shopifyId, variantGids)) break;
        // The buyer picks the set's other items among all the eligible ones, so what is stated must
        // hold whichever they pick with this item (`mixAndMatchStated`): a percentage; an amount
        // off no such set is cheaper than; a set price every such set costs more than. Otherwise
        // nothing is, on this page: "Any 2, save £10.00" beside a £4.50 tea that pairs with
        // another, or "Any 2 for £12.00" that such a pair never costs.
        const range = await eligiblePriceRange(shopId, offer.eligible, currency);
        const stated = mixAndMatchStated(offer.pricing, offer.setSize, range, tierVariant?.unitPrice ?? null, amounts);
        if (!stated) break;
        const terms = savingJson(offer.pricing, currency);
        const some_variants = coversSomeVariantsOnly([offer.eligible], product.shopifyId, variantGids);
        result.push({
          ...head,
          message: stated.kind === "fixedPrice" ? `Any ${offer.setSize} ${saveText(stated, currency)}` : `Any ${offer.setSize}, ${saveText(stated, currency)}`,
          ...(terms ? { deal: { ...terms, size: offer.setSize, some_variants, per_order: offer.maxSetsPerOrder } } : {}),
        });
        break;
      }
      case "buyXGetY": {
        const bought = selectorMatchesProduct(offer.buy.items, product.shopifyId, variantGids);
        const given = selectorMatchesProduct(offer.get.items, product.shopifyId, variantGids);
        if (!bought && !given) break;
        const free = offer.get.percent >= 100;
        const reward = free ? "free" : `${formatBasisPoints(percentToBasisPoints(offer.get.percent))}% off`;
        // "Buy 2, get 1 free" on the page of a product that is only bought (or only given) would
        // promise it free with itself: those terms name the other side.
        const side = bought && given ? "" : bought ? "Buy" : "Get";
        const sides = [...(bought ? [offer.buy.items] : []), ...(given ? [offer.get.items] : [])];
        result.push({
          ...head,
          message: `Buy ${offer.buy.quantity}, get ${offer.get.quantity} ${reward}`,
          deal: {
            kind: `${free ? "free" : "off"}${side}` as DealJson["kind"],
            buy: offer.buy.quantity,
            get: offer.get.quantity,
            ...(free ? {} : { percent: percentJson(offer.get.percent) }),
            ...(side ? { other: await singleProductTitle(shopId, bought ? offer.get.items : offer.buy.items) } : {}),
            // Any side this product is on that leaves out some of its variants: those get nothing there.
            some_variants: sides.some((selector) => coversSomeVariantsOnly([selector], product.shopifyId, variantGids)),
            per_order: offer.maxUsesPerOrder,
          },
        });
        break;
      }
    }
  }
  return { product_id: product.shopifyId, currency, offers: result };
}

/**
 * The storefront's 400 for a cart the pricing engine refuses (core/offers createPricingContext),
 * else null; /cart/price and /offers both price the buyer's cart.
 * Validation cannot see it coming: prices come from the catalog, and lines of one variant are
 * merged before pricing, so 500 lines of 10,000 of a 20,000,000.00 variant only overflow exact
 * integer arithmetic once merged. The request's fault, so not a 500. The engine names a line by
 * its variant's GID; the storefront knows the numeric id.
 */
export function refusedCart(failure: unknown): Response | null {
  if (!(failure instanceof OffersError) || failure.code !== "invalid-cart") return null;
  const reason = failure.message.replace(/"gid:\/\/shopify\/ProductVariant\/(\d+)"/g, "of variant $1");
  return jsonError(400, "invalid_cart", `This cart cannot be priced: ${reason}`, { headers: STOREFRONT_HEADERS });
}
