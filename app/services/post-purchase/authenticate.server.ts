import { isShopInstalled } from "~/models/shop.server";
import type { Surface } from "~/core/post-purchase/wire";
import { jsonError, unknownShopBody } from "~/services/http.server";
import { appCredentials } from "./credentials.server";
import { withCors } from "./cors.server";
import { JwtError, verifyJwtHs256, type JwtClaims } from "./jwt.server";
import { customShopDomain } from "~/env.server";
import { isShopDomain } from "~/services/shop-domain";

/**
 * Who is calling the post-purchase endpoints, from the Shopify-signed bearer token only: the
 * request body is never trusted for the shop.
 *
 * - post_purchase: `inputData.token` of the post-purchase extension. Shopify signs it with the
 *   app secret (HS256); `iss` is "shopify", `sub` the initial purchase's reference id, `iat` set,
 *   no `exp` (JWT specification for post-purchase extensions). The payload carries the extension's
 *   input data, from which the shop's myshopify domain is read. Without `exp`, age is bounded by
 *   `iat` (POST_PURCHASE_TOKEN_MAX_AGE_SECONDS).
 * - thank_you: the checkout UI extension session token (`sessionToken.get()`): `aud` = the app's
 *   client id, `dest` = the shop, `exp` about five minutes after issue.
 */
export const POST_PURCHASE_TOKEN_MAX_AGE_SECONDS = 24 * 60 * 60;
export const SHOPIFY_ISSUER = "shopify";

export interface CheckoutCaller {
  surface: Surface;
  shopId: string;
  /** post_purchase: the initial purchase the token was issued for; thank_you: null. */
  referenceId: string | null;
  /** The initial purchase as signed inside the token, when the token carries it. */
  signedInitialPurchase: unknown;
  /**
   * thank_you: the buyer's checkout session the token was issued in (its `sid`, else its `jti`),
   * which the thank-you budget is kept by: these calls come straight from the buyer's browser, not
   * through Shopify's proxy, so no address of theirs can be trusted. post_purchase: null.
   */
  session: string | null;
}


function unauthorized(code: string, message: string): Response {
  return jsonError(401, code, message, withCors());
}

function bearerToken(request: Request): string {
  const header = request.headers.get("Authorization") ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (!match?.[1]) throw unauthorized("missing_token", "Send the Shopify checkout token as `Authorization: Bearer <token>`.");
  return match[1];
}

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/** "https://shop.myshopify.com", "shop.myshopify.com" -> "shop.myshopify.com"; null if not a shop. */
export function shopDomainOf(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const host = value.trim().toLowerCase().replace(/^https?:\/\//, "").replace(/\/.*$/, "");
  return isShopDomain(host, customShopDomain()) ? host : null;
}

function verify(token: string, options: Omit<Parameters<typeof verifyJwtHs256>[1], "secret">): JwtClaims {
  try {
    return verifyJwtHs256(token, { ...options, secret: appCredentials().apiSecret });
  } catch (error) {
    if (error instanceof JwtError) throw unauthorized(error.code, error.message);
    throw error;
  }
}

function postPurchaseCaller(token: string, now: Date): CheckoutCaller {
  const claims = verify(token, {
    now,
    issuer: SHOPIFY_ISSUER,
    required: ["sub", "iat"],
    maxAgeSeconds: POST_PURCHASE_TOKEN_MAX_AGE_SECONDS,
  });
  if (typeof claims.sub !== "string") throw unauthorized("malformed_token", 'The token\'s "sub" is not a reference id.');
  const input = record(claims.input_data);
  const shopId = shopDomainOf(record(input?.shop)?.domain);
  if (!shopId) throw unauthorized("missing_claim", "The token names no myshopify.com shop in input_data.shop.domain.");
  const signedInitialPurchase = input?.initialPurchase ?? null;
  const signedReference = record(signedInitialPurchase)?.referenceId;
  if (signedReference !== undefined && String(signedReference) !== claims.sub) {
    throw unauthorized("reference_mismatch", "The token's subject and its initial purchase disagree.");
  }
  return { surface: "post_purchase", shopId, referenceId: claims.sub, signedInitialPurchase, session: null };
}

function thankYouCaller(token: string, now: Date): CheckoutCaller {
  const claims = verify(token, { now, audience: appCredentials().apiKey, required: ["exp", "dest"] });
  const shopId = shopDomainOf(claims.dest);
  if (!shopId) throw unauthorized("missing_claim", 'The token\'s "dest" is not a myshopify.com shop.');
  // The session token's issuer is the shop's admin URL: it must be the same shop as `dest`.
  if (claims.iss !== undefined && shopDomainOf(claims.iss) !== shopId) {
    throw unauthorized("wrong_issuer", "The token's issuer and destination are different shops.");
  }
  const session = typeof claims.sid === "string" ? claims.sid : typeof claims.jti === "string" ? claims.jti : null;
  return { surface: "thank_you", shopId, referenceId: null, signedInitialPurchase: null, session };
}

/** Verifies the caller of a post-purchase endpoint, or throws a 401 (or 404 for an unknown shop) Response. */
export async function authenticateCheckoutCaller(request: Request, surface: Surface, now: Date = new Date()): Promise<CheckoutCaller> {
  const token = bearerToken(request);
  const caller = surface === "post_purchase" ? postPurchaseCaller(token, now) : thankYouCaller(token, now);
  if (!(await isShopInstalled(caller.shopId))) {
    throw Response.json(unknownShopBody(caller.shopId), withCors({ status: 404 }));
  }
  return caller;
}
