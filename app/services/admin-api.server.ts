/**
 * The one way Upshelf talks to Shopify's Admin GraphQL API outside a request (discount sync,
 * catalog sync, order backfill). Three implementations of one interface:
 * - `httpAdminApi`: plain HTTPS to the shop (tests point `endpoint` at a local HTTP stand-in);
 * - `recordingAdminApi`: demo mode, where nothing may reach Shopify: each call is stored in
 *   RecordedAdminCall so the merchant (and tests) see exactly what would have been sent;
 * - `adminApiForShop` picks one for a shop.
 */
import type { Session } from "@shopify/shopify-api";
import { DbSessionStorage } from "~/models/session.server";
import db from "~/db.server";
import { getEnv } from "~/env.server";
import { shopify } from "~/shopify.server";

export interface AdminApi {
  /** "live" calls Shopify; "recording" only records the call and returns `data: null`. */
  readonly mode: "live" | "recording";
  /**
   * Runs one query or mutation. `operation` names it for logs and recordings. Throws
   * `AdminApiError` for HTTP failures and top-level GraphQL `errors`; `userErrors` are data and
   * are returned for the caller to handle.
   */
  request<T = unknown>(operation: string, query: string, variables?: Record<string, unknown>): Promise<T | null>;
}

export class AdminApiError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly errors: unknown = null,
  ) {
    super(message);
    this.name = "AdminApiError";
  }
}

export const ADMIN_API_VERSION = "2025-10";

export interface HttpAdminApiOptions {
  shop: string;
  accessToken: string;
  apiVersion?: string;
  /** Full GraphQL URL; defaults to https://<shop>/admin/api/<version>/graphql.json. */
  endpoint?: string;
  fetch?: typeof fetch;
  /**
   * Retries for 429 and 5xx, waiting `Retry-After` (or a short backoff), and for network failures;
   * a mutation that creates something only after a 429 (see isRepeatable).
   */
  maxRetries?: number;
}

/**
 * Whether a document may be sent again after a failure that leaves unknown whether it ran (a
 * network failure, a 5xx from a gateway). Queries may, and mutations that set or delete by id
 * (sending one twice leaves what sending it once does). One that creates may not: a second
 * discountAutomaticAppCreate makes a second discount (checkout applies both) and a second
 * bulkOperationRunQuery is refused as one already running, failing the backfill that had started
 * it. Those are retried only after a 429, which Shopify answers without running anything; other
 * failures are the caller's to handle.
 */
export function isRepeatable(query: string): boolean {
  const document = query.replace(/#[^\n]*/g, "").trim();
  if (!/^mutation\b/.test(document)) return true;
  return !/\b(?:\w+Create|bulkOperationRunQuery)\s*\(/.test(document);
}

export function httpAdminApi(options: HttpAdminApiOptions): AdminApi {
  const endpoint = options.endpoint ?? `https://${options.shop}/admin/api/${options.apiVersion ?? ADMIN_API_VERSION}/graphql.json`;
  const doFetch = options.fetch ?? fetch;
  const maxRetries = options.maxRetries ?? 3;
  return {
    mode: "live",
    async request<T>(operation: string, query: string, variables: Record<string, unknown> = {}) {
      const repeatable = isRepeatable(query);
      const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, 5_000)));
      for (let attempt = 0; ; attempt++) {
        let response: Response;
        try {
          response = await doFetch(endpoint, {
            method: "POST",
            headers: {
              "Content-Type": "application/json",
              Accept: "application/json",
              "X-Shopify-Access-Token": options.accessToken,
            },
            body: JSON.stringify({ query, variables }),
          });
        } catch (error) {
          // A network failure (DNS, a reset, a timeout) is a failed call like an HTTP error: callers
          // record it as such (the discount sync must never look synced after one).
          if (attempt < maxRetries && repeatable) {
            await pause(200 * 2 ** attempt);
            continue;
          }
          throw new AdminApiError(`${operation}: Shopify could not be reached (${error instanceof Error ? error.message : String(error)}).`, null);
        }
        if ((response.status === 429 || (response.status >= 500 && repeatable)) && attempt < maxRetries) {
          const retryAfter = Number(response.headers.get("retry-after"));
          await pause(Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 200 * 2 ** attempt);
          continue;
        }
        if (!response.ok) {
          throw new AdminApiError(`${operation}: Shopify answered HTTP ${response.status}.`, response.status);
        }
        let body: { data?: T; errors?: unknown };
        try {
          body = (await response.json()) as { data?: T; errors?: unknown };
        } catch {
          throw new AdminApiError(`${operation}: Shopify's answer was not JSON.`, response.status);
        }
        if (body.errors) {
          const detail = Array.isArray(body.errors)
            ? body.errors.map((error: { message?: string }) => error.message ?? String(error)).join("; ")
            : JSON.stringify(body.errors);
          throw new AdminApiError(`${operation}: ${detail}`, response.status, body.errors);
        }
        return body.data ?? null;
      }
    },
  };
}

export function recordingAdminApi(shopId: string): AdminApi {
  return {
    mode: "recording",
    async request(operation: string, query: string, variables: Record<string, unknown> = {}) {
      await db.recordedAdminCall.create({
        data: { shopId, operation, query, variables: JSON.stringify(variables) },
      });
      return null;
    },
  };
}

/** Demo shops record; installed shops call Shopify with their offline session's token. */
export async function adminApiForShop(shopId: string): Promise<AdminApi> {
  const shop = await db.shop.findUnique({ where: { id: shopId }, select: { isDemo: true } });
  if (!shop) throw new AdminApiError(`Unknown shop ${shopId}.`, null);
  if (shop.isDemo || getEnv().mode === "demo") return recordingAdminApi(shopId);
  return httpAdminApi({ shop: shopId, accessToken: await offlineAccessToken(shopId) });
}

/** Exchanges a refresh token for a new offline session (Shopify's OAuth refresh grant). */
export type RefreshOfflineSession = (shop: string, refreshToken: string) => Promise<Session>;

/**
 * Shopify's library refreshes a stored offline session that is about to expire (with its refresh
 * token, storing the result) when it builds an unauthenticated admin context; that is the refresh.
 */
const refreshWithShopify: RefreshOfflineSession = async (shop) => (await shopify().unauthenticated.admin(shop)).session;

/** As Shopify's library does for the requests it authenticates: refresh when five minutes remain. */
const REFRESH_WITHIN_MS = 5 * 60_000;
const refreshing = new Map<string, Promise<string>>();

/**
 * The shop's offline access token, refreshed first when it expires within five minutes. The app
 * asks for expiring offline tokens (`expiringOfflineAccessTokens` in shopify.server.ts). Shopify's
 * library refreshes them only for the requests it authenticates, while background work (discount
 * and catalog sync, backfill, webhook follow-ups) reads the stored session here: without this,
 * every such call failed an hour after the merchant last opened the app. Calls waiting at the
 * same moment share one refresh. A token without an expiry (a non-expiring one) is used as it is.
 */
export async function offlineAccessToken(shopId: string, refresh: RefreshOfflineSession = refreshWithShopify): Promise<string> {
  const storage = new DbSessionStorage();
  const offline = (await storage.findSessionsByShop(shopId)).find((session) => !session.isOnline && session.accessToken);
  if (!offline?.accessToken) throw new AdminApiError(`No offline access token for ${shopId}; reinstall the app.`, 401);
  if (!offline.isExpired(REFRESH_WITHIN_MS)) return offline.accessToken;
  const renew = `open Upshelf in the Shopify admin to renew it`;
  const { refreshToken, refreshTokenExpires } = offline;
  if (!refreshToken || (refreshTokenExpires && refreshTokenExpires.getTime() <= Date.now())) {
    throw new AdminApiError(`The offline access token of ${shopId} has expired and cannot be refreshed; ${renew}.`, 401);
  }
  const pending = refreshing.get(shopId);
  if (pending) return pending;
  const renewed = (async () => {
    let session: Session;
    try {
      session = await refresh(shopId, refreshToken);
    } catch (error) {
      // The library throws a bare 500 Response when the refresh failed for another reason than a
      // refused token (Shopify unreachable, say): a failed call to try again, not a lost token.
      if (error instanceof Response) throw new AdminApiError(`The offline access token of ${shopId} could not be refreshed (HTTP ${error.status}); it is tried again on the next call.`, null);
      const reason = error instanceof Error ? error.message : String(error);
      throw new AdminApiError(`Shopify refused to refresh the offline access token of ${shopId} (${reason}); ${renew}.`, 401);
    }
    await storage.storeSession(session);
    return session.accessToken ?? "";
  })().finally(() => refreshing.delete(shopId));
  refreshing.set(shopId, renewed);
  return renewed;
}

export async function listRecordedAdminCalls(shopId: string, limit = 50) {
  return db.recordedAdminCall.findMany({ where: { shopId }, orderBy: { id: "desc" }, take: limit });
}
