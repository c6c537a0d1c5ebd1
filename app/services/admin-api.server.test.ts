import { afterEach, describe, expect, it } from "vitest";
import db from "~/db.server";
import { createTestShop } from "../../tests/factories/shop";
import { startAdminApiStandIn, type AdminApiStandIn } from "../../tests/support/admin-api-stand-in";
import { AdminApiError, httpAdminApi, recordingAdminApi } from "./admin-api.server";

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

  it("records instead of sending in demo mode", async () => {
    const shop = await createTestShop();
    const api = recordingAdminApi(shop.id);
    expect(await api.request("DeleteThing", "mutation { x }", { id: "1" })).toBeNull();
    const recorded = await db.recordedAdminCall.findMany({ where: { shopId: shop.id } });
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ operation: "DeleteThing", variables: '{"id":"1"}' });
  });
});
