/**
 * Keeps Shopify's automatic app discount in step with the shop's offers, so checkout's discount
 * function has the configuration the storefront prices with. Call `syncShopDiscounts(shopId)`
 * after every change to a shop's offers (create, update, status, delete); it is cheap when
 * nothing changed (the configuration hash is compared before anything is sent).
 *
 * One discount carries every offer (docs/decisions/0005 and 0006): the function chooses the best
 * combination itself, which is what the widget shows. Shopify's user errors are data: they are
 * returned in the report and stored on the DiscountSync row, never thrown. Transport failures
 * (HTTP, GraphQL `errors`) are reported the same way. In demo mode every call is recorded
 * (RecordedAdminCall) instead of sent.
 */
import { createHash } from "node:crypto";
import {
  encodeFunctionConfiguration,
  FUNCTION_CONFIGURATION_KEY,
  FUNCTION_CONFIGURATION_NAMESPACE,
  type CombinesWith,
  type EncodedFunctionConfiguration,
  type OmittedOffer,
} from "~/core/offers";
import db from "~/db.server";
import { listActiveOffers } from "~/models/offer.server";
import { isUniqueViolation } from "~/models/unique-violation";
import { AdminApiError, adminApiForShop, type AdminApi } from "./admin-api.server";

/** The title merchants see in Shopify's discounts list and buyers see at checkout. */
export const DISCOUNT_TITLE = "Upshelf offers";
/** The one group: every offer the encoder includes rides on one discount. */
export const ALL_OFFERS_GROUP = "all-offers";
/** Set by `shopify app dev` (and by deploy pipelines) to the function's id for this app. */
export const FUNCTION_ID_ENV = "SHOPIFY_UPSHELF_DISCOUNT_ID";
/** The function's name in extensions/upshelf-discount/shopify.extension.toml. */
export const FUNCTION_TITLE = "Upshelf offers";
/** Demo mode never learns real ids; recordings use these so later calls stay readable. */
export const RECORDED_DISCOUNT_ID = "gid://shopify/DiscountAutomaticNode/recorded-in-demo";
export const RECORDED_FUNCTION_ID = "recorded-in-demo";

export const SYNC_CONTEXT_QUERY = `#graphql
query UpshelfDiscountSyncContext {
  shop { ianaTimezone }
  shopifyFunctions(first: 50) { nodes { id title apiType } }
}`;

export const CREATE_DISCOUNT_MUTATION = `#graphql
mutation UpshelfDiscountCreate($automaticAppDiscount: DiscountAutomaticAppInput!) {
  discountAutomaticAppCreate(automaticAppDiscount: $automaticAppDiscount) {
    automaticAppDiscount { discountId }
    userErrors { field message code }
  }
}`;

// The discount's fields and its configuration metafield in one request. metafieldsSet upserts by
// owner, namespace and key, which a MetafieldInput without the metafield's id does not promise.
export const UPDATE_DISCOUNT_MUTATION = `#graphql
mutation UpshelfDiscountUpdate($id: ID!, $automaticAppDiscount: DiscountAutomaticAppInput!, $metafields: [MetafieldsSetInput!]!) {
  discountAutomaticAppUpdate(id: $id, automaticAppDiscount: $automaticAppDiscount) {
    automaticAppDiscount { discountId }
    userErrors { field message code }
  }
  metafieldsSet(metafields: $metafields) {
    metafields { id }
    userErrors { field message code }
  }
}`;

export const DELETE_DISCOUNT_MUTATION = `#graphql
mutation UpshelfDiscountDelete($id: ID!) {
  discountAutomaticDelete(id: $id) {
    deletedAutomaticDiscountId
    userErrors { field message code }
  }
}`;

/**
 * What a DiscountSync row says about checkout. Only "synced" and "recorded" mean checkout holds
 * the configuration the storefront prices with; under any other state the storefront promises
 * no discount (app/services/offer-pricing.server.ts).
 * - error: the last write failed; the upkeep retries it (discount-upkeep.server.ts).
 * - deleted_in_shopify, deactivated_in_shopify: the merchant deleted the discount, or switched it
 *   off, in Shopify's admin. Nothing automatic undoes that: it comes back when the merchant
 *   restores it (Shopify data page), saves an offer, or switches it on again in Shopify.
 */
export type DiscountSyncStatus = "synced" | "recorded" | "error" | "deleted_in_shopify" | "deactivated_in_shopify";

/**
 * Whether checkout applies the configuration last written: the write succeeded, and no end date
 * the merchant set on the discount in Shopify's admin has passed.
 */
export function checkoutHoldsWrite(status: string, shopifyEndsAt: Date | null = null, now: Date = new Date()): boolean {
  return !pastShopifyEnd(shopifyEndsAt, now) && (status === "synced" || status === "recorded");
}

/** An end date the merchant set on the discount in Shopify's admin has passed. */
export function pastShopifyEnd(shopifyEndsAt: Date | null, now: Date): boolean {
  return shopifyEndsAt !== null && shopifyEndsAt.getTime() <= now.getTime();
}

export function isRemovedInShopify(status: string): status is "deleted_in_shopify" | "deactivated_in_shopify" {
  return status === "deleted_in_shopify" || status === "deactivated_in_shopify";
}

export const REMOVED_IN_SHOPIFY_MESSAGES = {
  deleted_in_shopify: "Upshelf's discount was deleted in Shopify's admin, so checkout applies none of your offers' savings and the storefront no longer promises them.",
  deactivated_in_shopify: "Upshelf's discount is switched off (expired or scheduled) in Shopify's admin, so checkout applies none of your offers' savings and the storefront no longer promises them.",
} as const;

export interface DiscountUserError {
  readonly operation: string;
  readonly field: readonly string[] | null;
  readonly message: string;
  readonly code: string | null;
}

/** "kept_removed": the merchant removed the discount in Shopify's admin and nobody asked for it back. */
/** "superseded": another app process created the discount at the same time; the one this run created was deleted. */
export type DiscountGroupAction = "created" | "updated" | "unchanged" | "deleted" | "failed" | "kept_removed" | "superseded";

export interface DiscountGroupResult {
  readonly groupKey: string;
  readonly action: DiscountGroupAction;
  readonly shopifyDiscountId: string | null;
  /** "recorded": demo mode, the call was recorded and not sent. */
  readonly status: "synced" | "recorded" | "error";
  readonly userErrors: readonly DiscountUserError[];
  /** What went wrong, for the merchant; null when nothing did. */
  readonly error: string | null;
}

export interface DiscountSyncReport {
  readonly shopId: string;
  readonly mode: AdminApi["mode"] | "unavailable";
  readonly status: "synced" | "recorded" | "error";
  /** Offers checkout will price. */
  readonly includedOfferIds: readonly string[];
  /**
   * Active offers checkout will NOT honour and the merchant should hear about: left out to fit
   * Shopify's 10,000-byte configuration ("size-limit") or for lack of schedule slots.
   */
  readonly leftOut: readonly LeftOutOffer[];
  /** Every active offer left out of the configuration, with the reason (ended, currency, …, and leftOut). Paused and draft offers are not considered at all. */
  readonly omitted: readonly OmittedOffer[];
  readonly byteLength: number;
  readonly groups: readonly DiscountGroupResult[];
  readonly userErrors: readonly DiscountUserError[];
  /** A failure before any discount could be handled (no API client, …); null otherwise. */
  readonly error: string | null;
  /** Every failure as a sentence for the merchant (transport errors and Shopify's user errors). Empty when all went well. */
  readonly errors: readonly string[];
  /** Sentences for `leftOut`: offers saved but not honoured at checkout. */
  readonly warnings: readonly string[];
}

/** An active offer checkout does not honour, with the sentence `warnings` names it in (by title). */
export interface LeftOutOffer extends OmittedOffer {
  readonly warning: string;
}

export interface SyncOptions {
  /** Defaults to `adminApiForShop(shopId)` (recording in demo mode). */
  readonly api?: AdminApi;
  readonly now?: Date;
  /**
   * True when nobody asked for this write (the upkeep, a webhook, a shop setting changing). A
   * discount the merchant removed in Shopify's admin then stays removed, and one that turns out
   * to be gone is recorded as deleted instead of created again. False (the default) for the
   * merchant's own saves and "Restore discount", which bring a removed discount back.
   */
  readonly automatic?: boolean;
}

interface SyncContext {
  readonly timeZone: string;
  readonly functionId: string | null;
}

interface DiscountPayload {
  readonly groupKey: string;
  readonly title: string;
  readonly discountClasses: readonly ("PRODUCT" | "ORDER")[];
  readonly combinesWith: CombinesWith;
  readonly value: string;
  readonly hash: string;
}

type SyncRow = Awaited<ReturnType<typeof db.discountSync.findMany>>[number];

interface UserErrorsPayload {
  userErrors?: { field?: string[] | null; message?: string; code?: string | null }[] | null;
}

function userErrorsOf(operation: string, payload: UserErrorsPayload | null | undefined): DiscountUserError[] {
  return (payload?.userErrors ?? []).map((error) => ({
    operation,
    field: error.field ?? null,
    message: error.message ?? "Shopify rejected the change.",
    code: error.code ?? null,
  }));
}

function describeUserErrors(errors: readonly DiscountUserError[]): string {
  return errors.map((error) => `${error.operation}: ${error.field?.length ? `${error.field.join(".")}: ` : ""}${error.message}`).join("; ");
}

/** Shopify names the `id` argument when the discount no longer exists (deleted in the admin). */
function isMissingDiscount(errors: readonly DiscountUserError[]): boolean {
  return errors.length > 0 && errors.every((error) => error.field?.[0] === "id");
}

function payloadOf(encoded: EncodedFunctionConfiguration): DiscountPayload {
  const body = {
    title: DISCOUNT_TITLE,
    discountClasses: encoded.discount.discountClasses,
    combinesWith: encoded.discount.combinesWith,
    value: encoded.value,
  };
  return { groupKey: ALL_OFFERS_GROUP, ...body, hash: createHash("sha256").update(JSON.stringify(body)).digest("hex") };
}

function metafieldOf(payload: DiscountPayload) {
  return { namespace: FUNCTION_CONFIGURATION_NAMESPACE, key: FUNCTION_CONFIGURATION_KEY, type: "json", value: payload.value };
}

function discountInputOf(payload: DiscountPayload) {
  return { title: payload.title, combinesWith: payload.combinesWith, discountClasses: payload.discountClasses };
}

async function fetchContext(api: AdminApi, storedTimeZone: string): Promise<SyncContext> {
  const data = await api.request<{
    shop?: { ianaTimezone?: string } | null;
    shopifyFunctions?: { nodes?: { id: string; title: string; apiType: string }[] } | null;
  }>("UpshelfDiscountSyncContext", SYNC_CONTEXT_QUERY);
  const fromEnv = process.env[FUNCTION_ID_ENV]?.trim() || null;
  const nodes = data?.shopifyFunctions?.nodes ?? [];
  // Shopify lists only this app's functions; ours is the discount function named as in the toml.
  const found =
    nodes.find((node) => node.title === FUNCTION_TITLE) ?? (nodes.filter((node) => /discount/i.test(node.apiType)).length === 1 ? nodes.find((node) => /discount/i.test(node.apiType)) : undefined);
  return {
    // Shopify's answer is the freshest; the recording API (demo) has none, so the stored zone stands in.
    timeZone: data?.shop?.ianaTimezone || storedTimeZone,
    functionId: fromEnv ?? found?.id ?? (api.mode === "recording" ? RECORDED_FUNCTION_ID : null),
  };
}

function failureMessage(error: unknown): string {
  if (error instanceof AdminApiError) return error.message;
  throw error;
}

async function saveRow(
  shopId: string,
  groupKey: string,
  data: {
    shopifyDiscountId?: string | null;
    configHash?: string | null;
    status: DiscountSyncStatus;
    lastError: string | null;
    syncedAt?: Date;
    /** Set on create: a discount Shopify has just created is known to be on. */
    checkedAt?: Date;
    shopifyEndsAt?: Date | null;
  },
) {
  await db.discountSync.upsert({
    where: { shopId_groupKey: { shopId, groupKey } },
    create: { shopId, groupKey, ...data },
    update: data,
  });
}

/**
 * Saves the outcome of creating the group's discount, over the discount this run replaced (the id
 * it read: none, or one deleted in Shopify's admin). Another app process may have created one and
 * saved it meanwhile: the row then names that one, and this run's outcome is not saved. Returns
 * whether it was.
 */
async function saveOverReplaced(shopId: string, groupKey: string, replacing: string | null, data: Parameters<typeof saveRow>[2]): Promise<boolean> {
  const { count } = await db.discountSync.updateMany({ where: { shopId, groupKey, shopifyDiscountId: replacing }, data });
  if (count > 0) return true;
  if ((await db.discountSync.count({ where: { shopId, groupKey } })) > 0) return false;
  try {
    await db.discountSync.create({ data: { shopId, groupKey, ...data } });
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

/**
 * The state a failed write leaves. A discount the merchant removed in Shopify's admin is still
 * removed when bringing it back fails, and must not pass for an ordinary failure, which an
 * automatic retry could then "fix" without switching it on.
 */
function failedStatus(previous: string | undefined): DiscountSyncStatus {
  return previous && isRemovedInShopify(previous) ? previous : "error";
}

async function createDiscount(
  api: AdminApi,
  shopId: string,
  payload: DiscountPayload,
  context: SyncContext,
  now: Date,
  previous: string | undefined,
  /** The discount id the row named when this run read it (null when none). */
  replacing: string | null,
): Promise<DiscountGroupResult> {
  const base = { groupKey: payload.groupKey, userErrors: [] as DiscountUserError[] };
  if (!context.functionId) {
    const error = `Upshelf's discount function was not found on this shop (set ${FUNCTION_ID_ENV} or deploy the app's extensions).`;
    await saveOverReplaced(shopId, payload.groupKey, replacing, { shopifyDiscountId: null, status: failedStatus(previous), lastError: error });
    return { ...base, action: "failed", shopifyDiscountId: null, status: "error", error };
  }
  const variables = {
    automaticAppDiscount: {
      ...discountInputOf(payload),
      functionId: context.functionId,
      startsAt: now.toISOString(),
      metafields: [metafieldOf(payload)],
    },
  };
  let data: { discountAutomaticAppCreate?: (UserErrorsPayload & { automaticAppDiscount?: { discountId?: string } | null }) | null } | null;
  try {
    data = await api.request("UpshelfDiscountCreate", CREATE_DISCOUNT_MUTATION, variables);
  } catch (thrown) {
    const error = failureMessage(thrown);
    await saveOverReplaced(shopId, payload.groupKey, replacing, { status: failedStatus(previous), lastError: error });
    return { ...base, action: "failed", shopifyDiscountId: null, status: "error", error };
  }
  if (api.mode === "recording") {
    await saveOverReplaced(shopId, payload.groupKey, replacing, { shopifyDiscountId: RECORDED_DISCOUNT_ID, configHash: payload.hash, status: "recorded", lastError: null, syncedAt: now });
    return { ...base, action: "created", shopifyDiscountId: RECORDED_DISCOUNT_ID, status: "recorded", error: null };
  }
  const result = data?.discountAutomaticAppCreate;
  const userErrors = userErrorsOf("discountAutomaticAppCreate", result);
  const discountId = result?.automaticAppDiscount?.discountId ?? null;
  if (userErrors.length > 0 || !discountId) {
    const error = userErrors.length > 0 ? describeUserErrors(userErrors) : "Shopify created no discount and gave no reason.";
    await saveOverReplaced(shopId, payload.groupKey, replacing, { shopifyDiscountId: null, configHash: null, status: failedStatus(previous), lastError: error });
    return { ...base, userErrors, action: "failed", shopifyDiscountId: null, status: "error", error };
  }
  const saved = await saveOverReplaced(shopId, payload.groupKey, replacing, {
    shopifyDiscountId: discountId,
    configHash: payload.hash,
    status: "synced",
    lastError: null,
    syncedAt: now,
    checkedAt: now,
    shopifyEndsAt: null,
  });
  if (!saved) {
    // Another app process created the group's discount at the same time and saved it first. Ours
    // would be a second discount that checkout applies as well and that no sync ever changes: it
    // is deleted, and the caller writes this run's configuration to the saved one.
    const removed = await deleteInShopify(api, discountId);
    if (removed.error) {
      const error = `A second checkout discount (${discountId}) was created by two syncs at once and could not be deleted: ${removed.error} Delete it in Shopify's admin.`;
      console.error(`Shop ${shopId}: ${error}`);
      return { ...base, action: "failed", shopifyDiscountId: discountId, status: "error", error };
    }
    return { ...base, action: "superseded", shopifyDiscountId: null, status: "synced", error: null };
  }
  return { ...base, action: "created", shopifyDiscountId: discountId, status: "synced", error: null };
}

async function updateDiscount(
  api: AdminApi,
  shopId: string,
  discountId: string,
  payload: DiscountPayload,
  context: SyncContext,
  now: Date,
  previous: string | undefined,
  automatic: boolean,
): Promise<DiscountGroupResult> {
  // Switched off in Shopify's admin and the merchant asks for it back: see the dates below.
  const reactivate = previous === "deactivated_in_shopify" && !automatic;
  const variables = {
    id: discountId,
    // Switched off in Shopify's admin (an end date, or a start date ahead): clear both, so it applies from now.
    automaticAppDiscount: reactivate ? { ...discountInputOf(payload), startsAt: now.toISOString(), endsAt: null } : discountInputOf(payload),
    metafields: [{ ownerId: discountId, ...metafieldOf(payload) }],
  };
  let data: {
    discountAutomaticAppUpdate?: UserErrorsPayload | null;
    metafieldsSet?: UserErrorsPayload | null;
  } | null;
  try {
    data = await api.request("UpshelfDiscountUpdate", UPDATE_DISCOUNT_MUTATION, variables);
  } catch (thrown) {
    const error = failureMessage(thrown);
    await saveRow(shopId, payload.groupKey, { status: failedStatus(previous), lastError: error });
    return { groupKey: payload.groupKey, userErrors: [], action: "failed", shopifyDiscountId: discountId, status: "error", error };
  }
  if (api.mode === "recording") {
    await saveRow(shopId, payload.groupKey, { configHash: payload.hash, status: "recorded", lastError: null, syncedAt: now });
    return { groupKey: payload.groupKey, userErrors: [], action: "updated", shopifyDiscountId: discountId, status: "recorded", error: null };
  }
  const updateErrors = userErrorsOf("discountAutomaticAppUpdate", data?.discountAutomaticAppUpdate);
  if (isMissingDiscount(updateErrors)) {
    if (automatic) {
      // Deleted in Shopify's admin and no webhook said so yet: record it; only the merchant brings it back.
      await recordRemovedInShopify(shopId, discountId, "deleted_in_shopify");
      return { groupKey: payload.groupKey, userErrors: [], action: "kept_removed", shopifyDiscountId: null, status: "error", error: null };
    }
    // The merchant is saving: make a new one rather than fail at every save from now on.
    return createDiscount(api, shopId, payload, context, now, "deleted_in_shopify", discountId);
  }
  const userErrors = [...updateErrors, ...userErrorsOf("metafieldsSet", data?.metafieldsSet)];
  if (userErrors.length > 0) {
    const error = describeUserErrors(userErrors);
    // The hash is cleared so the next sync sends everything again.
    await saveRow(shopId, payload.groupKey, { configHash: null, status: failedStatus(previous), lastError: error });
    return { groupKey: payload.groupKey, userErrors, action: "failed", shopifyDiscountId: discountId, status: "error", error };
  }
  // A restore cleared the dates set in Shopify's admin (see reactivate above).
  await saveRow(shopId, payload.groupKey, { configHash: payload.hash, status: "synced", lastError: null, syncedAt: now, ...(reactivate ? { shopifyEndsAt: null } : {}) });
  return { groupKey: payload.groupKey, userErrors: [], action: "updated", shopifyDiscountId: discountId, status: "synced", error: null };
}

/** Asks Shopify to delete the discount `id`; one already gone counts as deleted. */
async function deleteInShopify(api: AdminApi, id: string): Promise<{ userErrors: DiscountUserError[]; error: string | null }> {
  let data: { discountAutomaticDelete?: UserErrorsPayload | null } | null;
  try {
    data = await api.request("UpshelfDiscountDelete", DELETE_DISCOUNT_MUTATION, { id });
  } catch (thrown) {
    return { userErrors: [], error: failureMessage(thrown) };
  }
  const userErrors = api.mode === "recording" ? [] : userErrorsOf("discountAutomaticDelete", data?.discountAutomaticDelete);
  return userErrors.length > 0 && !isMissingDiscount(userErrors) ? { userErrors, error: describeUserErrors(userErrors) } : { userErrors: [], error: null };
}

async function deleteDiscount(api: AdminApi, row: SyncRow): Promise<DiscountGroupResult> {
  const base = { groupKey: row.groupKey, shopifyDiscountId: row.shopifyDiscountId };
  const id = row.shopifyDiscountId;
  // Never created (only errors so far), or only ever recorded while this shop is live: nothing to delete.
  if (!id || (id === RECORDED_DISCOUNT_ID && api.mode === "live")) {
    await db.discountSync.deleteMany({ where: { shopId: row.shopId, groupKey: row.groupKey } });
    return { ...base, action: "deleted", status: "synced", userErrors: [], error: null };
  }
  const { userErrors, error } = await deleteInShopify(api, id);
  if (error) {
    await saveRow(row.shopId, row.groupKey, { status: "error", lastError: error });
    return { ...base, action: "failed", status: "error", userErrors, error };
  }
  await db.discountSync.deleteMany({ where: { shopId: row.shopId, groupKey: row.groupKey } });
  return { ...base, action: "deleted", status: api.mode === "recording" ? "recorded" : "synced", userErrors: [], error: null };
}

/**
 * Why an active offer can be left out of checkout that the merchant must hear of: too large, too
 * many schedule changes ahead, or priced in a currency the shop no longer sells in (its currency
 * changed since). Ended, paused and ladders without incentive are left out by design.
 */
const NOT_HONOURED: ReadonlySet<OmittedOffer["reason"]> = new Set(["size-limit", "schedule-slots", "currency-mismatch"]);

/** The offers of an encoding that checkout does not honour and the merchant must hear of. */
function leftOutOf(encoded: EncodedFunctionConfiguration): OmittedOffer[] {
  return encoded.omitted.filter((omitted) => NOT_HONOURED.has(omitted.reason));
}

/**
 * The shop's active offers that checkout does not honour and the merchant must hear of (too large
 * to fit, waiting for a schedule slot, amounts in an old currency), as the sync computes them:
 * the same offers, encoded by the same code at the instant the configuration was last written
 * (now, before any write), so the offer lists mark what the last sync left out without a second
 * copy of the rule. The storefront leaves out the same offers (offer-pricing.server.ts).
 */
export async function offersLeftOutOfCheckout(shopId: string, now: Date = new Date()): Promise<OmittedOffer[]> {
  const [shop, offers, rows] = await Promise.all([
    db.shop.findUnique({ where: { id: shopId }, select: { currency: true } }),
    listActiveOffers(shopId),
    db.discountSync.findMany({ where: { shopId }, select: { syncedAt: true } }),
  ]);
  if (!shop || offers.length === 0) return [];
  const writtenAt = rows.reduce<Date | null>((latest, row) => (row.syncedAt && (!latest || row.syncedAt > latest) ? row.syncedAt : latest), null);
  // Written later than now cannot happen except by clock skew; then "now" is the safer instant.
  const encodedAt = writtenAt && writtenAt.getTime() <= now.getTime() ? writtenAt : now;
  return leftOutOf(encodeFunctionConfiguration(offers, { now: encodedAt, shopCurrency: shop.currency }));
}

const DISCOUNT_KIND_WORDS = { productDiscounts: "product discounts", orderDiscounts: "order discounts", shippingDiscounts: "shipping discounts" } as const;

/**
 * Checkout holds every Upshelf offer in one discount, which combines with another kind of
 * discount only where every active offer allows it (decision 5): one sentence per offer and kind
 * whose setting that leaves unhonoured, naming the offers that hold it back.
 */
function combiningWarnings(heldBack: EncodedFunctionConfiguration["combiningHeldBack"], titleOf: (offerId: string) => string): string[] {
  return heldBack.map(({ offerId, kind, heldBackBy }) => {
    const others = heldBackBy.map(titleOf);
    const list = others.length <= 3 ? others.join(", ") : `${others.slice(0, 3).join(", ")} and ${others.length - 3} more`;
    return (
      `${titleOf(offerId)} allows combining with ${DISCOUNT_KIND_WORDS[kind]}, but checkout does not combine Upshelf's offers with them ` +
      `while ${list} ${others.length === 1 ? "does" : "do"} not allow it: all active offers share one Shopify discount. Allow it on those too, or untick it here.`
    );
  });
}

interface SyncRun {
  /** Send the configuration even where the row says Shopify holds it (the row may be another process's). */
  readonly rewrite: boolean;
  /** Rows the merchant had removed in Shopify's admin that this sync brings back (said in the report). */
  readonly restored: ("deleted_in_shopify" | "deactivated_in_shopify")[];
}

async function runSync(shopId: string, options: SyncOptions, run: SyncRun): Promise<{ report: DiscountSyncReport; settled: boolean }> {
  const now = options.now ?? new Date();
  const shop = await db.shop.findUnique({ where: { id: shopId }, select: { currency: true, timeZone: true } });
  if (!shop) throw new Error(`Unknown shop ${shopId}.`);
  const offers = await listActiveOffers(shopId);
  const titles = new Map(offers.map((offer) => [offer.id, offer.title]));
  const titleOf = (offerId: string) => `“${titles.get(offerId) ?? offerId}”`;
  // Which offers are included does not depend on the time zone; the slot strings do.
  let encoded = encodeFunctionConfiguration(offers, { now, shopCurrency: shop.currency });
  const rows = await db.discountSync.findMany({ where: { shopId }, orderBy: { id: "asc" } });
  const wanted = encoded.includedOfferIds.length > 0 ? [ALL_OFFERS_GROUP] : [];
  const { restored } = run;

  const report = (groups: DiscountGroupResult[], mode: DiscountSyncReport["mode"], error: string | null): DiscountSyncReport => {
    const userErrors = groups.flatMap((group) => group.userErrors);
    const failed = error !== null || groups.some((group) => group.status === "error");
    // Named as the merchant knows them: the id appears nowhere in the admin.
    const leftOut = leftOutOf(encoded).map((omitted) => ({ ...omitted, warning: `${titleOf(omitted.offerId)}: ${omitted.message}` }));
    return {
      shopId,
      mode,
      status: failed ? "error" : mode === "recording" ? "recorded" : "synced",
      includedOfferIds: encoded.includedOfferIds,
      leftOut,
      omitted: encoded.omitted,
      byteLength: encoded.byteLength,
      groups,
      userErrors,
      error,
      errors: [...(error ? [error] : []), ...groups.flatMap((group) => (group.error ? [group.error] : []))],
      warnings: [
        ...restored.map((how) =>
          how === "deleted_in_shopify"
            ? "Upshelf's discount had been deleted in Shopify's admin; it was created again so checkout honours your offers. To stop an offer, pause it here."
            : "Upshelf's discount had been switched off in Shopify's admin; it is on again so checkout honours your offers. To stop an offer, pause it here.",
        ),
        ...leftOut.map((omitted) => omitted.warning),
        ...combiningWarnings(encoded.combiningHeldBack, titleOf),
      ],
    };
  };
  const unchanged = (row: SyncRow | undefined, payload: DiscountPayload) =>
    !run.rewrite && row?.shopifyDiscountId && row.configHash === payload.hash && checkoutHoldsWrite(row.status);
  const settled = (value: DiscountSyncReport) => ({ report: value, settled: true });

  // Nothing to send and nothing to remove: no call at all (not even for the Admin API client).
  if (wanted.length === 0 && rows.length === 0) return settled(report([], options.api?.mode ?? "unavailable", null));

  let api: AdminApi;
  try {
    api = options.api ?? (await adminApiForShop(shopId));
  } catch (thrown) {
    const error = failureMessage(thrown);
    for (const groupKey of new Set([...wanted, ...rows.map((row) => row.groupKey)])) await saveRow(shopId, groupKey, { status: "error", lastError: error });
    return settled(report([], "unavailable", error));
  }
  // What this run leaves in Shopify: the hash of the configuration it wrote (null: it deleted the discount).
  let written: { hash: string | null; timeZone: string } | undefined;

  const groups: DiscountGroupResult[] = [];
  for (const groupKey of wanted) {
    const row = rows.find((candidate) => candidate.groupKey === groupKey);
    if (row && isRemovedInShopify(row.status) && options.automatic) {
      groups.push({ groupKey, action: "kept_removed", shopifyDiscountId: row.shopifyDiscountId, status: "error", userErrors: [], error: null });
      continue;
    }
    let context: SyncContext;
    try {
      context = await fetchContext(api, shop.timeZone);
    } catch (thrown) {
      const error = failureMessage(thrown);
      await saveRow(shopId, groupKey, { status: failedStatus(row?.status), lastError: error });
      groups.push({ groupKey, action: "failed", shopifyDiscountId: row?.shopifyDiscountId ?? null, status: "error", userErrors: [], error });
      continue;
    }
    encoded = encodeFunctionConfiguration(offers, { now, shopCurrency: shop.currency, shopTimeZone: context.timeZone });
    const payload = payloadOf(encoded);
    const existingId = row?.shopifyDiscountId && !(row.shopifyDiscountId === RECORDED_DISCOUNT_ID && api.mode === "live") ? row.shopifyDiscountId : null;
    const status = row?.status === "recorded" ? "recorded" : "synced";
    if (existingId && row && unchanged(row, payload)) {
      // Checkout holds this configuration as of now: the upkeep measures schedule changes from here.
      await saveRow(shopId, groupKey, { status, lastError: null, syncedAt: now });
      groups.push({ groupKey, action: "unchanged", shopifyDiscountId: existingId, status, userErrors: [], error: null });
    } else if (existingId) {
      groups.push(await updateDiscount(api, shopId, existingId, payload, context, now, row?.status, options.automatic === true));
    } else {
      groups.push(await createDiscount(api, shopId, payload, context, now, row?.status, row?.shopifyDiscountId ?? null));
    }
    const result = groups.at(-1);
    if (row && isRemovedInShopify(row.status) && result && result.status !== "error" && result.action !== "superseded") restored.push(row.status);
    if (result?.action === "superseded") return { report: report(groups, api.mode, null), settled: false };
    if ((result?.action === "created" || result?.action === "updated") && result.status !== "error") written = { hash: payload.hash, timeZone: context.timeZone };
  }
  for (const row of rows) {
    if (wanted.includes(row.groupKey)) continue;
    const result = await deleteDiscount(api, row);
    groups.push(result);
    if (result.status !== "error") written ??= { hash: null, timeZone: shop.timeZone };
  }
  const done = report(groups, api.mode, null);
  if (!written) return settled(done);
  // Syncs are one at a time only within a process. Another app process may have read newer offers
  // and written them before this write reached Shopify, which then holds this run's older
  // configuration while the storefront prices the newer one. Every write is therefore followed by
  // a fresh read: a configuration changed meanwhile is written again (the last write to reach
  // Shopify is always checked after it landed).
  const [current, currentShop] = await Promise.all([listActiveOffers(shopId), db.shop.findUnique({ where: { id: shopId }, select: { currency: true } })]);
  const fresh = encodeFunctionConfiguration(current, { now, shopCurrency: currentShop?.currency ?? shop.currency, shopTimeZone: written.timeZone });
  const freshHash = fresh.includedOfferIds.length > 0 ? payloadOf(fresh).hash : null;
  return { report: done, settled: freshHash === written.hash };
}

/** Writes before giving up on a configuration that keeps changing under the sync (see runSync). */
const MAX_RUNS_PER_SYNC = 3;

async function syncUntilSettled(shopId: string, options: SyncOptions): Promise<DiscountSyncReport> {
  const restored: SyncRun["restored"] = [];
  for (let attempt = 1; ; attempt++) {
    const { report, settled } = await runSync(shopId, options, { rewrite: attempt > 1, restored });
    if (settled || attempt === MAX_RUNS_PER_SYNC) return report;
  }
}

const running = new Map<string, Promise<unknown>>();

/** Runs `work` after every earlier sync or mark for the shop in this process, one at a time. */
function inTurn<T>(shopId: string, work: () => Promise<T>): Promise<T> {
  const previous = running.get(shopId) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(work);
  running.set(shopId, next);
  void next.finally(() => {
    if (running.get(shopId) === next) running.delete(shopId);
  }).catch(() => undefined);
  return next;
}

/**
 * Brings the shop's automatic app discount in line with its offers: creates it when offers
 * become live, updates it when they change (only if the configuration changed), deletes it when
 * none remain. Calls for one shop run one after another in this process, so two quick saves
 * cannot create two discounts. A discount the merchant removed in Shopify's admin is brought
 * back (the report's warnings say so) unless `options.automatic` says nobody asked for this write.
 */
export function syncShopDiscounts(shopId: string, options: SyncOptions = {}): Promise<DiscountSyncReport> {
  return inTurn(shopId, () => syncUntilSettled(shopId, options));
}

/** Records that the merchant deleted, or switched off, the discount `discountId` in Shopify's admin (run in the shop's turn). */
async function recordRemovedInShopify(shopId: string, discountId: string, how: "deleted_in_shopify" | "deactivated_in_shopify"): Promise<void> {
  const lastError = REMOVED_IN_SHOPIFY_MESSAGES[how];
  // A deleted discount's id is forgotten, so the merchant's next save or restore creates a new one.
  const data = how === "deleted_in_shopify" ? { shopifyDiscountId: null, configHash: null, status: how, lastError } : { configHash: null, status: how, lastError };
  await db.discountSync.updateMany({ where: { shopId, shopifyDiscountId: discountId }, data });
}

/**
 * Work that reads Shopify's view of the shop's discount and acts on it, in the shop's turn: no
 * sync of this process can write between the read and the action. `work` gets the means to act:
 * a sync that runs at once (calling `syncShopDiscounts` inside would wait for itself) and the
 * recording of a removal.
 */
export function inDiscountTurn<T>(
  shopId: string,
  work: (act: {
    sync: (options: SyncOptions) => Promise<DiscountSyncReport>;
    recordRemoved: (discountId: string, how: "deleted_in_shopify" | "deactivated_in_shopify") => Promise<void>;
  }) => Promise<T>,
): Promise<T> {
  return inTurn(shopId, () =>
    work({ sync: (options) => syncUntilSettled(shopId, options), recordRemoved: (discountId, how) => recordRemovedInShopify(shopId, discountId, how) }),
  );
}

export interface CheckoutDiscountState {
  /** "none": no discount is needed (no offer reaches checkout). */
  readonly status: DiscountSyncStatus | "none";
  /** An end date the merchant set on it in Shopify's admin. */
  readonly shopifyEndsAt: Date | null;
  readonly shopifyDiscountId: string | null;
  readonly lastError: string | null;
  readonly syncedAt: Date | null;
}

/** What the admin shows about checkout's discount (the Shopify data page, the offer pages' banner). */
export async function checkoutDiscountState(shopId: string, now = new Date()): Promise<CheckoutDiscountState> {
  const row = await db.discountSync.findFirst({ where: { shopId }, orderBy: { id: "asc" } });
  if (!row) return { status: "none", shopifyDiscountId: null, lastError: null, syncedAt: null, shopifyEndsAt: null };
  const state = { shopifyDiscountId: row.shopifyDiscountId, syncedAt: row.syncedAt, shopifyEndsAt: row.shopifyEndsAt };
  // Past an end date set in Shopify's admin it is switched off, whether or not the upkeep has recorded it yet.
  if (checkoutHoldsWrite(row.status) && pastShopifyEnd(row.shopifyEndsAt, now)) {
    return { ...state, status: "deactivated_in_shopify", lastError: REMOVED_IN_SHOPIFY_MESSAGES.deactivated_in_shopify };
  }
  return { ...state, status: row.status as DiscountSyncStatus, lastError: row.lastError };
}
