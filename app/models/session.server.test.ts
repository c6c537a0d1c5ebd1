import { randomUUID } from "node:crypto";
import { Session } from "@shopify/shopify-api";
import { describe, expect, it } from "vitest";
import { DbSessionStorage } from "./session.server";

const storage = new DbSessionStorage();

function offlineSession(shop: string) {
  return new Session({ id: `offline_${shop}`, shop, state: "s", isOnline: false, scope: "read_products", accessToken: "shpat_1" });
}

describe("DbSessionStorage", () => {
  it("stores, loads, updates and deletes an offline session", async () => {
    const shop = `s-${randomUUID().slice(0, 8)}.myshopify.com`;
    const session = offlineSession(shop);
    expect(await storage.storeSession(session)).toBe(true);
    const loaded = await storage.loadSession(session.id);
    expect(loaded?.toObject()).toEqual(session.toObject());

    session.accessToken = "shpat_2";
    await storage.storeSession(session);
    expect((await storage.loadSession(session.id))?.accessToken).toBe("shpat_2");

    await storage.deleteSession(session.id);
    expect(await storage.loadSession(session.id)).toBeUndefined();
    expect(await storage.deleteSession(session.id)).toBe(true);
  });

  it("keeps an online session's user and finds sessions by shop only", async () => {
    const shop = `s-${randomUUID().slice(0, 8)}.myshopify.com`;
    const online = new Session({
      id: `${shop}_42`,
      shop,
      state: "s",
      isOnline: true,
      accessToken: "shpua_1",
      expires: new Date("2030-01-01T00:00:00Z"),
      onlineAccessInfo: {
        expires_in: 0,
        associated_user_scope: "",
        associated_user: {
          id: 42, first_name: "Ada", last_name: "L", email: "ada@example.com",
          account_owner: true, locale: "en", collaborator: false, email_verified: true,
        },
      },
    });
    await storage.storeSession(online);
    await storage.storeSession(offlineSession(`other-${shop}`));
    const found = await storage.findSessionsByShop(shop);
    expect(found.map((s) => s.id)).toEqual([online.id]);
    expect(found[0]?.onlineAccessInfo?.associated_user.id).toBe(42);
    expect(found[0]?.expires?.toISOString()).toBe("2030-01-01T00:00:00.000Z");
    await storage.deleteSessions([online.id]);
    expect(await storage.findSessionsByShop(shop)).toEqual([]);
  });
});
