import { getEnv } from "~/env.server";
import { findShop, recordShopInstalled } from "~/models/shop.server";
import { syncShopOnInstall } from "~/services/shopify-sync";
import { shopify } from "~/shopify.server";

/**
 * Who is asking, for every admin loader and action. In Shopify mode this is Shopify's embedded
 * authentication (session token, token exchange); in demo mode it is the local demo shop, which
 * only this machine can reach (the server binds to 127.0.0.1 and refuses to run in production).
 *
 * Tests act as any test shop through Shopify's real authentication: see
 * tests/support/admin-session.ts (`useShopifyAdminMode()` at the top of the file, then
 * `await adminRequest(shopId, "/app/...", init)` builds the Request for a loader or action).
 */
export interface AdminContext {
  mode: "demo" | "shopify";
  /** The shop's myshopify domain: the key every query is scoped by. */
  shopId: string;
  /** Admin GraphQL, only in Shopify mode. */
  graphql: ((query: string, options?: { variables?: Record<string, unknown> }) => Promise<Response>) | null;
}

export async function authenticateAdmin(request: Request): Promise<AdminContext> {
  const env = getEnv();
  if (env.mode === "demo") {
    return { mode: "demo", shopId: env.demoShop, graphql: null };
  }
  const { session, admin } = await shopify().authenticate.admin(request);
  await ensureShopRecorded(session.shop);
  return { mode: "shopify", shopId: session.shop, graphql: admin.graphql };
}

/**
 * Every admin request reads the shop's row (one primary-key read): a cache in this process could
 * not see an uninstall, a reinstall or a shop/redact handled by another process, and a shop it
 * wrongly believed installed would keep `uninstalledAt` set (nothing served) or have no row at all.
 */
async function ensureShopRecorded(shopId: string): Promise<void> {
  const before = await findShop(shopId);
  if (before && !before.uninstalledAt) return;
  await recordShopInstalled(shopId);
  // A new install (or a reinstall): fetch the catalog and backfill orders in the background.
  await syncShopOnInstall(shopId, { reinstalled: before?.uninstalledAt != null });
}
