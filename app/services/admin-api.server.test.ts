import { Session } from "@shopify/shopify-api";
import { afterEach, describe, expect, it, vi } from "vitest";
import db from "~/db.server";
import { createTestShop } from "../../tests/factories/shop";
import { startAdminApiStandIn, type AdminApiStandIn } from "../../tests/support/admin-api-stand-in";
import { AdminApiError, httpAdminApi, offlineAccessToken, recordingAdminApi } from "./admin-api.server";

let standIn: AdminApiStandIn | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

describe("Admin API client", () => {
  it("sends the query, variables and access token, and returns data", async () => {
    standIn = await startAdminApiStandIn(() => ({ body: { data: { shop: { name: "Acme" } } } }));
    const api = httpAdminApi({ shop: "acme.myshopify.com", accessToken: "shpat_test", endpoint: standIn.endpoint });
    const data = await api.request<{ shop: { name: string } }>("ShopName", "query ShopName { shop { name } }", { a: 1 });
    expect(data?.shop.name).toBe("Acme");
    expect(standIn.requests[0]).toMatchObject({ accessToken: "shpat_test", variables: { a: 1 } });
  });

  it("retries when throttled and names the operation when GraphQL reports errors", async () => {
    let calls = 0;
    standIn = await startAdminApiStandIn(() => {
      calls++;
      if (calls === 1) return { status: 429, body: {}, headers: { "Retry-After": "0.01" } };
      return { body: { errors: [{ message: "Field 'nope' doesn't exist" }] } };
    });
    const api = httpAdminApi({ shop: "acme.myshopify.com", accessToken: "t", endpoint: standIn.endpoint });
    const failure = await api.request("Broken", "{ nope }").catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AdminApiError);
    expect((failure as Error).message).toBe("Broken: Field 'nope' doesn't exist");
    expect(calls).toBe(2);
  });

  it("retries a network failure, then reports it as a failed call naming the operation; an answer that is not JSON likewise", async () => {
    let calls = 0;
    const unreachable = httpAdminApi({
      shop: "acme.myshopify.com",
      accessToken: "t",
      maxRetries: 1,
      fetch: async () => {
        calls++;
        throw new TypeError("fetch failed");
      },
    });
    const failure = await unreachable.request("ShopName", "{ shop { name } }").catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AdminApiError);
    expect((failure as Error).message).toBe("ShopName: Shopify could not be reached (fetch failed).");
    expect(calls).toBe(2);

    const garbled = httpAdminApi({ shop: "acme.myshopify.com", accessToken: "t", fetch: async () => new Response("<html>maintenance</html>", { status: 200 }) });
    const notJson = await garbled.request("ShopName", "{ shop { name } }").catch((error: unknown) => error);
    expect(notJson).toBeInstanceOf(AdminApiError);
    expect((notJson as Error).message).toBe("ShopName: Shopify's answer was not JSON.");
  });

  it("does not send a mutation that creates again when its answer was lost, but does after a 429 and sends others again", async () => {
    const CREATE = "#graphql\nmutation UpshelfDiscountCreate($a: DiscountAutomaticAppInput!) {\n  discountAutomaticAppCreate(automaticAppDiscount: $a) { userErrors { message } }\n}";
    const UPDATE = "#graphql\nmutation UpshelfDiscountUpdate($id: ID!) {\n  discountAutomaticAppUpdate(id: $id) { userErrors { message } }\n}";
    const BULK = "\n  mutation UpshelfOrdersBackfill($query: String!) {\n    bulkOperationRunQuery(query: $query) { bulkOperation { id } }\n  }";
    let first = true;
    // The gateway gives up on the first of each call (Shopify may have run it); the next one succeeds.
    standIn = await startAdminApiStandIn(() => {
      const status = first ? 502 : 200;
      first = !first;
      return { status, body: { data: {} } };
    });
    const api = httpAdminApi({ shop: "acme.myshopify.com", accessToken: "t", endpoint: standIn.endpoint });
    for (const [query, sends] of [[CREATE, 1], [BULK, 1], [UPDATE, 2], ["query Shop { shop { name } }", 2]] as const) {
      const before = standIn.requests.length;
      first = true;
      await api.request("Op", query).catch(() => null);
      expect(standIn.requests.length - before, query).toBe(sends);
    }
    let calls = 0;
    const lost = httpAdminApi({
      shop: "acme.myshopify.com",
      accessToken: "t",
      fetch: async () => {
        calls++;
        throw new TypeError("socket hang up");
      },
    });
    await expect(lost.request("UpshelfDiscountCreate", CREATE)).rejects.toThrow("Shopify could not be reached");
    expect(calls).toBe(1);
    await standIn.close();
    let throttled = true;
    standIn = await startAdminApiStandIn(() => {
      const answer = throttled ? { status: 429, body: {}, headers: { "Retry-After": "0.01" } } : { body: { data: { ok: true } } };
      throttled = false;
      return answer;
    });
    const limited = httpAdminApi({ shop: "acme.myshopify.com", accessToken: "t", endpoint: standIn.endpoint });
    expect(await limited.request("UpshelfDiscountCreate", CREATE)).toEqual({ ok: true });
    expect(standIn.requests).toHaveLength(2);
  });

  it("records instead of sending in demo mode", async () => {
    const shop = await createTestShop();
    const api = recordingAdminApi(shop.id);
    expect(await api.request("DeleteThing", "mutation { x }", { id: "1" })).toBeNull();
    const recorded = await db.recordedAdminCall.findMany({ where: { shopId: shop.id } });
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ operation: "DeleteThing", variables: '{"id":"1"}' });
  });
});

describe("the offline access token background work uses", () => {
  const minutes = (n: number) => new Date(Date.now() + n * 60_000);
  async function shopWithToken(fields: { expires?: Date; refreshToken?: string; refreshTokenExpires?: Date }) {
    const shop = await createTestShop();
    await db.session.create({ data: { id: `offline_${shop.id}`, shop: shop.id, state: "", isOnline: false, accessToken: "shpat_old", ...fields } });
    return shop.id;
  }
  const refreshedSession = (shop: string, token: string) =>
    new Session({ id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: token, expires: minutes(60), refreshToken: "shprt_new", refreshTokenExpires: minutes(60 * 24 * 90) });

  it("is the stored one while it has more than five minutes left, or never expires", async () => {
    const refresh = vi.fn();
    expect(await offlineAccessToken(await shopWithToken({ expires: minutes(30), refreshToken: "shprt_1" }), refresh)).toBe("shpat_old");
    expect(await offlineAccessToken(await shopWithToken({}), refresh)).toBe("shpat_old");
    expect(refresh).not.toHaveBeenCalled();
  });

  it("is refreshed once (however many calls wait for it) when it expires within five minutes, and the new session is stored", async () => {
    const shopId = await shopWithToken({ expires: minutes(2), refreshToken: "shprt_1", refreshTokenExpires: minutes(60) });
    const refresh = vi.fn(async (shop: string, refreshToken: string) => {
      expect(refreshToken).toBe("shprt_1");
      await new Promise((resolve) => setTimeout(resolve, 20));
      return refreshedSession(shop, "shpat_new");
    });
    expect(await Promise.all([offlineAccessToken(shopId, refresh), offlineAccessToken(shopId, refresh)])).toEqual(["shpat_new", "shpat_new"]);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(await db.session.findUniqueOrThrow({ where: { id: `offline_${shopId}` } })).toMatchObject({ accessToken: "shpat_new", refreshToken: "shprt_new" });
    expect(await offlineAccessToken(shopId, refresh)).toBe("shpat_new");
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it("says the merchant must open the app when an expired token cannot be refreshed, or Shopify refuses the refresh", async () => {
    const refuse = vi.fn(async () => {
      throw new Error("invalid_subject_token");
    });
    for (const fields of [{ expires: minutes(-1) }, { expires: minutes(-1), refreshToken: "shprt_1", refreshTokenExpires: minutes(-5) }]) {
      const failure = await offlineAccessToken(await shopWithToken(fields), refuse).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(AdminApiError);
      expect(failure).toMatchObject({ status: 401, message: expect.stringContaining("open Upshelf in the Shopify admin") });
    }
    expect(refuse).not.toHaveBeenCalled();
    const refused = await offlineAccessToken(await shopWithToken({ expires: minutes(-1), refreshToken: "shprt_1" }), refuse).catch((error: unknown) => error);
    expect(refused).toMatchObject({ status: 401, message: expect.stringContaining("invalid_subject_token") });
    expect(refuse).toHaveBeenCalledTimes(1);
    const unreachable = vi.fn(async () => {
      throw new Response(undefined, { status: 500 });
    });
    const failed = await offlineAccessToken(await shopWithToken({ expires: minutes(-1), refreshToken: "shprt_1" }), unreachable).catch((error: unknown) => error);
    expect(failed).toMatchObject({ status: null, message: expect.stringContaining("tried again on the next call") });
  });
});
