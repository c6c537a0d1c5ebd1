import "@shopify/shopify-app-remix/adapters/node";
import { ApiVersion, AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";
import { DbSessionStorage } from "./models/session.server";
import { getEnv, type ShopifyEnv } from "./env.server";

/** The Admin API version every Shopify call and webhook subscription uses. */
export const API_VERSION = ApiVersion.October25;

function createShopify(env: ShopifyEnv) {
  return shopifyApp({
    apiKey: env.apiKey,
    apiSecretKey: env.apiSecret,
    apiVersion: API_VERSION,
    scopes: env.scopes,
    appUrl: env.appUrl,
    authPathPrefix: "/auth",
    sessionStorage: new DbSessionStorage(),
    distribution: AppDistribution.AppStore,
    future: { unstable_newEmbeddedAuthStrategy: true, expiringOfflineAccessTokens: true },
    // Shops under the app's custom domain (SHOP_CUSTOM_DOMAIN), kept as they are: shopify-api 13
    // accepts other domains only through transformations (its old `customShopDomains` is gone).
    ...(env.shopCustomDomain ? { domainTransformations: [customDomainAsIs(env.shopCustomDomain)] } : {}),
  });
}

function customDomainAsIs(domain: string) {
  const escaped = domain.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return { match: new RegExp(`^([a-zA-Z0-9][a-zA-Z0-9-_]*)\\.${escaped}$`), transform: `$1.${domain.toLowerCase()}` };
}

export type ShopifyAppInstance = ReturnType<typeof createShopify>;

let instance: ShopifyAppInstance | undefined;

/**
 * The configured Shopify app. Only exists in Shopify mode: in demo mode there are no
 * credentials, and every caller must go through app/services/admin-context.server.ts instead.
 */
export function shopify(): ShopifyAppInstance {
  const env = getEnv();
  if (env.mode !== "shopify") {
    throw new Error("Shopify is not configured: the app is running the local demo shop.");
  }
  instance ??= createShopify(env);
  return instance;
}
