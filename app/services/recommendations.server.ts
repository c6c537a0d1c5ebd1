import {
  addOrder,
  buildSnapshotSteps,
  createCoPurchaseStats,
  createFeedbackStore,
  deserializeSnapshot,
  describeReason,
  estimateThompsonPropensities,
  mulberry32,
  propensityCacheKey,
  recommendForCart,
  recommendForOrder,
  recommendForProduct,
  recordFeedback,
  refreshSnapshotRows,
  rerankWithThompsonSampling,
  drawThompsonSlatePool,
  serializeSnapshotSteps,
  type CoPurchaseStats,
  type FeedbackStore,
  type MerchantRules,
  type Order,
  type ProductListRule,
  type RankingSnapshot,
  type Recommendation,
  type RecommendationReason,
  type Rng,
  type ThompsonPropensities,
} from "~/core/ranking";
import { bundleCompanions } from "~/core/offers";
import type { ShopSettings } from "~/core/settings";
import { listProductCards, mapVariantsToProducts, productCardPages, rankingCatalogProduct, type ProductCard } from "~/models/catalog.server";
import { orderHistoryPages } from "~/models/order-history.server";
import { listActiveOffers } from "~/models/offer.server";
import { findLatestRankingSnapshot, latestRankingSnapshotBuiltAt, loadRecommendationRules, saveRankingSnapshot } from "~/models/ranking-snapshot.server";
import { getShopSettings } from "~/models/shop-settings.server";
import { isShopInstalled } from "~/models/shop.server";
import { aggregateRecommendationFeedback, onWidgetEventsRecorded } from "~/models/widget-event.server";
import { enqueueJob } from "./jobs.server";
import { productsOfOfferVariants } from "./offer-variant-products.server";
import { timeSlicer } from "./time-slices.server";

/**
 * Serving recommendations for a shop from memory. A shop's model is its ranking snapshot, the
 * product cards widgets display, the merchant's rules and settings, and the widgets' feedback
 * counts. Snapshot and cards are replaced together in one assignment, so a request sees either
 * the old model or the new one, never half of each. Rebuilds happen after imports, periodically
 * (rebuild-scheduler.server.ts) and when a loaded model is stale; new orders reach the model
 * between rebuilds through applyNewOrder. The newest snapshot is persisted so a restart serves at once.
 */
export interface ServingSettings {
  learnFromFeedback: boolean;
  maxPerProductType: number;
  halfLifeDays: number;
  /** Most items the storefront gets per placement; 0 when the merchant turned the placement off. */
  pdpLimit: number;
  cartLimit: number;
  /**
   * The storefront's order-based requests (placement=post_purchase), capped by the merchant's
   * post-purchase placement like the others. Checkout's own offer (services/post-purchase) does
   * not read this: it checks the placement itself and draws from a wider candidate pool.
   */
  postPurchaseLimit: number;
}

export interface ServingFeedback {
  /** Impressions, clicks and adds per (anchor, product, placement), from WidgetEvent rows. */
  readonly store: FeedbackStore;
  /** Events with ids up to this one are counted. */
  throughEventId: number;
  /** Bumped whenever counts change: cached propensities belong to one version. */
  version: number;
  refreshedAt: number;
  /** Events were recorded (by this process) since the last refresh. */
  stale: boolean;
  refreshing: Promise<void> | null;
  readonly propensities: Map<string, ThompsonPropensities>;
}

export interface ServingModel {
  snapshot: RankingSnapshot;
  cards: Map<string, ProductCard>;
  variantToProduct: Map<string, string>;
  rules: MerchantRules;
  settings: ServingSettings;
  /** Shared by every model of the shop: a rebuild swaps the snapshot, the counts carry on. */
  feedback: ServingFeedback;
}

/** An order as the orders/create webhook delivers it (`id`: the Shopify order id, as Order.shopifyId). */
export interface NewOrder {
  id: string;
  placedAt: Date;
  lines: { productId: string; quantity: number }[];
}

interface LiveStatistics {
  /** The statistics the serving snapshot was built from, kept up to date by applyNewOrder. */
  readonly stats: CoPurchaseStats;
  readonly appliedOrderIds: Set<string>;
}

interface ShopServingState {
  live?: LiveStatistics;
  /** Orders applied while a rebuild was reading the history; replayed into its statistics. */
  arrivedDuringRebuild?: NewOrder[];
  /** Orders applied since the serving snapshot was built (the scheduler reads this). */
  ordersSinceBuild: number;
  /**
   * One set per build or load in flight: the products catalog webhooks changed since it read the
   * cards. It reads those again before it serves, or it would bring back a product that sold out
   * meanwhile (refreshServedProducts).
   */
  catalogWatches: Set<Set<string>>;
}

interface ServingRegistry {
  models: Map<string, ServingModel>;
  loading: Map<string, Promise<ServingModel>>;
  shops: Map<string, ShopServingState>;
  /**
   * Bumped by applyMerchantChanges (a pin, an exclusion, a setting): a build or load that read the
   * rules before that reads them again before it serves.
   */
  rulesGeneration: Map<string, number>;
  /** Per shop, the count of rebuilds started, and which of them (by that count) is installed. */
  rebuildsStarted: Map<string, number>;
  rebuildsInstalled: Map<string, number>;
  rng: Rng;
  /** How long a rebuild works before it lets queued requests run (tests set 0: after every step). */
  rebuildSliceMs?: number;
}

declare global {
  // One registry per process: server.ts-loaded modules and Vite-loaded route modules are separate
  // module instances in development, and both must see the same models.
  var upshelfServing: ServingRegistry | undefined;
}

const registry: ServingRegistry = (globalThis.upshelfServing ??= {
  models: new Map(),
  loading: new Map(),
  shops: new Map(),
  rulesGeneration: new Map(),
  rebuildsStarted: new Map(),
  rebuildsInstalled: new Map(),
  rng: mulberry32(Math.floor(Math.random() * 2 ** 32)),
});
// A registry made by an older module version (development reloads) lacks the newer map.
registry.rulesGeneration ??= new Map();
registry.rebuildsStarted ??= new Map();
registry.rebuildsInstalled ??= new Map();

/** After events arrive, counts are re-read this soon (at most this often), and in any case this often. */
export const FEEDBACK_MIN_REFRESH_MS = 2_000;
export const FEEDBACK_MAX_AGE_MS = 60_000;
/** A persisted model older than this is served but rebuilt in the background at load. */
export const STALE_MODEL_AFTER_MS = 24 * 3_600_000;
/** Monte Carlo draws behind a cached propensity table (± about 0.035 at p = 0.5). */
const PROPENSITY_SAMPLES = 200;
const MAX_CACHED_PROPENSITY_TABLES = 10_000;
/** Draws behind a cart's or an order's propensity table (± about 0.09 at p = 0.5). */
const CONTEXT_PROPENSITY_SAMPLES = 31;

/** For tests: how long a rebuild works between the moments it lets queued requests run (undefined: the default). */
export function setRebuildSliceMs(ms: number | undefined): void {
  registry.rebuildSliceMs = ms;
}

/** Tests make serving deterministic with a seeded rng (e.g. mulberry32(1)). */
export function setServingRng(rng: Rng): void {
  registry.rng = rng;
}

function shopState(shopId: string): ShopServingState {
  let state = registry.shops.get(shopId);
  if (!state) {
    state = { ordersSinceBuild: 0, catalogWatches: new Set() };
    registry.shops.set(shopId, state);
  }
  // A state made by an older module version (development reloads keep the registry) lacks it.
  state.catalogWatches ??= new Set();
  return state;
}

function indexCards(cards: ProductCard[]) {
  return {
    cards: new Map(cards.map((card) => [card.productId, card])),
    variantToProduct: new Map(cards.flatMap((card) => card.variantIds.map((variantId) => [variantId, card.productId] as const))),
  };
}

function servingSettings(settings: ShopSettings): ServingSettings {
  const { learnFromFeedback, maxPerProductType, halfLifeDays } = settings.recommendations;
  const limit = (placement: { enabled: boolean; limit: number }) => (placement.enabled ? placement.limit : 0);
  const { pdp, cart, post_purchase } = settings.placements;
  return {
    learnFromFeedback,
    maxPerProductType,
    halfLifeDays,
    pdpLimit: limit(pdp),
    cartLimit: limit(cart),
    postPurchaseLimit: limit(post_purchase),
  };
}

/**
 * The most items a storefront request for `placement` may get (0: the merchant turned it off).
 * Only the storefront endpoint asks: the post-purchase and thank-you offers
 * (services/post-purchase/find-offer.server.ts) check their own placement's switch and call
 * recommend() with their candidate pool, which this cap must not shrink.
 */
export function placementLimit(settings: ServingSettings, placement: RecommendationContext["placement"]): number {
  return placement === "pdp" ? settings.pdpLimit : placement === "cart" ? settings.cartLimit : settings.postPurchaseLimit;
}

/** The merchant's rules and serving settings as they are now, for a model about to serve. */
async function currentRulesAndSettings(shopId: string): Promise<{ rules: MerchantRules; settings: ServingSettings }> {
  const [rules, settings] = await Promise.all([merchantRules(shopId), getShopSettings(shopId)]);
  const serving = servingSettings(settings);
  // One price range for every placement, the post-purchase and thank-you offers included (they
  // are drawn from this model too); pins are exempt (merchant-rules.ts). Absent when unbounded.
  const { min, max } = settings.recommendations.priceRange;
  const priceRange = { ...(min !== null ? { min } : {}), ...(max !== null ? { max } : {}) };
  return {
    rules: {
      ...rules,
      maxPerProductType: serving.maxPerProductType,
      ...(min !== null || max !== null ? { priceRange } : {}),
    },
    settings: serving,
  };
}

/**
 * What a build or load that started at `generation` serves with: what it read then, unless the
 * rules changed since (the merchant pinned a product while it ran), then what they are now.
 */
async function rulesToServe(
  shopId: string,
  generation: number,
  read: { rules: MerchantRules; settings: ServingSettings },
): Promise<{ rules: MerchantRules; settings: ServingSettings }> {
  let current = read;
  let seen = generation;
  while (rulesGeneration(shopId) !== seen) {
    seen = rulesGeneration(shopId);
    current = await currentRulesAndSettings(shopId);
  }
  return current;
}

function sameRules(a: MerchantRules, b: MerchantRules): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

async function merchantRules(shopId: string): Promise<Omit<MerchantRules, "maxPerProductType">> {
  const rows = await loadRecommendationRules(shopId);
  const collect = (kind: string) => {
    const global: string[] = [];
    const byProduct: Record<string, string[]> = {};
    for (const row of rows.filter((rule) => rule.kind === kind)) {
      if (row.anchorProductId === "") global.push(row.productId);
      else (byProduct[row.anchorProductId] ??= []).push(row.productId);
    }
    return { global, byProduct };
  };
  return { pins: collect("pin"), exclusions: collect("exclude"), bundles: await liveBundleCompanions(shopId) };
}

/** The merchant's bundles as serve-time rules: each product's companions lead its recommendations. */
async function liveBundleCompanions(shopId: string): Promise<ProductListRule> {
  const offers = await listActiveOffers(shopId);
  return { byProduct: bundleCompanions(offers, { now: Date.now(), productOfVariant: await productsOfOfferVariants(shopId, offers) }) };
}

function newFeedback(): ServingFeedback {
  return {
    store: createFeedbackStore(),
    throughEventId: 0,
    version: 0,
    refreshedAt: 0,
    stale: false,
    refreshing: null,
    propensities: new Map(),
  };
}

const FEEDBACK_PLACEMENTS = new Set(["pdp", "cart", "post_purchase"]);

/** Adds the events recorded since the last refresh (counted by the database) to the counts. */
async function refreshFeedback(shopId: string, feedback: ServingFeedback, now: number): Promise<void> {
  const staleBefore = feedback.stale;
  feedback.stale = false;
  try {
    const { rows, throughId } = await aggregateRecommendationFeedback(shopId, feedback.throughEventId);
    let changed = false;
    for (const row of rows) {
      if (!FEEDBACK_PLACEMENTS.has(row.placement)) continue;
      recordFeedback(feedback.store, {
        anchorKey: row.anchorProductId ?? "",
        productId: row.productId,
        placement: row.placement as "pdp" | "cart" | "post_purchase",
        kind: row.kind,
        count: row.count,
      });
      changed = true;
    }
    feedback.throughEventId = throughId;
    feedback.refreshedAt = now;
    if (changed) {
      feedback.version += 1;
      feedback.propensities.clear();
    }
  } catch (error) {
    feedback.stale = feedback.stale || staleBefore;
    throw error;
  }
}

/**
 * A model built since the served one and saved by another app process (the scheduler's rebuild
 * job runs in whichever process claims it, and the others keep the model they hold in memory), or
 * null. Not while this process rebuilds the shop: its own build is installed first, and a newer
 * one saved elsewhere is taken at the following refresh.
 */
async function newerSavedSnapshot(shopId: string, served: RankingSnapshot): Promise<RankingSnapshot | null> {
  if (registry.shops.get(shopId)?.arrivedDuringRebuild) return null;
  const builtAt = await latestRankingSnapshotBuiltAt(shopId);
  if (!builtAt || builtAt.getTime() <= served.builtAt) return null;
  const saved = await findLatestRankingSnapshot(shopId);
  return saved && saved.builtAt.getTime() > served.builtAt ? deserializeSnapshot(saved.data) : null;
}

/**
 * Settings and the merchant's rules are re-read with the feedback, so a change made through
 * another app process (which could only forget its own copy) applies here within a minute; so
 * does a model another process rebuilt and saved.
 */
async function refreshServing(shopId: string, model: ServingModel, now: number): Promise<void> {
  const generation = rulesGeneration(shopId);
  const [{ rules, settings }, , newer] = await Promise.all([
    currentRulesAndSettings(shopId),
    refreshFeedback(shopId, model.feedback, now),
    newerSavedSnapshot(shopId, model.snapshot),
  ]);
  const current = registry.models.get(shopId);
  if (!current || current.feedback !== model.feedback) return;
  let next = current;
  if (newer && newer.builtAt > current.snapshot.builtAt && !registry.shops.get(shopId)?.arrivedDuringRebuild) {
    next = { ...next, snapshot: newer };
    // The statistics kept here belong to the replaced build: new orders are only counted until
    // the next rebuild in this process (applyNewOrder), as after a load.
    const state = shopState(shopId);
    state.live = undefined;
    state.ordersSinceBuild = 0;
  }
  // A merchant change made meanwhile applies its own, newer reading: this one must not overwrite it.
  // Unchanged settings and rules keep the model object, and with it the rankings and slate pools
  // cached per model: replacing it every minute would re-rank every product page for nothing.
  if (rulesGeneration(shopId) === generation && (!sameServingSettings(current.settings, settings) || !sameRules(current.rules, rules))) {
    next = { ...next, settings, rules };
  }
  if (next !== current) registry.models.set(shopId, next);
}

function sameServingSettings(a: ServingSettings, b: ServingSettings): boolean {
  // Every field, so a setting added to ServingSettings is compared without touching this; both
  // sides' keys, since a model made by an older module version (development reloads) lacks it.
  const keys = new Set([...Object.keys(a), ...Object.keys(b)] as (keyof ServingSettings)[]);
  return [...keys].every((key) => a[key] === b[key]);
}

function maybeRefresh(shopId: string, model: ServingModel, now: number): void {
  const { feedback } = model;
  if (feedback.refreshing) return;
  const age = now - feedback.refreshedAt;
  if (age < FEEDBACK_MAX_AGE_MS && !(feedback.stale && age >= FEEDBACK_MIN_REFRESH_MS)) return;
  feedback.refreshing = refreshServing(shopId, model, now)
    .catch((error: unknown) => console.error(`Refreshing recommendation feedback for ${shopId} failed:`, error))
    .finally(() => {
      feedback.refreshing = null;
    });
}

onWidgetEventsRecorded("recommendations-feedback", (shopId, events) => {
  const model = registry.models.get(shopId);
  if (!model) return;
  if (events.some((event) => event.kind === "impression" || event.kind === "click" || event.kind === "add_to_cart")) {
    model.feedback.stale = true;
  }
});

function historyOrder(order: NewOrder): Order {
  return {
    id: order.id,
    createdAt: order.placedAt.getTime(),
    lines: order.lines,
  };
}

/** Builds a fresh model from the shop's orders and catalog, persists it and starts serving it. */
export async function rebuildRecommendations(shopId: string, now: Date = new Date()): Promise<ServingModel> {
  const state = shopState(shopId);
  const arrived: NewOrder[] = [];
  state.arrivedDuringRebuild = arrived;
  const catalogChanges = watchCatalog(state);
  const generation = rulesGeneration(shopId);
  // Rebuilds of one shop may overlap (a new half-life queues one beside a running one): the one
  // started last is served and persisted, whichever finishes first.
  const started = (registry.rebuildsStarted.get(shopId) ?? 0) + 1;
  registry.rebuildsStarted.set(shopId, started);
  const superseded = () => (registry.rebuildsInstalled.get(shopId) ?? 0) > started;
  // The build takes seconds on a large shop; storefront requests are answered between slices.
  const slicer = timeSlicer(registry.rebuildSliceMs);
  try {
    const read = await currentRulesAndSettings(shopId);
    const builtCards = await slicer.collect(productCardPages(shopId));
    // The merchant's half-life applies to the statistics, i.e. at build.
    const stats = createCoPurchaseStats({ halfLifeDays: read.settings.halfLifeDays });
    const appliedOrderIds = new Set<string>();
    for await (const page of orderHistoryPages(shopId)) {
      for (const order of page) {
        appliedOrderIds.add(order.id);
        addOrder(stats, order);
        await slicer.pause();
      }
    }
    let snapshot = await slicer.run(buildSnapshotSteps(stats, builtCards.map(rankingCatalogProduct), { now: now.getTime() }));
    // Orders that arrived while the history was read or the model built: the history may have missed them.
    const late = arrived.filter((order) => !appliedOrderIds.has(order.id));
    for (const order of late) {
      appliedOrderIds.add(order.id);
      addOrder(stats, historyOrder(order));
    }
    if (late.length > 0) {
      snapshot = refreshSnapshotRows(
        snapshot,
        stats,
        late.flatMap((order) => order.lines.map((line) => line.productId)),
        {
          now: now.getTime(),
        }
      );
    }
    const newer = registry.models.get(shopId);
    if (superseded() && newer) return newer;
    // Megabytes on a large shop: encoded and written a part at a time, between requests.
    const parts = await slicer.run(serializeSnapshotSteps(snapshot));
    await saveRankingSnapshot(
      shopId,
      { version: snapshot.version, builtAt: now, orderCount: snapshot.orderCount, productCount: snapshot.productIds.length },
      parts,
      slicer.pause,
    );
    const previous = registry.models.get(shopId);
    const feedback = previous?.feedback ?? newFeedback();
    if (!previous) await refreshFeedback(shopId, feedback, Date.now());
    const serving = await rulesToServe(shopId, generation, read);
    const cards = await withCatalogChanges(shopId, builtCards, catalogChanges);
    const model: ServingModel = { snapshot, ...serving, feedback, ...indexCards(cards) };
    const latest = registry.models.get(shopId);
    if (superseded() && latest) return latest;
    registry.rebuildsInstalled.set(shopId, started);
    registry.models.set(shopId, model);
    state.live = { stats, appliedOrderIds };
    state.ordersSinceBuild = late.length;
    return model;
  } finally {
    if (state.arrivedDuringRebuild === arrived) state.arrivedDuringRebuild = undefined;
    state.catalogWatches.delete(catalogChanges);
  }
}

/** Starts collecting the products catalog webhooks change from now on (see catalogWatches). */
function watchCatalog(state: ShopServingState): Set<string> {
  const changes = new Set<string>();
  state.catalogWatches.add(changes);
  return changes;
}

/**
 * The cards a build or load read, with the products changed since then read again. Changes that
 * arrive during that read are read in turn; the caller installs the result without awaiting
 * anything else, so no change falls between.
 */
async function withCatalogChanges(shopId: string, cards: readonly ProductCard[], changes: Set<string>): Promise<ProductCard[]> {
  if (changes.size === 0) return [...cards];
  const byId = new Map(cards.map((card) => [card.productId, card]));
  while (changes.size > 0) {
    const productIds = [...changes];
    changes.clear();
    const fresh = new Map((await listProductCards(shopId, { productIds })).map((card) => [card.productId, card]));
    for (const productId of productIds) {
      const card = fresh.get(productId);
      if (card) byId.set(productId, card);
      else byId.delete(productId);
    }
  }
  return [...byId.values()];
}

/**
 * Adds one new order to the shop's model without a rebuild. The statistics of the last build are
 * kept in memory; the order is added to them and the candidate rows of its products are
 * recomputed (refreshSnapshotRows), so "bought together" reflects the order on the next request.
 * That costs well under a millisecond per product, against seconds for a full build of a shop
 * with tens of thousands of orders. Products whose rows were not refreshed, popularity and the
 * cold-start lists catch up at the next rebuild, which the scheduler starts for shops with new
 * orders. Without statistics in memory (the model was loaded from its persisted snapshot after a
 * restart), the order is only counted: the order is in the database, and the scheduler's rebuild
 * includes it. Webhooks are delivered at least once: an order already applied is ignored.
 */
export async function applyNewOrder(shopId: string, order: NewOrder): Promise<void> {
  const state = shopState(shopId);
  state.arrivedDuringRebuild?.push(order);
  const live = state.live;
  const model = registry.models.get(shopId);
  if (!live || !model) {
    state.ordersSinceBuild += 1;
    return;
  }
  if (live.appliedOrderIds.has(order.id)) return;
  live.appliedOrderIds.add(order.id);
  state.ordersSinceBuild += 1;
  addOrder(live.stats, historyOrder(order));
  const snapshot = refreshSnapshotRows(
    model.snapshot,
    live.stats,
    order.lines.map((line) => line.productId),
    { now: Math.max(model.snapshot.builtAt, order.placedAt.getTime()) }
  );
  const current = registry.models.get(shopId);
  if (current?.snapshot === model.snapshot) registry.models.set(shopId, { ...current, snapshot });
}

/** Orders applied since the serving model was built (0 when none or no model in memory). */
export function ordersSinceBuild(shopId: string): number {
  return registry.shops.get(shopId)?.ordersSinceBuild ?? 0;
}

/** The model serving this shop: in memory, else the last persisted one, else built now. */
export function getServingModel(shopId: string, now: Date = new Date()): Promise<ServingModel> {
  const ready = registry.models.get(shopId);
  if (ready) {
    maybeRefresh(shopId, ready, now.getTime());
    return Promise.resolve(ready);
  }
  let pending = registry.loading.get(shopId);
  if (!pending) {
    pending = loadServingModel(shopId, now).finally(() => registry.loading.delete(shopId));
    registry.loading.set(shopId, pending);
  }
  return pending;
}

/** Asked to serve a shop without Upshelf (never installed, uninstalled, or its data erased). */
export class UnknownShopError extends Error {
  constructor(readonly shopId: string) {
    super(`Upshelf is not installed on ${shopId}.`);
    this.name = "UnknownShopError";
  }
}

async function loadServingModel(shopId: string, now: Date): Promise<ServingModel> {
  // Only a model in memory is served without asking: building one for a shop that is gone would
  // fail on its missing row, and serve nobody.
  if (!(await isShopInstalled(shopId))) throw new UnknownShopError(shopId);
  const generation = rulesGeneration(shopId);
  const saved = await findLatestRankingSnapshot(shopId);
  if (!saved) return rebuildRecommendations(shopId, now);
  const state = shopState(shopId);
  const catalogChanges = watchCatalog(state);
  let model: ServingModel;
  try {
    const [readCards, read] = await Promise.all([listProductCards(shopId), currentRulesAndSettings(shopId)]);
    const feedback = newFeedback();
    await refreshFeedback(shopId, feedback, now.getTime());
    const serving = await rulesToServe(shopId, generation, read);
    const cards = await withCatalogChanges(shopId, readCards, catalogChanges);
    model = { snapshot: deserializeSnapshot(saved.data), ...serving, feedback, ...indexCards(cards) };
  } finally {
    state.catalogWatches.delete(catalogChanges);
  }
  registry.models.set(shopId, model);
  if (now.getTime() - saved.builtAt.getTime() > STALE_MODEL_AFTER_MS) {
    // Serve the old model now; the rebuild swaps in a fresh one when it is done.
    await enqueueJob(shopId, "rebuild_recommendations", { reason: "stale_at_load" }, { reuseActive: true });
  }
  return model;
}

/**
 * After catalog webhooks (a product created, changed or deleted, a variant's stock changed): the
 * products' cards as they are now serve at once, so a product that sold out or was unpublished
 * is not offered and prices are current. The ranking itself catches up at the next rebuild. The
 * model is replaced (dropping its cached rankings) only when a card really changed.
 */
export async function refreshServedProducts(
  shopId: string,
  changed: { productIds?: readonly string[]; variantIds?: readonly string[] },
): Promise<{ readonly unknownToModel: readonly string[] }> {
  const none = { unknownToModel: [] };
  const watches = registry.shops.get(shopId)?.catalogWatches ?? new Set<Set<string>>();
  if (!registry.models.has(shopId) && watches.size === 0) return none;
  const productIds = new Set(changed.productIds ?? []);
  if (changed.variantIds && changed.variantIds.length > 0) {
    for (const productId of (await mapVariantsToProducts(shopId, [...changed.variantIds])).values()) productIds.add(productId);
  }
  // A build or load in flight read the cards before this change: it reads these again.
  for (const watch of watches) for (const productId of productIds) watch.add(productId);
  if (productIds.size === 0 || !registry.models.has(shopId)) return none;
  const fresh = new Map((await listProductCards(shopId, { productIds: [...productIds] })).map((card) => [card.productId, card]));
  const current = registry.models.get(shopId);
  if (!current) return none;
  const cards = new Map(current.cards);
  let differs = false;
  for (const productId of productIds) {
    const card = fresh.get(productId);
    const before = cards.get(productId);
    if (!card) {
      differs = cards.delete(productId) || differs;
    } else if (!before || JSON.stringify(before) !== JSON.stringify(card)) {
      cards.set(productId, card);
      differs = true;
    }
  }
  if (differs) registry.models.set(shopId, { ...current, ...indexCards([...cards.values()]) });
  // Servable products the snapshot has never seen (created since the build) have no place in any
  // ranking, nor can a pin reach them, until the next build: the caller asks for one.
  const unknownToModel = [...fresh.values()]
    .filter((card) => card.available && card.published && !current.snapshot.positions.has(card.productId))
    .map((card) => card.productId);
  return { unknownToModel };
}

/** Drops everything this process holds for a shop (uninstall, shop/redact). */
export function forgetServingModel(shopId: string): void {
  registry.models.delete(shopId);
  registry.shops.delete(shopId);
  bumpRulesGeneration(shopId);
}

function rulesGeneration(shopId: string): number {
  return registry.rulesGeneration.get(shopId) ?? 0;
}

function bumpRulesGeneration(shopId: string): void {
  registry.rulesGeneration.set(shopId, rulesGeneration(shopId) + 1);
}

/**
 * After the merchant changed a pin, an exclusion or a setting: the model in memory serves with
 * the rules and settings as they are now (same snapshot, feedback and live statistics, so orders
 * keep teaching it), and a build or load in flight reads them again before it serves.
 */
export async function applyMerchantChanges(shopId: string): Promise<void> {
  bumpRulesGeneration(shopId);
  const generation = rulesGeneration(shopId);
  if (!registry.models.has(shopId)) return;
  const { rules, settings } = await currentRulesAndSettings(shopId);
  // A later change reads and applies its own; otherwise this reading goes onto whichever model
  // serves now (a catalog or feedback refresh may have replaced it meanwhile).
  if (rulesGeneration(shopId) !== generation) return;
  const current = registry.models.get(shopId);
  if (current) registry.models.set(shopId, { ...current, rules, settings });
}

export type RecommendationContext =
  | { placement: "pdp"; productId: string }
  | { placement: "cart" | "post_purchase"; productIds: string[] };

export interface ServedRecommendation {
  productId: string;
  variantId: string;
  handle: string;
  title: string;
  price: { amount: number; currency: string };
  compareAtPrice: { amount: number; currency: string } | null;
  image: string | null;
  score: number;
  reason: RecommendationReason;
  reasonText: string;
  /**
   * Probability that the serving policy put this item at this position, to be logged with the
   * widget's events for off-policy evaluation: 1 for a deterministic list (feedback learning
   * off, pinned items), else the Thompson sampler's estimate.
   */
  propensity: number;
}

/**
 * The anchor the feedback of this answer is counted under (the widget sends it back as the
 * events' `anchor`): the product for a product page; for a cart or an order, its first product
 * the model knows (the item the buyer came for), or null.
 */
export function feedbackAnchor(model: ServingModel, context: RecommendationContext): string | null {
  if (context.placement === "pdp") return context.productId;
  return context.productIds.find((id) => model.snapshot.positions.has(id)) ?? null;
}

/**
 * Pseudo-impressions behind the static ranking's prior at serve time. With the core default (40)
 * a shop with no feedback yet would see its top candidates in near-random order; at 400 the
 * learned order holds until a few hundred impressions say otherwise, and neighbours still swap,
 * which is the exploration the bandit needs.
 */
export const SERVING_PRIOR_STRENGTH = 400;

/** How many of the static ranking's best candidates Thompson sampling chooses from. */
export function explorationPool(limit: number): number {
  return Math.min(20, Math.max(limit + 4, limit * 2));
}

export function recommend(
  model: ServingModel,
  context: RecommendationContext,
  limit: number,
  options: { rng?: Rng } = {}
): ServedRecommendation[] {
  return toServed(model, rankDraws(model, context, limit, options.rng ?? registry.rng, 1)[0] ?? []);
}

type RankedPick = Recommendation & { propensity: number };

/** The static ranking a draw of `limit` items chooses from: every product any draw can return. */
function candidatePicks(model: ServingModel, context: RecommendationContext, limit: number) {
  const staticOptions = {
    limit: model.settings.learnFromFeedback ? Math.max(limit, explorationPool(limit)) : limit,
    rules: model.rules,
    // The cards, not the snapshot, are current: catalog webhooks refresh them between rebuilds.
    isAvailable: (productId: string) => model.cards.get(productId)?.available === true,
    isPublished: (productId: string) => model.cards.get(productId)?.published === true,
    priceOf: (productId: string) => model.cards.get(productId)?.price,
    // A product without a card (deleted since the build) is judged by the snapshot's type.
    productTypeOf: (productId: string) => model.cards.get(productId)?.productType,
  };
  return staticRanking(model, context, staticOptions.limit, () => {
    if (context.placement === "pdp") return recommendForProduct(model.snapshot, context.productId, staticOptions);
    if (context.placement === "cart") return recommendForCart(model.snapshot, context.productIds, staticOptions);
    // After checkout a bundle's discount cannot apply: its companions are ranked like any product.
    const { bundles: _unused, ...afterCheckout } = model.rules;
    return recommendForOrder(model.snapshot, context.productIds, { ...staticOptions, rules: afterCheckout });
  });
}

/**
 * Every product `recommend(model, context, limit)` could return, in the static order, without
 * drawing: what a later request checks a choice against (a draw made again may order them otherwise).
 */
export function recommendationCandidates(model: ServingModel, context: RecommendationContext, limit: number): ServedRecommendation[] {
  return toServed(model, undrawn(candidatePicks(model, context, limit)));
}

/** Static picks as served without a draw: each is certain to be where it is. */
function undrawn(picks: readonly Recommendation[]): RankedPick[] {
  return picks.map((pick) => ({ productId: pick.productId, score: pick.score, reason: pick.reason, propensity: 1 }));
}

/**
 * The policy's answers for a context: the static ranking (cached per model and context), then,
 * with learning on, `draws` Thompson draws over its best candidates. With one draw each pick
 * carries the Monte Carlo estimate of its propensity (cached per posterior shape); with several
 * (a pool) each pick's propensity is its frequency in the pool.
 */
function rankDraws(model: ServingModel, context: RecommendationContext, limit: number, rng: Rng, draws: number): RankedPick[][] {
  const learn = model.settings.learnFromFeedback;
  const picks = candidatePicks(model, context, limit);
  if (!learn || picks.length === 0)
    return [undrawn(picks.slice(0, limit))];

  const thompson = {
    anchorKey: feedbackAnchor(model, context) ?? "",
    placement: context.placement,
    feedback: model.feedback.store,
    rng,
    slots: limit,
    priorStrength: SERVING_PRIOR_STRENGTH,
  };
  if (draws > 1) return drawThompsonSlatePool(picks, thompson, draws);
  // One draw: the admin preview and post-purchase offers (widgets are served from pools, see
  // recommendJson). A product page's candidates recur, so a 200-draw propensity table pays for
  // itself; an order's rarely do, and 200 draws cost about 200 µs, so its table takes fewer.
  const samples = context.placement === "pdp" ? PROPENSITY_SAMPLES : CONTEXT_PROPENSITY_SAMPLES;
  return [rerankWithThompsonSampling(picks, { ...thompson, propensities: cachedPropensities(model.feedback, picks, thompson, samples) })];
}

function toServed(model: ServingModel, ranked: readonly RankedPick[]): ServedRecommendation[] {
  const served: ServedRecommendation[] = [];
  for (const pick of ranked) {
    const card = model.cards.get(pick.productId);
    if (!card) continue;
    const reason = withCurrentTitle(model, pick.reason);
    served.push({
      productId: card.productId,
      variantId: card.variantId,
      handle: card.handle,
      title: card.title,
      price: { amount: card.price, currency: card.currency },
      compareAtPrice: card.compareAtPrice !== null ? { amount: card.compareAtPrice, currency: card.currency } : null,
      image: card.imageUrl,
      score: Math.round(pick.score * 1e6) / 1e6,
      reason,
      reasonText: describeReason(reason),
      propensity: Math.round(pick.propensity * 1e4) / 1e4,
    });
  }
  return served;
}

/**
 * "Similar to X" names X as the catalog has it now: the snapshot keeps titles from its build, and
 * a product renamed since (a products/update webhook refreshes its card at once) would otherwise
 * be named by its old title until the next rebuild.
 */
function withCurrentTitle(model: ServingModel, reason: RecommendationReason): RecommendationReason {
  if (reason.kind !== "similar") return reason;
  const title = model.cards.get(reason.toProductId)?.title;
  return title === undefined || title === reason.toTitle ? reason : { ...reason, toTitle: title };
}

/**
 * Widgets ask for the same contexts over and over: every view of a product page, and every page
 * a buyer opens with the same cart. Rather than a Thompson draw per request, each (context,
 * limit) keeps a pool of SLATE_POOL_SIZE slates drawn from the policy, ready as JSON, and a
 * request serves one of them uniformly at random. The pool belongs to one model object and one
 * feedback version, so it is re-drawn whenever counts or settings change, and at the latest
 * after SLATE_POOL_MAX_AGE_MS: exploration goes on even when nothing new arrives.
 * Each item's logged propensity is its exact frequency at that position in the pool, which is
 * the probability under the policy actually served.
 */
export const SLATE_POOL_SIZE = 16;
export const SLATE_POOL_MAX_AGE_MS = 60_000;
/** Pools kept per model: product pages (one per anchor) and carts and orders, apart, so a burst of new carts cannot evict the product pages. */
const MAX_POOLED_PRODUCT_PAGES = 5_000;
const MAX_POOLED_CONTEXTS = 2_000;
interface SlatePool {
  feedbackVersion: number;
  drawnAt: number;
  slates: string[];
}
interface ModelSlatePools {
  productPages: Map<string, SlatePool>;
  contexts: Map<string, SlatePool>;
}
const slatePools = new WeakMap<ServingModel, ModelSlatePools>();

/** `recommend`, served from the context's pool: the recommendations array as JSON. */
export function recommendJson(
  model: ServingModel,
  context: RecommendationContext,
  limit: number,
  options: { rng?: Rng; now?: number } = {}
): string {
  const rng = options.rng ?? registry.rng;
  const now = options.now ?? Date.now();
  let pools = slatePools.get(model);
  if (!pools) {
    pools = { productPages: new Map(), contexts: new Map() };
    slatePools.set(model, pools);
  }
  const [byKey, max] =
    context.placement === "pdp" ? [pools.productPages, MAX_POOLED_PRODUCT_PAGES] : [pools.contexts, MAX_POOLED_CONTEXTS];
  const key = contextKey(context, limit);
  let pool = byKey.get(key);
  if (!pool || pool.feedbackVersion !== model.feedback.version || now - pool.drawnAt >= SLATE_POOL_MAX_AGE_MS) {
    // With a strong prior most draws repeat. Propensities follow from (item, position), so the
    // same items in the same order make the same answer: render it once and share the string.
    const rendered = new Map<string, string>();
    const slates = rankDraws(model, context, limit, rng, SLATE_POOL_SIZE).map((ranked) => {
      const order = ranked.map((pick) => pick.productId).join(",");
      let json = rendered.get(order);
      if (json === undefined) {
        json = JSON.stringify(toServed(model, ranked));
        rendered.set(order, json);
      }
      return json;
    });
    pool = { feedbackVersion: model.feedback.version, drawnAt: now, slates };
    if (byKey.size >= max) byKey.clear();
    byKey.set(key, pool);
  }
  return pool.slates[Math.floor(rng() * pool.slates.length)] ?? "[]";
}

function contextKey(context: RecommendationContext, limit: number): string {
  return `${context.placement}\u0000${limit}\u0000${context.placement === "pdp" ? context.productId : context.productIds.join(",")}`;
}

/**
 * Propensities depend only on the candidates' posteriors (scores as priors, feedback counts) and
 * the slots, not on the draw served, so one Monte Carlo estimate serves every request with the
 * same posteriors until the counts change; a request then pays for one Thompson draw only.
 */
function cachedPropensities(
  feedback: ServingFeedback,
  picks: readonly Recommendation[],
  options: Parameters<typeof estimateThompsonPropensities>[1],
  samples: number
): ThompsonPropensities {
  const key = propensityCacheKey(picks, options);
  let table = feedback.propensities.get(key);
  if (!table) {
    table = estimateThompsonPropensities(picks, { ...options, samples });
    if (feedback.propensities.size >= MAX_CACHED_PROPENSITY_TABLES) feedback.propensities.clear();
    feedback.propensities.set(key, table);
  }
  return table;
}

/**
 * The static ranking of a context is a pure function of the model (snapshot, rules, settings,
 * inventory), so it is computed once per model and context: a product page's candidates are
 * ranked once, not per request. Models are replaced, never changed, so the cache needs no
 * invalidation; a WeakMap lets it go with its model.
 */
const staticRankings = new WeakMap<ServingModel, Map<string, Recommendation[]>>();
const MAX_CACHED_RANKINGS = 20_000;

function staticRanking(
  model: ServingModel,
  context: RecommendationContext,
  limit: number,
  compute: () => Recommendation[]
): Recommendation[] {
  let cache = staticRankings.get(model);
  if (!cache) {
    cache = new Map();
    staticRankings.set(model, cache);
  }
  const key = contextKey(context, limit);
  let picks = cache.get(key);
  if (!picks) {
    picks = compute();
    if (cache.size >= MAX_CACHED_RANKINGS) cache.clear();
    cache.set(key, picks);
  }
  return picks;
}
