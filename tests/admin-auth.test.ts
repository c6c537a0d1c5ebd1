import { beforeAll, describe, expect, it } from "vitest";
import { Session } from "@shopify/shopify-api";
import db from "~/db.server";
import { DEFAULT_SCOPES } from "~/env.server";
import { DbSessionStorage } from "~/models/session.server";
import { authenticateAdmin } from "~/services/admin-auth.server";
import { markShopUninstalled, redactShop } from "~/services/webhooks/customer-data.server";
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

  it("GIVEN a shop uninstalled, or redacted, while this process served it THEN opening the admin records it installed again", async () => {
    // Reinstalling stores a new offline session (token exchange); the shop row is what we check.
    const reinstall = async () => {
      const session = new Session({ id: `offline_${shopId}`, shop: shopId, state: "installed", isOnline: false });
      session.accessToken = `shpat_test_again_${shopId}`;
      session.scope = DEFAULT_SCOPES;
      await new DbSessionStorage().storeSession(session);
      await authenticateAdmin(await adminRequest(shopId, "/app"));
      return db.shop.findUnique({ where: { id: shopId } });
    };
    await authenticateAdmin(await adminRequest(shopId, "/app"));
    await markShopUninstalled(shopId);
    expect((await db.shop.findUnique({ where: { id: shopId } }))?.uninstalledAt).toBeInstanceOf(Date);
    expect((await reinstall())?.uninstalledAt).toBeNull();

    await markShopUninstalled(shopId);
    await redactShop(shopId);
    expect(await db.shop.findUnique({ where: { id: shopId } })).toBeNull();
    expect(await reinstall()).toMatchObject({ id: shopId, uninstalledAt: null });
  });
});
