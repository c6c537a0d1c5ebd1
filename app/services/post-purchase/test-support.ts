/**
 * Tokens as Shopify signs them for the checkout surfaces, for tests. Shapes follow Shopify's
 * documentation: the post-purchase input token (iss "shopify", sub = reference id, iat, no exp,
 * with the extension's input data) and the checkout UI extension session token (iss = the shop's
 * admin URL, dest = the shop, aud = the app's client id, exp five minutes on).
 */
import { randomUUID } from "node:crypto";
import { DEMO_API_SECRET } from "~/env.server";
import type { InitialPurchaseInput } from "~/core/post-purchase";
import { DEMO_CLIENT_ID } from "./credentials.server";
import { signJwtHs256, type JwtClaims } from "./jwt.server";

export const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

export function initialPurchase(
  referenceId: string,
  lines: { productId: string; variantId: string; total: string; quantity?: number; currency?: string }[],
): InitialPurchaseInput {
  return {
    referenceId,
    lineItems: lines.map((line) => ({
      product: { id: Number(line.productId), variant: { id: Number(line.variantId) } },
      quantity: line.quantity ?? 1,
      totalPriceSet: {
        shopMoney: { amount: line.total, currencyCode: line.currency ?? "USD" },
        presentmentMoney: { amount: line.total, currencyCode: line.currency ?? "USD" },
      },
    })),
  };
}

export function postPurchaseToken(
  shop: string,
  purchase: InitialPurchaseInput,
  options: { secret?: string; now?: Date; claims?: JwtClaims } = {},
): string {
  const now = options.now ?? new Date();
  return signJwtHs256(
    {
      iss: "shopify",
      sub: purchase.referenceId,
      iat: seconds(now),
      input_data: { shop: { id: 1, domain: shop, metafields: [] }, initialPurchase: purchase, locale: "en", version: "unstable" },
      ...options.claims,
    },
    options.secret ?? DEMO_API_SECRET,
  );
}

export function thankYouSessionToken(shop: string, options: { secret?: string; now?: Date; claims?: JwtClaims } = {}): string {
  const now = seconds(options.now ?? new Date());
  return signJwtHs256(
    {
      iss: `https://${shop}/admin`,
      dest: `https://${shop}`,
      aud: DEMO_CLIENT_ID,
      sub: "gid://shopify/Customer/42",
      exp: now + 300,
      nbf: now,
      iat: now,
      jti: randomUUID(),
      sid: randomUUID(),
      ...options.claims,
    },
    options.secret ?? DEMO_API_SECRET,
  );
}

export function checkoutRequest(path: string, token: string | null, body: unknown, init: RequestInit = {}): Request {
  const headers: Record<string, string> = { "Content-Type": "application/json", Origin: "https://extensions.shopifycdn.com" };
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  return new Request(`http://localhost${path}`, {
    method: "POST",
    body: typeof body === "string" ? body : JSON.stringify(body),
    ...init,
    headers: { ...headers, ...(init.headers as Record<string, string> | undefined) },
  });
}
