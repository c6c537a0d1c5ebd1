import { createHmac, randomUUID } from "node:crypto";
import { Session } from "@shopify/shopify-api";
import { afterAll, vi } from "vitest";
import { DEFAULT_SCOPES } from "~/env.server";
import { DbSessionStorage } from "~/models/session.server";

/**
 * Admin requests as Shopify's embedded admin sends them, for any test shop. The route under test
 * runs Shopify's real authentication (shopify-app-remix): the request carries a session token
 * signed with the app secret, and the shop's offline session is in our session table. This is
 * how tests prove that a loader or action only ever sees the authenticated shop's data.
 *
 * Call `useShopifyAdminMode()` at the top of the test file, before any request is made: it sets
 * the credentials for this file only (each test file gets fresh modules, so `getEnv` re-reads).
 */
export const TEST_API_KEY = "upshelf-test-api-key";
export const TEST_API_SECRET = "upshelf-test-api-secret";
export const TEST_APP_URL = "https://upshelf.test";

export function useShopifyAdminMode(): void {
  vi.stubEnv("SHOPIFY_API_KEY", TEST_API_KEY);
  vi.stubEnv("SHOPIFY_API_SECRET", TEST_API_SECRET);
  vi.stubEnv("SHOPIFY_APP_URL", TEST_APP_URL);
  vi.stubEnv("NODE_ENV", "test");
  afterAll(() => {
    vi.unstubAllEnvs();
  });
}

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString("base64url");
}

/** A session token as App Bridge issues it (HS256 with the app secret). */
export function sessionToken(shopId: string, options: { secret?: string; expiresInSeconds?: number } = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const header = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const payload = base64url(
    JSON.stringify({
      iss: `https://${shopId}/admin`,
      dest: `https://${shopId}`,
      aud: TEST_API_KEY,
      sub: "42",
      exp: now + (options.expiresInSeconds ?? 60),
      nbf: now - 5,
      iat: now - 5,
      jti: randomUUID(),
      sid: randomUUID(),
    }),
  );
  const signature = createHmac("sha256", options.secret ?? TEST_API_SECRET).update(`${header}.${payload}`).digest("base64url");
  return `${header}.${payload}.${signature}`;
}

const storedShops = new Set<string>();

/** Stores the shop's offline session, as installing the app would. */
export async function installTestShopSession(shopId: string): Promise<void> {
  if (storedShops.has(shopId)) return;
  const session = new Session({ id: `offline_${shopId}`, shop: shopId, state: "installed", isOnline: false });
  session.accessToken = `shpat_test_${shopId}`;
  session.scope = DEFAULT_SCOPES;
  await new DbSessionStorage().storeSession(session);
  storedShops.add(shopId);
}

/**
 * A Request to an admin route (e.g. "/app/bundles") as the embedded admin sends it for `shopId`.
 * Pass `init` for actions (method, body). Returns the Request to hand to the route's loader/action.
 */
export async function adminRequest(shopId: string, path: string, init: RequestInit = {}): Promise<Request> {
  await installTestShopSession(shopId);
  const url = new URL(path, TEST_APP_URL);
  url.searchParams.set("shop", shopId);
  url.searchParams.set("embedded", "1");
  const headers = new Headers(init.headers);
  headers.set("Authorization", `Bearer ${sessionToken(shopId)}`);
  return new Request(url, { ...init, headers });
}
