import type { RouteConfig } from "@remix-run/route-config";
import { flatRoutes } from "@remix-run/fs-routes";

// File-system routes, as in Shopify's Remix template: app.* are admin pages, proxy.* the
// storefront API behind the app proxy, webhooks.* Shopify's deliveries, api.* the rest.
export default flatRoutes({ ignoredRouteFiles: ["**/*.test.{ts,tsx}", "**/.*"] }) satisfies RouteConfig;
