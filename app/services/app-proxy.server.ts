import { customShopDomain, getEnv } from "~/env.server";
import { isShopInstalled } from "~/models/shop.server";
import { verifyAppProxyParams } from "./app-proxy-signature.server";
import { jsonError, unknownShopBody } from "./http.server";

/**
 * Every storefront route behind the app proxy starts here. Shopify forwards /apps/upshelf/* with a
 * signed query string; anything without a valid signature gets a 401 JSON answer, never our data.
 * The demo shop's local storefront signs with the demo secret the same way.
 */
export interface StorefrontContext {
  shopId: string;
  loggedInCustomerId: string | null;
}

export const STOREFRONT_HEADERS = {
  // The proxy response is per buyer and per cart; shared caches must not keep it.
  "Cache-Control": "no-store",
};

/** The signed request's shop and customer; throws a 401, or a 404 for a shop without Upshelf. */
export async function authenticateAppProxy(request: Request, now: Date = new Date()): Promise<StorefrontContext> {
  const params = new URL(request.url).searchParams;
  const result = verifyAppProxyParams(params, getEnv().apiSecret, now, customShopDomain());
  if (!result.ok) {
    throw jsonError(401, result.reason, result.message, { headers: STOREFRONT_HEADERS });
  }
  if (!(await isShopInstalled(result.shop))) throw unknownShop(result.shop);
  return { shopId: result.shop, loggedInCustomerId: result.loggedInCustomerId };
}

export function unknownShop(shopId: string): Response {
  const { error, message } = unknownShopBody(shopId);
  return jsonError(404, error, message, { headers: STOREFRONT_HEADERS });
}

/** The answer to a storefront request made with a method the route does not take. */
export function methodNotAllowed(allow: "GET" | "POST", message: string): Response {
  return jsonError(405, "method_not_allowed", message, { headers: { ...STOREFRONT_HEADERS, Allow: allow } });
}
