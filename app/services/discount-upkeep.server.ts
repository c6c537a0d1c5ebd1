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
import { isRemovedInShopify, markRemovedInShopify, RECORDED_DISCOUNT_ID, syncShopDiscounts } from "./discount-sync.server";
import { syncStorefrontIndex } from "./storefront-index-sync.server";

export const DISCOUNT_STATE_QUERY = `#graphql
query UpshelfDiscountState($id: ID!) {
  automaticDiscountNode(id: $id) {
    id
    automaticDiscount { __typename ... on DiscountAutomaticApp { status } }
  }
}`;

/** What Shopify says about a discount: "missing" when it no longer exists. */
export type ShopifyDiscountState = "active" | "inactive" | "missing";

/** Shopify's DiscountStatus (ACTIVE, EXPIRED, SCHEDULED) as the upkeep needs it. */
export function discountStateOf(status: string): Exclude<ShopifyDiscountState, "missing"> {
  return status.toUpperCase() === "ACTIVE" ? "active" : "inactive";
}

/** Asks Shopify for the discount's state. Transport failures throw (AdminApiError): nothing is concluded from them. */
export async function readShopifyDiscountState(api: AdminApi, discountId: string): Promise<ShopifyDiscountState> {
  const data = await api.request<{ automaticDiscountNode?: { automaticDiscount?: { status?: string } | null } | null }>("UpshelfDiscountState", DISCOUNT_STATE_QUERY, {
    id: discountId,
  });
  const node = data?.automaticDiscountNode;
  if (!node) return "missing";
  return discountStateOf(node.automaticDiscount?.status ?? "ACTIVE");
}

export type DiscountChangeOutcome = "ignored" | "marked_removed" | "restored" | "unchanged";

/**
 * Follows what Shopify says happened to a discount (a webhook, or the upkeep's check): a deleted
 * or switched-off Upshelf discount is recorded as such; one switched on again in Shopify's admin
 * gets the current configuration and counts as synced again. Other apps' discounts are ignored.
 */
export async function followShopifyDiscount(
  shopId: string,
  discountId: string,
  state: ShopifyDiscountState,
  options: { apiFor?: (shopId: string) => Promise<AdminApi>; now?: Date } = {},
): Promise<DiscountChangeOutcome> {
  const row = await db.discountSync.findFirst({ where: { shopId, shopifyDiscountId: discountId }, select: { status: true } });
  if (!row) return "ignored";
  if (state === "missing") return (await markRemovedInShopify(shopId, discountId, "deleted_in_shopify")) ? "marked_removed" : "ignored";
  if (state === "inactive") {
    if (row.status === "deactivated_in_shopify") return "unchanged";
    return (await markRemovedInShopify(shopId, discountId, "deactivated_in_shopify")) ? "marked_removed" : "ignored";
  }
  if (row.status !== "deactivated_in_shopify") return "unchanged";
  // The merchant switched it on again: it may have missed configurations written meanwhile.
  // Without an injected API the sync finds its own, and records it as the row's error if it cannot.
  const report = await syncShopDiscounts(shopId, { now: options.now, ...(options.apiFor ? { api: await options.apiFor(shopId) } : {}) });
  if (report.errors.length > 0) throw new Error(report.errors.join(" "));
  return "restored";
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
  /** Whether to ask Shopify about this discount now (default: always). */
  readonly shouldCheck?: (discountId: string) => boolean;
  /** Called with each discount Shopify was asked about. */
  readonly onChecked?: (discountId: string) => void;
}

interface UpkeepRow {
  readonly shopifyDiscountId: string | null;
  readonly status: string;
  readonly syncedAt: Date | null;
  readonly updatedAt: Date;
}

async function upkeepShop(shopId: string, rows: readonly UpkeepRow[], options: DiscountUpkeepOptions, now: Date): Promise<UpkeepAction> {
  const apiFor = options.apiFor ?? adminApiForShop;
  const shouldCheck = (row: UpkeepRow): row is UpkeepRow & { shopifyDiscountId: string } =>
    row.shopifyDiscountId !== null && row.shopifyDiscountId !== RECORDED_DISCOUNT_ID && (options.shouldCheck?.(row.shopifyDiscountId) ?? true);
  const ask = async (discountId: string): Promise<ShopifyDiscountState | null> => {
    const api = await apiFor(shopId);
    // Demo shops have no discount in Shopify to ask about.
    if (api.mode !== "live") return null;
    const state = await readShopifyDiscountState(api, discountId);
    options.onChecked?.(discountId);
    return state;
  };

  // Removed by the merchant: left alone, except to notice that they switched it on again.
  if (rows.some((row) => isRemovedInShopify(row.status))) {
    const off = rows.find((row) => row.status === "deactivated_in_shopify" && shouldCheck(row));
    if (!off?.shopifyDiscountId) return "none";
    const state = await ask(off.shopifyDiscountId);
    if (!state) return "none";
    const outcome = await followShopifyDiscount(shopId, off.shopifyDiscountId, state, { apiFor: options.apiFor, now });
    return outcome === "restored" ? "restored" : outcome === "marked_removed" ? "marked_removed" : "verified";
  }

  const retryAfterMs = options.retryAfterMs ?? 10 * 60_000;
  const failed = rows.filter((row) => row.status === "error");
  if (failed.length > 0) {
    if (!failed.every((row) => now.getTime() - row.updatedAt.getTime() >= retryAfterMs)) return "none";
    await syncShopDiscounts(shopId, { now, ...(options.apiFor ? { api: await options.apiFor(shopId) } : {}) });
    return "retried";
  }

  const writtenAt = Math.max(...rows.map((row) => row.syncedAt?.getTime() ?? Number.NEGATIVE_INFINITY));
  if (Number.isFinite(writtenAt) && scheduleBoundaryPassed(await listActiveOffers(shopId), writtenAt, now)) {
    const api = options.apiFor ? await options.apiFor(shopId) : undefined;
    await syncShopDiscounts(shopId, { now, ...(api ? { api } : {}) });
    // The storefront's offer index lists products by the offers live or ahead: it changes too.
    await syncStorefrontIndex(shopId, { now, ...(api ? { api } : {}) });
    return "resynced";
  }

  const due = rows.find((row) => row.status === "synced" && shouldCheck(row));
  if (!due?.shopifyDiscountId) return "none";
  const state = await ask(due.shopifyDiscountId);
  if (!state) return "none";
  return (await followShopifyDiscount(shopId, due.shopifyDiscountId, state, { apiFor: options.apiFor, now })) === "marked_removed" ? "marked_removed" : "verified";
}

/**
 * One pass over every installed shop that has a checkout discount (or a failed attempt at one).
 * A shop that fails (Shopify unreachable) is logged and left for the next pass.
 */
export async function upkeepDiscounts(options: DiscountUpkeepOptions = {}): Promise<Map<string, UpkeepAction>> {
  const now = options.now ?? new Date();
  const rows = await db.discountSync.findMany({
    where: { shop: { uninstalledAt: null }, ...(options.shopIds ? { shopId: { in: [...options.shopIds] } } : {}) },
    select: { shopId: true, shopifyDiscountId: true, status: true, syncedAt: true, updatedAt: true },
    orderBy: { id: "asc" },
  });
  const byShop = new Map<string, UpkeepRow[]>();
  for (const row of rows) byShop.set(row.shopId, [...(byShop.get(row.shopId) ?? []), row]);
  const actions = new Map<string, UpkeepAction>();
  for (const [shopId, shopRows] of byShop) {
    try {
      actions.set(shopId, await upkeepShop(shopId, shopRows, options, now));
    } catch (error) {
      console.error(`Discount upkeep for ${shopId} failed:`, error);
    }
  }
  return actions;
}

export interface DiscountUpkeepSchedulerOptions {
  /** Time between passes (default 1 minute: an ended offer leaves checkout within about a minute). */
  readonly intervalMs?: number;
  /** Each discount is checked in Shopify this often (default 1 hour; webhooks usually say first). */
  readonly checkEveryMs?: number;
  readonly retryAfterMs?: number;
}

/** Starts the periodic upkeep (the first pass right away). The timer does not keep the process alive. */
export function startDiscountUpkeep(options: DiscountUpkeepSchedulerOptions = {}): { stop(): void } {
  const checkEveryMs = options.checkEveryMs ?? 3_600_000;
  const checkedAt = new Map<string, number>();
  let running = false;
  const pass = () => {
    if (running) return;
    running = true;
    const started = Date.now();
    upkeepDiscounts({
      retryAfterMs: options.retryAfterMs,
      shouldCheck: (discountId) => started - (checkedAt.get(discountId) ?? Number.NEGATIVE_INFINITY) >= checkEveryMs,
      onChecked: (discountId) => checkedAt.set(discountId, started),
    })
      .catch((error: unknown) => console.error("The discount upkeep failed:", error))
      .finally(() => {
        running = false;
      });
  };
  const timer = setInterval(pass, options.intervalMs ?? 60_000);
  timer.unref();
  const first = setTimeout(pass, 0);
  first.unref();
  return {
    stop() {
      clearInterval(timer);
      clearTimeout(first);
    },
  };
}
