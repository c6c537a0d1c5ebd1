import { describe, expect, it } from "vitest";
import { createTestShop } from "../../tests/factories/shop";
import { adminRequest, useShopifyAdminMode } from "../../tests/support/admin-session";
import { loader as unknownAdminPage } from "../routes/app.$";
import { adminErrorMessage, adminSectionOf } from "./admin-error-page";

useShopifyAdminMode();

/** What Remix hands an error boundary for a response a loader threw. */
const routeError = (status: number, data: unknown) => ({ status, statusText: "", internal: false, data });

describe("the admin's error page", () => {
  it("renders the app's own errors and leaves every other error to Shopify's boundary", async () => {
    expect(adminErrorMessage(routeError(404, { error: "not_found", message: "No such offer in this shop." }))).toEqual({
      status: 404,
      message: "No such offer in this shop.",
    });
    // Shopify's embedded auth throws HTML responses (App Bridge redirects): not ours to render.
    expect(adminErrorMessage(routeError(200, "<script>redirect()</script>"))).toBeUndefined();
    expect(adminErrorMessage(routeError(401, null))).toBeUndefined();
    expect(adminErrorMessage(routeError(400, { message: "no code" }))).toBeUndefined();
    expect(adminErrorMessage(new Error("crash"))).toBeUndefined();
  });

  it("leads back to the section the failed address belongs to", () => {
    expect(adminSectionOf("/app/bundles/42").label).toBe("Bundles");
    expect(adminSectionOf("/app/import/7").label).toBe("Import");
    expect(adminSectionOf("/app/tiers").label).toBe("Tiered discounts");
    expect(adminSectionOf("/app/bundlesx").label).toBe("Dashboard");
    expect(adminSectionOf("/app/no-such-page").label).toBe("Dashboard");
  });

  it("answers an admin address no page serves with the app's own 404, after authenticating", async () => {
    const shop = await createTestShop();
    const thrown: unknown = await unknownAdminPage({ request: await adminRequest(shop.id, "/app/no-such-page"), params: { "*": "no-such-page" }, context: {} }).catch(
      (error: unknown) => error,
    );
    expect(thrown).toBeInstanceOf(Response);
    const response = thrown as Response;
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: "not_found", message: "Upshelf has no page at this address." });

    // Without a session the address is not even confirmed missing: Shopify's login comes first.
    const unauthenticated = await unknownAdminPage({ request: new Request("http://localhost/app/no-such-page"), params: {}, context: {} }).catch((error: unknown) => error);
    expect(unauthenticated).toBeInstanceOf(Response);
    expect((unauthenticated as Response).status).toBe(302);
    expect((unauthenticated as Response).headers.get("location")).toBe("/auth/login");
  });
});
