import { beforeAll, describe, expect, it } from "vitest";
import { authenticateAdmin } from "~/services/admin-auth.server";
import { createTestShop } from "./factories/shop";
import { adminRequest, sessionToken, useShopifyAdminMode } from "./support/admin-session";

useShopifyAdminMode();

describe("admin authentication in Shopify mode", () => {
  let shopId: string;
  beforeAll(async () => {
    shopId = (await createTestShop()).id;
  });

  it("identifies the shop from a valid session token", async () => {
    const context = await authenticateAdmin(await adminRequest(shopId, "/app"));
    expect(context).toMatchObject({ mode: "shopify", shopId });
  });

  it("refuses a session token signed with another secret", async () => {
    const request = await adminRequest(shopId, "/app");
    request.headers.set("Authorization", `Bearer ${sessionToken(shopId, { secret: "forged" })}`);
    const outcome = await authenticateAdmin(request).then(
      () => "accepted",
      (thrown: unknown) => (thrown instanceof Response ? thrown.status : thrown),
    );
    expect(outcome).toBe(401);
  });
});
