/**
 * Tells the theme app extension which products have a quantity-breaks table or an upgrade to show
 * (see `storefrontOfferIndex`), so those blocks render nothing on other products instead of the
 * empty box they reserve to avoid layout shift; which holdout test runs (its key and share, from
 * which the widget script assigns each visitor); and the Settings page's widget defaults (headings,
 * accent colour, compare-at prices). All are app-data metafields on the app's installation: only
 * this app can write them, no access scope is needed, and Liquid reads them as
 * `app.metafields.upshelf.storefront.value`, `...experiment.value` and `...widgets.value`.
 *
 * Shopify's user errors are data: they come back in `errors`, never thrown; so do transport
 * failures. In demo mode the calls are recorded (RecordedAdminCall) instead of sent.
 */
import { storefrontOfferIndex, type StorefrontOfferIndex } from "~/core/offers";
import { storefrontWidgetDefaults, type ShopSettings, type StorefrontWidgetDefaults } from "~/core/settings";
import { runningExperiment } from "~/models/experiment.server";
import { listActiveOffers } from "~/models/offer.server";
import { getShopSettings } from "~/models/shop-settings.server";
import { AdminApiError, adminApiForShop, type AdminApi } from "./admin-api.server";
import { productsOfOfferVariants } from "./offer-variant-products.server";

export const STOREFRONT_INDEX_NAMESPACE = "upshelf";
export const STOREFRONT_INDEX_KEY = "storefront";
export const STOREFRONT_EXPERIMENT_KEY = "experiment";
export const STOREFRONT_WIDGET_DEFAULTS_KEY = "widgets";
/** Demo mode never learns the installation's id; recordings use this one. */
export const RECORDED_APP_INSTALLATION_ID = "gid://shopify/AppInstallation/recorded-in-demo";

export const APP_INSTALLATION_QUERY = `#graphql
query UpshelfAppInstallation {
  currentAppInstallation { id }
}`;

export const SET_STOREFRONT_INDEX_MUTATION = `#graphql
mutation UpshelfStorefrontIndexSet($metafields: [MetafieldsSetInput!]!) {
  metafieldsSet(metafields: $metafields) {
    metafields { id }
    userErrors { field message code }
  }
}`;

/** The index for the shop's offers as they are in the database now. */
export async function storefrontIndexForShop(shopId: string, now: Date = new Date()): Promise<StorefrontOfferIndex> {
  const offers = await listActiveOffers(shopId);
  return storefrontOfferIndex(offers, { now: now.getTime(), productOfVariant: await productsOfOfferVariants(shopId, offers) });
}

/** The running holdout test as the storefront needs it; empty when none runs. */
export type StorefrontExperiment = { key: string; holdout: number } | Record<string, never>;

export async function storefrontExperimentForShop(shopId: string): Promise<StorefrontExperiment> {
  const experiment = await runningExperiment(shopId);
  return experiment ? { key: experiment.key, holdout: experiment.holdoutBasisPoints } : {};
}

/** The Settings page's widget defaults as the storefront reads them (see `storefrontWidgetDefaults`). */
export async function storefrontWidgetDefaultsForShop(shopId: string): Promise<StorefrontWidgetDefaults> {
  return storefrontWidgetDefaults(await getShopSettings(shopId));
}

/**
 * After a settings save: sends the storefront state again when the widget defaults it carries
 * changed (a heading, the accent colour, compare-at prices); other settings never reach the theme.
 */
export async function syncWidgetDefaultsIfChanged(shopId: string, before: ShopSettings, after: ShopSettings): Promise<{ ok: boolean; errors: string[] }> {
  if (JSON.stringify(storefrontWidgetDefaults(before)) === JSON.stringify(storefrontWidgetDefaults(after))) return { ok: true, errors: [] };
  return syncStorefrontIndex(shopId);
}

export interface StorefrontIndexSyncResult {
  readonly ok: boolean;
  /** Sentences for the merchant; empty when all went well. */
  readonly errors: string[];
  readonly index: StorefrontOfferIndex;
}

export interface StorefrontIndexSyncOptions {
  /** Defaults to `adminApiForShop(shopId)` (recording in demo mode). */
  readonly api?: AdminApi;
  readonly now?: Date;
}

interface UserError {
  field?: string[] | null;
  message?: string;
}

const prefix = "Storefront offer index";

// Sends in progress, per shop. Each send reads the shop's state and writes it whole, so two sends
// that overlap could land in the wrong order (an offer save's older state after a test's stop) and
// leave visitors held out of a test that ended. Sends of one shop therefore run one at a time, each
// reading the state when its turn comes; and a send that finds the state changed while it wrote
// (another app process) writes again.
const sendsInProgress = new Map<string, Promise<unknown>>();
const MAX_WRITES_PER_SEND = 3;

export function syncStorefrontIndex(shopId: string, options: StorefrontIndexSyncOptions = {}): Promise<StorefrontIndexSyncResult> {
  const previous = sendsInProgress.get(shopId) ?? Promise.resolve();
  const send = previous.catch(() => undefined).then(() => sendUntilSettled(shopId, options));
  sendsInProgress.set(shopId, send);
  void send.finally(() => {
    if (sendsInProgress.get(shopId) === send) sendsInProgress.delete(shopId);
  }).catch(() => undefined);
  return send;
}

async function sendUntilSettled(shopId: string, options: StorefrontIndexSyncOptions): Promise<StorefrontIndexSyncResult> {
  const read = () =>
    Promise.all([storefrontIndexForShop(shopId, options.now ?? new Date()), storefrontExperimentForShop(shopId), storefrontWidgetDefaultsForShop(shopId)]);
  let state = await read();
  for (let write = 1; ; write++) {
    const result = await writeStorefrontState(shopId, options, ...state);
    if (!result.ok || write === MAX_WRITES_PER_SEND) return result;
    const now = await read();
    if (JSON.stringify(now) === JSON.stringify(state)) return result;
    state = now;
  }
}

async function writeStorefrontState(
  shopId: string,
  options: StorefrontIndexSyncOptions,
  index: StorefrontOfferIndex,
  experiment: StorefrontExperiment,
  widgets: StorefrontWidgetDefaults,
): Promise<StorefrontIndexSyncResult> {
  try {
    const api = options.api ?? (await adminApiForShop(shopId));
    const installation = await api.request<{ currentAppInstallation?: { id?: string } | null }>("UpshelfAppInstallation", APP_INSTALLATION_QUERY);
    const ownerId = installation?.currentAppInstallation?.id ?? (api.mode === "recording" ? RECORDED_APP_INSTALLATION_ID : null);
    if (!ownerId) return { ok: false, errors: [`${prefix}: Shopify did not return the app installation.`], index };
    const result = await api.request<{ metafieldsSet?: { userErrors?: UserError[] | null } | null }>("UpshelfStorefrontIndexSet", SET_STOREFRONT_INDEX_MUTATION, {
      metafields: [
        { ownerId, namespace: STOREFRONT_INDEX_NAMESPACE, key: STOREFRONT_INDEX_KEY, type: "json", value: JSON.stringify(index) },
        { ownerId, namespace: STOREFRONT_INDEX_NAMESPACE, key: STOREFRONT_EXPERIMENT_KEY, type: "json", value: JSON.stringify(experiment) },
        { ownerId, namespace: STOREFRONT_INDEX_NAMESPACE, key: STOREFRONT_WIDGET_DEFAULTS_KEY, type: "json", value: JSON.stringify(widgets) },
      ],
    });
    const errors = (result?.metafieldsSet?.userErrors ?? []).map(
      (error) => `${prefix}: ${error.field?.length ? `${error.field.join(".")}: ` : ""}${error.message ?? "Shopify rejected the change."}`,
    );
    return { ok: errors.length === 0, errors, index };
  } catch (error) {
    if (!(error instanceof AdminApiError)) throw error;
    return { ok: false, errors: [`${prefix}: ${error.message}`], index };
  }
}
