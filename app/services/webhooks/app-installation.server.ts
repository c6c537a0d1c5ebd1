import { AdminApiError, type AdminApi } from "~/services/admin-api.server";

export type AppInstallation = "installed" | "uninstalled" | "unknown";

/**
 * Whether the app is installed on the shop now, by the one fact Shopify does not get wrong: does
 * the stored offline token still work? Uninstalling revokes it; reinstalling stores a new one. A
 * late app/uninstalled (our retry, or Shopify's redelivery, after the merchant reinstalled) would
 * otherwise delete the new session and stop the storefront. "unknown" when no call was made (demo
 * mode records calls instead) or Shopify could not be reached: callers keep their old behaviour.
 */
export async function appInstallation(shopId: string, adminApiFor: (shopId: string) => Promise<AdminApi>): Promise<AppInstallation> {
  try {
    const api = await adminApiFor(shopId);
    if (api.mode !== "live") return "unknown";
    await api.request("UpshelfInstallationCheck", "query UpshelfInstallationCheck { shop { id } }");
    return "installed";
  } catch (error) {
    if (error instanceof AdminApiError && (error.status === 401 || error.status === 403)) return "uninstalled";
    return "unknown";
  }
}
