/**
 * Server glue for the admin's offer pages (bundles, tiered discounts, upgrade ladders): loading
 * lists with their performance, resolving picked products to catalog titles and prices, saving
 * the offer form, and the row actions. Every function takes the authenticated shop id first and
 * reads or writes nothing else; an offer id from another shop (or another page's offer type) is
 * "not found".
 */
import { isCsvOnlyKey } from "~/core/catalog-keys";
import { z } from "zod";
import { lineRevenue, unitsKept, withinOrderRevenue } from "~/core/analytics";
import { foreignCurrencies, isOfferLive, safeParseOffer, type ItemRef, type Offer } from "~/core/offers";
import { findOfferConflicts, type OfferConflict } from "~/core/offers/conflicts";
import db from "~/db.server";
import {
  changedSinceForm,
  copyTitle,
  createOffer,
  findOfferByClientToken,
  deleteOffer,
  deleteOffers,
  findOffer,
  listOffers,
  setOfferStatus,
  setOffersStatus,
  updateOffer,
  type OfferRecord,
} from "~/models/offer.server";
import { findProductsMatching } from "~/models/product-search.server";
import { findShop } from "~/models/shop.server";
import { OFFER_FAMILIES, type OfferFamily } from "~/components/offers/families";
import type { BulkIntent, OfferIndexRow, OfferState } from "~/components/offers/offer-index-page";
import {
  catalogPriceChecks,
  cheapestPrice,
  dearestPrice,
  draftItems,
  checkDraft,
  issuesToDraftErrors,
  MAX_OFFER_DRAFT_CHARS,
  MAX_UNANSWERED_SAVES,
  notInShopifyMessage,
  offerDraftSchema,
  offerToDraft,
  type DraftErrors,
  type OfferDraft,
  type PickedItem,
} from "~/components/offers/offer-draft";
import { conflictWarning, offerWarnings, type OfferWarning, type OfferWarnings } from "~/components/offers/offer-warnings";
import { jsonError } from "~/services/http.server";
import { chunks, IN_LIST_SIZE } from "~/models/in-lists";
import { offersLeftOutOfCheckout } from "~/services/discount-sync.server";
import { NOT_SYNCED, syncDiscountsAfterChange, type SyncOutcome } from "~/services/offer-discount-sync.server";

export type { SyncOutcome };

const PRODUCT_PREFIX = "gid://shopify/Product/";
const VARIANT_PREFIX = "gid://shopify/ProductVariant/";

/** The shop's currency, and the zone offer schedules are entered and shown in (Shopify's, from the catalog sync). */
async function shopMoneyAndTime(shopId: string): Promise<{ currency: string; timeZone: string }> {
  const shop = await findShop(shopId);
  return { currency: shop?.currency ?? "USD", timeZone: shop?.timeZone ?? "UTC" };
}

export async function shopCurrency(shopId: string): Promise<string> {
  return (await shopMoneyAndTime(shopId)).currency;
}

// ---------------------------------------------------------------------------------------------
// Catalog look-ups
// ---------------------------------------------------------------------------------------------

function numericTail(gid: string, prefix: string): string | null {
  if (!gid.startsWith(prefix)) return null;
  const tail = gid.slice(prefix.length);
  return /^\d{1,20}$/.test(tail) ? tail : null;
}

/** What the shop's catalog knows of each product / variant GID (unknown ones are left out). */
export async function resolveCatalogItems(shopId: string, gids: readonly string[]): Promise<Map<string, PickedItem>> {
  const productIds = [...new Set(gids.map((gid) => numericTail(gid, PRODUCT_PREFIX)).filter((id): id is string => id !== null))];
  const variantIds = [...new Set(gids.map((gid) => numericTail(gid, VARIANT_PREFIX)).filter((id): id is string => id !== null))];
  const currency = await shopCurrency(shopId);
  const priceIn = (amount: number, variantCurrency: string) => (variantCurrency === currency ? amount : null);
  const [products, variants] = await Promise.all([
    productIds.length === 0
      ? []
      : db.product.findMany({
          where: { shopId, shopifyId: { in: productIds } },
          select: {
            shopifyId: true,
            title: true,
            variants: { select: { shopifyId: true, priceAmount: true, currency: true }, orderBy: { id: "asc" } },
          },
        }),
    variantIds.length === 0
      ? []
      : db.variant.findMany({
          where: { shopId, shopifyId: { in: variantIds } },
          select: { shopifyId: true, title: true, priceAmount: true, currency: true, product: { select: { shopifyId: true, title: true } } },
        }),
  ]);
  const items = new Map<string, PickedItem>();
  for (const product of products) {
    const first = product.variants[0];
    const prices = product.variants.map((variant) => priceIn(variant.priceAmount, variant.currency));
    items.set(PRODUCT_PREFIX + product.shopifyId, {
      kind: "product",
      id: PRODUCT_PREFIX + product.shopifyId,
      productId: PRODUCT_PREFIX + product.shopifyId,
      variantId: first ? VARIANT_PREFIX + first.shopifyId : null,
      title: product.title,
      price: first ? priceIn(first.priceAmount, first.currency) : null,
      lowestPrice: cheapestPrice(prices),
      highestPrice: dearestPrice(prices),
    });
  }
  for (const variant of variants) {
    const price = priceIn(variant.priceAmount, variant.currency);
    items.set(VARIANT_PREFIX + variant.shopifyId, {
      kind: "variant",
      id: VARIANT_PREFIX + variant.shopifyId,
      productId: PRODUCT_PREFIX + variant.product.shopifyId,
      variantId: VARIANT_PREFIX + variant.shopifyId,
      title: variantTitle(variant.product.title, variant.title),
      price,
      lowestPrice: price,
      highestPrice: price,
    });
  }
  return items;
}

function variantTitle(productTitle: string, title: string): string {
  return title === "Default Title" ? productTitle : `${productTitle} – ${title}`;
}

function unknownItem(gid: string): PickedItem {
  const isVariant = gid.startsWith(VARIANT_PREFIX);
  return {
    kind: isVariant ? "variant" : "product",
    id: gid,
    productId: isVariant ? "" : gid,
    variantId: isVariant ? gid : null,
    title: `Not in the synced catalog (${gid.split("/").pop() ?? gid})`,
    price: null,
    lowestPrice: null,
    highestPrice: null,
  };
}

export interface ProductSearchResult {
  readonly product: PickedItem;
  /** Empty when the product only has its default variant. */
  readonly variants: readonly PickedItem[];
  /** Known only from a products CSV: listed so the merchant sees why it cannot be chosen. */
  readonly notInShopify: boolean;
}

const SEARCH_VARIANTS_PER_PRODUCT = 20;

/**
 * The local picker's search (demo mode): id, title, handle or SKU, ignoring case, as the
 * recommendations picker searches (findProductsMatching, best first; the text itself, `_` and `%`
 * included, never a LIKE pattern); with no query, the shop's products by title.
 */
export async function searchCatalog(shopId: string, query: string, limit: number): Promise<ProductSearchResult[]> {
  const currency = await shopCurrency(shopId);
  const term = query.trim();
  const matches = term ? await findProductsMatching(shopId, term, limit, { sku: true }) : null;
  if (matches?.length === 0) return [];
  const found = await db.product.findMany({
    where: { shopId, ...(matches ? { id: { in: matches.map((match) => match.id) } } : {}) },
    select: {
      id: true,
      shopifyId: true,
      title: true,
      variants: {
        select: { shopifyId: true, title: true, priceAmount: true, currency: true },
        orderBy: { id: "asc" },
        take: SEARCH_VARIANTS_PER_PRODUCT,
      },
    },
    orderBy: [{ title: "asc" }, { id: "asc" }],
    take: limit,
  });
  const rank = new Map(matches?.map((match, index) => [match.id, index]));
  const products = matches ? found.sort((a, b) => (rank.get(a.id) ?? 0) - (rank.get(b.id) ?? 0)) : found;
  const priceIn = (amount: number, variantCurrency: string) => (variantCurrency === currency ? amount : null);
  // Every variant's price, not only the ones listed, decides a product's lowest price.
  const allPrices = new Map<number, (number | null)[]>();
  const priced =
    products.length === 0
      ? []
      : await db.variant.findMany({
          where: { shopId, productId: { in: products.map((product) => product.id) } },
          select: { productId: true, priceAmount: true, currency: true },
        });
  for (const variant of priced) {
    const prices = allPrices.get(variant.productId) ?? [];
    prices.push(priceIn(variant.priceAmount, variant.currency));
    allPrices.set(variant.productId, prices);
  }
  return products.map((product) => {
    const productGid = PRODUCT_PREFIX + product.shopifyId;
    const first = product.variants[0];
    const variants = product.variants.map((variant) => ({
      kind: "variant" as const,
      id: VARIANT_PREFIX + variant.shopifyId,
      productId: productGid,
      variantId: VARIANT_PREFIX + variant.shopifyId,
      title: variantTitle(product.title, variant.title),
      price: priceIn(variant.priceAmount, variant.currency),
      lowestPrice: priceIn(variant.priceAmount, variant.currency),
      highestPrice: priceIn(variant.priceAmount, variant.currency),
    }));
    const onlyDefault = product.variants.length === 1 && first?.title === "Default Title";
    return {
      product: {
        kind: "product",
        id: productGid,
        productId: productGid,
        variantId: first ? VARIANT_PREFIX + first.shopifyId : null,
        title: product.title,
        price: first ? priceIn(first.priceAmount, first.currency) : null,
        lowestPrice: cheapestPrice(allPrices.get(product.id) ?? []),
        highestPrice: dearestPrice(allPrices.get(product.id) ?? []),
      },
      variants: onlyDefault ? [] : variants,
      notInShopify: isCsvOnlyKey(product.shopifyId),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Lists with performance
// ---------------------------------------------------------------------------------------------

export interface OfferPerformance {
  /** Units sold on order lines attributed to the offer (`_upshelf_offer`), less those refunded; cancelled orders excluded. */
  readonly units: number;
  /** What buyers paid for those lines, in the shop currency's minor units. */
  readonly revenue: number;
}

/**
 * Units and revenue per offer (net of refunds), from order lines carrying the offer's id, in the shop currency.
 * Grouped in the database by offer and unit price, so the rows read are a handful per offer
 * however many orders there are.
 */
export async function offerPerformance(shopId: string, offerIds: readonly string[], currency: string): Promise<Map<string, OfferPerformance>> {
  const result = new Map<string, OfferPerformance>();
  if (offerIds.length === 0) return result;
  const groups = await db.orderLine.groupBy({
    by: ["upshelfOffer", "unitPriceAmount"],
    where: { shopId, upshelfOffer: { in: [...offerIds] }, currency, order: { shopId, cancelledAt: null } },
    _sum: { quantity: true, discountAmount: true, refundedAmount: true, refundedQuantity: true },
  });
  for (const group of groups) {
    if (group.upshelfOffer === null) continue;
    // One price's lines summed are priced as one line.
    const lines = {
      quantity: group._sum.quantity ?? 0,
      unitPriceAmount: group.unitPriceAmount,
      discountAmount: group._sum.discountAmount ?? 0,
      refundedAmount: group._sum.refundedAmount ?? 0,
      refundedQuantity: group._sum.refundedQuantity ?? 0,
    };
    const previous = result.get(group.upshelfOffer) ?? { units: 0, revenue: 0 };
    result.set(group.upshelfOffer, { units: previous.units + unitsKept(lines), revenue: previous.revenue + lineRevenue(lines) });
  }
  // A refund known only for the whole order (an orders CSV export) may have been for Upshelf's
  // lines: as on the dashboard, an order's Upshelf lines count no more than the shop kept for it.
  // Only such orders can exceed it (a refund known per line is in the lines already), so only
  // they are read, which keeps this to a few rows. They are found from the offers' lines (indexed
  // by offer): asked of the orders, the database read every order the shop ever had.
  const candidates = await db.orderLine.findMany({
    where: { shopId, upshelfOffer: { in: [...offerIds] }, order: { shopId, currency, cancelledAt: null, refundedAmount: { gt: 0 } } },
    select: { orderId: true },
  });
  const refunded = [];
  for (const ids of chunks([...new Set(candidates.map((line) => line.orderId))], IN_LIST_SIZE)) {
    refunded.push(...(await refundedOrdersToCap(shopId, ids)));
  }
  for (const order of refunded) {
    const lines = order.lines.map((line) => ({ ...line, orderId: order.id }));
    withinOrderRevenue(lines, [order]).forEach((capped, index) => {
      const line = lines[index] as (typeof lines)[number];
      const entry = capped.upshelfOffer === null ? undefined : result.get(capped.upshelfOffer);
      if (capped === line || !entry || capped.upshelfOffer === null) return;
      result.set(capped.upshelfOffer, {
        units: entry.units - (unitsKept(line) - unitsKept(capped)),
        revenue: entry.revenue - (lineRevenue(line) - lineRevenue(capped)),
      });
    });
  }
  return result;
}

/** Of these orders (refunded, with the offers' lines), those whose refund is known only for the whole order, with their Upshelf lines. */
function refundedOrdersToCap(shopId: string, orderIds: number[]) {
  return db.order.findMany({
    where: { shopId, id: { in: orderIds }, lines: { none: { refundedAmount: { gt: 0 } } } },
    select: {
      id: true,
      subtotalAmount: true,
      refundedAmount: true,
      lines: {
        where: { OR: [{ upshelfOffer: { not: null } }, { upshelfPlacement: { not: null } }] },
        select: { upshelfOffer: true, quantity: true, unitPriceAmount: true, discountAmount: true, refundedAmount: true, refundedQuantity: true },
      },
    },
  });
}

export function offerState(offer: Pick<Offer, "status" | "schedule">, now: number): OfferState {
  if (offer.status !== "active") return offer.status;
  if (isOfferLive(offer, now)) return "active";
  return offer.schedule.startsAt !== null && now < offer.schedule.startsAt ? "scheduled" : "ended";
}

export async function listFamilyOffers(
  shopId: string,
  family: OfferFamily,
  now = Date.now(),
): Promise<{ currency: string; timeZone: string; rows: OfferIndexRow[] }> {
  const { currency, timeZone } = await shopMoneyAndTime(shopId);
  const offers = await listOffers(shopId, { types: OFFER_FAMILIES[family].types });
  const performance = await offerPerformance(shopId, offers.map((offer) => offer.id), currency);
  // A live offer whose items' prices changed since it was saved (a sync, an import) may no longer
  // give what it promises: the list says so instead of a plain "Active".
  const live = offers.filter((record) => offerState(record.offer, now) === "active");
  const problems = new Map<string, { message: string; cause: GoLiveCause | "left-out" | "deleted" }>(
    [...(await goLiveProblems(shopId, currency, live))].filter(([, problem]) => problem.cause !== "rules"),
  );
  // A live offer naming a product deleted in Shopify (products/delete): the storefront shows nothing
  // of that product and checkout never sees it in a cart, so the offer does not work as saved there.
  for (const [offerId, ids] of await deletedProductsNamed(shopId, live)) {
    if (problems.has(offerId)) continue;
    const named = ids.length === 1 ? `Product ${ids[0]} was` : `Products ${ids.join(", ")} were`;
    problems.set(offerId, { message: `${named} deleted in Shopify, so buyers cannot get ${ids.length === 1 ? "it" : "them"} through this offer: replace or remove ${ids.length === 1 ? "it" : "them"}.`, cause: "deleted" });
  }
  // An active offer (live or scheduled) the discount sync leaves out of checkout, as it computes it
  // (too large to fit beside older or higher-priority offers, or waiting for a schedule slot): not a plain "Active" either.
  const listed = new Set(offers.map((record) => record.id));
  for (const omitted of await offersLeftOutOfCheckout(shopId, new Date(now))) {
    if (listed.has(omitted.offerId) && !problems.has(omitted.offerId)) problems.set(omitted.offerId, { message: sentence(omitted.message), cause: "left-out" });
  }
  return {
    currency,
    timeZone,
    rows: offers.map((record) => ({
      id: record.id,
      title: record.title,
      type: record.type,
      status: record.status,
      state: problemState(problems.get(record.id)) ?? offerState(record.offer, now),
      problem: problems.get(record.id)?.message ?? null,
      priority: record.priority,
      startsAt: record.startsAt?.toISOString() ?? null,
      endsAt: record.endsAt?.toISOString() ?? null,
      units: performance.get(record.id)?.units ?? 0,
      revenue: performance.get(record.id)?.revenue ?? 0,
    })),
  };
}

function problemState(problem: { cause: GoLiveCause | "left-out" | "deleted" } | undefined): OfferIndexRow["state"] | null {
  if (!problem) return null;
  if (problem.cause === "deleted") return "item_deleted";
  return problem.cause === "currency" ? "currency_changed" : problem.cause === "left-out" ? "left_out" : "prices_changed";
}

/** The products each of `records` names that were deleted in Shopify (their numeric ids), by offer id; offers naming none are left out. */
async function deletedProductsNamed(shopId: string, records: readonly OfferRecord[]): Promise<Map<string, string[]>> {
  const named = new Map(records.map((record) => [record.id, [...new Set(referencedIds(record.offer).flatMap((gid) => numericTail(gid, PRODUCT_PREFIX) ?? []))]]));
  const ids = [...new Set([...named.values()].flat())];
  if (ids.length === 0) return new Map();
  const deleted = new Set<string>();
  for (const chunk of chunks(ids, IN_LIST_SIZE)) {
    for (const row of await db.deletedProduct.findMany({ where: { shopId, shopifyId: { in: chunk } }, select: { shopifyId: true } })) deleted.add(row.shopifyId);
  }
  return new Map([...named].flatMap(([offerId, products]) => {
    const gone = products.filter((id) => deleted.has(id));
    return gone.length > 0 ? [[offerId, gone] as const] : [];
  }));
}

/** The encoder's reasons are worded to follow an offer's title ("“Mugs”: the shop's offers …"); alone, they start a sentence. */
function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The shop's offer with this id, only if it belongs on this page; otherwise a 404 to throw. */
export async function findFamilyOffer(shopId: string, family: OfferFamily, id: string): Promise<OfferRecord> {
  const record = await findOffer(shopId, id);
  if (!record || !OFFER_FAMILIES[family].types.includes(record.type)) throw noSuchOffer();
  return record;
}

/** All of the ids as this page's offers, in one query, or the 404 if any one is not. */
async function findFamilyOffers(shopId: string, family: OfferFamily, ids: readonly string[]): Promise<OfferRecord[]> {
  const found = await listOffers(shopId, { types: OFFER_FAMILIES[family].types, ids });
  if (found.length !== ids.length) throw noSuchOffer();
  return found;
}

/** Also shaped as a failed save (`errors`, no draft), so an open form shows it and keeps what was typed. */
export function noSuchOffer(): Response {
  return formFailure(404, "not_found", "No such offer in this shop.", null);
}

/**
 * A save that did not happen, in the shape the form reads (`ok`, `errors`, the draft to show
 * again) and the shape every other error has (`error`, `message`).
 */
function formFailure(status: number, error: string, message: string, draft: OfferDraft | null, errors: DraftErrors = { _: message }): Response {
  return Response.json({ ok: false, error, message, errors, draft } satisfies SaveFormResult & { error: string; message: string }, { status });
}

// ---------------------------------------------------------------------------------------------
// The form page's data
// ---------------------------------------------------------------------------------------------

export interface OfferFormData {
  readonly currency: string;
  readonly timeZone: string;
  readonly draft: OfferDraft;
  /** The shop's other active offers and which product each variant they name belongs to, for conflict warnings. */
  readonly otherOffers: readonly Offer[];
  readonly productOfVariant: Record<string, string>;
  /** The edited offer's last change (ISO time), sent back with "Save" to catch a change made elsewhere; null for a new offer. */
  readonly version: string | null;
  /**
   * Currencies other than the shop's that the edited offer's amounts were saved in (the shop's
   * currency changed since): those amounts come empty in the draft, to be entered again.
   */
  readonly amountsSavedIn: readonly string[];
}

function referencedIds(offer: Offer): string[] {
  const selector = (s: { productIds?: readonly string[]; variantIds?: readonly string[] }) => [...(s.productIds ?? []), ...(s.variantIds ?? [])];
  const ref = (r: ItemRef) => ("variantId" in r ? r.variantId : r.productId);
  switch (offer.type) {
    case "fixedBundle":
      return offer.items.map((item) => ref(item.ref));
    case "mixAndMatch":
    case "quantityBreaks":
      return selector(offer.eligible);
    case "buyXGetY":
      return [...selector(offer.buy.items), ...selector(offer.get.items)];
    case "upgradeLadder":
      return offer.steps.map((step) => ref(step.ref));
    case "spendTiers":
      return [];
  }
}

async function otherOffersFor(shopId: string, excludeId: string | null) {
  const active = (await listOffers(shopId, { statuses: ["active"] })).filter((record) => record.id !== excludeId);
  const variantIds = active.flatMap((record) => referencedIds(record.offer)).filter((id) => id.startsWith(VARIANT_PREFIX));
  const catalog = await resolveCatalogItems(shopId, variantIds);
  const productOfVariant: Record<string, string> = {};
  for (const [id, item] of catalog) if (item.kind === "variant") productOfVariant[id] = item.productId;
  return { otherOffers: active.map((record) => record.offer), productOfVariant };
}

export async function newOfferFormData(shopId: string, draft: OfferDraft): Promise<OfferFormData> {
  const [{ currency, timeZone }, others] = await Promise.all([shopMoneyAndTime(shopId), otherOffersFor(shopId, null)]);
  return { currency, timeZone, draft, ...others, version: null, amountsSavedIn: [] };
}

export async function editOfferFormData(shopId: string, record: OfferRecord): Promise<OfferFormData> {
  const [{ currency, timeZone }, others, catalog] = await Promise.all([
    shopMoneyAndTime(shopId),
    otherOffersFor(shopId, record.id),
    resolveCatalogItems(shopId, referencedIds(record.offer)),
  ]);
  const draft = offerToDraft(record.offer, currency, (gid) => {
    return catalog.get(gid) ?? unknownItem(gid);
  });
  return { currency, timeZone, draft, ...others, version: record.updatedAt.toISOString(), amountsSavedIn: foreignCurrencies(record.offer, currency) };
}

// ---------------------------------------------------------------------------------------------
// Saving the form
// ---------------------------------------------------------------------------------------------

export type SaveFormResult =
  | {
      readonly ok: true;
      readonly offerId: string;
      readonly conflicts: readonly OfferConflict[];
      readonly sync: SyncOutcome;
      /** Saved, but not everything will show or be checked as set, for want of catalog prices (offerWarnings). */
      readonly warnings: readonly OfferWarning[];
    }
  | { readonly ok: false; readonly errors: DraftErrors; readonly draft: OfferDraft | null };

/** A token the browser makes (`crypto.randomUUID()`): the form's clientToken, a save's saveToken. */
const formToken = z.string().trim().min(8).max(100);

const formSchema = z.object({
  draft: z.string().min(2).max(MAX_OFFER_DRAFT_CHARS),
  clientToken: formToken.optional(),
  /** This save's own token, new for each press of Save, stored with what it writes. */
  saveToken: formToken.optional(),
  /** The tokens of this form's earlier saves that got no answer (docs/decisions/0013). */
  unansweredSaves: z.array(formToken).max(MAX_UNANSWERED_SAVES),
  version: z.string().datetime().optional(),
});

/**
 * A 409: the offer changed since the form was loaded; what the merchant typed comes back. Not for
 * this form's own save whose answer was lost (its token is sent with the next save, which may then
 * save over it: docs/decisions/0013), only for a write from elsewhere.
 */
function changedElsewhere(draft: OfferDraft): Response {
  const message =
    "This offer was changed since you opened it (in another tab, or by a bulk action), so this was not saved. " +
    "Your version is still below: copy what you need, then reload the page to see the current offer.";
  return formFailure(409, "offer_changed", message, draft);
}

function deletedElsewhere(draft: OfferDraft): Response {
  const message =
    "This offer was deleted somewhere else (another tab, or a bulk action) since you opened it, so it was not saved. " +
    "Your version is still below: copy what you need into a new offer.";
  return formFailure(404, "offer_deleted", message, draft);
}

/** A 400 carrying the field errors and what the merchant typed, for the form to show again. */
function invalid(errors: DraftErrors, draft: OfferDraft | null): Response {
  return formFailure(400, "invalid_offer", errors._ ?? "Some fields need attention.", draft, errors);
}

/** The title of the first picked item the draft names by a CSV key (the picker lists such products but offers none). */
function csvOnlyItemTitle(json: unknown): string | null {
  let found: string | null = null;
  const visit = (value: unknown): void => {
    if (found !== null || typeof value !== "object" || value === null) return;
    const item = value as { productId?: unknown; title?: unknown };
    if (typeof item.productId === "string" && item.productId.startsWith(PRODUCT_PREFIX) && isCsvOnlyKey(item.productId.slice(PRODUCT_PREFIX.length))) {
      found = typeof item.title === "string" ? item.title : "A product";
      return;
    }
    for (const child of Object.values(value)) visit(child);
  };
  visit(json);
  return found;
}

function readDraft(formData: FormData): { draft: OfferDraft; clientToken?: string; saveToken?: string; unansweredSaves: string[]; version?: string } {
  const form = formSchema.safeParse({
    draft: formData.get("draft") ?? undefined,
    clientToken: formData.get("clientToken") ?? undefined,
    saveToken: formData.get("saveToken") || undefined,
    unansweredSaves: formData.getAll("unansweredSaves"),
    version: formData.get("version") || undefined,
  });
  if (!form.success) throw invalid({ _: "The form could not be read; reload the page and try again." }, null);
  let json: unknown;
  try {
    json = JSON.parse(form.data.draft);
  } catch {
    throw invalid({ _: "The form could not be read; reload the page and try again." }, null);
  }
  const parsed = offerDraftSchema.safeParse(json);
  if (!parsed.success) {
    const csvOnly = csvOnlyItemTitle(json);
    const errors: DraftErrors = { _: csvOnly === null ? "Some values could not be read; check the highlighted fields." : notInShopifyMessage(csvOnly) };
    for (const issue of parsed.error.issues) {
      const field = issue.path.map(String).join(".");
      errors[field] ??= issue.message;
    }
    throw invalid(errors, null);
  }
  const { clientToken, saveToken, unansweredSaves, version } = form.data;
  return { draft: parsed.data, clientToken, saveToken, unansweredSaves, version };
}

/**
 * Creates (offerId null) or updates an offer from the submitted form. Throws a 400 Response with
 * field errors, a 404 for an offer this shop does not have on this page (or no longer has), or a
 * 409 when it changed since the form was opened; each carries the draft back to the form.
 *
 * Saving again is safe when a save's answer was lost (docs/decisions/0013): a new-offer form
 * sends the same clientToken with each save, so a second save updates the offer its first one
 * created rather than creating another (and saves what the form holds now, edits since included);
 * an edit sent again holds what the offer already holds, which updateOffer counts as saved even
 * though the form's version is now old; an edit sent again with further changes names the tokens
 * of its saves that got no answer, and is saved when the offer's last write was one of them, based
 * on the version the form still holds (changedSinceForm), nothing else in between.
 */
export async function saveOfferForm(options: {
  shopId: string;
  family: OfferFamily;
  offerId: string | null;
  formData: FormData;
  now?: number;
}): Promise<SaveFormResult & { ok: true }> {
  const { shopId, family, offerId } = options;
  const { draft, clientToken, saveToken, unansweredSaves, version } = readDraft(options.formData);
  const expectedUpdatedAt = version === undefined ? undefined : new Date(version);
  // Changed since the form loaded it: refused (below, by updateOffer) unless this save is what the
  // offer already holds, so a form that cannot be saved over it hears that first.
  let stale = false;
  if (offerId !== null) {
    const existing = await findFamilyOffer(shopId, family, offerId).catch((thrown: unknown) => {
      // Deleted (in another tab, or by a bulk action) while the form was open: say so, keeping the form.
      throw thrown instanceof Response && thrown.status === 404 ? deletedElsewhere(draft) : thrown;
    });
    // Scoped by its lookup: only this shop's offer of this page, and only tokens that offer was last written with, count.
    stale = expectedUpdatedAt !== undefined && changedSinceForm(existing, expectedUpdatedAt, unansweredSaves);
    if (stale && existing.type !== draft.type) throw changedElsewhere(draft);
    if (existing.type !== draft.type) throw invalid({ _: "An offer's type cannot change; create a new offer instead." }, draft);
  } else if (!OFFER_FAMILIES[family].types.includes(draft.type)) {
    throw invalid({ _: `This page does not hold ${draft.type} offers.` }, draft);
  }

  const currency = await shopCurrency(shopId);
  const catalog = await resolveCatalogItems(shopId, draftItems(draft).map((item) => item.id));
  // The checks the editor's preview runs (checkDraft), so the two cannot disagree; every problem shows at once.
  const prices = catalogPriceChecks((gid) => catalog.get(gid), currency);
  const check = checkDraft(draft, currency, offerId ?? "new", prices);
  if (!check.ok) throw stale ? changedElsewhere(draft) : invalid(check.errors, draft);

  // This form's earlier save arrived (its answer was lost, or Save was pressed twice): this save is of that offer.
  const earlier = offerId === null && clientToken ? await findOfferByClientToken(shopId, clientToken) : null;
  if (earlier && !OFFER_FAMILIES[family].types.includes(earlier.type)) throw invalid({ _: "The form could not be read; reload the page and try again." }, draft);
  const save = saveToken ? { token: saveToken, unanswered: unansweredSaves } : undefined;
  const saved = earlier
    ? await updateOffer(shopId, earlier.id, check.input, { ...prices, expectedUpdatedAt: earlier.updatedAt, save })
    : offerId === null
      ? await createOffer(shopId, check.input, { ...prices, clientToken, saveToken })
      : await updateOffer(shopId, offerId, check.input, { ...prices, ...(expectedUpdatedAt ? { expectedUpdatedAt } : {}), save });
  if (saved === null) throw deletedElsewhere(draft);
  if (saved === "changed") throw changedElsewhere(draft);
  if (!saved.ok) throw invalid(issuesToDraftErrors(saved.issues), draft);

  const { otherOffers, productOfVariant } = await otherOffersFor(shopId, saved.offer.id);
  const conflicts = findOfferConflicts({
    candidate: saved.offer.offer,
    others: otherOffers,
    now: options.now ?? Date.now(),
    productOfVariant: (variant) => productOfVariant[variant],
  });
  const sync = await syncDiscountsAfterChange(shopId);
  // Judged on the catalog as saving read it, not on the prices the browser's draft carries.
  const warnings = offerWarnings(draft, (gid) => catalog.get(gid), currency);
  return { ok: true, offerId: saved.offer.id, conflicts, sync, warnings };
}

// ---------------------------------------------------------------------------------------------
// Row actions: duplicate, pause, activate, delete
// ---------------------------------------------------------------------------------------------

/** The index table's selection is bounded by what one page lists. */
const MAX_BULK_OFFERS = 250;

const rowActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("duplicate"), id: z.string().min(1).max(64), clientToken: z.string().trim().min(8).max(100) }),
  z.object({ intent: z.enum(["pause", "activate", "delete"]), id: z.string().min(1).max(64) }),
  z.object({
    intent: z.enum(["bulk-pause", "bulk-activate", "bulk-delete"]),
    // Comma-separated, as the index page sends its selection.
    ids: z
      .string()
      .transform((text) => [...new Set(text.split(",").map((id) => id.trim()).filter(Boolean))])
      .pipe(z.array(z.string().max(64)).min(1, "Select at least one offer.").max(MAX_BULK_OFFERS, `Select at most ${MAX_BULK_OFFERS} offers.`)),
  }),
]);

/** After activating: what each offer now live will not do as set, as saving it in its editor would say; empty otherwise. */
type ActivationWarnings = { readonly warnings: readonly OfferWarnings[] };

export type RowActionResult =
  | ({ readonly ok: true; readonly intent: "duplicate" | "pause" | "activate" | "delete"; readonly offerId: string; readonly sync: SyncOutcome } & ActivationWarnings)
  | ({ readonly ok: true; readonly intent: BulkIntent; readonly offerIds: readonly string[]; readonly sync: SyncOutcome } & ActivationWarnings);

/**
 * offerWarnings for stored offers, read as their editor loads them (offerToDraft) and judged by the
 * catalog as it is now: activating from the list says what saving in the editor would.
 */
async function storedOfferWarnings(shopId: string, records: readonly OfferRecord[]): Promise<OfferWarnings[]> {
  const currency = await shopCurrency(shopId);
  const catalog = await resolveCatalogItems(shopId, records.flatMap((record) => referencedIds(record.offer)));
  return records.flatMap((record) => {
    const draft = offerToDraft(record.offer, currency, (gid) => catalog.get(gid) ?? unknownItem(gid));
    const warnings = offerWarnings(draft, (gid) => catalog.get(gid), currency);
    return warnings.length === 0 ? [] : [{ offerId: record.id, title: record.title, warnings }];
  });
}

/**
 * What saving's conflict check (`findOfferConflicts`) says of each offer going live, against the
 * shop's other active offers and the rest of the selection (live too once activated), as the
 * "overlaps" warning: activating from a list says what the editor says. A pair of offers both in
 * the selection is named once, under the first.
 */
async function activationConflicts(shopId: string, records: readonly OfferRecord[], now: number): Promise<Map<string, OfferWarning>> {
  const selected = new Set(records.map((record) => record.id));
  const active = (await listOffers(shopId, { statuses: ["active"] })).filter((record) => !selected.has(record.id));
  const going = records.map((record) => ({ ...record.offer, status: "active" as const }));
  const others = [...active.map((record) => record.offer), ...going];
  const variantIds = [...active, ...records].flatMap((record) => referencedIds(record.offer)).filter((id) => id.startsWith(VARIANT_PREFIX));
  const variants = await resolveCatalogItems(shopId, variantIds);
  const productOfVariant = (id: string) => variants.get(id)?.productId;
  const named = new Set<string>();
  const found = going.map((candidate) => ({
    offerId: candidate.id,
    conflicts: findOfferConflicts({ candidate, others, now, productOfVariant }).filter((conflict) => {
      if (!selected.has(conflict.offerId)) return true;
      const pair = [candidate.id, conflict.offerId].sort().join(" ");
      if (named.has(pair)) return false;
      named.add(pair);
      return true;
    }),
  }));
  const titles = await resolveCatalogItems(shopId, found.flatMap(({ conflicts }) => conflicts.flatMap((conflict) => conflict.sharedIds)));
  const warnings = new Map<string, OfferWarning>();
  for (const { offerId, conflicts } of found) {
    const warning = conflictWarning(conflicts, (id) => titles.get(id)?.title);
    if (warning) warnings.set(offerId, warning);
  }
  return warnings;
}

/** What activating these offers leaves them not doing as set: overlaps first, then what saving each would warn of. */
async function activationWarnings(shopId: string, records: readonly OfferRecord[], now: number): Promise<OfferWarnings[]> {
  const [conflicts, stored] = await Promise.all([activationConflicts(shopId, records, now), storedOfferWarnings(shopId, records)]);
  return records.flatMap((record) => {
    const overlap = conflicts.get(record.id);
    const warnings = [...(overlap ? [overlap] : []), ...(stored.find((entry) => entry.offerId === record.id)?.warnings ?? [])];
    return warnings.length === 0 ? [] : [{ offerId: record.id, title: record.title, warnings }];
  });
}

/**
 * Going live runs saving's price checks again with the catalog as it is now: prices may have
 * changed since the offer was saved (a sync, an import), and a bundle priced above its items' sum,
 * say, would be promised on the storefront and not given at checkout. Throws a 400 naming each
 * offer that fails and why; nothing is activated then.
 */
async function assertPricesStillHold(shopId: string, records: readonly OfferRecord[]): Promise<void> {
  const failing = await goLiveProblems(shopId, await shopCurrency(shopId), records);
  if (failing.size === 0) return;
  const problems = records.flatMap((record) => {
    const problem = failing.get(record.id);
    return problem ? [`"${record.title}": ${problem.message}`] : [];
  });
  const causes = new Set([...failing.values()].map((problem) => problem.cause));
  const why =
    causes.size > 1 || causes.has("rules")
      ? "the offer no longer passes Upshelf's checks"
      : causes.has("currency")
        ? "the shop's currency has changed since saving"
        : "the catalog's prices have changed since saving";
  throw jsonError(400, "invalid_offer", `Not activated, as ${why}. Open the offer to adjust it. ${problems.join(" ")}`);
}

/**
 * Why an offer that passed saving's checks would not hold if it went live now: the shop's
 * currency changed since (checkout cannot apply amounts in the old one), today's prices (a sync,
 * an import), or a rule added since it was saved.
 */
type GoLiveCause = "currency" | "prices" | "rules";

/**
 * Saving's checks run again on each offer as if it went live now, with the shop's currency and the
 * catalog's prices as they are: what each offer that fails them gets wrong, by offer id, and why.
 */
async function goLiveProblems(
  shopId: string,
  currency: string,
  records: readonly OfferRecord[],
): Promise<Map<string, { message: string; cause: GoLiveCause }>> {
  const problems = new Map<string, { message: string; cause: GoLiveCause }>();
  if (records.length === 0) return problems;
  const catalog = await resolveCatalogItems(shopId, records.flatMap((record) => referencedIds(record.offer)));
  const prices = catalogPriceChecks((gid) => catalog.get(gid), currency);
  for (const record of records) {
    const foreign = foreignCurrencies(record.offer, currency);
    if (foreign.length > 0) {
      const message = `Its amounts are in ${foreign.join(", ")}, but the shop now sells in ${currency}, so checkout does not apply it: enter its amounts again in ${currency}.`;
      problems.set(record.id, { message, cause: "currency" });
      continue;
    }
    const live = { ...record.offer, status: "active" };
    const parsed = safeParseOffer(live, prices);
    if (parsed.ok) continue;
    problems.set(record.id, { message: [...new Set(parsed.issues.map((issue) => issue.message))].join(" "), cause: safeParseOffer(live).ok ? "prices" : "rules" });
  }
  return problems;
}

export async function runRowAction(options: { shopId: string; family: OfferFamily; formData: FormData; now?: number }): Promise<RowActionResult> {
  const { shopId, family, formData } = options;
  const now = options.now ?? Date.now();
  const parsed = rowActionSchema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) {
    const fields: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) (fields[issue.path.join(".") || "_"] ??= []).push(issue.message);
    const unknownIntent = parsed.error.issues.some((issue) => issue.path[0] === "intent");
    throw jsonError(400, "invalid_request", unknownIntent ? "Unknown action." : parsed.error.issues.map((issue) => issue.message).join(" "), {}, fields);
  }
  const action = parsed.data;
  if ("ids" in action) {
    // All or nothing: one id that is not this page's offer (another shop's, another family's, gone) changes none.
    const records = await findFamilyOffers(shopId, family, action.ids);
    if (action.intent === "bulk-activate") await assertPricesStillHold(shopId, records);
    // Read before the change: once offers are live, nothing may stand between them and the discount sync.
    const warnings = action.intent === "bulk-activate" ? await activationWarnings(shopId, records, now) : [];
    if (action.intent === "bulk-delete") await deleteOffers(shopId, action.ids);
    else await setOffersStatus(shopId, action.ids, action.intent === "bulk-pause" ? "paused" : "active");
    // One discount sync for the whole selection, not one per offer.
    return { ok: true, intent: action.intent, offerIds: action.ids, sync: await syncDiscountsAfterChange(shopId), warnings };
  }
  const record = await findFamilyOffer(shopId, family, action.id);
  switch (action.intent) {
    case "duplicate": {
      // Through createOffer with the row's token, so a double click makes one copy, not two.
      const copy = { ...record.offer, title: copyTitle(record.title), status: "draft" };
      const created = await createOffer(shopId, copy, { clientToken: action.clientToken });
      if (!created.ok) throw jsonError(400, "invalid_offer", created.issues.map((issue) => issue.message).join(" "));
      return { ok: true, intent: action.intent, offerId: created.offer.id, sync: NOT_SYNCED, warnings: [] };
    }
    case "pause":
    case "activate": {
      if (action.intent === "activate") await assertPricesStillHold(shopId, [record]);
      const warnings = action.intent === "activate" ? await activationWarnings(shopId, [record], now) : [];
      await setOfferStatus(shopId, record.id, action.intent === "pause" ? "paused" : "active");
      return { ok: true, intent: action.intent, offerId: record.id, sync: await syncDiscountsAfterChange(shopId), warnings };
    }
    case "delete": {
      await deleteOffer(shopId, record.id);
      return { ok: true, intent: action.intent, offerId: record.id, sync: await syncDiscountsAfterChange(shopId), warnings: [] };
    }
  }
}
