/**
 * Keeps checkout's discount honest between the merchant's saves (docs/decisions/0006, session 11
 * addendum). Syncs run when an offer changes; three things happen without a save:
 * - An offer's start or end passes. The configuration written earlier still carries it, and
 *   checkout compares schedules with the shop's local clock, which has no offset: in the hour the
 *   clocks go back an ended offer would apply again. Rewriting the configuration once the time
 *   has passed leaves the ended offer out altogether (and frees its schedule slots).
 * - A write failed (Shopify down, a network error). The storefront promises no discount until a
 *   write succeeds; the upkeep retries it instead of waiting for the next save.
 * - The merchant deletes Upshelf's discount, or switches it off, in Shopify's admin. The
 *   discounts/delete and discounts/update webhooks say so at once; a check of each discount
 *   (hourly by default) catches a missed webhook. The storefront then stops promising savings and
 *   the Shopify data page offers to restore the discount. The upkeep never restores it itself.
 */
import { scheduleBoundaryPassed } from "~/core/offers";
import db from "~/db.server";
import { listActiveOffers } from "~/models/offer.server";
import { adminApiForShop, type AdminApi } from "./admin-api.server";
import { checkoutHoldsWrite, inDiscountTurn, isRemovedInShopify, pastShopifyEnd, RECORDED_DISCOUNT_ID, syncShopDiscounts } from "./discount-sync.server";
import { applyMerchantChanges } from "./recommendations.server";
import { syncStorefrontIndex } from "./storefront-index-sync.server";
import { startPeriodicPass } from "./periodic-pass.server";

export const DISCOUNT_STATE_QUERY = `#graphql
query UpshelfDiscountState($id: ID!) {
  automaticDiscountNode(id: $id) {
    id
    automaticDiscount { __typename ... on DiscountAutomaticApp { status endsAt } }
  }
}`;

/** What Shopify says about a discount: "missing" when it no longer exists. */
export type ShopifyDiscountState = "active" | "inactive" | "missing";

/** Shopify's answer about a discount: its state and any end date the merchant set on it there. */
export interface ShopifyDiscountReading {
  readonly state: ShopifyDiscountState;
  readonly endsAt: Date | null;
}

/** Shopify's DiscountStatus (ACTIVE, EXPIRED, SCHEDULED) as the upkeep needs it. */
export function discountStateOf(status: string): Exclude<ShopifyDiscountState, "missing"> {
  return status.toUpperCase() === "ACTIVE" ? "active" : "inactive";
}

/** Asks Shopify for the discount's state. Transport failures throw (AdminApiError): nothing is concluded from them. */
export async function readShopifyDiscount(api: AdminApi, discountId: string): Promise<ShopifyDiscountReading> {
  const data = await api.request<{ automaticDiscountNode?: { automaticDiscount?: { status?: string; endsAt?: string | null } | null } | null }>(
    "UpshelfDiscountState",
    DISCOUNT_STATE_QUERY,
    { id: discountId },
  );
  // Only Shopify's explicit null means the discount is gone; an answer without the field proves nothing.
  if (!data || !("automaticDiscountNode" in data)) throw new Error("Shopify's answer did not say whether the discount exists.");
  const node = data.automaticDiscountNode;
  if (!node) return { state: "missing", endsAt: null };
  const endsAt = node.automaticDiscount?.endsAt ? new Date(node.automaticDiscount.endsAt) : null;
  return { state: discountStateOf(node.automaticDiscount?.status ?? "ACTIVE"), endsAt: endsAt && Number.isFinite(endsAt.getTime()) ? endsAt : null };
}

export type DiscountChangeOutcome = "ignored" | "marked_removed" | "restored" | "unchanged";

/**
 * Follows a change to one of the shop's discounts in Shopify's admin, reported by a webhook or
 * due for the upkeep's check. Webhooks arrive late and in any order, so the report is only a
 * hint: Shopify is asked for the discount's state now, in the shop's turn (no sync of this
 * process writes in between), and that answer decides. A demo shop has no Shopify to ask; the
 * report stands. Deleted or switched off: recorded, and the storefront stops promising its
 * savings. Switched on again: the current configuration is written to it, its dates untouched.
 * Other apps' discounts are ignored.
 */
export function followShopifyDiscount(
  shopId: string,
  discountId: string,
  options: { reported?: ShopifyDiscountState; apiFor?: (shopId: string) => Promise<AdminApi>; now?: Date } = {},
): Promise<DiscountChangeOutcome> {
  return inDiscountTurn(shopId, async ({ sync, recordRemoved }) => {
    const row = await db.discountSync.findFirst({
      where: { shopId, shopifyDiscountId: discountId },
      select: { id: true, status: true, shopifyEndsAt: true, checkedAt: true },
    });
    if (!row) return "ignored";
    const api = await (options.apiFor ?? adminApiForShop)(shopId);
    const reading = api.mode === "live" ? await readShopifyDiscount(api, discountId) : options.reported ? { state: options.reported, endsAt: null } : undefined;
    if (reading === undefined) return "unchanged";
    const { state, endsAt } = reading;
    // The reading shares the upkeep's hourly ration; an upkeep check has already claimed it for this moment.
    const readAt = options.now ?? new Date();
    if (row.checkedAt?.getTime() !== readAt.getTime()) await db.discountSync.update({ where: { id: row.id }, data: { checkedAt: readAt } });
    // An end date set in Shopify's admin: the storefront stops promising at that moment, and the
    // upkeep checks the discount then (checkoutHoldsWrite, upkeepShop).
    if (state === "active" && (endsAt?.getTime() ?? null) !== (row.shopifyEndsAt?.getTime() ?? null)) {
      // Only over the value read: another process may have stored a newer answer meanwhile.
      await db.discountSync.updateMany({ where: { id: row.id, shopifyEndsAt: row.shopifyEndsAt }, data: { shopifyEndsAt: endsAt } });
    }
    if (state === "missing") {
      await recordRemoved(discountId, "deleted_in_shopify");
      return "marked_removed";
    }
    if (state === "inactive") {
      if (row.status === "deactivated_in_shopify") return "unchanged";
      await recordRemoved(discountId, "deactivated_in_shopify");
      return "marked_removed";
    }
    if (row.status !== "deactivated_in_shopify") return "unchanged";
    // Until the write below succeeds this is an ordinary failed write, which the upkeep retries.
    await db.discountSync.update({
      where: { id: row.id },
      data: { status: "error", configHash: null, lastError: "Switched on again in Shopify's admin; Upshelf is writing the current configuration to it." },
    });
    const report = await sync({ api, now: options.now, automatic: true });
    if (report.errors.length > 0) throw new Error(report.errors.join(" "));
    return "restored";
  });
}

export type UpkeepAction = "none" | "retried" | "resynced" | "verified" | "marked_removed" | "restored";

export interface DiscountUpkeepOptions {
  readonly now?: Date;
  /** Only these shops (default: every installed shop). */
  readonly shopIds?: readonly string[];
  /** The Admin API for a shop (default adminApiForShop: recording in demo mode). */
  readonly apiFor?: (shopId: string) => Promise<AdminApi>;
  /** A failed write is retried once it is this old (default 10 minutes). */
  readonly retryAfterMs?: number;
  /**
   * A discount is asked about in Shopify once its last reading (`DiscountSync.checkedAt`, shared
   * by every app process) is this old (default 0: every pass asks).
   */
  readonly checkEveryMs?: number;
  /**
   * The previous pass's time: schedule boundaries since then are found with one query for every
   * shop. Without it (the first pass after start) each shop's offers are read, from its last write.
   */
  readonly boundariesSince?: Date;
  /** Shops whose offers are read in full even with `boundariesSince` (their previous pass failed). */
  readonly fullReadShopIds?: ReadonlySet<string>;
  /** Called with each shop whose pass failed (it is logged and left for the next pass). */
  readonly onFailed?: (shopId: string) => void;
}

interface UpkeepRow {
  readonly id: number;
  readonly shopifyDiscountId: string | null;
  readonly status: string;
  readonly shopifyEndsAt: Date | null;
  readonly syncedAt: Date | null;
  readonly checkedAt: Date | null;
  readonly updatedAt: Date;
}

/** A row whose discount can be asked about in Shopify. */
type DueRow = UpkeepRow & { readonly shopifyDiscountId: string };

type Schedules = readonly { readonly schedule: { readonly startsAt: number | null; readonly endsAt: number | null } }[];

async function upkeepShop(
  shopId: string,
  rows: readonly UpkeepRow[],
  options: DiscountUpkeepOptions,
  now: Date,
  recentSchedules: Schedules | undefined,
): Promise<UpkeepAction> {
  // Nobody asked for these writes (automatic). The storefront's offer index lists products by the
  // offers live or ahead, so it is rewritten with the discount. Not syncDiscountsAfterChange: that
  // turns failures into sentences for a page, and here they must reach upkeepDiscounts, so that a
  // shop whose pass failed is read in full at the next one.
  const syncDiscountAndIndex = async () => {
    const api = options.apiFor ? await options.apiFor(shopId) : undefined;
    await syncShopDiscounts(shopId, { now, automatic: true, ...(api ? { api } : {}) });
    await syncStorefrontIndex(shopId, { now, ...(api ? { api } : {}) });
    // A bundle that started or ended changes which products lead each other's recommendations.
    await applyMerchantChanges(shopId);
  };
  const check = async (row: DueRow): Promise<UpkeepAction> => {
    // Claimed over the reading time this pass saw, so that of several app processes only one asks.
    const claimed = await db.discountSync.updateMany({ where: { id: row.id, checkedAt: row.checkedAt }, data: { checkedAt: now } });
    if (claimed.count === 0) return "none";
    const outcome = await followShopifyDiscount(shopId, row.shopifyDiscountId, { apiFor: options.apiFor, now });
    return outcome === "restored" || outcome === "marked_removed" ? outcome : "verified";
  };
  const checkEveryMs = options.checkEveryMs ?? 0;
  const due = (row: UpkeepRow): row is DueRow =>
    row.shopifyDiscountId !== null &&
    row.shopifyDiscountId !== RECORDED_DISCOUNT_ID &&
    // An end date the merchant set in Shopify's admin has passed on a discount still counted as
    // on: asked now, whatever the ration.
    ((checkoutHoldsWrite(row.status) && pastShopifyEnd(row.shopifyEndsAt, now)) ||
      row.checkedAt === null ||
      now.getTime() - row.checkedAt.getTime() >= checkEveryMs);

  // Removed by the merchant: left alone, except to notice that they switched it on again.
  if (rows.some((row) => isRemovedInShopify(row.status))) {
    const off = rows.find((row): row is DueRow => row.status === "deactivated_in_shopify" && due(row));
    return off ? check(off) : "none";
  }

  const retryAfterMs = options.retryAfterMs ?? 10 * 60_000;
  if (rows.some((row) => row.status === "error")) {
    // Claimed in the database, so that of several app processes only one retries (a failed
    // create retried twice would leave two discounts): the claim moves updatedAt on.
    const claimed = await db.discountSync.updateMany({
      where: { shopId, status: "error", updatedAt: { lte: new Date(now.getTime() - retryAfterMs) } },
      data: { status: "error" },
    });
    if (claimed.count === 0) return "none";
    // Boundaries may have passed while the write was failing: the offer index follows them too.
    await syncDiscountAndIndex();
    return "retried";
  }

  const writtenAt = Math.max(...rows.map((row) => row.syncedAt?.getTime() ?? Number.NEGATIVE_INFINITY));
  if (Number.isFinite(writtenAt) && scheduleBoundaryPassed(recentSchedules ?? (await listActiveOffers(shopId)), writtenAt, now)) {
    await syncDiscountAndIndex();
    return "resynced";
  }

  const synced = rows.find((row): row is DueRow => checkoutHoldsWrite(row.status) && due(row));
  return synced ? check(synced) : "none";
}

/** Active offers that start or end after `since` and at or before `now`, by shop (one query for every shop). */
async function schedulesChangedBetween(since: Date, now: Date, shopIds: readonly string[] | undefined): Promise<Map<string, Schedules>> {
  const window = { gt: since, lte: now };
  const offers = await db.offer.findMany({
    where: { status: "active", OR: [{ startsAt: window }, { endsAt: window }], ...(shopIds ? { shopId: { in: [...shopIds] } } : {}) },
    select: { shopId: true, startsAt: true, endsAt: true },
  });
  const byShop = new Map<string, { schedule: { startsAt: number | null; endsAt: number | null } }[]>();
  for (const offer of offers) {
    const schedule = { startsAt: offer.startsAt?.getTime() ?? null, endsAt: offer.endsAt?.getTime() ?? null };
    byShop.set(offer.shopId, [...(byShop.get(offer.shopId) ?? []), { schedule }]);
  }
  return byShop;
}

/**
 * One pass over every installed shop that has a checkout discount (or a failed attempt at one).
 * A shop that fails (Shopify unreachable) is logged and left for the next pass.
 */
export async function upkeepDiscounts(options: DiscountUpkeepOptions = {}): Promise<Map<string, UpkeepAction>> {
  const now = options.now ?? new Date();
  const rows = await db.discountSync.findMany({
    where: { shop: { uninstalledAt: null }, ...(options.shopIds ? { shopId: { in: [...options.shopIds] } } : {}) },
    select: { id: true, shopId: true, shopifyDiscountId: true, status: true, shopifyEndsAt: true, syncedAt: true, checkedAt: true, updatedAt: true },
    orderBy: { id: "asc" },
  });
  const byShop = new Map<string, UpkeepRow[]>();
  for (const row of rows) byShop.set(row.shopId, [...(byShop.get(row.shopId) ?? []), row]);
  const recent = options.boundariesSince ? await schedulesChangedBetween(options.boundariesSince, now, options.shopIds) : undefined;
  const actions = new Map<string, UpkeepAction>();
  for (const [shopId, shopRows] of byShop) {
    try {
      const schedules = recent && !options.fullReadShopIds?.has(shopId) ? (recent.get(shopId) ?? []) : undefined;
      actions.set(shopId, await upkeepShop(shopId, shopRows, options, now, schedules));
    } catch (error) {
      options.onFailed?.(shopId);
      console.error(`Discount upkeep for ${shopId} failed:`, error);
    }
  }
  return actions;
}

export interface DiscountUpkeepSchedulerOptions {
  /** Only these shops (default: every installed shop; a demo server looks after the demo shop only). */
  readonly shopIds?: readonly string[];
  /** Time between passes (default 1 minute: an ended offer leaves checkout within about a minute). */
  readonly intervalMs?: number;
  /**
   * Each discount is checked in Shopify this often, by whichever app process comes first
   * (default 1 hour; webhooks usually say first).
   */
  readonly checkEveryMs?: number;
  readonly retryAfterMs?: number;
}

/** Starts the periodic upkeep (the first pass right away). The timer does not keep the process alive. */
export function startDiscountUpkeep(options: DiscountUpkeepSchedulerOptions = {}): { stop(): void } {
  const checkEveryMs = options.checkEveryMs ?? 3_600_000;
  let previousPass: Date | undefined;
  // A shop whose pass failed may have missed a boundary of the window: read it in full next time.
  let failed = new Set<string>();
  const pass = () => {
    const now = new Date();
    const fullReadShopIds = failed;
    failed = new Set();
    return upkeepDiscounts({
      now,
      shopIds: options.shopIds,
      boundariesSince: previousPass,
      fullReadShopIds,
      onFailed: (shopId) => failed.add(shopId),
      retryAfterMs: options.retryAfterMs,
      checkEveryMs,
    })
      .then(() => {
        // Boundaries up to this pass's time are handled; a failed pass is looked at again in full.
        previousPass = now;
      })
      .catch((error: unknown) => {
        previousPass = undefined;
        console.error("The discount upkeep failed:", error);
      });
  };
  return startPeriodicPass(pass, options.intervalMs ?? 60_000);
}
